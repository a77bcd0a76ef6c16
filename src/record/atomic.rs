//! Writing results so that an interrupted program never leaves a half-written file or
//! folder under its final name: a file is written to a hidden temporary file in the
//! target's folder ([`AtomicFile`], `tempfile`'s persist) and a result folder is
//! assembled in a hidden temporary folder beside the target ([`TempFolder`]), each
//! moved into place by one rename when complete. The temporaries are named
//! `.NAME.partial-PID-XXXXXX` (PID: the writing process) and removed if the work fails
//! or is dropped; those of a process that died (`kill -9`, a power cut) are found by
//! their PID and removed by the next writer into the same place ([`remove_stale_partials`]).
//! A result being written is locked ([`TargetLock`]) so that two processes never write
//! the same target at once.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// An I/O failure while writing `path` (the final path, not the temporary one).
#[derive(Debug, thiserror::Error)]
#[error("{}: {what}: {source}", path.display())]
pub struct AtomicError {
    /// The final path of the file or folder.
    pub path: PathBuf,
    /// What was being done, e.g. `cannot create`.
    pub what: &'static str,
    /// The underlying error; [`io::ErrorKind::AlreadyExists`] when something appeared at
    /// `path` and replacing it was not allowed.
    #[source]
    pub source: io::Error,
}

impl AtomicError {
    /// The failure `what` of `source` while writing `path`.
    #[must_use]
    pub fn new(path: &Path, what: &'static str, source: io::Error) -> Self {
        Self {
            path: path.to_path_buf(),
            what,
            source,
        }
    }

    /// Whether the write failed because something exists at the final path.
    #[must_use]
    pub fn exists(&self) -> bool {
        self.source.kind() == io::ErrorKind::AlreadyExists
    }
}

/// The folder a path lives in (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
}

/// `.NAME.partial-PID-`: the prefix of this process's temporaries of `path`.
fn prefix_of(path: &Path) -> Result<OsString, AtomicError> {
    let mut prefix = partial_prefix_of(path)?;
    prefix.push(format!("{}-", std::process::id()));
    Ok(prefix)
}

/// `.NAME.partial-`: the prefix of every process's temporaries of `path`.
fn partial_prefix_of(path: &Path) -> Result<OsString, AtomicError> {
    let name = path.file_name().ok_or_else(|| {
        AtomicError::new(
            path,
            "not a file or folder name",
            io::Error::from(io::ErrorKind::InvalidInput),
        )
    })?;
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(".partial-");
    Ok(prefix)
}

/// A file being written beside its final path; [`AtomicFile::commit`] moves it into
/// place, dropping it removes it.
#[derive(Debug)]
pub struct AtomicFile {
    temporary: tempfile::NamedTempFile,
    target: PathBuf,
}

impl AtomicFile {
    /// Creates the temporary file for `target` in `target`'s folder (which must exist),
    /// named `.NAME.partial-XXXXXX.EXT` (it keeps the extension, from which some writers
    /// take the format).
    ///
    /// # Errors
    /// [`AtomicError`] naming `target` if the temporary file cannot be created.
    pub fn new(target: &Path) -> Result<Self, AtomicError> {
        let mut suffix = OsString::new();
        if let Some(extension) = target.extension() {
            suffix.push(".");
            suffix.push(extension);
        }
        let temporary = tempfile::Builder::new()
            .prefix(&prefix_of(target)?)
            .suffix(&suffix)
            .tempfile_in(parent_of(target))
            .map_err(|e| AtomicError::new(target, "cannot create", e))?;
        Ok(Self {
            temporary,
            target: target.to_path_buf(),
        })
    }

    /// The temporary file's path, for writers that open files by path (the figure
    /// backends). Write there, then [`commit`](Self::commit).
    #[must_use]
    pub fn temporary_path(&self) -> &Path {
        self.temporary.path()
    }

    /// The temporary file, for writing.
    pub fn file(&mut self) -> &mut File {
        self.temporary.as_file_mut()
    }

    /// Syncs the file to disk and moves it to the final path, replacing a file there only
    /// if `replace`; without it an existing file (even one that appeared meanwhile) is
    /// never replaced. The temporary file is removed on failure.
    ///
    /// # Errors
    /// [`AtomicError`] naming the final path; [`AtomicError::exists`] if the final path
    /// is taken and `replace` is off.
    pub fn commit(self, replace: bool) -> Result<(), AtomicError> {
        let target = self.target;
        self.temporary
            .as_file()
            .sync_all()
            .map_err(|e| AtomicError::new(&target, "write failed", e))?;
        let persisted = if replace {
            self.temporary.persist(&target)
        } else {
            self.temporary.persist_noclobber(&target)
        };
        persisted.map(drop).map_err(|e| {
            AtomicError::new(&target, "cannot move the finished file into place", e.error)
        })
    }
}

/// Writes what `write` produces to `target` through a buffer, atomically (see
/// [`AtomicFile::commit`] for `replace`).
///
/// # Errors
/// [`AtomicError`] naming `target`.
pub fn write_file(
    target: &Path,
    replace: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), AtomicError> {
    let mut file = AtomicFile::new(target)?;
    {
        let mut out = BufWriter::new(file.file());
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| AtomicError::new(target, "write failed", e))?;
    }
    file.commit(replace)
}

/// A result folder being assembled beside its final path; [`TempFolder::persist`] moves
/// it into place, dropping it removes it.
#[derive(Debug)]
pub struct TempFolder {
    temporary: tempfile::TempDir,
    target: PathBuf,
}

impl TempFolder {
    /// Creates the temporary folder for `target` beside it, creating `target`'s parent
    /// folders if needed.
    ///
    /// # Errors
    /// [`AtomicError`] naming `target`.
    pub fn beside(target: &Path) -> Result<Self, AtomicError> {
        let parent = parent_of(target);
        fs::create_dir_all(parent)
            .map_err(|e| AtomicError::new(target, "cannot create the parent folder", e))?;
        let temporary = tempfile::Builder::new()
            .prefix(&prefix_of(target)?)
            .tempdir_in(parent)
            .map_err(|e| AtomicError::new(target, "cannot create the result folder", e))?;
        Ok(Self {
            temporary,
            target: target.to_path_buf(),
        })
    }

    /// The temporary folder, to write the results into.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.temporary.path()
    }

    /// Writes the file `name` inside the temporary folder through a buffer and syncs it
    /// to disk (the folder is what is atomic, so the file needs no temporary of its own).
    ///
    /// # Errors
    /// [`AtomicError`] naming the file's final path.
    pub fn write_file(
        &self,
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), AtomicError> {
        write_plain_file(&self.path().join(name), write)
            .map_err(|e| AtomicError::new(&self.target.join(name), "write failed", e))
    }

    /// Moves the folder to its final path. Something already there is replaced only if
    /// `replaceable` says so (it is moved aside first and restored if the move fails);
    /// otherwise the result is an [`AtomicError::exists`] error. The temporary folder
    /// is removed on failure.
    ///
    /// # Errors
    /// [`AtomicError`] naming the final path.
    pub fn persist(self, replaceable: impl FnOnce(&Path) -> bool) -> Result<(), AtomicError> {
        persist_folder(self.path(), &self.target, replaceable)?;
        let _ = self.temporary.keep();
        Ok(())
    }
}

/// Moves the finished folder `from` to `target` by one rename. Something already at
/// `target` is replaced only if `replaceable` says so (it is moved aside first, restored
/// if the move fails, and removed after); otherwise the result is an
/// [`AtomicError::exists`] error and `from` stays where it is.
///
/// # Errors
/// [`AtomicError`] naming `target`.
pub fn persist_folder(
    from: &Path,
    target: &Path,
    replaceable: impl FnOnce(&Path) -> bool,
) -> Result<(), AtomicError> {
    if fs::symlink_metadata(target).is_ok() {
        if !replaceable(target) {
            return Err(AtomicError::new(
                target,
                "something is in the way",
                io::Error::from(io::ErrorKind::AlreadyExists),
            ));
        }
        let mut old = from.as_os_str().to_os_string();
        old.push(".old");
        let old = PathBuf::from(old);
        fs::rename(target, &old)
            .map_err(|e| AtomicError::new(target, "cannot move the old result aside", e))?;
        if let Err(e) = fs::rename(from, target) {
            // Best effort: put the old result back.
            let _ = fs::rename(&old, target);
            return Err(AtomicError::new(
                target,
                "cannot move the new result into place",
                e,
            ));
        }
        // Best effort: the old result is no longer needed.
        let _ = fs::remove_dir_all(&old);
        return Ok(());
    }
    fs::rename(from, target)
        .map_err(|e| AtomicError::new(target, "cannot move the result into place", e))
}

/// [bytes] The longest file or folder name most file systems take (`NAME_MAX` of Linux,
/// macOS and Windows' NTFS in UTF-16 units is the same 255).
pub const NAME_MAX: usize = 255;

/// [bytes] What the temporaries add to a name: `.` + NAME + `.partial-` + a PID of up
/// to 10 digits + `-` + 6 random characters + `.old` (the moved-aside earlier result).
pub const PARTIAL_NAME_OVERHEAD: usize = 1 + 9 + 10 + 1 + 6 + 4;

/// The PID in the name of a temporary `.NAME.partial-PID-XXXXXX[.EXT]`, if `name` is one
/// (any NAME).
#[must_use]
pub fn partial_pid(name: &str) -> Option<u32> {
    let rest = &name[name.rfind(".partial-")? + ".partial-".len()..];
    let digits = rest.split('-').next()?;
    if digits.is_empty() || !rest[digits.len()..].starts_with('-') {
        return None;
    }
    digits.parse().ok()
}

/// Whether process `pid` is running. Known on Linux (`/proc/PID`); elsewhere every
/// process counts as running, so nothing of another process is ever removed.
#[must_use]
pub fn process_is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc_root = Path::new("/proc/self");
    if !proc_root.exists() {
        return true;
    }
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes the temporaries that processes which are no longer running left beside
/// `target` (`.NAME.partial-PID-*`, files or folders), and returns what it removed.
/// Those of running processes (another vcsim writing there) are left alone.
///
/// # Errors
/// [`AtomicError`] naming `target` if a stale temporary cannot be removed; a folder that
/// cannot be read (or does not exist yet) has nothing to remove.
pub fn remove_stale_partials(target: &Path) -> Result<Vec<PathBuf>, AtomicError> {
    let prefix = partial_prefix_of(target)?;
    remove_stale_in(parent_of(target), &prefix.to_string_lossy())
}

/// Removes the temporaries in `folder` whose name starts with `prefix` (e.g. `.` for
/// every figure's) of processes that are no longer running; see [`remove_stale_partials`].
///
/// # Errors
/// [`AtomicError`] naming the temporary that cannot be removed.
pub fn remove_stale_in(folder: &Path, prefix: &str) -> Result<Vec<PathBuf>, AtomicError> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Ok(Vec::new());
    };
    let mut removed = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let Some(pid) = partial_pid(name) else {
            continue;
        };
        if !name.starts_with(prefix) || process_is_running(pid) {
            continue;
        }
        let path = entry.path();
        let gone = match entry.file_type() {
            Ok(kind) if kind.is_dir() => fs::remove_dir_all(&path),
            _ => fs::remove_file(&path),
        };
        match gone {
            Ok(()) => removed.push(path),
            // Another writer cleaned it up meanwhile.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(AtomicError::new(
                    &path,
                    "cannot remove this leftover of an interrupted run",
                    e,
                ));
            }
        }
    }
    removed.sort();
    Ok(removed)
}

/// Another process holds the lock of a target.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process is writing the target.
    #[error(
        "{}: another vcsim{} is writing this result (lock {}); wait for it to finish or choose another output",
        target.display(),
        pid.map_or_else(String::new, |p| format!(" (process {p})")),
        lock.display()
    )]
    Busy {
        /// The target.
        target: PathBuf,
        /// The lock file.
        lock: PathBuf,
        /// The holder's PID, as it wrote it.
        pid: Option<u32>,
    },
    /// The lock file cannot be created (a folder that cannot be written).
    #[error(transparent)]
    Io(#[from] AtomicError),
}

/// An exclusive lock on a target (a result folder or file) for as long as it lives:
/// `.NAME.lock` beside the target, holding the owner's PID, locked with the operating
/// system's file lock (`flock`), which ends with the process however it ends, so a lock
/// left by a killed process is simply taken over. The file is removed on drop.
#[derive(Debug)]
pub struct TargetLock {
    file: File,
    path: PathBuf,
}

impl TargetLock {
    /// Takes the lock of `target`, whose parent folder must exist (creating the lock
    /// file is also the check that the place can be written, before any work is done).
    ///
    /// # Errors
    /// [`LockError::Busy`] if another process holds it; [`LockError::Io`] if the lock
    /// file cannot be created.
    pub fn acquire(target: &Path) -> Result<Self, LockError> {
        let parent = parent_of(target);
        let mut name = OsString::from(".");
        name.push(target.file_name().ok_or_else(|| {
            AtomicError::new(
                target,
                "not a file or folder name",
                io::Error::from(io::ErrorKind::InvalidInput),
            )
        })?);
        name.push(".lock");
        let path = parent.join(name);
        // The lock file may be replaced between opening and locking it (its holder
        // removes it when done): then lock the new one.
        for _ in 0..100 {
            let mut file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| AtomicError::new(target, "cannot write here", e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let _ = io::Read::read_to_string(&mut file, &mut text);
                    return Err(LockError::Busy {
                        target: target.to_path_buf(),
                        lock: path,
                        pid: text.trim().parse().ok(),
                    });
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(AtomicError::new(target, "cannot lock", e).into());
                }
            }
            if !same_file(&file, &path) {
                continue;
            }
            file.set_len(0)
                .and_then(|()| writeln!(file, "{}", std::process::id()))
                .map_err(|e| AtomicError::new(target, "cannot write here", e))?;
            return Ok(Self { file, path });
        }
        Err(AtomicError::new(
            target,
            "cannot lock",
            io::Error::other("the lock file keeps changing"),
        )
        .into())
    }

    /// The lock file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TargetLock {
    fn drop(&mut self) {
        // Removed while still locked, so the next writer locks a new file.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether the open `file` is still the file at `path` (not removed or replaced).
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether the open `file` is still the file at `path` (not knowable here: assumed).
#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// Writes a plain (non-atomic) file through a buffer and syncs it to disk: for files
/// inside a [`TempFolder`].
///
/// # Errors
/// I/O errors.
pub fn write_plain_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    write(&mut out)?;
    out.flush()?;
    out.get_ref().sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .expect("folder")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".partial-"))
            .collect()
    }

    #[test]
    fn a_file_appears_whole_and_is_not_replaced_unless_asked() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("out.txt");
        write_file(&path, false, |w| w.write_all(b"one")).expect("written");
        assert_eq!(fs::read(&path).expect("read"), b"one");
        let e = write_file(&path, false, |w| w.write_all(b"two")).expect_err("exists");
        assert!(e.exists(), "{e}");
        assert!(e.to_string().contains("out.txt"), "{e}");
        write_file(&path, true, |w| w.write_all(b"two")).expect("replaced");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        let e = write_file(&path, true, |_| Err(io::Error::other("boom"))).expect_err("fails");
        assert!(!e.exists());
        assert_eq!(fs::read(&path).expect("read"), b"two");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_folder_moves_into_place_and_replaces_only_what_may_be_replaced() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let out = dir.path().join("nested").join("run");
        let folder = TempFolder::beside(&out).expect("temporary folder");
        folder
            .write_file("a.csv", |w| w.write_all(b"x\n"))
            .expect("written");
        folder.persist(|_| false).expect("moved");
        assert_eq!(fs::read(out.join("a.csv")).expect("read"), b"x\n");
        let folder = TempFolder::beside(&out).expect("temporary folder");
        let e = folder.persist(|_| false).expect_err("in the way");
        assert!(e.exists(), "{e}");
        let folder = TempFolder::beside(&out).expect("temporary folder");
        folder.persist(|_| true).expect("replaced");
        assert!(!out.join("a.csv").exists());
        drop(TempFolder::beside(&out).expect("temporary folder"));
        assert!(leftovers(out.parent().expect("parent")).is_empty());
    }

    #[test]
    fn temporaries_carry_the_pid_and_only_dead_processes_leftovers_go() {
        assert_eq!(partial_pid(".run.partial-123-AbC9zz"), Some(123));
        assert_eq!(partial_pid(".animation.partial-77-q1w2e3.gif"), Some(77));
        assert_eq!(partial_pid(".run.partial-AbC9zz"), None, "no PID: not ours");
        assert_eq!(partial_pid("notes.txt"), None);
        let dir = tempfile::tempdir().expect("temporary folder");
        let out = dir.path().join("run");
        let folder = TempFolder::beside(&out).expect("temporary folder");
        let name = folder
            .path()
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert_eq!(partial_pid(&name), Some(std::process::id()), "{name}");
        // u32::MAX is never a PID on Linux (at most 2^22).
        let dead = dir.path().join(format!(".run.partial-{}-AbC123", u32::MAX));
        fs::create_dir(&dead).expect("planted");
        let removed = remove_stale_partials(&out).expect("cleaned");
        if Path::new("/proc/self").exists() {
            assert_eq!(removed, std::slice::from_ref(&dead));
            assert!(!dead.exists());
        }
        assert!(
            folder.path().exists(),
            "this process's own temporary is kept"
        );
    }

    #[test]
    fn a_target_is_locked_once_and_the_lock_goes_with_its_holder() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let out = dir.path().join("run");
        let lock = TargetLock::acquire(&out).expect("locked");
        assert_eq!(lock.path(), dir.path().join(".run.lock"));
        let text = fs::read_to_string(lock.path()).expect("read");
        assert_eq!(text.trim(), std::process::id().to_string());
        match TargetLock::acquire(&out) {
            Err(LockError::Busy { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
            other => panic!("expected busy, got {other:?}"),
        }
        drop(lock);
        assert!(!dir.path().join(".run.lock").exists());
        // A lock file left by a killed process is not locked: taken over.
        fs::write(dir.path().join(".run.lock"), "999999\n").expect("planted");
        let lock = TargetLock::acquire(&out).expect("taken over");
        drop(lock);
        let e =
            TargetLock::acquire(&dir.path().join("missing").join("run")).expect_err("no folder");
        assert!(e.to_string().contains("cannot write here"), "{e}");
    }
}
