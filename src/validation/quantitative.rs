//! Quantitative validation: every published observation's protocol
//! (`data/protocols/`) simulated with the shipped parameters, the prediction set against
//! the measurement, and the agreement reported separately for the calibration papers and
//! the held-out papers (`data/split.csv`).
//!
//! Per row: the log10 error `log10(predicted / observed)`, whether the prediction is
//! within 2-fold, and for relative rows (a fold change) whether its direction is right.
//! A direction is "up" or "down" when the fold change is at least [`NO_CHANGE_BAND`] away
//! from 1 and "no change" otherwise. A row the model cannot express, a row with no number
//! to compare, and a prediction that does not exist (a readout of 0 in an arm, an onset not
//! reached) are misses: the shares are given over every row of a set as well as over the
//! rows scored.

use crate::evidence::{Comparison, Dataset, EffectKind, Mapping, Observation, PaperSet, Protocols};
use crate::experiment::compare::ReplicateSeries;
use crate::experiment::design::{Experiment, ExperimentError};
use crate::record::Column;
use crate::stats::paired;
use std::io::{self, Write};

use super::ValidationError;
use super::library;

/// [1] Fold changes within this factor of 1 count as "no change" when directions are
/// compared: the claims report's effect floor (a stated tolerance, not a fit).
pub const NO_CHANGE_BAND: f64 = super::MIN_EFFECT;

/// The protocol files bundled in the binary: (stem, text) of every `data/protocols/*.toml`
/// (listed by the build script), so `vcsim validate` runs from any folder and always runs
/// the files it was built with.
pub const PROTOCOL_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/protocol_files.rs"));

/// Loads a bundled protocol (`quick` shrinks it as the claims' experiments are shrunk);
/// its experiment is named `protocols/<stem>`, so its run units never collide with a
/// claim experiment's.
///
/// # Errors
/// A stem that is not bundled, or a bundled file that does not validate.
pub fn load_protocol(stem: &str, quick: bool) -> Result<Experiment, ExperimentError> {
    let Some((_, text)) = PROTOCOL_FILES.iter().find(|(s, _)| *s == stem) else {
        return Err(ExperimentError::Invalid {
            problems: vec![format!(
                "data/protocols/rows.csv names protocol {stem:?}: there is no \
                 data/protocols/{stem}.toml"
            )],
        });
    };
    let path = format!("data/protocols/{stem}.toml");
    let mut experiment = library::load_text(&path, text, quick)?;
    experiment.name = format!("protocols/{stem}");
    Ok(experiment)
}

/// The protocol experiments the simulated rows need, in first-use order, each checked
/// against the rows that use it: the arms exist, the readout is a column, the day is
/// within the run.
///
/// # Errors
/// A protocol that does not load, or a row whose arm, readout or day does not fit it.
pub fn protocol_experiments(
    protocols: &Protocols,
    quick: bool,
) -> Result<Vec<Experiment>, ValidationError> {
    let mut out = Vec::new();
    for stem in protocols.protocol_names() {
        out.push(load_protocol(stem, quick)?);
    }
    for row in protocols.rows() {
        let Some(m) = &row.mapping else { continue };
        row_fits_protocol(&row.id, m, experiment_of(&out, &m.protocol)).map_err(|message| {
            ValidationError::Read(format!("data/protocols/rows.csv:{}: {message}", row.line))
        })?;
    }
    Ok(out)
}

/// Whether row `id`'s mapping fits its protocol's experiment: its arms exist, its readout
/// is a column and its day is within the run.
///
/// # Errors
/// What does not fit, naming the row.
pub fn row_fits_protocol(id: &str, m: &Mapping, e: &Experiment) -> Result<(), String> {
    for arm in std::iter::once(&m.condition_arm).chain(m.comparison_arm.as_ref()) {
        if !e.arms.iter().any(|a| &a.name == arm) {
            let arms: Vec<&str> = e.arms.iter().map(|a| a.name.as_str()).collect();
            return Err(format!(
                "{id}: protocol {} has no arm {arm:?} (its arms: {})",
                m.protocol,
                arms.join(", ")
            ));
        }
    }
    if let Err(e) = Column::from_name(&m.readout) {
        return Err(format!("{id}: readout: {e}"));
    }
    let duration_days = e
        .arms
        .iter()
        .map(|a| a.scenario.time.duration_min / crate::units::DAY)
        .fold(f64::INFINITY, f64::min);
    if m.day > duration_days + 1e-9 {
        return Err(format!(
            "{id}: day {} is after the end of protocol {} ({duration_days} days)",
            m.day, m.protocol
        ));
    }
    Ok(())
}

fn experiment_of<'a>(experiments: &'a [Experiment], stem: &str) -> &'a Experiment {
    let name = format!("protocols/{stem}");
    experiments
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| unreachable!("protocol_experiments loads every named protocol"))
}

/// One observation set against its prediction.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// Observation id.
    pub id: String,
    /// Paper key.
    pub paper_key: String,
    /// Its paper's set.
    pub set: PaperSet,
    /// Theme.
    pub theme: &'static str,
    /// What the row's number is.
    pub effect_kind: EffectKind,
    /// `ratio`, `level`, `onset_day`, `doubling_time`, `ratio_over_time`, `incidence`, `ratio_stained`,
    /// `ratio_unstained`, or `not_expressible`.
    pub comparison: &'static str,
    /// The protocol, if simulated.
    pub protocol: String,
    /// What is compared: the measured fold change, level, onset day or share of animals.
    pub observed: Option<f64>,
    /// The model's value of the same quantity.
    pub predicted: Option<f64>,
    /// [log10] `log10(predicted / observed)`.
    pub log10_error: Option<f64>,
    /// Whether the prediction is within 2-fold of the observation.
    pub within_two_fold: bool,
    /// For fold-change rows: whether the direction (up / down / no change) is right.
    pub direction_right: Option<bool>,
    /// [days] For an onset of stained area (1% of the sites) not reached in every
    /// replicate within the protocol: the mean over replicates of the onset, or where it
    /// was not reached, of its linear extrapolation `t_end / margin` from the top-1%
    /// site's mineral over the stain threshold at the end (`alizarin_margin_1pct`:
    /// mineral nucleating at a steady rate accumulates in proportion to time). Not a
    /// prediction (the report scores the row as a miss); the calibration's residual uses
    /// it, so an onset the model misses by far weighs more than one it misses by a day.
    pub censored_onset_estimate: Option<f64>,
    /// Why a row is not scored, or the mapping note.
    pub note: String,
}

/// Agreement of one set.
#[derive(Clone, Debug, PartialEq)]
pub struct SetSummary {
    /// The set.
    pub set: PaperSet,
    /// Rows of the set.
    pub rows: usize,
    /// Rows with a protocol.
    pub simulated: usize,
    /// Rows with both an observed and a predicted number.
    pub scored: usize,
    /// Rows within 2-fold.
    pub within_two_fold: usize,
    /// Fold-change rows scored for direction.
    pub direction_rows: usize,
    /// Of those, rows with the right direction.
    pub direction_right: usize,
    /// [log10] Median |log10 error| of the scored rows.
    pub median_abs_log10_error: f64,
}

impl SetSummary {
    /// Share of all rows of the set within 2-fold (unscored rows are misses).
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "row counts are small")]
    pub fn share_within_two_fold(&self) -> f64 {
        self.within_two_fold as f64 / self.rows.max(1) as f64
    }

    /// Share of the fold-change rows of the set with the right direction (unscored
    /// fold-change rows are misses).
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "row counts are small")]
    pub fn share_right_direction(&self, fold_rows: usize) -> f64 {
        self.direction_right as f64 / fold_rows.max(1) as f64
    }
}

/// Direction of a fold change: -1 down, 0 no change, +1 up.
fn direction(fold: f64) -> i8 {
    if fold >= NO_CHANGE_BAND {
        1
    } else if fold <= 1.0 / NO_CHANGE_BAND {
        -1
    } else {
        0
    }
}

/// The value of `column` at the last record at or before `day`, per replicate of `arm`,
/// in replicate order.
fn values_at(runs: &[ReplicateSeries], arm: usize, column: Column, day: f64) -> Vec<f64> {
    let mut v: Vec<(usize, f64)> = runs
        .iter()
        .filter(|r| r.arm == arm)
        .map(|r| {
            let value = r
                .timeseries
                .iter()
                .take_while(|row| row.get(Column::TimeDays) <= day + 1e-9)
                .last()
                .map_or(f64::NAN, |row| row.get(column));
            (r.replicate, value)
        })
        .collect();
    v.sort_by_key(|(i, _)| *i);
    v.into_iter().map(|(_, x)| x).collect()
}

/// [days] The first record time at which `column` reaches `level`, per replicate of `arm`
/// (NaN when it never does).
fn onsets(runs: &[ReplicateSeries], arm: usize, column: Column, level: f64) -> Vec<f64> {
    let mut v: Vec<(usize, f64)> = runs
        .iter()
        .filter(|r| r.arm == arm)
        .map(|r| {
            let day = r
                .timeseries
                .iter()
                .find(|row| row.get(column) >= level)
                .map_or(f64::NAN, |row| row.get(Column::TimeDays));
            (r.replicate, day)
        })
        .collect();
    v.sort_by_key(|(i, _)| *i);
    v.into_iter().map(|(_, x)| x).collect()
}

/// [days] Per replicate of `arm` (in replicate order, as `onsets` returns them): its
/// onset where it has one, otherwise the linear extrapolation `t_end / margin` from the
/// last record's `alizarin_margin_1pct` (NaN when that is 0 or missing).
fn extrapolated_stain_onsets(runs: &[ReplicateSeries], arm: usize, onsets: &[f64]) -> Vec<f64> {
    let end_day = values_at(runs, arm, Column::TimeDays, f64::INFINITY);
    let margin = values_at(runs, arm, Column::AlizarinMargin1Pct, f64::INFINITY);
    onsets
        .iter()
        .zip(end_day.iter().zip(&margin))
        .map(|(onset, (end, margin))| {
            if onset.is_finite() {
                *onset
            } else if *margin > 0.0 && margin.is_finite() {
                end / margin.min(1.0)
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// [days] Per replicate of the condition (in replicate order), the first recorded day on
/// which its readout is at least `level` times that of the reference arm's replicate of
/// the same index (same seed) on the same day, or NaN if it never is or the reference
/// has no such replicate or day.
fn relative_onsets(
    runs: &[ReplicateSeries],
    condition: usize,
    reference: usize,
    column: Column,
    level: f64,
) -> Vec<f64> {
    let mut treated: Vec<&ReplicateSeries> = runs.iter().filter(|r| r.arm == condition).collect();
    treated.sort_by_key(|r| r.replicate);
    treated
        .into_iter()
        .map(|run| {
            let Some(control) = runs
                .iter()
                .find(|r| r.arm == reference && r.replicate == run.replicate)
            else {
                return f64::NAN;
            };
            run.timeseries
                .iter()
                .find(|row| {
                    let day = row.get(Column::TimeDays);
                    control
                        .timeseries
                        .iter()
                        .find(|c| (c.get(Column::TimeDays) - day).abs() < 1e-9)
                        .is_some_and(|c| {
                            c.get(column) > 0.0 && row.get(column) >= level * c.get(column)
                        })
                })
                .map_or(f64::NAN, |row| row.get(Column::TimeDays))
        })
        .collect()
}

/// [days] A time as written in a row: the first number with a time unit right after it
/// (`28 d`, `~28 d`, `8 weeks`, `2 wk of warfarin`, `36 h`) or right before it (`day 2`,
/// `week 4`, `weeks 8 and 12`), or `None` (no such number, or a range such as `15-24 h`).
#[must_use]
pub fn parse_days(text: &str) -> Option<f64> {
    let lower = text.to_ascii_lowercase();
    let mut tokens: Vec<&str> = Vec::new();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric() || c == '.') {
        rest = &rest[start..];
        let numeric = rest.starts_with(|c: char| c.is_ascii_digit());
        let end = rest
            .find(|c: char| {
                if numeric {
                    !(c.is_ascii_digit() || c == '.')
                } else {
                    !c.is_ascii_alphabetic()
                }
            })
            .unwrap_or(rest.len());
        if numeric && rest[end..].starts_with('-') {
            return None;
        }
        tokens.push(&rest[..end]);
        rest = &rest[end..];
    }
    let days_per = |unit: &str| match unit {
        "h" | "hr" | "hrs" | "hour" | "hours" => Some(1.0 / 24.0),
        "d" | "day" | "days" => Some(1.0),
        "w" | "wk" | "wks" | "week" | "weeks" => Some(7.0),
        "mo" | "month" | "months" => Some(30.4),
        _ => None,
    };
    for (i, token) in tokens.iter().enumerate() {
        let Ok(value) = token.parse::<f64>() else {
            continue;
        };
        let after = tokens.get(i + 1).and_then(|u| days_per(u));
        let before = i.checked_sub(1).and_then(|j| days_per(tokens[j]));
        if let Some(per) = after.or(before) {
            return Some(value * per);
        }
    }
    None
}

/// A measured level as written (`366`, `4946`), or `None` for a range or text.
fn parse_level(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// How much an arm's readout grows from `from_day` to `day`: each replicate's value on
/// `day` over its own value on `from_day` (the model follows one well or animal in time;
/// a paper usually reads separate wells at each day, whose ratio of means this geometric
/// mean of per-replicate ratios stands in for), via `stats::paired`, which leaves out a
/// replicate missing either value; not finite when a value is 0 or every replicate is
/// missing.
fn ratio_over_time(
    runs: &[ReplicateSeries],
    arm: usize,
    column: Column,
    from_day: f64,
    day: f64,
) -> f64 {
    paired(
        &values_at(runs, arm, column, day),
        &values_at(runs, arm, column, from_day),
    )
    .ratio
}

/// A fold-change row's note when the row has no number, and whether the predicted
/// direction is the observed one (a missing prediction has the wrong direction).
fn judge_fold(p: &mut Prediction) {
    if p.observed.is_none() {
        p.note = "the row gives no fold change to compare".to_string();
    }
    if let (Some(obs), Some(pred)) = (p.observed, p.predicted) {
        p.direction_right = Some(direction(obs) == direction(pred));
    } else if p.observed.is_some() {
        p.direction_right = Some(false);
    }
}

/// How many of the animals' `values` reach `level`; `None` when a value is missing (or
/// there is no animal).
fn animals_reaching(values: &[f64], level: f64) -> Option<usize> {
    (!values.is_empty() && values.iter().all(|v| v.is_finite()))
        .then(|| values.iter().filter(|v| **v >= level).count())
}

/// The `values` of the animals whose stained area `stain` (same order) reaches `level`
/// (`stained`) or stays below it (not `stained`).
fn subgroup(stain: &[f64], values: &[f64], level: f64, stained: bool) -> Vec<f64> {
    stain
        .iter()
        .zip(values)
        .filter(|(area, _)| (**area >= level) == stained)
        .map(|(_, v)| *v)
        .collect()
}

/// A number given as approximate (`~40`, `about 40`) or exact (`40`).
#[must_use]
pub fn parse_approximate(text: &str) -> Option<f64> {
    let t = text.trim();
    let t = t
        .strip_prefix('~')
        .or_else(|| t.strip_prefix("about "))
        .unwrap_or(t);
    parse_level(t)
}

fn mean(values: &[f64]) -> Option<f64> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() || finite.len() < values.len() {
        return None;
    }
    #[expect(clippy::cast_precision_loss, reason = "replicate counts are small")]
    Some(finite.iter().sum::<f64>() / finite.len() as f64)
}

/// Predicts every observation from the finished runs of its protocol
/// (`runs[i]` belongs to `experiments[i]`, as [`super::read_units`] returns them).
#[must_use]
pub fn predict(
    dataset: &Dataset,
    protocols: &Protocols,
    experiments: &[Experiment],
    runs: &[Vec<ReplicateSeries>],
) -> Vec<Prediction> {
    dataset
        .all()
        .iter()
        .map(|o| predict_observation(o, dataset.set_of(o), protocols, experiments, runs))
        .collect()
}

/// Predicts one observation of set `set` from the finished runs of its protocol (for a
/// calibration, which holds only its calibration rows, not a [`Dataset`]).
#[must_use]
pub fn predict_observation(
    o: &Observation,
    set: PaperSet,
    protocols: &Protocols,
    experiments: &[Experiment],
    runs: &[Vec<ReplicateSeries>],
) -> Prediction {
    let row = protocols.of(&o.id);
    let mut p = Prediction {
        id: o.id.clone(),
        paper_key: o.paper_key.clone(),
        set,
        theme: o.theme.name(),
        effect_kind: o.effect_kind,
        comparison: "not_expressible",
        protocol: String::new(),
        observed: None,
        predicted: None,
        log10_error: None,
        within_two_fold: false,
        direction_right: None,
        censored_onset_estimate: None,
        note: row.map_or_else(|| "no line in rows.csv".to_string(), |r| r.note.clone()),
    };
    let Some(m) = row.and_then(|r| r.mapping.as_ref()) else {
        return p;
    };
    p.comparison = m.comparison.name();
    p.protocol.clone_from(&m.protocol);
    let name = format!("protocols/{}", m.protocol);
    let Some(e) = experiments.iter().position(|x| x.name == name) else {
        p.note = format!("protocol {} was not run", m.protocol);
        return p;
    };
    let arm = |name: &str| experiments[e].arms.iter().position(|a| a.name == name);
    let (Some(condition), Ok(column)) = (arm(&m.condition_arm), Column::from_name(&m.readout))
    else {
        p.note = format!("protocol {}: arm or readout missing", m.protocol);
        return p;
    };
    let runs = &runs[e];
    match m.comparison {
        Comparison::Ratio => {
            p.observed = o.effect_value;
            let Some(reference) = m.comparison_arm.as_deref().and_then(arm) else {
                p.note = format!("protocol {}: no comparison arm", m.protocol);
                return p;
            };
            let stats = paired(
                &values_at(runs, condition, column, m.day),
                &values_at(runs, reference, column, m.day),
            );
            p.predicted = stats.ratio.is_finite().then_some(stats.ratio);
            if p.predicted.is_none() {
                p.note = format!(
                    "no model ratio: {} is 0 or missing in an arm at day {}",
                    m.readout, m.day
                );
            }
            judge_fold(&mut p);
        }
        Comparison::Level { scale } => {
            p.observed = parse_level(&o.value);
            p.predicted = mean(&values_at(runs, condition, column, m.day)).map(|v| v * scale);
            if p.observed.is_none() {
                p.note = format!("the row's value {:?} is not a single number", o.value);
            }
        }
        Comparison::DoublingTime { from_day, scale } => {
            p.observed = parse_level(&o.value);
            let start = values_at(runs, condition, column, from_day);
            let end = values_at(runs, condition, column, m.day);
            let doubling: Vec<f64> = start
                .iter()
                .zip(&end)
                .map(|(a, b)| {
                    if *a > 0.0 && *b > *a {
                        std::f64::consts::LN_2 * (m.day - from_day) / (b / a).ln()
                    } else {
                        f64::NAN
                    }
                })
                .collect();
            p.predicted = mean(&doubling).map(|d| d * scale);
            if p.predicted.is_none() {
                p.note = format!(
                    "{} does not grow from day {from_day} to day {} in every replicate",
                    m.readout, m.day
                );
            }
            if p.observed.is_none() {
                p.note = format!("the row's value {:?} is not a single number", o.value);
            }
        }
        Comparison::RatioOverTime { from_day } => {
            p.observed = o.effect_value;
            let ratio = ratio_over_time(runs, condition, column, from_day, m.day);
            p.predicted = ratio.is_finite().then_some(ratio);
            if p.predicted.is_none() {
                p.note = format!(
                    "no model ratio: {} is 0 or missing at day {from_day} or day {}",
                    m.readout, m.day
                );
            }
            judge_fold(&mut p);
        }
        Comparison::Incidence { level, scale } => {
            p.observed = parse_approximate(&o.value);
            let values = values_at(runs, condition, column, m.day);
            if let Some(showing) = animals_reaching(&values, level) {
                #[expect(clippy::cast_precision_loss, reason = "replicate counts are small")]
                let share = showing as f64 / values.len() as f64;
                p.predicted = Some(share * scale);
                p.note = format!(
                    "{showing} of {} animals reach {} >= {level} by day {}",
                    values.len(),
                    m.readout,
                    m.day
                );
            } else {
                p.note = format!("{} is missing in a replicate at day {}", m.readout, m.day);
            }
            if p.observed.is_none() {
                p.note = format!("the row's value {:?} is not a single number", o.value);
            }
        }
        Comparison::SubgroupRatio { level, stained } => {
            p.observed = o.effect_value;
            let Some(reference) = m.comparison_arm.as_deref().and_then(arm) else {
                p.note = format!("protocol {}: no comparison arm", m.protocol);
                return p;
            };
            let stain = values_at(runs, condition, Column::AlizarinPositiveAreaFraction, m.day);
            let values = values_at(runs, condition, column, m.day);
            let selected = subgroup(&stain, &values, level, stained);
            let which = if stained {
                "calcified"
            } else {
                "non-calcified"
            };
            match (
                mean(&selected),
                mean(&values_at(runs, reference, column, m.day)),
            ) {
                (Some(sub), Some(base)) if base > 0.0 && sub.is_finite() => {
                    p.predicted = Some(sub / base);
                    p.note = format!(
                        "{} of {} animals {which} (stained area {} {level} at day {})",
                        selected.len(),
                        values.len(),
                        if stained { ">=" } else { "<" },
                        m.day
                    );
                }
                _ => {
                    p.note = format!(
                        "no {which} animal (stained area {} {level} at day {}) among {}, \
                         or {} is 0 or missing",
                        if stained { ">=" } else { "<" },
                        m.day,
                        values.len(),
                        m.readout
                    );
                }
            }
            judge_fold(&mut p);
        }
        Comparison::OnsetDay { level } => {
            p.observed = parse_days(&o.time);
            let onset_days = match m.comparison_arm.as_deref() {
                None => onsets(runs, condition, column, level),
                Some(name) => {
                    let Some(reference) = arm(name) else {
                        p.note = format!("protocol {}: no comparison arm {name}", m.protocol);
                        return p;
                    };
                    relative_onsets(runs, condition, reference, column, level)
                }
            };
            p.predicted = mean(&onset_days);
            if p.predicted.is_none() {
                p.note = format!(
                    "{} does not reach {level} in every replicate within the protocol",
                    m.readout
                );
                if m.comparison_arm.is_none()
                    && column == Column::AlizarinPositiveAreaFraction
                    && (level - crate::record::ALIZARIN_MARGIN_SHARE).abs() < 1e-12
                {
                    p.censored_onset_estimate =
                        mean(&extrapolated_stain_onsets(runs, condition, &onset_days));
                    if let Some(days) = p.censored_onset_estimate {
                        p.note.push_str(&format!(
                            " (extrapolated from the top-1% site's mineral: about {days:.0} \
                             days; not scored)"
                        ));
                    }
                }
            }
            if p.observed.is_none() {
                p.note = format!("the row's time {:?} is not a duration", o.time);
            }
        }
    }
    if let (Some(obs), Some(pred)) = (p.observed, p.predicted)
        && obs > 0.0
        && pred > 0.0
    {
        let error = (pred / obs).log10();
        p.log10_error = Some(error);
        p.within_two_fold = error.abs() <= 2f64.log10() + 1e-12;
    }
    p
}

/// Agreement per set: calibration first, then held-out.
#[must_use]
pub fn summarise(predictions: &[Prediction]) -> [SetSummary; 2] {
    [PaperSet::Calibration, PaperSet::HeldOut].map(|set| {
        let rows: Vec<&Prediction> = predictions.iter().filter(|p| p.set == set).collect();
        let mut errors: Vec<f64> = rows
            .iter()
            .filter_map(|p| p.log10_error.map(f64::abs))
            .collect();
        errors.sort_by(f64::total_cmp);
        let median = match errors.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => errors[n / 2],
            n => 0.5 * (errors[n / 2 - 1] + errors[n / 2]),
        };
        SetSummary {
            set,
            rows: rows.len(),
            simulated: rows.iter().filter(|p| !p.protocol.is_empty()).count(),
            scored: rows.iter().filter(|p| p.log10_error.is_some()).count(),
            within_two_fold: rows.iter().filter(|p| p.within_two_fold).count(),
            direction_rows: rows.iter().filter(|p| p.direction_right.is_some()).count(),
            direction_right: rows
                .iter()
                .filter(|p| p.direction_right == Some(true))
                .count(),
            median_abs_log10_error: median,
        }
    })
}

/// One set's agreement in words: rows, simulated, scored, within 2-fold and right
/// direction (for `vcsim validate`'s closing lines and `quantitative.md`).
#[must_use]
pub fn agreement_text(s: &SetSummary, fold_rows: usize) -> String {
    format!(
        "{} rows, {} simulated, {} scored: {} within 2-fold ({:.0}% of rows); right \
         direction {} of {fold_rows} fold rows ({:.0}%)",
        s.rows,
        s.simulated,
        s.scored,
        s.within_two_fold,
        100.0 * s.share_within_two_fold(),
        s.direction_right,
        100.0 * s.share_right_direction(fold_rows),
    )
}

/// Fold-change rows of a set (the denominator of the direction share).
#[must_use]
pub fn fold_rows(predictions: &[Prediction], set: PaperSet) -> usize {
    predictions
        .iter()
        .filter(|p| {
            p.set == set && matches!(p.effect_kind, EffectKind::Fold | EffectKind::PercentChange)
        })
        .count()
}

fn number(v: Option<f64>) -> String {
    v.map_or_else(String::new, |x| format!("{x:.6}"))
}

/// Writes `quantitative.csv`: one line per observation.
///
/// # Errors
/// A failed write.
pub fn write_csv(out: &mut dyn Write, predictions: &[Prediction]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "paper_key",
        "set",
        "theme",
        "effect_kind",
        "comparison",
        "protocol",
        "observed",
        "predicted",
        "log10_error",
        "within_two_fold",
        "direction_right",
        "note",
    ])?;
    for p in predictions {
        w.write_record([
            p.id.as_str(),
            p.paper_key.as_str(),
            p.set.name(),
            p.theme,
            p.effect_kind.name(),
            p.comparison,
            p.protocol.as_str(),
            &number(p.observed),
            &number(p.predicted),
            &number(p.log10_error),
            if p.within_two_fold { "yes" } else { "no" },
            match p.direction_right {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            },
            p.note.as_str(),
        ])?;
    }
    w.flush()
}

/// Writes `quantitative.md`: the agreement per set, then every row.
///
/// # Errors
/// A failed write.
pub fn write_markdown(out: &mut dyn Write, predictions: &[Prediction]) -> io::Result<()> {
    writeln!(
        out,
        "# Quantitative validation: predictions against published measurements\n"
    )?;
    writeln!(
        out,
        "Every row of `data/observations.csv` is simulated with its protocol \
         (`data/protocols/`) and the shipped parameters. Calibration rows come from the papers \
         a fit may use; held-out rows from papers no fit reads (`data/split.csv`). A row \
         vcsim cannot express, a row with no number and a prediction that does not exist \
         count as misses. Directions: up or down beyond {NO_CHANGE_BAND}x, otherwise no \
         change. Targets (issue): held-out at least 70% within 2-fold and 90% right \
         direction; calibration at least 85% within 2-fold.\n"
    )?;
    writeln!(
        out,
        "| set | rows | simulated | scored | within 2-fold (of rows) | right direction (of fold rows) | median abs log10 error |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    for s in summarise(predictions) {
        let folds = fold_rows(predictions, s.set);
        writeln!(
            out,
            "| {} | {} | {} | {} | {} ({:.0}%) | {} of {} ({:.0}%) | {} |",
            s.set.name(),
            s.rows,
            s.simulated,
            s.scored,
            s.within_two_fold,
            100.0 * s.share_within_two_fold(),
            s.direction_right,
            folds,
            100.0 * s.share_right_direction(folds),
            if s.median_abs_log10_error.is_finite() {
                format!("{:.2}", s.median_abs_log10_error)
            } else {
                "n/a".to_string()
            }
        )?;
    }
    writeln!(out, "\n## Every row\n")?;
    writeln!(
        out,
        "| id | set | theme | compared | observed | predicted | within 2-fold | direction | note |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
    let show = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |x| format!("{x:.3}"));
    for p in predictions {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            p.id,
            p.set.name(),
            p.theme,
            p.comparison,
            show(p.observed),
            show(p.predicted),
            if p.within_two_fold { "yes" } else { "no" },
            match p.direction_right {
                Some(true) => "right",
                Some(false) => "wrong",
                None => "–",
            },
            p.note.replace('|', "/").replace('\n', " ")
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::TimeseriesRow;

    #[test]
    fn durations_parse_in_days() {
        assert_eq!(parse_days("28 d"), Some(28.0));
        assert_eq!(parse_days("8 weeks"), Some(56.0));
        assert_eq!(parse_days("36 h"), Some(1.5));
        assert_eq!(parse_days("~28 d"), Some(28.0));
        assert_eq!(parse_days("day 2"), Some(2.0));
        assert_eq!(
            parse_days("week 4 (Pi and Ca back to normal by week 10)"),
            Some(28.0)
        );
        assert_eq!(parse_days("2 wk of warfarin"), Some(14.0));
        assert_eq!(parse_days("weeks 8 and 12"), Some(56.0));
        assert_eq!(parse_days("about a month"), None);
        assert_eq!(parse_days("15-24 h after removal"), None);
        assert_eq!(parse_days(""), None);
    }

    #[test]
    fn a_relative_onset_is_the_first_day_the_condition_leads_its_paired_reference() {
        // Runx2 of a reference arm drifts to 1.7 by day 1 (above an absolute level of
        // 1.2 at once); the condition reaches 1.2x the reference only on day 3.
        let series = |arm: usize, runx2: &[f64]| ReplicateSeries {
            arm,
            replicate: 0,
            timeseries: runx2
                .iter()
                .enumerate()
                .map(|(day, &value)| {
                    TimeseriesRow::from_fn(|c| match c {
                        Column::TimeDays => day as f64,
                        Column::Runx2Mean => value,
                        _ => 0.0,
                    })
                })
                .collect(),
        };
        let runs = [
            series(0, &[1.0, 1.7, 1.7, 1.7, 1.7]),
            series(1, &[1.0, 1.7, 1.9, 2.1, 4.0]),
        ];
        assert_eq!(onsets(&runs, 1, Column::Runx2Mean, 1.2), vec![1.0]);
        assert_eq!(
            relative_onsets(&runs, 1, 0, Column::Runx2Mean, 1.2),
            vec![3.0]
        );
        assert!(relative_onsets(&runs, 1, 0, Column::Runx2Mean, 3.0)[0].is_nan());
    }

    #[test]
    #[expect(
        clippy::float_cmp,
        reason = "the same expression of exact inputs on both sides"
    )]
    fn a_censored_stain_onset_is_extrapolated_in_proportion_to_how_far_the_top_sites_are() {
        // Replicate 0 stains on day 2; replicate 1 ends on day 4 with its top-1% site at
        // a fifth of the stain threshold: at a steady rate it would stain on day 20.
        let series = |replicate: usize, area: &[f64], margin_end: f64| ReplicateSeries {
            arm: 0,
            replicate,
            timeseries: area
                .iter()
                .enumerate()
                .map(|(day, &value)| {
                    TimeseriesRow::from_fn(|c| match c {
                        Column::TimeDays => day as f64,
                        Column::AlizarinPositiveAreaFraction => value,
                        Column::AlizarinMargin1Pct if day + 1 == area.len() => margin_end,
                        _ => 0.0,
                    })
                })
                .collect(),
        };
        let runs = [
            series(1, &[0.0, 0.0, 0.0, 0.0, 0.0], 0.2),
            series(0, &[0.0, 0.0, 0.02, 0.05, 0.1], 9.0),
        ];
        let found = onsets(&runs, 0, Column::AlizarinPositiveAreaFraction, 0.01);
        assert_eq!(found[0], 2.0);
        assert!(found[1].is_nan());
        assert_eq!(extrapolated_stain_onsets(&runs, 0, &found), vec![2.0, 20.0]);
        // A wall with no mineral at all has no estimate.
        let bare = [series(0, &[0.0, 0.0], 0.0)];
        let none = onsets(&bare, 0, Column::AlizarinPositiveAreaFraction, 0.01);
        assert!(extrapolated_stain_onsets(&bare, 0, &none)[0].is_nan());
    }

    #[test]
    fn a_ratio_over_time_follows_each_replicate_from_the_window_start() {
        // Two wells of arm 0 with 2 and 8 µg/mg at day 7 and 5 and 16 at day 14 (2.5x and
        // 2x: geometric mean sqrt(5)); arm 1 is not read.
        let series = |arm: usize, replicate: usize, calcium: &[(f64, f64)]| ReplicateSeries {
            arm,
            replicate,
            timeseries: calcium
                .iter()
                .map(|&(day, value)| {
                    TimeseriesRow::from_fn(|c| match c {
                        Column::TimeDays => day,
                        Column::CalciumUgPerMgTotalProtein => value,
                        _ => 0.0,
                    })
                })
                .collect(),
        };
        let runs = [
            series(0, 1, &[(0.0, 1.0), (7.0, 8.0), (14.0, 16.0)]),
            series(0, 0, &[(0.0, 1.0), (7.0, 2.0), (14.0, 5.0)]),
            series(1, 0, &[(0.0, 1.0), (7.0, 100.0), (14.0, 1.0)]),
        ];
        let column = Column::CalciumUgPerMgTotalProtein;
        let ratio = ratio_over_time(&runs, 0, column, 7.0, 14.0);
        assert!((ratio - 5.0_f64.sqrt()).abs() < 1e-12, "{ratio}");
        // A value of 0 at the window's start gives no ratio.
        let empty = [series(0, 0, &[(7.0, 0.0), (14.0, 3.0)])];
        assert!(!ratio_over_time(&empty, 0, column, 7.0, 14.0).is_finite());
    }

    #[test]
    fn animals_are_counted_and_split_by_their_stained_area() {
        let stain = [0.0, 0.02, 0.005, 0.3];
        let calcium = [1.0, 9.0, 1.1, 40.0];
        assert_eq!(animals_reaching(&stain, 0.01), Some(2));
        assert_eq!(animals_reaching(&stain, 0.5), Some(0));
        assert_eq!(animals_reaching(&[0.1, f64::NAN], 0.01), None);
        assert_eq!(animals_reaching(&[], 0.01), None);
        assert_eq!(subgroup(&stain, &calcium, 0.01, true), vec![9.0, 40.0]);
        assert_eq!(subgroup(&stain, &calcium, 0.01, false), vec![1.0, 1.1]);
        assert!(subgroup(&stain, &calcium, 0.5, true).is_empty());
        assert_eq!(parse_approximate("~40"), Some(40.0));
        assert_eq!(parse_approximate("66.7"), Some(66.7));
        assert_eq!(parse_approximate("about 75"), Some(75.0));
        assert_eq!(parse_approximate("most"), None);
    }

    #[test]
    fn directions_have_a_no_change_band() {
        assert_eq!(direction(1.5), 1);
        assert_eq!(direction(0.5), -1);
        assert_eq!(direction(1.1), 0);
        assert_eq!(direction(1.0 / 1.1), 0);
    }
}
