//! The calibration's objective: one residual per fitted row, in units of the row's
//! uncertainty, and their sum of squares.
//!
//! Per row (`log10` throughout):
//! - a fold-change row: `log10(predicted / observed) / σ`, made [`WRONG_DIRECTION_PENALTY`]
//!   larger in magnitude when the predicted direction (up, down, no change beyond the
//!   1.2x band) is not the observed one;
//! - a level, doubling-time or onset row: `log10(predicted / observed) / σ`; an onset
//!   not reached within the protocol is censored at the protocol's end (the onset is at
//!   least that late), or, for an onset of stained area, put at its linear extrapolation
//!   from how far the top 1% of sites are from staining (`Prediction::
//!   censored_onset_estimate`), so that a model far from staining weighs more than one
//!   just short of it;
//! - a `no_change` row (no number; the paper saw no effect): the excess of
//!   `|log10 ratio|` beyond the band, over σ (0 inside the band);
//! - an `up` row (no number; the paper saw a rise): the shortfall of `log10 ratio` below
//!   the band, over σ;
//! - an incidence row (the share of animals showing a finding): `(predicted - observed)
//!   / σ` on the share's own scale, σ the binomial standard error of the observed share
//!   in a group of [`INCIDENCE_GROUP_SIZE`] animals, never below [`INCIDENCE_SIGMA_FLOOR`]
//!   (a share of 0 is a prediction like any other);
//! - a prediction that does not exist (a readout of 0 in an arm): [`MISSING_PENALTY`].
//!
//! σ: from the row's reported error and value when both are numbers (relative error over
//! ln 10), never below [`SIGMA_FLOOR`]; otherwise the floor.

use super::spec::{Expect, Spec};
use crate::evidence::{CalibrationRows, Comparison, Observation, Protocols};
use crate::validation::quantitative::{NO_CHANGE_BAND, Prediction, parse_approximate};

/// [log10] The smallest uncertainty of a row: 0.15 log10 units (1.41-fold). Assumed: no
/// fitted row reports a usable dispersion (OBS020 says "mean ± SEM" without the
/// number), and replicate studies of calcification readouts differ by about 1.3-2x
/// between laboratories; 0.15 is the geometric middle.
pub const SIGMA_FLOOR: f64 = 0.15;

/// [σ] Added to the magnitude of a fold-change residual whose direction is wrong:
/// assumed (a wrong direction is worse than any size error of the right direction of
/// about 2σ, i.e. 2-fold).
pub const WRONG_DIRECTION_PENALTY: f64 = 2.0;

/// [σ] Residual of a row whose prediction does not exist (a ratio with a readout of 0,
/// a doubling time of a readout that does not grow): assumed, 5σ (about 5.6-fold), worse
/// than any prediction within the priors is expected to be.
pub const MISSING_PENALTY: f64 = 5.0;

/// [animals] The group size behind an incidence row's share, for its binomial error:
/// assumed 10, the order of the rat groups of the incidence rows (their abstracts give
/// shares, not group sizes).
pub const INCIDENCE_GROUP_SIZE: f64 = 10.0;

/// [1] The smallest uncertainty of an incidence share: assumed 0.1 (one animal in ten),
/// so that a share of 0 or 1 observed in a group still has an error.
pub const INCIDENCE_SIGMA_FLOOR: f64 = 0.1;

/// How a fitted row is scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// A fold change with its number.
    Fold,
    /// A level or a doubling time with its number.
    Value,
    /// An onset day (censored at the protocol's end).
    Onset,
    /// No number; no change expected.
    NoChange,
    /// No number; a rise expected.
    Up,
    /// The share of animals showing a finding, on its own scale.
    Incidence,
}

impl TargetKind {
    /// The name in reports.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Fold => "fold",
            Self::Value => "value",
            Self::Onset => "onset",
            Self::NoChange => "no_change",
            Self::Up => "up",
            Self::Incidence => "incidence",
        }
    }
}

/// One fitted row.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The observation (a calibration row).
    pub observation: Observation,
    /// How it is scored.
    pub kind: TargetKind,
    /// [log10] Its uncertainty.
    pub sigma: f64,
    /// Where σ comes from.
    pub sigma_source: String,
    /// The protocol stem.
    pub protocol: String,
}

fn number(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
}

/// The fitted rows of `spec`, read from the calibration rows only.
///
/// # Errors
/// A row id that is not a calibration row (a held-out or unknown id: a fit never reads
/// held-out rows), a row the model does not simulate, a row without a number and without
/// an `[expect]` entry.
pub fn targets(
    rows: CalibrationRows<'_>,
    protocols: &Protocols,
    spec: &Spec,
) -> Result<Vec<Target>, String> {
    let file = super::spec::FREE_PARAMETERS_FILE;
    let mut out = Vec::new();
    for id in &spec.settings.rows {
        let Some(o) = rows.iter().find(|o| &o.id == id) else {
            return Err(format!(
                "{file}: rows: {id} is not a row of a calibration paper (data/split.csv): \
                 a calibration reads only calibration rows"
            ));
        };
        let Some(m) = protocols.of(id).and_then(|r| r.mapping.as_ref()) else {
            return Err(format!(
                "{file}: rows: {id} is not simulated (data/protocols/rows.csv)"
            ));
        };
        let kind = target_kind(m.comparison, o, spec.expect.get(id))
            .map_err(|why| format!("{file}: rows: {id}{why}"))?;
        let (sigma, sigma_source) = match (m.comparison, number(&o.error), number(&o.value)) {
            (Comparison::Incidence { scale, .. }, ..) => {
                let Some(observed) = incidence_share(&o.value, scale) else {
                    return Err(format!(
                        "{file}: rows: {id}: its value {:?} is not a share",
                        o.value
                    ));
                };
                let binomial = (observed * (1.0 - observed) / INCIDENCE_GROUP_SIZE).sqrt();
                (
                    scale * binomial.max(INCIDENCE_SIGMA_FLOOR),
                    format!(
                        "binomial error of {observed:.2} in {INCIDENCE_GROUP_SIZE} animals \
                         (floor {INCIDENCE_SIGMA_FLOOR})"
                    ),
                )
            }
            (_, Some(e), Some(v)) => {
                let s = (e / v) / std::f64::consts::LN_10;
                if s > SIGMA_FLOOR {
                    (s, format!("reported error {} of {}", o.error, o.value))
                } else {
                    (SIGMA_FLOOR, "floor (reported error is smaller)".to_string())
                }
            }
            _ => (SIGMA_FLOOR, "floor (no reported error)".to_string()),
        };
        out.push(Target {
            observation: o.clone(),
            kind,
            sigma,
            sigma_source,
            protocol: m.protocol.clone(),
        });
    }
    Ok(out)
}

/// The residual of one row (σ units) given its prediction; `end_day` is the last day
/// of the row's protocol (for censored onsets).
#[must_use]
pub fn residual(target: &Target, p: &Prediction, end_day: f64) -> f64 {
    let band = NO_CHANGE_BAND.log10();
    let s = target.sigma;
    match (
        target.kind,
        p.predicted.filter(|v| *v > 0.0 && v.is_finite()),
    ) {
        // A share of 0 is a prediction like any other.
        (TargetKind::Incidence, _) => match (p.predicted.filter(|v| v.is_finite()), p.observed) {
            (Some(pred), Some(obs)) => (pred - obs) / s,
            _ => MISSING_PENALTY,
        },
        (TargetKind::Onset, None) => match p.observed {
            Some(obs) if obs > 0.0 => {
                censored_onset_residual(obs, end_day, p.censored_onset_estimate, s)
            }
            _ => MISSING_PENALTY,
        },
        (_, None) => MISSING_PENALTY,
        (TargetKind::Fold | TargetKind::Value | TargetKind::Onset, Some(pred)) => {
            let Some(obs) = p.observed.filter(|v| *v > 0.0) else {
                return MISSING_PENALTY;
            };
            let r = (pred / obs).log10() / s;
            if target.kind == TargetKind::Fold && p.direction_right == Some(false) {
                r + if r >= 0.0 {
                    WRONG_DIRECTION_PENALTY
                } else {
                    -WRONG_DIRECTION_PENALTY
                }
            } else {
                r
            }
        }
        (TargetKind::NoChange, Some(pred)) => (pred.log10().abs() - band).max(0.0) / s,
        (TargetKind::Up, Some(pred)) => -((band - pred.log10()).max(0.0) / s),
    }
}

/// [σ] The residual of an onset (observed on day `observed`) that a run did not reach by
/// its end (`end_day`): the onset is at least `end_day`, and at its extrapolation
/// `estimate` when there is one; an onset no later than observed scores 0.
#[must_use]
pub fn censored_onset_residual(
    observed: f64,
    end_day: f64,
    estimate: Option<f64>,
    sigma: f64,
) -> f64 {
    let at_least = estimate
        .filter(|d| d.is_finite())
        .map_or(end_day, |d| d.max(end_day));
    (at_least.max(observed) / observed).log10() / sigma
}

/// An incidence row's observed share in [0, 1] from its value in the row's unit
/// (`~40` percent with `scale` 100 is 0.4).
fn incidence_share(value: &str, scale: f64) -> Option<f64> {
    parse_approximate(value)
        .map(|v| v / scale)
        .filter(|share| (0.0..=1.0).contains(share))
}

/// What kind of target a fitted row `o` compared by `comparison` gives, with its
/// `[expect]` entry if any; the error completes `rows: <id>`.
fn target_kind(
    comparison: Comparison,
    o: &Observation,
    expect: Option<&Expect>,
) -> Result<TargetKind, String> {
    Ok(match comparison {
        Comparison::RatioOverTime { .. } => {
            if o.effect_value.is_none() {
                return Err(
                    ": a ratio_over_time row needs a fold change (effect_value)".to_string()
                );
            }
            TargetKind::Fold
        }
        Comparison::Ratio | Comparison::SubgroupRatio { .. } => match (o.effect_value, expect) {
            (Some(_), _) => TargetKind::Fold,
            (None, Some(Expect::NoChange)) => TargetKind::NoChange,
            (None, Some(Expect::Up)) => TargetKind::Up,
            (None, None) => return Err(" has no fold change and no [expect] entry".to_string()),
        },
        Comparison::Level { .. } | Comparison::DoublingTime { .. } => {
            if number(&o.value).is_none() {
                return Err(format!(": its value {:?} is not a single number", o.value));
            }
            TargetKind::Value
        }
        Comparison::OnsetDay { .. } => TargetKind::Onset,
        Comparison::Incidence { .. } => TargetKind::Incidence,
    })
}

/// The objective: the sum of squared residuals.
#[must_use]
pub fn objective(residuals: &[f64]) -> f64 {
    residuals.iter().map(|r| r * r).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observation(effect_value: &str) -> Observation {
        let text = format!(
            "id,paper,paper_key,year,journal,identifier,species,cell_or_tissue,condition,comparison,readout,time,value,unit,reference_value,reference_unit,fold_or_percent,n,error,where_in_paper,provenance,confidence,notes,source_row,theme,effect_kind,effect_value,effect_note\n\
             OBS001,A,a2000,2000,J,url,bovine,VSMC,NG,day 7,Ca,7 and 14 d,3.12,umol/mg,1.35,umol/mg,,,,abstract,abstract,exact,,new,mineral_in_vitro,fold,{effect_value},3.12/1.35\n"
        );
        crate::evidence::observations::parse("observations.csv", &text)
            .expect("a valid test row")
            .remove(0)
    }

    #[test]
    fn a_ratio_over_time_row_is_a_fold_target_and_needs_its_fold_change() {
        let growth = Comparison::RatioOverTime { from_day: 7.0 };
        assert_eq!(
            target_kind(growth, &observation("2.311"), None),
            Ok(TargetKind::Fold)
        );
        // Without a fold change an [expect] entry does not stand in for it.
        let error = target_kind(growth, &observation(""), Some(&Expect::Up));
        assert!(
            error.as_ref().is_err_and(|e| e.contains("effect_value")),
            "{error:?}"
        );
        // A plain ratio row without a number may be read as one-sided.
        assert_eq!(
            target_kind(Comparison::Ratio, &observation(""), Some(&Expect::Up)),
            Ok(TargetKind::Up)
        );
    }

    #[test]
    fn an_incidence_share_is_read_from_the_row_in_its_unit() {
        assert_eq!(incidence_share("~40", 100.0), Some(0.4));
        assert_eq!(incidence_share("100", 100.0), Some(1.0));
        assert_eq!(incidence_share("0.56", 1.0), Some(0.56));
        assert_eq!(incidence_share("140", 100.0), None);
        assert_eq!(incidence_share("most", 100.0), None);
    }

    #[test]
    #[expect(
        clippy::float_cmp,
        reason = "the same expression of exact inputs on both sides"
    )]
    fn a_censored_onset_weighs_by_its_extrapolation_never_below_the_run_end() {
        // Observed on day 14; the run ended on day 35 without the onset.
        let flat = censored_onset_residual(14.0, 35.0, None, 0.15);
        assert!((flat - (35.0f64 / 14.0).log10() / 0.15).abs() < 1e-12);
        // Extrapolated to day 1400: a hundredfold late, two decades over σ.
        let far = censored_onset_residual(14.0, 35.0, Some(1400.0), 0.15);
        assert!((far - 2.0 / 0.15).abs() < 1e-12);
        // An extrapolation before the run's end cannot make the onset earlier than it.
        assert_eq!(censored_onset_residual(14.0, 35.0, Some(20.0), 0.15), flat);
        assert_eq!(
            censored_onset_residual(14.0, 35.0, Some(f64::NAN), 0.15),
            flat
        );
        // A run that ends before the observed day is not late.
        assert_eq!(censored_onset_residual(14.0, 10.0, None, 0.15), 0.0);
    }
}
