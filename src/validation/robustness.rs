//! Robustness of the claims report and of the quantitative agreement (`vcsim
//! robustness`): every parameter whose source is `assumed` is perturbed together, by a
//! Latin-hypercube factor in `[1 - spread, 1 + spread]` per parameter and draw, and the
//! whole validation (claims and protocols) is run again for each draw.
//!
//! - The factors come from [`latin_hypercube`] of [`crate::sensitivity`]: draw `k`
//!   (1-based) multiplies parameter `j` by `1 - spread + 2 · spread · u[k-1][j]`.
//! - A value is clamped to the parameter's allowed range, so the applied factor can be
//!   closer to 1 than the design's (the factors file holds the applied factor); a
//!   parameter at 0 stays 0.
//! - Every parameter of the table is a real number in the model: Hill and rate-law
//!   exponents (`drive_hill`, `nucleation_exponent`, `growth_exponent`) are perturbed as
//!   real numbers (a non-integral exponent is evaluated with `powf`), and the table has
//!   no switch or integer-valued parameter; a share such as `mtorc1_translation_share`
//!   is kept inside `[0, 1]` by the clamp.
//! - One draw is a [`ParameterOverrides`] laid over every arm of every claim and protocol
//!   experiment, so a value an experiment sets itself (a knockout, a scenario's own
//!   choice) is kept.
//! - Draw 0 is the unperturbed model (no overrides): the reference every distribution
//!   is compared with. Every draw uses the same simulation seeds (common random
//!   numbers), so differences between draws come from the parameters alone.

use super::quantitative::{self, Prediction, SetSummary};
use super::{Claim, ClaimResult, ClaimVerdict, Totals, ValidationError};
use crate::evidence::{Dataset, PaperSet, Protocols};
use crate::experiment::compare::ReplicateSeries;
use crate::experiment::design::Experiment;
use crate::jobs::JobUnit;
use crate::model::parameter_set::ModelParams;
use crate::model::parameters::ParamError;
use crate::references::Source;
use crate::scenario::ScenarioError;
use crate::scenario::overrides::ParameterOverrides;
use crate::sensitivity::design::{DesignError, latin_hypercube};
use crate::stats::quantile;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The largest `--spread`: a factor `1 - spread` must stay positive.
pub const MAX_SPREAD: f64 = 0.9;

/// The most draws of one robustness analysis.
pub const MAX_DRAWS: usize = 10_000;

/// The lower and upper quantile of the reported range (5% and 95%).
pub const RANGE_QUANTILES: (f64, f64) = (0.05, 0.95);

/// A problem of a robustness analysis.
#[derive(Debug, thiserror::Error)]
pub enum RobustnessError {
    /// `--spread` out of range.
    #[error("--spread must be in [0, {MAX_SPREAD}] (got {0})")]
    Spread(f64),
    /// `--draws` out of range.
    #[error("--draws must be in [1, {MAX_DRAWS}] (got {0})")]
    Draws(usize),
    /// The Latin hypercube could not be made.
    #[error("{0}")]
    Design(#[from] DesignError),
    /// A perturbed value was refused by the parameter table (a defect: values are
    /// clamped to the allowed range).
    #[error("{0}")]
    Parameter(#[from] ParamError),
    /// A perturbed scenario does not validate.
    #[error("{experiment}, arm {arm}: the perturbed scenario does not validate: {error}")]
    Scenario {
        /// Experiment.
        experiment: String,
        /// Arm.
        arm: String,
        /// Why.
        error: ScenarioError,
    },
    /// The validation itself failed.
    #[error("{0}")]
    Validation(#[from] ValidationError),
}

/// A parameter whose source is `assumed`, with its shipped value and allowed range.
#[derive(Clone, Debug, PartialEq)]
pub struct AssumedParameter {
    /// Module (pathway), e.g. `upr_core`.
    pub module: &'static str,
    /// Field name.
    pub field: &'static str,
    /// The shipped default value (in the parameter's own unit).
    pub default: f64,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
}

impl AssumedParameter {
    /// `module.field`.
    #[must_use]
    pub fn name(&self) -> String {
        format!("{}.{}", self.module, self.field)
    }
}

/// Every parameter of the table whose source is `assumed`, in table order.
#[must_use]
pub fn assumed_parameters() -> Vec<AssumedParameter> {
    ModelParams::default()
        .rows()
        .into_iter()
        .filter(|r| matches!(r.source, Source::Assumed(_)))
        .map(|r| AssumedParameter {
            module: r.module,
            field: r.field,
            default: r.value,
            min: r.min,
            max: r.max,
        })
        .collect()
}

/// One parameter draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Draw {
    /// 0 for the unperturbed model, then 1, 2, ...
    pub number: usize,
    /// The applied factor (value / default) of each assumed parameter, in
    /// [`assumed_parameters`] order (1 for a parameter at 0).
    pub factors: Vec<f64>,
    /// The values laid over every scenario (none for draw 0).
    pub overrides: ParameterOverrides,
}

/// The unperturbed draw 0 and `count` Latin-hypercube draws with factors in
/// `[1 - spread, 1 + spread]` (design seed `seed`).
///
/// # Errors
/// A spread outside `[0, MAX_SPREAD]` or a draw count outside `[1, MAX_DRAWS]`.
pub fn draws(
    parameters: &[AssumedParameter],
    count: usize,
    spread: f64,
    seed: u64,
) -> Result<Vec<Draw>, RobustnessError> {
    if !(0.0..=MAX_SPREAD).contains(&spread) {
        return Err(RobustnessError::Spread(spread));
    }
    if count == 0 || count > MAX_DRAWS {
        return Err(RobustnessError::Draws(count));
    }
    let mut out = vec![Draw {
        number: 0,
        factors: vec![1.0; parameters.len()],
        overrides: ParameterOverrides::new(),
    }];
    if parameters.is_empty() {
        out.extend((1..=count).map(|number| Draw {
            number,
            factors: Vec::new(),
            overrides: ParameterOverrides::new(),
        }));
        return Ok(out);
    }
    let design = latin_hypercube(count, parameters.len(), seed)?;
    for (k, point) in design.iter().enumerate() {
        let mut overrides = ParameterOverrides::new();
        let mut factors = Vec::with_capacity(parameters.len());
        for (p, u) in parameters.iter().zip(point) {
            let factor = 2.0f64.mul_add(spread * u, 1.0 - spread);
            let value = (p.default * factor).clamp(p.min, p.max);
            overrides.insert(p.module, p.field, value)?;
            factors.push(if p.default == 0.0 {
                1.0
            } else {
                value / p.default
            });
        }
        out.push(Draw {
            number: k + 1,
            factors,
            overrides,
        });
    }
    Ok(out)
}

/// The experiments with `overrides` laid over every arm's scenario.
///
/// # Errors
/// A perturbed scenario that does not validate.
pub fn perturb(
    experiments: &[Experiment],
    overrides: &ParameterOverrides,
) -> Result<Vec<Experiment>, RobustnessError> {
    experiments
        .iter()
        .map(|e| {
            let mut e = e.clone();
            for arm in &mut e.arms {
                arm.scenario =
                    overrides
                        .apply(&arm.scenario)
                        .map_err(|error| RobustnessError::Scenario {
                            experiment: e.name.clone(),
                            arm: arm.name.clone(),
                            error,
                        })?;
            }
            Ok(e)
        })
        .collect()
}

/// The run units of one draw: [`super::job_units`] with ids `draw<NNN>/<unit id>`.
#[must_use]
pub fn draw_units(draw: usize, experiments: &[Experiment]) -> Vec<JobUnit> {
    super::job_units(experiments)
        .into_iter()
        .map(|u| JobUnit {
            id: format!("draw{draw:03}/{}", u.id),
            scenario: u.scenario,
        })
        .collect()
}

/// The quantitative agreement of one draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Agreement {
    /// Calibration, then held-out.
    pub sets: [SetSummary; 2],
    /// Fold-change rows per set (the direction share's denominator).
    pub fold_rows: [usize; 2],
    /// Per observation row (dataset order): within 2-fold.
    pub within_two_fold: Vec<bool>,
}

/// What one draw scored.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawOutcome {
    /// The draw's number (0 = unperturbed).
    pub draw: usize,
    /// Claims and evidence-check totals.
    pub totals: Totals,
    /// Each selected claim's verdict, in claim order.
    pub verdicts: Vec<ClaimVerdict>,
    /// The quantitative agreement (absent when the claims were restricted).
    pub agreement: Option<Agreement>,
}

/// The observation rows, in dataset order, as the reports name them.
#[derive(Clone, Debug, PartialEq)]
pub struct RowInfo {
    /// Observation id.
    pub id: String,
    /// Its paper's set.
    pub set: PaperSet,
    /// Whether a protocol simulates it.
    pub simulated: bool,
}

/// The rows of a set of predictions.
#[must_use]
pub fn row_info(predictions: &[Prediction]) -> Vec<RowInfo> {
    predictions
        .iter()
        .map(|p| RowInfo {
            id: p.id.clone(),
            set: p.set,
            simulated: !p.protocol.is_empty(),
        })
        .collect()
}

/// The protocol part of one draw's runs: what [`quantitative::predict`] takes.
#[derive(Clone, Copy)]
pub struct ProtocolRuns<'a> {
    /// The observations.
    pub dataset: &'a Dataset,
    /// The protocols mapping them to experiments.
    pub protocols: &'a Protocols,
    /// The protocol experiments.
    pub experiments: &'a [Experiment],
    /// Their finished runs (`runs[i]` of `experiments[i]`).
    pub runs: &'a [Vec<ReplicateSeries>],
}

/// Scores one draw from its finished runs: the claims with [`super::evaluate`], the
/// protocols with [`quantitative::predict`] and [`quantitative::summarise`].
///
/// # Errors
/// As [`super::evaluate`].
pub fn score(
    draw: usize,
    claims: &[Claim],
    claim_experiments: &[Experiment],
    claim_runs: &[Vec<ReplicateSeries>],
    evidence: Option<ProtocolRuns<'_>>,
) -> Result<(DrawOutcome, Option<Vec<Prediction>>), RobustnessError> {
    let results: Vec<ClaimResult> = super::evaluate(claims, claim_experiments, claim_runs)?;
    let predictions =
        evidence.map(|e| quantitative::predict(e.dataset, e.protocols, e.experiments, e.runs));
    let agreement = predictions.as_ref().map(|p| Agreement {
        sets: quantitative::summarise(p),
        fold_rows: [PaperSet::Calibration, PaperSet::HeldOut]
            .map(|set| quantitative::fold_rows(p, set)),
        within_two_fold: p.iter().map(|r| r.within_two_fold).collect(),
    });
    Ok((
        DrawOutcome {
            draw,
            totals: Totals::of(&results),
            verdicts: results.iter().map(ClaimResult::verdict).collect(),
            agreement,
        },
        predictions,
    ))
}

/// One reported quantity of a draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Claims that pass (of those counted).
    ClaimsPassing,
    /// Evidence checks that pass.
    EvidenceChecksPassing,
    /// Share of the calibration rows within 2-fold.
    CalibrationWithinTwoFold,
    /// Share of the held-out rows within 2-fold.
    HeldOutWithinTwoFold,
    /// Share of the calibration fold-change rows in the right direction.
    CalibrationRightDirection,
    /// Share of the held-out fold-change rows in the right direction.
    HeldOutRightDirection,
}

impl Metric {
    /// Every metric, in report order.
    pub const ALL: [Self; 6] = [
        Self::ClaimsPassing,
        Self::EvidenceChecksPassing,
        Self::CalibrationWithinTwoFold,
        Self::HeldOutWithinTwoFold,
        Self::CalibrationRightDirection,
        Self::HeldOutRightDirection,
    ];

    /// The column name in `robustness.csv`.
    #[must_use]
    pub const fn column(self) -> &'static str {
        match self {
            Self::ClaimsPassing => "claims_passing",
            Self::EvidenceChecksPassing => "evidence_checks_passing",
            Self::CalibrationWithinTwoFold => "calibration_within_two_fold_share",
            Self::HeldOutWithinTwoFold => "held_out_within_two_fold_share",
            Self::CalibrationRightDirection => "calibration_right_direction_share",
            Self::HeldOutRightDirection => "held_out_right_direction_share",
        }
    }

    /// In words, for the report and the figure.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::ClaimsPassing => "claims passing",
            Self::EvidenceChecksPassing => "evidence checks passing",
            Self::CalibrationWithinTwoFold => "calibration rows within 2-fold",
            Self::HeldOutWithinTwoFold => "held-out rows within 2-fold",
            Self::CalibrationRightDirection => "calibration fold rows, right direction",
            Self::HeldOutRightDirection => "held-out fold rows, right direction",
        }
    }

    /// Whether the metric is a count (else a share in [0, 1]).
    #[must_use]
    pub const fn is_count(self) -> bool {
        matches!(self, Self::ClaimsPassing | Self::EvidenceChecksPassing)
    }

    /// The value of a draw (NaN where the draw has no quantitative agreement).
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "counts are small")]
    pub fn of(self, o: &DrawOutcome) -> f64 {
        let share = |set: usize, direction: bool| {
            o.agreement.as_ref().map_or(f64::NAN, |a| {
                if direction {
                    a.sets[set].share_right_direction(a.fold_rows[set])
                } else {
                    a.sets[set].share_within_two_fold()
                }
            })
        };
        match self {
            Self::ClaimsPassing => o.totals.passed as f64,
            Self::EvidenceChecksPassing => o.totals.evidence_checks_passed as f64,
            Self::CalibrationWithinTwoFold => share(0, false),
            Self::HeldOutWithinTwoFold => share(1, false),
            Self::CalibrationRightDirection => share(0, true),
            Self::HeldOutRightDirection => share(1, true),
        }
    }

    /// The count's total ("of N"), for a count metric.
    #[must_use]
    pub const fn total(self, o: &DrawOutcome) -> Option<usize> {
        match self {
            Self::ClaimsPassing => Some(o.totals.counted),
            Self::EvidenceChecksPassing => Some(o.totals.evidence_checks),
            _ => None,
        }
    }
}

/// The distribution of a metric over the perturbed draws.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Distribution {
    /// The unperturbed value (draw 0).
    pub unperturbed: f64,
    /// Median over the perturbed draws.
    pub median: f64,
    /// 5% quantile.
    pub low: f64,
    /// 95% quantile.
    pub high: f64,
    /// Smallest.
    pub min: f64,
    /// Largest.
    pub max: f64,
}

/// A finished robustness analysis.
#[derive(Clone, Debug)]
pub struct Robustness {
    /// The claims evaluated.
    pub claims: Vec<Claim>,
    /// The perturbed parameters.
    pub parameters: Vec<AssumedParameter>,
    /// Half-width of the factor range.
    pub spread: f64,
    /// The design seed.
    pub seed: u64,
    /// The draws, draw 0 first.
    pub draws: Vec<Draw>,
    /// What each draw scored, in draw order.
    pub outcomes: Vec<DrawOutcome>,
    /// The observation rows (empty when the claims were restricted).
    pub rows: Vec<RowInfo>,
}

impl Robustness {
    fn perturbed(&self) -> &[DrawOutcome] {
        self.outcomes.get(1..).unwrap_or_default()
    }

    /// The distribution of `metric` over the perturbed draws, with the unperturbed
    /// value.
    #[must_use]
    pub fn distribution(&self, metric: Metric) -> Distribution {
        let values: Vec<f64> = self.perturbed().iter().map(|o| metric.of(o)).collect();
        let finite = values.iter().copied().filter(|v| !v.is_nan());
        Distribution {
            unperturbed: self.outcomes.first().map_or(f64::NAN, |o| metric.of(o)),
            median: quantile(&values, 0.5),
            low: quantile(&values, RANGE_QUANTILES.0),
            high: quantile(&values, RANGE_QUANTILES.1),
            min: finite.clone().fold(f64::NAN, f64::min),
            max: finite.fold(f64::NAN, f64::max),
        }
    }

    /// Per claim: perturbed draws in which it passes.
    #[must_use]
    pub fn claim_passes(&self) -> Vec<usize> {
        (0..self.claims.len())
            .map(|c| {
                self.perturbed()
                    .iter()
                    .filter(|o| o.verdicts.get(c) == Some(&ClaimVerdict::Pass))
                    .count()
            })
            .collect()
    }

    /// Per observation row: perturbed draws in which it is within 2-fold.
    #[must_use]
    pub fn row_hits(&self) -> Vec<usize> {
        (0..self.rows.len())
            .map(|r| {
                self.perturbed()
                    .iter()
                    .filter(|o| {
                        o.agreement
                            .as_ref()
                            .is_some_and(|a| a.within_two_fold.get(r) == Some(&true))
                    })
                    .count()
            })
            .collect()
    }
}

fn number(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{v:.6}")
    }
}

/// Writes `robustness.csv`: one row per draw (draw 0 unperturbed), with the claims and
/// evidence checks passing and the agreement shares (empty when the claims were
/// restricted and no protocol ran).
///
/// # Errors
/// A failed write.
pub fn write_csv(out: &mut dyn Write, r: &Robustness) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "draw",
        "perturbed",
        "claims_passing",
        "claims_counted",
        "evidence_checks_passing",
        "evidence_checks",
        "calibration_rows",
        "calibration_within_two_fold",
        "calibration_within_two_fold_share",
        "calibration_fold_rows",
        "calibration_right_direction",
        "calibration_right_direction_share",
        "held_out_rows",
        "held_out_within_two_fold",
        "held_out_within_two_fold_share",
        "held_out_fold_rows",
        "held_out_right_direction",
        "held_out_right_direction_share",
    ])?;
    for o in &r.outcomes {
        let t = &o.totals;
        let mut row = vec![
            o.draw.to_string(),
            if o.draw == 0 { "no" } else { "yes" }.to_string(),
            t.passed.to_string(),
            t.counted.to_string(),
            t.evidence_checks_passed.to_string(),
            t.evidence_checks.to_string(),
        ];
        for set in 0..2 {
            match &o.agreement {
                Some(a) => {
                    let s = &a.sets[set];
                    row.extend([
                        s.rows.to_string(),
                        s.within_two_fold.to_string(),
                        number(s.share_within_two_fold()),
                        a.fold_rows[set].to_string(),
                        s.direction_right.to_string(),
                        number(s.share_right_direction(a.fold_rows[set])),
                    ]);
                }
                None => row.extend(std::iter::repeat_n(String::new(), 6)),
            }
        }
        w.write_record(&row)?;
    }
    w.flush()
}

/// Writes `robustness_factors.csv`: one row per draw, the applied factor (value /
/// default) of each assumed parameter, one column `<module>.<field>` each.
///
/// # Errors
/// A failed write.
pub fn write_factors_csv(out: &mut dyn Write, r: &Robustness) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["draw".to_string()];
    header.extend(r.parameters.iter().map(AssumedParameter::name));
    w.write_record(&header)?;
    for d in &r.draws {
        let mut row = vec![d.number.to_string()];
        row.extend(d.factors.iter().map(|f| format!("{f:.6}")));
        w.write_record(&row)?;
    }
    w.flush()
}

fn shown(metric: Metric, v: f64) -> String {
    if v.is_nan() {
        "–".to_string()
    } else if metric.is_count() {
        if (v - v.round()).abs() < 1e-9 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    } else {
        format!("{:.1}%", 100.0 * v)
    }
}

/// Writes `robustness.md`: the distribution of each metric (median, 5–95%, range) with
/// the unperturbed value, how often each claim passes and how often each simulated
/// observation row is within 2-fold.
///
/// # Errors
/// A failed write.
pub fn write_markdown(out: &mut dyn Write, r: &Robustness, mode: &str) -> io::Result<()> {
    let n = r.perturbed().len();
    let mut s = String::new();
    let _ = writeln!(s, "# Robustness of the validation\n");
    let _ = writeln!(
        s,
        "Every parameter whose source is `assumed` ({} parameters) multiplied by its own \
         Latin-hypercube factor in [{:.2}, {:.2}] (spread ±{:.0}%, design seed {}), clamped \
         to its allowed range; {n} perturbed draws of the whole validation ({mode} mode), \
         each with the same simulation seeds as the unperturbed model (draw 0), so \
         differences come from the parameters alone. Median and 5–95% range over the \
         perturbed draws (quantiles by linear interpolation; with few draws the 5–95% \
         range is close to the minimum and maximum). Parameters fitted by `vcsim calibrate` \
         (source `calibrated`) are not perturbed: the draws vary the assumptions around \
         the shipped calibration.\n",
        r.parameters.len(),
        1.0 - r.spread,
        1.0 + r.spread,
        100.0 * r.spread,
        r.seed,
    );
    let first = r.outcomes.first();
    let _ = writeln!(s, "## Distribution over the draws\n");
    let _ = writeln!(
        s,
        "| quantity | unperturbed | median | 5% | 95% | range |\n|---|---|---|---|---|---|"
    );
    for metric in Metric::ALL {
        let d = r.distribution(metric);
        if d.unperturbed.is_nan() && d.median.is_nan() {
            continue;
        }
        let label = match first.and_then(|o| metric.total(o)) {
            Some(total) => format!("{} (of {total})", metric.label()),
            None => metric.label().to_string(),
        };
        let _ = writeln!(
            s,
            "| {label} | {} | {} | {} | {} | {}–{} |",
            shown(metric, d.unperturbed),
            shown(metric, d.median),
            shown(metric, d.low),
            shown(metric, d.high),
            shown(metric, d.min),
            shown(metric, d.max),
        );
    }
    if r.rows.is_empty() {
        let _ = writeln!(
            s,
            "\nThe claims were restricted (`--claim`), so no protocol ran and the \
             quantitative agreement is not part of this analysis."
        );
    }
    let _ = writeln!(s, "\n## Claims\n");
    let _ = writeln!(
        s,
        "| claim | unperturbed | passes in perturbed draws |\n|---|---|---|"
    );
    for (c, (claim, passes)) in r.claims.iter().zip(r.claim_passes()).enumerate() {
        let verdict = first
            .and_then(|o| o.verdicts.get(c))
            .map_or("–", |v| v.label());
        let _ = writeln!(
            s,
            "| {} | {verdict} | {passes} of {n} ({}) |",
            claim.id,
            percent(passes, n)
        );
    }
    if !r.rows.is_empty() {
        let hits = r.row_hits();
        let unsimulated = r.rows.iter().filter(|x| !x.simulated).count();
        let _ = writeln!(s, "\n## Observation rows within 2-fold\n");
        let _ = writeln!(
            s,
            "The {} rows a protocol simulates; the other {unsimulated} rows are never \
             scored and count as misses in every draw.\n",
            r.rows.len() - unsimulated
        );
        let _ = writeln!(
            s,
            "| row | set | unperturbed | within 2-fold in perturbed draws |\n|---|---|---|---|"
        );
        for (i, (row, hit)) in r.rows.iter().zip(hits).enumerate() {
            if !row.simulated {
                continue;
            }
            let base = first
                .and_then(|o| o.agreement.as_ref())
                .and_then(|a| a.within_two_fold.get(i))
                .map_or("–", |w| if *w { "yes" } else { "no" });
            let _ = writeln!(
                s,
                "| {} | {} | {base} | {hit} of {n} ({}) |",
                row.id,
                row.set.name(),
                percent(hit, n)
            );
        }
    }
    out.write_all(s.as_bytes())
}

#[expect(clippy::cast_precision_loss, reason = "draw counts are small")]
fn percent(k: usize, n: usize) -> String {
    if n == 0 {
        "–".to_string()
    } else {
        format!("{:.0}%", 100.0 * k as f64 / n as f64)
    }
}

/// The closing lines of `vcsim robustness`: each metric's unperturbed value, median and
/// 5–95% range.
#[must_use]
pub fn headline(r: &Robustness) -> Vec<String> {
    let first = r.outcomes.first();
    Metric::ALL
        .iter()
        .filter_map(|&metric| {
            let d = r.distribution(metric);
            if d.unperturbed.is_nan() && d.median.is_nan() {
                return None;
            }
            let of = first
                .and_then(|o| metric.total(o))
                .map_or_else(String::new, |t| format!(" (of {t})"));
            Some(format!(
                "{}{of}: unperturbed {}, median {} (5-95%: {}-{})",
                metric.label(),
                shown(metric, d.unperturbed),
                shown(metric, d.median),
                shown(metric, d.low),
                shown(metric, d.high),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_perturb_every_assumed_parameter_within_the_spread_and_range() {
        let parameters = assumed_parameters();
        assert!(parameters.len() > 50, "{}", parameters.len());
        let all = draws(&parameters, 8, 0.25, 7).expect("draws");
        assert_eq!(all.len(), 9);
        assert!(all[0].overrides.is_empty());
        for d in &all[1..] {
            assert_eq!(d.overrides.len(), parameters.len());
            for (p, f) in parameters.iter().zip(&d.factors) {
                let v = d.overrides.get(p.module, p.field).expect("value");
                assert!(v >= p.min && v <= p.max, "{}: {v}", p.name());
                assert!(
                    (0.75 - 1e-12..=1.25 + 1e-12).contains(f),
                    "{}: {f}",
                    p.name()
                );
            }
        }
        // Latin hypercube: each parameter's 8 factors fall in 8 different strata.
        let j = parameters
            .iter()
            .position(|p| p.field == "drive_hill")
            .expect("drive_hill is assumed");
        let mut strata: Vec<usize> = all[1..]
            .iter()
            .map(|d| ((d.factors[j] - 0.75) / 0.5 * 8.0).floor() as usize)
            .collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..8).collect::<Vec<_>>());
        assert!(draws(&parameters, 4, 0.95, 1).is_err());
        assert!(draws(&parameters, 0, 0.25, 1).is_err());
    }
}
