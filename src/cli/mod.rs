//! The `vcsim` command line: parsing, validation of flags, exit codes and printing.
//!
//! Exit codes: 0 ok, 1 invalid input (flags, values), 2 runtime or I/O error. Every error
//! is one line on stderr starting with `error:`; nothing panics on user input.

mod catalog;
mod cell;
mod compare;
mod error;
mod output;
mod params;
mod plot;
mod run;
mod validate;

pub use error::{CliError, ExitKind, ResultExt};

use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    /// Run one scenario: a population of VSMCs in a culture well or vessel wall.
    Run(run::RunArgs),
    /// The inducers and interventions: dose units, typical doses, mechanisms, sources.
    Catalog(catalog::CatalogArgs),
    /// An experiment: arms x replicates in parallel, with paired statistics.
    Compare(compare::CompareArgs),
    /// The claims report: every claim of the review run as paired experiments and
    /// checked (validation.md, validation.csv).
    Validate(validate::ValidateArgs),
    /// Figures from a recorded run folder (talk or paper style, PNG/SVG, GIF animation).
    Plot(plot::PlotArgs),
}

/// Parses the command line, runs the command and returns the exit code.
#[must_use]
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clap_exit(&err),
    };
    let result = match cli.command {
        Command::Cell(args) => cell::run(&args),
        Command::Params(args) => params::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Catalog(args) => catalog::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Plot(args) => plot::run(&args),
        Command::Validate(args) => validate::run(&args),
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
                "a command is required: vcsim compare | run | validate | plot | catalog | cell | params (see vcsim --help)",
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
#[derive(Debug, Args)]
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
}

impl RunFlags {
    /// Checks the flags that have a range.
    fn check(&self) -> Result<(), CliError> {
        check_threads(self.threads)
    }

    /// `--out`, or `output/<default>`.
    fn out_or(&self, default: &str) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| Path::new("output").join(default))
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
