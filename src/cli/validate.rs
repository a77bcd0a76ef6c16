//! `vcsim validate`: run every claim of the review (or the chosen ones) as paired
//! experiments, check each against its expected effect, print the table and write
//! `validation.md`, `validation.csv`, `manifest.json` and (unless `--no-plots`) the
//! claims overview figure.

use super::jobs::{Backend, BackendFlags, Mode};
use super::run::{interrupted, move_into_place, preflight, temporary_beside, write_file};
use super::{CliError, ResultExt, RunFlags};
use clap::Args;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Instant;
use vcsim::record::manifest::{ExperimentEntry, ValidationManifest, write_json};
use vcsim::sim::memory;

use vcsim::evidence::{Dataset, Protocols};
use vcsim::validation::{
    self, ClaimResult, expected_text, measured_text, quantitative, statistic_text,
};

/// Arguments of `vcsim validate`.
#[derive(Clone, Debug, Args, Serialize, Deserialize)]
pub struct ValidateArgs {
    /// Only this claim (repeatable), e.g. `--claim OS-3 --claim AU-4`.
    #[arg(long = "claim", value_name = "ID")]
    claims: Vec<String>,
    /// Quick mode: 4 replicates, 14 x 14 culture wells and 5 x 5-site vessel segments
    /// (as in CI); the default full mode uses each experiment file's own size.
    #[arg(long)]
    quick: bool,
    #[command(flatten)]
    flags: RunFlags,
    #[command(flatten)]
    backend: BackendFlags,
}

impl ValidateArgs {
    /// The result folder (`--out`).
    pub(super) fn with_out(mut self, out: PathBuf) -> Self {
        self.flags.out = Some(out);
        self
    }
}

fn print_table(results: &[ClaimResult]) {
    let mut rows: Vec<[String; 7]> = vec![[
        "claim".into(),
        "experiment".into(),
        "readout".into(),
        "expected".into(),
        "measured [95% CI]".into(),
        "result".into(),
        "kind".into(),
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
                k.kind.label().to_string(),
            ]);
        }
    }
    let mut widths = [0usize; 7];
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
    let failed = failing(results);
    let _ = writeln!(
        out,
        "\n{}{}",
        validation::Totals::of(results).headline(),
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
fn print_quantitative(predictions: &[quantitative::Prediction]) {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(
        out,
        "\npublished measurements (data/observations.csv) against the model's predictions:"
    );
    for s in quantitative::summarise(predictions) {
        let folds = quantitative::fold_rows(predictions, s.set);
        let _ = writeln!(
            out,
            "  {:<11} {}",
            s.set.name(),
            quantitative::agreement_text(&s, folds)
        );
    }
}

pub fn run(args: &ValidateArgs) -> Result<(), CliError> {
    args.backend.check()?;
    run_mode(args, Mode::Run(&args.backend))
}

/// Runs `vcsim validate` (or, in merge mode, only evaluates its finished job folder).
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run_mode(args: &ValidateArgs, mode: Mode<'_>) -> Result<(), CliError> {
    let flags = &args.flags;
    let merging = matches!(mode, Mode::Merge);
    flags.check()?;
    let claims = validation::select(&args.claims).invalid()?;
    let out = flags.out_or(if args.quick {
        "validation-quick"
    } else {
        "validation"
    });
    let mut experiments = validation::experiments_for(&claims, args.quick).runtime()?;
    let claim_experiments = experiments.len();
    // The quantitative validation runs with the whole claims report (not with --claim).
    let evidence = if args.claims.is_empty() {
        let dataset = Dataset::committed().runtime()?;
        let protocols = Protocols::committed(&dataset).runtime()?;
        experiments.extend(quantitative::protocol_experiments(&protocols, args.quick).runtime()?);
        Some((dataset, protocols))
    } else {
        None
    };
    let overrides = flags.overrides()?;
    let experiments = experiments
        .into_iter()
        .map(|e| e.with_overrides(&overrides))
        .collect::<Result<Vec<_>, _>>()
        .invalid()?;
    let runs = experiments.iter().flat_map(|e| {
        e.arms
            .iter()
            .flat_map(|arm| std::iter::repeat_n(&arm.scenario, e.replicates))
    });
    let out = std::path::absolute(&out).unwrap_or(out);
    if !merging && args.backend.backend == Backend::Local {
        flags.check_memory(
            memory::estimate_runs(runs, flags.threads),
            &format!("the validation ({} claims)", claims.len()),
        )?;
    }
    let _lock = preflight(&out, flags.force)?;
    let units = validation::job_units(&experiments);
    let total = units.len();
    let clock = Instant::now();
    let mut stored = args.clone();
    stored.flags.out = Some(out.clone());
    stored.flags.absolute_parameters();
    // Claims are scored from the time series; the runs are removed after the report.
    let scored = super::jobs::ScoredJob {
        out: &out,
        command: "validate",
        discard_other: flags.force && !merging,
        mode,
        stored: &super::merge::Stored::Validate(stored),
        threads: flags.threads,
        quiet: flags.quiet,
        context: "the validation",
    };
    let Some(job) = scored.run(units)? else {
        return Ok(());
    };
    let wall_time_s = clock.elapsed().as_secs_f64();
    // The claims are evaluated from the runs read back from their folders, so a resumed
    // job and an uninterrupted one give the same bytes.
    let runs = validation::read_units(&job, &experiments).runtime()?;
    let (claim_runs, protocol_runs) = runs.split_at(claim_experiments);
    let results =
        validation::evaluate(&claims, &experiments[..claim_experiments], claim_runs).runtime()?;
    let predictions = evidence.as_ref().map(|(dataset, protocols)| {
        quantitative::predict(
            dataset,
            protocols,
            &experiments[claim_experiments..],
            protocol_runs,
        )
    });
    drop(runs);
    let mode = if args.quick { "quick" } else { "full" };
    let replicates: Vec<usize> = experiments.iter().map(|e| e.replicates).collect();
    let replicate_text = match (replicates.iter().min(), replicates.iter().max()) {
        (Some(a), Some(b)) if a == b => format!("{a} paired replicates per arm"),
        (Some(a), Some(b)) => format!("{a}-{b} paired replicates per arm"),
        _ => "no runs".to_string(),
    };
    let temporary = temporary_beside(&out)?;
    let result = (|| -> anyhow::Result<()> {
        write_file(temporary.path(), "validation.csv", |w| {
            validation::write_csv(w, &results)
        })?;
        write_file(temporary.path(), "validation.md", |w| {
            validation::write_markdown(w, &results, mode, &replicate_text)
        })?;
        if let Some(predictions) = &predictions {
            write_file(temporary.path(), "quantitative.csv", |w| {
                quantitative::write_csv(w, predictions)
            })?;
            write_file(temporary.path(), "quantitative.md", |w| {
                quantitative::write_markdown(w, predictions)
            })?;
        }
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
            threads: flags.threads,
            vcsim_version: env!("CARGO_PKG_VERSION"),
            wall_time_s,
        };
        write_file(temporary.path(), "manifest.json", |w| {
            write_json(w, &manifest)
        })
    })();
    if let Err(e) = result {
        return Err(e
            .context(format!("--out {}: write failed", out.display()))
            .into());
    }
    if let Some(signal) = super::received_signal() {
        return Err(interrupted(
            signal,
            "the validation stopped while its report was written",
            Some(temporary.path()),
            &out,
        ));
    }
    move_into_place(temporary, &out, flags.force)?;
    // The report is in place; the runs it was made from are not part of it.
    super::jobs::discard_scored(job);
    if !flags.quiet {
        print_table(&results);
        if let Some(predictions) = &predictions {
            print_quantitative(predictions);
        }
    }
    // After the table, so that a figure that cannot be drawn never hides the results.
    if let Some(signal) = super::received_signal() {
        return Err(super::interrupted(
            signal,
            &format!(
                "the result in {} is complete; its figures were not drawn (vcsim plot draws them)",
                out.display()
            ),
        ));
    }
    let figures = if flags.no_plots {
        Vec::new()
    } else {
        super::plot::render(
            &out,
            super::plot::StyleArg::Talk,
            super::plot::FormatArg::Both,
            &[],
        )?
    };
    if !flags.quiet {
        super::note(&headline(&results, total, wall_time_s, &out, &figures));
    }
    Ok(())
}

/// The claims that fail (an evidence check fails; wiring-only claims are not failures).
fn failing(results: &[ClaimResult]) -> Vec<&'static str> {
    results
        .iter()
        .filter(|r| r.verdict() == validation::ClaimVerdict::Fail)
        .map(|r| r.claim.id)
        .collect()
}

/// The closing lines: claims passed and failed, runs and time, where the report and the
/// figures are.
fn headline(
    results: &[ClaimResult],
    runs: usize,
    wall_time_s: f64,
    out: &std::path::Path,
    figures: &[PathBuf],
) -> String {
    let failed = failing(results);
    let totals = validation::Totals::of(results);
    let mut lines = vec![format!(
        "validation: {} of {} claims pass ({} wiring only, not counted){} ({runs} runs in \
         {wall_time_s:.1} s)",
        totals.passed,
        totals.counted,
        totals.wiring_only,
        if failed.is_empty() {
            String::new()
        } else {
            format!(", {} fail: {}", failed.len(), failed.join(", "))
        }
    )];
    lines.push(format!("report: {}", out.join("validation.md").display()));
    let pngs: Vec<String> = figures
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "png"))
        .map(|f| f.display().to_string())
        .collect();
    if !pngs.is_empty() {
        lines.push(format!("figures: {}", pngs.join(", ")));
    }
    lines.join("\n")
}
