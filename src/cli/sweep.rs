//! `vcsim sweep`: a base scenario run at every point of a design over chosen factors,
//! with replicates; one tidy table of runs (`sweep.csv`) and a figure per readout. The
//! study job here (run units of a resumable job folder through the job executor, the
//! table read back from the units) is shared with `vcsim sensitivity`.

use super::jobs::{Backend, BackendFlags, Executed, Mode};
use super::run::{not_moved, preflight, replaceable, write_file};
use super::{CliError, ExitKind, RunFlags};
use anyhow::Context as _;
use clap::Args;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;
use vcsim::experiment::sweep::{
    RunIndex, Study, StudyError, Sweep, run_id, runs, write_table_header, write_table_row,
};
use vcsim::jobs::{JobFolder, JobUnit};
use vcsim::record::TimeseriesFile;
use vcsim::record::WallKept;
use vcsim::record::manifest::write_json;
use vcsim::sim::memory;

/// Arguments of `vcsim sweep`.
#[derive(Clone, Debug, Args, Serialize, Deserialize)]
pub struct SweepArgs {
    /// The sweep file (TOML).
    sweep: PathBuf,
    #[command(flatten)]
    flags: RunFlags,
    #[command(flatten)]
    backend: BackendFlags,
}

impl SweepArgs {
    /// The same command with absolute paths, as `vcsim merge` runs it from anywhere.
    pub(super) fn absolute(&self, out: &Path) -> Self {
        let mut args = self.clone();
        args.sweep = std::path::absolute(&self.sweep).unwrap_or_else(|_| self.sweep.clone());
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

/// What a study's job is: the command, its input file and how `vcsim merge` repeats it.
pub(super) struct StudyJob<'a> {
    /// `sweep` or `sensitivity`.
    pub command: &'static str,
    /// The input file.
    pub file: &'a Path,
    /// The table of runs (`sweep.csv`, `runs.csv`).
    pub table: &'static str,
    /// Run the units on a backend, or only merge.
    pub mode: Mode<'a>,
    /// The command as `vcsim merge` repeats it.
    pub stored: &'a super::merge::Stored,
}

/// Runs every point × replicate of `study` as a run unit of the job folder of `out`
/// (resuming a job that was interrupted) through the job executor (`--backend local` or
/// `slurm`), then writes the table of runs (read back from the units, so a resumed job
/// and an uninterrupted one write the same bytes). `None` when the runs were left to
/// Slurm (`--no-submit`).
///
/// # Errors
/// Invalid combinations of factor values (exit 1), another job in the way (exit 1),
/// failed runs or I/O (exit 2), an interruption (the finished units are kept).
pub(super) fn run_study(
    what: &StudyJob<'_>,
    study: &Study,
    points: &[Vec<f64>],
    flags: &RunFlags,
    out: &Path,
) -> Result<Option<FinishedJob>, CliError> {
    let file = what.file;
    let merging = matches!(what.mode, Mode::Merge);
    let all = runs(points.len(), study.replicates);
    let overrides = flags.overrides()?;
    let scenario_of = |run: RunIndex| {
        study
            .scenario(&points[run.point], run.replicate)
            .and_then(|s| overrides.apply(&s))
            .map_err(|e| {
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
    let units = all
        .iter()
        .map(|&run| {
            Ok(JobUnit {
                id: run_id(run, points.len()),
                scenario: scenario_of(run)?,
            })
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    let local = matches!(what.mode, Mode::Run(flags) if flags.backend == Backend::Local);
    if local {
        // The runs are alike: `threads` of the largest side by side.
        let largest = units
            .iter()
            .max_by_key(|u| u.scenario.cell_count_upper_bound())
            .map(|u| &u.scenario);
        let side_by_side = vec![largest; flags.threads.min(units.len())];
        flags.check_memory(
            memory::estimate_unit_runs(side_by_side.into_iter().flatten(), flags.threads),
            &format!(
                "{}: {} runs ({} at a time)",
                file.display(),
                units.len(),
                flags.threads.min(units.len())
            ),
        )?;
    }
    let _lock = preflight(out, flags.force)?;
    let mut job = super::jobs::open_job(
        out,
        what.command,
        &study.name,
        &units,
        // A sweep keeps each run's final wall (its mineral map can be drawn); a
        // sensitivity analysis, of thousands of runs read only through their time
        // series, keeps none.
        if what.command == "sweep" {
            WallKept::Last
        } else {
            WallKept::None
        },
        flags.force && !merging,
    )?;
    drop(units);
    let clock = Instant::now();
    let executed = super::jobs::execute(
        &mut job,
        what.mode,
        what.stored,
        flags.threads,
        flags.quiet,
        &file.display().to_string(),
    )?;
    if executed == Executed::Written {
        return Ok(None);
    }
    let wall_time_s = clock.elapsed().as_secs_f64();
    // The table is written one run at a time from the units' files; only the readouts
    // are kept.
    let mut readouts = Vec::with_capacity(all.len());
    let dir = job.dir().to_path_buf();
    let written = write_file(&dir, what.table, |w| {
        write_table_header(w, study)?;
        for (i, &run) in all.iter().enumerate() {
            let path = job.unit_dir(i).join("timeseries.csv");
            let series = TimeseriesFile::read(&path).map_err(io::Error::other)?;
            let values: Vec<f64> = study
                .readouts
                .iter()
                .map(|r| r.value(&series.rows))
                .collect();
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
    Ok(Some(FinishedJob {
        job,
        readouts,
        wall_time_s,
    }))
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
    args.backend.check()?;
    run_mode(args, Mode::Run(&args.backend))
}

/// Runs `vcsim sweep` (or, in merge mode, only merges its finished job folder).
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run_mode(args: &SweepArgs, mode: Mode<'_>) -> Result<(), CliError> {
    let flags = &args.flags;
    flags.check()?;
    let sweep = Sweep::load(&args.sweep).map_err(study_error)?;
    let out = flags.out_or(&sweep.study.name);
    let out = std::path::absolute(&out).unwrap_or(out);
    let stored = super::merge::Stored::Sweep(args.absolute(&out));
    let what = StudyJob {
        command: "sweep",
        file: &args.sweep,
        table: "sweep.csv",
        mode,
        stored: &stored,
    };
    let Some(finished) = run_study(&what, &sweep.study, &sweep.points, flags, &out)? else {
        return Ok(());
    };
    let dir = finished.job.dir().to_path_buf();
    write_file(&dir, "sweep.json", |w| write_json(w, &sweep.manifest()))
        .with_context(|| format!("--out {}: write failed", out.display()))?;
    let pngs = finish_and_draw(finished.job, flags, &out, |dir| {
        vcsim::render::plot_sweep_folder(dir, &figure_options())
    })?;
    if !flags.quiet {
        let mut report = vec![format!(
            "{}: {} points x {} replicate{} in {:.1} s",
            sweep.study.name,
            sweep.points.len(),
            sweep.study.replicates,
            if sweep.study.replicates == 1 { "" } else { "s" },
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
