//! The files under a `--policies` folder, recursively, in a fixed order, without following
//! symbolic links to folders.
//!
//! Entries are sorted by the bytes of their names at each level and folders are read where
//! they sort (depth first), so the order is the same on every platform and every run: the
//! order files are read in decides which of two conflicting exports an error names first, and
//! a report must not depend on a file system's directory order. A symbolic link to a file is
//! read (exports are often linked into a review folder); a link to a folder is skipped and
//! named, so a loop (`a/b -> a`) cannot be walked forever.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One entry of the walk.
#[derive(Debug, PartialEq, Eq)]
pub enum Entry {
    File(PathBuf),
    /// Not read: a link to a folder, or something that is neither file nor folder.
    Skipped(String, String),
}

/// Every file under `dir`, in order.
pub fn files(dir: &Path) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    walk(dir, &mut out)?;
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Entry>) -> Result<()> {
    let mut entries = fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<Vec<PathBuf>>>()
        .with_context(|| format!("cannot read the folder {}", dir.display()))?;
    entries.sort_by(|a, b| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });
    for path in entries {
        let meta = fs::symlink_metadata(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.to_string_lossy().into_owned();
        if meta.is_dir() {
            walk(&path, out)?;
        } else if meta.is_file() {
            out.push(Entry::File(path));
        } else if meta.file_type().is_symlink() {
            // Follow a link only to a file; where it points is asked of the target.
            match fs::metadata(&path) {
                Ok(target) if target.is_file() => out.push(Entry::File(path)),
                Ok(target) if target.is_dir() => out.push(Entry::Skipped(
                    name,
                    "a symbolic link to a folder, not followed (give the folder itself)".into(),
                )),
                Ok(_) => out.push(Entry::Skipped(
                    name,
                    "a link to something not a file".into(),
                )),
                Err(e) => out.push(Entry::Skipped(name, format!("a broken symbolic link: {e}"))),
            }
        } else {
            out.push(Entry::Skipped(name, "not a regular file".into()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_depth_first_and_folder_links_not_followed() {
        let root = std::env::temp_dir().join(format!("mfa-walk-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("b/inner")).unwrap();
        for f in ["c.json", "a.csv", "b/z.json", "b/inner/y.csv", "B.txt"] {
            fs::write(root.join(f), "x").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&root, root.join("b/loop")).unwrap();
        let got: Vec<String> = files(&root)
            .unwrap()
            .into_iter()
            .map(|e| match e {
                Entry::File(p) => p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                Entry::Skipped(p, why) => format!(
                    "skip {} {}",
                    &p[root.to_string_lossy().len() + 1..],
                    &why[..8]
                ),
            })
            .collect();
        let mut want = vec!["B.txt", "a.csv", "b/inner/y.csv"];
        #[cfg(unix)]
        want.push("skip b/loop a symbol");
        want.extend(["b/z.json", "c.json"]);
        assert_eq!(got, want);
        fs::remove_dir_all(&root).unwrap();
    }
}
