//! Running an experiment (arms × replicates, independent runs in parallel) and
//! summarising its readouts with paired statistics.

use crate::experiment::design::Experiment;
use crate::record::summary::{SummaryRow, write_summary};
use crate::record::{Column, TimeseriesRow};
use crate::scenario::Scenario;
use crate::sim::Recorded;
use crate::stats::{Paired, Summary, holm, paired, summarise};
use std::io::{self, Write};

/// The readouts summarised at the end of each run (labelled in `summary.csv` and
/// `summary.md` by [`Column::summary_label`]).
///
/// Calcium comes first as the whole lattice's content (`calcium_ug`, which a treatment
/// that kills cells cannot raise by shrinking the denominator), then over the protein of
/// all cells and over the protein of the living cells only.
pub const READOUTS: [Column; 21] = [
    Column::CalciumUg,
    Column::CalciumUgPerMgTotalProtein,
    Column::CalciumUgPerMgProtein,
    Column::AlizarinPositiveAreaFraction,
    Column::AlpMean,
    Column::FractionOsteogenic,
    Column::ApoptoticDeathsCumulative,
    Column::ApoptosisIndex,
    Column::Grp78Mean,
    Column::ChopMean,
    Column::Atf4Mean,
    Column::Xbp1sMean,
    Column::PEif2aMean,
    Column::Caspase12Mean,
    Column::PJnkMean,
    Column::Lc3iiAutophagyMean,
    Column::Mtorc1Mean,
    Column::Runx2Mean,
    Column::AlphaSmaMean,
    Column::MatrixVesicles,
    Column::MineralTotalPmol,
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

/// One run of an experiment: an arm's scenario with a replicate's seed.
#[derive(Clone, Debug)]
pub struct ExperimentUnit {
    /// Arm index.
    pub arm: usize,
    /// Replicate index (0-based; folder `rep<replicate + 1>`).
    pub replicate: usize,
    /// The posterior draw's slot (0-based; folder `draw<slot + 1>`) in an experiment run
    /// over posterior draws ([`posterior_units`]); `None` otherwise.
    pub draw: Option<usize>,
    /// The scenario it runs.
    pub scenario: Scenario,
}

/// Every run of `experiment`, arm by arm, replicate by replicate.
#[must_use]
pub fn experiment_units(experiment: &Experiment) -> Vec<ExperimentUnit> {
    experiment
        .arms
        .iter()
        .enumerate()
        .flat_map(|(arm, a)| {
            (0..experiment.replicates).map(move |replicate| ExperimentUnit {
                arm,
                replicate,
                draw: None,
                scenario: replicate_scenario(&a.scenario, replicate),
            })
        })
        .collect()
}

/// Where a unit's run folder lives in the experiment folder: `<arm folder>/rep<i>`, or
/// `<arm folder>/draw<d>/rep<i>` in an experiment over posterior draws.
#[must_use]
pub fn unit_folder(experiment: &Experiment, unit: &ExperimentUnit) -> String {
    let arm = &experiment.arms[unit.arm].slug;
    match unit.draw {
        None => format!("{arm}/rep{}", unit.replicate + 1),
        Some(d) => format!("{arm}/draw{}/rep{}", d + 1, unit.replicate + 1),
    }
}

/// The recorded time series of one finished run, all the summary needs of it.
#[derive(Clone, Debug)]
pub struct ReplicateSeries {
    /// Arm index.
    pub arm: usize,
    /// Replicate index.
    pub replicate: usize,
    /// Its `timeseries.csv`.
    pub timeseries: Vec<TimeseriesRow>,
}

/// The value of `column` at the end of a run (NaN for a run without rows).
fn final_value(rows: &[TimeseriesRow], column: Column) -> f64 {
    rows.last().map_or(f64::NAN, |r| r.get(column))
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
pub fn summarise_experiment(
    experiment: &Experiment,
    runs: &[ReplicateSeries],
) -> Vec<Vec<ArmReadout>> {
    READOUTS
        .iter()
        .map(|&column| {
            let values = |arm: usize| -> Vec<f64> {
                let mut by_replicate: Vec<(usize, f64)> = runs
                    .iter()
                    .filter(|r| r.arm == arm)
                    .map(|r| (r.replicate, final_value(&r.timeseries, column)))
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

/// The rows of `summary.csv`: per readout, per arm.
#[must_use]
pub fn summary_rows(experiment: &Experiment, table: &[Vec<ArmReadout>]) -> Vec<SummaryRow> {
    let mut rows = Vec::new();
    for (&column, arms) in READOUTS.iter().zip(table) {
        let readout = column.summary_label();
        for (arm, r) in experiment.arms.iter().zip(arms) {
            let s = r.summary;
            let c = r.versus_control;
            let of = |f: fn(&Paired) -> f64| c.as_ref().map_or(f64::NAN, f);
            rows.push(SummaryRow {
                readout: readout.clone(),
                column,
                arm: arm.name.clone(),
                n: s.n,
                mean: s.mean,
                sd: s.sd,
                ci95_low: s.ci_low,
                ci95_high: s.ci_high,
                difference_vs_control: of(|p| p.difference),
                difference_ci95_low: of(|p| p.difference_ci.0),
                difference_ci95_high: of(|p| p.difference_ci.1),
                ratio_vs_control: of(|p| p.ratio),
                ratio_ci95_low: of(|p| p.ratio_ci.0),
                ratio_ci95_high: of(|p| p.ratio_ci.1),
                p_value_paired_t: of(|p| p.p_value),
                p_value_holm: f64::NAN,
            });
        }
    }
    let adjusted = holm(&rows.iter().map(|r| r.p_value_paired_t).collect::<Vec<_>>());
    for (row, p) in rows.iter_mut().zip(adjusted) {
        row.p_value_holm = p;
    }
    rows
}

/// Holm-adjusted p-values of `table`, `[readout][arm]` (NaN for control and where the test
/// does not exist), over the same family as [`summary_rows`].
fn holm_table(table: &[Vec<ArmReadout>]) -> Vec<Vec<f64>> {
    let raw: Vec<f64> = table
        .iter()
        .flatten()
        .map(|r| r.versus_control.map_or(f64::NAN, |c| c.p_value))
        .collect();
    let adjusted = holm(&raw);
    let arms = table.first().map_or(0, Vec::len);
    adjusted.chunks(arms.max(1)).map(<[f64]>::to_vec).collect()
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
    write_summary(out, &summary_rows(experiment, table))
}

/// A number for `summary.md`; `n/a` for one that does not exist (NaN, see the note
/// [`write_summary_md`] writes).
pub(crate) fn short(v: f64) -> String {
    if v.is_nan() {
        "n/a".to_string()
    } else if v != 0.0 && (v.abs() < 0.01 || v.abs() >= 1e4) {
        format!("{v:.2e}")
    } else {
        format!("{v:.3}")
    }
}

/// The headline of an experiment: for its first readout (calcium content), each arm's
/// ratio to control with its 95% CI and the paired p-value (raw and Holm-adjusted), one
/// line per arm; the control's mean first.
#[must_use]
pub fn headline(experiment: &Experiment, table: &[Vec<ArmReadout>]) -> Vec<String> {
    let (Some(column), Some(arms), Some(holm_p)) = (
        READOUTS.first(),
        table.first(),
        holm_table(table).into_iter().next(),
    ) else {
        return Vec::new();
    };
    let label = column.summary_label();
    let mut lines = Vec::new();
    for ((arm, r), adjusted) in experiment.arms.iter().zip(arms).zip(holm_p) {
        lines.push(match r.versus_control {
            None => format!(
                "{}: {label} {} (reference)",
                arm.name,
                short(r.summary.mean)
            ),
            Some(c) => format!(
                "{}: {label} x{} [{}, {}] of the reference, p = {} (Holm {})",
                arm.name,
                short(c.ratio),
                short(c.ratio_ci.0),
                short(c.ratio_ci.1),
                short(c.p_value),
                short(adjusted)
            ),
        });
    }
    lines
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
    let holm_p = holm_table(table);
    let comparisons = holm_p.iter().flatten().filter(|p| !p.is_nan()).count();
    let replicates = match experiment.replicates {
        1 => "1 replicate".to_string(),
        n => format!("{n} replicates"),
    };
    writeln!(
        out,
        "{replicates} per arm; replicate i of every arm shares its seed (paired design). \
         Values are at the end of the run: mean [95% CI, Student t]; versus control the \
         paired difference and ratio (geometric mean of within-pair ratios) with 95% CIs, \
         the two-sided paired t-test p-value and, in brackets, the p-value adjusted for \
         multiple comparisons by Holm's step-down method over all {comparisons} comparisons \
         of this report (every readout of every arm versus control); judge an effect by the \
         adjusted value. The paired t-test does not exist when every pair differs by the \
         same amount (n/a). n/a marks a value that does not exist: an \
         SD or CI needs two replicates with a value and a mean one (a readout of the living \
         cells has none in a run where no cell is alive at the end), a ratio needs positive \
         values; `n` in summary.csv counts the replicates with a value.\n"
    )?;
    for ((column, arms), holm_p) in READOUTS.iter().zip(table).zip(&holm_p) {
        writeln!(out, "## {}\n", column.summary_label())?;
        writeln!(
            out,
            "| arm | mean [95% CI] | difference vs control [95% CI] | ratio [95% CI] | p [Holm] |"
        )?;
        writeln!(out, "|---|---|---|---|---|")?;
        for ((arm, r), adjusted) in experiment.arms.iter().zip(arms).zip(holm_p) {
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
                        format!("{} [{}]", short(c.p_value), short(*adjusted)),
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
