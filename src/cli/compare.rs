//! `vcsim compare`: an experiment of arms × replicates, run in parallel, with paired
//! statistics in `summary.csv` and `summary.md`.

use super::run::{move_into_place, preflight, temporary_beside, write_file, write_run_files};
use super::{CliError, ExitKind, RunFlags};
use anyhow::Context as _;
use clap::Args;
use std::fs;
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::time::{Instant, SystemTime};
use vcsim::experiment::compare::{
    run_experiment, summarise_experiment, write_summary_csv, write_summary_md,
};
use vcsim::experiment::design::{Experiment, ExperimentError};
use vcsim::model::parameters::{DidYouMean, closest};
use vcsim::record::manifest::{ArmEntry, DoseSeriesEntry, ExperimentManifest, write_json};

/// Arguments of `vcsim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The experiment file (TOML).
    experiment: PathBuf,
    /// Replicates per arm, replacing `experiment.replicates`.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    replicates: Option<usize>,
    #[command(flatten)]
    flags: RunFlags,
}

/// Runs `vcsim compare`.
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run(args: &CompareArgs) -> Result<(), CliError> {
    let flags = &args.flags;
    flags.check()?;
    let experiment = Experiment::load(&args.experiment, args.replicates).map_err(|e| {
        let kind = match e {
            ExperimentError::Invalid { .. } => ExitKind::Invalid,
            _ => ExitKind::Runtime,
        };
        CliError::new(kind, e)
    })?;
    let ids = || vcsim::validation::CLAIMS.iter().map(|c| c.id);
    let mut unknown: Vec<String> = experiment
        .claims
        .iter()
        .zip(&experiment.claim_places)
        .filter(|(id, _)| !ids().any(|known| known == id.as_str()))
        .map(|(id, place)| {
            let hint = DidYouMean(closest(id, ids()));
            format!("{place}: experiment.claims = {id:?}: no such claim of the review{hint}")
        })
        .collect();
    if !unknown.is_empty() {
        unknown.push(format!(
            "the claims are {}",
            ids().collect::<Vec<_>>().join(", ")
        ));
        return Err(CliError::invalid(unknown.join("\n")));
    }
    for warning in &experiment.warnings {
        super::note(&format!("warning: {warning}"));
    }
    let out = flags.out_or(&experiment.name);
    preflight(&out, flags.force)?;
    // Independent runs in parallel; each run's cells on one thread.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(flags.threads)
        .build()
        .with_context(|| format!("cannot start {} threads", flags.threads))?;
    let total = (experiment.arms.len() * experiment.replicates) as u64;
    let bar = if flags.quiet || !io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(total)
    };
    let started = SystemTime::now();
    let clock = Instant::now();
    let runs = pool
        .install(|| run_experiment(&experiment, &|| bar.inc(1)))
        .with_context(|| args.experiment.display().to_string())?;
    bar.finish_and_clear();
    let wall_time_s = clock.elapsed().as_secs_f64();
    let table = summarise_experiment(&experiment, &runs);

    let temporary = temporary_beside(&out)?;
    let result = (|| -> anyhow::Result<()> {
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
            threads: flags.threads,
            vcsim_version: env!("CARGO_PKG_VERSION"),
            wall_time_s,
        };
        write_file(temporary.path(), "experiment.json", |w| {
            write_json(w, &manifest)
        })
    })();
    if let Err(e) = result {
        return Err(e
            .context(format!("--out {}: write failed", out.display()))
            .into());
    }
    move_into_place(temporary, &out, flags.force)?;
    if !flags.no_plots {
        super::plot::render(
            &out,
            super::plot::StyleArg::Talk,
            super::plot::FormatArg::Both,
            &[],
        )?;
    }
    if !flags.quiet {
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
