//! `vcsim run --checkpoint-every-days D` and `vcsim resume DIR`: one long run that
//! survives a kill.
//!
//! A checkpointed run makes its folder at the start, as an unfinished run folder holding
//! `checkpoint.cbor` (what the run is: scenario text, seed, vcsim version, wall choice,
//! checkpoint interval; and, from the first checkpoint on, the whole simulation state,
//! [`vcsim::sim::checkpoint::SimState`]) and `wall.unfinished.csv` (the wall rows written so
//! far). Every D days `checkpoint.cbor` is replaced atomically, after `wall.unfinished.csv`
//! is synced to disk; the checkpoint records how many bytes of it belong to the run so
//! far. `vcsim resume DIR` reads the checkpoint, cuts `wall.unfinished.csv` back to that
//! length and goes on; at the end the finished result replaces the unfinished folder in
//! one step, exactly as an uninterrupted run's (only the timing fields of
//! `manifest.json` differ, as between any two runs).

use super::run::{move_into_place, temporary_beside};
use super::{CliError, output};
use anyhow::Context as _;
use clap::Args;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use vcsim::jobs::run_files::{RunTiming, write_run_files_but_wall};
use vcsim::record::atomic;
use vcsim::record::{WallKept, WallWriter, last_snapshot_days};
use vcsim::scenario::Scenario;
use vcsim::sim::checkpoint::{SimState, decode, encode};
use vcsim::sim::{SimError, Simulation, StreamError, Threads};

/// The checkpoint of a run folder.
pub(super) const CHECKPOINT_FILE: &str = "checkpoint.cbor";
/// The wall rows of an unfinished run folder.
pub(super) const WALL_PARTIAL: &str = "wall.unfinished.csv";
/// What `checkpoint.cbor` says it is (changes when its layout does).
const FORMAT: &str = "vcsim run checkpoint 3";

/// Arguments of `vcsim resume`.
#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The folder of a run started with `vcsim run --checkpoint-every-days` (its --out).
    dir: PathBuf,
    /// Worker threads (results do not depend on it).
    #[arg(long, value_name = "N", default_value_t = super::default_threads(), allow_negative_numbers = true)]
    threads: usize,
    /// No progress bar and no summary.
    #[arg(long)]
    quiet: bool,
    /// Do not render the figures at the end (`vcsim plot DIR` renders them later).
    #[arg(long)]
    no_plots: bool,
}

/// How this session of the run goes (not part of the result).
#[derive(Clone, Copy, Debug)]
pub(super) struct Session {
    /// Worker threads.
    pub threads: usize,
    /// No progress bar and no summary.
    pub quiet: bool,
    /// No figures at the end.
    pub no_plots: bool,
}

/// `checkpoint.cbor`.
#[derive(Debug, Serialize, Deserialize)]
struct RunCheckpoint {
    /// [`FORMAT`].
    format: String,
    /// The vcsim version that wrote it (only the same version resumes it).
    vcsim_version: String,
    /// The run unit key of the resolved scenario (version, scenario, seed).
    key: String,
    /// The scenario file's text.
    scenario_source: String,
    /// Where the scenario came from (its path, as messages and the manifest name it).
    scenario_origin: String,
    /// The values of `--parameters` laid over the scenario, as a parameter file's text
    /// (empty without it).
    parameters: String,
    /// The seed of the run (`--seed` or the scenario's).
    seed: u64,
    /// Which wall snapshots the run keeps.
    wall: WallKept,
    /// Coupling steps between checkpoints.
    every_steps: u64,
    /// When the run started: seconds and nanoseconds since the Unix epoch.
    started: (u64, u32),
    /// [s] Wall-clock time spent simulating before this checkpoint.
    elapsed_s: f64,
    /// [bytes] The length of `wall.unfinished.csv` at this checkpoint.
    wall_csv_bytes: u64,
    /// The simulation after the checkpoint's step; none before the first checkpoint
    /// (a resume then starts the run again from the beginning).
    state: Option<SimState>,
}

impl RunCheckpoint {
    fn started(&self) -> SystemTime {
        UNIX_EPOCH + Duration::new(self.started.0, self.started.1)
    }
}

/// What a checkpointed run runs: the scenario as run, the file it was read from and the
/// `--parameters` values laid over it (a resume lays them over the file again).
pub(super) struct RunSource<'a> {
    /// The scenario as run.
    pub scenario: &'a Scenario,
    /// Its path, as messages and the manifest name it.
    pub origin: &'a str,
    /// The values of `--parameters`.
    pub parameters: &'a vcsim::scenario::ParameterOverrides,
}

/// Starts a checkpointed run of `source` into `out` (checked and locked by the caller):
/// makes the unfinished run folder in one step, then runs.
///
/// # Errors
/// As `vcsim run`.
pub(super) fn start(
    out: &Path,
    force: bool,
    source: &RunSource<'_>,
    wall: WallKept,
    every_steps: u64,
    session: Session,
) -> Result<(), CliError> {
    let RunSource {
        scenario,
        origin,
        parameters,
    } = *source;
    let started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let key = vcsim::jobs::unit_key(scenario).map_err(|e| CliError::runtime(e.to_string()))?;
    let mut header_line = Vec::new();
    WallWriter::new(&mut header_line)
        .and_then(WallWriter::finish)
        .map_err(|e| CliError::runtime(e.to_string()))?;
    let checkpoint = RunCheckpoint {
        format: FORMAT.to_string(),
        vcsim_version: env!("CARGO_PKG_VERSION").to_string(),
        key,
        scenario_source: scenario.source_text.clone(),
        scenario_origin: origin.to_string(),
        parameters: parameters.to_toml(&[]),
        seed: scenario.meta.seed,
        wall,
        every_steps,
        started: (started.as_secs(), started.subsec_nanos()),
        elapsed_s: 0.0,
        wall_csv_bytes: if wall == WallKept::None {
            0
        } else {
            header_line.len() as u64
        },
        state: None,
    };
    let bytes = encode(&checkpoint).map_err(|e| CliError::runtime(e.to_string()))?;
    let temporary = temporary_beside(out)?;
    let written = temporary
        .write_file(CHECKPOINT_FILE, |w| w.write_all(&bytes))
        .and_then(|()| {
            if wall == WallKept::None {
                Ok(())
            } else {
                temporary.write_file(WALL_PARTIAL, |w| w.write_all(&header_line))
            }
        });
    if let Err(e) = written {
        return Err(CliError::runtime(format!("--out {e}")));
    }
    move_into_place(temporary, out, force)?;
    carry_on(out, checkpoint, scenario, session)
}

/// Runs `vcsim resume`.
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run(args: &ResumeArgs) -> Result<(), CliError> {
    super::check_threads(args.threads)?;
    let out = &args.dir;
    let path = out.join(CHECKPOINT_FILE);
    if !out.is_dir() {
        return Err(CliError::runtime(format!(
            "{}: no such run folder (vcsim resume takes the --out of a run started with \
             --checkpoint-every-days)",
            out.display()
        )));
    }
    if !path.is_file() {
        if out.join("manifest.json").is_file() {
            return Err(CliError::invalid(format!(
                "{}: the run is finished (its manifest.json is written); there is nothing to \
                 resume",
                out.display()
            )));
        }
        return Err(CliError::runtime(format!(
            "{}: not an unfinished checkpointed run (no {CHECKPOINT_FILE}; runs started with \
             vcsim run --checkpoint-every-days have one)",
            out.display()
        )));
    }
    let _lock = output::lock(out)?;
    let removed = atomic::remove_stale_partials(&path)
        .map_err(|e| CliError::runtime(format!("{}: {e}", out.display())))?;
    super::note_removed(&removed);
    let bytes = fs::read(&path)
        .map_err(|e| CliError::runtime(format!("{}: cannot read: {e}", path.display())))?;
    let damaged = |what: String| {
        CliError::runtime(format!(
            "{}: damaged checkpoint ({what}); start the run again with vcsim run --force",
            path.display()
        ))
    };
    let checkpoint: RunCheckpoint = decode(&bytes).map_err(|e| damaged(e.to_string()))?;
    if checkpoint.format != FORMAT || checkpoint.vcsim_version != env!("CARGO_PKG_VERSION") {
        return Err(CliError::invalid(format!(
            "{}: a checkpoint of vcsim {} ({}); this is vcsim {} ({FORMAT}): finish it with \
             that version, or start the run again with vcsim run --force",
            path.display(),
            checkpoint.vcsim_version,
            checkpoint.format,
            env!("CARGO_PKG_VERSION"),
        )));
    }
    let scenario = Scenario::from_toml(&checkpoint.scenario_source, &checkpoint.scenario_origin)
        .map_err(|e| damaged(format!("its scenario does not read: {e}")))?;
    let scenario = vcsim::scenario::ParameterOverrides::parse(
        &format!("{} (its parameters)", path.display()),
        &checkpoint.parameters,
    )
    .and_then(|values| {
        values
            .apply(&scenario)
            .map_err(|e| vcsim::scenario::overrides::OverridesError::Invalid {
                problems: vec![e.to_string()],
            })
    })
    .map_err(|e| damaged(format!("its parameter values do not apply: {e}")))?
    .with_seed(checkpoint.seed);
    let key = vcsim::jobs::unit_key(&scenario).map_err(|e| damaged(e.to_string()))?;
    if key != checkpoint.key {
        return Err(CliError::invalid(format!(
            "{}: the checkpoint is of another scenario or seed than the one it stores (key \
             {key}, recorded {}); start the run again with vcsim run --force",
            path.display(),
            checkpoint.key
        )));
    }
    carry_on(
        out,
        checkpoint,
        &scenario,
        Session {
            threads: args.threads,
            quiet: args.quiet,
            no_plots: args.no_plots,
        },
    )
}

/// The unfinished run's `wall.unfinished.csv`, cut back to `bytes` and open for appending.
fn reopen_wall(path: &Path, bytes: u64) -> io::Result<WallWriter<BufWriter<File>>> {
    let mut file = OpenOptions::new().write(true).open(path)?;
    let length = file.metadata()?.len();
    if length < bytes {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("{length} bytes, shorter than the {bytes} of the checkpoint"),
        ));
    }
    file.set_len(bytes)?;
    file.seek(SeekFrom::End(0))?;
    Ok(WallWriter::appending(BufWriter::new(file)))
}

/// Flushes the wall rows to disk and returns the file's length.
fn sync_wall(csv: &mut WallWriter<BufWriter<File>>) -> io::Result<u64> {
    csv.flush()?;
    let file = csv.get_ref().get_ref();
    file.sync_data()?;
    Ok(file.metadata()?.len())
}

/// Runs from the checkpoint's step (or the start) to the end, replacing the checkpoint
/// every `every_steps` steps, then writes the result in place of the unfinished folder.
fn carry_on(
    out: &Path,
    mut checkpoint: RunCheckpoint,
    scenario: &Scenario,
    session: Session,
) -> Result<(), CliError> {
    let clock = Instant::now();
    let checkpoint_path = out.join(CHECKPOINT_FILE);
    let threads = Threads::from_count(session.threads);
    let simulation = match checkpoint.state.take() {
        Some(state) => Simulation::resume(scenario, threads, state),
        None => Simulation::new(scenario, threads),
    }
    .map_err(|e| CliError::runtime(format!("{}: {e}", checkpoint_path.display())))?;
    let steps = simulation.steps();
    let last_checkpoint = Cell::new(simulation.steps_done());
    let wall = checkpoint.wall;
    let wall_path = out.join(WALL_PARTIAL);
    let wall_csv = match wall {
        WallKept::None => None,
        WallKept::Last | WallKept::All => Some(
            reopen_wall(&wall_path, checkpoint.wall_csv_bytes)
                .map_err(|e| CliError::runtime(format!("{}: {e}", wall_path.display())))?,
        ),
    };
    let wall_csv = RefCell::new(wall_csv);
    let last_days = last_snapshot_days(scenario);
    let bar = super::run::progress_bar(steps, session.quiet);
    bar.set_position(last_checkpoint.get());
    let elapsed_before = checkpoint.elapsed_s;
    let every_steps = checkpoint.every_steps;
    let streamed = simulation.run_checkpointed(
        |step, _| {
            bar.set_position(step);
            Ok(())
        },
        |rows| match &mut *wall_csv.borrow_mut() {
            Some(csv) => csv
                .write_rows(&wall.kept_rows(last_days, rows))
                .with_context(|| wall_path.display().to_string()),
            None => Ok(()),
        },
        every_steps,
        |state| {
            if let Some(csv) = &mut *wall_csv.borrow_mut() {
                checkpoint.wall_csv_bytes =
                    sync_wall(csv).with_context(|| wall_path.display().to_string())?;
            }
            checkpoint.elapsed_s = elapsed_before + clock.elapsed().as_secs_f64();
            let tick = state.clock.tick;
            checkpoint.state = Some(state);
            let bytes = encode(&checkpoint);
            checkpoint.state = None;
            let bytes = bytes.with_context(|| checkpoint_path.display().to_string())?;
            atomic::write_file(&checkpoint_path, true, |w| w.write_all(&bytes))?;
            last_checkpoint.set(tick);
            Ok(())
        },
    );
    bar.finish_and_clear();
    let recorded = match streamed {
        Ok(recorded) => recorded,
        Err(StreamError::Sim(SimError::Interrupted { step, .. })) => {
            let signal = super::received_signal().unwrap_or(2);
            return Err(super::interrupted(
                signal,
                &format!(
                    "the run stopped after hour {step} of {steps}; {} keeps its checkpoint of \
                     hour {}: vcsim resume {} goes on from there",
                    out.display(),
                    last_checkpoint.get(),
                    out.display()
                ),
            ));
        }
        Err(StreamError::Sim(e)) => {
            return Err(CliError::runtime(format!(
                "{}: {e}",
                checkpoint.scenario_origin
            )));
        }
        Err(StreamError::Output(e)) => {
            return Err(e.context(format!("{}: write failed", out.display())).into());
        }
    };
    let wall_csv = wall_csv.into_inner();
    if let Some(mut csv) = wall_csv {
        sync_wall(&mut csv)
            .map_err(|e| CliError::runtime(format!("{}: {e}", wall_path.display())))?;
    }
    if let Some(signal) = super::received_signal() {
        return Err(super::interrupted(
            signal,
            &format!(
                "the run stopped before its files were written; {} keeps its checkpoint of \
                 hour {}: vcsim resume {} goes on from there",
                out.display(),
                last_checkpoint.get(),
                out.display()
            ),
        ));
    }
    let wall_time_s = elapsed_before + clock.elapsed().as_secs_f64();
    let temporary = temporary_beside(out)?;
    if wall != WallKept::None {
        let to = temporary.path().join("wall.csv");
        fs::hard_link(&wall_path, &to)
            .or_else(|_| fs::copy(&wall_path, &to).map(drop))
            .map_err(|e| CliError::runtime(format!("{}: cannot move: {e}", wall_path.display())))?;
    }
    let timing = RunTiming {
        threads: session.threads,
        started: checkpoint.started(),
        wall_time_s,
        wall,
    };
    if let Err(e) = write_run_files_but_wall(temporary.path(), scenario, &recorded, timing) {
        return Err(CliError::runtime(format!(
            "--out {}: write failed: {e}",
            out.display()
        )));
    }
    temporary
        .persist(|existing| existing.join(CHECKPOINT_FILE).is_file())
        .map_err(|e| super::run::not_moved(out, &e))?;
    super::run::finish(
        out,
        session.no_plots,
        session.quiet,
        scenario,
        recorded.timeseries.len(),
        wall_time_s,
    )
}
