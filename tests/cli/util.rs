//! The one helper every integration test uses: a temporary folder with fixtures ([`Dir`]) and the
//! built binary run in it ([`TestCommand`]). When an assertion on a run fails, the message shows
//! the command, its exit code, standard output and standard error (assert_cmd prints those) and
//! the folder as the run left it, so a failure can be understood without running it again.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
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
    TestCommand::new(None)
}

/// One run of the binary, built like [`std::process::Command`].
pub struct TestCommand {
    cmd: assert_cmd::Command,
    dir: Option<PathBuf>,
}

impl TestCommand {
    fn new(dir: Option<&Path>) -> TestCommand {
        let mut cmd = assert_cmd::Command::new(bin());
        if let Some(d) = dir {
            cmd.current_dir(d);
        }
        TestCommand {
            cmd,
            dir: dir.map(Path::to_path_buf),
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
        match &self.dir {
            Some(dir) => assert.append_context("folder after the run", listing(dir)),
            None => assert,
        }
    }

    /// Runs it and returns what it printed, for tests that look at the output themselves.
    pub fn output(&mut self) -> std::io::Result<Output> {
        self.cmd.output()
    }
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
}

impl Default for Dir {
    fn default() -> Dir {
        Dir {
            tmp: tempfile::tempdir().unwrap(),
        }
    }
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

    /// The binary, run in this folder.
    pub fn cmd(&self) -> TestCommand {
        TestCommand::new(Some(self.tmp.path()))
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
}

#[test]
fn a_failed_assertion_shows_the_folder() {
    let d = Dir::new();
    d.write("users.csv", "UserPrincipalName,BlockCredential\r\n");
    let shown = std::panic::catch_unwind(|| {
        d.cmd().args(["audit", "missing.csv"]).assert().success();
    })
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
