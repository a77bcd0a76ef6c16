//! `vcsim compare`: an experiment of arms × replicates, run in parallel, with paired
//! statistics in `summary.csv` and `summary.md`.

use super::CliError;
use super::run::{move_into_place, preflight, temporary_beside, write_file, write_run_files};
use crate::experiment::compare::{
    run_experiment, summarise_experiment, write_summary_csv, write_summary_md,
};
use crate::experiment::design::{Experiment, ExperimentError};
use crate::record::manifest::{ArmEntry, DoseSeriesEntry, ExperimentManifest, write_json};
use crate::sim::init_threads;
use clap::Args;
use std::fs;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// Arguments of `vcsim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The experiment file (TOML).
    experiment: PathBuf,
    /// Replicates per arm, replacing `experiment.replicates`.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    replicates: Option<usize>,
    /// Runs in parallel (results do not depend on it).
    #[arg(long, value_name = "N", default_value_t = super::default_threads())]
    threads: usize,
    /// Output folder (default: output/<experiment name>/).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Replace an earlier result at --out.
    #[arg(long)]
    force: bool,
    /// Do not render the figures at the end (`vcsim plot` renders them later).
    #[arg(long)]
    no_plots: bool,
}

/// Runs `vcsim compare`.
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run(args: &CompareArgs) -> Result<(), CliError> {
    super::check_threads(args.threads)?;
    let experiment = Experiment::load(&args.experiment, args.replicates).map_err(|e| match e {
        ExperimentError::Invalid { .. } => CliError::Invalid(e.to_string()),
        _ => CliError::Runtime(e.to_string()),
    })?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&experiment.name));
    preflight(&out, args.force)?;
    // Independent runs in parallel; each run's cells on one thread.
    init_threads(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .map_err(|e| CliError::Runtime(format!("cannot start {} threads: {e}", args.threads)))?;
    let total = (experiment.arms.len() * experiment.replicates) as u64;
    let bar = if args.quiet || !io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(total)
    };
    let started = SystemTime::now();
    let clock = Instant::now();
    let runs = pool
        .install(|| run_experiment(&experiment, &|| bar.inc(1)))
        .map_err(|e| CliError::Runtime(format!("{}: {e}", args.experiment.display())))?;
    bar.finish_and_clear();
    let wall_time_s = clock.elapsed().as_secs_f64();
    let table = summarise_experiment(&experiment, &runs);

    let temporary = temporary_beside(&out)?;
    let result = (|| -> io::Result<()> {
        for run in &runs {
            let arm = &experiment.arms[run.arm];
            let dir = temporary
                .path()
                .join(&arm.slug)
                .join(format!("rep{}", run.replicate + 1));
            fs::create_dir_all(&dir)?;
            write_run_files(&dir, &run.scenario, &run.recorded, 1, started, wall_time_s)?;
        }
        write_file(temporary.path(), "summary.csv", |w| {
            write_summary_csv(w, &experiment, &table)
        })?;
        write_file(temporary.path(), "summary.md", |w| {
            write_summary_md(w, &experiment, &table)
        })?;
        let treatments = experiment
            .arms
            .iter()
            .map(|a| serde_json::to_value(&a.scenario.treatments).map_err(io::Error::other))
            .collect::<io::Result<Vec<_>>>()?;
        let manifest = ExperimentManifest {
            arms: experiment
                .arms
                .iter()
                .zip(treatments)
                .map(|(a, treatments)| ArmEntry {
                    base_seed: a.scenario.meta.seed,
                    // The dose-response figure reads each arm's dose from here.
                    dose: a.dose,
                    folder: &a.slug,
                    name: &a.name,
                    treatments,
                })
                .collect(),
            claims: &experiment.claims,
            description: &experiment.description,
            dose_series: experiment
                .dose_series
                .as_ref()
                .map(|series| DoseSeriesEntry {
                    name: &series.name,
                    treatment: &series.treatment,
                    unit: &series.unit,
                }),
            experiment: &experiment.name,
            replicates: experiment.replicates,
            threads: args.threads,
            vcsim_version: env!("CARGO_PKG_VERSION"),
            wall_time_s,
        };
        write_file(temporary.path(), "experiment.json", |w| {
            write_json(w, &manifest)
        })
    })();
    if let Err(e) = result {
        return Err(CliError::Runtime(format!(
            "--out {}: write failed: {e}",
            out.display()
        )));
    }
    move_into_place(temporary, &out, args.force)?;
    if !args.no_plots {
        super::plot::render(
            &out,
            super::plot::StyleArg::Talk,
            super::plot::FormatArg::Both,
            &[],
        )?;
    }
    if !args.quiet {
        super::note(&format!(
            "{}: {} arms x {} replicates in {wall_time_s:.1} s; summary in {}",
            experiment.name,
            experiment.arms.len(),
            experiment.replicates,
            out.join("summary.md").display()
        ));
    }
    Ok(())
}
