//! The one helper every integration test uses: a temporary folder with fixtures ([`Dir`]) and the
//! built binary run in it ([`TestCommand`]). When an assertion on a run fails, the message shows
//! the command, its exit code, standard output and standard error (assert_cmd prints those) and
//! the folder as the run left it, so a failure can be understood without running it again.
//!
//! Every `signins` run through it is also checked for phone numbers: whatever the test asserts,
//! no output file, standard output or standard error of the suite may hold an unscrubbed one.

use std::cell::RefCell;
use std::collections::HashSet;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::rc::Rc;
use std::time::Duration;

use assert_cmd::assert::Assert;
use serde_json::Value;
use tempfile::TempDir;

/// The built `mfa-audit`, for tests that must start it themselves (through a shell, or as a
/// child they signal).
pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("mfa-audit")
}

/// The binary, run in the current folder (for runs that read no file).
pub fn mfa() -> TestCommand {
    TestCommand::new(None, Rc::default())
}

/// One run of the binary, built like [`std::process::Command`].
pub struct TestCommand {
    cmd: assert_cmd::Command,
    dir: Option<PathBuf>,
    /// The names of the files the test wrote into `dir` (inputs, not outputs).
    inputs: Rc<RefCell<HashSet<String>>>,
}

impl TestCommand {
    fn new(dir: Option<&Path>, inputs: Rc<RefCell<HashSet<String>>>) -> TestCommand {
        let mut cmd = assert_cmd::Command::new(bin());
        if let Some(d) = dir {
            cmd.current_dir(d);
        }
        TestCommand {
            cmd,
            dir: dir.map(Path::to_path_buf),
            inputs,
        }
    }

    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.cmd.arg(arg);
        self
    }

    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Self {
        self.cmd.env(key, value);
        self
    }

    pub fn env_remove(&mut self, key: impl AsRef<OsStr>) -> &mut Self {
        self.cmd.env_remove(key);
        self
    }

    pub fn write_stdin(&mut self, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.cmd.write_stdin(bytes);
        self
    }

    pub fn timeout(&mut self, limit: Duration) -> &mut Self {
        self.cmd.timeout(limit);
        self
    }

    /// Runs it; a failed assertion on the result also shows the folder.
    pub fn assert(&mut self) -> Assert {
        let assert = self.cmd.assert();
        self.no_phone_numbers(assert.get_output());
        match &self.dir {
            Some(dir) => assert.append_context("folder after the run", listing(dir)),
            None => assert,
        }
    }

    /// Runs it and returns what it printed, for tests that look at the output themselves.
    pub fn output(&mut self) -> std::io::Result<Output> {
        let out = self.cmd.output()?;
        self.no_phone_numbers(&out);
        Ok(out)
    }

    /// For a `signins` run: no phone number in standard output, standard error or any file
    /// the run wrote (the files the test wrote are its inputs, and may hold them).
    fn no_phone_numbers(&self, out: &Output) {
        let args: Vec<String> = self
            .cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        if args.first().map(String::as_str) != Some("signins") {
            return;
        }
        let mut texts = vec![
            (
                "standard output".to_owned(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
            ),
            (
                "standard error".to_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ),
        ];
        if let Some(dir) = &self.dir {
            let inputs = self.inputs.borrow();
            for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let path = entry.path();
                if inputs.contains(&name) || !path.is_file() {
                    continue;
                }
                if let Ok(bytes) = fs::read(&path) {
                    texts.push((name, text_of(&bytes)));
                }
            }
        }
        // The inputs' numbers, as written and as their last eight digits in a row (the
        // portal's scrub keeps two): none may be in an output.
        let mut numbers: Vec<String> = Vec::new();
        if let Some(dir) = &self.dir {
            for name in self.inputs.borrow().iter() {
                let Ok(bytes) = fs::read(dir.join(name)) else {
                    continue;
                };
                let text = text_of(&bytes);
                for n in mfa_audit::phone::phone_numbers(&text) {
                    // A user principal name made of digits is an identity, kept as it is.
                    let end = n.as_ptr() as usize - text.as_ptr() as usize + n.len();
                    if text[end..].starts_with('@') {
                        continue;
                    }
                    let digits: String = n
                        .chars()
                        .filter_map(|c| c.to_digit(10))
                        .map(|d| char::from(b'0' + d as u8))
                        .collect();
                    numbers.push(n.to_owned());
                    if digits.len() >= 8 {
                        numbers.push(digits[digits.len() - 8..].to_owned());
                    }
                }
            }
        }
        for (what, text) in &texts {
            if let Some(n) = numbers.iter().find(|n| text.contains(n.as_str())) {
                panic!("the input's phone number {n} left `signins` unscrubbed, in {what}");
            }
        }
    }
}

/// A file's text; a workbook's parts unpacked.
fn text_of(bytes: &[u8]) -> String {
    if bytes.starts_with(b"PK") {
        if let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
            let mut text = String::new();
            for i in 0..zip.len() {
                if let Ok(mut part) = zip.by_index(i) {
                    let _ = std::io::Read::read_to_string(&mut part, &mut text);
                }
            }
            return text;
        }
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// The files of a folder with their sizes, one per line (what a failed test shows).
fn listing(dir: &Path) -> String {
    let mut entries: Vec<(String, String)> = match fs::read_dir(dir) {
        Ok(read) => read
            .filter_map(Result::ok)
            .map(|e| {
                let size = e
                    .metadata()
                    .map(|m| {
                        if m.is_dir() {
                            "folder".to_owned()
                        } else {
                            format!("{} bytes", m.len())
                        }
                    })
                    .unwrap_or_else(|err| err.to_string());
                (e.file_name().to_string_lossy().into_owned(), size)
            })
            .collect(),
        Err(e) => return format!("{}: {e}", dir.display()),
    };
    entries.sort();
    let mut s = format!("{}\n", dir.display());
    for (name, size) in entries {
        let _ = writeln!(s, "  {name}  ({size})");
    }
    s
}

/// A temporary folder with fixture files, where the binary runs.
pub struct Dir {
    tmp: TempDir,
    /// Names written by [`Dir::write`]: inputs, which may hold what outputs must not.
    inputs: Rc<RefCell<HashSet<String>>>,
}

impl Default for Dir {
    fn default() -> Dir {
        // Under Wine the folders go where Linux's Python can reach them too (see `python`).
        let tmp = match std::env::var_os("MFA_AUDIT_TEST_TMP") {
            Some(root) if cfg!(windows) => {
                fs::create_dir_all(&root).unwrap();
                tempfile::tempdir_in(root).unwrap()
            }
            _ => tempfile::tempdir().unwrap(),
        };
        Dir {
            tmp,
            inputs: Rc::default(),
        }
    }
}

/// Runs a fixture generator, `python3 SCRIPT PATHS...`, to its end; on failure, what it said.
///
/// The Windows build of these tests runs under Wine, where the Python is Linux's:
/// `MFA_AUDIT_TEST_PYTHON` names it and `MFA_AUDIT_TEST_TMP` puts the folders on Wine's drive
/// Z: (Linux's `/`), whose paths are handed to it as Linux paths (scripts/windows/tests.sh
/// sets both). Wine starts a Linux program only from `cmd.exe` (started directly with redirected
/// handles it fails with "Invalid handle") and does not wait for it, so there the script runs
/// inside a few lines of Python that write its outcome to a file, which is waited for. On
/// Windows itself, `python` from PATH.
pub fn run_python(script: &Path, paths: &[&Path]) -> Result<(), String> {
    let Some(wine_python) = std::env::var_os("MFA_AUDIT_TEST_PYTHON").filter(|_| cfg!(windows))
    else {
        let program = if cfg!(windows) { "python" } else { "python3" };
        let out = std::process::Command::new(program)
            .arg(script)
            .args(paths)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| format!("{program} is needed for {}: {e}", script.display()))?;
        return match out.status.success() {
            true => Ok(()),
            false => Err(format!(
                "{} failed: {}\n{}",
                script.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )),
        };
    };
    let outcome = tempfile::Builder::new()
        .suffix(".outcome")
        .tempfile_in(std::env::var_os("MFA_AUDIT_TEST_TMP").unwrap())
        .unwrap()
        .into_temp_path();
    fs::remove_file(&outcome).unwrap();
    let args: Vec<String> = std::iter::once(script)
        .chain(paths.iter().copied())
        .map(|p| linux_path(p).to_string_lossy().into_owned())
        .collect();
    let runner = format!(
        "import os, runpy, sys, traceback\n\
         sys.argv = {args:?}\n\
         sys.path.insert(0, os.path.dirname(sys.argv[0]))\n\
         try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\n    said = 'ok'\n\
         except SystemExit as e:\n    said = 'ok' if e.code in (None, 0) else f'exit {{e.code}}'\n\
         except BaseException:\n    said = traceback.format_exc()\n\
         open({outcome:?} + '.part', 'w').write(said)\n\
         os.rename({outcome:?} + '.part', {outcome:?})\n",
        outcome = linux_path(&outcome).to_string_lossy()
    );
    let runner_file = outcome.with_extension("py");
    fs::write(&runner_file, runner).unwrap();
    std::process::Command::new("cmd.exe")
        .arg("/c")
        .arg(wine_python)
        .arg(linux_path(&runner_file))
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot start Python under Wine: {e}"))?;
    let started = std::time::Instant::now();
    while !outcome.exists() {
        if started.elapsed() > Duration::from_secs(120) {
            return Err(format!("{} did not finish in 120 s", script.display()));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let said = fs::read_to_string(&outcome).unwrap();
    let _ = fs::remove_file(&runner_file);
    match said.as_str() {
        "ok" => Ok(()),
        _ => Err(format!("{} failed: {said}", script.display())),
    }
}

/// `p` as a Linux program under Wine sees it: `Z:\\tmp\\x` is `/tmp/x`, and a path the build
/// joined from a Linux root (`/work/scripts\\x.py`) has its separators made one.
fn linux_path(p: &Path) -> std::ffi::OsString {
    let Some(text) = p.to_str() else {
        return p.as_os_str().to_owned();
    };
    let rest = match text.get(..2) {
        Some(drive) if drive.eq_ignore_ascii_case("z:") => &text[2..],
        _ => text,
    };
    if !rest.starts_with(['/', '\\']) {
        return p.as_os_str().to_owned();
    }
    rest.replace('\\', "/").into()
}

impl Dir {
    pub fn new() -> Dir {
        Dir::default()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> &Dir {
        fs::write(self.path(name), bytes).unwrap();
        // A file in a sub-folder marks its top folder as input.
        let top = name.split(['/', '\\']).next().unwrap_or(name);
        self.inputs.borrow_mut().insert(top.to_owned());
        self
    }

    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    pub fn exists(&self, name: &str) -> bool {
        self.path(name).exists()
    }

    /// Names of the files in the folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(self.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// A fresh folder filled by a fixture generator: `python3 scripts/SCRIPT FOLDER`.
    pub fn generated(script: &str) -> Dir {
        let d = Dir::new();
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scripts")
            .join(script);
        if let Err(e) = run_python(&script, &[&d.path("")]) {
            panic!("{e}");
        }
        d
    }

    /// The binary, run in this folder.
    pub fn cmd(&self) -> TestCommand {
        TestCommand::new(Some(self.tmp.path()), Rc::clone(&self.inputs))
    }

    /// Runs the binary with `args`, expects exit code `code`, returns what it printed on
    /// standard error (the human summary, warnings, errors).
    pub fn stderr_of(&self, args: &[&str], code: i32) -> String {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .code(code)
            .get_output()
            .stderr
            .clone();
        String::from_utf8(out).expect("standard error is UTF-8")
    }

    /// Runs `audit` with `--json s.json`, expects success, returns the JSON summary.
    pub fn audit_json(&self, args: &[&str]) -> Value {
        self.cmd()
            .arg("audit")
            .args(args)
            .args(["--json", "s.json", "-q"])
            .assert()
            .success();
        serde_json::from_str(&self.read("s.json")).unwrap()
    }

    /// A report's second column by user name (the part of the UPN before `@` or `_`), after
    /// checking its header line is `header`.
    pub fn report_column(&self, report: &str, header: &str) -> Vec<(String, String)> {
        let text = self.read(report);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(header), "{report}");
        lines
            .map(|l| {
                let cells: Vec<&str> = l.split("\",\"").collect();
                let upn = cells[0].trim_matches('"');
                let name = upn.split(['@', '_']).next().unwrap().to_owned();
                (name, cells[1].trim_matches('"').to_owned())
            })
            .collect()
    }

    /// The MFA Result column of the row of `ev.csv` (a `signins --events` file) that holds
    /// `needle`.
    pub fn event_result(&self, needle: &str) -> String {
        let events = self.read("ev.csv");
        let line = events
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not in {events}"));
        line.split("\",\"").nth(4).unwrap().to_owned()
    }
}

/// The scan fails a `signins` run that lets a phone number out, and only an output: the
/// inputs may hold numbers.
#[test]
fn a_phone_number_in_a_signins_output_fails_the_test() {
    let d = Dir::new();
    d.write(
        "in.csv",
        "Username,Detail\r\nann@x.com,+1 (425) 555-0199\r\n",
    );
    // An input with a number is fine; the same number as an output is not, in any spacing.
    std::fs::write(d.path("out.csv"), "call 14255550199").unwrap();
    let shown = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        d.cmd().args(["signins", "--help"]).assert().success();
    }))
    .expect_err("an output file holds a phone number");
    let message = shown.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("in out.csv"), "{message}");
    std::fs::remove_file(d.path("out.csv")).unwrap();
    d.cmd().args(["signins", "--help"]).assert().success();
}

#[test]
fn a_failed_assertion_shows_the_folder() {
    let d = Dir::new();
    d.write("users.csv", "UserPrincipalName,BlockCredential\r\n");
    let shown = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        d.cmd().args(["audit", "missing.csv"]).assert().success();
    }))
    .expect_err("the run fails, so the assertion must");
    let message = shown.downcast_ref::<String>().cloned().unwrap_or_default();
    for part in [
        "folder after the run",
        "users.csv  (35 bytes)",
        "missing.csv",
    ] {
        assert!(message.contains(part), "{part:?} not in {message}");
    }
}

/// What some tests need from Unix: FIFOs, devices, symbolic links. Those tests are ignored on
/// Windows with the reason (`#[cfg_attr(windows, ignore = "...")]`); the stand-ins here only let
/// them compile there and are never reached.
pub mod unix {
    #[cfg(unix)]
    pub use std::os::unix::fs::{symlink, FileTypeExt};

    #[cfg(not(unix))]
    pub fn symlink(
        _target: impl AsRef<std::path::Path>,
        _link: impl AsRef<std::path::Path>,
    ) -> std::io::Result<()> {
        unreachable!("a Unix-only test ran on Windows")
    }

    #[cfg(not(unix))]
    pub trait FileTypeExt {
        fn is_fifo(&self) -> bool;
        fn is_char_device(&self) -> bool;
    }

    #[cfg(not(unix))]
    impl FileTypeExt for std::fs::FileType {
        fn is_fifo(&self) -> bool {
            unreachable!("a Unix-only test ran on Windows")
        }
        fn is_char_device(&self) -> bool {
            unreachable!("a Unix-only test ran on Windows")
        }
    }
}
