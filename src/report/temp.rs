//! Temporary files beside an output: named so that a later run can tell ours (and whether the
//! run that made one is still alive), and short enough for any legal output name.
//!
//! `.NAME.PID.XXXXXX.mfa-audit.tmp`: the PID lets a later run remove what a killed run left
//! without touching the file a running audit is writing. NAME can itself be up to 255 bytes, the
//! file system's limit, so when the whole would not fit, a 16-digit hash of NAME stands for it.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Result};
use tempfile::NamedTempFile;

use crate::error::{plain_reason, WriteFailed};

/// Marks temporary files of ours in a folder.
pub const TEMP_SUFFIX: &str = ".mfa-audit.tmp";

/// The longest file name most file systems take (ext4, XFS, btrfs, APFS, NTFS in UTF-16 units).
pub const NAME_MAX: usize = 255;

/// A temporary file in `dest`'s folder, named so that it stays within [`NAME_MAX`].
pub fn temp_beside(name: &str, dest: &Path) -> Result<NamedTempFile> {
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        bail!(
            "cannot write {name}: folder {} does not exist",
            dir.display()
        );
    }
    // Found now, not when the rename fails after other outputs were already replaced.
    if dest.file_name().is_some_and(|n| n.len() > NAME_MAX) {
        bail!(WriteFailed {
            path: name.to_owned(),
            reason: format!("the name is too long for the file system (at most {NAME_MAX} bytes)"),
            state: "nothing was changed".to_owned(),
        });
    }
    let mut builder = tempfile::Builder::new();
    let prefix = temp_prefix(dest);
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Like any new file: 0666 less the umask; an existing report keeps its mode.
        let mode = fs::metadata(dest)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o666);
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    builder.tempfile_in(&dir).map_err(|e| {
        anyhow::Error::new(WriteFailed {
            path: name.to_owned(),
            reason: format!(
                "cannot create a file in {}: {}",
                dir.display(),
                plain_reason(&e)
            ),
            state: "nothing was changed".to_owned(),
        })
    })
}

/// `.NAME.PID.`: the PID lets a later run tell a temporary file left by a killed run from one
/// a running audit is writing. When NAME is too long for that to fit the file system's limit
/// (with the random part and the suffix), a hash of NAME stands for it.
fn temp_prefix(dest: &Path) -> String {
    let file = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pid = std::process::id();
    // "." + NAME + "." + PID + "." + 6 random + suffix.
    let room = NAME_MAX - 1 - 1 - pid.to_string().len() - 1 - 6 - TEMP_SUFFIX.len();
    let stem = if file.len() <= room {
        file
    } else {
        short_name(&file)
    };
    format!(".{stem}.{pid}.")
}

/// What stands for a name too long to fit in a temporary file's name.
fn short_name(file: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(file.as_bytes()))
}

/// Removes temporary files of `dest` that a killed run left behind: ours by name, and whose
/// process is gone (Linux: no /proc/PID; elsewhere: older than a day). Best effort.
pub fn remove_stale_temps(dest: &Path) {
    let Some(name) = dest.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return;
    };
    let prefixes = [format!(".{name}."), format!(".{}.", short_name(name))];
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        let Some(middle) = prefixes.iter().find_map(|p| {
            file.strip_prefix(p.as_str())
                .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        }) else {
            continue;
        };
        let Some(pid) = middle.split('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !alive(pid, &entry) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn alive(pid: u32, entry: &fs::DirEntry) -> bool {
    if cfg!(target_os = "linux") {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    let day = Duration::from_secs(86_400);
    entry
        .metadata()
        .and_then(|m| m.modified())
        .map(|t| t.elapsed().map_or(true, |age| age < day))
        .unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_fit_the_file_system() {
        for len in [1, 100, 200, 230, 255] {
            let name = "r".repeat(len);
            let prefix = temp_prefix(Path::new(&name));
            let longest = prefix.len() + 6 + TEMP_SUFFIX.len();
            assert!(longest <= NAME_MAX, "{len}: {longest}");
            assert_eq!(
                prefix.starts_with(&format!(".{name}.")),
                len <= 200,
                "{len}"
            );
        }
    }
}
