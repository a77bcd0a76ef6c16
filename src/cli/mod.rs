//! The `vcsim` command line: parsing, validation of flags, exit codes and printing.
//!
//! Exit codes: 0 ok, 1 invalid input (flags, values), 2 runtime or I/O error. Every error
//! is one line on stderr starting with `error:`; nothing panics on user input.

mod calibrate;
mod catalog;
mod cell;
mod compare;
mod error;
mod export_sbml;
mod jobs;
mod merge;
mod output;
mod params;
mod plot;
mod resume;
mod robustness;
mod run;
mod sensitivity;
mod sweep;
mod validate;

pub use error::{CliError, ExitKind, ResultExt};

use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

/// Simulate ER stress, the unfolded protein response and calcification in vascular
/// smooth muscle cells.
#[derive(Debug, Parser)]
#[command(name = "vcsim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// One cell's time course (UPR core, mTORC1, autophagy, death routes, osteogenic
    /// markers) as CSV.
    Cell(cell::CellArgs),
    /// The parameter table: value, unit, meaning, source and allowed range.
    Params(params::ParamsArgs),
    /// The single-cell model (22 states, parameters with units and sources, the
    /// conditions given) as SBML Level 3 Version 2.
    #[command(name = "export-sbml")]
    ExportSbml(export_sbml::ExportSbmlArgs),
    /// Run one scenario: a population of VSMCs in a culture well or vessel wall.
    Run(run::RunArgs),
    /// Finish a run started with `vcsim run --checkpoint-every-days` that was killed,
    /// from its last checkpoint.
    Resume(resume::ResumeArgs),
    /// The inducers and interventions: dose units, typical doses, mechanisms, sources.
    Catalog(catalog::CatalogArgs),
    /// An experiment: arms x replicates in parallel, with paired statistics.
    Compare(compare::CompareArgs),
    /// The claims report: every claim of the review run as paired experiments and
    /// checked (validation.md, validation.csv).
    Validate(validate::ValidateArgs),
    /// Fits the free parameters (data/calibration/free-parameters.toml) to the
    /// calibration rows: CMA-ES point estimate, ABC posterior (parameters.toml,
    /// posterior.csv, history.csv, fit.csv, calibration.md).
    Calibrate(calibrate::CalibrateArgs),
    /// Figures from a recorded run folder (talk or paper style, PNG/SVG, GIF animation).
    Plot(plot::PlotArgs),
    /// A parameter sweep: a base scenario at every point of a grid, Latin hypercube or
    /// Sobol design over chosen factors, with one tidy table of runs (sweep.csv).
    Sweep(sweep::SweepArgs),
    /// A global sensitivity analysis: Morris elementary effects or Sobol indices of
    /// chosen readouts over chosen factors (indices.csv, sensitivity.md).
    Sensitivity(sensitivity::SensitivityArgs),
    /// The claims report and the quantitative agreement under a joint perturbation of
    /// every assumed parameter (Latin-hypercube draws): their distribution
    /// (robustness.md, robustness.csv).
    Robustness(robustness::RobustnessArgs),
    /// Merges the finished runs of a job (after `--backend slurm --no-submit`, or a
    /// Slurm job that finished while vcsim was not watching) into its result.
    Merge(merge::MergeArgs),
    /// What the job-array tasks of `--backend slurm` run.
    #[command(hide = true)]
    Jobs(jobs::JobsArgs),
}

/// Parses the command line, runs the command and returns the exit code.
#[must_use]
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clap_exit(&err),
    };
    let writes = matches!(
        cli.command,
        Command::Cell(_)
            | Command::ExportSbml(_)
            | Command::Run(_)
            | Command::Resume(_)
            | Command::Compare(_)
            | Command::Validate(_)
            | Command::Calibrate(_)
            | Command::Sweep(_)
            | Command::Sensitivity(_)
            | Command::Robustness(_)
            | Command::Merge(_)
            | Command::Jobs(_)
    );
    if writes && let Err(err) = watch_signals() {
        report(&err.to_string());
        return ExitCode::from(err.exit_code());
    }
    let result = match cli.command {
        Command::Cell(args) => cell::run(&args),
        Command::Params(args) => params::run(&args),
        Command::ExportSbml(args) => export_sbml::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Resume(args) => resume::run(&args),
        Command::Catalog(args) => catalog::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Plot(args) => plot::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Calibrate(args) => calibrate::run(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::Sensitivity(args) => sensitivity::run(&args),
        Command::Robustness(args) => robustness::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Jobs(args) => jobs::run_jobs(&args),
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
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            report(
                "a command is required: vcsim compare | run | resume | validate | sweep | sensitivity | robustness | merge | plot | catalog | cell | export-sbml | params (see vcsim --help)",
            );
            ExitCode::from(1)
        }
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
            let mut line = line.strip_prefix("error: ").unwrap_or(&line).to_string();
            if err.kind() == ErrorKind::UnknownArgument
                && let Some(file) = line.split('\'').nth(1).filter(|a| a.ends_with(".toml"))
            {
                line.push_str(&format!(
                    " ({file}: this command takes no file; run a scenario file with `vcsim run \
                     FILE`, an experiment file with `vcsim compare FILE`)"
                ));
            }
            report(&line);
            ExitCode::from(1)
        }
    }
}

/// The flags of the commands that run simulations and write a result folder (`run`,
/// `compare`, `validate`).
#[derive(Clone, Debug, Args, serde::Serialize, serde::Deserialize)]
struct RunFlags {
    /// Worker threads (results do not depend on it): the per-cell systems of `run`, the
    /// runs side by side of `compare` and `validate`.
    #[arg(long, value_name = "N", default_value_t = default_threads(), allow_negative_numbers = true)]
    threads: usize,
    /// Output folder (default: output/<scenario or experiment name>/, for `validate`
    /// output/validation or output/validation-quick).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// No progress bar and no summary (for `validate`, no table on standard output).
    #[arg(long)]
    quiet: bool,
    /// Replace an earlier result at --out.
    #[arg(long)]
    force: bool,
    /// Do not render the figures at the end (`vcsim plot DIR` renders them later).
    #[arg(long)]
    no_plots: bool,
    /// Refuse to start a run that needs more memory than this (e.g. `4G`, `512M`,
    /// `1.5GiB`; K, M, G, T count in 1024s). Default: the memory available now
    /// (`MemAvailable` on Linux; no check elsewhere).
    #[arg(long, value_name = "SIZE", value_parser = parse_memory_size)]
    max_memory: Option<u64>,
    /// Parameter values laid over every scenario: a file of `[parameters.<module>]`
    /// tables (as in scenario files), e.g. the `parameters.toml` of `vcsim calibrate`. A
    /// value a scenario or experiment file sets itself is kept.
    #[arg(long, value_name = "FILE")]
    parameters: Option<PathBuf>,
}

impl RunFlags {
    /// Checks the flags that have a range.
    fn check(&self) -> Result<(), CliError> {
        check_threads(self.threads)
    }

    /// Refuses work that needs more than `--max-memory`, or (without it) more than the
    /// memory available now, before anything is allocated.
    ///
    /// # Errors
    /// `Invalid` (exit 1) saying what needs how much, and the limit.
    fn check_memory(&self, needed_bytes: u64, what: &str) -> Result<(), CliError> {
        let (limit, source) = match self.max_memory {
            Some(limit) => (limit, "allowed by --max-memory".to_string()),
            None => match vcsim::sim::memory::available_bytes() {
                Some(available) => (
                    available,
                    "available (MemAvailable of /proc/meminfo; --max-memory sets another limit)"
                        .to_string(),
                ),
                None => return Ok(()),
            },
        };
        if needed_bytes <= limit {
            return Ok(());
        }
        Err(CliError::invalid(format!(
            "{what} needs about {} of memory, more than the {} {source}; use a smaller geometry, fewer --threads or fewer snapshots",
            human_bytes(needed_bytes),
            human_bytes(limit),
        )))
    }

    /// The values of `--parameters` (none without it).
    ///
    /// # Errors
    /// The file cannot be read (exit 2) or is not a valid parameter file (exit 1, every
    /// problem with its line and key).
    fn overrides(&self) -> Result<vcsim::scenario::ParameterOverrides, CliError> {
        match &self.parameters {
            Some(path) => load_parameter_file(path),
            None => Ok(vcsim::scenario::ParameterOverrides::new()),
        }
    }

    /// `--parameters` as an absolute path (for a command that `vcsim merge` repeats from
    /// another folder).
    fn absolute_parameters(&mut self) {
        if let Some(path) = &self.parameters {
            self.parameters = Some(std::path::absolute(path).unwrap_or_else(|_| path.clone()));
        }
    }

    /// `--out`, or `output/<default>`.
    fn out_or(&self, default: &str) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| Path::new("output").join(default))
    }
}

/// Reads a `--parameters` file.
///
/// # Errors
/// The file cannot be read (exit 2) or is not a valid parameter file (exit 1, every
/// problem with its line and key).
fn load_parameter_file(path: &Path) -> Result<vcsim::scenario::ParameterOverrides, CliError> {
    use vcsim::scenario::overrides::OverridesError;
    vcsim::scenario::ParameterOverrides::load(path).map_err(|e| match e {
        OverridesError::Io { .. } => CliError::runtime(format!("--parameters: {e}")),
        OverridesError::Invalid { .. } => CliError::invalid(e.to_string()),
    })
}

/// Reads a `--max-memory` value: a number of bytes with an optional unit, `K`/`KiB`,
/// `M`/`MiB`, `G`/`GiB`, `T`/`TiB` (powers of 1024) or `KB`, `MB`, `GB`, `TB` (powers of
/// 1000); `B` or nothing for bytes.
fn parse_memory_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let allowed = "a size like 4G, 512M, 1.5GiB or 1000000 (bytes)";
    let number: f64 = number
        .parse()
        .map_err(|_| format!("expected {allowed} (got `{text}`)"))?;
    let scale: f64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1.0,
        "K" | "KIB" => 1024.0,
        "M" | "MIB" => 1024.0 * 1024.0,
        "G" | "GIB" => 1024.0 * 1024.0 * 1024.0,
        "T" | "TIB" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "TB" => 1e12,
        _ => return Err(format!("unknown unit `{unit}`: expected {allowed}")),
    };
    let bytes = number * scale;
    if !(bytes.is_finite() && bytes >= 1.0 && bytes <= 2f64.powi(63)) {
        return Err(format!(
            "expected {allowed}, at least 1 byte (got `{text}`)"
        ));
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "checked to be in [1, 2^63] above"
    )]
    Ok(bytes as u64)
}

/// A byte count as a person reads it: `512 KiB`, `3.2 GiB`.
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    #[expect(clippy::cast_precision_loss, reason = "a rounded display value")]
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The signal that asked the program to stop (0: none yet).
static SIGNAL: LazyLock<Arc<AtomicUsize>> = LazyLock::new(|| Arc::new(AtomicUsize::new(0)));

/// Makes SIGINT (Ctrl-C) and SIGTERM stop the work at the next step instead of killing
/// the program, so that the partial output is removed and the program says so
/// ([`interrupted`]); a second signal ends the program at once.
fn watch_signals() -> Result<(), CliError> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = vcsim::sim::interrupt::flag();
    for signal in [SIGINT, SIGTERM] {
        let registered = signal_hook::flag::register_conditional_shutdown(
            signal,
            128 + signal,
            Arc::clone(&stop),
        )
        .and_then(|_| {
            #[expect(clippy::cast_sign_loss, reason = "signal numbers are positive")]
            signal_hook::flag::register_usize(signal, Arc::clone(&SIGNAL), signal as usize)
        })
        .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&stop)));
        if let Err(e) = registered {
            return Err(CliError::runtime(format!(
                "cannot handle signal {signal}: {e}"
            )));
        }
    }
    Ok(())
}

/// The signal that asked the program to stop, if one did.
fn received_signal() -> Option<u8> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        signal => u8::try_from(signal).ok(),
    }
}

/// The error of work stopped by `signal`: `interrupted by SIGINT: {what}` (what was
/// removed, what was kept), exit 128 + the signal's number (130, 143).
fn interrupted(signal: u8, what: &str) -> CliError {
    let name = match i32::from(signal) {
        signal_hook::consts::SIGINT => "SIGINT".to_string(),
        signal_hook::consts::SIGTERM => "SIGTERM".to_string(),
        other => format!("signal {other}"),
    };
    CliError::new(
        ExitKind::Interrupted(signal),
        anyhow::Error::msg(format!("interrupted by {name}: {what}")),
    )
}

/// Notes, one line each, that leftovers of interrupted runs were removed.
fn note_removed(removed: &[PathBuf]) {
    for path in removed {
        note(&format!(
            "note: removed {}, left by an interrupted vcsim that is no longer running",
            path.display()
        ));
    }
}

/// All cores: the default worker count of `run`, `compare` and `validate`.
fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// Checks a `--threads` value.
fn check_threads(threads: usize) -> Result<(), CliError> {
    if threads == 0 || threads > 1024 {
        return Err(CliError::invalid(format!(
            "--threads must be in [1, 1024] (got {threads})"
        )));
    }
    Ok(())
}

/// A progress or summary line on standard error.
#[expect(clippy::print_stderr, reason = "the CLI is the only place that prints")]
fn note(message: &str) {
    eprintln!("{message}");
}

#[expect(clippy::print_stderr, reason = "the CLI is the only place that prints")]
fn report(message: &str) {
    eprintln!("error: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_sizes_read_as_people_write_them() {
        assert_eq!(parse_memory_size("4G"), Ok(4 << 30));
        assert_eq!(parse_memory_size("512M"), Ok(512 << 20));
        assert_eq!(parse_memory_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_memory_size("2GB"), Ok(2_000_000_000));
        assert_eq!(parse_memory_size("1000000"), Ok(1_000_000));
        assert_eq!(parse_memory_size("1k"), Ok(1024));
        for bad in ["", "G", "-1G", "0", "1.2.3G", "4 parsecs", "nan", "1e400"] {
            let message = parse_memory_size(bad).expect_err(bad);
            assert!(message.contains("4G"), "{bad}: {message}");
        }
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(3 << 29), "1.5 GiB");
    }
}
