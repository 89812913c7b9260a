//! Properties over generated exports: whatever the quoting, delimiter, encoding, boolean words,
//! method spellings and row order, the verdicts are those a simple model predicts, every row
//! is accounted for, and our own report read back gives the same verdicts.

use proptest::prelude::*;

use mfa_audit::audit::classify::{classify, Bucket};
use mfa_audit::audit::exceptions::Exception;
use mfa_audit::audit::run::{self, EngineOptions, Sink};
use mfa_audit::read::{open_bytes, InputSpec, Location, ReadOptions};
use mfa_audit::warnings::Warnings;

use super::Dir;

/// One user as the model sees it.
#[derive(Debug, Clone)]
struct User {
    upn: String,
    name: String,
    blocked: Option<bool>,
    methods: Vec<&'static str>,
    state: Option<&'static str>,
}

impl User {
    fn bucket(&self) -> Bucket {
        match self.blocked {
            None => Bucket::Unknown,
            Some(true) => Bucket::Blocked,
            Some(false) if self.methods.is_empty() => Bucket::Unregistered,
            Some(false) => Bucket::Registered,
        }
    }
}

/// How the export is written.
#[derive(Debug, Clone)]
struct Shape {
    delimiter: char,
    quote_all: bool,
    crlf: bool,
    /// 0: UTF-8, 1: UTF-8 with BOM, 2: UTF-16LE with BOM, 3: windows-1252
    encoding: u8,
    /// (true, false) words
    words: (&'static str, &'static str),
    /// 0: "a,b" 1: "a;b" 2: "a|b" 3: JSON array 4: {a, b}
    list: u8,
    type_line: bool,
    headers: [&'static str; 5],
}

const METHODS: [&str; 6] = [
    "PhoneAppOTP",
    "PhoneAppNotification",
    "OneWaySMS",
    "TwoWayVoiceMobile",
    "fido2",
    "microsoftAuthenticatorPush",
];
const NAMES: [&str; 5] = [
    "Ann Lee",
    "Åsa Lindström",
    "Zoë Dupré",
    "Bob \"BJ\" Jones",
    "O'Brien, Pat",
];
const WORDS: [(&str, &str); 6] = [
    ("True", "False"),
    ("TRUE", "FALSE"),
    ("SANT", "FALSKT"),
    ("WAAR", "ONWAAR"),
    ("VRAI", "FAUX"),
    ("1", "0"),
];
const HEADER_SETS: [[&str; 5]; 3] = [
    [
        "UserPrincipalName",
        "DisplayName",
        "BlockCredential",
        "StrongAuthenticationMethods",
        "StrongAuthenticationRequirements",
    ],
    [
        "User Principal Name",
        "Display Name",
        "Block Credential",
        "MFA Methods",
        "MFA Status",
    ],
    [
        "UPN",
        "userDisplayName",
        "Blocked",
        "StrongAuthenticationMethods.MethodType",
        "StrongAuthenticationRequirements.State",
    ],
];

fn user() -> impl Strategy<Value = User> {
    (
        0u32..40,
        0usize..NAMES.len(),
        prop_oneof![
            Just(None),
            Just(Some(true)),
            Just(Some(false)),
            Just(Some(false))
        ],
        proptest::sample::subsequence(METHODS.to_vec(), 0..4),
        prop_oneof![Just(None), Just(Some("Enabled")), Just(Some("Enforced"))],
    )
        .prop_map(|(n, name, blocked, methods, state)| User {
            upn: format!("user{n}@contoso.com"),
            name: NAMES[name].to_owned(),
            blocked,
            methods,
            state,
        })
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        prop_oneof![Just(','), Just(';'), Just('\t')],
        any::<bool>(),
        any::<bool>(),
        0u8..4,
        0usize..WORDS.len(),
        0u8..5,
        any::<bool>(),
        0usize..HEADER_SETS.len(),
    )
        .prop_map(
            |(delimiter, quote_all, crlf, encoding, words, list, type_line, h)| Shape {
                delimiter,
                quote_all,
                crlf,
                encoding,
                words: WORDS[words],
                list,
                type_line,
                headers: HEADER_SETS[h],
            },
        )
}

/// Writes the export the way `shape` says.
fn export(users: &[User], s: &Shape) -> Vec<u8> {
    let field = |text: &str| {
        let needs = text.contains([s.delimiter, '"', '\n', '\r']) || text.is_empty() && s.quote_all;
        if s.quote_all || needs {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    };
    let methods = |m: &[&str]| match (s.list, m.len()) {
        (_, 0) => String::new(),
        (0, _) => m.join(","),
        (1, _) if s.delimiter != ';' => m.join(";"),
        (1, _) => m.join(","),
        (2, _) => m.join("|"),
        (3, _) => serde_json::to_string(m).unwrap(),
        _ => format!("{{{}}}", m.join(", ")),
    };
    let eol = if s.crlf { "\r\n" } else { "\n" };
    let sep = s.delimiter.to_string();
    let mut text = String::new();
    if s.type_line {
        text.push_str("#TYPE Selected.Microsoft.Online.Administration.User");
        text.push_str(eol);
    }
    text.push_str(
        &s.headers
            .iter()
            .map(|h| field(h))
            .collect::<Vec<_>>()
            .join(&sep),
    );
    text.push_str(eol);
    for u in users {
        let blocked = match u.blocked {
            None => String::new(),
            Some(true) => s.words.0.to_owned(),
            Some(false) => s.words.1.to_owned(),
        };
        let cells = [
            field(&u.upn),
            field(&u.name),
            field(&blocked),
            field(&methods(&u.methods)),
            field(u.state.unwrap_or("")),
        ];
        text.push_str(&cells.join(&sep));
        text.push_str(eol);
    }
    match s.encoding {
        0 => text.into_bytes(),
        1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        2 => {
            let mut v = vec![0xFF, 0xFE];
            v.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            v
        }
        _ => encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(),
    }
}

/// Buckets of the distinct users of a run, by UPN.
#[derive(Default)]
struct Verdicts(Vec<(String, Bucket)>);

impl Sink for Verdicts {
    fn accept(
        &mut self,
        v: &mfa_audit::audit::classify::Verdict,
        _at: Location<'_>,
        _e: Option<&Exception>,
    ) -> anyhow::Result<()> {
        self.0.push((v.upn.to_owned(), v.bucket));
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Every row's verdict is the model's, whatever the shape of the file.
    #[test]
    fn verdicts_follow_the_model_in_every_shape(users in proptest::collection::vec(user(), 0..30), shape in shape()) {
        let bytes = export(&users, &shape);
        let mut source = open_bytes("gen.csv", bytes, &ReadOptions::default()).unwrap();
        let polarity = source.schema().polarity;
        let mut warnings = Warnings::new(false);
        let mut got = Vec::new();
        while let Some(at) = source.next_row(&mut warnings).unwrap() {
            let v = classify(&at.row, polarity).unwrap();
            got.push((v.upn.to_owned(), v.bucket, v.display_name.unwrap_or("").to_owned()));
        }
        let want: Vec<(String, Bucket, String)> = users
            .iter()
            .map(|u| {
                // windows-1252 has no character missing here, so names survive every encoding.
                (u.upn.clone(), u.bucket(), u.name.clone())
            })
            .collect();
        prop_assert_eq!(got, want, "{:?}", shape);
    }

    /// Every row counts once: repeats of a UPN (in any letter case) are duplicates, the first
    /// row's verdict stands, and the buckets add up to the rows.
    #[test]
    fn every_row_is_accounted_for(users in proptest::collection::vec(user(), 0..40), upper in any::<bool>()) {
        let d = Dir::new();
        let mut users = users;
        if upper {
            for u in users.iter_mut().skip(1).step_by(3) {
                u.upn = u.upn.to_uppercase();
            }
        }
        let shape = Shape { delimiter: ',', quote_all: true, crlf: true, encoding: 1, words: WORDS[0], list: 0, type_line: true, headers: HEADER_SETS[0] };
        d.write("gen.csv", export(&users, &shape));
        let spec = InputSpec::from_arg(&d.path("gen.csv").to_string_lossy());
        let mut verdicts = Verdicts::default();
        let outcome = run::run(&[spec], &EngineOptions::default(), &mut verdicts);
        // A blocked column without one readable cell is refused, not a file of unknowns.
        if !users.is_empty() && users.iter().all(|u| u.blocked.is_none()) {
            prop_assert!(outcome.unwrap_err().to_string().contains("holds no value"));
            return Ok(());
        }
        let outcome = outcome.unwrap();
        let t = &outcome.tally;
        prop_assert_eq!(t.users, users.len() as u64);
        prop_assert_eq!(t.users, t.registered + t.unregistered + t.blocked + t.unknown + t.duplicates);
        let mut first: Vec<(String, Bucket)> = Vec::new();
        for u in &users {
            if !first.iter().any(|(k, _)| k.eq_ignore_ascii_case(&u.upn)) {
                first.push((u.upn.clone(), u.bucket()));
            }
        }
        prop_assert_eq!(verdicts.0, first);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Our MFA_Report.csv (with the blocked column, everyone kept) read back gives the same
    /// verdicts, through the real binary.
    #[test]
    fn our_report_read_back_gives_the_same_verdicts(users in proptest::collection::vec(user(), 1..25), shape in shape()) {
        let d = Dir::new();
        d.write("gen.csv", export(&users, &shape));
        // A blocked column without one readable cell is refused, not a file of unknowns.
        if users.iter().all(|u| u.blocked.is_none()) {
            d.cmd().args(["audit", "gen.csv", "-q"]).assert().code(2)
                .stderr(predicates::str::contains("holds no value"));
            return Ok(());
        }
        let run = |input: &str, out: &str, json: &str| {
            d.cmd()
                .args(["audit", input, "-o", out, "--json", json, "-q", "--include-blocked",
                       "--columns", "upn,status,methods,blocked"])
                .assert()
                .success();
            let j: serde_json::Value = serde_json::from_str(&d.read(json)).unwrap();
            ["registered", "unregistered", "blocked", "unknown", "duplicates"]
                .map(|k| j[k].as_u64().unwrap())
        };
        let first = run("gen.csv", "r1.csv", "j1.json");
        let again = run("r1.csv", "r2.csv", "j2.json");
        // Duplicates were dropped the first time: they are not in the report.
        prop_assert_eq!(&first[..4], &again[..4]);
        prop_assert_eq!(again[4], 0);
        prop_assert_eq!(d.read("r1.csv"), d.read("r2.csv"));
    }
}

// Community scripts' files. Each writer below follows what the script's own source writes
// (docs/input-formats.md, "Files written by community scripts"); the model says what each
// column means there, not what the reader happens to do.

/// A community script whose file admins bring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    /// CIPP's MFA Report page exported as CSV: UTF-8 with BOM, every field quoted, CRLF,
    /// booleans as `Yes`/`No`, nulls as `No data`, `Tenant` first for all tenants.
    Cipp { tenant: bool },
    /// AdminDroid's registered authentication methods report: `Signin Enabled` `True`/`False`
    /// (true = can sign in, empty when the lookup failed), methods joined by `,`.
    AdminDroidMethods,
    /// LazyAdmin MFAStatus.ps1 piped to Export-Csv (maybe without -NoTypeInformation):
    /// `MFA Enabled` True/False and one column per method holding `True` or `-`.
    LazyAdminMsol { type_line: bool },
}

/// Graph's methodsRegistered names, and whether each is a second factor (email, security
/// questions and a Temporary Access Pass are not: classification.md).
const GRAPH_METHODS: [(&str, bool); 8] = [
    ("mobilePhone", true),
    ("microsoftAuthenticatorPush", true),
    ("softwareOneTimePasscode", true),
    ("fido2SecurityKey", true),
    ("windowsHelloForBusiness", true),
    ("email", false),
    ("securityQuestion", false),
    ("temporaryAccessPass", false),
];
/// LazyAdmin's one-column-per-method headers, each a second factor.
const LAZY_COLUMNS: [&str; 4] = [
    "SMS token",
    "Phone call verification",
    "Hardware token or authenticator app",
    "Authenticator app",
];
/// What scripts write in a method list that holds nothing.
const PLACEHOLDERS: [&str; 5] = ["", "-", "None", "No data", "N/A"];
/// What a per-method column holds for a method the user has not.
const ABSENT: [&str; 3] = ["-", "False", ""];

/// One user as a community script sees it.
#[derive(Debug, Clone)]
struct Person {
    upn: String,
    blocked: Option<bool>,
    methods: Vec<(&'static str, bool)>,
    lazy: Vec<bool>,
    placeholder: &'static str,
    absent: &'static str,
    /// CIPP's `MFARegistration` is `No data` (registration report unavailable).
    flag_unreadable: bool,
    /// CIPP's `MFARegistration` says the opposite of the method list (Graph's isMfaRegistered
    /// counts only methods the policy allows): the flag decides.
    flag_flipped: bool,
}

impl Person {
    fn has_mfa(&self, script: Script) -> bool {
        match script {
            Script::LazyAdminMsol { .. } => self.lazy.iter().any(|&m| m),
            _ => self.methods.iter().any(|&(_, mfa)| mfa),
        }
    }

    fn bucket(&self, script: Script) -> Bucket {
        // LazyAdmin's file has no sign-in column: everyone is taken as not blocked.
        let blocked = match script {
            Script::LazyAdminMsol { .. } => Some(false),
            _ => self.blocked,
        };
        let mfa = self.has_mfa(script);
        match blocked {
            // Neither PowerShell filter matches an unreadable sign-in state.
            None => Bucket::Unknown,
            // Blocked users are out of both lists whatever they registered.
            Some(true) => Bucket::Blocked,
            // CIPP's `No data` flag cannot say; a second factor the row names is a fact.
            Some(false)
                if self.flag_unreadable && matches!(script, Script::Cipp { .. }) && !mfa =>
            {
                Bucket::Unknown
            }
            // A readable flag decides, whatever the list says.
            Some(false) if matches!(script, Script::Cipp { .. }) && !self.flag_unreadable => {
                if mfa != self.flag_flipped {
                    Bucket::Registered
                } else {
                    Bucket::Unregistered
                }
            }
            Some(false) if mfa => Bucket::Registered,
            Some(false) => Bucket::Unregistered,
        }
    }
}

fn script() -> impl Strategy<Value = Script> {
    prop_oneof![
        any::<bool>().prop_map(|tenant| Script::Cipp { tenant }),
        Just(Script::AdminDroidMethods),
        any::<bool>().prop_map(|type_line| Script::LazyAdminMsol { type_line }),
    ]
}

fn person() -> impl Strategy<Value = Person> {
    (
        0u32..30,
        prop_oneof![
            Just(None),
            Just(Some(true)),
            Just(Some(false)),
            Just(Some(false))
        ],
        proptest::sample::subsequence(GRAPH_METHODS.to_vec(), 0..4),
        proptest::collection::vec(any::<bool>(), 4),
        proptest::sample::select(PLACEHOLDERS.to_vec()),
        proptest::sample::select(ABSENT.to_vec()),
        proptest::bool::weighted(0.2),
        proptest::bool::weighted(0.2),
    )
        .prop_map(
            |(n, blocked, methods, lazy, placeholder, absent, flag_unreadable, flag_flipped)| {
                Person {
                    upn: format!("person{n}@fabrikam.example"),
                    blocked,
                    methods,
                    lazy,
                    placeholder,
                    absent,
                    flag_unreadable,
                    flag_flipped,
                }
            },
        )
}

/// Every field quoted, as Export-Csv and export-to-csv write them.
fn quoted(cells: &[&str]) -> String {
    let q: Vec<String> = cells
        .iter()
        .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
        .collect();
    q.join(",") + "\r\n"
}

/// The file `script` writes for `people`.
fn community_export(people: &[Person], script: Script) -> Vec<u8> {
    let mut text = String::new();
    match script {
        Script::Cipp { tenant } => {
            let headers = [
                "Tenant",
                "UPN",
                "AccountEnabled",
                "PerUser",
                "isLicensed",
                "MFARegistration",
                "MFAMethods",
                "CoveredByCA",
                "CAPolicies",
                "CoveredBySD",
                "IsAdmin",
                "UserType",
                "CacheTimestamp",
            ];
            let skip = usize::from(!tenant);
            text.push_str(&quoted(&headers[skip..]));
            for (i, p) in people.iter().enumerate() {
                let methods = if p.methods.is_empty() {
                    p.placeholder.to_owned()
                } else {
                    p.methods.iter().map(|m| m.0).collect::<Vec<_>>().join(", ")
                };
                let registration = match (p.flag_unreadable, p.has_mfa(script) != p.flag_flipped) {
                    (true, _) => "No data",
                    (false, true) => "Yes",
                    (false, false) => "No",
                };
                let cells = [
                    "fabrikam.onmicrosoft.com",
                    &p.upn,
                    match p.blocked {
                        None => "No data",
                        Some(true) => "No",
                        Some(false) => "Yes",
                    },
                    ["disabled", "enabled", "enforced", "No data"][i % 4],
                    "Yes",
                    registration,
                    &methods,
                    "Enforced - All Apps",
                    r#"{"DisplayName":"Require MFA","UserIncluded":"Yes","AllApps":"Yes","PolicyState":"enabled"}"#,
                    "No",
                    "No",
                    "Member",
                    "2026-03-16T10:00:00.0000000Z",
                ];
                text.push_str(&quoted(&cells[skip..]));
            }
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
        }
        Script::AdminDroidMethods => {
            text.push_str(&quoted(&[
                "User Name",
                "UPN",
                "Registered Auth Methods",
                "Default Auth Method",
                "System Preferred MFA Status",
                "System Preferred MFA Method",
                "Department",
                "Job Title",
                "License Status",
                "Signin Enabled",
                "Is Admin",
            ]));
            for (i, p) in people.iter().enumerate() {
                let methods = if p.methods.is_empty() {
                    p.placeholder.to_owned()
                } else {
                    p.methods.iter().map(|m| m.0).collect::<Vec<_>>().join(",")
                };
                let name = format!("Person {i}");
                text.push_str(&quoted(&[
                    &name,
                    &p.upn,
                    &methods,
                    if i % 2 == 0 { "-" } else { "push" },
                    if i % 3 == 0 { "Enabled" } else { "Disabled" },
                    if i % 3 == 0 { "push" } else { "" },
                    "Sales",
                    "",
                    "Licensed",
                    match p.blocked {
                        None => "",
                        Some(true) => "False",
                        Some(false) => "True",
                    },
                    "False",
                ]));
            }
            text.into_bytes()
        }
        Script::LazyAdminMsol { type_line } => {
            if type_line {
                text.push_str("#TYPE Selected.System.Management.Automation.PSCustomObject\r\n");
            }
            let mut headers = vec![
                "DisplayName",
                "UserPrincipalName",
                "isAdmin",
                "MFA Enabled",
                "MFA Type",
            ];
            headers.extend(LAZY_COLUMNS);
            headers.extend([
                "Email Verification",
                "Registered phone",
                "Alternative phone",
                "MFAEnforced",
            ]);
            text.push_str(&quoted(&headers));
            for (i, p) in people.iter().enumerate() {
                let name = format!("Person {i}");
                let mfa_type = LAZY_COLUMNS
                    .iter()
                    .zip(&p.lazy)
                    .find(|(_, &has)| has)
                    .map_or("", |(c, _)| *c);
                let email = format!("person{i}@example.net");
                let mut cells: Vec<&str> = vec![
                    &name,
                    &p.upn,
                    "-",
                    if p.has_mfa(script) { "True" } else { "False" },
                    mfa_type,
                ];
                cells.extend(
                    p.lazy
                        .iter()
                        .map(|&has| if has { "True" } else { p.absent }),
                );
                cells.extend([
                    // The verification email is SSPR, not a second factor.
                    if i % 2 == 0 { email.as_str() } else { "-" },
                    if p.has_mfa(script) {
                        "+1 4255550100"
                    } else {
                        "-"
                    },
                    "-",
                    if i % 3 == 0 { "True" } else { "-" },
                ]);
                text.push_str(&quoted(&cells));
            }
            text.into_bytes()
        }
    }
}

/// The recognised shape each script's file must be read as.
fn shape_of(script: Script) -> mfa_audit::read::shape::Shape {
    use mfa_audit::read::shape::Shape as S;
    match script {
        Script::Cipp { .. } => S::Cipp,
        Script::AdminDroidMethods => S::AdminDroidRegisteredMethods,
        Script::LazyAdminMsol { .. } => S::LazyAdminMsol,
    }
}

/// Whether a column the verdict depends on holds not one readable cell, which is refused.
fn refused(people: &[Person], script: Script) -> bool {
    match script {
        Script::Cipp { .. } => {
            people.iter().all(|p| p.blocked.is_none()) || people.iter().all(|p| p.flag_unreadable)
        }
        Script::AdminDroidMethods => people.iter().all(|p| p.blocked.is_none()),
        Script::LazyAdminMsol { .. } => false,
    }
}

/// The first row's verdict for each distinct UPN (any letter case), in file order.
fn first_verdicts<'a>(rows: impl IntoIterator<Item = (&'a str, Bucket)>) -> Vec<(String, Bucket)> {
    let mut first: Vec<(String, Bucket)> = Vec::new();
    for (upn, bucket) in rows {
        if !first.iter().any(|(k, _)| k.eq_ignore_ascii_case(upn)) {
            first.push((upn.to_owned(), bucket));
        }
    }
    first
}

/// Audits the files in `d` as separate inputs, through the engine.
fn audit_files(d: &Dir, names: &[&str]) -> anyhow::Result<(run::Outcome, Verdicts)> {
    let specs: Vec<InputSpec> = names
        .iter()
        .map(|n| InputSpec::from_arg(&d.path(n).to_string_lossy()))
        .collect();
    let mut verdicts = Verdicts::default();
    let outcome = run::run(&specs, &EngineOptions::default(), &mut verdicts)?;
    Ok((outcome, verdicts))
}

/// The counts two runs must agree on.
fn counts(o: &run::Outcome) -> [u64; 6] {
    let t = &o.tally;
    [
        t.users,
        t.registered,
        t.unregistered,
        t.blocked,
        t.unknown,
        t.duplicates,
    ]
}

/// (TRUE, FALSE) words spreadsheet programs write, as in src/read/boolean_words.rs, several of
/// them with the TRUE word inside the FALSE word.
const LOCALE_WORDS: [(&str, &str); 14] = [
    ("WAAR", "ONWAAR"),
    ("SANN", "USANN"),
    ("SANT", "USANT"),
    ("SANT", "FALSKT"),
    ("WIER", "NET WIER"),
    ("WAHR", "FALSCH"),
    ("VRAI", "FAUX"),
    ("VERDADERO", "FALSO"),
    ("ИСТИНА", "ЛОЖЬ"),
    ("TOSI", "EPÄTOSI"),
    ("DOĞRU", "YANLIŞ"),
    ("PRAWDA", "FAŁSZ"),
    ("참", "거짓"),
    ("ΣΩΣΤΌ", "ΛΆΘΟΣ"),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A community script's file gives the verdicts its columns mean, and no placeholder or
    /// non-MFA name ever makes a user registered.
    #[test]
    fn community_files_follow_the_model(people in proptest::collection::vec(person(), 1..25), script in script()) {
        let d = Dir::new();
        d.write("mfa.csv", community_export(&people, script));
        let result = audit_files(&d, &["mfa.csv"]);
        if refused(&people, script) {
            let e = result.err().map(|e| format!("{e:#}")).unwrap_or_default();
            prop_assert!(e.contains("holds no value"), "{}", e);
            return Ok(());
        }
        let (outcome, verdicts) = result.unwrap();
        prop_assert_eq!(outcome.inputs[0].shape, Some(shape_of(script)));
        let want = first_verdicts(people.iter().map(|p| (p.upn.as_str(), p.bucket(script))));
        prop_assert_eq!(verdicts.0, want);
        let t = &outcome.tally;
        prop_assert_eq!(t.users, people.len() as u64);
        prop_assert_eq!(t.users, t.registered + t.unregistered + t.blocked + t.unknown + t.duplicates);
        // Every name written is one the vocabulary knows, so none registers a user by itself.
        prop_assert_eq!(t.population.registered_by_unrecognised_names, 0);
        // A flipped, readable CIPP flag is a contradiction for each distinct user who can
        // sign in (the list then holds an MFA method beside No, or none beside Yes).
        if matches!(script, Script::Cipp { .. }) {
            let mut seen: Vec<String> = Vec::new();
            let mut want = 0u64;
            for p in &people {
                let key = p.upn.to_ascii_lowercase();
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                let counted = matches!(p.bucket(script), Bucket::Registered | Bucket::Unregistered);
                want += u64::from(counted && p.flag_flipped && !p.flag_unreadable);
            }
            let got = t.population.flag_contradicts_methods.as_ref().map_or(0, |c| c.total());
            prop_assert_eq!(got, want);
        }
    }

    /// BlockCredential in a spreadsheet's locale words gives the verdicts True/False give.
    #[test]
    fn locale_booleans_give_the_verdicts_of_true_and_false(
        users in proptest::collection::vec(user(), 0..25),
        shape in shape(),
        pair in proptest::sample::select(LOCALE_WORDS.to_vec()),
        case in 0u8..3,
    ) {
        let recase = |w: &str| match case {
            0 => w.to_owned(),
            1 => w.to_lowercase(),
            _ => {
                let lower = w.to_lowercase();
                let mut c = lower.chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
            }
        };
        let verdicts = |words: (&'static str, &'static str)| {
            // windows-1252 cannot hold most of these words: the spreadsheet saves Unicode.
            let s = Shape { words, encoding: shape.encoding % 3, ..shape.clone() };
            let mut source = open_bytes("gen.csv", export(&users, &s), &ReadOptions::default()).unwrap();
            let polarity = source.schema().polarity;
            let mut warnings = Warnings::new(false);
            let mut got = Vec::new();
            while let Some(at) = source.next_row(&mut warnings).unwrap() {
                let v = classify(&at.row, polarity).unwrap();
                got.push((v.upn.to_owned(), v.bucket));
            }
            got
        };
        let t = recase(pair.0);
        let f = recase(pair.1);
        let words: (&'static str, &'static str) = (Box::leak(t.into_boxed_str()), Box::leak(f.into_boxed_str()));
        prop_assert_eq!(verdicts(words), verdicts(("True", "False")), "{:?}", words);
    }
}

/// One export as bytes, from either kind of writer.
#[derive(Debug, Clone)]
enum Export {
    Microsoft(Vec<User>, Shape),
    Community(Vec<Person>, Script),
}

impl Export {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Export::Microsoft(users, shape) => export(users, shape),
            Export::Community(people, script) => community_export(people, *script),
        }
    }

    /// The same tool run again on other users: same shape, its own header (and BOM).
    fn again(&self, other: &Self, bom: bool) -> Self {
        match (self, other) {
            (Export::Microsoft(_, shape), Export::Microsoft(users, _)) => {
                let mut s = shape.clone();
                if s.encoding < 2 {
                    s.encoding = u8::from(bom);
                }
                Export::Microsoft(users.clone(), s)
            }
            (Export::Community(_, script), Export::Community(people, _)) => {
                Export::Community(people.clone(), *script)
            }
            _ => other.clone(),
        }
    }

    /// Makes sure a column the verdict depends on has a readable cell, so neither part alone
    /// is refused (refusals have a property of their own).
    fn readable(mut self) -> Self {
        match &mut self {
            Export::Microsoft(users, _) => {
                if let Some(u) = users.first_mut() {
                    u.blocked.get_or_insert(false);
                }
            }
            Export::Community(people, _) => {
                if let Some(p) = people.first_mut() {
                    p.blocked.get_or_insert(false);
                    p.flag_unreadable = false;
                }
            }
        }
        self
    }
}

fn two_exports() -> impl Strategy<Value = (Export, Export)> {
    let microsoft = (
        proptest::collection::vec(user(), 1..15),
        proptest::collection::vec(user(), 1..15),
        shape(),
    )
        .prop_map(|(a, b, s)| (Export::Microsoft(a, s.clone()), Export::Microsoft(b, s)));
    let community = (
        proptest::collection::vec(person(), 1..15),
        proptest::collection::vec(person(), 1..15),
        script(),
    )
        .prop_map(|(a, b, s)| (Export::Community(a, s), Export::Community(b, s)));
    prop_oneof![microsoft, community]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// `cat a.csv b.csv > both.csv` (the second file's header, #TYPE line and BOM included)
    /// counts what `audit a.csv b.csv` counts.
    #[test]
    fn two_exports_joined_count_as_two_inputs((a, b) in two_exports(), bom in any::<bool>()) {
        let a = a.readable();
        let b = a.again(&b.readable(), bom);
        let d = Dir::new();
        d.write("a.csv", a.bytes());
        d.write("b.csv", b.bytes());
        d.write("both.csv", [a.bytes(), b.bytes()].concat());
        let (two, _) = audit_files(&d, &["a.csv", "b.csv"]).unwrap();
        let joined = audit_files(&d, &["both.csv"]);
        let (one, _) = joined.unwrap();
        prop_assert_eq!(counts(&one), counts(&two), "{:?} {:?}", a, b);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// CIS 5.2.3.4 counts what the model predicts: blocked users out of scope, users with no
    /// method failing, users whose sign-in state cannot be read and who have no method
    /// unknown; it passes only with nobody failing or unknown.
    #[test]
    fn the_mfa_capable_control_follows_the_model(users in proptest::collection::vec(user(), 1..40)) {
        let d = Dir::new();
        let shape = Shape { delimiter: ',', quote_all: true, crlf: true, encoding: 1, words: WORDS[0], list: 0, type_line: true, headers: HEADER_SETS[0] };
        d.write("gen.csv", export(&users, &shape));
        let spec = InputSpec::from_arg(&d.path("gen.csv").to_string_lossy());
        let options = EngineOptions { controls: true, ..EngineOptions::default() };
        let Ok(outcome) = run::run(&[spec], &options, &mut Verdicts::default()) else {
            // Refused (a blocked column with no readable cell): no controls to check.
            prop_assert!(users.iter().all(|u| u.blocked.is_none()));
            return Ok(());
        };
        let mut first: Vec<&User> = Vec::new();
        for u in &users {
            if !first.iter().any(|f| f.upn.eq_ignore_ascii_case(&u.upn)) {
                first.push(u);
            }
        }
        let count = |f: &dyn Fn(&User) -> bool| first.iter().filter(|u| f(u)).count() as u64;
        let in_scope = count(&|u| u.blocked != Some(true));
        let failing = count(&|u| u.blocked == Some(false) && u.methods.is_empty());
        let unknown = count(&|u| u.blocked.is_none() && u.methods.is_empty());
        let controls = outcome.controls.unwrap();
        let c = &controls[0];
        prop_assert_eq!(c.control.code, "5.2.3.4");
        prop_assert_eq!((c.in_scope, c.failing, c.unknown), (in_scope, failing, unknown));
        let pass = c.result == mfa_audit::audit::controls::Outcome::Pass;
        prop_assert_eq!(pass, failing == 0 && unknown == 0 && in_scope > 0);
    }
}

/// How a workbook cell holds a user's value, as rust_xlsxwriter (a port of XlsxWriter) writes
/// it: typed, or a formula saved with its default result, 0, whatever the formula computes.
#[derive(Debug, Clone, Copy)]
enum Written {
    Typed,
    /// `=IF(...,"False","True")`: text, so 0 is not its value.
    TextFormula,
    /// `=G2>0`: a truth value, which Excel saves as a boolean, never as 0.
    TruthFormula,
    /// `=G2`: may be a number. Its 0 is read as saved (False) only when the workbook does
    /// not ask to be calculated when opened.
    Reference,
}

/// One row of such a workbook: the sign-in state and method as written, and how.
#[derive(Debug, Clone)]
struct Cells {
    blocked: bool,
    blocked_as: Written,
    method: Option<&'static str>,
    /// The method cell is a text formula saved with 0 (no method's name).
    method_formula: bool,
}

impl Cells {
    /// The verdict the file allows: a formula saved with 0 that cannot compute a number is
    /// unreadable; so is any formula's number in a workbook that asks to be calculated when
    /// opened (`stale`); otherwise a reference's 0 is what the file says.
    fn bucket(&self, stale: bool) -> Bucket {
        let blocked = match self.blocked_as {
            Written::Typed => Some(self.blocked),
            Written::TextFormula | Written::TruthFormula => None,
            Written::Reference if stale => None,
            Written::Reference => Some(false),
        };
        match blocked {
            None => Bucket::Unknown,
            Some(true) => Bucket::Blocked,
            Some(false) if self.method_formula => Bucket::Unknown,
            Some(false) if self.method.is_some() => Bucket::Registered,
            Some(false) => Bucket::Unregistered,
        }
    }
}

fn cells() -> impl Strategy<Value = Cells> {
    let written = prop_oneof![
        Just(Written::Typed),
        Just(Written::TextFormula),
        Just(Written::TruthFormula),
        Just(Written::Reference),
    ];
    (
        any::<bool>(),
        written,
        proptest::option::of(proptest::sample::select(vec!["PhoneAppOTP", "OneWaySMS"])),
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(blocked, blocked_as, method, method_formula)| Cells {
            blocked,
            blocked_as,
            method,
            method_formula,
        })
}

/// The workbook: a first user written as values (so that no column is made only of formulas,
/// which is read as absent), then `rows`. rust_xlsxwriter's default calculation mode writes
/// `fullCalcOnLoad="1"`; `manual` writes `calcMode="manual"` without it.
fn zero_result_workbook(rows: &[Cells], manual: bool) -> Vec<u8> {
    use rust_xlsxwriter::{CalculationMode, Formula, Workbook};
    let mut wb = Workbook::new();
    if manual {
        wb.set_calculation_mode(CalculationMode::Manual);
    }
    let ws = wb.add_worksheet();
    for (c, h) in [
        "UserPrincipalName",
        "BlockCredential",
        "StrongAuthenticationMethods",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "first@contoso.com").unwrap();
    ws.write_boolean(1, 1, false).unwrap();
    ws.write_string(1, 2, "PhoneAppOTP").unwrap();
    for (i, u) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        let n = r + 1;
        ws.write_string(r, 0, format!("u{i}@contoso.com")).unwrap();
        let flag = if u.blocked { "True" } else { "False" };
        match u.blocked_as {
            Written::Typed => ws.write_boolean(r, 1, u.blocked).map(|_| ()),
            Written::TextFormula => ws
                .write_formula(
                    r,
                    1,
                    Formula::new(format!("=IF(ISBLANK(G{n}),\"{flag}\",\"x\")")),
                )
                .map(|_| ()),
            Written::TruthFormula => ws
                .write_formula(r, 1, Formula::new(format!("=G{n}>0")))
                .map(|_| ()),
            Written::Reference => ws
                .write_formula(r, 1, Formula::new(format!("=G{n}")))
                .map(|_| ()),
        }
        .unwrap();
        match (u.method, u.method_formula) {
            (m, true) => ws
                .write_formula(r, 2, Formula::new(format!("=\"{}\"", m.unwrap_or(""))))
                .map(|_| ()),
            (Some(m), false) => ws.write_string(r, 2, m).map(|_| ()),
            (None, false) => Ok(()),
        }
        .unwrap();
    }
    wb.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A workbook whose formulas were saved with 0 (XlsxWriter's and rust_xlsxwriter's default)
    /// never has that 0 read as False or as a method where the formula cannot compute a number.
    #[test]
    fn formulas_saved_with_zero_follow_the_model(
        rows in proptest::collection::vec(cells(), 0..20),
        manual in any::<bool>(),
    ) {
        let options = ReadOptions::default();
        let bytes = zero_result_workbook(&rows, manual);
        let mut source = open_bytes("gen.xlsx", bytes, &options).unwrap();
        let polarity = source.schema().polarity;
        let mut warnings = Warnings::new(false);
        let mut got = Vec::new();
        while let Some(at) = source.next_row(&mut warnings).unwrap() {
            got.push(classify(&at.row, polarity).unwrap().bucket);
        }
        let mut want = vec![Bucket::Registered];
        want.extend(rows.iter().map(|c| c.bucket(!manual)));
        prop_assert_eq!(got, want);
    }
}
