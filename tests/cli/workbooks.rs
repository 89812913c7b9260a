//! Workbook inputs and outputs. Fixtures are made here with rust_xlsxwriter, the way
//! ImportExcel's Export-Excel and Excel write them; reports are read back with calamine.

use calamine::{open_workbook, Data, Reader, Xlsx};
use predicates::prelude::*;
use rust_xlsxwriter::{Format, Formula, Workbook};

use super::{buckets, refused, Dir};

/// Export-Excel with `-Title`: a title in row 1, headers in row 2, real booleans, a phone
/// number stored as a number, `System.Object[]`, formulas with cached values, an error cell,
/// and an empty row. A notes sheet without users comes first.
fn export_excel_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes
        .write_string(0, 0, "Exported by the helpdesk")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    ws.write_string(0, 0, "MFA export 2026-11-01").unwrap();
    let headers = [
        "UserPrincipalName",
        "DisplayName",
        "BlockCredential",
        "StrongAuthenticationMethods",
        "StrongAuthenticationRequirements",
        "MobilePhone",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    // row 3: ann, registered, enforced, phone as a number
    ws.write_string(2, 0, "ann@contoso.com").unwrap();
    ws.write_string(2, 1, "Ann").unwrap();
    ws.write_boolean(2, 2, false).unwrap();
    ws.write_string(2, 3, "PhoneAppOTP,OneWaySMS").unwrap();
    ws.write_string(2, 4, "Enforced").unwrap();
    ws.write_number(2, 5, 46701234567.0).unwrap();
    // row 4: bob, unregistered, state from a formula's cached value
    ws.write_string(3, 0, "bob@contoso.com").unwrap();
    ws.write_boolean(3, 2, false).unwrap();
    ws.write_formula(3, 4, Formula::new("=\"Enabled\"").set_result("Enabled"))
        .unwrap();
    // row 5: cy, blocked
    ws.write_string(4, 0, "cy@contoso.com").unwrap();
    ws.write_boolean(4, 2, true).unwrap();
    ws.write_string(4, 3, "OneWaySMS").unwrap();
    // row 6: dee, #N/A where the blocked state should be
    ws.write_string(5, 0, "dee@contoso.com").unwrap();
    ws.write_formula(5, 2, Formula::new("=NA()").set_result("#N/A"))
        .unwrap();
    ws.write_string(5, 3, "OneWaySMS").unwrap();
    // row 7 empty; row 8: eve, booleans as text, an array Export-Excel wrote as its type name
    ws.write_string(7, 0, "eve@contoso.com").unwrap();
    ws.write_string(7, 2, "FALSE").unwrap();
    ws.write_string(7, 3, "System.Object[]").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn export_excel_workbook_is_read_like_its_csv() {
    let d = Dir::new();
    d.write("users.xlsx", export_excel_workbook());
    let j = d.audit_json(&["users.xlsx"]);
    assert_eq!(buckets(&j), (2, 1, 1, 1, 0));
    let input = &j["inputs"][0];
    assert_eq!(input["format"], "xlsx");
    assert_eq!(input["sheet"], "Sheet1", "the notes sheet has no users");
    assert_eq!(input["header_row"], 2);
    assert_eq!(input["blank_rows"], 1);
    assert_eq!(j["users_with_unnamed_methods"], 1);
    let warnings = j["warnings"].to_string();
    for want in [
        "users.xlsx:Sheet1!C6: the cell holds the error #N/A: the file does not say what it \
         shows; a verdict that depends on it is unknown",
        "users.xlsx:Sheet1!C6: dee@contoso.com: BlockCredential is empty",
    ] {
        assert!(warnings.contains(want), "{want} in {warnings}");
    }
    assert_eq!(
        d.read("MFA_Report.csv"),
        "\"UserPrincipalName\",\"MFA Status\",\"MFA Methods\"\r\n\
         \"ann@contoso.com\",\"Enforced\",\"PhoneAppOTP, OneWaySMS\"\r\n\
         \"bob@contoso.com\",\"Enabled\",\"\"\r\n\
         \"dee@contoso.com\",\"Disabled\",\"OneWaySMS\"\r\n\
         \"eve@contoso.com\",\"Disabled\",\"(2 or more methods; names not in input)\"\r\n"
    );
    // The summary names the sheet and the header row.
    d.cmd()
        .args(["audit", "users.xlsx", "-o", "r.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "users.xlsx: 5 users (XLSX, sheet \"Sheet1\", headers in row 2, 1 empty row skipped)",
        ));
    // A number in a column read as text (here the phone, mapped as the display name) is
    // written without a decimal point.
    d.audit_json(&[
        "users.xlsx",
        "--column",
        "display-name=MobilePhone",
        "--columns",
        "upn,display-name",
        "-o",
        "phones.csv",
    ]);
    assert!(d
        .read("phones.csv")
        .contains("\"ann@contoso.com\",\"46701234567\""));
}

#[test]
fn sheet_chosen_by_name_or_position_and_errors_name_the_sheets() {
    let d = Dir::new();
    d.write("users.xlsx", export_excel_workbook());
    for sheet in ["Sheet1", "sheet1", "2"] {
        let j = d.audit_json(&["users.xlsx", "--sheet", sheet]);
        assert_eq!(j["inputs"][0]["sheet"], "Sheet1", "--sheet {sheet}");
    }
    d.cmd()
        .args(["audit", "users.xlsx", "--sheet", "Users"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "users.xlsx: no sheet \"Users\"; the sheets are \"Notes\", \"Sheet1\"",
        ));
    d.cmd()
        .args(["audit", "users.xlsx", "--sheet", "Notes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no user principal name column in the first 10 rows of the sheet; the first row \
             with data (sheet \"Notes\", row 1) holds \"Exported by the helpdesk\"",
        ))
        .stderr(predicate::str::contains(
            "hint: choose the sheet with --sheet",
        ));
}

/// Reads a sheet back whole (fine for test-sized reports).
fn sheet(path: &std::path::Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

#[test]
fn workbook_report_and_lists_round_trip() {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let input = samples.join("msonline-ps51.csv");
    let d = Dir::new();
    let from_csv = d.audit_json(&[
        input.to_str().unwrap(),
        "-o",
        "MFA_Report.xlsx",
        "--registered",
        "registered.xlsx",
        "--unregistered",
        "unregistered.csv",
        "--include-blocked",
        "--columns",
        "upn,display-name,status,methods,registered,blocked",
    ]);
    let report = sheet(&d.path("MFA_Report.xlsx"), "MFA_Report");
    assert_eq!(
        report[0],
        [
            "UserPrincipalName",
            "DisplayName",
            "MFA Status",
            "MFA Methods",
            "Registered",
            "Blocked"
        ]
        .map(|h| Data::String(h.into()))
    );
    assert_eq!(report.len(), 1 + 48, "everyone, with --include-blocked");
    // Booleans are booleans; a state the input could not tell is the text Unknown.
    assert_eq!(report[1][4], Data::Bool(true));
    assert_eq!(report[1][5], Data::Bool(false));
    let isaiah = report
        .iter()
        .find(|r| r[0] == Data::String("isaiah.langer@contoso.com".into()))
        .unwrap();
    assert_eq!(isaiah[5], Data::String("Unknown".into()));
    // A display name that is a formula stays text.
    assert!(report
        .iter()
        .any(|r| r[1] == Data::String("=HYPERLINK(\"http://example.invalid\")".into())));
    let summary = sheet(&d.path("MFA_Report.xlsx"), "Summary");
    assert_eq!(
        summary[0],
        [Data::String("Users".into()), Data::Float(48.0)]
    );
    assert_eq!(
        summary[1],
        [Data::String("Registered".into()), Data::Float(25.0)]
    );
    let registered = sheet(&d.path("registered.xlsx"), "Users");
    assert_eq!(registered.len(), 1 + 25);
    assert!(d
        .read("unregistered.csv")
        .starts_with("\"UserPrincipalName\"\r\n"));

    // The workbook report read back gives the same verdicts as the CSV it came from.
    let back = d.audit_json(&["MFA_Report.xlsx", "-o", "again.csv"]);
    assert_eq!(buckets(&back), buckets(&from_csv));
    // --format forces a workbook whatever the name; standard output works too.
    d.audit_json(&[
        input.to_str().unwrap(),
        "-o",
        "report.dat",
        "--format",
        "xlsx",
    ]);
    assert!(std::fs::read(d.path("report.dat"))
        .unwrap()
        .starts_with(b"PK\x03\x04"));
    let out = d
        .cmd()
        .args([
            "audit",
            input.to_str().unwrap(),
            "-o",
            "-",
            "--format",
            "xlsx",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"PK\x03\x04"));
}

#[test]
fn workbook_from_standard_input_and_a_csv_named_xlsx() {
    let d = Dir::new();
    d.write("users.xlsx", export_excel_workbook());
    d.cmd()
        .args(["audit", "-", "-o", "r.csv", "-q"])
        .write_stdin(std::fs::read(d.path("users.xlsx")).unwrap())
        .assert()
        .success();
    assert!(d.read("r.csv").contains("ann@contoso.com"));
    // The content decides, not the name.
    d.write(
        "really-csv.xlsx",
        "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\na@x.com,False,OneWaySMS\r\n",
    );
    let j = d.audit_json(&["really-csv.xlsx"]);
    assert_eq!(j["inputs"][0]["format"], "csv");
    assert_eq!(buckets(&j), (1, 0, 0, 0, 0));
}

/// A minimal OLE compound file whose directory holds an `EncryptedPackage` stream: how Excel
/// stores a password-protected workbook.
pub(super) fn encrypted_workbook() -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    let put16 = |b: &mut [u8], at: usize, v: u16| b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 = |b: &mut [u8], at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put16(&mut header, 24, 0x3E);
    put16(&mut header, 26, 3);
    put16(&mut header, 28, 0xFFFE);
    put16(&mut header, 30, 9);
    put16(&mut header, 32, 6);
    put32(&mut header, 44, 1); // one FAT sector
    put32(&mut header, 48, 1); // directory in sector 1
    put32(&mut header, 56, 4096);
    put32(&mut header, 60, END);
    put32(&mut header, 68, END);
    put32(&mut header, 76, 0); // FAT in sector 0
    for i in 1..109 {
        put32(&mut header, 76 + 4 * i, FREE);
    }
    let mut fat = vec![0xFFu8; 512];
    put32(&mut fat, 0, 0xFFFF_FFFD);
    put32(&mut fat, 4, END);
    let mut dir = vec![0u8; 512];
    for (i, (name, kind)) in [("Root Entry", 5u8), ("EncryptedPackage", 2)]
        .iter()
        .enumerate()
    {
        let e = &mut dir[i * 128..(i + 1) * 128];
        let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        e[..utf16.len()].copy_from_slice(&utf16);
        put16(e, 64, (utf16.len() + 2) as u16);
        e[66] = *kind;
        put32(e, 68, FREE);
        put32(e, 72, FREE);
        put32(e, 76, if i == 0 { 1 } else { FREE });
        put32(e, 116, END);
    }
    [header, fat, dir].concat()
}

#[test]
fn bad_workbooks_exit_2_with_the_reason() {
    let good = export_excel_workbook();
    let mut zip_of_csv = Vec::new();
    {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut zip_of_csv));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("users.csv", stored).unwrap();
        std::io::Write::write_all(&mut z, b"UserPrincipalName\r\n").unwrap();
        z.finish().unwrap();
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.xlsx",
            good[..good.len() / 2].to_vec(),
            "truncated.xlsx: cannot read the workbook",
        ),
        (
            "archive.zip",
            zip_of_csv,
            "a ZIP archive, but not an Excel workbook",
        ),
        (
            "locked.xlsx",
            encrypted_workbook(),
            "locked.xlsx: the workbook is password-protected",
        ),
    ];
    for (name, bytes, want) in cases {
        refused(name, &bytes, want).stderr(predicate::str::contains("hint:"));
    }
}

/// A ZIP file whose entries declare the given uncompressed sizes but hold an empty deflate
/// stream each: what a decompression bomb's directory looks like, without the bomb.
pub(super) fn zip_declaring(entries: &[(&str, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    for (name, size) in entries {
        let offset = out.len() as u32;
        let common = [
            &le16(20)[..], // version needed
            &le16(0),      // flags
            &le16(8),      // deflate
            &le16(0),      // time
            &le16(0x21),   // date: 1980-01-01
            &le32(0),      // crc
            &le32(2),      // compressed size
            &le32(*size),  // declared uncompressed size
            &le16(name.len() as u16),
            &le16(0), // extra
        ]
        .concat();
        out.extend(le32(0x0403_4b50));
        out.extend(&common);
        out.extend(name.as_bytes());
        out.extend([0x03, 0x00]); // an empty deflate stream
        central.extend(le32(0x0201_4b50));
        central.extend(le16(20)); // made by
        central.extend(&common);
        central.extend([&le16(0)[..], &le16(0), &le16(0), &le32(0), &le32(offset)].concat());
        central.extend(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(le32(0x0605_4b50));
    out.extend([0u8; 4]);
    out.extend(le16(entries.len() as u16));
    out.extend(le16(entries.len() as u16));
    out.extend(le32(central.len() as u32));
    out.extend(le32(cd_offset));
    out.extend(le16(0));
    out
}

/// Workbooks whose declared sizes are far beyond any export are refused before anything is
/// unpacked.
#[test]
fn decompression_bombs_are_refused() {
    let three_gib = 3 << 30;
    let cases = [
        (
            zip_declaring(&[
                ("xl/workbook.xml", 100),
                ("xl/worksheets/sheet1.xml", three_gib),
                ("xl/worksheets/sheet2.xml", three_gib),
            ]),
            "the workbook unpacks to 6.0 GiB",
        ),
        (
            zip_declaring(&[
                ("xl/workbook.xml", 100),
                ("xl/sharedStrings.xml", 1536 << 20),
            ]),
            "the workbook's shared strings unpack to 1.5 GiB",
        ),
    ];
    for (bytes, want) in cases {
        let d = Dir::new();
        d.write("bomb.xlsx", bytes);
        d.cmd()
            .args(["audit", "bomb.xlsx"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(want))
            .stderr(predicate::str::contains("decompression bomb"));
    }
}

/// A 50,000-row sheet: every row read, in order, with constant work per row.
#[test]
fn fifty_thousand_row_sheet() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().unwrap();
    let bold = Format::new().set_bold();
    for (c, h) in [
        "UserPrincipalName",
        "BlockCredential",
        "StrongAuthenticationMethods",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold).unwrap();
    }
    for i in 1..=50_000u32 {
        ws.write_string(i, 0, format!("user{i}@contoso.com"))
            .unwrap();
        ws.write_boolean(i, 1, i % 10 == 0).unwrap();
        if i % 4 != 0 {
            ws.write_string(i, 2, "PhoneAppOTP").unwrap();
        }
    }
    let d = Dir::new();
    d.write("big.xlsx", wb.save_to_buffer().unwrap());
    let j = d.audit_json(&["big.xlsx", "--unregistered", "todo.csv"]);
    // Blocked: every 10th. Of the rest, every 4th has no method.
    assert_eq!(buckets(&j), (35_000, 10_000, 5_000, 0, 0));
    let todo = d.read("todo.csv");
    let first: Vec<&str> = todo.lines().take(3).collect();
    assert_eq!(
        first,
        [
            "\"UserPrincipalName\"",
            "\"user4@contoso.com\"",
            "\"user8@contoso.com\""
        ]
    );
}
