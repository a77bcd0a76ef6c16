//! `vcsim calibrate`: fits the free parameters of `data/calibration/free-parameters.toml`
//! to the calibration rows (CMA-ES point estimate, then an ABC posterior) and writes
//! `parameters.toml`, `posterior.csv`, `history.csv`, `fit.csv`, `calibration.md` and
//! `manifest.json` into `--out`, atomically, then (unless `--no-plots`) the figures
//! `calibration-fit` and `calibration-history`. An interrupted calibration started again
//! with the same `--out`, `--seed` and mode continues from its cache
//! (`.NAME.calibrate-cache.json` beside `--out`) and gives the same files.
//!
//! Each batch (the defaults, a CMA-ES generation, a chunk of ABC draws) runs as one job
//! (`.NAME.job` beside `--out`, removed when the batch is in the cache) on the chosen
//! backend: this machine, or a Slurm job array submitted and followed from here. The
//! files do not depend on the backend or the thread count.

use super::jobs::{BackendFlags, Mode, ScoredJob};
use super::run::{move_into_place, preflight, temporary_beside, write_file};
use super::{CliError, check_threads, default_threads};
use clap::Args;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::path::PathBuf;
use std::time::Instant;
use vcsim::calibration::{self, CalibrationError, Problem};

/// The files of a calibration folder (for `--force`: what an earlier result may hold).
pub const FILES: [&str; 6] = [
    "parameters.toml",
    "posterior.csv",
    "history.csv",
    "fit.csv",
    "calibration.md",
    "manifest.json",
];

/// The figures of a calibration folder.
pub const FIGURES: [&str; 2] = vcsim::render::CALIBRATION_FIGURES;

/// Arguments of `vcsim calibrate`.
#[derive(Clone, Debug, Args, Serialize, Deserialize)]
pub struct CalibrateArgs {
    /// Quick mode (CI): the `[quick]` rows, parameters and sizes of
    /// data/calibration/free-parameters.toml on the quick protocols.
    #[arg(long)]
    quick: bool,
    /// Seed of the CMA-ES, the common replicate seeds and the ABC draws.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Worker threads (results do not depend on it).
    #[arg(long, value_name = "N", default_value_t = default_threads())]
    threads: usize,
    /// Output folder (default output/calibration or output/calibration-quick).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Replace an earlier result at --out.
    #[arg(long)]
    force: bool,
    /// No progress lines.
    #[arg(long)]
    quiet: bool,
    /// Do not draw the figures (`vcsim plot DIR` draws them later).
    #[arg(long)]
    no_plots: bool,
    /// Do not fit: score the values of this parameter file (a file of
    /// `[parameters.<module>]` tables, e.g. `data/calibration/shipped.toml` or a
    /// calibration's `parameters.toml`, laid over the shipped values) on the fitted rows,
    /// once per fresh seed set, and write `evaluation.csv` and `evaluation.md`: how much
    /// a point's objective scatters with the runs' randomness alone (default --out
    /// output/calibration-evaluation).
    #[arg(long, value_name = "FILE")]
    evaluate: Option<PathBuf>,
    /// With --evaluate: how many fresh seed sets (from --seed) score the values.
    #[arg(long, value_name = "N", default_value_t = 4, requires = "evaluate")]
    seed_sets: usize,
    /// Stop after this many batches, as an interruption would (for tests of resuming).
    #[arg(long, hide = true, value_name = "N")]
    stop_after_batches: Option<usize>,
    #[command(flatten)]
    backend: BackendFlags,
}

/// Why a calibration did not finish: in the calibration, or in running a batch's job.
enum Failed {
    Calibration(CalibrationError),
    Job(CliError),
}

impl From<CalibrationError> for Failed {
    fn from(e: CalibrationError) -> Self {
        Self::Calibration(e)
    }
}

#[derive(serde::Serialize)]
struct Manifest<'a> {
    command: &'a str,
    mode: &'a str,
    seed: u64,
    threads: usize,
    inputs_digest: &'a str,
    fitted_rows: Vec<&'a str>,
    free_parameters: Vec<String>,
    evaluations: usize,
    objective_defaults: f64,
    objective_calibrated: f64,
    posterior_draws: usize,
    vcsim_version: &'static str,
    wall_time_s: f64,
}

/// Runs `vcsim calibrate`.
///
/// # Errors
/// Invalid input (exit 1), a failed run or write (exit 2), an interruption.
#[expect(clippy::too_many_lines, reason = "one command, step by step")]
pub fn run(args: &CalibrateArgs) -> Result<(), CliError> {
    check_threads(args.threads)?;
    args.backend.check()?;
    if let Some(file) = &args.evaluate {
        if args.backend.no_submit {
            return Err(CliError::invalid(
                "--no-submit: an evaluation is scored by the command that ran it; run it with \
                 --backend slurm without --no-submit on the login node, where it submits and \
                 follows one job array",
            ));
        }
        return evaluate(args, file);
    }
    if args.backend.no_submit {
        return Err(CliError::invalid(
            "--no-submit: a calibration cannot be submitted and merged later (each CMA-ES \
             generation depends on the one before); run it with --backend slurm without \
             --no-submit on the login node, where it submits and follows one job array per \
             batch",
        ));
    }
    let out = out_folder(args, "calibration");
    let problem = Problem::committed(args.quick).map_err(|e| CliError::invalid(e.to_string()))?;
    let _lock = preflight(&out, args.force)?;
    let name = out.file_name().map_or_else(
        || "calibration".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let cache = out.with_file_name(format!(".{name}.calibrate-cache.json"));
    let command = format!(
        "vcsim calibrate{} --seed {}",
        if args.quick { " --quick" } else { "" },
        args.seed
    );
    let clock = Instant::now();
    let batches = Cell::new(0usize);
    let stop = || {
        let limit = args.stop_after_batches.is_some_and(|n| batches.get() >= n);
        batches.set(batches.get() + 1);
        limit || super::received_signal().is_some()
    };
    let quiet = args.quiet;
    let progress = |done: usize, planned: usize| {
        if !quiet {
            super::note(&format!(
                "calibrate: {done} of {planned} evaluations ({:.0} s)",
                clock.elapsed().as_secs_f64()
            ));
        }
    };
    let mut stored = args.clone();
    stored.out = Some(out.clone());
    let stored = super::merge::Stored::Calibrate(stored);
    // One job per batch; a job folder left by another batch or another calibration is
    // not this batch's and is discarded (the finished batches are in the cache).
    let scored = ScoredJob {
        out: &out,
        command: "calibrate",
        discard_other: true,
        mode: Mode::Run(&args.backend),
        stored: &stored,
        threads: args.threads,
        quiet: args.quiet,
        context: "the calibration",
    };
    let mut run_batch = |units| match scored.run(units) {
        Ok(Some(job)) => Ok(job),
        Ok(None) => Err(Failed::Job(CliError::runtime(
            "a calibration batch was written, not run",
        ))),
        Err(e) => Err(Failed::Job(e)),
    };
    let outcome = match calibration::calibrate(
        &problem,
        args.seed,
        &cache,
        &mut run_batch,
        &stop,
        &progress,
    ) {
        Ok(o) => o,
        Err(Failed::Calibration(CalibrationError::Interrupted(n))) => {
            let what = format!(
                "{n} evaluations are kept in {}; the same command continues",
                cache.display()
            );
            return Err(match super::received_signal() {
                Some(signal) => super::interrupted(signal, &what),
                None => CliError::runtime(format!("stopped (--stop-after-batches): {what}")),
            });
        }
        Err(Failed::Calibration(e @ CalibrationError::Invalid(_))) => {
            return Err(CliError::invalid(e.to_string()));
        }
        Err(Failed::Calibration(e)) => return Err(CliError::runtime(e.to_string())),
        Err(Failed::Job(e)) => return Err(e),
    };
    let wall_time_s = clock.elapsed().as_secs_f64();
    let toml = calibration::parameters_toml(&problem, &outcome, &command)
        .map_err(|e| CliError::runtime(e.to_string()))?;
    let manifest = Manifest {
        command: &command,
        mode: if args.quick { "quick" } else { "full" },
        seed: args.seed,
        threads: args.threads,
        inputs_digest: problem.inputs_digest(),
        fitted_rows: problem
            .targets
            .iter()
            .map(|t| t.observation.id.as_str())
            .collect(),
        free_parameters: problem.parameters().iter().map(|p| p.key()).collect(),
        evaluations: outcome.history.len(),
        objective_defaults: outcome.defaults.objective,
        objective_calibrated: outcome.best.objective,
        posterior_draws: outcome.posterior.len(),
        vcsim_version: env!("CARGO_PKG_VERSION"),
        wall_time_s,
    };
    write_result(&out, args.force, |dir| {
        write_file(dir, "parameters.toml", |w| w.write_all(toml.as_bytes()))?;
        write_file(dir, "posterior.csv", |w| {
            calibration::write_posterior(w, &problem, &outcome)
        })?;
        write_file(dir, "history.csv", |w| {
            calibration::write_history(w, &problem, &outcome)
        })?;
        write_file(dir, "fit.csv", |w| {
            calibration::write_fit(w, &problem, &outcome)
        })?;
        write_file(dir, "calibration.md", |w| {
            calibration::write_markdown(w, &problem, &outcome, &command)
        })?;
        write_manifest(dir, &manifest)
    })?;
    if let Err(e) = std::fs::remove_file(&cache) {
        super::note(&format!(
            "warning: {}: {e}; the result is complete, delete the cache by hand",
            cache.display()
        ));
    }
    // A batch's job folder left half removed by a kill after its batch was cached (no
    // later batch then opened a job of its own to replace it).
    let leftover = vcsim::jobs::job_folder_of(&out);
    if leftover.exists()
        && let Err(e) = std::fs::remove_dir_all(&leftover)
    {
        super::note(&format!(
            "warning: {}: {e}; the result is complete, delete that folder by hand",
            leftover.display()
        ));
    }
    if let Some(signal) = super::received_signal() {
        return Err(super::interrupted(
            signal,
            &format!(
                "the result in {} is complete; its figures were not drawn",
                out.display()
            ),
        ));
    }
    if !args.no_plots {
        vcsim::render::plot_calibration_folder(
            &out,
            &vcsim::render::PlotOptions {
                style: vcsim::render::Style::Talk,
                format: vcsim::render::Format::Both,
                only: Vec::new(),
            },
        )
        .map_err(|e| CliError::new(super::ExitKind::Runtime, e))?;
    }
    if !args.quiet {
        super::note(&format!(
            "calibrate: objective {:.3} (defaults) -> {:.3} (calibrated) over {} rows; {} \
             evaluations in {wall_time_s:.1} s; {} posterior draws\nresult: {}",
            outcome.defaults.objective,
            outcome.best.objective,
            problem.targets.len(),
            outcome.history.len(),
            outcome.posterior.len(),
            out.display()
        ));
    }
    Ok(())
}

/// The files of an evaluation folder (`vcsim calibrate --evaluate`).
pub const EVALUATION_FILES: [&str; 3] = ["evaluation.csv", "evaluation.md", "manifest.json"];

#[derive(serde::Serialize)]
struct EvaluationManifest<'a> {
    command: &'a str,
    mode: &'a str,
    parameters_file: String,
    seed: u64,
    seeds: &'a [u64],
    threads: usize,
    inputs_digest: &'a str,
    fitted_rows: Vec<&'a str>,
    objectives: Vec<f64>,
    objective_mean: f64,
    objective_sd: f64,
    vcsim_version: &'static str,
    wall_time_s: f64,
}

/// `vcsim calibrate --evaluate FILE`: the objective of fixed values at fresh seeds.
fn evaluate(args: &CalibrateArgs, file: &std::path::Path) -> Result<(), CliError> {
    if args.seed_sets == 0 {
        return Err(CliError::invalid(
            "--seed-sets 0: at least one seed set is needed to score the values",
        ));
    }
    if args.seed_sets > 1000 {
        return Err(CliError::invalid(format!(
            "--seed-sets {}: at most 1000 (each set runs every fitted protocol)",
            args.seed_sets
        )));
    }
    let overrides = vcsim::scenario::ParameterOverrides::load(file)
        .map_err(|e| CliError::invalid(format!("--evaluate: {e}")))?;
    let out = out_folder(args, "calibration-evaluation");
    let problem = Problem::committed(args.quick).map_err(|e| CliError::invalid(e.to_string()))?;
    let seeds = calibration::fresh_seeds(args.seed, args.seed_sets);
    let units = problem
        .evaluation_units(&overrides, &seeds)
        .map_err(|e| CliError::invalid(format!("--evaluate {}: {e}", file.display())))?;
    let _lock = preflight(&out, args.force)?;
    let command = format!(
        "vcsim calibrate{} --evaluate {} --seed {} --seed-sets {}",
        if args.quick { " --quick" } else { "" },
        file.display(),
        args.seed,
        args.seed_sets
    );
    let clock = Instant::now();
    let mut stored = args.clone();
    stored.out = Some(out.clone());
    let stored = super::merge::Stored::Calibrate(stored);
    let scored = ScoredJob {
        out: &out,
        command: "calibrate",
        discard_other: false,
        mode: Mode::Run(&args.backend),
        stored: &stored,
        threads: args.threads,
        quiet: args.quiet,
        context: "the evaluation",
    };
    let Some(job) = scored.run(units)? else {
        return Err(CliError::runtime(
            "the evaluation's job was written, not run",
        ));
    };
    let scores = problem
        .read_evaluation(&job, &seeds)
        .map_err(|e| CliError::runtime(e.to_string()))?;
    let objectives: Vec<f64> = scores.iter().map(|s| s.objective).collect();
    let (mean, sd, _, _) = calibration::spread(&objectives);
    let wall_time_s = clock.elapsed().as_secs_f64();
    let manifest = EvaluationManifest {
        command: &command,
        mode: if args.quick { "quick" } else { "full" },
        parameters_file: file.display().to_string(),
        seed: args.seed,
        seeds: &seeds,
        threads: args.threads,
        inputs_digest: problem.inputs_digest(),
        fitted_rows: problem
            .targets
            .iter()
            .map(|t| t.observation.id.as_str())
            .collect(),
        objectives: objectives.clone(),
        objective_mean: mean,
        objective_sd: sd,
        vcsim_version: env!("CARGO_PKG_VERSION"),
        wall_time_s,
    };
    let shown = file.display().to_string();
    write_result(&out, args.force, |dir| {
        write_file(dir, "evaluation.csv", |w| {
            calibration::write_evaluation_csv(w, &problem, &scores)
        })?;
        write_file(dir, "evaluation.md", |w| {
            calibration::write_evaluation_markdown(w, &problem, &scores, &shown, &command)
        })?;
        write_manifest(dir, &manifest)
    })?;
    super::jobs::discard_scored(job);
    if !args.quiet {
        super::note(&format!(
            "calibrate --evaluate: objective mean {mean:.3} (sd {sd:.3}) over {} seed sets \
             and {} rows, in {wall_time_s:.1} s\nresult: {}",
            seeds.len(),
            problem.targets.len(),
            out.display()
        ));
    }
    Ok(())
}

/// Writes a result's files into a temporary folder beside `out` and moves it into place
/// (an earlier result is replaced only with `force`): a failed write leaves nothing.
fn write_result(
    out: &std::path::Path,
    force: bool,
    write: impl FnOnce(&std::path::Path) -> anyhow::Result<()>,
) -> Result<(), CliError> {
    let temporary = temporary_beside(out)?;
    if let Err(e) = write(temporary.path()) {
        return Err(e
            .context(format!("--out {}: write failed", out.display()))
            .into());
    }
    move_into_place(temporary, out, force)
}

/// `manifest.json` in `dir`, pretty-printed.
fn write_manifest(dir: &std::path::Path, manifest: &impl Serialize) -> anyhow::Result<()> {
    write_file(dir, "manifest.json", |w| {
        serde_json::to_writer_pretty(&mut *w, manifest).map_err(std::io::Error::other)?;
        writeln!(w)
    })
}

/// `--out`, or `output/<name>` (`output/<name>-quick` with `--quick`), made absolute.
fn out_folder(args: &CalibrateArgs, name: &str) -> PathBuf {
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("output").join(if args.quick {
            format!("{name}-quick")
        } else {
            name.to_string()
        })
    });
    std::path::absolute(&out).unwrap_or(out)
}
