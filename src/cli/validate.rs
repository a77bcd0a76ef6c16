//! `vcsim validate`: run every claim of the review (or the chosen ones) as paired
//! experiments, check each against its expected effect, print the table and write
//! `validation.md`, `validation.csv`, `manifest.json` and (unless `--no-plots`) the
//! claims overview figure.

use super::CliError;
use super::run::{move_into_place, preflight, temporary_beside, write_file};
use crate::record::manifest::{ExperimentEntry, ValidationManifest, write_json};
use crate::sim::init_threads;
use crate::validation::{
    self, ClaimResult, ValidationError, expected_text, measured_text, statistic_text,
};
use clap::Args;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `vcsim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Only this claim (repeatable), e.g. `--claim OS-3 --claim AU-4`.
    #[arg(long = "claim", value_name = "ID")]
    claims: Vec<String>,
    /// Quick mode: 4 replicates, 14 x 14 culture wells and 5 x 5-site vessel segments
    /// (as in CI); the default full mode uses each experiment file's own size.
    #[arg(long)]
    quick: bool,
    /// Runs in parallel (results do not depend on it).
    #[arg(long, value_name = "N", default_value_t = super::default_threads())]
    threads: usize,
    /// Output folder (default: output/validation or output/validation-quick).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// No progress bar and no table on standard output.
    #[arg(long)]
    quiet: bool,
    /// Replace an earlier result at --out.
    #[arg(long)]
    force: bool,
    /// Do not render the claims overview at the end (`vcsim plot DIR` renders it later).
    #[arg(long)]
    no_plots: bool,
}

fn print_table(results: &[ClaimResult]) {
    let mut rows: Vec<[String; 6]> = vec![[
        "claim".into(),
        "experiment".into(),
        "readout".into(),
        "expected".into(),
        "measured [95% CI]".into(),
        "result".into(),
    ]];
    for r in results {
        for c in &r.checks {
            let k = &c.check;
            rows.push([
                k.claim.to_string(),
                format!("{}: {} vs {}", k.experiment, k.arm, k.reference),
                format!("{} ({})", k.column.label(), statistic_text(k.statistic)),
                expected_text(k.expected),
                measured_text(&c.paired),
                if c.pass { "pass" } else { "FAIL" }.to_string(),
            ]);
        }
    }
    let mut widths = [0usize; 6];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - cell.chars().count())))
            .collect();
        // A closed stdout (a pipe to `head`) is not an error of the validation.
        if writeln!(out, "{}", line.join("  ").trim_end()).is_err() {
            return;
        }
    }
    let passed = results.iter().filter(|r| r.pass()).count();
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| !r.pass())
        .map(|r| r.claim.id)
        .collect();
    let _ = writeln!(
        out,
        "\n{passed} of {} claims pass{}",
        results.len(),
        if failed.is_empty() {
            String::new()
        } else {
            format!("; failing: {}", failed.join(", "))
        }
    );
}

/// Runs `vcsim validate`.
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run(args: &ValidateArgs) -> Result<(), CliError> {
    super::check_threads(args.threads)?;
    let claims = validation::select(&args.claims).map_err(|e| CliError::Invalid(e.to_string()))?;
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("output").join(if args.quick {
            "validation-quick"
        } else {
            "validation"
        })
    });
    preflight(&out, args.force)?;
    let experiments = validation::experiments_for(&claims, args.quick)
        .map_err(|e| CliError::Runtime(e.to_string()))?;
    init_threads(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .map_err(|e| CliError::Runtime(format!("cannot start {} threads: {e}", args.threads)))?;
    let total: usize = experiments
        .iter()
        .map(|e| e.arms.len() * e.replicates)
        .sum();
    let bar = if args.quiet || !io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(total as u64)
    };
    let clock = Instant::now();
    let runs = pool
        .install(|| validation::run_all(&experiments, &|| bar.inc(1)))
        .map_err(|e| CliError::Runtime(e.to_string()))?;
    bar.finish_and_clear();
    let wall_time_s = clock.elapsed().as_secs_f64();
    let results = validation::evaluate(&claims, &experiments, &runs)
        .map_err(|e: ValidationError| CliError::Runtime(e.to_string()))?;
    let mode = if args.quick { "quick" } else { "full" };
    let replicates: Vec<usize> = experiments.iter().map(|e| e.replicates).collect();
    let replicate_text = match (replicates.iter().min(), replicates.iter().max()) {
        (Some(a), Some(b)) if a == b => format!("{a} paired replicates per arm"),
        (Some(a), Some(b)) => format!("{a}-{b} paired replicates per arm"),
        _ => "no runs".to_string(),
    };
    let temporary = temporary_beside(&out)?;
    let result = (|| -> io::Result<()> {
        write_file(temporary.path(), "validation.csv", |w| {
            validation::write_csv(w, &results)
        })?;
        write_file(temporary.path(), "validation.md", |w| {
            validation::write_markdown(w, &results, mode, &replicate_text)
        })?;
        let manifest = ValidationManifest {
            claims: claims.iter().map(|c| c.id).collect(),
            claims_passing: results
                .iter()
                .filter(|r| r.pass())
                .map(|r| r.claim.id)
                .collect(),
            experiments: experiments
                .iter()
                .map(|e| ExperimentEntry {
                    arms: e.arms.iter().map(|a| a.name.as_str()).collect(),
                    name: &e.name,
                    replicates: e.replicates,
                })
                .collect(),
            mode,
            runs: total,
            threads: args.threads,
            vcsim_version: env!("CARGO_PKG_VERSION"),
            wall_time_s,
        };
        write_file(temporary.path(), "manifest.json", |w| {
            write_json(w, &manifest)
        })
    })();
    if let Err(e) = result {
        return Err(CliError::Runtime(format!(
            "--out {}: write failed: {e}",
            out.display()
        )));
    }
    move_into_place(temporary, &out, args.force)?;
    if !args.quiet {
        print_table(&results);
        super::note(&format!(
            "{total} runs in {wall_time_s:.1} s; report in {}",
            out.join("validation.md").display()
        ));
    }
    // After the table, so that a figure that cannot be drawn never hides the results.
    if !args.no_plots {
        super::plot::render(
            &out,
            super::plot::StyleArg::Talk,
            super::plot::FormatArg::Both,
            &[],
        )?;
    }
    Ok(())
}
