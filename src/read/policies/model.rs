//! What a tenant's policy exports say, as plain data: Conditional Access policies, security
//! defaults, group memberships, directory role assignments, per-user MFA states and the
//! authentication methods policy. The readers in `read::policies` fill it from whatever files
//! the admin passed to `--policies`; `audit::enforcement` decides per user from it.
//!
//! Absence is explicit everywhere: `None` means "no file said", never "off" or "empty", so the
//! evaluation can answer `Undetermined` instead of guessing.

use std::collections::HashMap;

/// Everything read from `--policies`.
#[derive(Debug, Default, Clone)]
pub struct Tenant {
    /// Each file looked at: what it was taken for, or why it was skipped.
    pub files: Vec<PolicyFile>,
    /// `None` when no Conditional Access export was given (not "no policies").
    pub conditional_access: Option<Vec<CaPolicy>>,
    /// `identitySecurityDefaultsEnforcementPolicy.isEnabled`; `None` when not exported.
    pub security_defaults: Option<bool>,
    /// Transitive members by group object id (lower case). A group absent from the map has no
    /// membership in the export: a policy that names it cannot be decided for anyone.
    pub groups: HashMap<String, Vec<Principal>>,
    /// Group display names by object id (lower case), from the memberships export: messages
    /// and the detail column name a group the way the admin knows it.
    pub group_names: HashMap<String, String>,
    /// Active directory role assignments.
    pub roles: Vec<RoleAssignment>,
    /// Per-user MFA state by lower-cased UPN and by lower-cased object id; `None` when not
    /// exported.
    pub per_user: Option<HashMap<String, PerUserState>>,
    /// The authentication methods policy, for SMS and voice; `None` when not exported.
    pub methods_policy: Option<MethodsPolicy>,
    /// Object id (lower case) to UPN, and back, from every file that pairs them (memberships,
    /// role assignments' expanded principals, per-user states).
    pub directory: Directory,
    /// What the reader noticed and the summary should say (a page read alone under
    /// `--allow-partial`, a policy given twice, an id paired with two UPNs); each names its file.
    pub notes: Vec<String>,
}

/// One file given to `--policies` and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFile {
    pub path: String,
    pub kind: PolicyFileKind,
    /// Objects or rows taken from it.
    pub items: u64,
}

/// What a `--policies` file was recognised as, by its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyFileKind {
    ConditionalAccess,
    SecurityDefaults,
    GroupMembers,
    RoleAssignments,
    PerUserMfa,
    MethodsPolicy,
    /// Not a policy export (the user export itself, a README): skipped, with the reason.
    Skipped(String),
}

/// A user, group or service principal as a membership or assignment names it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Principal {
    /// Object id, lower case.
    pub id: String,
    /// The UPN when the export carries one.
    pub upn: Option<String>,
    /// `#microsoft.graph.user`, `User`, ...: as written.
    pub kind: String,
}

/// id ⇄ UPN, both keys lower case.
#[derive(Debug, Default, Clone)]
pub struct Directory {
    pub upn_by_id: HashMap<String, String>,
    pub id_by_upn: HashMap<String, String>,
}

/// `enabled`, `disabled`, `enabledForReportingButNotEnforced`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyState {
    Enabled,
    ReportOnly,
    Disabled,
}

/// One Conditional Access policy.
#[derive(Debug, Clone, PartialEq)]
pub struct CaPolicy {
    pub id: String,
    pub display_name: String,
    pub state: PolicyState,
    pub users: UserScope,
    pub apps: AppScope,
    /// Conditions that make the policy apply to some sign-ins only.
    pub narrowing: Vec<Narrowing>,
    pub grant: Grant,
}

/// `conditions.users`. Ids lower case; the special values `All`, `None`,
/// `GuestsOrExternalUsers` kept as written in `include_users` / `exclude_users`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserScope {
    pub include_users: Vec<String>,
    pub exclude_users: Vec<String>,
    pub include_groups: Vec<String>,
    pub exclude_groups: Vec<String>,
    /// Role template ids.
    pub include_roles: Vec<String>,
    pub exclude_roles: Vec<String>,
    /// `includeGuestsOrExternalUsers.guestOrExternalUserTypes`, split on commas.
    pub include_guest_types: Vec<String>,
    pub exclude_guest_types: Vec<String>,
    /// `includeGuestsOrExternalUsers.externalTenants` names some tenants only (`membershipKind`
    /// `enumerated`, or a kind not known): the types then match only the guests whose home
    /// tenant is listed, which no user export says.
    pub include_guest_some_tenants: bool,
    pub exclude_guest_some_tenants: bool,
}

/// `conditions.applications`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppScope {
    /// `All`, `Office365`, `MicrosoftAdminPortals` or application ids.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// `urn:user:registersecurityinfo`, `urn:user:registerdevice`: not sign-ins.
    pub user_actions: Vec<String>,
    /// Authentication context class references (`c1`...): step-up, not sign-ins.
    pub auth_contexts: Vec<String>,
    /// An `applicationFilter` is set.
    pub filtered: bool,
}

/// A condition that limits the sign-ins a policy applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Narrowing {
    /// Included or excluded named locations (ids as written).
    Locations,
    /// Included or excluded device platforms other than `all`.
    Platforms,
    DeviceFilter,
    /// Client app types other than `all` (as written).
    ClientAppTypes(Vec<String>),
    UserRisk,
    SignInRisk,
    InsiderRisk,
    AuthenticationFlows,
}

/// `grantControls`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grant {
    /// `AND` (true) or `OR`.
    pub require_all: bool,
    /// `mfa`, `compliantDevice`, `domainJoinedDevice`, `approvedApplication`,
    /// `compliantApplication`, `passwordChange`, `block`: as written, lower case.
    pub built_in: Vec<String>,
    /// `authenticationStrength.displayName` when a strength is required.
    pub authentication_strength: Option<String>,
    pub custom_factors: Vec<String>,
    pub terms_of_use: Vec<String>,
}

/// An active directory role assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleAssignment {
    /// `roleDefinitionId`: the role template id for built-in roles, lower case.
    pub role_id: String,
    pub principal: Principal,
    /// `directoryScopeId`: only `/` counts for Conditional Access.
    pub scope: String,
}

/// `perUserMfaState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PerUserState {
    Disabled,
    Enabled,
    Enforced,
}

/// The parts of the authentication methods policy that matter for the end of SMS and voice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MethodsPolicy {
    /// `Sms` configuration `state` is `enabled`.
    pub sms_enabled: bool,
    /// `Voice` configuration `state` is `enabled`.
    pub voice_enabled: bool,
    /// `Email` configuration `state` is `enabled`; `None` when the export has no `Email`
    /// configuration (CISA SCuBA MS.AAD.3.5v1 then cannot be decided).
    pub email_enabled: Option<bool>,
    /// Group ids (lower case) or `all_users` the SMS / voice configurations include.
    pub sms_targets: Vec<String>,
    pub voice_targets: Vec<String>,
    /// Ids (lower case) the SMS / voice configurations exclude (`excludeTargets`): an
    /// exclusion wins over an inclusion, as in Conditional Access.
    pub sms_excluded: Vec<String>,
    pub voice_excluded: Vec<String>,
    /// The ids, among all the targets above, whose `targetType` is `user` (the others are
    /// groups): a user target is that user, never a group whose members are unknown.
    pub user_targets: Vec<String>,
    /// `policyMigrationState` is `migrationComplete`: only then are the legacy MFA and SSPR
    /// policies ignored, so that SMS or voice turned off here is off (Microsoft's
    /// entra-sms-voice-usage-analyzer README says the same); otherwise they may still allow it.
    pub migration_complete: bool,
}
