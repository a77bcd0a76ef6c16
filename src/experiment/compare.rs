//! Running an experiment (arms × replicates, independent runs in parallel) and
//! summarising its readouts with paired statistics.

use crate::experiment::design::Experiment;
use crate::record::{TIMESERIES_COLUMNS, TimeseriesRow};
use crate::scenario::Scenario;
use crate::sim::{Recorded, SimError, Simulation};
use crate::stats::{Paired, Summary, paired, summarise};
use rayon::prelude::*;
use std::io::{self, Write};

/// The readouts summarised at the end of each run: (label, `timeseries.csv` column).
pub const READOUTS: [(&str, &str); 19] = [
    (
        "calcium content (µg/mg protein)",
        "calcium_ug_per_mg_protein",
    ),
    (
        "Alizarin-positive area (fraction)",
        "alizarin_positive_area_fraction",
    ),
    ("ALP activity (mean per cell, fold)", "alp_mean"),
    ("fraction osteogenic", "fraction_osteogenic"),
    (
        "apoptotic deaths (cumulative)",
        "apoptotic_deaths_cumulative",
    ),
    ("apoptosis index", "apoptosis_index"),
    ("GRP78 (fold)", "grp78_mean"),
    ("CHOP (fold)", "chop_mean"),
    ("ATF4 (fold)", "atf4_mean"),
    ("XBP1s (fold)", "xbp1s_mean"),
    ("p-eIF2α (fold)", "p_eif2a_mean"),
    ("cleaved caspase-12 (fold)", "caspase12_mean"),
    ("p-JNK (fold)", "p_jnk_mean"),
    ("LC3-II / autophagy flux (fold)", "lc3ii_autophagy_mean"),
    ("mTORC1 (fold)", "mtorc1_mean"),
    ("Runx2 (fold)", "runx2_mean"),
    ("α-SMA (fold)", "alpha_sma_mean"),
    ("matrix vesicles (competence units)", "matrix_vesicles"),
    ("mineral (pmol Ca)", "mineral_total_pmol"),
];

/// One finished run.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// Arm index.
    pub arm: usize,
    /// Replicate index.
    pub replicate: usize,
    /// The scenario as run (with the replicate's seed).
    pub scenario: Scenario,
    /// What it recorded.
    pub recorded: Recorded,
}

/// The scenario of replicate `i` of an arm: the arm's scenario with seed `base + i`,
/// the same for every arm (paired design).
#[must_use]
pub fn replicate_scenario(scenario: &Scenario, replicate: usize) -> Scenario {
    scenario
        .clone()
        .with_seed(scenario.meta.seed.wrapping_add(replicate as u64))
}

/// Runs every arm × replicate, in parallel over runs, calling `done()` after each.
///
/// # Errors
/// The first failing run (by arm, then replicate).
pub fn run_experiment(
    experiment: &Experiment,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<RunResult>, SimError> {
    let jobs: Vec<(usize, usize)> = (0..experiment.arms.len())
        .flat_map(|a| (0..experiment.replicates).map(move |r| (a, r)))
        .collect();
    let results: Vec<Result<RunResult, SimError>> = jobs
        .par_iter()
        .map(|&(arm, replicate)| {
            let scenario = replicate_scenario(&experiment.arms[arm].scenario, replicate);
            let recorded = Simulation::new(&scenario)?.run(|_, _| {})?;
            done();
            Ok(RunResult {
                arm,
                replicate,
                scenario,
                recorded,
            })
        })
        .collect();
    results.into_iter().collect()
}

fn final_value(rows: &[TimeseriesRow], column: &str) -> f64 {
    let Some(i) = TIMESERIES_COLUMNS.iter().position(|c| *c == column) else {
        return f64::NAN;
    };
    rows.last().map_or(f64::NAN, |r| r.values[i])
}

/// The summary of one readout in one arm.
#[derive(Clone, Copy, Debug)]
pub struct ArmReadout {
    /// Summary of the replicates.
    pub summary: Summary,
    /// Versus control (None for the control arm).
    pub versus_control: Option<Paired>,
}

/// Per readout, per arm: summary and paired comparison with control (arm 0).
#[must_use]
pub fn summarise_experiment(experiment: &Experiment, runs: &[RunResult]) -> Vec<Vec<ArmReadout>> {
    READOUTS
        .iter()
        .map(|(_, column)| {
            let values = |arm: usize| -> Vec<f64> {
                let mut by_replicate: Vec<(usize, f64)> = runs
                    .iter()
                    .filter(|r| r.arm == arm)
                    .map(|r| (r.replicate, final_value(&r.recorded.timeseries, column)))
                    .collect();
                by_replicate.sort_by_key(|(i, _)| *i);
                by_replicate.into_iter().map(|(_, v)| v).collect()
            };
            let control = values(0);
            (0..experiment.arms.len())
                .map(|arm| {
                    let v = values(arm);
                    ArmReadout {
                        summary: summarise(&v),
                        versus_control: (arm > 0).then(|| paired(&v, &control)),
                    }
                })
                .collect()
        })
        .collect()
}

/// Writes `summary.csv`.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_summary_csv(
    out: &mut dyn Write,
    experiment: &Experiment,
    table: &[Vec<ArmReadout>],
) -> io::Result<()> {
    writeln!(
        out,
        "readout,column,arm,n,mean,sd,ci95_low,ci95_high,difference_vs_control,difference_ci95_low,difference_ci95_high,ratio_vs_control,ratio_ci95_low,ratio_ci95_high,p_value_paired_t"
    )?;
    for ((label, column), arms) in READOUTS.iter().zip(table) {
        for (arm, r) in experiment.arms.iter().zip(arms) {
            let s = r.summary;
            let c = r.versus_control.map_or([f64::NAN; 7], |p| {
                [
                    p.difference,
                    p.difference_ci.0,
                    p.difference_ci.1,
                    p.ratio,
                    p.ratio_ci.0,
                    p.ratio_ci.1,
                    p.p_value,
                ]
            });
            let rest: Vec<String> = c
                .iter()
                .map(|v| {
                    if v.is_nan() {
                        String::new()
                    } else {
                        v.to_string()
                    }
                })
                .collect();
            writeln!(
                out,
                "\"{label}\",{column},\"{}\",{},{},{},{},{},{}",
                arm.name,
                s.n,
                s.mean,
                s.sd,
                s.ci_low,
                s.ci_high,
                rest.join(",")
            )?;
        }
    }
    Ok(())
}

fn short(v: f64) -> String {
    if v.is_nan() {
        "–".to_string()
    } else if v != 0.0 && (v.abs() < 0.01 || v.abs() >= 1e4) {
        format!("{v:.2e}")
    } else {
        format!("{v:.3}")
    }
}

/// Writes `summary.md`, a readable report.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_summary_md(
    out: &mut dyn Write,
    experiment: &Experiment,
    table: &[Vec<ArmReadout>],
) -> io::Result<()> {
    writeln!(out, "# {}\n\n{}\n", experiment.name, experiment.description)?;
    if !experiment.claims.is_empty() {
        writeln!(out, "Claims tested: {}.\n", experiment.claims.join(", "))?;
    }
    writeln!(
        out,
        "{} replicates per arm; replicate i of every arm shares its seed (paired design). \
         Values are at the end of the run: mean [95% CI, Student t]; versus control the \
         paired difference and ratio (geometric mean of within-pair ratios) with 95% CIs and \
         the two-sided paired t-test p-value.\n",
        experiment.replicates
    )?;
    for ((label, _), arms) in READOUTS.iter().zip(table) {
        writeln!(out, "## {label}\n")?;
        writeln!(
            out,
            "| arm | mean [95% CI] | difference vs control [95% CI] | ratio [95% CI] | p |"
        )?;
        writeln!(out, "|---|---|---|---|---|")?;
        for (arm, r) in experiment.arms.iter().zip(arms) {
            let s = r.summary;
            let (d, ratio, p) = r.versus_control.map_or_else(
                || ("(control)".to_string(), String::new(), String::new()),
                |c| {
                    (
                        format!(
                            "{} [{}, {}]",
                            short(c.difference),
                            short(c.difference_ci.0),
                            short(c.difference_ci.1)
                        ),
                        format!(
                            "{} [{}, {}]",
                            short(c.ratio),
                            short(c.ratio_ci.0),
                            short(c.ratio_ci.1)
                        ),
                        short(c.p_value),
                    )
                },
            );
            writeln!(
                out,
                "| {} | {} [{}, {}] | {d} | {ratio} | {p} |",
                arm.name,
                short(s.mean),
                short(s.ci_low),
                short(s.ci_high)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}
