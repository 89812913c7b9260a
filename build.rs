//! The version `--version` shows: the package's, and the commit when built from a git
//! checkout (`0.1.0 (commit 0123456789ab)`), so that a binary can be traced to its source.
//! Reports keep saying the package version alone: they are compared byte for byte across
//! builds. Without git, or outside a checkout of this crate (a crates.io or release
//! tarball), the version is the package's alone.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `git ARGS` run in `dir`, its trimmed output when it succeeded with some.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// Tells cargo to run this again when `path` (given by git, relative to `dir`) changes, if it
/// exists: a path that does not exist would make cargo run it on every build.
fn watch(dir: &Path, path: Option<String>) {
    if let Some(p) = path {
        let p = dir.join(p);
        if p.exists() {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    // Only this crate's own checkout: a tarball unpacked inside some other repository (a
    // home folder kept in git) must not take that repository's commit.
    let ours = git(&dir, &["rev-parse", "--show-toplevel"])
        .and_then(|top| Path::new(&top).canonicalize().ok())
        .is_some_and(|top| dir.canonicalize().is_ok_and(|d| d == top));
    let commit = ours
        .then(|| git(&dir, &["rev-parse", "--short=12", "HEAD"]))
        .flatten();
    if commit.is_some() {
        // HEAD, the branch it names, and packed refs (where a branch may live instead): a
        // new commit or checkout changes one of them, and nothing else rebuilds for it.
        watch(&dir, git(&dir, &["rev-parse", "--git-path", "HEAD"]));
        if let Some(branch) = git(&dir, &["symbolic-ref", "-q", "HEAD"]) {
            watch(&dir, git(&dir, &["rev-parse", "--git-path", &branch]));
        }
        watch(&dir, git(&dir, &["rev-parse", "--git-path", "packed-refs"]));
    }
    let shown = match commit {
        Some(c) => format!("{version} (commit {c})"),
        None => version,
    };
    println!("cargo:rustc-env=MFA_AUDIT_VERSION={shown}");
}
