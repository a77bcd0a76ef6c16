//! `vcsim merge JOB`: merges the finished runs of a job folder into the command's result,
//! exactly as the command would have at the end of its runs (the same code, so the
//! result is byte-identical).

use super::CliError;
use super::compare::CompareArgs;
use super::jobs::Mode;
use super::validate::ValidateArgs;
use clap::Args;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::PathBuf;
use vcsim::jobs::{COMMAND_FILE, PLAN_FILE, job_folder_of};

/// Arguments of `vcsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The job folder (`.NAME.job`) or the result folder it is for (`NAME`, the
    /// command's --out).
    job: PathBuf,
}

/// The command that made a job folder (`_command.json`), with absolute paths.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "command", content = "args", rename_all = "snake_case")]
pub enum Stored {
    /// `vcsim compare`.
    Compare(CompareArgs),
    /// `vcsim validate`.
    Validate(ValidateArgs),
    /// `vcsim sweep`.
    Sweep(super::sweep::SweepArgs),
    /// `vcsim sensitivity`.
    Sensitivity(super::sensitivity::SensitivityArgs),
    /// `vcsim robustness`.
    Robustness(super::robustness::RobustnessArgs),
    /// `vcsim calibrate` (one batch's job: not merged, the command continues it).
    Calibrate(super::calibrate::CalibrateArgs),
}

/// Runs `vcsim merge`.
///
/// # Errors
/// Not a job folder (exit 1); unfinished runs, or what the command's merge reports
/// (exit 2).
pub fn run(args: &MergeArgs) -> Result<(), CliError> {
    let given = &args.job;
    let dir = if given.join(PLAN_FILE).is_file() {
        given.clone()
    } else if job_folder_of(given).join(PLAN_FILE).is_file() {
        job_folder_of(given)
    } else {
        return Err(CliError::invalid(format!(
            "{}: not a job folder of vcsim, nor a result with one beside it ({} has no {PLAN_FILE}); \
             `vcsim merge` takes the --out of a compare, validate, sweep, sensitivity or robustness run with --backend slurm, or its .NAME.job folder",
            given.display(),
            job_folder_of(given).display()
        )));
    };
    let path = dir.join(COMMAND_FILE);
    let text = fs::read_to_string(&path).map_err(|e| {
        CliError::invalid(format!(
            "{}: cannot read: {e}; the job was not started by a vcsim that can merge it",
            path.display()
        ))
    })?;
    let stored: Stored = serde_json::from_str(&text)
        .map_err(|e| CliError::invalid(format!("{}: damaged: {e}", path.display())))?;
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix('.'))
        .and_then(|n| n.strip_suffix(".job"))
        .unwrap_or_default()
        .to_string();
    let out = dir.with_file_name(name);
    match stored {
        Stored::Compare(args) => super::compare::run_mode(&args.with_out(out), Mode::Merge),
        Stored::Validate(args) => super::validate::run_mode(&args.with_out(out), Mode::Merge),
        Stored::Sweep(args) => super::sweep::run_mode(&args.with_out(out), Mode::Merge),
        Stored::Sensitivity(args) => super::sensitivity::run_mode(&args.with_out(out), Mode::Merge),
        Stored::Robustness(args) => super::robustness::run_mode(&args.with_out(out), Mode::Merge),
        Stored::Calibrate(_) => Err(CliError::invalid(format!(
            "{}: the job of one batch of `vcsim calibrate`, not a result to merge; run the same \
             `vcsim calibrate` command again: it continues from its cache and this batch's \
             finished runs",
            dir.display()
        ))),
    }
}
