//! Microsoft Entra built-in directory roles by template id: the privileged ones the admins
//! finding counts, and their display names for every message that would otherwise show a
//! role as a GUID (an exclusion "through the role fe930be7-..." is hard to check).

/// A built-in directory role the finding counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrivilegedRole {
    /// Role template id, lower case.
    pub id: &'static str,
    pub name: &'static str,
}

const fn r(id: &'static str, name: &'static str) -> PrivilegedRole {
    PrivilegedRole { id, name }
}

/// Every role marked PRIVILEGED on Microsoft's "Microsoft Entra built-in roles" page
/// (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference, "All
/// roles" table, ms.date 01/20/2026), with the template ids of that table; then the three
/// roles the page does not mark but that run a whole service or the tenant's money, which every
/// MFA-for-admins guidance names (Exchange, SharePoint, Billing Administrator), ids from the
/// same table. Display names as the page writes them.
pub const PRIVILEGED_ROLES: [PrivilegedRole; 32] = [
    r(
        "db506228-d27e-4b7d-95e5-295956d6615f",
        "Agent ID Administrator",
    ),
    r(
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        "Application Administrator",
    ),
    r(
        "cf1c38e5-3621-4004-a7cb-879624dced7c",
        "Application Developer",
    ),
    r(
        "ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe",
        "Attribute Provisioning Administrator",
    ),
    r(
        "422218e4-db15-4ef9-bbe0-8afb41546d79",
        "Attribute Provisioning Reader",
    ),
    r(
        "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        "Authentication Administrator",
    ),
    r(
        "25a516ed-2fa0-40ea-a2d0-12923a21473a",
        "Authentication Extensibility Administrator",
    ),
    r(
        "aaf43236-0c0d-4d5f-883a-6955382ac081",
        "B2C IEF Keyset Administrator",
    ),
    r(
        "158c047a-c907-4556-b7ef-446551a6b5f7",
        "Cloud Application Administrator",
    ),
    r(
        "7698a772-787b-4ac8-901f-60d6b08affd2",
        "Cloud Device Administrator",
    ),
    r(
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        "Conditional Access Administrator",
    ),
    r("9360feb5-f418-4baa-8175-e2a00bac4301", "Directory Writers"),
    r(
        "8329153b-31d0-4727-b945-745eb3bc5f31",
        "Domain Name Administrator",
    ),
    r(
        "be2f45a1-457d-42af-a067-6ec1fa63bc45",
        "External Identity Provider Administrator",
    ),
    r(
        "62e90394-69f5-4237-9190-012177145e10",
        "Global Administrator",
    ),
    r("f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader"),
    r(
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "Helpdesk Administrator",
    ),
    r(
        "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
        "Hybrid Identity Administrator",
    ),
    r(
        "3a2c62db-5318-420d-8d74-23affee5d9d5",
        "Intune Administrator",
    ),
    r(
        "59d46f88-662b-457b-bceb-5c3809e5908f",
        "Lifecycle Workflows Administrator",
    ),
    r(
        "4ba39ca4-527c-499a-b93d-d9b492c50246",
        "Partner Tier1 Support",
    ),
    r(
        "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8",
        "Partner Tier2 Support",
    ),
    r(
        "966707d0-3269-4727-9be2-8c3a10f19b9d",
        "Password Administrator",
    ),
    r(
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
        "Privileged Authentication Administrator",
    ),
    r(
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
        "Privileged Role Administrator",
    ),
    r(
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
        "Security Administrator",
    ),
    r("5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", "Security Operator"),
    r("5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader"),
    r("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"),
    // Not marked PRIVILEGED on the page; named by the finding's brief and every admin-MFA
    // checklist: each controls a whole service, or billing.
    r(
        "29232cdf-9323-42fd-ade2-1d097af3e4de",
        "Exchange Administrator",
    ),
    r(
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
        "SharePoint Administrator",
    ),
    r(
        "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        "Billing Administrator",
    ),
];

/// A role's display name, when it is one of [`PRIVILEGED_ROLES`]; template ids compare in
/// any letter case.
pub fn role_name(id: &str) -> Option<&'static str> {
    let id = id.trim();
    PRIVILEGED_ROLES
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(id))
        .map(|r| r.name)
}

/// A role as messages show it: `User Administrator (fe930be7-...)`, or the id alone.
pub fn role_label(id: &str) -> String {
    match role_name(id) {
        Some(name) => format!("{name} ({})", id.trim()),
        None => id.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_named_by_template_id_in_any_case() {
        for (id, want) in [
            (
                "62e90394-69f5-4237-9190-012177145e10",
                "Global Administrator (62e90394-69f5-4237-9190-012177145e10)",
            ),
            (
                "FE930BE7-5E62-47DB-91AF-98C3A49A38B1",
                "User Administrator (FE930BE7-5E62-47DB-91AF-98C3A49A38B1)",
            ),
            (
                "00000000-0000-0000-0000-000000000000",
                "00000000-0000-0000-0000-000000000000",
            ),
        ] {
            assert_eq!(role_label(id), want);
        }
    }
}
