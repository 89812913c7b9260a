//! How `audit --policies` shows MFA enforcement in the summaries: coverage by source (the
//! verdicts, in the order of the rules), how the users were found in the policy exports, the
//! files read or skipped, and what the exports cannot decide. The human summary and the HTML
//! report show the same numbers as the JSON summary's `"enforcement"` and `"policies"`, and
//! the admins finding and step-up-only policies as its `"admins"` and `"step_up_only"`.

use std::fmt::Write as _;

use crate::audit::admins::{AdminsSummary, StepUpSummary};
use crate::audit::enforced::{ByVerdict, PolicySummary};
use crate::audit::enforcement::Enforcement;
use crate::numbers::thousands;
use crate::report::escape::html as esc;
use crate::terminal::text;

/// What no export can tell, said wherever the verdicts are shown (docs/enforcement.md).
pub const NOT_DECIDED_OFFLINE: &str = "not decided offline: sign-in IPs against named \
     locations, device compliance, risk at sign-in, application filters, PIM activations and \
     membership changes after the export, external MFA providers (docs/enforcement.md)";

/// The part of the human summary after the counts. Data (file names, reasons) is escaped for
/// the terminal.
pub fn human(counts: &ByVerdict, s: &PolicySummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nMFA enforcement ({} in the report):",
        crate::numbers::users(counts.total())
    );
    let width = Enforcement::ALL
        .iter()
        .map(|v| v.label().len())
        .max()
        .unwrap_or(0);
    for v in Enforcement::ALL {
        let _ = writeln!(
            out,
            "  {:<width$}  {:>7}",
            v.label(),
            thousands(counts.get(v))
        );
    }
    let _ = writeln!(
        out,
        "  users found in the policy exports: {} by object id, {} by UPN, {} not found",
        thousands(s.users_matched_by_id),
        thousands(s.users_matched_by_upn),
        thousands(s.users_not_found)
    );
    if counts.get(Enforcement::Undetermined) > 0 {
        let _ = writeln!(
            out,
            "  undetermined: the exports cannot tell (a group without membership rows, a \
             missing export, a guest type the user export cannot say; the Enforcement Detail \
             column names what is missing)"
        );
    }
    if s.undocumented_exclusions > 0 {
        let _ = writeln!(
            out,
            "  {} excluded from an MFA policy without an --exceptions entry (see the warnings)",
            crate::numbers::users(s.undocumented_exclusions)
        );
    }
    for f in &s.files {
        match &f.skipped {
            Some(why) => {
                let _ = writeln!(out, "  {}: skipped: {}", text(&f.path), text(why));
            }
            None => {
                let _ = writeln!(
                    out,
                    "  {}: {} ({})",
                    text(&f.path),
                    f.kind.replace('_', " "),
                    thousands(f.items)
                );
            }
        }
    }
    let _ = writeln!(out, "  {NOT_DECIDED_OFFLINE}");
    out
}

/// The HTML report's section.
pub fn html(counts: &ByVerdict, s: &PolicySummary) -> String {
    let mut h = String::from(
        "<section aria-labelledby=\"enforcement\"><h2 id=\"enforcement\">MFA enforcement</h2>\
         <dl class=\"counts\">",
    );
    for v in Enforcement::ALL {
        let _ = write!(
            h,
            "<div><dt>{}</dt><dd id=\"enforcement-{}\">{}</dd></div>",
            esc(v.label()),
            v.key(),
            thousands(counts.get(v))
        );
    }
    h.push_str("</dl>");
    let _ = write!(
        h,
        "<p>Users found in the policy exports: {} by object id, {} by UPN, {} not found. \
         Undocumented exclusions: {}.</p>",
        thousands(s.users_matched_by_id),
        thousands(s.users_matched_by_upn),
        thousands(s.users_not_found),
        thousands(s.undocumented_exclusions)
    );
    if s.users_not_found > 0 {
        h.push_str(
            "<p class=\"warn\"><strong>Warning:</strong> some users are in no policy export's \
             directory: policies that target them through a group or a role cannot apply to \
             them here.</p>",
        );
    }
    h.push_str("<ul>");
    for f in &s.files {
        let what = match &f.skipped {
            Some(why) => format!("skipped: {why}"),
            None => format!("{} ({})", f.kind.replace('_', " "), thousands(f.items)),
        };
        let _ = write!(h, "<li>{}: {}</li>", esc(&f.path), esc(&what));
    }
    let _ = write!(h, "</ul><p>{}.</p></section>", esc(NOT_DECIDED_OFFLINE));
    h
}

/// Admins named in the human summary at most; the JSON and the HTML report name them all.
const ADMINS_SHOWN: usize = 20;

/// The header of the admins finding, with the roles it counts.
const ADMINS_WHAT: &str = "Admins (a privileged directory role at /, directly or through a \
     group)";

/// Why step-up-only policies are apart, said the same way everywhere.
const STEP_UP_WHAT: &str = "protect registration/step-up, not sign-in";

/// The admins finding and the step-up-only policies, for the human summary.
pub fn human_findings(a: &AdminsSummary, step: &StepUpSummary) -> String {
    let mut out = String::new();
    if !a.roles_exported {
        let _ = writeln!(
            out,
            "\n{ADMINS_WHAT}: not told: no role assignment export among --policies \
             (docs/enforcement.md)"
        );
    } else {
        let _ = writeln!(out, "\n{ADMINS_WHAT}: {}", crate::numbers::users(a.admins));
        let lines = [
            (
                "not enforced by Conditional Access",
                a.not_conditional_access,
            ),
            (
                "without a phishing-resistant method",
                a.without_phishing_resistant,
            ),
            (
                "phishing-resistant method unknown (the export cannot tell)",
                a.phishing_resistant_unknown,
            ),
            (
                "may hold a privileged role (the exports cannot tell)",
                a.undetermined,
            ),
        ];
        for (what, n) in lines {
            let _ = writeln!(out, "  {what}: {}", thousands(n));
        }
        for e in a.users.iter().take(ADMINS_SHOWN) {
            let _ = writeln!(
                out,
                "  {}{}: {}; {}; phishing-resistant: {}{}",
                text(&e.upn),
                if e.undetermined { " (possibly)" } else { "" },
                text(&e.roles.join(", ")),
                e.enforcement,
                e.phishing_resistant,
                e.why
                    .as_deref()
                    .map(|w| format!(" ({})", text(w)))
                    .unwrap_or_default()
            );
        }
        if a.users.len() > ADMINS_SHOWN {
            let _ = writeln!(
                out,
                "  ... and {} more (see the JSON summary)",
                thousands((a.users.len() - ADMINS_SHOWN) as u64)
            );
        }
    }
    if !step.policies.is_empty() {
        let names: Vec<String> = step.policies.iter().map(|p| text(p).to_string()).collect();
        let _ = writeln!(
            out,
            "  MFA policies that {STEP_UP_WHAT}: {} ({} taken in): {}",
            thousands(step.policies.len() as u64),
            crate::numbers::users(step.users),
            names.join(", ")
        );
    }
    out
}

/// The HTML report's admins section.
pub fn html_findings(a: &AdminsSummary, step: &StepUpSummary) -> String {
    let mut h = format!(
        "<section aria-labelledby=\"admins\"><h2 id=\"admins\">{}</h2>",
        esc(ADMINS_WHAT)
    );
    if !a.roles_exported {
        h.push_str(
            "<p class=\"warn\"><strong>Warning:</strong> no role assignment export among \
             --policies: admins cannot be told.</p>",
        );
    } else {
        h.push_str("<dl class=\"counts\">");
        let counts = [
            ("admins", "Admins", a.admins),
            (
                "not-conditional-access",
                "Not enforced by Conditional Access",
                a.not_conditional_access,
            ),
            (
                "without-phishing-resistant",
                "Without a phishing-resistant method",
                a.without_phishing_resistant,
            ),
            (
                "phishing-resistant-unknown",
                "Phishing-resistant method unknown",
                a.phishing_resistant_unknown,
            ),
            ("undetermined", "May hold a privileged role", a.undetermined),
        ];
        for (key, label, n) in counts {
            let _ = write!(
                h,
                "<div><dt>{label}</dt><dd id=\"admins-{key}\">{}</dd></div>",
                thousands(n)
            );
        }
        h.push_str("</dl>");
        if !a.users.is_empty() {
            h.push_str(
                "<table><thead><tr><th scope=\"col\">User</th><th scope=\"col\">Roles</th>\
                 <th scope=\"col\">MFA Enforcement</th><th scope=\"col\">Phishing-resistant\
                 </th></tr></thead><tbody>",
            );
            for e in &a.users {
                let pr = match &e.why {
                    Some(w) => format!("{} ({w})", e.phishing_resistant),
                    None => e.phishing_resistant.to_owned(),
                };
                let _ = write!(
                    h,
                    "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&e.upn),
                    if e.undetermined { " (possibly)" } else { "" },
                    esc(&e.roles.join(", ")),
                    esc(e.enforcement),
                    esc(&pr)
                );
            }
            h.push_str("</tbody></table>");
        }
    }
    if !step.policies.is_empty() {
        let names: Vec<&str> = step.policies.iter().map(String::as_str).collect();
        let _ = write!(
            h,
            "<p id=\"step-up-only\">MFA policies that {STEP_UP_WHAT}: {} ({} taken in): {}.</p>",
            thousands(step.policies.len() as u64),
            esc(&crate::numbers::users(step.users)),
            esc(&names.join(", "))
        );
    }
    h.push_str("</section>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::enforced::FileNote;

    fn sample() -> (ByVerdict, PolicySummary) {
        let mut c = ByVerdict::default();
        c.add(Enforcement::ConditionalAccess);
        c.add(Enforcement::Undetermined);
        let s = PolicySummary {
            files: vec![
                FileNote {
                    path: "ca<1>.json".into(),
                    kind: "conditional_access",
                    items: 3,
                    skipped: None,
                },
                FileNote {
                    path: "users\u{1b}[31m.csv".into(),
                    kind: "skipped",
                    items: 0,
                    skipped: Some("a user export".into()),
                },
            ],
            users_matched_by_id: 1,
            users_matched_by_upn: 0,
            users_not_found: 1,
            undocumented_exclusions: 1,
        };
        (c, s)
    }

    #[test]
    fn human_lists_every_verdict_and_escapes_file_names() {
        let (c, s) = sample();
        let text = human(&c, &s);
        for v in Enforcement::ALL {
            assert!(text.contains(v.label()), "{}: {text}", v.label());
        }
        assert!(
            text.contains("1 by object id, 0 by UPN, 1 not found"),
            "{text}"
        );
        assert!(
            text.contains("undetermined: the exports cannot tell"),
            "{text}"
        );
        assert!(text.contains("skipped: a user export"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("not decided offline"), "{text}");
    }

    #[test]
    fn html_escapes_and_keys_every_verdict() {
        let (c, s) = sample();
        let h = html(&c, &s);
        for v in Enforcement::ALL {
            assert!(
                h.contains(&format!("id=\"enforcement-{}\"", v.key())),
                "{h}"
            );
        }
        assert!(h.contains("ca&lt;1&gt;.json"), "{h}");
        assert!(!h.contains("ca<1>"), "{h}");
        assert!(h.contains("class=\"warn\""), "{h}");
    }

    fn findings() -> (AdminsSummary, StepUpSummary) {
        let a = AdminsSummary {
            roles_exported: true,
            admins: 1,
            not_conditional_access: 1,
            without_phishing_resistant: 1,
            not_conditional_access_users: vec!["ad<m>@x".into()],
            without_phishing_resistant_users: vec!["ad<m>@x".into()],
            users: vec![crate::audit::admins::AdminEntry {
                upn: "ad<m>@x".into(),
                roles: vec!["Global Administrator"],
                undetermined: false,
                enforcement: "Report-only",
                phishing_resistant: "no",
                why: None,
            }],
            ..AdminsSummary::default()
        };
        let step = StepUpSummary {
            policies: ["Register\u{1b}[31m".to_owned()].into_iter().collect(),
            users: 3,
        };
        (a, step)
    }

    #[test]
    fn findings_name_admins_by_role_and_escape() {
        let (a, step) = findings();
        let t = human_findings(&a, &step);
        assert!(t.contains("not enforced by Conditional Access: 1"), "{t}");
        assert!(
            t.contains("Global Administrator; Report-only; phishing-resistant: no"),
            "{t}"
        );
        assert!(
            t.contains("protect registration/step-up, not sign-in: 1 (3 users"),
            "{t}"
        );
        assert!(!t.contains('\u{1b}'), "{t}");
        let h = html_findings(&a, &step);
        assert!(
            h.contains("id=\"admins-without-phishing-resistant\">1<"),
            "{h}"
        );
        assert!(h.contains("ad&lt;m&gt;@x"), "{h}");
        assert!(h.contains("id=\"step-up-only\""), "{h}");
        let none = AdminsSummary::default();
        assert!(human_findings(&none, &step).contains("no role assignment export"));
        assert!(html_findings(&none, &step).contains("class=\"warn\""));
    }
}
