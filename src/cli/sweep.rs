//! `vcsim sweep`: a base scenario run at every point of a design over chosen factors,
//! with replicates; one tidy table of runs (`sweep.csv`) and a figure per readout. The
//! job machinery here (run units in a resumable job folder, the table read back from the
//! units) is shared with `vcsim sensitivity`.

use super::run::{not_moved, preflight, replaceable, write_file};
use super::{CliError, ExitKind, RunFlags};
use anyhow::Context as _;
use clap::Args;
use rayon::prelude::*;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::time::Instant;
use vcsim::experiment::sweep::{
    RunIndex, Study, StudyError, Sweep, run_id, runs, write_table_header, write_table_row,
};
use vcsim::jobs::{JobError, JobFolder, Plan, PlannedUnit, UNIT_FILE, unit_key};
use vcsim::record::manifest::write_json;
use vcsim::record::{TimeseriesFile, write_timeseries};
use vcsim::sim::{Simulation, Threads, memory};

/// Arguments of `vcsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The sweep file (TOML).
    sweep: PathBuf,
    #[command(flatten)]
    flags: RunFlags,
}

/// The file of a unit that holds the scenario it ran (resolved: every value in canonical
/// units, the seed included).
pub(super) const UNIT_SCENARIO: &str = "scenario.json";

/// A study's file error as a command-line error: content problems exit 1, I/O 2.
pub(super) fn study_error(e: StudyError) -> CliError {
    let kind = match e {
        StudyError::Invalid { .. } => ExitKind::Invalid,
        _ => ExitKind::Runtime,
    };
    CliError::new(kind, e)
}

/// A finished job of run units, not yet moved to its place.
pub(super) struct FinishedJob {
    /// The job folder (where the merged outputs are written).
    pub job: JobFolder,
    /// Every run's readouts, in run order.
    pub readouts: Vec<Vec<f64>>,
    /// \[s\] Wall time of the runs.
    pub wall_time_s: f64,
}

/// Runs every point × replicate of `study` as a run unit of the job folder of `out`
/// (resuming a job that was interrupted), then writes the table of runs `table` (read
/// back from the units, so a resumed job and an uninterrupted one write the same bytes).
///
/// # Errors
/// Invalid combinations of factor values (exit 1), another job in the way (exit 1),
/// failed runs or I/O (exit 2), an interruption (the finished units are kept).
pub(super) fn run_study(
    file: &Path,
    command: &str,
    study: &Study,
    points: &[Vec<f64>],
    flags: &RunFlags,
    out: &Path,
    table: &str,
) -> Result<FinishedJob, CliError> {
    let all = runs(points.len(), study.replicates);
    let scenario_of = |run: RunIndex| {
        study.scenario(&points[run.point], run.replicate).map_err(|e| {
            let values: Vec<String> = study
                .factors
                .iter()
                .zip(&points[run.point])
                .map(|(f, v)| format!("{} = {v}", f.name))
                .collect();
            CliError::invalid(format!(
                "{}: run {} ({}) is not a valid scenario:\n{e}",
                file.display(),
                run_id(run, points.len()),
                values.join(", ")
            ))
        })
    };
    let first = scenario_of(all[0])?;
    let side_by_side = vec![&first; flags.threads.min(all.len())];
    flags.check_memory(
        memory::estimate_unit_runs(side_by_side, flags.threads),
        &format!(
            "{}: {} runs ({} at a time)",
            file.display(),
            all.len(),
            flags.threads.min(all.len())
        ),
    )?;
    drop(first);
    // Each run's scenario is built to key it and dropped: a plan of a million runs holds
    // its keys, not its scenarios.
    let mut planned = Vec::with_capacity(all.len());
    for &run in &all {
        let scenario = scenario_of(run)?;
        planned.push(PlannedUnit {
            id: run_id(run, points.len()),
            key: unit_key(&scenario).context("cannot key the runs")?,
        });
    }
    let _lock = preflight(out, flags.force)?;
    let job = JobFolder::open(out, Plan::new(command, &study.name, planned), flags.force).map_err(
        |e| match e {
            JobError::Io(_) => CliError::runtime(format!("--out {e}")),
            _ => CliError::invalid(format!("--out {}: {e}", out.display())),
        },
    )?;
    let todo: Vec<usize> = (0..all.len()).filter(|&i| !job.is_done(i)).collect();
    if job.done_count() > 0 && !flags.quiet {
        super::note(&format!(
            "{}: resuming: {} of {} runs were finished in {}; running the other {}",
            study.name,
            job.done_count(),
            all.len(),
            job.dir().display(),
            todo.len()
        ));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(flags.threads)
        .build()
        .with_context(|| format!("cannot start {} threads", flags.threads))?;
    let bar = if flags.quiet || !io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new(all.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} runs  (eta {eta})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    };
    bar.set_position(job.done_count() as u64);
    let clock = Instant::now();
    // Independent runs in parallel, each on one thread; each is written into the job
    // folder (its time course and its scenario) as it finishes and dropped.
    let ran = pool.install(|| {
        todo.par_iter().try_for_each(|&i| -> anyhow::Result<()> {
            let run = all[i];
            let scenario = study
                .scenario(&points[run.point], run.replicate)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let recorded = Simulation::new(&scenario, Threads::Serial)
                .and_then(|sim| sim.run(|_, _| {}))
                .with_context(|| format!("run {}", run_id(run, points.len())))?;
            job.complete_unit(i, |dir| -> anyhow::Result<()> {
                write_file(dir, "timeseries.csv", |w| {
                    write_timeseries(w, &recorded.timeseries)
                })?;
                write_file(dir, UNIT_SCENARIO, |w| write_json(w, &scenario))
            })?;
            bar.inc(1);
            Ok(())
        })
    });
    bar.finish_and_clear();
    if let Some(signal) = super::received_signal() {
        let kept = (0..all.len())
            .filter(|&i| job.unit_dir(i).join(UNIT_FILE).exists())
            .count();
        return Err(super::interrupted(
            signal,
            &format!(
                "{kept} of {} runs are finished and kept in {} (nothing was written to {}); \
                 run the same command again to resume, or delete that folder",
                all.len(),
                job.dir().display(),
                out.display()
            ),
        ));
    }
    ran.with_context(|| file.display().to_string())?;
    let wall_time_s = clock.elapsed().as_secs_f64();
    // The table is written one run at a time from the units' files; only the readouts
    // are kept.
    let mut readouts = Vec::with_capacity(all.len());
    let dir = job.dir().to_path_buf();
    let written = write_file(&dir, table, |w| {
        write_table_header(w, study)?;
        for (i, &run) in all.iter().enumerate() {
            let path = job.unit_dir(i).join("timeseries.csv");
            let series = TimeseriesFile::read(&path).map_err(io::Error::other)?;
            let values: Vec<f64> = study.readouts.iter().map(|r| r.value(&series.rows)).collect();
            write_table_row(
                w,
                study,
                &run_id(run, points.len()),
                run,
                &points[run.point],
                &values,
            )?;
            readouts.push(values);
        }
        Ok(())
    });
    if let Err(e) = written {
        return Err(e
            .context(format!("--out {}: write failed", out.display()))
            .into());
    }
    Ok(FinishedJob {
        job,
        readouts,
        wall_time_s,
    })
}

/// Moves a finished job to `out`, then (unless `--no-plots`) draws its figures with
/// `draw`; returns the PNG files drawn.
///
/// # Errors
/// Something not replaceable in the way (exit 1), I/O or drawing failures (exit 2).
pub(super) fn finish_and_draw(
    job: JobFolder,
    flags: &RunFlags,
    out: &Path,
    draw: impl FnOnce(&Path) -> Result<Vec<PathBuf>, vcsim::render::RenderError>,
) -> Result<Vec<String>, CliError> {
    job.finish(|existing| flags.force && replaceable(existing))
        .map_err(|e| not_moved(out, &e))?;
    if let Some(signal) = super::received_signal() {
        return Err(super::interrupted(
            signal,
            &format!(
                "the result in {} is complete; its figures were not drawn (vcsim plot draws them)",
                out.display()
            ),
        ));
    }
    if flags.no_plots {
        return Ok(Vec::new());
    }
    let figures = draw(out).map_err(|e| CliError::new(ExitKind::Runtime, e))?;
    Ok(figures
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "png"))
        .map(|f| f.display().to_string())
        .collect())
}

/// The figure options of the commands: talk style, PNG and SVG.
pub(super) fn figure_options() -> vcsim::render::PlotOptions {
    vcsim::render::PlotOptions {
        style: vcsim::render::Style::Talk,
        format: vcsim::render::Format::Both,
        only: Vec::new(),
    }
}

/// Runs `vcsim sweep`.
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run(args: &SweepArgs) -> Result<(), CliError> {
    let flags = &args.flags;
    flags.check()?;
    let sweep = Sweep::load(&args.sweep).map_err(study_error)?;
    let out = flags.out_or(&sweep.study.name);
    let finished = run_study(
        &args.sweep,
        "sweep",
        &sweep.study,
        &sweep.points,
        flags,
        &out,
        "sweep.csv",
    )?;
    let dir = finished.job.dir().to_path_buf();
    write_file(&dir, "sweep.json", |w| write_json(w, &sweep.manifest()))
        .with_context(|| format!("--out {}: write failed", out.display()))?;
    let pngs = finish_and_draw(finished.job, flags, &out, |dir| {
        vcsim::render::plot_sweep_folder(dir, &figure_options())
    })?;
    if !flags.quiet {
        let mut report = vec![format!(
            "{}: {} points x {} replicates in {:.1} s",
            sweep.study.name,
            sweep.points.len(),
            sweep.study.replicates,
            finished.wall_time_s
        )];
        report.push(format!("table: {}", out.join("sweep.csv").display()));
        if !pngs.is_empty() {
            report.push(format!("figures: {}", pngs.join(", ")));
        }
        super::note(&report.join("\n"));
    }
    Ok(())
}
