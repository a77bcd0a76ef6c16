//! Running the units of a job folder: the job folder opened for a command's units, and
//! the local backend with its progress bar.

use super::{CliError, ExitKind};
use std::io::{self, IsTerminal};
use std::path::Path;
use vcsim::jobs::local::{ExecError, run_local};
use vcsim::jobs::{JobError, JobFolder, JobUnit};

/// Opens (or resumes) the job folder of `out` for `units` (`--force` discards a job of
/// another plan).
///
/// # Errors
/// `Invalid` (exit 1) for a job folder of another plan or a foreign unit; `Runtime`
/// (exit 2) for I/O.
pub(super) fn open_job(
    out: &Path,
    command: &str,
    name: &str,
    units: &[JobUnit],
    force: bool,
) -> Result<JobFolder, CliError> {
    JobFolder::open_units(out, command, name, units, force).map_err(|e| job_error(out, &e))
}

/// The command-line error of a job folder that cannot be used.
pub(super) fn job_error(out: &Path, e: &JobError) -> CliError {
    match e {
        JobError::Io(_) | JobError::Scenario { .. } => CliError::runtime(format!("--out {e}")),
        JobError::NotAJob { .. } => CliError::invalid(e.to_string()),
        _ => CliError::invalid(format!("--out {}: {e}", out.display())),
    }
}

/// A progress bar of `total` runs on standard error (hidden when quiet or not a
/// terminal), with the elapsed time and the time left.
pub(super) fn progress_bar(total: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} runs  (eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Runs the unfinished units of `job` here on `threads` worker threads, with a progress
/// bar; says so first when it resumes a job. `name` names the job in messages, `context`
/// (the input file) a failing unit.
///
/// # Errors
/// Interrupted by a signal (exit 130/143, saying what is kept); a failed unit (exit 2).
pub(super) fn run_locally(
    job: &JobFolder,
    name: &str,
    threads: usize,
    quiet: bool,
    context: &str,
) -> Result<(), CliError> {
    let total = job.plan().units.len();
    let todo = job.unfinished();
    if job.done_count() > 0 && !quiet {
        super::note(&format!(
            "{name}: resuming: {} of {total} runs were finished in {}; running the other {}",
            job.done_count(),
            job.dir().display(),
            todo.len()
        ));
    }
    let bar = progress_bar(total, quiet);
    bar.set_position(job.done_count() as u64);
    let ran = run_local(job, threads, &|| bar.inc(1));
    bar.finish_and_clear();
    if let Some(signal) = super::received_signal() {
        return Err(interrupted(job, signal));
    }
    match ran {
        Ok(()) => Ok(()),
        Err(ExecError::Interrupted) => Err(interrupted(job, 2)),
        Err(e) => Err(CliError::new(
            ExitKind::Runtime,
            anyhow::Error::new(e).context(context.to_string()),
        )),
    }
}

/// The error of a job stopped by `signal`: how many units are kept, and where.
fn interrupted(job: &JobFolder, signal: u8) -> CliError {
    let total = job.plan().units.len();
    let kept = (0..total)
        .filter(|&i| job.unit_dir(i).join(vcsim::jobs::UNIT_FILE).exists())
        .count();
    super::interrupted(
        signal,
        &format!(
            "{kept} of {total} runs are finished and kept in {} (nothing was written to {}); \
             run the same command again to resume, or delete that folder",
            job.dir().display(),
            job.target().display()
        ),
    )
}
