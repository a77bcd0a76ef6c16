//! `vcsim-bench`: throughput and peak memory of the engine, as a table.
//!
//! Rows: the reference workload of issue 6 ([`vcsim_bench`]) on vcsim's engine and as a
//! plain rayon loop, at 10,000 and 100,000 cells, and the real model on a shipped
//! scenario. Every measurement runs in a child process (`vcsim-bench one`, hidden), so
//! that its worker pool has exactly the requested threads (the engine's workers are
//! sized once per process) and its peak resident memory is its own.
//!
//! With 1 and 2 threads requested, each round also runs the one-thread engine
//! measurement twice at once, in two processes that share nothing but the machine: the
//! `machine ceiling` line is what two threads can gain at best on this machine (two
//! cores of a virtual machine often give well under 2×), the yardstick for the scaling
//! lines.
//!
//! Exit codes as `vcsim`'s: 0 ok, 1 invalid input, 2 runtime or I/O error, with one
//! `error: ...` line on stderr.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;
use vcsim::scenario::{Geometry, Scenario, ScenarioError};
use vcsim::sim::{Simulation, Threads};
use vcsim_bench::Config;
use vcsim_bench::engine::EngineWorkload;
use vcsim_bench::plain::PlainWorkload;

/// Throughput and peak memory of vcsim's engine: the reference workload (engine vs plain
/// loop) and the real model, each measurement in its own process.
#[derive(Debug, Parser)]
#[command(name = "vcsim-bench", version, long_about = None)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    one: Option<Child>,
    #[command(flatten)]
    args: BenchArgs,
}

#[derive(Debug, Subcommand)]
enum Child {
    /// One measurement of `vcsim-bench`, run in a child process.
    #[command(hide = true)]
    One(BenchOneArgs),
}

/// The real-model rows' scenario: the workspace's calcifying medium, by absolute path
/// (a relative default failed outside the repository's root).
const DEFAULT_SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/calcifying-medium.toml"
);

/// A failure, classified by exit code.
#[derive(Debug, thiserror::Error)]
enum CliError {
    /// Invalid user input (exit 1).
    #[error("{0}")]
    Invalid(String),
    /// Runtime or I/O failure (exit 2).
    #[error("{0}")]
    Runtime(String),
}

impl CliError {
    const fn exit_code(&self) -> u8 {
        match self {
            Self::Invalid(_) => 1,
            Self::Runtime(_) => 2,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clap_exit(&err),
    };
    let result = match &cli.one {
        Some(Child::One(args)) => run_one(args),
        None => run(&cli.args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err.to_string());
            ExitCode::from(err.exit_code())
        }
    }
}

/// Help and version go to stdout with exit 0; usage errors become one line and exit 1.
fn clap_exit(err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Printing help can only fail on a closed stdout; nothing useful to do then.
            let _ = err.print();
            ExitCode::SUCCESS
        }
        _ => {
            let rendered = err.render().to_string();
            let line = rendered
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
                .filter(|l| !l.starts_with("Usage:"))
                .collect::<Vec<_>>()
                .join(" ");
            let line = line.strip_prefix("error: ").unwrap_or(&line).to_string();
            report(&line);
            ExitCode::from(1)
        }
    }
}

/// A progress line on standard error.
#[expect(
    clippy::print_stderr,
    reason = "the harness reports progress on stderr"
)]
fn note(message: &str) {
    eprintln!("{message}");
}

#[expect(clippy::print_stderr, reason = "the one error line")]
fn report(message: &str) {
    eprintln!("error: {message}");
}

/// Checks a thread count.
fn check_threads(threads: usize) -> Result<(), CliError> {
    if threads == 0 || threads > 1024 {
        return Err(CliError::Invalid(format!(
            "--threads must be in [1, 1024] (got {threads})"
        )));
    }
    Ok(())
}

/// Loads a scenario: I/O errors exit 2, invalid content 1.
fn load_scenario(path: &Path) -> Result<Scenario, CliError> {
    Scenario::load(path).map_err(|e| match e {
        ScenarioError::Io { .. } => CliError::Runtime(e.to_string()),
        ScenarioError::Invalid { .. } => CliError::Invalid(e.to_string()),
    })
}

/// Writes `text` to standard output; a closed pipe (`| head`) is not an error.
fn print(text: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Runtime(format!(
            "writing to standard output: {e}"
        ))),
    }
}

/// Checks before any measurement that `--out` can take the CSV: a file path, not an
/// existing file unless `force`.
fn preflight(path: &Path, force: bool) -> Result<(), CliError> {
    if path.is_dir() || path.file_name().is_none() {
        return Err(CliError::Invalid(format!(
            "--out {}: expected a file path",
            path.display()
        )));
    }
    // symlink_metadata sees a dangling link too, which `exists()` would not.
    if std::fs::symlink_metadata(path).is_ok() && !force {
        return Err(CliError::Invalid(format!(
            "--out {}: file exists; pass --force to replace it",
            path.display()
        )));
    }
    Ok(())
}

/// Writes `text` to `path` through a temporary file beside it, moved into place only when
/// complete (and, without `force`, never over a file that appeared meanwhile).
fn write_atomically(path: &Path, force: bool, text: &str) -> Result<(), CliError> {
    let failed = |e: &dyn std::fmt::Display| {
        CliError::Runtime(format!("--out {}: write failed: {e}", path.display()))
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| failed(&e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| failed(&e))?;
    if force {
        file.persist(path).map_err(|e| failed(&e.error))?;
    } else {
        file.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                CliError::Invalid(format!(
                    "--out {}: file exists; pass --force to replace it",
                    path.display()
                ))
            } else {
                failed(&e.error)
            }
        })?;
    }
    Ok(())
}

/// Steps of the reference workload with `--quick`.
const QUICK_STEPS: u64 = 200;
/// Simulated days of the real model with `--quick`.
const QUICK_DAYS: f64 = 1.0;
/// Simulated days of the real model by default (the scenario's own duration).
const FULL_DAYS: f64 = 14.0;
/// Sites per side of the culture well of the real-model rows by default: 100 x 100
/// gives 10,000 cells, the size the population bench uses.
const MODEL_SIDE: usize = 100;
/// Largest `--side`.
const MAX_SIDE: usize = 1000;
/// Minutes per day.
const MINUTES_PER_DAY: f64 = 1440.0;
/// Length of one step of the real model, in minutes.
const MODEL_STEP_MIN: f64 = vcsim::sim::COUPLING_STEP_MIN;

/// Arguments of `vcsim-bench`.
#[derive(Debug, Args)]
struct BenchArgs {
    /// Quick look: the reference workload at 10,000 cells only, 200 steps, and one
    /// simulated day of the real model.
    #[arg(long)]
    quick: bool,
    /// Thread counts to measure, comma-separated.
    #[arg(long, value_name = "N,...", value_delimiter = ',', default_values_t = [1, 2])]
    threads: Vec<usize>,
    /// Steps of the reference workload (default 1000; 200 with --quick).
    #[arg(long, value_name = "N")]
    steps: Option<u64>,
    /// Simulated days of the real-model rows (default 14; 1 with --quick).
    #[arg(long, value_name = "DAYS")]
    days: Option<f64>,
    /// Scenario of the real-model rows (default: the workspace's
    /// `scenarios/calcifying-medium.toml`, found from any working folder).
    #[arg(long, value_name = "FILE", default_value = DEFAULT_SCENARIO)]
    scenario: PathBuf,
    /// Sites per side of the well in the real-model rows (a culture-well scenario is
    /// resized to N x N); 0 keeps the scenario's own lattice.
    #[arg(long, value_name = "N", default_value_t = MODEL_SIDE)]
    side: usize,
    /// Leave out the real-model rows.
    #[arg(long)]
    no_model: bool,
    /// Runs per measurement; the table shows the median wall time.
    #[arg(long, value_name = "N", default_value_t = 1)]
    repeat: usize,
    /// Also write the table as CSV to this file.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace an existing --out file.
    #[arg(long)]
    force: bool,
}

/// What one measurement runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Workload {
    /// The synthetic reference workload.
    Reference,
    /// The real model on a scenario.
    Model,
}

/// Which implementation of the reference workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Version {
    /// vcsim's engine.
    Engine,
    /// The plain rayon loop.
    Plain,
}

impl Version {
    const fn name(self) -> &'static str {
        match self {
            Self::Engine => "engine",
            Self::Plain => "plain",
        }
    }
}

/// Arguments of the hidden `vcsim-bench one`: one measurement, one line of results.
#[derive(Debug, Args)]
struct BenchOneArgs {
    /// What to run.
    #[arg(long, value_enum)]
    workload: Workload,
    /// Engine or plain loop (reference workload only).
    #[arg(long, value_enum, default_value_t = Version::Engine)]
    version: Version,
    /// Worker threads.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Axial sites of the reference workload.
    #[arg(long, default_value_t = Config::SMALL.axial)]
    axial: usize,
    /// Circumferential sites of the reference workload.
    #[arg(long, default_value_t = Config::SMALL.circumferential)]
    circumferential: usize,
    /// Steps of the reference workload.
    #[arg(long, default_value_t = Config::SMALL.steps)]
    steps: u64,
    /// Scenario of the real model.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Simulated days of the real model.
    #[arg(long, default_value_t = FULL_DAYS)]
    days: f64,
    /// Sites per side of the well of the real model (0: the scenario's own).
    #[arg(long, default_value_t = 0)]
    side: usize,
}

/// One measured run, as the child reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Measured {
    wall_s: f64,
    /// Agent-steps (reference) or cell-days (model).
    work: f64,
    cells: u64,
    threads: usize,
    peak_rss_kib: Option<u64>,
    /// Reference workload: survivors and the bits of the field sum (a result check).
    alive: u64,
    phosphate_bits: u64,
}

impl Measured {
    fn to_line(self) -> String {
        format!(
            "wall_s={} work={} cells={} threads={} peak_rss_kib={} alive={} phosphate_bits={}",
            self.wall_s,
            self.work,
            self.cells,
            self.threads,
            self.peak_rss_kib
                .map_or_else(|| "-".to_string(), |k| k.to_string()),
            self.alive,
            self.phosphate_bits
        )
    }

    fn parse(line: &str) -> Option<Self> {
        let field = |key: &str| {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        };
        Some(Self {
            wall_s: field("wall_s")?.parse().ok()?,
            work: field("work")?.parse().ok()?,
            cells: field("cells")?.parse().ok()?,
            threads: field("threads")?.parse().ok()?,
            peak_rss_kib: field("peak_rss_kib")?.parse().ok(),
            alive: field("alive")?.parse().ok()?,
            phosphate_bits: field("phosphate_bits")?.parse().ok()?,
        })
    }
}

/// Peak resident memory of this process (`VmHWM`), where the platform reports it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `vcsim-bench one`: one measurement in this process, one line on stdout.
///
/// # Errors
/// Invalid sizes or scenario (exit 1), a failed run (exit 2).
fn run_one(args: &BenchOneArgs) -> Result<(), CliError> {
    check_threads(args.threads)?;
    let measured = match args.workload {
        Workload::Reference => reference_once(args)?,
        Workload::Model => model_once(args)?,
    };
    print(&format!("{}\n", measured.to_line()))
}

fn reference_once(args: &BenchOneArgs) -> Result<Measured, CliError> {
    let config = Config {
        axial: args.axial,
        circumferential: args.circumferential,
        steps: args.steps,
        ..Config::SMALL
    };
    let runtime = |e: vcsim_bench::WorkloadError| CliError::Runtime(e.to_string());
    let (wall_s, outcome, threads) = match args.version {
        Version::Engine => {
            let threads = Threads::from_count(args.threads);
            let mut workload = EngineWorkload::new(&config, threads).map_err(runtime)?;
            let clock = Instant::now();
            let outcome = workload.run();
            (clock.elapsed().as_secs_f64(), outcome, workload.threads())
        }
        Version::Plain => {
            let mut workload = PlainWorkload::new(&config, args.threads).map_err(runtime)?;
            let clock = Instant::now();
            let outcome = workload.run();
            (clock.elapsed().as_secs_f64(), outcome, workload.threads())
        }
    };
    #[expect(clippy::cast_precision_loss, reason = "agent-steps < 2^53")]
    let work = config.agent_steps() as f64;
    Ok(Measured {
        wall_s,
        work,
        cells: config.cells() as u64,
        threads,
        peak_rss_kib: peak_rss_kib(),
        alive: outcome.alive as u64,
        phosphate_bits: outcome.phosphate_sum.to_bits(),
    })
}

/// The scenario shortened to `days` (recording and snapshots cut to fit), and a culture
/// well resized to `side` x `side` sites unless `side` is 0.
fn resized(scenario: &Scenario, days: f64, side: usize) -> Result<Scenario, CliError> {
    let in_vitro = matches!(scenario.geometry, Geometry::InVitro { .. });
    scenario
        .revised(|file| {
            if side > 0 && in_vitro {
                file.set_lattice(side, side);
            }
            file.set_duration_days(days);
        })
        .map_err(|e| CliError::Invalid(e.to_string()))
}

fn check_side(side: usize) -> Result<(), CliError> {
    if side <= MAX_SIDE {
        Ok(())
    } else {
        Err(CliError::Invalid(format!(
            "--side must be in [0, {MAX_SIDE}] (got {side})"
        )))
    }
}

fn check_days(days: f64) -> Result<(), CliError> {
    if days.is_finite() && days > 0.0 && days <= FULL_DAYS * 100.0 {
        Ok(())
    } else {
        Err(CliError::Invalid(format!(
            "--days must be in (0, {}] (got {days})",
            FULL_DAYS * 100.0
        )))
    }
}

fn model_once(args: &BenchOneArgs) -> Result<Measured, CliError> {
    check_days(args.days)?;
    check_side(args.side)?;
    let path = args
        .scenario
        .as_deref()
        .ok_or_else(|| CliError::Invalid("--scenario is required for the model".to_string()))?;
    let scenario = resized(&load_scenario(path)?, args.days, args.side)?;
    let threads = Threads::from_count(args.threads);
    let simulation =
        Simulation::new(&scenario, threads).map_err(|e| CliError::Runtime(e.to_string()))?;
    let cells = simulation
        .wall()
        .occupants
        .iter()
        .filter(|o| **o != vcsim::sim::resources::Occupant::Empty)
        .count() as u64;
    #[expect(clippy::cast_precision_loss, reason = "hourly steps and cell counts")]
    let work = cells as f64 * simulation.steps() as f64 * MODEL_STEP_MIN / MINUTES_PER_DAY;
    let clock = Instant::now();
    simulation
        .run(|_, _| {})
        .map_err(|e| CliError::Runtime(format!("{}: {e}", path.display())))?;
    Ok(Measured {
        wall_s: clock.elapsed().as_secs_f64(),
        work,
        cells,
        threads: threads.count(),
        peak_rss_kib: peak_rss_kib(),
        alive: 0,
        phosphate_bits: 0,
    })
}

/// One row of the table: a measurement and its repeats.
#[derive(Debug, Clone)]
struct Row {
    workload: String,
    version: &'static str,
    unit: &'static str,
    threads: usize,
    /// The run with the median wall time.
    median: Measured,
    repeats: usize,
}

impl Row {
    fn throughput(&self) -> f64 {
        self.median.work / self.median.wall_s
    }
}

/// One measurement to make.
struct Job {
    label: String,
    version: Version,
    unit: &'static str,
    threads: usize,
    /// Cells of a reference-workload job (0 for the real model).
    cells: u64,
    args: Vec<String>,
}

/// Runs `vcsim-bench`.
///
/// # Errors
/// Invalid flags or scenario (exit 1); a failed child run or unwritable output (exit 2).
fn run(args: &BenchArgs) -> Result<(), CliError> {
    if args.threads.is_empty() {
        return Err(CliError::Invalid(
            "--threads needs at least one count".to_string(),
        ));
    }
    for &t in &args.threads {
        check_threads(t)?;
    }
    if args.repeat == 0 || args.repeat > 100 {
        return Err(CliError::Invalid(format!(
            "--repeat must be in [1, 100] (got {})",
            args.repeat
        )));
    }
    let steps = args.steps.unwrap_or(if args.quick {
        QUICK_STEPS
    } else {
        Config::LARGE.steps
    });
    if steps == 0 {
        return Err(CliError::Invalid("--steps must be at least 1".to_string()));
    }
    let days = args
        .days
        .unwrap_or(if args.quick { QUICK_DAYS } else { FULL_DAYS });
    check_days(days)?;
    check_side(args.side)?;
    if !args.no_model {
        // Fail on a missing or invalid scenario before any time is spent.
        load_scenario(&args.scenario)?;
    }
    if let Some(path) = &args.out {
        preflight(path, args.force)?;
    }
    let exe = std::env::current_exe()
        .map_err(|e| CliError::Runtime(format!("locating the vcsim-bench executable: {e}")))?;

    let jobs = jobs(args, steps, days);
    let ratio_cells = if args.quick {
        Config::SMALL.cells()
    } else {
        Config::LARGE.cells()
    } as u64;
    // The machine's own ceiling for two threads: the one-thread engine run of the ratio
    // size, twice at once in two processes (nothing shared but the machine).
    let pair = jobs.iter().find(|j| {
        j.unit == "agent-steps/s"
            && j.version == Version::Engine
            && j.threads == 1
            && j.cells == ratio_cells
            && args.threads.contains(&2)
    });
    // Repeats go round the whole table (every job once per round) rather than job by
    // job, so that a slow spell of a shared machine spreads over all rows instead of
    // skewing one, and ratios between rows (engine/plain, 1 vs 2 threads) stay fair.
    let mut runs: Vec<Vec<Measured>> = jobs.iter().map(|_| Vec::new()).collect();
    let mut pair_walls = Vec::new();
    for round in 0..args.repeat {
        for (job, runs) in jobs.iter().zip(&mut runs) {
            note(&format!(
                "bench: {} {} {} threads (run {}/{})",
                job.label,
                job.version.name(),
                job.threads,
                round + 1,
                args.repeat
            ));
            runs.push(measure(&exe, &job.args)?);
        }
        if let Some(job) = pair {
            note(&format!(
                "bench: {} engine 1 thread, two at once (run {}/{})",
                job.label,
                round + 1,
                args.repeat
            ));
            let (a, b) = measure_pair(&exe, &job.args)?;
            pair_walls.push(a.wall_s.max(b.wall_s));
        }
    }
    let mut rows = Vec::new();
    for (job, mut runs) in jobs.iter().zip(runs) {
        check_identical(job, &runs)?;
        runs.sort_by(|a, b| a.wall_s.total_cmp(&b.wall_s));
        rows.push(Row {
            workload: job.label.clone(),
            version: job.version.name(),
            unit: job.unit,
            threads: job.threads,
            median: runs[runs.len() / 2],
            repeats: runs.len(),
        });
    }
    check_versions_agree(&rows)?;
    let mut summary = summary(&rows, ratio_cells);
    if let Some(alone) = rows.iter().find(|r| {
        r.unit == "agent-steps/s"
            && r.version == "engine"
            && r.threads == 1
            && r.median.cells == ratio_cells
    }) && !pair_walls.is_empty()
    {
        pair_walls.sort_by(f64::total_cmp);
        let together = pair_walls[pair_walls.len() / 2];
        let _ = writeln!(
            summary,
            "machine ceiling 1->2 (two 1-thread runs at once): {:.2} ({ratio_cells} cells)",
            2.0 * alone.median.wall_s / together
        );
    }
    print(&format!("{}{summary}", table(&rows)))?;
    if let Some(path) = &args.out {
        write_atomically(path, args.force, &csv(&rows))?;
    }
    Ok(())
}

fn jobs(args: &BenchArgs, steps: u64, days: f64) -> Vec<Job> {
    let sizes: &[Config] = if args.quick {
        &[Config::SMALL]
    } else {
        &[Config::SMALL, Config::LARGE]
    };
    let mut jobs = Vec::new();
    for config in sizes {
        for &threads in &args.threads {
            for version in [Version::Engine, Version::Plain] {
                jobs.push(Job {
                    label: format!("reference {}x{}", config.axial, config.circumferential),
                    version,
                    unit: "agent-steps/s",
                    threads,
                    cells: config.cells() as u64,
                    args: vec![
                        "--workload".into(),
                        "reference".into(),
                        "--version".into(),
                        version.name().into(),
                        "--threads".into(),
                        threads.to_string(),
                        "--axial".into(),
                        config.axial.to_string(),
                        "--circumferential".into(),
                        config.circumferential.to_string(),
                        "--steps".into(),
                        steps.to_string(),
                    ],
                });
            }
        }
    }
    if !args.no_model {
        let name = args
            .scenario
            .file_stem()
            .map_or_else(|| "model".to_string(), |s| s.to_string_lossy().into_owned());
        for &threads in &args.threads {
            jobs.push(Job {
                label: format!("{name} {days} d"),
                version: Version::Engine,
                unit: "cell-days/s",
                threads,
                cells: 0,
                args: vec![
                    "--workload".into(),
                    "model".into(),
                    "--threads".into(),
                    threads.to_string(),
                    "--scenario".into(),
                    args.scenario.display().to_string(),
                    "--days".into(),
                    days.to_string(),
                    "--side".into(),
                    args.side.to_string(),
                ],
            });
        }
    }
    jobs
}

/// Runs one child and reads its result line.
fn measure(exe: &Path, args: &[String]) -> Result<Measured, CliError> {
    let output = Command::new(exe)
        .arg("one")
        .args(args)
        .output()
        .map_err(|e| CliError::Runtime(format!("starting {}: {e}", exe.display())))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(CliError::Runtime(format!(
            "measurement `vcsim-bench one {}` failed ({}): {}",
            args.join(" "),
            output.status,
            stderr.trim()
        )));
    }
    stdout.lines().find_map(Measured::parse).ok_or_else(|| {
        CliError::Runtime(format!(
            "measurement `vcsim-bench one {}` printed no result: {}",
            args.join(" "),
            stdout.trim()
        ))
    })
}

/// Runs two children of the same measurement at once and reads both result lines. Both
/// are waited for whatever happens, so none is left running.
fn measure_pair(exe: &Path, args: &[String]) -> Result<(Measured, Measured), CliError> {
    let spawn = || {
        Command::new(exe)
            .arg("one")
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| CliError::Runtime(format!("starting {}: {e}", exe.display())))
    };
    let read = |child: std::process::Child| -> Result<Measured, CliError> {
        let output = child
            .wait_with_output()
            .map_err(|e| CliError::Runtime(format!("waiting for {}: {e}", exe.display())))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            return Err(CliError::Runtime(format!(
                "measurement `vcsim-bench one {}` failed ({}): {}",
                args.join(" "),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        stdout.lines().find_map(Measured::parse).ok_or_else(|| {
            CliError::Runtime(format!(
                "measurement `vcsim-bench one {}` printed no result: {}",
                args.join(" "),
                stdout.trim()
            ))
        })
    };
    let mut first = spawn()?;
    let second = match spawn() {
        Ok(second) => second,
        Err(e) => {
            let _ = first.kill();
            let _ = first.wait();
            return Err(e);
        }
    };
    let (first, second) = (read(first), read(second));
    let (first, second) = (first?, second?);
    if first.alive != second.alive || first.phosphate_bits != second.phosphate_bits {
        return Err(CliError::Runtime(format!(
            "`vcsim-bench one {}`: two runs at once gave different results",
            args.join(" ")
        )));
    }
    Ok((first, second))
}

/// Repeats of one measurement must reach the same result.
fn check_identical(job: &Job, runs: &[Measured]) -> Result<(), CliError> {
    let first = runs[0];
    if runs
        .iter()
        .all(|r| r.alive == first.alive && r.phosphate_bits == first.phosphate_bits)
    {
        Ok(())
    } else {
        Err(CliError::Runtime(format!(
            "{} {}: repeated runs gave different results",
            job.label,
            job.version.name()
        )))
    }
}

/// Engine and plain loop, at any thread count, must reach the same result.
fn check_versions_agree(rows: &[Row]) -> Result<(), CliError> {
    for row in rows {
        if let Some(other) = rows.iter().find(|o| {
            o.workload == row.workload
                && (o.median.alive != row.median.alive
                    || o.median.phosphate_bits != row.median.phosphate_bits)
        }) {
            return Err(CliError::Runtime(format!(
                "{}: {} with {} threads and {} with {} threads gave different results",
                row.workload, row.version, row.threads, other.version, other.threads
            )));
        }
    }
    Ok(())
}

/// Throughput of a reference row.
fn reference_throughput(rows: &[Row], cells: u64, version: &str, threads: usize) -> Option<f64> {
    rows.iter()
        .find(|r| {
            r.unit == "agent-steps/s"
                && r.median.cells == cells
                && r.version == version
                && r.threads == threads
        })
        .map(Row::throughput)
}

/// The engine/plain ratio (at 2 threads, or the most measured) and the scaling lines.
fn summary(rows: &[Row], cells: u64) -> String {
    let mut text = String::new();
    let measured: Vec<usize> = rows
        .iter()
        .filter(|r| r.unit == "agent-steps/s" && r.median.cells == cells)
        .map(|r| r.threads)
        .collect();
    let threads = if measured.contains(&2) {
        Some(2)
    } else {
        measured.iter().copied().max()
    };
    if let Some(threads) = threads
        && let (Some(engine), Some(plain)) = (
            reference_throughput(rows, cells, "engine", threads),
            reference_throughput(rows, cells, "plain", threads),
        )
    {
        let _ = writeln!(
            text,
            "engine/plain ratio: {:.2} ({cells} cells, {threads} threads)",
            engine / plain
        );
    }
    for version in ["engine", "plain"] {
        if let (Some(one), Some(two)) = (
            reference_throughput(rows, cells, version, 1),
            reference_throughput(rows, cells, version, 2),
        ) {
            let _ = writeln!(
                text,
                "{version} scaling 1->2 threads: {:.2} ({cells} cells)",
                two / one
            );
        }
    }
    text
}

fn format_rss(kib: Option<u64>) -> String {
    #[expect(clippy::cast_precision_loss, reason = "memory sizes")]
    kib.map_or_else(|| "-".to_string(), |k| format!("{:.1}", k as f64 / 1024.0))
}

/// The aligned text table.
fn table(rows: &[Row]) -> String {
    let header = [
        "workload",
        "version",
        "cells",
        "threads",
        "wall s",
        "throughput",
        "unit",
        "peak RSS MiB",
    ];
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|r| {
            [
                r.workload.clone(),
                r.version.to_string(),
                r.median.cells.to_string(),
                r.median.threads.to_string(),
                format!("{:.3}", r.median.wall_s),
                format!("{:.3e}", r.throughput()),
                r.unit.to_string(),
                format_rss(r.median.peak_rss_kib),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.len());
        }
    }
    let mut text = String::new();
    let mut line = |fields: &[String]| {
        let padded: Vec<String> = fields
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(k, (f, w))| {
                // Text left, numbers right.
                if k < 2 || k == 6 {
                    format!("{f:<w$}")
                } else {
                    format!("{f:>w$}")
                }
            })
            .collect();
        let _ = writeln!(text, "{}", padded.join("  ").trim_end());
    };
    line(&header.map(String::from));
    for row in &cells {
        line(row);
    }
    text
}

fn csv(rows: &[Row]) -> String {
    let mut text = String::from(
        "workload,version,cells,threads,wall_s,throughput,unit,peak_rss_mib,repeats\n",
    );
    for r in rows {
        let _ = writeln!(
            text,
            "{},{},{},{},{:.6},{:.1},{},{},{}",
            r.workload,
            r.version,
            r.median.cells,
            r.median.threads,
            r.median.wall_s,
            r.throughput(),
            r.unit,
            format_rss(r.median.peak_rss_kib),
            r.repeats
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scenario_is_found_from_any_folder() {
        let cli = Cli::try_parse_from(["vcsim-bench"]).expect("defaults parse");
        assert!(cli.args.scenario.is_absolute());
        assert!(
            cli.args.scenario.is_file(),
            "{}",
            cli.args.scenario.display()
        );
    }

    #[test]
    fn a_result_line_round_trips() {
        let m = Measured {
            wall_s: 1.25,
            work: 1e8,
            cells: 100_000,
            threads: 2,
            peak_rss_kib: Some(20_480),
            alive: 17,
            phosphate_bits: 0.5_f64.to_bits(),
        };
        assert_eq!(Measured::parse(&m.to_line()), Some(m));
    }
}
