//! `vcsim sensitivity`: Morris elementary effects or Sobol indices of chosen readouts over
//! chosen factors, every design point run as a run unit (resumable, like `vcsim sweep`).

use super::jobs::{BackendFlags, Mode};
use super::run::write_file;
use super::sweep::{StudyJob, figure_options, finish_and_draw, run_study, study_error};
use super::{CliError, RunFlags};
use anyhow::Context as _;
use clap::Args;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use vcsim::experiment::sensitivity::{Sensitivity, headline, write_indices_csv, write_report_md};
use vcsim::record::manifest::write_json;

/// Arguments of `vcsim sensitivity`.
#[derive(Clone, Debug, Args, Serialize, Deserialize)]
pub struct SensitivityArgs {
    /// The sensitivity file (TOML).
    spec: PathBuf,
    #[command(flatten)]
    flags: RunFlags,
    #[command(flatten)]
    backend: BackendFlags,
}

impl SensitivityArgs {
    /// The same command with absolute paths, as `vcsim merge` runs it from anywhere.
    pub(super) fn absolute(&self, out: &Path) -> Self {
        let mut args = self.clone();
        args.spec = std::path::absolute(&self.spec).unwrap_or_else(|_| self.spec.clone());
        args.flags.out = Some(out.to_path_buf());
        args.flags.absolute_parameters();
        args
    }

    /// The result folder (`--out`).
    pub(super) fn with_out(mut self, out: PathBuf) -> Self {
        self.flags.out = Some(out);
        self
    }
}

/// Runs `vcsim sensitivity`.
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run(args: &SensitivityArgs) -> Result<(), CliError> {
    args.backend.check()?;
    run_mode(args, Mode::Run(&args.backend))
}

/// Runs `vcsim sensitivity` (or, in merge mode, only merges its finished job folder).
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run_mode(args: &SensitivityArgs, mode: Mode<'_>) -> Result<(), CliError> {
    let flags = &args.flags;
    flags.check()?;
    let analysis = Sensitivity::load(&args.spec).map_err(study_error)?;
    let out = flags.out_or(&analysis.study.name);
    let out = std::path::absolute(&out).unwrap_or(out);
    let stored = super::merge::Stored::Sensitivity(args.absolute(&out));
    let what = StudyJob {
        command: "sensitivity",
        file: &args.spec,
        table: "runs.csv",
        mode,
        stored: &stored,
    };
    let Some(finished) = run_study(&what, &analysis.study, &analysis.points, flags, &out)? else {
        return Ok(());
    };
    let indices = analysis.indices(&finished.readouts);
    let dir = finished.job.dir().to_path_buf();
    let written = (|| -> anyhow::Result<()> {
        write_file(&dir, "indices.csv", |w| {
            write_indices_csv(w, &analysis, &indices)
        })?;
        write_file(&dir, "sensitivity.md", |w| {
            write_report_md(w, &analysis, &indices)
        })?;
        write_file(&dir, "sensitivity.json", |w| {
            write_json(w, &analysis.manifest())
        })
    })();
    written.with_context(|| format!("--out {}: write failed", out.display()))?;
    let pngs = finish_and_draw(finished.job, flags, &out, |dir| {
        vcsim::render::plot_sensitivity_folder(dir, &figure_options())
    })?;
    if !flags.quiet {
        let mut report = vec![format!(
            "{}: {} design points x {} in {:.1} s",
            analysis.study.name,
            analysis.points.len(),
            match analysis.study.replicates {
                1 => "1 replicate".to_string(),
                n => format!("{n} replicates"),
            },
            finished.wall_time_s
        )];
        report.extend(
            headline(&analysis, &indices)
                .into_iter()
                .map(|l| format!("  {l}")),
        );
        report.push(format!("report: {}", out.join("sensitivity.md").display()));
        if !pngs.is_empty() {
            report.push(format!("figures: {}", pngs.join(", ")));
        }
        super::note(&report.join("\n"));
    }
    Ok(())
}
