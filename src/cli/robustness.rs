//! `vcsim robustness`: the claims report and the quantitative agreement of `vcsim
//! validate` under a joint perturbation of every `assumed` parameter (Latin-hypercube
//! factors in `[1 - spread, 1 + spread]`), one whole validation per draw plus the
//! unperturbed model; writes `robustness.csv`, `robustness_factors.csv`,
//! `robustness.md`, `manifest.json` and (unless `--no-plots`) the `robustness` figure.

use super::jobs::{Backend, BackendFlags, Mode};
use super::run::{interrupted, move_into_place, preflight, temporary_beside, write_file};
use super::{CliError, ExitKind, ResultExt, RunFlags};
use clap::Args;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Instant;
use vcsim::evidence::{Dataset, Protocols};
use vcsim::record::manifest::write_json;
use vcsim::render::{Format, PlotOptions, Style};
use vcsim::sim::memory;
use vcsim::validation::robustness::{
    self, Robustness, RobustnessError, assumed_parameters, draw_units, perturb,
};
use vcsim::validation::{self, quantitative};

/// Draws of the quick mode unless `--draws` is given.
const QUICK_DRAWS: usize = 4;

/// Draws of the full mode unless `--draws` is given.
const FULL_DRAWS: usize = 50;

/// Arguments of `vcsim robustness`.
#[derive(Clone, Debug, Args, Serialize, Deserialize)]
pub struct RobustnessArgs {
    /// Perturbed draws (each a whole validation), besides the unperturbed model
    /// [default: 50, or 4 with --quick].
    #[arg(long, value_name = "N")]
    draws: Option<usize>,
    /// Half-width of each factor's range: every assumed parameter is multiplied by a
    /// factor in [1 - spread, 1 + spread] (at most 0.9).
    #[arg(
        long,
        value_name = "S",
        default_value_t = 0.25,
        allow_negative_numbers = true
    )]
    spread: f64,
    /// Seed of the Latin-hypercube design (the simulations keep their own seeds).
    #[arg(long, value_name = "SEED", default_value_t = 1)]
    seed: u64,
    /// Only this claim (repeatable); as with `vcsim validate`, the protocols of the
    /// quantitative agreement then do not run.
    #[arg(long = "claim", value_name = "ID")]
    claims: Vec<String>,
    /// Quick mode: `vcsim validate --quick`'s sizes (4 replicates, small wells and
    /// segments) and 4 draws unless --draws is given.
    #[arg(long)]
    quick: bool,
    #[command(flatten)]
    flags: RunFlags,
    #[command(flatten)]
    backend: BackendFlags,
}

impl RobustnessArgs {
    /// The result folder (`--out`).
    pub(super) fn with_out(mut self, out: PathBuf) -> Self {
        self.flags.out = Some(out);
        self
    }
}

/// What the manifest records.
#[derive(Serialize)]
struct Manifest<'a> {
    claims: Vec<&'static str>,
    draws: usize,
    spread: f64,
    design_seed: u64,
    perturbed_parameters: Vec<String>,
    mode: &'a str,
    runs: usize,
    runs_per_draw: usize,
    threads: usize,
    vcsim_version: &'static str,
    wall_time_s: f64,
}

fn robustness_error(e: RobustnessError) -> CliError {
    match e {
        RobustnessError::Spread(_) | RobustnessError::Draws(_) => CliError::invalid(e.to_string()),
        _ => CliError::runtime(e.to_string()),
    }
}

/// Runs `vcsim robustness`.
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
pub fn run(args: &RobustnessArgs) -> Result<(), CliError> {
    args.backend.check()?;
    run_mode(args, Mode::Run(&args.backend))
}

/// Runs `vcsim robustness` (or, in merge mode, only evaluates its finished job folder).
///
/// # Errors
/// Invalid input (exit 1) or runtime/I/O failure (exit 2).
#[expect(clippy::too_many_lines, reason = "one command, step by step")]
pub fn run_mode(args: &RobustnessArgs, mode: Mode<'_>) -> Result<(), CliError> {
    let flags = &args.flags;
    let merging = matches!(mode, Mode::Merge);
    flags.check()?;
    let count = args
        .draws
        .unwrap_or(if args.quick { QUICK_DRAWS } else { FULL_DRAWS });
    // `--parameters` values are the point the draws perturb: an assumed parameter the
    // file sets is perturbed around the file's value, and every draw (the unperturbed
    // draw 0 too) carries the file's other values.
    let base = flags.overrides()?;
    let mut parameters = assumed_parameters();
    for p in &mut parameters {
        if let Some(v) = base.get(p.module, p.field) {
            p.default = v;
        }
    }
    let mut draws =
        robustness::draws(&parameters, count, args.spread, args.seed).map_err(robustness_error)?;
    for draw in &mut draws {
        let mut values = base.clone();
        for (module, field, v) in draw.overrides.iter() {
            values
                .insert(module, field, v)
                .map_err(|e| CliError::invalid(format!("--parameters: {e}")))?;
        }
        draw.overrides = values;
    }
    let claims = validation::select(&args.claims).invalid()?;
    let out = flags.out_or(if args.quick {
        "robustness-quick"
    } else {
        "robustness"
    });
    let mut experiments = validation::experiments_for(&claims, args.quick).runtime()?;
    let claim_experiments = experiments.len();
    let evidence = if args.claims.is_empty() {
        let dataset = Dataset::committed().runtime()?;
        let protocols = Protocols::committed(&dataset).runtime()?;
        experiments.extend(quantitative::protocol_experiments(&protocols, args.quick).runtime()?);
        Some((dataset, protocols))
    } else {
        None
    };
    let out = std::path::absolute(&out).unwrap_or(out);
    if !merging && args.backend.backend == Backend::Local {
        let runs = experiments.iter().flat_map(|e| {
            e.arms
                .iter()
                .flat_map(|arm| std::iter::repeat_n(&arm.scenario, e.replicates))
        });
        flags.check_memory(
            memory::estimate_runs(runs, flags.threads),
            &format!("the robustness analysis ({} claims)", claims.len()),
        )?;
    }
    let _lock = preflight(&out, flags.force)?;
    let mut units = Vec::new();
    for draw in &draws {
        let perturbed = perturb(&experiments, &draw.overrides).map_err(robustness_error)?;
        units.extend(draw_units(draw.number, &perturbed));
    }
    let total = units.len();
    let per_draw = total / draws.len();
    let clock = Instant::now();
    let mut stored = args.clone();
    stored.flags.out = Some(out.clone());
    stored.flags.absolute_parameters();
    let scored = super::jobs::ScoredJob {
        out: &out,
        command: "robustness",
        discard_other: flags.force && !merging,
        mode,
        stored: &super::merge::Stored::Robustness(stored),
        threads: flags.threads,
        quiet: flags.quiet,
        context: "the robustness analysis",
    };
    let Some(job) = scored.run(units)? else {
        return Ok(());
    };
    let wall_time_s = clock.elapsed().as_secs_f64();
    // Each draw is read back from its unit folders and scored on its own, so only one
    // draw's time series are held at a time. The runs' order and arms do not depend on
    // the parameters, so the unperturbed experiments index them.
    let mut outcomes = Vec::with_capacity(draws.len());
    let mut rows = Vec::new();
    for draw in &draws {
        let runs = validation::read_units_at(&job, &experiments, draw.number * per_draw)
            .map_err(|e| CliError::runtime(e.to_string()))?;
        let (claim_runs, protocol_runs) = runs.split_at(claim_experiments);
        let (outcome, predictions) = robustness::score(
            draw.number,
            &claims,
            &experiments[..claim_experiments],
            claim_runs,
            evidence
                .as_ref()
                .map(|(dataset, protocols)| robustness::ProtocolRuns {
                    dataset,
                    protocols,
                    experiments: &experiments[claim_experiments..],
                    runs: protocol_runs,
                }),
        )
        .map_err(robustness_error)?;
        if draw.number == 0
            && let Some(p) = &predictions
        {
            rows = robustness::row_info(p);
        }
        outcomes.push(outcome);
    }
    let report = Robustness {
        claims: claims.clone(),
        parameters,
        spread: args.spread,
        seed: args.seed,
        draws,
        outcomes,
        rows,
    };
    let mode_name = if args.quick { "quick" } else { "full" };
    let temporary = temporary_beside(&out)?;
    let result = (|| -> anyhow::Result<()> {
        write_file(temporary.path(), "robustness.csv", |w| {
            robustness::write_csv(w, &report)
        })?;
        write_file(temporary.path(), "robustness_factors.csv", |w| {
            robustness::write_factors_csv(w, &report)
        })?;
        write_file(temporary.path(), "robustness.md", |w| {
            robustness::write_markdown(w, &report, mode_name)
        })?;
        let manifest = Manifest {
            claims: claims.iter().map(|c| c.id).collect(),
            draws: count,
            spread: args.spread,
            design_seed: args.seed,
            perturbed_parameters: report
                .parameters
                .iter()
                .map(robustness::AssumedParameter::name)
                .collect(),
            mode: mode_name,
            runs: total,
            runs_per_draw: per_draw,
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
            "the robustness analysis stopped while its report was written",
            Some(temporary.path()),
            &out,
        ));
    }
    move_into_place(temporary, &out, flags.force)?;
    super::jobs::discard_scored(job);
    if let Some(signal) = super::received_signal() {
        return Err(super::interrupted(
            signal,
            &format!(
                "the result in {} is complete; its figure was not drawn",
                out.display()
            ),
        ));
    }
    let figures = if flags.no_plots {
        Vec::new()
    } else {
        vcsim::render::plot_robustness_folder(
            &out,
            &PlotOptions {
                style: Style::Talk,
                format: Format::Both,
                only: Vec::new(),
            },
        )
        .map_err(|e| CliError::new(ExitKind::Runtime, e))?
    };
    if !flags.quiet {
        let mut lines = vec![format!(
            "robustness: {} assumed parameters x {count} draws (spread ±{:.0}%) + the \
             unperturbed model: {total} runs in {wall_time_s:.1} s",
            report.parameters.len(),
            100.0 * args.spread
        )];
        lines.extend(
            robustness::headline(&report)
                .into_iter()
                .map(|l| format!("  {l}")),
        );
        lines.push(format!("report: {}", out.join("robustness.md").display()));
        let pngs: Vec<String> = figures
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "png"))
            .map(|f| f.display().to_string())
            .collect();
        if !pngs.is_empty() {
            lines.push(format!("figures: {}", pngs.join(", ")));
        }
        super::note(&lines.join("\n"));
    }
    Ok(())
}
