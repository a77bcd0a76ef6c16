//! `vcsim run`: one simulation of a scenario, written into a run folder.

use super::{CliError, ExitKind, ResultExt, RunFlags};
use anyhow::Context as _;
use clap::Args;
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use vcsim::record::{
    write_citations, write_parameters, write_timeseries, write_wall, write_wall_header,
    write_wall_rows,
};
use vcsim::scenario::{Scenario, ScenarioError};
use vcsim::sim::{Recorded, Simulation, Threads};

/// Arguments of `vcsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Seed, replacing the scenario's `meta.seed`.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    seed: Option<u64>,
    #[command(flatten)]
    flags: RunFlags,
}

/// Loads a scenario, mapping errors to exit codes: I/O → 2, invalid content → 1.
///
/// # Errors
/// As above.
pub fn load_scenario(path: &Path) -> Result<Scenario, CliError> {
    Scenario::load(path).map_err(|e| match e {
        ScenarioError::Io { .. } => CliError::new(ExitKind::Runtime, e),
        ScenarioError::Invalid { .. } => CliError::invalid(one_screen(&e.to_string())),
    })
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

/// Whether an existing path may be replaced by `--force`: only an earlier run folder
/// (it has a `manifest.json`) or an empty folder, never a link or an unrelated folder.
pub(super) fn replaceable(out: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(out) else {
        return true;
    };
    meta.is_dir()
        && (out.join("manifest.json").is_file()
            || out.join("experiment.json").is_file()
            || fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_none()))
}

/// Checks the output location before any simulation time is spent.
pub(super) fn preflight(out: &Path, force: bool) -> Result<(), CliError> {
    let exists = fs::symlink_metadata(out).is_ok();
    if exists && !force {
        return Err(CliError::invalid(format!(
            "--out {}: something exists there; pass --force to replace an earlier result",
            out.display()
        )));
    }
    if exists && !replaceable(out) {
        return Err(CliError::invalid(format!(
            "--out {}: exists and is not an earlier run folder (no manifest.json); refusing to replace it",
            out.display()
        )));
    }
    if out.file_name().is_none() {
        return Err(CliError::invalid(format!(
            "--out {}: not a folder name",
            out.display()
        )));
    }
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
    Ok(())
}

/// Runs `vcsim run`.
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run(args: &RunArgs) -> Result<(), CliError> {
    let flags = &args.flags;
    flags.check()?;
    let mut scenario = load_scenario(&args.scenario)?;
    if let Some(seed) = args.seed {
        scenario = scenario.with_seed(seed);
    }
    let out = flags.out_or(&scenario.meta.name);
    preflight(&out, flags.force)?;
    let started = SystemTime::now();
    let clock = Instant::now();
    let simulation = Simulation::new(&scenario, Threads::from_count(flags.threads)).runtime()?;
    let steps = simulation.steps();
    // wall.csv is written snapshot by snapshot into the temporary run folder while the
    // simulation runs, so that a large wall is never held whole in memory.
    let temporary = temporary_beside(&out)?;
    let fail = |e: CliError| {
        let _ = fs::remove_dir_all(&temporary);
        e
    };
    let write_failed = || format!("--out {}: write failed: wall.csv", out.display());
    let mut wall_csv = File::create(temporary.join("wall.csv"))
        .map(BufWriter::new)
        .with_context(write_failed)
        .map_err(|e| fail(e.into()))?;
    let mut wall_result = write_wall_header(&mut wall_csv);
    let bar = progress_bar(steps, flags.quiet);
    let recorded = simulation
        .run_streaming(
            |step, _| bar.set_position(step),
            |rows| {
                if wall_result.is_ok() {
                    wall_result = write_wall_rows(&mut wall_csv, &rows);
                }
            },
        )
        .with_context(|| args.scenario.display().to_string())
        .map_err(|e| fail(e.into()))?;
    bar.finish_and_clear();
    wall_result
        .and_then(|()| wall_csv.flush())
        .and_then(|()| wall_csv.get_ref().sync_all())
        .with_context(write_failed)
        .map_err(|e| fail(e.into()))?;
    drop(wall_csv);
    let wall_time_s = clock.elapsed().as_secs_f64();
    write_run_folder(
        &temporary,
        &out,
        flags.force,
        &scenario,
        &recorded,
        flags.threads,
        started,
        wall_time_s,
    )?;
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
            "{}: {} days, {} recorded times, {:.1} s; results in {}",
            scenario.meta.name,
            scenario.time.duration_min / 1440.0,
            recorded.timeseries.len(),
            wall_time_s,
            out.display()
        ));
    }
    Ok(())
}

fn progress_bar(steps: u64, quiet: bool) -> indicatif::ProgressBar {
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

/// 64-bit FNV-1a of the scenario text: identifies the exact file a run used.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn unix_seconds(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Writes one output file `dir/name` through a buffer and syncs it to disk.
///
/// # Errors
/// I/O errors, naming the file.
pub(super) fn write_file(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    let written = (|| {
        let mut out = BufWriter::new(File::create(dir.join(name))?);
        write(&mut out)?;
        out.flush()?;
        out.get_ref().sync_all()
    })();
    written.with_context(|| name.to_string())
}

/// Creates a fresh temporary folder beside `out` (`.NAME.partial-PID`).
///
/// # Errors
/// I/O errors naming `out`.
pub(super) fn temporary_beside(out: &Path) -> Result<PathBuf, CliError> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(parent)
        .with_context(|| format!("--out {}: cannot create the parent folder", out.display()))?;
    let name = out
        .file_name()
        .ok_or_else(|| CliError::invalid(format!("--out {}: not a folder name", out.display())))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".partial-{}", std::process::id()));
    let temporary = parent.join(temporary_name);
    let _ = fs::remove_dir_all(&temporary);
    fs::create_dir(&temporary)
        .with_context(|| format!("--out {}: cannot create the run folder", out.display()))?;
    Ok(temporary)
}

/// Writes the five output files of one run into `dir` (which exists).
///
/// # Errors
/// I/O errors, naming the file.
pub(super) fn write_run_files(
    dir: &Path,
    scenario: &Scenario,
    recorded: &Recorded,
    threads: usize,
    started: SystemTime,
    wall_time_s: f64,
) -> anyhow::Result<()> {
    write_file(dir, "wall.csv", |w| write_wall(w, &recorded.wall))?;
    write_run_files_but_wall(dir, scenario, recorded, threads, started, wall_time_s)
}

/// Writes the output files of one run except `wall.csv` into `dir` (which exists).
///
/// # Errors
/// I/O errors, naming the file.
fn write_run_files_but_wall(
    dir: &Path,
    scenario: &Scenario,
    recorded: &Recorded,
    threads: usize,
    started: SystemTime,
    wall_time_s: f64,
) -> anyhow::Result<()> {
    let rows = scenario.params.rows();
    let manifest = serde_json::json!({
        "vcsim_version": env!("CARGO_PKG_VERSION"),
        "git_commit": option_env!("VCSIM_GIT_COMMIT").unwrap_or("unknown"),
        "scenario_name": scenario.meta.name,
        "scenario_fnv1a64": format!("{:016x}", fnv1a(&scenario.source_text)),
        "seed": scenario.meta.seed,
        "threads": threads,
        "started_unix_s": unix_seconds(started),
        "finished_unix_s": unix_seconds(SystemTime::now()),
        "wall_time_s": wall_time_s,
        "platform": format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH),
        "outputs": ["timeseries.csv", "wall.csv", "parameters.csv", "CITATIONS.md"],
        "scenario": scenario,
    });
    write_file(dir, "timeseries.csv", |w| {
        write_timeseries(w, &recorded.timeseries)
    })?;
    write_file(dir, "parameters.csv", |w| write_parameters(w, &rows))?;
    write_file(dir, "CITATIONS.md", |w| write_citations(w, &rows))?;
    write_file(dir, "manifest.json", |w| {
        serde_json::to_writer_pretty(&mut *w, &manifest).map_err(io::Error::other)?;
        writeln!(w)
    })
}

/// Moves a finished temporary folder to `out`, replacing an earlier result only with
/// `force`; removes the temporary folder on failure.
///
/// # Errors
/// `Invalid` if a non-replaceable result is in the way; `Runtime` for I/O failures.
pub(super) fn move_into_place(temporary: &Path, out: &Path, force: bool) -> Result<(), CliError> {
    let io_error = |what: &str, e: io::Error| -> CliError {
        anyhow::Error::new(e)
            .context(format!("--out {}: {what}", out.display()))
            .into()
    };
    if fs::symlink_metadata(out).is_ok() {
        if !force || !replaceable(out) {
            let _ = fs::remove_dir_all(temporary);
            return Err(CliError::invalid(format!(
                "--out {}: a result appeared there during the run; pass --force to replace it",
                out.display()
            )));
        }
        let mut old_name = temporary.to_path_buf().into_os_string();
        old_name.push(".old");
        let old = PathBuf::from(old_name);
        if let Err(e) = fs::rename(out, &old) {
            let _ = fs::remove_dir_all(temporary);
            return Err(io_error("cannot move the old result aside", e));
        }
        if let Err(e) = fs::rename(temporary, out) {
            let _ = fs::rename(&old, out);
            return Err(io_error("cannot move the new result into place", e));
        }
        let _ = fs::remove_dir_all(&old);
        return Ok(());
    }
    fs::rename(temporary, out).map_err(|e| {
        let _ = fs::remove_dir_all(temporary);
        io_error("cannot move the result into place", e)
    })
}

/// Writes every output into a temporary folder beside `out`, then moves it into place,
/// so an interrupted run never leaves a half-written result under the final name.
#[expect(
    clippy::too_many_arguments,
    reason = "the folders, the run and what the manifest records about it"
)]
fn write_run_folder(
    temporary: &Path,
    out: &Path,
    force: bool,
    scenario: &Scenario,
    recorded: &Recorded,
    threads: usize,
    started: SystemTime,
    wall_time_s: f64,
) -> Result<(), CliError> {
    if let Err(e) =
        write_run_files_but_wall(temporary, scenario, recorded, threads, started, wall_time_s)
    {
        let _ = fs::remove_dir_all(temporary);
        return Err(e
            .context(format!("--out {}: write failed", out.display()))
            .into());
    }
    move_into_place(temporary, out, force)
}
