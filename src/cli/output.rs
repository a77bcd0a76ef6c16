//! Writing a result file safely: to a temporary file beside the target, renamed into
//! place only when complete, and never over an existing file unless asked to.

use super::CliError;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use vcsim::record::atomic;

/// Where output goes.
pub enum Sink {
    /// Standard output.
    Stdout,
    /// A file, written atomically.
    File {
        /// The final path.
        path: PathBuf,
        /// Whether an existing file may be replaced.
        force: bool,
    },
}

/// Writes what `write` produces to the sink. A file is written to a temporary name
/// and renamed at the end, so an interrupted run never leaves a half-written result.
///
/// # Errors
/// `Invalid` if the file exists and `force` is off; `Runtime` for I/O failures.
pub fn write_with(
    sink: &Sink,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    match sink {
        Sink::Stdout => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                // `vcsim cell | head` closes the pipe early: not an error.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(anyhow::Error::new(e)
                    .context("writing to standard output")
                    .into()),
            }
        }
        Sink::File { path, force } => write_file(path, *force, write),
    }
}

/// Checks before any work is done that the sink can take a result: not a directory, not
/// an existing file (or link) unless `force`, and a plain file name.
///
/// # Errors
/// `Invalid` naming the path and the problem.
pub fn preflight(sink: &Sink) -> Result<(), CliError> {
    let Sink::File { path, force } = sink else {
        return Ok(());
    };
    if path.is_dir() {
        return Err(CliError::invalid(format!(
            "--out {}: is a directory, expected a file path",
            path.display()
        )));
    }
    // symlink_metadata sees a dangling link too, which `exists()` would not.
    if fs::symlink_metadata(path).is_ok() && !force {
        return Err(CliError::invalid(format!(
            "--out {}: file exists; pass --force to replace it",
            path.display()
        )));
    }
    if path.file_name().is_none() {
        return Err(CliError::invalid(format!(
            "--out {}: not a file path",
            path.display()
        )));
    }
    Ok(())
}

fn write_file(
    path: &Path,
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    preflight(&Sink::File {
        path: path.to_path_buf(),
        force,
    })?;
    // Without `force` an existing result is never replaced, even by a race with another
    // process.
    atomic::write_file(path, force, write).map_err(|e| {
        if e.exists() {
            CliError::invalid(format!(
                "--out {}: file exists; pass --force to replace it",
                path.display()
            ))
        } else {
            CliError::runtime(format!("--out {e}"))
        }
    })
}
