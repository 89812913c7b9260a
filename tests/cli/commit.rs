//! How outputs are committed: all together at the end, or none; devices and FIFOs written, not
//! replaced; no output may be an input, by any spelling; a signal at the last moment changes
//! nothing; a full disk or a closed pipe is reported plainly.

use std::fs;
use std::io::{Read, Write};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::util::unix::{symlink, FileTypeExt};
use super::{ps51_export, Dir};

fn is_root() -> bool {
    StdCommand::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false)
}

fn mkfifo(d: &Dir, name: &str) {
    let status = StdCommand::new("mkfifo")
        .arg(d.path(name))
        .status()
        .unwrap();
    assert!(status.success());
}

/// Files other than the ones a test wrote, that a run must not leave behind.
fn temporaries(d: &Dir) -> Vec<String> {
    d.files()
        .into_iter()
        .filter(|f| f.ends_with(".mfa-audit.tmp"))
        .collect()
}

#[test]
#[cfg_attr(windows, ignore = "needs /dev/null")]
fn a_device_is_written_never_replaced() {
    if !is_root() {
        eprintln!("skipped: only root can replace /dev/null, which is what this test guards");
        return;
    }
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    d.cmd()
        .args(["audit", "users.csv", "-q", "--json", "/dev/null"])
        .args(["--registered", "/dev/null"])
        .assert()
        .success();
    let meta = fs::metadata("/dev/null").unwrap();
    assert!(meta.file_type().is_char_device(), "/dev/null was replaced");
    assert!(d.read("MFA_Report.csv").contains("ann@contoso.com"));
    let leftovers: Vec<_> = fs::read_dir("/dev")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".mfa-audit.tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
#[cfg_attr(windows, ignore = "needs mkfifo")]
fn a_fifo_target_receives_the_whole_output() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    mkfifo(&d, "s.json");
    let fifo = d.path("s.json");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        fs::File::open(fifo)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    });
    d.cmd()
        .args(["audit", "users.csv", "-q", "--json", "s.json"])
        .assert()
        .success();
    let text = reader.join().unwrap();
    let j: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(j["registered"], 2, "{text}");
    let kind = fs::symlink_metadata(d.path("s.json")).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced by a file");
    assert!(temporaries(&d).is_empty());
}

#[test]
#[cfg_attr(
    windows,
    ignore = "needs symbolic links, which Windows gives only to administrators"
)]
fn no_output_may_be_an_input_by_any_spelling() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    d.write(
        "acc.csv",
        "UserPrincipalName,AccountEnabled\r\nann@contoso.com,True\r\n",
    );
    d.write(
        "ex1.csv",
        "UserPrincipalName,Reason\r\nbob@contoso.com,test\r\n",
    );
    d.write(
        "ex2.csv",
        "UserPrincipalName,Reason\r\ncy@contoso.com,test\r\n",
    );
    fs::create_dir(d.path("sub")).unwrap();
    symlink(d.path("ex2.csv"), d.path("link.csv")).unwrap();
    fs::hard_link(d.path("users.csv"), d.path("hard.csv")).unwrap();
    let before = d.files();
    // (arguments, the flag and path the message must name)
    let table: [(&[&str], &[&str]); 8] = [
        (
            &[
                "audit",
                "users.csv",
                "--accounts",
                "acc.csv",
                "--json",
                "acc.csv",
            ],
            &["--json acc.csv", "--accounts acc.csv"],
        ),
        (
            &[
                "audit",
                "users.csv",
                "--exceptions",
                "ex1.csv",
                "--exceptions",
                "ex2.csv",
                "-o",
                "link.csv",
            ],
            &["--output link.csv", "--exceptions ex2.csv"],
        ),
        (
            &[
                "audit",
                "users.csv",
                "--exceptions",
                "ex1.csv",
                "--html",
                "sub/../ex1.csv",
            ],
            &["--html sub/../ex1.csv", "--exceptions ex1.csv"],
        ),
        (
            &["audit", "users.csv", "--registered", "hard.csv"],
            &["--registered hard.csv", "the input users.csv"],
        ),
        (
            &[
                "signins",
                "users.csv",
                "--users",
                "hard.csv",
                "--json",
                "./users.csv",
            ],
            &["--json ./users.csv"],
        ),
        (
            &["diff", "users.csv", "acc.csv", "--output", "hard.csv"],
            &["--output hard.csv", "BEFORE users.csv"],
        ),
        (
            &[
                "diff",
                "users.csv",
                "users.csv",
                "--exceptions",
                "ex2.csv",
                "--json",
                "link.csv",
            ],
            &["--json link.csv", "--exceptions ex2.csv"],
        ),
        (
            &[
                "audit",
                "users.csv",
                "-o",
                "new.csv",
                "--json",
                "sub/../new.csv",
            ],
            &["--output and --json both write sub/../new.csv"],
        ),
    ];
    for (args, names) in table {
        let assert = d.cmd().args(args).arg("-q").assert().code(2);
        let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        for name in names {
            assert!(err.contains(name), "{args:?}: {err}");
        }
        assert_eq!(d.files(), before, "{args:?} wrote something");
    }
    assert_eq!(fs::read(d.path("users.csv")).unwrap(), ps51_export());
    assert!(d.read("ex2.csv").contains("cy@contoso.com"));
}

#[test]
#[cfg_attr(windows, ignore = "needs /dev/stdout")]
fn standard_output_named_twice_is_refused() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    // The test harness connects standard output to a pipe, so /dev/stdout is that pipe.
    d.cmd()
        .args([
            "audit",
            "users.csv",
            "-q",
            "-o",
            "-",
            "--json",
            "/dev/stdout",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--output and --json both write /dev/stdout",
        ));
}

#[test]
#[cfg_attr(windows, ignore = "needs /dev/full")]
fn a_failing_output_leaves_every_other_output_untouched() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    d.write("MFA_Report.csv", "old report\r\n");
    d.write("s.json", "old json\n");
    symlink("/dev/full", d.path("full.html")).unwrap();
    let before = d.files();
    // A folder that does not exist fails when the output is prepared; a full device fails
    // at the commit itself. Neither replaces the outputs listed before it.
    let table: [(&[&str], &str); 2] = [
        (
            &["--json", "s.json", "--junit", "nowhere/j.xml"],
            "cannot write nowhere/j.xml: folder nowhere does not exist",
        ),
        (
            &["--json", "s.json", "--html", "full.html"],
            "mfa-audit: error: cannot write full.html: the disk is full (nothing was changed)\n",
        ),
    ];
    for (args, message) in table {
        d.cmd()
            .args(["audit", "users.csv", "-q"])
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert_eq!(d.read("MFA_Report.csv"), "old report\r\n", "{args:?}");
        assert_eq!(d.read("s.json"), "old json\n", "{args:?}");
        assert_eq!(d.files(), before, "{args:?}");
    }
}

#[test]
#[cfg_attr(windows, ignore = "needs /dev/full")]
fn a_full_disk_is_one_clean_sentence() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    symlink("/dev/full", d.path("r.csv")).unwrap();
    d.cmd()
        .args(["audit", "users.csv", "-q", "-o", "r.csv"])
        .assert()
        .code(2)
        .stderr("mfa-audit: error: cannot write r.csv: the disk is full (nothing was changed)\n");
    assert!(fs::symlink_metadata(d.path("r.csv"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[cfg(target_os = "linux")]
#[test]
fn an_output_name_as_long_as_the_file_system_allows() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    let name = format!("{}.csv", "r".repeat(251));
    assert_eq!(name.len(), 255);
    let json = format!("{}.json", "s".repeat(250));
    d.cmd()
        .args(["audit", "users.csv", "-q", "-o", &name, "--json", &json])
        .assert()
        .success();
    assert!(d.read(&name).contains("ann@contoso.com"));
    assert!(d.read(&json).contains("\"registered\": 2"));
    assert!(temporaries(&d).is_empty());
    // One byte more is refused before anything is written, not half-way through the commit.
    let too_long = format!("{}.json", "s".repeat(251));
    d.cmd()
        .args([
            "audit",
            "users.csv",
            "-q",
            "-o",
            "new.csv",
            "--json",
            &too_long,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the name is too long"));
    assert!(!d.exists("new.csv"));
    assert!(temporaries(&d).is_empty());
}

#[test]
#[cfg_attr(windows, ignore = "needs kill -INT")]
fn a_signal_just_before_the_commit_changes_nothing() {
    let bin = super::bin();
    for signal in ["-TERM", "-INT"] {
        let d = Dir::new();
        d.write("users.csv", ps51_export());
        d.write("MFA_Report.csv", "old report\r\n");
        let before = d.files();
        let pause = d.path("pause");
        let mut child = StdCommand::new(&bin)
            .args([
                "audit",
                "users.csv",
                "-q",
                "--json",
                "s.json",
                "--html",
                "r.html",
            ])
            .env("MFA_AUDIT_TEST_PAUSE_BEFORE_COMMIT", &pause)
            .current_dir(d.path(""))
            .spawn()
            .unwrap();
        let started = Instant::now();
        while !pause.exists() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "never reached the commit"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        // Every output is ready in its temporary file now.
        assert!(!temporaries(&d).is_empty());
        let killed = StdCommand::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        // The handler runs on its own thread: give it a moment before letting the commit go.
        std::thread::sleep(Duration::from_millis(100));
        fs::remove_file(&pause).unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{signal}");
        assert_eq!(d.read("MFA_Report.csv"), "old report\r\n", "{signal}");
        assert_eq!(d.files(), before, "{signal}");
    }
}

#[test]
#[cfg_attr(windows, ignore = "needs mkfifo")]
fn a_fifo_input_is_hashed_as_it_is_read() {
    let d = Dir::new();
    mkfifo(&d, "in.csv");
    let bytes = ps51_export();
    let want = format!("{:x}", Sha256::digest(&bytes));
    let fifo = d.path("in.csv");
    let writer = std::thread::spawn(move || {
        fs::OpenOptions::new()
            .write(true)
            .open(fifo)
            .unwrap()
            .write_all(&ps51_export())
            .unwrap();
    });
    d.cmd()
        .args(["audit", "in.csv", "-q", "--html", "r.html"])
        .assert()
        .success();
    writer.join().unwrap();
    let page = d.read("r.html");
    assert!(
        page.contains(&format!("SHA-256 {want}")),
        "no hash of the bytes read"
    );
    // A regular file and standard input are hashed the same way.
    d.write("users.csv", ps51_export());
    d.cmd()
        .args(["audit", "users.csv", "-q", "--html", "f.html"])
        .assert()
        .success();
    assert!(d.read("f.html").contains(&format!("SHA-256 {want}")));
    d.cmd()
        .args(["audit", "-", "-q", "--html", "s.html"])
        .write_stdin(ps51_export())
        .assert()
        .success();
    assert!(d.read("s.html").contains(&format!("SHA-256 {want}")));
}

#[test]
#[cfg_attr(windows, ignore = "needs bash and head")]
fn a_closed_standard_output_still_commits_the_files() {
    let d = Dir::new();
    let mut big = String::from("UPN,BlockCredential,Methods\n");
    for i in 0..200_000 {
        big.push_str(&format!("user{i}@x.com,False,OneWaySMS\n"));
    }
    d.write("big.csv", big);
    let bin = super::bin();
    let table = [
        ("-o - --json s.json", "s.json"),
        ("--json - -o r.csv --registered l.csv", "r.csv"),
    ];
    for (flags, file) in table {
        let status = StdCommand::new("bash")
            .arg("-c")
            .arg(format!(
                "'{}' audit big.csv -q {flags} | head -c 10 >/dev/null; exit ${{PIPESTATUS[0]}}",
                bin.display()
            ))
            .current_dir(d.path(""))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(status.status.code(), Some(0), "{flags}");
        assert!(status.stderr.is_empty(), "{flags}: {:?}", status.stderr);
        let text = d.read(file);
        if file == "s.json" {
            let j: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(j["registered"], 200_000);
        } else {
            assert_eq!(text.lines().count(), 200_001, "{flags}");
        }
        assert!(temporaries(&d).is_empty());
        for f in ["s.json", "r.csv", "l.csv"] {
            let _ = fs::remove_file(d.path(f));
        }
    }
}

/// What goes to a device waits in a temporary file until the commit; without a temporary folder
/// the message says that, where it looked and how to change it, not that the device is missing.
#[test]
#[cfg_attr(
    windows,
    ignore = "needs /dev/null, and TMPDIR decides the temporary folder on Unix only"
)]
fn a_device_output_without_a_temporary_folder_says_why() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    d.cmd()
        .args(["audit", "users.csv", "-q", "--json", "/dev/null"])
        .env("TMPDIR", "/nonexistent/mfa-audit-test")
        .assert()
        .code(2)
        .stderr(
            "mfa-audit: error: cannot write /dev/null: what goes to it is held in a temporary file \
             until the run ends, and none can be made in /nonexistent/mfa-audit-test (no such file \
             or directory); set TMPDIR (TMP on Windows) to a writable folder (nothing was changed)\n",
        );
    assert!(!d.exists("MFA_Report.csv"));
}
