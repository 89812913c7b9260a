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
