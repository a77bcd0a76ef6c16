//! An experiment run over draws of a posterior sample (`vcsim compare --posterior FILE
//! --draws K`): every arm × replicate is run under each of K parameter draws, and each
//! effect versus control gets an interval that combines parameter uncertainty (which
//! draw) with stochastic uncertainty (which replicate).
//!
//! - **Choosing the draws.** K draws are taken from the posterior by systematic
//!   resampling of its weights (Kitagawa 1996): one uniform offset `u` in `[0, 1/K)`,
//!   drawn from the experiment's seed, and the points `u + j/K`, `j = 0..K`, each
//!   picking the draw whose cumulative weight interval holds it. A draw of weight `w` is
//!   chosen `floor(Kw)` or `ceil(Kw)` times; the same seed always chooses the same
//!   draws. Chosen draws are equally weighted afterwards.
//! - **Seeds.** Slot `d` (0-based) and replicate `r` of every arm run with the seed
//!   `base + d·R + r` (R replicates): paired within a draw, a separate seed block per
//!   draw. Slot 0 uses the seeds of the experiment without a posterior.
//! - **Parameters.** The draw's values are laid over each arm's scenario with
//!   [`ParameterOverrides::apply`]: a value an arm sets itself is kept.
//! - **Combined interval.** A two-level (hierarchical) percentile bootstrap with
//!   [`BOOTSTRAP_ROUNDS`] rounds: each round resamples K slots with replacement, then
//!   within each resampled slot R replicate pairs with replacement, and computes the
//!   statistic over the resampled pairs (the mean of an arm, the mean paired difference,
//!   the geometric mean of within-pair ratios). The 2.5 and 97.5 percentiles of the
//!   rounds bound the 95% interval. Resampling the draws carries the spread between
//!   parameter values; resampling replicates within a draw carries the run-to-run
//!   noise. The bootstrap's random stream is keyed by the experiment's seed and the
//!   readout, so the interval is the same on every machine and thread count.
//! - **Between-draw spread.** The SD over the K slots of each slot's mean paired
//!   difference, and the smallest and largest of the slots' ratios.

use crate::experiment::compare::{
    ArmReadout, ExperimentUnit, READOUTS, ReplicateSeries, short, summarise_experiment,
    summary_rows,
};
use crate::experiment::design::Experiment;
use crate::random::splitmix;
use crate::record::table;
use crate::record::{Column, TimeseriesRow};
use crate::scenario::{ParameterOverrides, PosteriorDraw};
use crate::stats::paired;
use serde::Serialize;
use std::io::{self, Write};

/// [1] The most posterior draws an experiment runs (`--draws`).
pub const MAX_DRAWS: usize = 1000;

/// [1] Rounds of the two-level bootstrap of the combined interval. 2000 rounds put the
/// Monte Carlo error of a 2.5% percentile near 0.35 percentage points of coverage
/// (binomial SD of 0.025 over 2000), small beside the interval itself.
pub const BOOTSTRAP_ROUNDS: usize = 2000;

/// Mixed into the experiment's seed for the choice of draws (a constant so that the
/// choice does not share a stream with the simulation's seeds).
const CHOICE_KEY: u64 = 0x706f_7374_6572_696f; // "posterio"

/// Mixed into the experiment's seed for the bootstrap.
const BOOTSTRAP_KEY: u64 = 0x626f_6f74_7374_7270; // "bootstrp"

/// A uniform number in `[0, 1)` from a 64-bit value (its top 53 bits).
#[expect(clippy::cast_precision_loss, reason = "53 bits are exact in an f64")]
fn unit_interval(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// An index in `0..n` from a 64-bit value.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    reason = "the product is in [0, n) and n is small"
)]
fn index_below(bits: u64, n: usize) -> usize {
    ((unit_interval(bits) * n as f64) as usize).min(n - 1)
}

/// Systematic resampling: `k` indices into `weights` (which need not sum exactly to 1;
/// they are normalised), with the offset `u` in `[0, 1/k)` drawn from `key`. Returns
/// the offset and the indices in increasing order. Empty for `k = 0` or no positive
/// weight.
#[must_use]
#[expect(clippy::cast_precision_loss, reason = "draw counts are small")]
pub fn systematic_resample(weights: &[f64], k: usize, key: u64) -> (f64, Vec<usize>) {
    let total: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
    if k == 0 || total <= 0.0 {
        return (f64::NAN, Vec::new());
    }
    let offset = unit_interval(splitmix(key)) / k as f64;
    let clean: Vec<f64> = weights
        .iter()
        .map(|w| if w.is_finite() && *w > 0.0 { *w } else { 0.0 })
        .collect();
    let cumulative: Vec<f64> = clean
        .iter()
        .scan(0.0, |sum, w| {
            *sum += w;
            Some(*sum)
        })
        .collect();
    let mut chosen = Vec::with_capacity(k);
    let mut i = 0;
    for j in 0..k {
        let point = (offset + j as f64 / k as f64) * total;
        // The first draw of positive weight whose cumulative weight passes the point.
        while i + 1 < clean.len() && (clean[i] == 0.0 || point >= cumulative[i]) {
            i += 1;
        }
        // Rounding at the top end can run past the last positive weight: step back.
        while clean[i] == 0.0 && i > 0 {
            i -= 1;
        }
        chosen.push(i);
    }
    (offset, chosen)
}

/// The draws an experiment runs: which, chosen how.
#[derive(Clone, Debug)]
pub struct PosteriorPlan {
    /// The posterior file as given.
    pub file: String,
    /// Draws in the file.
    pub available: usize,
    /// The systematic resampling offset `u` in `[0, 1/K)`.
    pub offset: f64,
    /// The chosen draws, slot by slot (a draw may fill several slots).
    pub draws: Vec<PosteriorDraw>,
}

impl PosteriorPlan {
    /// Chooses `k` draws of `posterior` by systematic resampling keyed by `seed`.
    #[must_use]
    pub fn choose(file: &str, posterior: &[PosteriorDraw], k: usize, seed: u64) -> Self {
        let weights: Vec<f64> = posterior.iter().map(|d| d.weight).collect();
        let (offset, chosen) = systematic_resample(&weights, k, seed ^ CHOICE_KEY);
        Self {
            file: file.to_string(),
            available: posterior.len(),
            offset,
            draws: chosen.into_iter().map(|i| posterior[i].clone()).collect(),
        }
    }

    /// The number of slots K.
    #[must_use]
    pub fn slots(&self) -> usize {
        self.draws.len()
    }
}

/// Every run of `experiment` over the draws of `plan`: arm by arm, slot by slot,
/// replicate by replicate. Slot `d`, replicate `r` of every arm runs with the arm's
/// seed + `d·R + r`, under the slot's parameter values laid over the arm's scenario,
/// then `parameters` (a parameter file) for what neither the arm nor the draw sets.
///
/// # Errors
/// A scenario that does not validate with a draw's values, naming the arm and the draw.
pub fn posterior_units(
    experiment: &Experiment,
    plan: &PosteriorPlan,
    parameters: Option<&ParameterOverrides>,
) -> Result<Vec<ExperimentUnit>, String> {
    let replicates = experiment.replicates;
    let mut units = Vec::new();
    for (arm, a) in experiment.arms.iter().enumerate() {
        for (slot, draw) in plan.draws.iter().enumerate() {
            let mut scenario = draw
                .values
                .apply(&a.scenario)
                .map_err(|e| format!("{}: draw {}: arm `{}`: {e}", plan.file, draw.draw, a.name))?;
            if let Some(parameters) = parameters.filter(|p| !p.is_empty()) {
                scenario = parameters
                    .apply(&scenario)
                    .map_err(|e| format!("--parameters: arm `{}`: {e}", a.name))?;
            }
            for replicate in 0..replicates {
                let offset = (slot * replicates + replicate) as u64;
                let seed = scenario.meta.seed.wrapping_add(offset);
                units.push(ExperimentUnit {
                    arm,
                    replicate,
                    draw: Some(slot),
                    scenario: scenario.clone().with_seed(seed),
                });
            }
        }
    }
    Ok(units)
}

/// The interval of one readout of one arm over the posterior draws.
#[derive(Clone, Copy, Debug)]
pub struct Combined {
    /// 95% interval of the arm's mean, parameter and stochastic uncertainty combined.
    pub mean_ci: (f64, f64),
    /// 95% interval of the paired difference arm - control (NaN for control).
    pub difference_ci: (f64, f64),
    /// 95% interval of the ratio to control (geometric mean of within-pair ratios).
    pub ratio_ci: (f64, f64),
    /// SD over the draws of each draw's mean paired difference (NaN for control or one
    /// draw).
    pub difference_between_draws_sd: f64,
    /// The smallest and the largest of the draws' ratios to control.
    pub ratio_between_draws: (f64, f64),
}

/// One readout of one arm: the pooled statistics of all runs (as without a posterior)
/// and the combined interval.
#[derive(Clone, Copy, Debug)]
pub struct PosteriorReadout {
    /// Statistics over all draws × replicates, pairs matched by draw and replicate.
    pub pooled: ArmReadout,
    /// Intervals over the draws.
    pub combined: Combined,
}

/// One finished run of an experiment over posterior draws.
#[derive(Clone, Debug)]
pub struct DrawSeries {
    /// The slot of its draw (0-based).
    pub draw: usize,
    /// Arm, replicate and time series.
    pub series: ReplicateSeries,
}

/// The value of `column` at the end of a run (NaN for a run without rows).
fn final_value(rows: &[TimeseriesRow], column: Column) -> f64 {
    rows.last().map_or(f64::NAN, |r| r.get(column))
}

/// The 2.5 and 97.5 percentiles (linear interpolation) of the finite values.
#[expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "round counts are small"
)]
fn percentile_interval(values: &mut Vec<f64>) -> (f64, f64) {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    values.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let position = q * (values.len() - 1) as f64;
        let below = position.floor() as usize;
        let above = (below + 1).min(values.len() - 1);
        let fraction = position - below as f64;
        values[below] + fraction * (values[above] - values[below])
    };
    (at(0.025), at(0.975))
}

/// Mean of the finite values (NaN for none).
#[expect(clippy::cast_precision_loss, reason = "counts are small")]
fn finite_mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values
        .filter(|v| v.is_finite())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { f64::NAN } else { sum / n as f64 }
}

/// Sample SD of the finite values (NaN for fewer than two).
#[expect(clippy::cast_precision_loss, reason = "counts are small")]
fn finite_sd(values: &[f64]) -> f64 {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.len() < 2 {
        return f64::NAN;
    }
    let mean = finite.iter().sum::<f64>() / finite.len() as f64;
    (finite.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (finite.len() - 1) as f64).sqrt()
}

/// Per readout, per arm: pooled statistics and combined intervals of an experiment run
/// over `draws` posterior slots. `seed` keys the bootstrap (the experiment's seed).
#[must_use]
pub fn summarise_posterior(
    experiment: &Experiment,
    draws: usize,
    runs: &[DrawSeries],
    seed: u64,
) -> Vec<Vec<PosteriorReadout>> {
    let replicates = experiment.replicates;
    let arms = experiment.arms.len();
    // Pooled: every run as one replicate of its arm, numbered slot by slot so that the
    // pairs match by draw and replicate.
    let pooled_runs: Vec<ReplicateSeries> = runs
        .iter()
        .map(|r| ReplicateSeries {
            arm: r.series.arm,
            replicate: r.draw * replicates + r.series.replicate,
            timeseries: r.series.timeseries.clone(),
        })
        .collect();
    let pooled = summarise_experiment(experiment, &pooled_runs);
    READOUTS
        .iter()
        .zip(pooled)
        .enumerate()
        .map(|(readout, (&column, pooled))| {
            // values[arm][slot][replicate]
            let mut values = vec![vec![vec![f64::NAN; replicates]; draws]; arms];
            for r in runs {
                if r.series.arm < arms && r.draw < draws && r.series.replicate < replicates {
                    values[r.series.arm][r.draw][r.series.replicate] =
                        final_value(&r.series.timeseries, column);
                }
            }
            let combined = bootstrap(&values, seed ^ BOOTSTRAP_KEY ^ splitmix(readout as u64));
            pooled
                .into_iter()
                .zip(combined)
                .map(|(pooled, combined)| PosteriorReadout { pooled, combined })
                .collect()
        })
        .collect()
}

/// The combined intervals of every arm of one readout, `values[arm][slot][replicate]`.
fn bootstrap(values: &[Vec<Vec<f64>>], key: u64) -> Vec<Combined> {
    let arms = values.len();
    let draws = values.first().map_or(0, Vec::len);
    let replicates = values.first().and_then(|a| a.first()).map_or(0, Vec::len);
    let mut means = vec![Vec::with_capacity(BOOTSTRAP_ROUNDS); arms];
    let mut differences = vec![Vec::with_capacity(BOOTSTRAP_ROUNDS); arms];
    let mut ratios = vec![Vec::with_capacity(BOOTSTRAP_ROUNDS); arms];
    if draws > 0 && replicates > 0 {
        let mut counter = 0u64;
        let mut next = || {
            counter += 1;
            splitmix(key ^ counter.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        };
        let mut picks = Vec::with_capacity(draws * replicates);
        for _ in 0..BOOTSTRAP_ROUNDS {
            picks.clear();
            for _ in 0..draws {
                let d = index_below(next(), draws);
                for _ in 0..replicates {
                    picks.push((d, index_below(next(), replicates)));
                }
            }
            let control = &values[0];
            for arm in 0..arms {
                let own = &values[arm];
                means[arm].push(finite_mean(picks.iter().map(|&(d, r)| own[d][r])));
                if arm > 0 {
                    differences[arm].push(finite_mean(
                        picks.iter().map(|&(d, r)| own[d][r] - control[d][r]),
                    ));
                    let logs = picks.iter().map(|&(d, r)| {
                        let (a, c) = (own[d][r], control[d][r]);
                        if a > 0.0 && c > 0.0 {
                            (a / c).ln()
                        } else {
                            f64::NAN
                        }
                    });
                    ratios[arm].push(finite_mean(logs).exp());
                }
            }
        }
    }
    (0..arms)
        .map(|arm| {
            let per_draw: Vec<_> = (0..draws)
                .map(|d| paired(&values[arm][d], &values[0][d]))
                .collect();
            let per_draw_ratios: Vec<f64> = per_draw
                .iter()
                .map(|p| p.ratio)
                .filter(|r| r.is_finite())
                .collect();
            let none = (f64::NAN, f64::NAN);
            Combined {
                mean_ci: percentile_interval(&mut means[arm]),
                difference_ci: if arm > 0 {
                    percentile_interval(&mut differences[arm])
                } else {
                    none
                },
                ratio_ci: if arm > 0 {
                    percentile_interval(&mut ratios[arm])
                } else {
                    none
                },
                difference_between_draws_sd: if arm > 0 {
                    finite_sd(&per_draw.iter().map(|p| p.difference).collect::<Vec<_>>())
                } else {
                    f64::NAN
                },
                ratio_between_draws: if arm > 0 && !per_draw_ratios.is_empty() {
                    (
                        per_draw_ratios
                            .iter()
                            .copied()
                            .fold(f64::INFINITY, f64::min),
                        per_draw_ratios
                            .iter()
                            .copied()
                            .fold(f64::NEG_INFINITY, f64::max),
                    )
                } else {
                    none
                },
            }
        })
        .collect()
}

/// The columns `summary.csv` gains in an experiment over posterior draws, after the
/// columns of [`crate::record::summary::SUMMARY_COLUMNS`].
pub const POSTERIOR_COLUMNS: [&str; 10] = [
    "draws",
    "mean_combined_ci95_low",
    "mean_combined_ci95_high",
    "difference_combined_ci95_low",
    "difference_combined_ci95_high",
    "ratio_combined_ci95_low",
    "ratio_combined_ci95_high",
    "difference_between_draws_sd",
    "ratio_between_draws_min",
    "ratio_between_draws_max",
];

/// The posterior columns of one row of `summary.csv` (empty where a value does not
/// exist).
#[derive(Serialize)]
struct PosteriorColumns {
    draws: usize,
    #[serde(serialize_with = "table::display_or_empty")]
    mean_combined_ci95_low: f64,
    #[serde(serialize_with = "table::display_or_empty")]
    mean_combined_ci95_high: f64,
    #[serde(serialize_with = "table::display_or_empty")]
    difference_combined_ci95_low: f64,
    #[serde(serialize_with = "table::display_or_empty")]
    difference_combined_ci95_high: f64,
    #[serde(serialize_with = "table::display_or_empty")]
    ratio_combined_ci95_low: f64,
    #[serde(serialize_with = "table::display_or_empty")]
    ratio_combined_ci95_high: f64,
    #[serde(serialize_with = "table::display_or_empty")]
    difference_between_draws_sd: f64,
    #[serde(serialize_with = "table::display_or_empty")]
    ratio_between_draws_min: f64,
    #[serde(serialize_with = "table::display_or_empty")]
    ratio_between_draws_max: f64,
}

/// One CSV line (without its line end) of `row` as `writer` would write it.
fn csv_line<T: Serialize>(row: &T) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(&mut bytes);
        w.serialize(row).map_err(table::io_error)?;
        w.flush()?;
    }
    while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        bytes.pop();
    }
    Ok(bytes)
}

/// Writes `summary.csv` of an experiment over `draws` posterior draws: the columns of an
/// experiment without a posterior (pooled over all runs) and then [`POSTERIOR_COLUMNS`].
///
/// # Errors
/// I/O errors of the writer.
pub fn write_posterior_summary_csv(
    out: &mut dyn Write,
    experiment: &Experiment,
    draws: usize,
    table: &[Vec<PosteriorReadout>],
) -> io::Result<()> {
    let pooled: Vec<Vec<ArmReadout>> = table
        .iter()
        .map(|arms| arms.iter().map(|r| r.pooled).collect())
        .collect();
    let rows = summary_rows(experiment, &pooled);
    // The header and the pooled columns exactly as summary.csv without a posterior.
    let mut base = Vec::new();
    crate::record::summary::write_summary(&mut base, &rows)?;
    let text = String::from_utf8(base).map_err(io::Error::other)?;
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    writeln!(out, "{header},{}", POSTERIOR_COLUMNS.join(","))?;
    let combined = table.iter().flatten().map(|r| r.combined);
    for (line, c) in lines.zip(combined) {
        let extra = csv_line(&PosteriorColumns {
            draws,
            mean_combined_ci95_low: c.mean_ci.0,
            mean_combined_ci95_high: c.mean_ci.1,
            difference_combined_ci95_low: c.difference_ci.0,
            difference_combined_ci95_high: c.difference_ci.1,
            ratio_combined_ci95_low: c.ratio_ci.0,
            ratio_combined_ci95_high: c.ratio_ci.1,
            difference_between_draws_sd: c.difference_between_draws_sd,
            ratio_between_draws_min: c.ratio_between_draws.0,
            ratio_between_draws_max: c.ratio_between_draws.1,
        })?;
        out.write_all(line.as_bytes())?;
        out.write_all(b",")?;
        out.write_all(&extra)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The headline of an experiment over posterior draws: for calcium content, each arm's
/// ratio to control with its combined 95% interval, one line per arm.
#[must_use]
pub fn posterior_headline(experiment: &Experiment, table: &[Vec<PosteriorReadout>]) -> Vec<String> {
    let (Some(column), Some(arms)) = (READOUTS.first(), table.first()) else {
        return Vec::new();
    };
    let label = column.summary_label();
    experiment
        .arms
        .iter()
        .zip(arms)
        .map(|(arm, r)| match r.pooled.versus_control {
            None => format!(
                "{}: {label} {} [{}, {}] (reference; parameter + stochastic 95% interval)",
                arm.name,
                short(r.pooled.summary.mean),
                short(r.combined.mean_ci.0),
                short(r.combined.mean_ci.1)
            ),
            Some(c) => format!(
                "{}: {label} x{} [{}, {}] of the reference (parameter + stochastic); draws x{} to x{}",
                arm.name,
                short(c.ratio),
                short(r.combined.ratio_ci.0),
                short(r.combined.ratio_ci.1),
                short(r.combined.ratio_between_draws.0),
                short(r.combined.ratio_between_draws.1)
            ),
        })
        .collect()
}

/// Writes `summary.md` of an experiment over posterior draws.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_posterior_summary_md(
    out: &mut dyn Write,
    experiment: &Experiment,
    plan: &PosteriorPlan,
    table: &[Vec<PosteriorReadout>],
) -> io::Result<()> {
    writeln!(out, "# {}\n\n{}\n", experiment.name, experiment.description)?;
    if !experiment.claims.is_empty() {
        writeln!(out, "Claims tested: {}.\n", experiment.claims.join(", "))?;
    }
    let chosen: Vec<String> = plan.draws.iter().map(|d| d.draw.to_string()).collect();
    writeln!(
        out,
        "Run over {k} draws of the posterior sample {file} ({available} draws in the file, \
         chosen by systematic resampling of their weights; draws {chosen}), {r} per arm \
         and draw. Replicate i of every arm under the same draw shares its seed (paired \
         design); each draw has its own block of seeds.\n\n\
         Values are at the end of the run. **Combined** is the 95% interval of a two-level \
         bootstrap ({rounds} rounds: resample the draws, then the replicates within each \
         draw), which carries both the parameter uncertainty of the posterior and the \
         run-to-run noise; judge an effect by it. **Between draws** is the spread of the \
         per-draw effects: the SD of the draws' mean differences and the range of their \
         ratios. The pooled mean and paired difference and ratio are over all draws x \
         replicates; summary.csv also has their Student t CIs and paired t-test p-values \
         over the pooled pairs, which treat the draws' parameter values as fixed and so \
         understate the uncertainty. n/a marks a value that does not exist.\n",
        k = plan.slots(),
        file = plan.file,
        available = plan.available,
        chosen = chosen.join(", "),
        r = match experiment.replicates {
            1 => "1 replicate".to_string(),
            n => format!("{n} replicates"),
        },
        rounds = BOOTSTRAP_ROUNDS,
    )?;
    for (column, arms) in READOUTS.iter().zip(table) {
        writeln!(out, "## {}\n", column.summary_label())?;
        writeln!(
            out,
            "| arm | mean [combined 95%] | difference vs control [combined 95%] | between draws: SD of difference | ratio [combined 95%] | between draws: ratio range |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        for (arm, r) in experiment.arms.iter().zip(arms) {
            let c = r.combined;
            let mean = format!(
                "{} [{}, {}]",
                short(r.pooled.summary.mean),
                short(c.mean_ci.0),
                short(c.mean_ci.1)
            );
            let line = match r.pooled.versus_control {
                None => format!("| {} | {mean} | (control) | | | |", arm.name),
                Some(p) => format!(
                    "| {} | {mean} | {} [{}, {}] | {} | {} [{}, {}] | {} to {} |",
                    arm.name,
                    short(p.difference),
                    short(c.difference_ci.0),
                    short(c.difference_ci.1),
                    short(c.difference_between_draws_sd),
                    short(p.ratio),
                    short(c.ratio_ci.0),
                    short(c.ratio_ci.1),
                    short(c.ratio_between_draws.0),
                    short(c.ratio_between_draws.1)
                ),
            };
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn systematic_resampling_follows_the_weights_and_the_seed() {
        let weights = [0.5, 0.0, 0.25, 0.25];
        let (offset, chosen) = systematic_resample(&weights, 4, 11);
        assert!((0.0..0.25).contains(&offset));
        assert_eq!(chosen, [0, 0, 2, 3]);
        assert_eq!(systematic_resample(&weights, 4, 11).1, chosen);
        // Each draw is chosen floor(Kw) or ceil(Kw) times; zero weights never.
        for key in 0..50 {
            let (_, chosen) = systematic_resample(&[0.3, 0.0, 0.7], 10, key);
            let count = |i| chosen.iter().filter(|c| **c == i).count();
            assert_eq!((count(0), count(1), count(2)), (3, 0, 7), "key {key}");
        }
        let (_, chosen) = systematic_resample(&[0.15, 0.85], 2, 3);
        assert_eq!(chosen.len(), 2);
        assert!(systematic_resample(&[0.0, 0.0], 3, 1).1.is_empty());
    }

    #[test]
    fn the_interval_covers_the_between_draw_spread() {
        // Two arms, 3 draws x 2 replicates; the effect is 1 under draw 0, 2, 3.
        let control = vec![vec![10.0, 11.0]; 3];
        let arm = vec![vec![11.0, 12.0], vec![12.0, 13.0], vec![13.0, 14.0]];
        let combined = bootstrap(&[control.clone(), arm], 5);
        let c = combined[1];
        assert!(c.difference_ci.0 >= 1.0 && c.difference_ci.0 < 1.5, "{c:?}");
        assert!(c.difference_ci.1 <= 3.0 && c.difference_ci.1 > 2.5, "{c:?}");
        assert!((c.difference_between_draws_sd - 1.0).abs() < 1e-12);
        // All draws alike: the difference is exactly 1 in every pair, a zero-width interval.
        let same = vec![vec![11.0, 12.0]; 3];
        let c = bootstrap(&[control, same], 5)[1];
        assert!((c.difference_ci.0 - 1.0).abs() < 1e-12 && (c.difference_ci.1 - 1.0).abs() < 1e-12);
        assert!(c.difference_between_draws_sd.abs() < 1e-12);
        assert!(combined[0].difference_ci.0.is_nan());
    }
}
