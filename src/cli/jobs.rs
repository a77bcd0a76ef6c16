//! Running the units of a job folder: the job folder opened for a command's units, the
//! backends (local with its progress bar; Slurm job arrays), and the hidden
//! `vcsim jobs run-task` that each Slurm array task runs.

use super::{CliError, ExitKind};
use clap::Args;
use serde::{Deserialize, Serialize};
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use vcsim::jobs::local::{ExecError, run_local, run_units};
use vcsim::jobs::slurm::{self, SlurmError, SlurmOptions};
use vcsim::jobs::{COMMAND_FILE, JobError, JobFolder, JobUnit};
use vcsim::record::WallKept;
use vcsim::record::atomic;

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
    wall: WallKept,
    force: bool,
) -> Result<JobFolder, CliError> {
    JobFolder::open_units(out, command, name, units, wall, force).map_err(|e| job_error(out, &e))
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

/// Where the runs of a many-run command go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
pub enum Backend {
    /// This machine: the runs side by side on --threads worker threads.
    #[default]
    Local,
    /// A Slurm cluster: a job array submitted with sbatch (run on the login node).
    Slurm,
}

/// The backend flags of the many-run commands (`compare`, `validate`).
#[derive(Clone, Debug, Args, Serialize, Deserialize)]
pub struct BackendFlags {
    /// Where the runs go: `local` (this machine) or `slurm` (a job array submitted with
    /// sbatch; the results are followed on the shared file system and merged here).
    #[arg(long, value_enum, default_value_t = Backend::Local)]
    pub backend: Backend,
    /// With --backend slurm: write the job-array script into the job folder and stop;
    /// submit it with sbatch, then `vcsim merge OUT` merges the results.
    #[arg(long)]
    pub no_submit: bool,
    /// Slurm partition (default: the cluster's default).
    #[arg(long, value_name = "NAME")]
    pub slurm_partition: Option<String>,
    /// Time limit of one array task, in Slurm's formats (e.g. `2:00:00`).
    #[arg(long, value_name = "TIME")]
    pub slurm_time: Option<String>,
    /// CPUs per array task; a task runs as many runs side by side.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1,
        allow_negative_numbers = true
    )]
    pub slurm_cpus: i64,
    /// Runs per array task (default: 4 per CPU, at most 1000 tasks).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub slurm_units_per_task: Option<i64>,
    /// The most array tasks running at once (the array's %K throttle).
    #[arg(
        long,
        value_name = "K",
        default_value_t = 64,
        allow_negative_numbers = true
    )]
    pub slurm_max_running: i64,
    /// One more sbatch option for the script, passed as given (repeatable), e.g.
    /// `--slurm-arg=--account=lab42`.
    #[arg(long = "slurm-arg", value_name = "OPTION", allow_hyphen_values = true)]
    pub slurm_args: Vec<String>,
}

/// [tasks] The largest value of --slurm-cpus and --slurm-max-running taken (assumed: no
/// node has more CPUs, no cluster runs more tasks of one array).
const MAX_SLURM_COUNT: i64 = 100_000;

impl BackendFlags {
    /// Checks the flags: ranges, and that the Slurm flags come with --backend slurm.
    ///
    /// # Errors
    /// `Invalid` (exit 1) naming the flag.
    pub fn check(&self) -> Result<(), CliError> {
        let range = |flag: &str, value: i64| {
            if (1..=MAX_SLURM_COUNT).contains(&value) {
                Ok(())
            } else {
                Err(CliError::invalid(format!(
                    "--{flag} must be in [1, {MAX_SLURM_COUNT}] (got {value})"
                )))
            }
        };
        range("slurm-cpus", self.slurm_cpus)?;
        range("slurm-max-running", self.slurm_max_running)?;
        if let Some(n) = self.slurm_units_per_task {
            range("slurm-units-per-task", n)?;
        }
        for arg in &self.slurm_args {
            if !arg.starts_with('-') || arg.contains('\n') {
                return Err(CliError::invalid(format!(
                    "--slurm-arg {arg:?}: expected one sbatch option on one line, e.g. --slurm-arg=--account=lab42"
                )));
            }
        }
        if self.backend != Backend::Slurm {
            let given = [
                (self.no_submit, "--no-submit"),
                (self.slurm_partition.is_some(), "--slurm-partition"),
                (self.slurm_time.is_some(), "--slurm-time"),
                (self.slurm_cpus != 1, "--slurm-cpus"),
                (
                    self.slurm_units_per_task.is_some(),
                    "--slurm-units-per-task",
                ),
                (self.slurm_max_running != 64, "--slurm-max-running"),
                (!self.slurm_args.is_empty(), "--slurm-arg"),
            ];
            if let Some((_, flag)) = given.iter().find(|(set, _)| *set) {
                return Err(CliError::invalid(format!(
                    "{flag} needs --backend slurm (the runs go to this machine without it)"
                )));
            }
        }
        Ok(())
    }

    fn options(&self) -> SlurmOptions {
        let count = |n: i64| usize::try_from(n).unwrap_or(1);
        SlurmOptions {
            partition: self.slurm_partition.clone(),
            time: self.slurm_time.clone(),
            cpus: count(self.slurm_cpus),
            units_per_task: self.slurm_units_per_task.map(count),
            max_running: count(self.slurm_max_running),
            extra: self.slurm_args.clone(),
        }
    }
}

/// How a command treats its job folder.
#[derive(Clone, Copy, Debug)]
pub enum Mode<'a> {
    /// Run the unfinished units on this backend, then merge.
    Run(&'a BackendFlags),
    /// Only merge (`vcsim merge`): every unit must be finished.
    Merge,
}

/// What [`execute`] left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Executed {
    /// Every unit is finished: merge.
    Finished,
    /// The script was written for the user to submit (--no-submit): stop here.
    Written,
}

/// How long to wait between two looks at a Slurm job's results.
const POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// Records the command (for `vcsim merge`), then runs the unfinished units of `job` as
/// `mode` says.
///
/// # Errors
/// A failed or interrupted job; Slurm problems (exit 2); unfinished units in merge mode.
pub fn execute(
    job: &mut JobFolder,
    mode: Mode<'_>,
    command: &impl Serialize,
    threads: usize,
    quiet: bool,
    context: &str,
) -> Result<Executed, CliError> {
    let out = job.target().to_path_buf();
    let flags = match mode {
        Mode::Merge => {
            let left = job.unfinished();
            if left.is_empty() {
                return Ok(Executed::Finished);
            }
            return Err(unfinished_error(job, &left));
        }
        Mode::Run(flags) => flags,
    };
    let path = job.dir().join(COMMAND_FILE);
    atomic::write_file(&path, true, |w| {
        serde_json::to_writer_pretty(&mut *w, command).map_err(io::Error::other)?;
        writeln!(w)
    })
    .map_err(|e| CliError::runtime(format!("--out {e}")))?;
    let name = job.plan().name.clone();
    match flags.backend {
        Backend::Local => {
            run_locally(job, &name, threads, quiet, context)?;
            Ok(Executed::Finished)
        }
        Backend::Slurm => run_on_slurm(job, flags, quiet, &out),
    }
}

/// The error of a merge of a job with unfinished units, listing them.
fn unfinished_error(job: &JobFolder, left: &[usize]) -> CliError {
    const SHOWN: usize = 10;
    let mut ids: Vec<&str> = left
        .iter()
        .take(SHOWN)
        .map(|&i| job.plan().units[i].id.as_str())
        .collect();
    let more = left.len().saturating_sub(SHOWN);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    ids.sort_unstable();
    let running = slurm::read_submission(job).map_or_else(String::new, |s| {
        format!(
            " (Slurm job {}: `squeue -j {}` shows whether it still runs)",
            s.job_id, s.job_id
        )
    });
    CliError::runtime(format!(
        "{}: {} of {} runs are not finished{running}: {}{more}; merge again when they are, or run the same command again to run them",
        job.dir().display(),
        left.len(),
        job.plan().units.len(),
        ids.join(", ")
    ))
}

fn slurm_error(e: SlurmError) -> CliError {
    CliError::runtime(e.to_string())
}

/// The Slurm backend: writes the job array of the unfinished units, submits it (unless
/// --no-submit) and follows it until it leaves the queue.
fn run_on_slurm(
    job: &mut JobFolder,
    flags: &BackendFlags,
    quiet: bool,
    out: &Path,
) -> Result<Executed, CliError> {
    let total = job.plan().units.len();
    let name = job.plan().name.clone();
    // A job array of an earlier submission that still runs is followed, not doubled.
    let running = match slurm::read_submission(job) {
        Some(s) if !flags.no_submit => slurm::in_queue(&s.job_id)
            .map_err(slurm_error)?
            .then_some(s),
        _ => None,
    };
    let submission = if let Some(submission) = running {
        if !quiet {
            super::note(&format!(
                "{name}: Slurm job {} of this job folder still runs; following it",
                submission.job_id
            ));
        }
        submission
    } else {
        if job.unfinished().is_empty() {
            return Ok(Executed::Finished);
        }
        let exe = std::env::current_exe()
            .and_then(|p| p.canonicalize())
            .map_err(|e| CliError::runtime(format!("cannot find this program's path: {e}")))?;
        let workdir = std::env::current_dir()
            .map_err(|e| CliError::runtime(format!("cannot find the working folder: {e}")))?;
        let prepared = slurm::prepare(job, &exe, &workdir, &flags.options())
            .map_err(|e| CliError::runtime(e.to_string()))?;
        if flags.no_submit {
            super::note(&format!(
                "{name}: wrote the job array of {} runs in {} tasks: {}\n\
                 submit it with:  sbatch {}\n\
                 then, when it has finished:  vcsim merge {}",
                prepared.units,
                prepared.tasks,
                prepared.script.display(),
                slurm::shell_quote(&prepared.script.display().to_string()),
                slurm::shell_quote(&out.display().to_string()),
            ));
            return Ok(Executed::Written);
        }
        let submission = slurm::submit(job, &prepared).map_err(slurm_error)?;
        if !quiet {
            super::note(&format!(
                "{name}: submitted Slurm job {} ({} runs in {} tasks); following its results in {}",
                submission.job_id,
                prepared.units,
                prepared.tasks,
                job.dir().display()
            ));
        }
        submission
    };
    let bar = progress_bar(total, quiet);
    loop {
        job.refresh().map_err(|e| job_error(out, &e))?;
        bar.set_position(job.done_count() as u64);
        if job.unfinished().is_empty() {
            break;
        }
        if let Some(signal) = super::received_signal() {
            bar.finish_and_clear();
            // A calibration's batch is not merged: the command itself continues it.
            let then = if job.plan().command == "calibrate" {
                "the same `vcsim calibrate` command follows it again and continues".to_string()
            } else {
                format!(
                    "`vcsim merge {}` merges its results when it has finished",
                    slurm::shell_quote(&out.display().to_string())
                )
            };
            return Err(super::interrupted(
                signal,
                &format!(
                    "Slurm job {id} goes on without vcsim watching; {then} (or `scancel {id}` stops it)",
                    id = submission.job_id
                ),
            ));
        }
        if !slurm::in_queue(&submission.job_id).map_err(slurm_error)? {
            // The job has left the queue: what is not finished now never will be.
            job.refresh().map_err(|e| job_error(out, &e))?;
            break;
        }
        std::thread::sleep(POLL);
    }
    bar.finish_and_clear();
    let failed = slurm::unfinished_tasks(job).map_err(|e| CliError::runtime(e.to_string()))?;
    if failed.is_empty() && job.unfinished().is_empty() {
        return Ok(Executed::Finished);
    }
    let lines: Vec<String> = failed
        .iter()
        .map(|(task, units)| {
            format!(
                "  task {task} ({} runs unfinished): {}",
                units.len(),
                slurm::task_log(job, &submission.job_id, *task).display()
            )
        })
        .collect();
    Err(CliError::runtime(format!(
        "Slurm job {} ended with {} of {total} runs unfinished; the failed tasks and their logs:\n{}\n\
         run the same command again to resubmit only the unfinished runs",
        submission.job_id,
        job.unfinished().len(),
        lines.join("\n")
    )))
}

/// Arguments of the hidden `vcsim jobs` commands.
#[derive(Debug, Args)]
pub struct JobsArgs {
    #[command(subcommand)]
    command: JobsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum JobsCommand {
    /// Runs one array task of a job folder's Slurm job array (what its script runs).
    RunTask(RunTaskArgs),
}

/// `vcsim jobs run-task JOBDIR --task I`.
#[derive(Debug, Args)]
struct RunTaskArgs {
    /// The job folder (`.NAME.job`).
    job: PathBuf,
    /// The array task (`$SLURM_ARRAY_TASK_ID`).
    #[arg(long, value_name = "I")]
    task: usize,
    /// Runs side by side.
    #[arg(long, value_name = "N", default_value_t = 1)]
    threads: usize,
}

/// Runs `vcsim jobs ...`.
///
/// # Errors
/// A job folder that cannot be used (exit 1); a failed run (exit 2).
pub fn run_jobs(args: &JobsArgs) -> Result<(), CliError> {
    let JobsCommand::RunTask(args) = &args.command;
    super::check_threads(args.threads)?;
    let job = JobFolder::open_dir(&args.job).map_err(|e| job_error(&args.job, &e))?;
    let batches = slurm::read_batches(&job).map_err(|e| CliError::runtime(e.to_string()))?;
    let Some(batch) = batches.batches.get(args.task) else {
        return Err(CliError::invalid(format!(
            "--task {}: the job array of {} has tasks 0 to {}",
            args.task,
            args.job.display(),
            batches.batches.len().saturating_sub(1)
        )));
    };
    let todo: Vec<usize> = batch.iter().copied().filter(|&i| !job.is_done(i)).collect();
    super::note(&format!(
        "task {}: {} runs ({} already finished)",
        args.task,
        todo.len(),
        batch.len() - todo.len()
    ));
    match run_units(&job, &todo, args.threads, &|| {}) {
        Ok(()) => Ok(()),
        Err(ExecError::Interrupted) => Err(super::interrupted(
            u8::try_from(signal_hook::consts::SIGTERM).unwrap_or(15),
            "the task was stopped; its finished runs are kept",
        )),
        Err(e) => Err(CliError::new(
            ExitKind::Runtime,
            anyhow::Error::new(e).context(format!("task {}", args.task)),
        )),
    }
}

/// A job whose runs the command itself reads back and scores, then discards (`vcsim
/// validate`, `vcsim robustness`, each batch of `vcsim calibrate`): the runs keep no
/// wall, and the job folder never becomes a result folder.
pub(super) struct ScoredJob<'a> {
    /// The command's result folder (`--out`, absolute); the job folder is beside it.
    pub out: &'a Path,
    /// The command's name (`validate`), for the plan.
    pub command: &'a str,
    /// Whether a job folder of another plan is discarded rather than refused.
    pub discard_other: bool,
    /// Run (on a backend) or only merge.
    pub mode: Mode<'a>,
    /// The command as `vcsim merge` reads it back.
    pub stored: &'a super::merge::Stored,
    /// Worker threads of the local backend.
    pub threads: usize,
    /// No progress.
    pub quiet: bool,
    /// What a failing run is part of, e.g. "the validation".
    pub context: &'a str,
}

impl ScoredJob<'_> {
    /// Opens (or resumes) the job folder for `units` and runs its unfinished units as
    /// the mode says: the finished job, or `None` when the Slurm script was written for
    /// the user to submit (--no-submit).
    ///
    /// # Errors
    /// As [`open_job`] and [`execute`].
    pub fn run(&self, units: Vec<JobUnit>) -> Result<Option<JobFolder>, CliError> {
        let name = self.out.file_name().map_or_else(
            || self.command.to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let mut job = open_job(
            self.out,
            self.command,
            &name,
            &units,
            WallKept::None,
            self.discard_other,
        )?;
        // The runs are stored in the job folder; only their ids and keys are kept here.
        drop(units);
        match execute(
            &mut job,
            self.mode,
            self.stored,
            self.threads,
            self.quiet,
            self.context,
        )? {
            Executed::Finished => Ok(Some(job)),
            Executed::Written => Ok(None),
        }
    }
}

/// Removes the job folder of a [`ScoredJob`] whose report is complete; a folder that
/// cannot be removed is a warning (the report is not affected).
pub(super) fn discard_scored(job: JobFolder) {
    let dir = job.dir().to_path_buf();
    if let Err(e) = job.discard() {
        super::note(&format!(
            "warning: {e}; the report is complete, delete {} by hand",
            dir.display()
        ));
    }
}
