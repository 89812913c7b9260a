//! Outputs that appear whole or not at all, all together, once the run has succeeded.
//!
//! Every output of a run is prepared as an [`Output`] while the run works, then handed to one
//! [`Commit`], which makes them all visible at the end, in order:
//!
//! - a regular file (or a name that does not exist yet) is written to a temporary file in the
//!   destination's folder (`.NAME.PID.XXXXXX.mfa-audit.tmp`, or a hash of NAME when the name is
//!   too long to leave room) and renamed over the destination (a symbolic link to a file is
//!   itself replaced: what it points to may not be ours to write);
//! - anything else (a character device like `/dev/null`, a FIFO, `/dev/stdout`, a
//!   `/proc/self/fd/N` link) cannot be replaced by a rename without destroying it: the output
//!   is kept in an unnamed temporary file and copied into the target at commit time;
//! - `-` is standard output, streamed as the run goes (it cannot wait, and cannot be taken
//!   back). A reader that stops early (`| head`) only cuts that stream short: the rest of the
//!   output is discarded and the run goes on to commit the other outputs.
//!
//! The commit first flushes everything (a full disk shows here, before anything is
//! replaced), on Windows checks that every file to be replaced can be (a report open in Excel
//! cannot: renaming over it is refused while it is open, so this is said before anything is
//! written), checks for Ctrl-C / SIGTERM one last time, writes the direct targets and GitHub
//! step-summary appends, then renames. A failure before the renames changes nothing; a failure
//! among them cannot be rolled back, and the message says which outputs were replaced and
//! which were not.
//!
//! Test hook: when `MFA_AUDIT_TEST_PAUSE_BEFORE_COMMIT` names a file, the commit creates that
//! file once every output is ready and waits until it is deleted before its last interrupt
//! check, so that a test can deliver a signal at exactly that point.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use tempfile::NamedTempFile;

use super::temp::{remove_stale_temps, temp_beside};
use crate::error::{plain_reason, Interrupted, WriteFailed};

/// The environment variable of the test hook (see the module documentation).
const PAUSE_HOOK: &str = "MFA_AUDIT_TEST_PAUSE_BEFORE_COMMIT";

/// One output: where it goes and what is being prepared for it.
pub struct Output {
    /// The destination as the command line named it, for messages.
    name: String,
    kind: Kind,
}

enum Kind {
    /// `-`: streamed. `closed` once the reader went away.
    Stdout { out: io::Stdout, closed: bool },
    /// A regular file: a temporary file beside it, renamed over it.
    Replace { dest: PathBuf, temp: NamedTempFile },
    /// Not a regular file: kept in an unnamed temporary file, copied into it at commit.
    Direct { dest: PathBuf, buffer: File },
}

impl Output {
    /// Prepares `path` (`-` for standard output).
    pub fn create(path: &str) -> Result<Output> {
        let name = path.to_owned();
        if path == "-" {
            let kind = Kind::Stdout {
                out: io::stdout(),
                closed: false,
            };
            return Ok(Output { name, kind });
        }
        let given = PathBuf::from(path);
        let kind = match fs::metadata(&given) {
            Ok(m) if m.is_dir() => bail!("{path}: is a folder; give a file name"),
            // /proc/self/fd/N and its aliases point at whatever the shell opened (a pipe, or a
            // file opened for appending): the link must be written, never renamed over.
            // A symbolic link to a file is replaced by the new file, as a name that does not
            // exist would be: the file it pointed to may not be ours to write.
            Ok(m) if m.is_file() && !is_fd_link(&given) => Kind::Replace {
                temp: temp_beside(&name, &given)?,
                dest: given,
            },
            Ok(_) => Kind::Direct {
                buffer: device_buffer().map_err(|e| WriteFailed::before_commit(&name, &e))?,
                dest: given,
            },
            Err(_) => Kind::Replace {
                temp: temp_beside(&name, &given)?,
                dest: given,
            },
        };
        Ok(Output { name, kind })
    }

    /// The destination, for messages.
    pub fn describe(&self) -> String {
        match self.kind {
            Kind::Stdout { .. } => "standard output".to_owned(),
            _ => self.name.clone(),
        }
    }

    /// The file being prepared, for writers that seek (workbooks); `None` for standard output.
    pub fn seekable(&mut self) -> Option<Seekable<'_>> {
        let file = match &mut self.kind {
            Kind::Stdout { .. } => return None,
            Kind::Replace { temp, .. } => temp.as_file_mut(),
            Kind::Direct { buffer, .. } => buffer,
        };
        Some(Seekable {
            name: &self.name,
            file,
        })
    }

    /// Makes the prepared bytes durable (first step of the commit): nothing is visible yet.
    fn prepare(&mut self) -> Result<(), WriteFailed> {
        let done = match &mut self.kind {
            Kind::Stdout { out, closed } => match out.flush() {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                    *closed = true;
                    Ok(())
                }
                other => other,
            },
            Kind::Replace { temp, .. } => temp.flush().and_then(|()| temp.as_file().sync_all()),
            Kind::Direct { buffer, .. } => buffer
                .flush()
                .and_then(|()| buffer.seek(SeekFrom::Start(0)).map(drop)),
        };
        done.map_err(|e| WriteFailed {
            path: self.name.clone(),
            reason: plain_reason(&e),
            state: "nothing was changed".to_owned(),
        })
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = match &mut self.kind {
            Kind::Stdout { closed: true, .. } => return Ok(buf.len()),
            Kind::Stdout { out, closed } => match out.write(buf) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                    // The reader chose to stop reading; the other outputs are still wanted.
                    *closed = true;
                    return Ok(buf.len());
                }
                other => return other,
            },
            Kind::Replace { temp, .. } => temp.write(buf),
            Kind::Direct { buffer, .. } => buffer.write(buf),
        };
        result.map_err(|e| WriteFailed::before_commit(&self.name, &e))
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = match &mut self.kind {
            Kind::Stdout { closed: true, .. } => return Ok(()),
            Kind::Stdout { out, closed } => match out.flush() {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                    *closed = true;
                    return Ok(());
                }
                other => return other,
            },
            Kind::Replace { temp, .. } => temp.flush(),
            Kind::Direct { buffer, .. } => buffer.flush(),
        };
        result.map_err(|e| WriteFailed::before_commit(&self.name, &e))
    }
}

/// The file behind an [`Output`], for writers that seek; failures are worded like any other
/// failed write.
pub struct Seekable<'a> {
    name: &'a str,
    file: &'a mut File,
}

impl Write for Seekable<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file
            .write(buf)
            .map_err(|e| WriteFailed::before_commit(self.name, &e))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file
            .flush()
            .map_err(|e| WriteFailed::before_commit(self.name, &e))
    }
}

impl Seek for Seekable<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.file.seek(pos)
    }
}

/// True for paths that name an open file descriptor rather than a file: `/proc/.../fd/N`,
/// `/dev/fd/N`, `/dev/stdout`, `/dev/stderr`.
fn is_fd_link(path: &Path) -> bool {
    let text = path.to_string_lossy();
    text.starts_with("/proc/")
        || text.starts_with("/dev/fd/")
        || matches!(&*text, "/dev/stdout" | "/dev/stderr" | "/dev/stdin")
}

/// Text appended to a file at commit time (GitHub's step summary: the runner owns that file
/// and collects what each step appends, so it is added to, never replaced).
struct Append {
    name: String,
    path: PathBuf,
    bytes: Vec<u8>,
}

/// Every output of a run, made visible together by [`Commit::commit`]. Dropped without a
/// commit (an error, Ctrl-C), it removes its temporary files and changes nothing.
#[derive(Default)]
pub struct Commit {
    outputs: Vec<Output>,
    appends: Vec<Append>,
}

impl Commit {
    pub fn new() -> Commit {
        Commit::default()
    }

    /// Adds a finished output; outputs are replaced in the order they were added.
    pub fn add(&mut self, out: Output) {
        self.outputs.push(out);
    }

    /// Appends `bytes` to `path` at commit time.
    pub fn append(&mut self, path: &Path, bytes: Vec<u8>) {
        self.appends.push(Append {
            name: path.display().to_string(),
            path: path.to_path_buf(),
            bytes,
        });
    }

    /// Makes every output visible, or (on an error or a signal before the renames) none.
    pub fn commit(mut self) -> Result<()> {
        for out in &mut self.outputs {
            out.prepare()?;
        }
        for out in &self.outputs {
            if let Kind::Replace { dest, .. } = &out.kind {
                can_replace(dest).map_err(|e| failed(&out.name, &e, false, &[], &[]))?;
            }
        }
        pause_for_tests();
        if !crate::interrupt::begin_commit() {
            return Err(Interrupted.into());
        }
        // Direct writes first: a device or FIFO that fails leaves every file as it was. Then
        // the appends, then the renames; `order` names them in that order for messages.
        let is_direct = |o: &&Output| matches!(o.kind, Kind::Direct { .. });
        let is_replace = |o: &&Output| matches!(o.kind, Kind::Replace { .. });
        let order: Vec<String> = (self
            .outputs
            .iter()
            .filter(is_direct)
            .map(|o| o.name.clone()))
        .chain(self.appends.iter().map(|a| a.name.clone()))
        .chain(
            self.outputs
                .iter()
                .filter(is_replace)
                .map(|o| o.name.clone()),
        )
        .collect();
        let mut step = 0;
        let fail = |step: usize, e: &io::Error, partial: bool| -> anyhow::Error {
            failed(&order[step], e, partial, &order[..step], &order[step + 1..]).into()
        };
        for out in &mut self.outputs {
            if let Kind::Direct { dest, buffer } = &mut out.kind {
                copy_into(dest, buffer, false).map_err(|(e, partial)| fail(step, &e, partial))?;
                step += 1;
            }
        }
        for append in &mut self.appends {
            let mut bytes = io::Cursor::new(std::mem::take(&mut append.bytes));
            copy_into(&append.path, &mut bytes, true)
                .map_err(|(e, partial)| fail(step, &e, partial))?;
            step += 1;
        }
        for out in self.outputs.drain(..) {
            if let Kind::Replace { dest, temp } = out.kind {
                temp.persist(&dest)
                    .map_err(|e| fail(step, &e.error, false))?;
                remove_stale_temps(&dest);
                step += 1;
            }
        }
        Ok(())
    }
}

/// Whether the existing file `dest` can be renamed over now. On Windows a rename needs delete
/// access to the file it replaces, which a program holding it open without sharing delete
/// (Excel does) denies; asking for that access first is how the refusal comes before anything
/// is written. Unix renames over open files.
#[cfg(windows)]
fn can_replace(dest: &Path) -> io::Result<()> {
    use std::os::windows::fs::OpenOptionsExt;
    use windows_sys::Win32::Storage::FileSystem::{
        DELETE, FILE_SHARE_DELETE, FILE_SHARE_READ, FILE_SHARE_WRITE,
    };
    match fs::OpenOptions::new()
        .access_mode(DELETE)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
        .open(dest)
    {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other.map(drop),
    }
}

#[cfg(not(windows))]
fn can_replace(_dest: &Path) -> io::Result<()> {
    Ok(())
}

/// Copies `from` into the existing target `dest` (appending when `append`). On failure, the
/// error and whether some bytes already reached the target.
fn copy_into(dest: &Path, from: &mut dyn Read, append: bool) -> Result<(), (io::Error, bool)> {
    let mut options = fs::OpenOptions::new();
    if append {
        options.append(true).create(true);
    } else {
        // Appending: a /dev/stdout that the shell opened with `>>` must not be cut back to
        // nothing; on a device or FIFO it makes no difference.
        options.append(true);
    }
    let mut target = options.open(dest).map_err(|e| (e, false))?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut written = false;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err((e, written)),
        };
        target.write_all(&buf[..n]).map_err(|e| (e, written))?;
        written = true;
    }
    target.flush().map_err(|e| (e, written))
}

/// The message for an output that failed during the commit, saying honestly what was written
/// and what was not (renames that happened cannot be taken back). `partial`: some bytes
/// reached `name` (a device or FIFO) before the failure.
fn failed(
    name: &str,
    err: &io::Error,
    partial: bool,
    done: &[String],
    rest: &[String],
) -> WriteFailed {
    let state = match (done.is_empty(), partial) {
        (true, false) => "nothing was changed".to_owned(),
        (true, true) => format!("nothing else was changed, but {name} may hold part of the output"),
        (false, _) => {
            let mut parts = vec![format!("already written: {}", done.join(", "))];
            if partial {
                parts.push(format!("{name} may hold part of the output"));
            }
            let kept: Vec<&str> = (!partial)
                .then_some(name)
                .into_iter()
                .chain(rest.iter().map(String::as_str))
                .collect();
            if !kept.is_empty() {
                parts.push(format!(
                    "not written, old contents kept: {}",
                    kept.join(", ")
                ));
            }
            parts.join("; ")
        }
    };
    WriteFailed {
        path: name.to_owned(),
        reason: plain_reason(err),
        state,
    }
}

/// The test hook: see the module documentation. Gives up after two minutes so that a test
/// that died cannot leave the process waiting for ever.
fn pause_for_tests() {
    let Some(flag) = std::env::var_os(PAUSE_HOOK).filter(|v| !v.is_empty()) else {
        return;
    };
    let flag = PathBuf::from(flag);
    if fs::write(&flag, b"").is_err() {
        return;
    }
    let started = Instant::now();
    while flag.exists() && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The file that holds what goes to a device or pipe until the run commits: an anonymous
/// temporary file, in the system's temporary folder since a device has no folder of its own.
/// When none can be made, the message says where it was looked for and how to change it (the
/// device itself is fine).
fn device_buffer() -> io::Result<File> {
    tempfile::tempfile().map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "what goes to it is held in a temporary file until the run ends, and none can be \
                 made in {} ({}); set TMPDIR (TMP on Windows) to a writable folder",
                std::env::temp_dir().display(),
                plain_reason(&e)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("MFA_Report.csv");
        fs::write(&target, "old").unwrap();
        let mut out = Output::create(target.to_str().unwrap()).unwrap();
        out.write_all(b"new, half").unwrap();
        drop(out); // a failed run
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp file removed"
        );
        let mut out = Output::create(target.to_str().unwrap()).unwrap();
        out.write_all(b"new").unwrap();
        let mut commit = Commit::new();
        commit.add(out);
        commit.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failure_messages_say_what_was_replaced() {
        let err = io::Error::from_raw_os_error(28);
        let table: [(&[&str], &[&str], bool, &str); 4] = [
            (&[], &[], false, "cannot write x: the disk is full (nothing was changed)"),
            (
                &[],
                &[],
                true,
                "cannot write x: the disk is full (nothing else was changed, but x may hold part of the output)",
            ),
            (
                &["a"],
                &["b"],
                false,
                "cannot write x: the disk is full (already written: a; not written, old contents kept: x, b)",
            ),
            (
                &["a"],
                &[],
                false,
                "cannot write x: the disk is full (already written: a; not written, old contents kept: x)",
            ),
        ];
        for (done, rest, partial, want) in table {
            let done: Vec<String> = done.iter().map(|s| s.to_string()).collect();
            let rest: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
            assert_eq!(failed("x", &err, partial, &done, &rest).to_string(), want);
        }
    }
}
