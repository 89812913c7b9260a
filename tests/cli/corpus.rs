//! The bad-input corpus: every file an admin might feed by mistake, generated here, audited
//! under a memory limit and a time limit. For each: the exact exit code, a message naming the
//! file and the place, no panic, and nothing written when the run fails.

use std::io::Write;
use std::process::Command as StdCommand;
use std::time::Duration;

use super::{crlf, Dir};

/// Virtual memory the binary may use in these runs (KiB): far above any sane need, far below
/// what a runaway reader would take.
const MEMORY_KB: u64 = 3 * 1024 * 1024;

/// Audits `name` in `d` under the limits; returns (exit code, stderr). Windows has no `ulimit`:
/// there the time limit holds and the memory limit is left to the Linux runs.
fn audit_limited(d: &Dir, name: &str, extra: &[&str]) -> (i32, String) {
    let bin = super::bin();
    let mut cmd = if cfg!(windows) {
        let mut cmd = StdCommand::new(&bin);
        cmd.arg("audit");
        cmd
    } else {
        let mut cmd = StdCommand::new("bash");
        cmd.arg("-c")
            .arg(format!("ulimit -v {MEMORY_KB}; exec \"$0\" audit \"$@\""))
            .arg(&bin);
        cmd
    };
    cmd.arg(name).args(extra).current_dir(d.path(""));
    let out = assert_cmd::Command::from_std(cmd)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), stderr)
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, data) in entries {
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    bytes
}

fn workbook_with_upns(upns: &[&str]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
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
    for (r, upn) in upns.iter().enumerate() {
        ws.write_string(r as u32 + 1, 0, *upn).unwrap();
        ws.write_boolean(r as u32 + 1, 1, false).unwrap();
        ws.write_string(r as u32 + 1, 2, "PhoneAppOTP").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

const HEADER: &str = "UserPrincipalName,BlockCredential,StrongAuthenticationMethods";

#[test]
fn bad_input_corpus() {
    let fifty_mb_field = {
        let mut v = format!("{HEADER}\r\na@x.com,False,\"").into_bytes();
        v.resize(v.len() + 50 * 1024 * 1024, b'A');
        v.extend(b"\"\r\n");
        v
    };
    let wide_header = {
        let mut s = String::from("UserPrincipalName,BlockCredential,StrongAuthenticationMethods");
        for i in 0..100_000 {
            s.push_str(&format!(",c{i}"));
        }
        s.push_str("\r\na@x.com,False,OneWaySMS\r\n");
        s.into_bytes()
    };
    let utf16_odd = {
        let mut v = vec![0xFF, 0xFE];
        v.extend(
            format!("{HEADER}\r\na@x.com,False,OneWaySMS\r\n")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        v.push(b'x');
        v
    };
    let deep_json = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let calamine_crash =
        include_bytes!("../../fuzz/findings/calamine-cfb-truncated-sector.xls").to_vec();
    let looping_chain =
        include_bytes!("../../fuzz/findings/calamine-cfb-looping-chain.xls").to_vec();
    let dense_grid = include_bytes!("../../fuzz/findings/calamine-xls-dense-grid.xls").to_vec();
    let dense_grid_slow =
        include_bytes!("../../fuzz/findings/calamine-xls-dense-grid-slow.xls").to_vec();
    let huge_dimensions =
        include_bytes!("../../fuzz/findings/calamine-xls-huge-dimensions.xls").to_vec();
    let sheet_offsets =
        include_bytes!("../../fuzz/findings/calamine-xls-sheet-offsets.xls").to_vec();
    let invalid_utf8_after_rows =
        include_bytes!("../../fuzz/findings/csv-invalid-utf8-after-rows.csv").to_vec();

    // (file name, bytes, exit code, a fragment of the message)
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        ("empty.csv", vec![], 2, "empty.csv: the file holds nothing"),
        ("bom.csv", b"\xEF\xBB\xBF".to_vec(), 2, "bom.csv: the file holds nothing"),
        ("type.csv", b"#TYPE Microsoft.Online.Administration.User\r\n".to_vec(), 2, "only a #TYPE line"),
        ("header-only.csv", crlf(&[HEADER]).into_bytes(), 0, "0 users"),
        ("blank-rows.csv", format!("{HEADER}\r\n,,\r\n\r\n,,\r\n").into_bytes(), 0, "2 empty rows skipped"),
        ("garbage.bin", garbage, 2, "garbage.bin: byte"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), 2, "image.csv: this is a PNG image"),
        ("document.csv", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec(), 2, "this is a PDF document"),
        ("archive.csv", b"\x1F\x8B\x08\x00\x00\x00\x00\x00".to_vec(), 2, "this is a gzip archive"),
        ("really-csv.xlsx", crlf(&[HEADER, "a@x.com,False,OneWaySMS"]).into_bytes(), 0, "(CSV,"),
        ("truncated.xlsx", workbook_with_upns(&["a@x.com"])[..600].to_vec(), 2, "truncated.xlsx: cannot read the workbook"),
        ("notworkbook.zip", zip(&[("users.csv", b"UPN\r\n")]), 2, "not an Excel workbook"),
        ("calamine-crash.xls", calamine_crash, 2, "calamine-crash.xls: "),
        ("looping-chain.xls", looping_chain, 2, "looping-chain.xls: the OLE compound file (.xls, or an encrypted workbook) is damaged: a chain in the FAT loops back on itself"),
        ("dense-grid.xls", dense_grid, 2, "dense-grid.xls: the legacy workbook spans"),
        ("huge-dimensions.xls", huge_dimensions, 2, "huge-dimensions.xls: the legacy workbook spans"),
        ("dense-grid-slow.xls", dense_grid_slow, 2, "more than the 4194304 this reader lays out"),
        ("sheet-offsets.xls", sheet_offsets, 2, "sheet-offsets.xls: the legacy workbook spans"),
        ("utf8-then-garbage.csv", invalid_utf8_after_rows, 2, "utf8-then-garbage.csv:"),
        ("utf16-odd.csv", utf16_odd, 0, "UTF-16LE with BOM"),
        ("unterminated.csv", format!("{HEADER}\r\na@x.com,False,\"OneWaySMS\r\nb@x.com,False,x\r\n").into_bytes(), 2, "unterminated.csv:2: a quoted field opened in this record is never closed"),
        ("nul-byte.csv", format!("{HEADER}\r\na@x.com\0,False,x\r\n").into_bytes(), 2, "NUL byte"),
        ("huge-field.csv", fifty_mb_field, 2, "huge-field.csv:2: a record is longer than 16 MiB, the cap"),
        ("wide.csv", wide_header, 2, "wide.csv: the header row has 100003 columns, more than the cap of 16384"),
        ("ragged.csv", crlf(&[HEADER, "a@x.com,False", "b@x.com,False,OneWaySMS,extra,more"]).into_bytes(), 0, "ragged.csv:3: 5 fields where the header has 3"),
        ("dup-headers.csv", crlf(&["UPN,BlockCredential,Methods,UPN", "a@x.com,False,x,b@x.com"]).into_bytes(), 0, "appears in columns 1 and 4"),
        ("no-upn.csv", crlf(&["Name,BlockCredential,Methods", "Ann,False,x"]).into_bytes(), 2, "no-upn.csv:1: no user principal name column"),
        ("empty-upn.csv", crlf(&[HEADER, ",False,OneWaySMS"]).into_bytes(), 0, "empty-upn.csv:2: no user principal name"),
        ("odd-upn.csv", crlf(&[HEADER, "ann lee,False,OneWaySMS", "bob,False,"]).into_bytes(), 0, "\"ann lee\" does not look like a user principal name"),
        ("number.json", b"42".to_vec(), 2, "number.json:1: no user principal name column"),
        ("strings.json", br#"["a@x.com"]"#.to_vec(), 2, "item 1 of the array is a string, not a user object"),
        ("deep.json", deep_json.into_bytes(), 2, "nests deeper than 128 levels"),
        ("formula-upn.xlsx", workbook_with_upns(&["=HYPERLINK(\"http://x.invalid\",\"a@x.com\")"]), 0, "does not look like a user principal name"),
        ("encrypted.xlsx", super::workbooks::encrypted_workbook(), 2, "password-protected"),
        ("sheet-no-upn.xlsx", {
            let mut wb = rust_xlsxwriter::Workbook::new();
            wb.add_worksheet().write_string(0, 0, "Name").unwrap();
            wb.save_to_buffer().unwrap()
        }, 2, "no user principal name column in the first 10 rows"),
        ("bomb.xlsx", super::workbooks::zip_declaring(&[("xl/workbook.xml", 100), ("xl/worksheets/sheet1.xml", 3 << 30), ("xl/worksheets/sheet2.xml", 3 << 30)]), 2, "decompression bomb"),
    ];
    assert!(cases.len() >= 30, "{}", cases.len());
    for (name, bytes, want, fragment) in cases {
        let d = Dir::new();
        d.write(name, &bytes);
        let (code, stderr) = audit_limited(&d, name, &["-o", "report.csv"]);
        assert_eq!(code, want, "{name}: {stderr}");
        assert!(
            stderr.contains(fragment),
            "{name}: expected {fragment:?} in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        if want == 2 {
            assert_eq!(
                d.files(),
                vec![name.to_owned()],
                "{name}: nothing may be written"
            );
        } else {
            assert!(d.exists("report.csv"), "{name}");
        }
    }
    // A formula-looking UPN is neutralised in the report.
    let d = Dir::new();
    d.write(
        "f.xlsx",
        workbook_with_upns(&["=HYPERLINK(\"http://x.invalid\",\"a@x.com\")"]),
    );
    audit_limited(&d, "f.xlsx", &["-o", "r.csv"]);
    assert!(d.read("r.csv").contains("\"'=HYPERLINK("));
    // A directory and a missing file.
    let d = Dir::new();
    std::fs::create_dir(d.path("folder.csv")).unwrap();
    assert!(audit_limited(&d, "folder.csv", &[])
        .1
        .contains("folder.csv: is a folder"));
    assert!(audit_limited(&d, "missing.csv", &[])
        .1
        .contains("cannot open missing.csv"));
    // The caps can be raised.
    let d = Dir::new();
    let mut big = format!("{HEADER}\r\na@x.com,False,\"").into_bytes();
    big.resize(big.len() + 3 * 1024 * 1024, b'A');
    big.extend(b"\"\r\n");
    d.write("big.csv", &big);
    assert_eq!(
        audit_limited(&d, "big.csv", &["--max-record-size", "2"]).0,
        2
    );
    assert_eq!(
        audit_limited(&d, "big.csv", &["--max-record-size", "8", "-q"]).0,
        0
    );
}

/// SIGKILL in the middle of an audit: the old report is intact, and the next successful run
/// removes the temporary file the killed one left.
#[cfg(target_os = "linux")]
#[test]
fn killed_mid_run_leaves_the_old_report_and_the_next_run_cleans_up() {
    let d = Dir::new();
    d.write("big.csv", super::big_export(3_000_000));
    d.write("MFA_Report.csv", "previous report\r\n");
    let bin = super::bin();
    let mut child = StdCommand::new(&bin)
        .args(["audit", "big.csv", "-q"])
        .current_dir(d.path(""))
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !d.files().iter().any(|f| f.ends_with(".mfa-audit.tmp")) {
        assert!(started.elapsed().as_secs() < 20, "the audit never started");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(d.read("MFA_Report.csv"), "previous report\r\n");
    assert!(
        d.files().iter().any(|f| f.ends_with(".mfa-audit.tmp")),
        "SIGKILL cannot clean up"
    );
    d.write("small.csv", crlf(&[HEADER, "a@x.com,False,OneWaySMS"]));
    StdCommand::new(&bin)
        .args(["audit", "small.csv", "-q"])
        .current_dir(d.path(""))
        .status()
        .unwrap();
    assert_eq!(d.files(), vec!["MFA_Report.csv", "big.csv", "small.csv"]);
    assert!(d.read("MFA_Report.csv").contains("a@x.com"));
}

/// An output path that is a symbolic link: the link is replaced by the new file; the file it
/// pointed to is not written through it.
#[test]
#[cfg_attr(
    windows,
    ignore = "needs symbolic links, which Windows gives only to administrators"
)]
fn outputs_do_not_write_through_symbolic_links() {
    let d = Dir::new();
    d.write("precious.txt", "not ours\n");
    super::util::unix::symlink(d.path("precious.txt"), d.path("MFA_Report.csv")).unwrap();
    d.write("u.csv", crlf(&[HEADER, "a@x.com,False,OneWaySMS"]));
    d.cmd().args(["audit", "u.csv", "-q"]).assert().success();
    assert_eq!(d.read("precious.txt"), "not ours\n");
    let meta = std::fs::symlink_metadata(d.path("MFA_Report.csv")).unwrap();
    assert!(meta.file_type().is_file());
}
