//! `vcsim compare`: an experiment of arms × replicates, run in parallel, with paired
//! statistics in `summary.csv` and `summary.md`; with `--posterior FILE --draws K`, arms
//! × K posterior draws × replicates, with intervals that combine parameter and
//! stochastic uncertainty ([`vcsim::experiment::posterior`]).

use super::jobs::{Backend, BackendFlags, Executed, Mode};
use super::run::{WallArg, not_moved, preflight, replaceable, write_file};
use super::{CliError, ExitKind, RunFlags};
use clap::Args;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;
use vcsim::experiment::compare::{
    ArmReadout, ReplicateSeries, experiment_units, headline, summarise_experiment, unit_folder,
    write_summary_csv, write_summary_md,
};
use vcsim::experiment::design::{Experiment, ExperimentError};
use vcsim::experiment::posterior::{
    DrawSeries, MAX_DRAWS, PosteriorPlan, PosteriorReadout, posterior_headline, posterior_units,
    summarise_posterior, write_posterior_summary_csv, write_posterior_summary_md,
};
use vcsim::jobs::JobUnit;
use vcsim::model::parameters::{DidYouMean, closest};
use vcsim::record::TimeseriesFile;
use vcsim::record::atomic;
use vcsim::record::manifest::{
    ArmEntry, DoseSeriesEntry, ExperimentManifest, PosteriorEntry, write_json,
};
use vcsim::scenario::overrides::OverridesError;
use vcsim::scenario::read_posterior;
use vcsim::sim::memory;

/// Arguments of `vcsim compare`.
#[derive(Clone, Debug, Args, Serialize, Deserialize)]
pub struct CompareArgs {
    /// The experiment file (TOML).
    experiment: PathBuf,
    /// Replicates per arm, replacing `experiment.replicates`.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    replicates: Option<usize>,
    /// Which wall snapshots each replicate's `wall.csv` keeps: `last` (the end only: the
    /// final mineral map and wall section of every replicate), `all` (every snapshot: the
    /// mineral maps of every day and the animation) or `none` (no wall.csv; the
    /// experiment's figures need only the time series).
    #[arg(long, value_enum, value_name = "WHICH", default_value_t = WallArg::Last)]
    wall: WallArg,
    /// A posterior sample (`posterior.csv`: header `draw,weight,distance,<module>.<field>,...`,
    /// weights summing to 1): every arm and replicate runs under K of its draws, chosen
    /// from the seed by systematic resampling of the weights, and each effect gets a
    /// 95% interval combining parameter and stochastic uncertainty.
    #[arg(long, value_name = "FILE")]
    #[serde(default)]
    posterior: Option<PathBuf>,
    /// How many posterior draws to run (K, with --posterior; default 10): runs are arms x
    /// K x replicates.
    #[arg(long, value_name = "K", allow_negative_numbers = true)]
    #[serde(default)]
    draws: Option<usize>,
    #[command(flatten)]
    flags: RunFlags,
    #[command(flatten)]
    backend: BackendFlags,
}

impl CompareArgs {
    /// The same command with absolute paths, as `vcsim merge` runs it from anywhere.
    pub(super) fn absolute(&self, out: &Path) -> Self {
        let mut args = self.clone();
        args.experiment =
            std::path::absolute(&self.experiment).unwrap_or_else(|_| self.experiment.clone());
        args.posterior = self
            .posterior
            .as_ref()
            .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()));
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

/// Runs `vcsim compare`.
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run(args: &CompareArgs) -> Result<(), CliError> {
    args.backend.check()?;
    run_mode(args, Mode::Run(&args.backend))
}

/// Runs `vcsim compare` (or, in merge mode, only merges its finished job folder).
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run_mode(args: &CompareArgs, mode: Mode<'_>) -> Result<(), CliError> {
    let flags = &args.flags;
    let merging = matches!(mode, Mode::Merge);
    flags.check()?;
    let draws = checked_draws(args)?;
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
    // Every arm names a folder: refuse a name the file system cannot take now, not
    // after the whole experiment has run.
    for arm in &experiment.arms {
        if arm.slug.len() > atomic::NAME_MAX {
            return Err(CliError::invalid(format!(
                "{}: arm `{}...`: its folder name is {} bytes; file systems take at most {} (shorten the arm's name)",
                args.experiment.display(),
                arm.name.chars().take(40).collect::<String>(),
                arm.slug.len(),
                atomic::NAME_MAX
            )));
        }
    }
    // `--parameters FILE`: laid over every arm's scenario; with a posterior, under each
    // draw's values (a draw's value wins over the file's, an arm's own over both).
    let parameters = flags.overrides()?;
    let experiment = if args.posterior.is_none() {
        experiment
            .with_overrides(&parameters)
            .map_err(|e| CliError::invalid(e.to_string()))?
    } else {
        experiment
    };
    let plan = match (&args.posterior, draws) {
        (Some(file), Some(k)) => {
            let posterior = read_posterior(file).map_err(|e| match e {
                OverridesError::Io { .. } => CliError::runtime(format!("--posterior {e}")),
                OverridesError::Invalid { .. } => CliError::invalid(format!(
                    "--posterior {}: not a posterior sample:\n{e}",
                    file.display()
                )),
            })?;
            let seed = experiment.arms.first().map_or(0, |a| a.scenario.meta.seed);
            // The absolute path, so that a merged Slurm job records what a local run does.
            let file = std::path::absolute(file).unwrap_or_else(|_| file.clone());
            Some(PosteriorPlan::choose(
                &file.display().to_string(),
                &posterior,
                k,
                seed,
            ))
        }
        _ => None,
    };
    let units = match &plan {
        None => experiment_units(&experiment),
        Some(plan) => {
            posterior_units(&experiment, plan, Some(&parameters)).map_err(CliError::invalid)?
        }
    };
    let out = std::path::absolute(&out).unwrap_or(out);
    if !merging && args.backend.backend == Backend::Local {
        flags.check_memory(
            memory::estimate_unit_runs(units.iter().map(|u| &u.scenario), flags.threads),
            &format!(
                "{}: {} runs ({} arms x {}{} replicates, {} at a time)",
                args.experiment.display(),
                units.len(),
                experiment.arms.len(),
                plan.as_ref()
                    .map_or_else(String::new, |p| format!("{} draws x ", p.slots())),
                experiment.replicates,
                flags.threads.min(units.len())
            ),
        )?;
    }
    let _lock = preflight(&out, flags.force)?;
    let job_units: Vec<JobUnit> = units
        .iter()
        .map(|u| JobUnit {
            id: unit_folder(&experiment, u),
            scenario: u.scenario.clone(),
        })
        .collect();
    let mut job = super::jobs::open_job(
        &out,
        "compare",
        &experiment.name,
        &job_units,
        args.wall.kept(),
        flags.force && !merging,
    )?;
    drop(job_units);
    let clock = Instant::now();
    let executed = super::jobs::execute(
        &mut job,
        mode,
        &super::merge::Stored::Compare(args.absolute(&out)),
        flags.threads,
        flags.quiet,
        &args.experiment.display().to_string(),
    )?;
    if executed == Executed::Written {
        return Ok(());
    }
    let wall_time_s = clock.elapsed().as_secs_f64();
    // The summary reads every run back from its folder, so a resumed job and an
    // uninterrupted one summarise the same bytes.
    let series = units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let path = job.unit_dir(i).join("timeseries.csv");
            TimeseriesFile::read(&path).map(|file| DrawSeries {
                draw: u.draw.unwrap_or(0),
                series: ReplicateSeries {
                    arm: u.arm,
                    replicate: u.replicate,
                    timeseries: file.rows,
                },
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::runtime(e.to_string()))?;
    let summary = match &plan {
        None => Summarised::Plain(summarise_experiment(
            &experiment,
            &series.into_iter().map(|s| s.series).collect::<Vec<_>>(),
        )),
        Some(plan) => {
            let seed = experiment.arms.first().map_or(0, |a| a.scenario.meta.seed);
            Summarised::Posterior(
                plan,
                summarise_posterior(&experiment, plan.slots(), &series, seed),
            )
        }
    };
    let folder = job.dir().to_path_buf();

    let result = (|| -> anyhow::Result<()> {
        match &summary {
            Summarised::Plain(table) => {
                write_file(&folder, "summary.csv", |w| {
                    write_summary_csv(w, &experiment, table)
                })?;
                write_file(&folder, "summary.md", |w| {
                    write_summary_md(w, &experiment, table)
                })?;
            }
            Summarised::Posterior(plan, table) => {
                write_file(&folder, "summary.csv", |w| {
                    write_posterior_summary_csv(w, &experiment, plan.slots(), table)
                })?;
                write_file(&folder, "summary.md", |w| {
                    write_posterior_summary_md(w, &experiment, plan, table)
                })?;
            }
        }
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
                    colour: a.colour.as_deref(),
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
            posterior: plan.as_ref().map(|plan| PosteriorEntry {
                available: plan.available,
                draws: plan.draws.iter().map(|d| d.draw).collect(),
                file: &plan.file,
                method: "systematic resampling of the weights",
                offset: plan.offset,
                weights: plan.draws.iter().map(|d| d.weight).collect(),
            }),
            replicates: experiment.replicates,
            threads: flags.threads,
            vcsim_version: env!("CARGO_PKG_VERSION"),
            wall_time_s,
        };
        write_file(&folder, "experiment.json", |w| write_json(w, &manifest))
    })();
    if let Err(e) = result {
        return Err(e
            .context(format!("--out {}: write failed", out.display()))
            .into());
    }
    job.finish(|existing| flags.force && replaceable(existing))
        .map_err(|e| not_moved(&out, &e))?;
    if let Some(signal) = super::received_signal() {
        return Err(super::interrupted(
            signal,
            &format!(
                "the result in {} is complete; its figures were not drawn (vcsim plot draws them)",
                out.display()
            ),
        ));
    }
    let figures = if flags.no_plots {
        Vec::new()
    } else {
        super::plot::render(
            &out,
            super::plot::StyleArg::Talk,
            super::plot::FormatArg::Both,
            &[],
        )?
    };
    if !flags.quiet {
        let mut report = vec![format!(
            "{}: {} arms x {}{} replicates in {wall_time_s:.1} s",
            experiment.name,
            experiment.arms.len(),
            plan.as_ref()
                .map_or_else(String::new, |p| format!("{} posterior draws x ", p.slots())),
            experiment.replicates
        )];
        let lines = match &summary {
            Summarised::Plain(table) => headline(&experiment, table),
            Summarised::Posterior(_, table) => posterior_headline(&experiment, table),
        };
        report.extend(lines.into_iter().map(|l| format!("  {l}")));
        report.push(format!("summary: {}", out.join("summary.md").display()));
        let pngs: Vec<String> = figures
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "png"))
            .map(|f| f.display().to_string())
            .collect();
        if !pngs.is_empty() {
            report.push(format!("figures: {}", pngs.join(", ")));
        }
        super::note(&report.join("\n"));
    }
    Ok(())
}

/// The statistics of a finished experiment.
enum Summarised<'p> {
    /// Without a posterior: per readout, per arm.
    Plain(Vec<Vec<ArmReadout>>),
    /// Over posterior draws.
    Posterior(&'p PosteriorPlan, Vec<Vec<PosteriorReadout>>),
}

/// `--draws` as a count: with `--posterior` only, in `[1, MAX_DRAWS]`, 10 when not given.
fn checked_draws(args: &CompareArgs) -> Result<Option<usize>, CliError> {
    match (&args.posterior, args.draws) {
        (None, None) => Ok(None),
        (None, Some(k)) => Err(CliError::invalid(format!(
            "--draws {k}: needs --posterior FILE (the posterior sample to draw from)"
        ))),
        (Some(_), Some(k)) if !(1..=MAX_DRAWS).contains(&k) => Err(CliError::invalid(format!(
            "--draws {k}: must be in [1, {MAX_DRAWS}] (posterior draws to run)"
        ))),
        (Some(_), k) => Ok(Some(k.unwrap_or(DEFAULT_DRAWS))),
    }
}

/// [1] Posterior draws when `--posterior` is given without `--draws`.
const DEFAULT_DRAWS: usize = 10;
