//! Writing results so that an interrupted program never leaves a half-written file or
//! folder under its final name: a file is written to a hidden temporary file in the
//! target's folder ([`AtomicFile`], `tempfile`'s persist) and a result folder is
//! assembled in a hidden temporary folder beside the target ([`TempFolder`]), each
//! moved into place by one rename when complete. The temporaries are named
//! `.NAME.partial-XXXXXX` and removed if the work fails or is dropped.

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
    fn new(path: &Path, what: &'static str, source: io::Error) -> Self {
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

/// `.NAME.partial-`: the prefix of the temporaries of `path`.
fn prefix_of(path: &Path) -> Result<OsString, AtomicError> {
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
        let target = self.target.clone();
        if fs::symlink_metadata(&target).is_ok() {
            if !replaceable(&target) {
                return Err(AtomicError::new(
                    &target,
                    "something is in the way",
                    io::Error::from(io::ErrorKind::AlreadyExists),
                ));
            }
            let mut old = self.path().as_os_str().to_os_string();
            old.push(".old");
            let old = PathBuf::from(old);
            fs::rename(&target, &old)
                .map_err(|e| AtomicError::new(&target, "cannot move the old result aside", e))?;
            if let Err(e) = fs::rename(self.path(), &target) {
                // Best effort: put the old result back.
                let _ = fs::rename(&old, &target);
                return Err(AtomicError::new(
                    &target,
                    "cannot move the new result into place",
                    e,
                ));
            }
            let _ = self.temporary.keep();
            // Best effort: the old result is no longer needed.
            let _ = fs::remove_dir_all(&old);
            return Ok(());
        }
        fs::rename(self.path(), &target)
            .map_err(|e| AtomicError::new(&target, "cannot move the result into place", e))?;
        let _ = self.temporary.keep();
        Ok(())
    }
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
}
