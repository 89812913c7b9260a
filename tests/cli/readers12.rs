//! Inputs that would change the count without saying so: exports joined into one CSV, a
//! `#TYPE` line a spreadsheet quoted, a title above the header, and JSON pages and objects
//! whose keys a first-object reader would miss.

use predicates::prelude::*;

use crate::Dir;

const TYPE_LINE: &str = "#TYPE Selected.Microsoft.Online.Administration.User\r\n";
const HEADER: &str =
    "\"UserPrincipalName\",\"BlockCredential\",\"StrongAuthenticationMethods\"\r\n";

fn export(rows: &[&str], bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    out.extend_from_slice(TYPE_LINE.as_bytes());
    out.extend_from_slice(HEADER.as_bytes());
    for r in rows {
        out.extend_from_slice(r.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[test]
fn exports_joined_with_cat_skip_the_second_header_and_say_where() {
    // a.csv: ann registered, bob unregistered. b.csv (with a BOM, as -Encoding UTF8 writes):
    // cy registered. Joined: the second file's BOM+#TYPE (line 5) and header (line 6) are not
    // users, so 2 registered and 1 unregistered; before, "UserPrincipalName" was a 4th user.
    let a = export(
        &[
            "\"ann@x.com\",\"False\",\"PhoneAppOTP\"",
            "\"bob@x.com\",\"False\",\"\"",
        ],
        false,
    );
    let b = export(&["\"cy@x.com\",\"False\",\"OneWaySMS\""], true);
    // A header copied in another letter case, unquoted, is the same header.
    let c = b"userprincipalname,blockcredential,strongauthenticationmethods\r\n\"di@x.com\",\"False\",\"\"\r\n";
    let d = Dir::new();
    d.write("j.csv", [a, b, c.to_vec()].concat());
    let j = d.audit_json(&["j.csv"]);
    assert_eq!(j["users"], 4, "{j}");
    assert_eq!(j["registered"], 2);
    assert_eq!(j["unregistered"], 2);
    let warnings = j["warnings"].to_string();
    assert!(
        warnings.contains("j.csv: lines 5, 6, 8 repeat the header"),
        "{warnings}"
    );
    assert!(!d
        .read("MFA_Report.csv")
        .contains("UserPrincipalName\",\"No"));
}

#[test]
fn a_joined_header_with_other_columns_is_an_error() {
    // The second export lists BlockCredential first: its rows read under the first header
    // would take "False" as a UPN. Refused, naming the line.
    let d = Dir::new();
    d.write(
        "j.csv",
        "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\n\
         a@x.com,False,PhoneAppOTP\n\
         BlockCredential,UserPrincipalName,StrongAuthenticationMethods\n\
         False,b@x.com,\n",
    );
    d.cmd()
        .args(["audit", "j.csv", "-q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "j.csv:3: a header row with other columns than the header on line 1",
        ));
}

#[test]
fn a_quoted_or_mojibake_type_line_and_a_title_row_hide_no_header() {
    let cases: &[(&str, &[u8], u64)] = &[
        // After a round trip through a spreadsheet: quoted and padded.
        (
            "quoted.csv",
            b"\"#TYPE Selected.Microsoft.Online.Administration.User\",,\r\n\"UserPrincipalName\",\"BlockCredential\",\"StrongAuthenticationMethods\"\r\n\"a@x.com\",\"False\",\"PhoneAppOTP\"\r\n",
            2,
        ),
        // A BOM read as windows-1252 and saved again as UTF-8.
        (
            "mojibake.csv",
            b"\xC3\xAF\xC2\xBB\xC2\xBF#TYPE Selected.Microsoft.Online.Administration.User\r\n\"UserPrincipalName\",\"BlockCredential\",\"StrongAuthenticationMethods\"\r\n\"a@x.com\",\"False\",\"PhoneAppOTP\"\r\n",
            2,
        ),
        // A BOM read as text before the header itself.
        (
            "bomhead.csv",
            b"\xC3\xAF\xC2\xBB\xC2\xBF\"UserPrincipalName\",\"BlockCredential\",\"StrongAuthenticationMethods\"\r\n\"a@x.com\",\"False\",\"PhoneAppOTP\"\r\n",
            1,
        ),
    ];
    let d = Dir::new();
    for (name, bytes, header_line) in cases {
        d.write(name, bytes);
        let j = d.audit_json(&[name]);
        // One user, registered: the header was found where it is.
        assert_eq!(
            (j["users"].as_u64(), j["registered"].as_u64()),
            (Some(1), Some(1)),
            "{name}: {j}"
        );
        let row = j["inputs"][0]["header_row"].as_u64();
        assert_eq!(
            row,
            (*header_line > 1 && *name == "title").then_some(*header_line),
            "{name}"
        );
    }

    // A title (without delimiters) above a `;` header: the delimiter comes from the header,
    // and the summary names the header's row.
    d.write(
        "title.csv",
        "MFA report, January\n\nUserPrincipalName;BlockCredential;StrongAuthenticationMethods\na@x.com;False;PhoneAppOTP\nb@x.com;False;\n",
    );
    let j = d.audit_json(&["title.csv"]);
    assert_eq!(
        (j["registered"].as_u64(), j["unregistered"].as_u64()),
        (Some(1), Some(1)),
        "{j}"
    );
    assert_eq!(j["inputs"][0]["header_row"], 3);
    assert!(j["warnings"]
        .to_string()
        .contains("title.csv:3: the header is on line 3"));
}

#[test]
fn a_graph_page_with_a_next_link_is_refused_unless_allowed() {
    let d = Dir::new();
    d.write(
        "page.json",
        r#"{"@odata.context":"x","value":[{"userPrincipalName":"a@x.com","accountEnabled":true,"methodsRegistered":["microsoftAuthenticatorPush"]}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/x?$skiptoken=1"}"#,
    );
    d.cmd()
        .args(["audit", "page.json", "-q"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("page.json: the file is one page")
                .and(predicate::str::contains("--allow-partial")),
        );
    let j = d.audit_json(&["page.json", "--allow-partial"]);
    assert_eq!(j["registered"], 1);
    assert!(j["warnings"]
        .to_string()
        .contains("one page of a Microsoft Graph response"));
    // Given with the next page, it is one of the run's pages: read, with a plain warning.
    d.write(
        "page2.json",
        r#"{"value":[{"userPrincipalName":"b@x.com","accountEnabled":true,"methodsRegistered":[]}]}"#,
    );
    let j = d.audit_json(&["page.json", "page2.json"]);
    assert_eq!(
        (j["registered"].as_u64(), j["unregistered"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(j["warnings"]
        .to_string()
        .contains("read as one of the run's pages"));
    // A null link is the last page.
    d.write(
        "last.json",
        r#"{"value":[{"userPrincipalName":"a@x.com","accountEnabled":true,"methodsRegistered":[]}],"@odata.nextLink":null}"#,
    );
    assert_eq!(d.audit_json(&["last.json"])["unregistered"], 1);
}

#[test]
fn json_columns_are_the_union_of_the_users_keys() {
    // ann lacks accountEnabled: her sign-in state is unknown (said), but bob's false still
    // blocks him and cy's true keeps her. Before, the column was resolved from ann alone and
    // accountEnabled vanished for everyone: bob counted as unregistered.
    // cy spells the methods key in another letter case: the same column, so she is
    // registered. di gives userPrincipalName twice: warned, the last one read.
    let d = Dir::new();
    d.write(
        "u.json",
        r#"[
 {"userPrincipalName":"ann@x.com","methodsRegistered":["microsoftAuthenticatorPush"]},
 {"userPrincipalName":"bob@x.com","accountEnabled":false,"methodsRegistered":[]},
 {"userPrincipalName":"cy@x.com","accountEnabled":true,"MethodsRegistered":["mobilePhone"]},
 {"userPrincipalName":"x@x.com","userPrincipalName":"di@x.com","accountEnabled":true,"methodsRegistered":[]}
]"#,
    );
    let j = d.audit_json(&["u.json"]);
    assert_eq!(j["blocked"], 1, "{j}");
    assert_eq!(j["unknown"], 1);
    assert_eq!(j["registered"], 1);
    assert_eq!(j["unregistered"], 1);
    let warnings = j["warnings"].to_string();
    assert!(warnings.contains("u.json: user 4: key"), "{warnings}");
    assert!(d.read("MFA_Report.csv").contains("di@x.com"));
    // The first user without methodsRegistered does not make the column vanish.
    d.write(
        "m.json",
        r#"[{"userPrincipalName":"a@x.com","accountEnabled":true},
            {"userPrincipalName":"b@x.com","accountEnabled":true,"methodsRegistered":["mobilePhone"]}]"#,
    );
    let j = d.audit_json(&["m.json"]);
    assert_eq!(
        j["inputs"][0]["columns"]["methods"], "methodsRegistered",
        "{j}"
    );
}
