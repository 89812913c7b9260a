//! Benchmark controls an auditor files (`audit --controls`, `--sarif`, the HTML "Controls"
//! section): each control of [`CONTROLS`] decided `pass`, `fail` or `not assessable` from what
//! the audit already computed per user (registration, per-user MFA state, the enforcement
//! verdict, the admins finding) and from the policy exports, never from a guess.
//!
//! The rule for every control: a user the files cannot tell about is never a pass. A control
//! that would pass but for such users is `not assessable` and lists them; one whose user
//! already fails is `fail`. A missing export makes the control `not assessable` and names the
//! export. Blocked users are out of scope (the reference scripts leave them out); users an
//! `--exceptions` entry covers are listed as excepted, with the reason, never hidden.
//!
//! `facts` turns one row into what the controls ask about; `judge` decides one user and the
//! tenant-wide conditions; `tally` counts, keeps the users to name, and gives the result.

mod facts;
mod judge;
mod tally;

pub use facts::{Place, Row};
pub use tally::{ControlOutcome, Controls, Named, Outcome, UserNote, NAMED_CAP};

/// A benchmark the controls come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Benchmark {
    Cis,
    Scuba,
}

impl Benchmark {
    pub const ALL: [Benchmark; 2] = [Benchmark::Cis, Benchmark::Scuba];

    pub fn name(self) -> &'static str {
        match self {
            Benchmark::Cis => "CIS Microsoft 365 Foundations Benchmark",
            Benchmark::Scuba => "CISA SCuBA Microsoft Entra ID baseline",
        }
    }

    /// The version whose ids have the titles of [`CONTROLS`]. CIS: v5.0.0 (the same ids and
    /// titles are in public control registries of v5.0.0 audit scripts, e.g. a registry
    /// listing 5.2.2.1 to 5.2.2.12 and 5.2.3.1 to 5.2.3.7; Maester's tests/cis cite "CIS
    /// Microsoft 365 Foundations Benchmark v5.0.0"). SCuBA: the policies are versioned one by
    /// one (`v1` in each id), from cisagov/ScubaGear PowerShell/ScubaGear/baselines/aad.md.
    pub fn version(self) -> &'static str {
        match self {
            Benchmark::Cis => "5.0.0",
            Benchmark::Scuba => "MS.AAD v1 (ScubaGear baselines/aad.md)",
        }
    }

    /// Where the benchmark is published (CIS needs a free registration to download).
    pub fn uri(self) -> &'static str {
        match self {
            Benchmark::Cis => "https://www.cisecurity.org/benchmark/microsoft_365",
            Benchmark::Scuba => {
                "https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md"
            }
        }
    }
}

/// The controls, one variant each: `judge` matches on it, so adding one without deciding
/// it does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ControlId {
    Cis5_2_3_4,
    Cis5_1_2_1,
    Cis5_2_2_1,
    Cis5_2_2_2,
    Cis5_2_2_5,
    ScubaAad3_1,
    ScubaAad3_2,
    ScubaAad3_5,
    ScubaAad3_6,
}

/// An export a control needs, named as docs/enforcement.md's export steps name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// Step 1 of docs/enforcement.md.
    ConditionalAccess,
    /// Step 4.
    RoleAssignments,
    /// Step 5, or an MSOnline export with a per-user state column.
    PerUserMfa,
    /// Step 6.
    MethodsPolicy,
}

impl Input {
    /// The key in `missing_inputs`.
    pub fn key(self) -> &'static str {
        match self {
            Input::ConditionalAccess => "conditional_access",
            Input::RoleAssignments => "role_assignments",
            Input::PerUserMfa => "per_user_mfa",
            Input::MethodsPolicy => "authentication_methods_policy",
        }
    }

    /// What to pass, and where the command is (never repeated here: it lives in one place).
    pub fn how(self) -> &'static str {
        match self {
            Input::ConditionalAccess => {
                "the Conditional Access policies in --policies (docs/enforcement.md, export step 1)"
            }
            Input::RoleAssignments => {
                "the directory role assignments in --policies (docs/enforcement.md, export step 4)"
            }
            Input::PerUserMfa => {
                "the per-user MFA states in --policies (docs/enforcement.md, export step 5), or \
                 an MSOnline export with its MFA Status column"
            }
            Input::MethodsPolicy => {
                "the authentication methods policy in --policies (docs/enforcement.md, export \
                 step 6)"
            }
        }
    }
}

/// One control as the benchmark publishes it.
#[derive(Debug, Clone, Copy)]
pub struct Control {
    pub id: ControlId,
    /// As the benchmark writes it: `5.2.3.4`, `MS.AAD.3.1v1`.
    pub code: &'static str,
    pub benchmark: Benchmark,
    /// The title exactly as published.
    pub title: &'static str,
    /// Where the control's text is, when it has a public address of its own.
    pub help_uri: &'static str,
}

const CIS_URI: &str = "https://www.cisecurity.org/benchmark/microsoft_365";

/// Every control, in the order the outputs list them. Titles: CIS as in the v5.0.0 control
/// registries quoted above; SCuBA as the policy statements of baselines/aad.md.
pub const CONTROLS: [Control; 9] = [
    Control {
        id: ControlId::Cis5_2_3_4,
        code: "5.2.3.4",
        benchmark: Benchmark::Cis,
        title: "Ensure all member users are 'MFA capable'",
        help_uri: CIS_URI,
    },
    Control {
        id: ControlId::Cis5_1_2_1,
        code: "5.1.2.1",
        benchmark: Benchmark::Cis,
        title: "Ensure 'Per-user MFA' is disabled",
        help_uri: CIS_URI,
    },
    Control {
        id: ControlId::Cis5_2_2_1,
        code: "5.2.2.1",
        benchmark: Benchmark::Cis,
        title: "Ensure multifactor authentication is enabled for all users in administrative roles",
        help_uri: CIS_URI,
    },
    Control {
        id: ControlId::Cis5_2_2_2,
        code: "5.2.2.2",
        benchmark: Benchmark::Cis,
        title: "Ensure multifactor authentication is enabled for all users",
        help_uri: CIS_URI,
    },
    Control {
        id: ControlId::Cis5_2_2_5,
        code: "5.2.2.5",
        benchmark: Benchmark::Cis,
        title: "Ensure 'Phishing-resistant MFA strength' is required for Administrators",
        help_uri: CIS_URI,
    },
    Control {
        id: ControlId::ScubaAad3_1,
        code: "MS.AAD.3.1v1",
        benchmark: Benchmark::Scuba,
        title: "Phishing-resistant MFA SHALL be enforced for all users.",
        help_uri: concat!(
            "https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md",
            "#msaad31v1"
        ),
    },
    Control {
        id: ControlId::ScubaAad3_2,
        code: "MS.AAD.3.2v1",
        benchmark: Benchmark::Scuba,
        title: "If phishing-resistant MFA has not been enforced, an alternative MFA method SHALL \
                be enforced for all users.",
        help_uri: concat!(
            "https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md",
            "#msaad32v1"
        ),
    },
    Control {
        id: ControlId::ScubaAad3_5,
        code: "MS.AAD.3.5v1",
        benchmark: Benchmark::Scuba,
        title: "The authentication methods SMS, Voice Call, and Email One-Time Passcode (OTP) \
                SHALL be disabled.",
        help_uri: concat!(
            "https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md",
            "#msaad35v1"
        ),
    },
    Control {
        id: ControlId::ScubaAad3_6,
        code: "MS.AAD.3.6v1",
        benchmark: Benchmark::Scuba,
        title: "Phishing-resistant MFA SHALL be required for highly privileged roles.",
        help_uri: concat!(
            "https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md",
            "#msaad36v1"
        ),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_names_its_benchmark_and_a_public_page() {
        let mut codes: Vec<&str> = CONTROLS.iter().map(|c| c.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), 9);
        for c in CONTROLS {
            assert!(c.help_uri.starts_with(c.benchmark.uri()), "{}", c.code);
            let scuba = c.code.starts_with("MS.AAD.");
            assert_eq!(scuba, c.benchmark == Benchmark::Scuba, "{}", c.code);
            if scuba {
                let anchor = c.code.to_lowercase().replace('.', "");
                assert!(
                    c.help_uri.ends_with(&format!("#{anchor}")),
                    "{}",
                    c.help_uri
                );
            }
        }
    }
}
