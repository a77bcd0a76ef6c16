//! `vcsim run`: one simulation of a scenario, written into a run folder.

use super::{CliError, ExitKind, ResultExt, RunFlags, output};
use anyhow::Context as _;
use clap::{Args, ValueEnum};
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};
use vcsim::jobs::run_files::{RunTiming, write_run_files_but_wall};
use vcsim::model::parameters::{DidYouMean, closest};
use vcsim::record::atomic::{self, AtomicError, TargetLock, TempFolder};
use vcsim::record::{WallKept, WallWriter, last_snapshot_days};
use vcsim::scenario::{Scenario, ScenarioError};
use vcsim::sim::{Recorded, SimError, Simulation, StreamError, Threads};

/// Arguments of `vcsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Seed, replacing the scenario's `meta.seed`.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_seed)]
    seed: Option<u64>,
    /// Which wall snapshots `wall.csv` keeps: `all` (every snapshot: the mineral maps of
    /// every day and the animation), `last` (the end only: the final mineral map and wall
    /// section) or `none` (no wall.csv; time courses only).
    #[arg(long, value_enum, value_name = "WHICH", default_value_t = WallArg::All)]
    wall: WallArg,
    /// Save the whole state into the run folder every D days of simulated time, so that
    /// `vcsim resume DIR` finishes a run that was killed (the folder holds the latest
    /// checkpoint until the run is finished).
    #[arg(long, value_name = "D")]
    checkpoint_every_days: Option<f64>,
    #[command(flatten)]
    flags: RunFlags,
}

/// `--wall`: which wall snapshots a run keeps (see [`WallKept`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WallArg {
    /// No wall.csv.
    None,
    /// The final snapshot only.
    Last,
    /// Every snapshot.
    All,
}

impl WallArg {
    /// The library's choice.
    pub(super) const fn kept(self) -> WallKept {
        match self {
            Self::None => WallKept::None,
            Self::Last => WallKept::Last,
            Self::All => WallKept::All,
        }
    }
}

/// `--seed`: any u64, the same range as `meta.seed`.
fn parse_seed(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("must be a whole number in [0, {}]", u64::MAX))
}

/// Loads a scenario, mapping errors to exit codes: I/O → 2, invalid content → 1; the
/// claim IDs of `meta.claims` must be claims of the review (`vcsim validate`).
///
/// # Errors
/// As above.
pub fn load_scenario(path: &Path) -> Result<Scenario, CliError> {
    let scenario = Scenario::load(path).map_err(|e| match e {
        ScenarioError::Io { .. } => CliError::new(ExitKind::Runtime, e),
        ScenarioError::Invalid { .. } => CliError::invalid(one_screen(&e.to_string())),
    })?;
    let ids = || vcsim::validation::CLAIMS.iter().map(|c| c.id);
    let mut unknown: Vec<String> = scenario
        .claim_places()
        .into_iter()
        .filter(|(id, _)| !ids().any(|known| known == id))
        .map(|(id, location)| {
            let place = location.map_or_else(String::new, |l| format!(":{l}"));
            let hint = DidYouMean(closest(&id, ids()));
            format!(
                "{}{place}: meta.claims = {id:?}: no such claim of the review{hint}",
                path.display()
            )
        })
        .collect();
    if !unknown.is_empty() {
        unknown.push(format!(
            "the claims are {}",
            ids().collect::<Vec<_>>().join(", ")
        ));
        return Err(CliError::invalid(one_screen(&unknown.join("\n"))));
    }
    Ok(scenario)
}

/// [lines] The most problem lines shown for one scenario, so the message fits a screen.
const MAX_PROBLEM_LINES: usize = 15;

/// Keeps the first problems of a long report and says how many more there are.
fn one_screen(report: &str) -> String {
    let lines: Vec<&str> = report.lines().collect();
    if lines.len() <= MAX_PROBLEM_LINES {
        return report.to_string();
    }
    format!(
        "{}\n... and {} more problems (fix these first)",
        lines[..MAX_PROBLEM_LINES].join("\n"),
        lines.len() - MAX_PROBLEM_LINES
    )
}

/// Whether an existing path may be replaced by `--force`: only exactly an earlier vcsim
/// result (its manifest present and recognised, nothing in it that vcsim does not write)
/// or an empty folder, never a link, a file or a folder with the user's files.
pub(super) fn replaceable(out: &Path) -> bool {
    output::not_replaceable(out).is_empty()
}

/// Checks the output location before any simulation time is spent: that nothing is in
/// the way (or, with `force`, only an earlier result), that the names fit the file
/// system, and that the place can be written; takes the lock of `out` (held until the
/// result is in place) and removes the leftovers of interrupted runs beside it.
///
/// # Errors
/// `Invalid` (exit 1) for what is in the way or too long; `Runtime` (exit 2) for a place
/// that cannot be written or that another vcsim is writing.
pub(super) fn preflight(out: &Path, force: bool) -> Result<TargetLock, CliError> {
    let exists = fs::symlink_metadata(out).is_ok();
    if exists && !force && out.join(super::resume::CHECKPOINT_FILE).is_file() {
        return Err(CliError::invalid(format!(
            "--out {}: an unfinished run with a checkpoint is there: vcsim resume {} finishes \
             it, --force starts it again",
            out.display(),
            out.display()
        )));
    }
    if exists && !force {
        return Err(CliError::invalid(format!(
            "--out {}: something exists there; pass --force to replace an earlier result",
            out.display()
        )));
    }
    if exists && let Some(problem) = output::not_replaceable(out).first() {
        return Err(CliError::invalid(format!(
            "--out {}: {problem}; refusing to replace it",
            out.display()
        )));
    }
    if out.file_name().is_none() {
        return Err(CliError::invalid(format!(
            "--out {}: not a folder name",
            out.display()
        )));
    }
    output::check_name_lengths(out)?;
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let mut ancestor = Some(parent);
    while let Some(dir) = ancestor {
        if let Ok(meta) = fs::metadata(dir) {
            if !meta.is_dir() {
                return Err(CliError::runtime(format!(
                    "--out {}: {} is not a folder",
                    out.display(),
                    dir.display()
                )));
            }
            if meta.permissions().readonly() {
                return Err(CliError::runtime(format!(
                    "--out {}: {} is read-only",
                    out.display(),
                    dir.display()
                )));
            }
            break;
        }
        ancestor = dir.parent();
    }
    fs::create_dir_all(parent).map_err(|e| {
        CliError::runtime(format!(
            "--out {}: cannot create {}: {e}",
            out.display(),
            parent.display()
        ))
    })?;
    let lock = output::lock(out)?;
    let removed =
        atomic::remove_stale_partials(out).map_err(|e| CliError::runtime(format!("--out {e}")))?;
    super::note_removed(&removed);
    Ok(lock)
}

/// The message of work stopped by `signal`: where it stopped, what was removed, and
/// that `out` is untouched.
pub(super) fn interrupted(
    signal: u8,
    stopped: &str,
    removed: Option<&Path>,
    out: &Path,
) -> CliError {
    let removed = removed.map_or_else(String::new, |p| {
        format!("removed the partial result {}; ", p.display())
    });
    super::interrupted(
        signal,
        &format!(
            "{stopped}; {removed}nothing was written to {}",
            out.display()
        ),
    )
}

/// The coupling steps between checkpoints of `--checkpoint-every-days days`.
///
/// # Errors
/// `Invalid` for an interval that is not a positive number of whole hours' worth (at
/// least one coupling step).
fn checkpoint_steps(days: f64) -> Result<u64, CliError> {
    let steps = days * vcsim::units::DAY / vcsim::sim::COUPLING_STEP_MIN;
    if !(steps.is_finite() && (1.0 - 1e-9..=1e12).contains(&steps)) {
        return Err(CliError::invalid(format!(
            "--checkpoint-every-days {days}: must be at least one coupling step (1 h = {} days) \
             and finite",
            vcsim::sim::COUPLING_STEP_MIN / vcsim::units::DAY
        )));
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "checked to be in [1, 1e12] above"
    )]
    Ok(steps.round().max(1.0) as u64)
}

/// Runs `vcsim run`.
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run(args: &RunArgs) -> Result<(), CliError> {
    let flags = &args.flags;
    flags.check()?;
    let mut scenario = load_scenario(&args.scenario)?;
    let parameters = flags.overrides()?;
    scenario = parameters
        .apply(&scenario)
        .map_err(|e| CliError::invalid(format!("--parameters: {e}")))?;
    if let Some(seed) = args.seed {
        scenario = scenario.with_seed(seed);
    }
    let out = flags.out_or(&scenario.meta.name);
    let memory = vcsim::sim::memory::estimate(&scenario);
    flags.check_memory(
        memory.total_bytes,
        &format!(
            "{}: the run ({} sites, up to {} cells)",
            args.scenario.display(),
            memory.sites,
            memory.cell_sites
        ),
    )?;
    let every_steps = args
        .checkpoint_every_days
        .map(checkpoint_steps)
        .transpose()?;
    let _lock = preflight(&out, flags.force)?;
    if let Some(every_steps) = every_steps {
        return super::resume::start(
            &out,
            flags.force,
            &super::resume::RunSource {
                scenario: &scenario,
                origin: &args.scenario.display().to_string(),
                parameters: &parameters,
            },
            args.wall.kept(),
            every_steps,
            super::resume::Session {
                threads: flags.threads,
                quiet: flags.quiet,
                no_plots: flags.no_plots,
            },
        );
    }
    let started = SystemTime::now();
    let clock = Instant::now();
    let simulation = Simulation::new(&scenario, Threads::from_count(flags.threads)).runtime()?;
    let steps = simulation.steps();
    // wall.csv is written snapshot by snapshot into the temporary run folder while the
    // simulation runs, so that a large wall is never held whole in memory, and the first
    // write that fails ends the run at once.
    // Dropped (and removed) on any failure below.
    let temporary = temporary_beside(&out)?;
    let write_failed = |e: io::Error| -> CliError {
        anyhow::Error::new(e)
            .context(format!("--out {}: write failed: wall.csv", out.display()))
            .into()
    };
    let wall = args.wall.kept();
    let last_days = last_snapshot_days(&scenario);
    let mut wall_csv = match wall {
        WallKept::None => None,
        WallKept::Last | WallKept::All => Some(
            File::create(temporary.path().join("wall.csv"))
                .map(BufWriter::new)
                .and_then(WallWriter::new)
                .map_err(write_failed)?,
        ),
    };
    let bar = progress_bar(steps, flags.quiet);
    let streamed = simulation.run_streaming_with(
        |step, _| {
            bar.set_position(step);
            Ok(())
        },
        |rows| match &mut wall_csv {
            Some(csv) => csv.write_rows(&wall.kept_rows(last_days, rows)),
            None => Ok(()),
        },
    );
    bar.finish_and_clear();
    let recorded = match streamed {
        Ok(recorded) => recorded,
        Err(StreamError::Sim(SimError::Interrupted { step, steps })) => {
            let signal = super::received_signal().unwrap_or(2);
            let partial = temporary.path().to_path_buf();
            drop(wall_csv);
            drop(temporary);
            return Err(interrupted(
                signal,
                &format!("the run stopped after hour {step} of {steps}"),
                Some(&partial),
                &out,
            ));
        }
        Err(StreamError::Sim(e)) => {
            return Err(CliError::runtime(format!(
                "{}: {e}",
                args.scenario.display()
            )));
        }
        Err(StreamError::Output(e)) => return Err(write_failed(e)),
    };
    if let Some(csv) = wall_csv {
        csv.finish()
            .and_then(|mut file| {
                file.flush()?;
                file.get_ref().sync_all()
            })
            .map_err(write_failed)?;
    }
    if let Some(signal) = super::received_signal() {
        return Err(interrupted(
            signal,
            "the run stopped before its files were written",
            Some(temporary.path()),
            &out,
        ));
    }
    let wall_time_s = clock.elapsed().as_secs_f64();
    write_run_folder(
        temporary,
        &out,
        flags.force,
        &scenario,
        RunTiming {
            threads: flags.threads,
            started,
            wall_time_s,
            wall,
        },
        &recorded,
    )?;
    if let Some(signal) = super::received_signal() {
        return Err(super::interrupted(
            signal,
            &format!(
                "the result in {} is complete; its figures were not drawn (vcsim plot draws them)",
                out.display()
            ),
        ));
    }
    finish(
        &out,
        flags.no_plots,
        flags.quiet,
        &scenario,
        recorded.timeseries.len(),
        wall_time_s,
    )
}

/// The end of a finished run (`run` and `resume`): its figures unless `no_plots`, and the
/// closing line unless `quiet`.
pub(super) fn finish(
    out: &Path,
    no_plots: bool,
    quiet: bool,
    scenario: &Scenario,
    recorded_times: usize,
    wall_time_s: f64,
) -> Result<(), CliError> {
    if !no_plots {
        super::plot::render(
            out,
            super::plot::StyleArg::Talk,
            super::plot::FormatArg::Both,
            &[],
        )?;
    }
    if !quiet {
        super::note(&format!(
            "{}: {} days, {recorded_times} recorded times, {wall_time_s:.1} s; results in {}",
            scenario.meta.name,
            vcsim::units::min_to_days(scenario.time.duration_min),
            out.display()
        ));
    }
    Ok(())
}

pub(super) fn progress_bar(steps: u64, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(steps);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} h  (eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Writes one output file `dir/name` through a buffer and syncs it to disk (inside a
/// temporary result folder, which is what makes the result atomic).
///
/// # Errors
/// I/O errors, naming the file.
pub(super) fn write_file(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    atomic::write_plain_file(&dir.join(name), write).with_context(|| name.to_string())
}

/// Creates a fresh temporary folder beside `out` (`.NAME.partial-XXXXXX`), removed
/// again unless [`move_into_place`] moves it to `out`.
///
/// # Errors
/// I/O errors naming `out`.
pub(super) fn temporary_beside(out: &Path) -> Result<TempFolder, CliError> {
    TempFolder::beside(out).map_err(|e| CliError::runtime(format!("--out {e}")))
}

/// The error of a run file that could not be written, naming the file (as
/// [`write_file`] does).
fn run_file_error(e: AtomicError) -> anyhow::Error {
    let name = e
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    anyhow::Error::new(e.source).context(name)
}

/// Moves a finished temporary folder to `out`, replacing an earlier result only with
/// `force`; removes the temporary folder on failure.
///
/// # Errors
/// `Invalid` if a non-replaceable result is in the way; `Runtime` for I/O failures.
pub(super) fn move_into_place(
    temporary: TempFolder,
    out: &Path,
    force: bool,
) -> Result<(), CliError> {
    temporary
        .persist(|existing| force && replaceable(existing))
        .map_err(|e| not_moved(out, &e))
}

/// The error of a finished result that could not be moved to `out`: something that may
/// not be replaced appeared there (exit 1), or the move failed (exit 2).
pub(super) fn not_moved(out: &Path, e: &AtomicError) -> CliError {
    if e.exists() {
        CliError::invalid(format!(
            "--out {}: a result appeared there during the run; pass --force to replace it",
            out.display()
        ))
    } else {
        CliError::runtime(format!("--out {e}"))
    }
}

/// Writes every output into a temporary folder beside `out`, then moves it into place,
/// so an interrupted run never leaves a half-written result under the final name.
fn write_run_folder(
    temporary: TempFolder,
    out: &Path,
    force: bool,
    scenario: &Scenario,
    timing: RunTiming,
    recorded: &Recorded,
) -> Result<(), CliError> {
    if let Err(e) = write_run_files_but_wall(temporary.path(), scenario, recorded, timing) {
        return Err(run_file_error(e)
            .context(format!("--out {}: write failed", out.display()))
            .into());
    }
    move_into_place(temporary, out, force)
}
