//! Workbook formulas saved with a number for a result they cannot have. XlsxWriter (and
//! libxlsxwriter) save 0 beside every formula, and so do some writers of legacy `.xls`; in a
//! yes/no column such as BlockCredential that 0 read as False, silently. The `.xlsx` is generated
//! by scripts/make_workbook_fixtures.py in XlsxWriter's XML; the `.xls` by
//! scripts/make_xls_formula_fixture.py (`yes-no`, xlwt with the result field patched to the
//! number 0; committed, because xlwt is not in the standard library). Every expected verdict
//! is worked out by hand from the rows the generators write.

use super::{buckets, Dir};

fn warnings(j: &serde_json::Value) -> Vec<String> {
    j["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn xlsxwriter_zero_results_are_never_read_as_values() {
    let d = Dir::generated("make_workbook_fixtures.py");
    let j = d.audit_json(&["xlsxwriter-zero-results.xlsx"]);
    // ann: False typed, PhoneAppOTP: registered.
    // bob: BlockCredential =IF(ISBLANK(F3),"False","True") saved as 0: a text formula, so 0 is
    //   not its value: sign-in state unknown (before: 0 read as False, registered).
    // cy: BlockCredential =F4>0 saved as 0: a truth formula, Excel would save a boolean: unknown
    //   (before: False, and no methods: unregistered).
    // dan: methods ="Phone"&"AppOTP" saved as 0: no method's name: unknown.
    // eve: OneWaySMS typed: registered; her status formula saved as 0 is MFA Status Unknown.
    // fay: False, no methods: unregistered. gus: True: blocked.
    // hal: BlockCredential =G9, a reference that may be a number, saved as 0; but the workbook
    //   asks to be calculated when opened (fullCalcOnLoad): its writer did not calculate, so
    //   the 0 is not the value either: unknown (before: False, registered).
    assert_eq!(buckets(&j), (2, 1, 1, 4, 0));
    let w = warnings(&j);
    assert!(
        w.iter().any(|w| w.starts_with(
            "xlsxwriter-zero-results.xlsx: 2 cells of a yes/no column hold a formula whose saved \
             result is a number, though they compute only text or true/false (Users!C3, \
             Users!C4)"
        )),
        "{w:?}"
    );
    assert!(
        w.iter().any(|w| w.starts_with(
            "xlsxwriter-zero-results.xlsx: 2 cells hold formulas whose saved result is a \
             number, which cannot be the text they compute (Users!D5, Users!E6)"
        )),
        "{w:?}"
    );
    assert!(
        w.iter().any(|w| w.starts_with(
            "xlsxwriter-zero-results.xlsx: 1 cell of a yes/no column holds a formula whose saved \
             result is a number the writer did not calculate (Users!C9): the workbook asks to \
             be calculated when opened (fullCalcOnLoad"
        )),
        "{w:?}"
    );
    // The per-user warning says what the cell is, not that it is empty.
    assert!(
        w.iter().any(|w| w.starts_with(
            "xlsxwriter-zero-results.xlsx:Users!C3: bob@contoso.com: BlockCredential is empty \
             as saved (the file does not hold what the cell shows)"
        )),
        "{w:?}"
    );
    assert_eq!(
        d.read("MFA_Report.csv"),
        "\"UserPrincipalName\",\"MFA Status\",\"MFA Methods\"\r\n\
         \"ann@contoso.com\",\"Enforced\",\"PhoneAppOTP\"\r\n\
         \"bob@contoso.com\",\"Disabled\",\"PhoneAppOTP\"\r\n\
         \"cy@contoso.com\",\"Disabled\",\"\"\r\n\
         \"dan@contoso.com\",\"Disabled\",\"\"\r\n\
         \"eve@contoso.com\",\"Unknown\",\"OneWaySMS\"\r\n\
         \"fay@contoso.com\",\"Disabled\",\"\"\r\n\
         \"hal@contoso.com\",\"Disabled\",\"PhoneAppOTP\"\r\n"
    );
}

#[test]
fn xls_flag_formulas_saved_as_zero_are_unknown_not_false() {
    let d = Dir::new();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cli/fixtures/xls-flag-formula-zero.xls"
    );
    d.write("users.xls", std::fs::read(fixture).unwrap());
    let j = d.audit_json(&["users.xls"]);
    // ann: False typed, PhoneAppOTP: registered.
    // bob: IF(ISBLANK(F3),"False","True") saved as 0: text, so 0 is not its value: unknown
    //   (before: False, registered).
    // cy: NOT(ISBLANK(F4)) saved as 0: a truth value, never a number: unknown (before: False,
    //   no methods: unregistered).
    // dan: =F5, a reference that may hold a number: its 0 is read as saved (False), OneWaySMS:
    //   registered. Only formulas whose text cannot give a number are set aside.
    // eve: True typed: blocked.
    assert_eq!(buckets(&j), (2, 0, 1, 2, 0));
    let w = warnings(&j);
    assert!(
        w.iter().any(|w| w.starts_with(
            "users.xls: 2 cells of a yes/no column hold a formula whose saved result is a \
             number, though they compute only text or true/false (Users!C3, Users!C4)"
        )),
        "{w:?}"
    );
    assert!(!w.iter().any(|w| w.contains("Users!C5")), "{w:?}");
}

#[test]
fn a_flag_column_of_mistyped_formulas_is_read_as_absent() {
    // Every BlockCredential cell is a text formula saved with 0 (the XlsxWriter shape written
    // here directly): the column says nothing, so it is read as absent, as a column of
    // formulas without results is, and no user is taken for one who can sign in.
    let d = Dir::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    use std::io::Write;
    let ns = "http://schemas.openxmlformats.org/";
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                "<Types xmlns=\"{ns}package/2006/content-types\"><Default Extension=\"rels\" \
                 ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/><Override \
                 PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-\
                 officedocument.spreadsheetml.sheet.main+xml\"/><Override \
                 PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.\
                 openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>"
            ),
        ),
        (
            "_rels/.rels",
            format!(
                "<Relationships xmlns=\"{ns}package/2006/relationships\"><Relationship \
                 Id=\"rId1\" Type=\"{ns}officeDocument/2006/relationships/officeDocument\" \
                 Target=\"xl/workbook.xml\"/></Relationships>"
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                "<workbook xmlns=\"{ns}spreadsheetml/2006/main\" xmlns:r=\"{ns}officeDocument/\
                 2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" \
                 r:id=\"rId1\"/></sheets><calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/>\
                 </workbook>"
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                "<Relationships xmlns=\"{ns}package/2006/relationships\"><Relationship \
                 Id=\"rId1\" Type=\"{ns}officeDocument/2006/relationships/worksheet\" \
                 Target=\"worksheets/sheet1.xml\"/></Relationships>"
            ),
        ),
        ("xl/worksheets/sheet1.xml", {
            let s =
                |r: &str, t: &str| format!("<c r=\"{r}\" t=\"inlineStr\"><is><t>{t}</t></is></c>");
            let f = |r: &str| {
                format!(
                    "<c r=\"{r}\"><f>IF(ISBLANK(D{}),\"False\",\"True\")</f><v>0</v></c>",
                    &r[1..]
                )
            };
            format!(
                "<worksheet xmlns=\"{ns}spreadsheetml/2006/main\"><sheetData>\
                 <row r=\"1\">{}{}{}</row><row r=\"2\">{}{}{}</row><row r=\"3\">{}{}</row>\
                 </sheetData></worksheet>",
                s("A1", "UserPrincipalName"),
                s("B1", "BlockCredential"),
                s("C1", "StrongAuthenticationMethods"),
                s("A2", "ann@contoso.com"),
                f("B2"),
                s("C2", "PhoneAppOTP"),
                s("A3", "bob@contoso.com"),
                f("B3"),
            )
        }),
    ];
    for (name, text) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    d.write("users.xlsx", zip.finish().unwrap().into_inner());
    let j = d.audit_json(&["users.xlsx"]);
    let w = warnings(&j);
    assert!(
        w.iter().any(|w| w.starts_with(
            "users.xlsx:Sheet1!B1: the column \"BlockCredential\" (read as blocked) holds only \
             formulas without their real result (2 cells; 2 of them saved a number that is \
             not what they compute)"
        )),
        "{w:?}"
    );
    // Read as absent, the column is missing, with the warning a missing sign-in column has
    // (every user is then taken as able to sign in, as for any export without one): ann
    // registered, bob unregistered. Before, the 0s were read as False with no word at all.
    assert!(
        w.iter()
            .any(|w| w.starts_with("users.xlsx has no blocked-sign-in column")),
        "{w:?}"
    );
    assert_eq!(buckets(&j), (1, 1, 0, 0, 0));
}
