//! The Slurm backend: the unfinished units of a job folder as one job array. Each array
//! task runs a batch of units (so that scheduling overhead stays small next to the runs)
//! with `vcsim jobs run-task`, which rebuilds its units from the job folder alone; the
//! submitting command follows the units' results on the shared file system.
//!
//! ```text
//! .NAME.job/_slurm/job.sh            the job-array script (`sbatch job.sh` submits it)
//! .NAME.job/_slurm/batches.json      which units each array task runs
//! .NAME.job/_slurm/submission.json   the submitted job's id (absent with --no-submit)
//! .NAME.job/_slurm/logs/             one log per task, task-<job>_<task>.out
//! ```

use super::{JobError, JobFolder, SLURM_DIR};
use crate::record::atomic;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The script's file in `_slurm/`.
pub const SCRIPT_FILE: &str = "job.sh";
/// The batches' file in `_slurm/`.
pub const BATCHES_FILE: &str = "batches.json";
/// The submission's file in `_slurm/`.
pub const SUBMISSION_FILE: &str = "submission.json";
/// The logs' folder in `_slurm/`.
pub const LOGS_DIR: &str = "logs";

/// What the job array asks of Slurm.
#[derive(Clone, Debug, Default)]
pub struct SlurmOptions {
    /// `--partition`, if not the cluster's default.
    pub partition: Option<String>,
    /// `--time` of one array task (Slurm's formats, e.g. `2:00:00`), if not the
    /// partition's default.
    pub time: Option<String>,
    /// CPUs of one task (`--cpus-per-task`): its units run side by side on as many
    /// threads.
    pub cpus: usize,
    /// Units per array task (None: [`default_units_per_task`]).
    pub units_per_task: Option<usize>,
    /// The most tasks running at once (the array's `%K` throttle).
    pub max_running: usize,
    /// More `#SBATCH` options, each passed as given (e.g. `--account=abc`).
    pub extra: Vec<String>,
}

/// [units] The default batch of a task: at least 4 units per CPU of the task, and at most
/// 1000 tasks per job (many clusters cap array sizes near 1000). Assumed: a small run
/// takes seconds to minutes, so that a batch of 4 per CPU outweighs the seconds Slurm
/// takes to start a task.
#[must_use]
pub fn default_units_per_task(units: usize, cpus: usize) -> usize {
    (4 * cpus.max(1)).max(units.div_ceil(1000)).max(1)
}

/// `units` (indices into the plan) cut into batches of `per_task`, in order: every unit
/// in exactly one batch.
#[must_use]
pub fn batches(units: &[usize], per_task: usize) -> Vec<Vec<usize>> {
    units
        .chunks(per_task.max(1))
        .map(<[usize]>::to_vec)
        .collect()
}

/// `text` quoted for a POSIX shell (and for `#SBATCH` lines, which sbatch splits like a
/// shell): unchanged if it holds only safe characters, else in single quotes.
#[must_use]
pub fn shell_quote(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+=:,@%".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The job-array script for `tasks` tasks: `exe` (absolute) runs task
/// `$SLURM_ARRAY_TASK_ID` of the job folder `job_dir` (absolute) in `workdir`
/// (absolute).
#[must_use]
pub fn script(
    exe: &Path,
    job_dir: &Path,
    workdir: &Path,
    name: &str,
    tasks: usize,
    options: &SlurmOptions,
) -> String {
    let quote = |p: &Path| shell_quote(&p.display().to_string());
    let logs = job_dir.join(SLURM_DIR).join(LOGS_DIR);
    let throttle = options.max_running.clamp(1, tasks.max(1));
    let mut s = String::new();
    let _ = writeln!(s, "#!/bin/bash");
    let _ = writeln!(
        s,
        "# vcsim {}: job array of {tasks} tasks over the units of {}",
        env!("CARGO_PKG_VERSION"),
        job_dir.display()
    );
    let _ = writeln!(
        s,
        "# Submit with: sbatch {}",
        quote(&job_dir.join(SLURM_DIR).join(SCRIPT_FILE))
    );
    let _ = writeln!(
        s,
        "#SBATCH --job-name={}",
        shell_quote(&format!("vcsim-{name}"))
    );
    let _ = writeln!(
        s,
        "#SBATCH --array=0-{}%{throttle}",
        tasks.saturating_sub(1)
    );
    let _ = writeln!(s, "#SBATCH --ntasks=1");
    let _ = writeln!(s, "#SBATCH --cpus-per-task={}", options.cpus.max(1));
    let _ = writeln!(
        s,
        "#SBATCH --output={}",
        quote(&logs.join("task-%A_%a.out"))
    );
    if let Some(partition) = &options.partition {
        let _ = writeln!(s, "#SBATCH --partition={}", shell_quote(partition));
    }
    if let Some(time) = &options.time {
        let _ = writeln!(s, "#SBATCH --time={}", shell_quote(time));
    }
    for extra in &options.extra {
        let _ = writeln!(s, "#SBATCH {}", shell_quote(extra));
    }
    let _ = writeln!(s, "set -eu");
    let _ = writeln!(s, "cd {}", quote(workdir));
    let _ = writeln!(
        s,
        "exec {} jobs run-task {} --task \"$SLURM_ARRAY_TASK_ID\" --threads {}",
        quote(exe),
        quote(job_dir),
        options.cpus.max(1)
    );
    s
}

/// `_slurm/batches.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Batches {
    /// Task i runs the units `batches[i]` (indices into the plan).
    pub batches: Vec<Vec<usize>>,
}

/// `_slurm/submission.json`: the submitted job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Submission {
    /// Slurm's job id.
    pub job_id: String,
}

/// What [`prepare`] wrote.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The script.
    pub script: PathBuf,
    /// The units it runs.
    pub units: usize,
    /// Its array tasks.
    pub tasks: usize,
}

fn slurm_dir(job: &JobFolder) -> PathBuf {
    job.dir().join(SLURM_DIR)
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<(), JobError> {
    atomic::write_file(path, true, |w| {
        serde_json::to_writer_pretty(&mut *w, value).map_err(io::Error::other)?;
        writeln!(w)
    })?;
    Ok(())
}

/// Writes the job array of the unfinished units of `job` into `_slurm/`: the batches and
/// the script (replacing those of an earlier submission; the logs are kept).
///
/// # Errors
/// I/O errors naming the file.
pub fn prepare(
    job: &JobFolder,
    exe: &Path,
    workdir: &Path,
    options: &SlurmOptions,
) -> Result<Prepared, JobError> {
    let todo = job.unfinished();
    let per_task = options
        .units_per_task
        .unwrap_or_else(|| default_units_per_task(todo.len(), options.cpus));
    let batches = batches(&todo, per_task);
    let dir = slurm_dir(job);
    let logs = dir.join(LOGS_DIR);
    fs::create_dir_all(&logs)
        .map_err(|e| JobError::Io(atomic::AtomicError::new(&logs, "cannot create", e)))?;
    let submission = dir.join(SUBMISSION_FILE);
    match fs::remove_file(&submission) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(JobError::Io(atomic::AtomicError::new(
                &submission,
                "cannot remove",
                e,
            )));
        }
        _ => {}
    }
    let tasks = batches.len();
    write_json(&dir.join(BATCHES_FILE), &Batches { batches })?;
    let path = dir.join(SCRIPT_FILE);
    let text = script(exe, job.dir(), workdir, &job.plan().name, tasks, options);
    atomic::write_file(&path, true, |w| w.write_all(text.as_bytes()))?;
    Ok(Prepared {
        script: path,
        units: todo.len(),
        tasks,
    })
}

/// The batches of the last prepared job array.
///
/// # Errors
/// [`JobError::Scenario`]-like damage is reported as I/O: a missing or damaged file.
pub fn read_batches(job: &JobFolder) -> Result<Batches, JobError> {
    let path = slurm_dir(job).join(BATCHES_FILE);
    let text = fs::read_to_string(&path)
        .map_err(|e| JobError::Io(atomic::AtomicError::new(&path, "cannot read", e)))?;
    serde_json::from_str(&text).map_err(|e| {
        JobError::Io(atomic::AtomicError::new(
            &path,
            "damaged",
            io::Error::other(e),
        ))
    })
}

/// The submitted job of the job folder, if one was submitted by vcsim.
#[must_use]
pub fn read_submission(job: &JobFolder) -> Option<Submission> {
    let text = fs::read_to_string(slurm_dir(job).join(SUBMISSION_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// The log of task `task` of job `job_id`.
#[must_use]
pub fn task_log(job: &JobFolder, job_id: &str, task: usize) -> PathBuf {
    slurm_dir(job)
        .join(LOGS_DIR)
        .join(format!("task-{job_id}_{task}.out"))
}

/// A failure to talk to Slurm.
#[derive(Debug, thiserror::Error)]
pub enum SlurmError {
    /// The program (`sbatch`, `squeue`) is not there.
    #[error(
        "`{program}` was not found on PATH: --backend slurm runs on a Slurm cluster's login node (or pass --no-submit to write the script only)"
    )]
    Missing {
        /// The program.
        program: &'static str,
    },
    /// The program could not be run.
    #[error("cannot run `{program}`: {error}")]
    Spawn {
        /// The program.
        program: &'static str,
        /// Why.
        error: io::Error,
    },
    /// The program refused (exit status other than 0).
    #[error("`{program}` refused ({status}): {stderr}")]
    Refused {
        /// The program.
        program: &'static str,
        /// Its exit status.
        status: String,
        /// Its standard error, trimmed.
        stderr: String,
    },
    /// The job folder could not be written.
    #[error("{0}")]
    Job(#[from] JobError),
}

fn run(program: &'static str, args: &[&std::ffi::OsStr]) -> Result<String, SlurmError> {
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => SlurmError::Missing { program },
            _ => SlurmError::Spawn { program, error },
        })?;
    if !output.status.success() {
        return Err(SlurmError::Refused {
            program,
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Submits the prepared script with `sbatch --parsable` and records the job's id.
///
/// # Errors
/// [`SlurmError::Missing`] without `sbatch`; [`SlurmError::Refused`] with sbatch's
/// message; I/O errors.
pub fn submit(job: &JobFolder, prepared: &Prepared) -> Result<Submission, SlurmError> {
    let out = run(
        "sbatch",
        &["--parsable".as_ref(), prepared.script.as_os_str()],
    )?;
    // `--parsable` prints `jobid` or `jobid;cluster`.
    let job_id = out
        .lines()
        .last()
        .and_then(|l| l.split(';').next())
        .unwrap_or_default()
        .trim()
        .to_string();
    if job_id.is_empty() || !job_id.chars().all(|c| c.is_ascii_digit()) {
        return Err(SlurmError::Refused {
            program: "sbatch",
            status: "no job id".to_string(),
            stderr: format!("it printed {out:?}"),
        });
    }
    let submission = Submission { job_id };
    write_json(&slurm_dir(job).join(SUBMISSION_FILE), &submission)?;
    Ok(submission)
}

/// Whether job `job_id` (any of its tasks) is still in Slurm's queue (pending or
/// running).
///
/// # Errors
/// [`SlurmError::Missing`] without `squeue`. A job id Slurm no longer knows is not in
/// the queue.
pub fn in_queue(job_id: &str) -> Result<bool, SlurmError> {
    match run(
        "squeue",
        &[
            "-h".as_ref(),
            "-o".as_ref(),
            "%i".as_ref(),
            "-j".as_ref(),
            job_id.as_ref(),
        ],
    ) {
        Ok(out) => Ok(!out.is_empty()),
        // squeue refuses a job id that has left its memory: not in the queue.
        Err(SlurmError::Refused { stderr, .. }) if stderr.contains("Invalid job id") => Ok(false),
        Err(e) => Err(e),
    }
}

/// The tasks of the last job array that left units unfinished: (task, its unfinished
/// units).
///
/// # Errors
/// The batches cannot be read.
pub fn unfinished_tasks(job: &JobFolder) -> Result<Vec<(usize, Vec<usize>)>, JobError> {
    let batches = read_batches(job)?;
    Ok(batches
        .batches
        .into_iter()
        .enumerate()
        .filter_map(|(task, units)| {
            let left: Vec<usize> = units.into_iter().filter(|&i| !job.is_done(i)).collect();
            (!left.is_empty()).then_some((task, left))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_every_unit_exactly_once() {
        let units: Vec<usize> = (0..103).filter(|i| i % 7 != 3).collect();
        for per_task in [1, 2, 4, 10, 200] {
            let cut = batches(&units, per_task);
            let flat: Vec<usize> = cut.iter().flatten().copied().collect();
            assert_eq!(flat, units, "per task {per_task}");
            assert!(cut.iter().all(|b| !b.is_empty() && b.len() <= per_task));
            assert_eq!(cut.len(), units.len().div_ceil(per_task));
        }
        assert!(batches(&[], 4).is_empty());
        assert_eq!(default_units_per_task(10, 1), 4);
        assert_eq!(default_units_per_task(10, 8), 32);
        assert_eq!(default_units_per_task(100_000, 1), 100);
    }

    #[test]
    fn the_script_throttles_the_array_and_quotes_paths() {
        let options = SlurmOptions {
            partition: Some("short".into()),
            time: Some("1:00:00".into()),
            cpus: 4,
            units_per_task: None,
            max_running: 8,
            extra: vec!["--account=lab x".into()],
        };
        let text = script(
            Path::new("/opt/my tools/vcsim"),
            Path::new("/data/it's here/.run.job"),
            Path::new("/data/work dir"),
            "run",
            20,
            &options,
        );
        assert!(text.contains("#SBATCH --array=0-19%8\n"), "{text}");
        assert!(text.contains("#SBATCH --cpus-per-task=4\n"), "{text}");
        assert!(text.contains("#SBATCH --partition=short\n"), "{text}");
        assert!(text.contains("#SBATCH --time=1:00:00\n"), "{text}");
        assert!(text.contains("#SBATCH '--account=lab x'\n"), "{text}");
        assert!(
            text.contains("cd '/data/work dir'\n"),
            "the working folder is quoted: {text}"
        );
        assert!(
            text.contains(
                "exec '/opt/my tools/vcsim' jobs run-task '/data/it'\\''s here/.run.job' \
                 --task \"$SLURM_ARRAY_TASK_ID\" --threads 4\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "#SBATCH --output='/data/it'\\''s here/.run.job/_slurm/logs/task-%A_%a.out'"
            ),
            "{text}"
        );
        // The throttle never exceeds the tasks; no partition or time unless asked.
        let text = script(
            Path::new("/v"),
            Path::new("/j"),
            Path::new("/w"),
            "x",
            3,
            &SlurmOptions {
                cpus: 1,
                max_running: 64,
                ..SlurmOptions::default()
            },
        );
        assert!(text.contains("#SBATCH --array=0-2%3\n"), "{text}");
        assert!(
            !text.contains("--partition") && !text.contains("--time"),
            "{text}"
        );
    }

    #[test]
    fn shell_quoting_survives_the_shell() {
        for text in ["plain", "with space", "it's", "$HOME `x` \"q\"", ""] {
            let out = Command::new("sh")
                .args(["-c", &format!("printf %s {}", shell_quote(text))])
                .output()
                .expect("sh");
            assert_eq!(String::from_utf8_lossy(&out.stdout), text);
        }
    }
}
