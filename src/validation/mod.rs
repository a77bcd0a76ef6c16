//! The claims report (`vcsim validate`): every claim of the review run as paired
//! in-silico experiments and checked against its stated direction (and magnitude where
//! the claim gives one).
//!
//! A check is evidence or wiring ([`CheckKind`]): a wiring check follows from a mapping
//! or a bound (a knockout deleting the measured species, a catalog entry scaling the
//! readout directly, a readout that cannot reach or leave the limit) and is reported but
//! not counted. A claim passes when every one of its evidence checks passes; a claim
//! with only wiring checks is "wiring only" and not counted in "N of M claims pass".
//! A check compares an arm with a reference arm of the same experiment, replicate by
//! replicate (replicate i of both arms shares its seed): the paired difference with its
//! 95% CI (Student t), the ratio as the geometric mean of within-pair ratios with its
//! 95% CI, and the paired t-test p-value. "Up" needs the difference CI above 0 and a
//! ratio of at least [`MIN_EFFECT`] (1.2); "down" the mirror image; "unchanged" a ratio
//! within [`UNCHANGED`]-fold; "about N-fold" a ratio in the stated range.
//!
//! This is a consistency report against the review's qualitative claims, several of
//! which the parameters were calibrated on; the comparison with published magnitudes
//! is [`quantitative`].

pub mod claims;
pub mod library;
pub mod quantitative;
pub mod robustness;

use crate::experiment::compare::{ReplicateSeries, experiment_units, unit_folder};
use crate::experiment::design::{Experiment, ExperimentError};
use crate::jobs::{JobFolder, JobUnit};
use crate::record::Column;
use crate::record::TimeseriesFile;
use crate::record::check::{CheckRow, write_checks};
use crate::sim::{SimError, Simulation, Threads};
use crate::stats::{Paired, paired};
pub use claims::{
    CHECKS, CLAIMS, Check, CheckKind, Claim, Expected, MIN_EFFECT, Statistic, UNCHANGED,
};
use rayon::prelude::*;
use std::io::{self, Write};

/// A failure of the validation run.
#[derive(Debug, thiserror::Error)]
pub enum ValidationError {
    /// Unknown claim IDs were asked for (every one is named).
    #[error("{}the claims are {all}", unknown.iter().map(|id| format!("--claim {id}: no such claim\n")).collect::<String>())]
    UnknownClaims {
        /// The unknown IDs, in the order given.
        unknown: Vec<String>,
        /// Every claim ID, comma-separated.
        all: String,
    },
    /// A bundled experiment did not load.
    #[error("{0}")]
    Experiment(#[from] ExperimentError),
    /// A check names an arm its experiment does not have (a defect of the table).
    #[error("check of {claim}: experiment {experiment} has no arm {arm:?}")]
    UnknownArm {
        /// Claim.
        claim: &'static str,
        /// Experiment.
        experiment: &'static str,
        /// Arm.
        arm: &'static str,
    },
    /// A finished run could not be read back.
    #[error("{0}")]
    Read(String),
    /// A simulation failed.
    #[error("experiment {experiment}: {error}")]
    Simulation {
        /// Experiment.
        experiment: String,
        /// Why.
        error: SimError,
    },
}

/// The outcome of one check.
#[derive(Clone, Debug)]
pub struct CheckResult {
    /// The check.
    pub check: Check,
    /// Replicates compared.
    pub replicates: usize,
    /// Arm values per replicate.
    pub arm_values: Vec<f64>,
    /// Reference values per replicate.
    pub reference_values: Vec<f64>,
    /// Paired statistics of arm versus reference.
    pub paired: Paired,
    /// Whether the expectation holds.
    pub pass: bool,
}

/// The outcome of one claim.
#[derive(Clone, Debug)]
pub struct ClaimResult {
    /// The claim.
    pub claim: Claim,
    /// Its checks.
    pub checks: Vec<CheckResult>,
}

/// A claim's verdict: only its evidence checks count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimVerdict {
    /// It has evidence checks and all of them pass.
    Pass,
    /// An evidence check fails.
    Fail,
    /// It has only wiring checks: reported, not counted.
    WiringOnly,
}

impl ClaimVerdict {
    /// `pass`, `FAIL` or `wiring only`.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "FAIL",
            Self::WiringOnly => "wiring only",
        }
    }
}

impl ClaimResult {
    /// The verdict from the evidence checks alone.
    #[must_use]
    pub fn verdict(&self) -> ClaimVerdict {
        let mut evidence = self
            .checks
            .iter()
            .filter(|c| c.check.is_evidence())
            .peekable();
        if evidence.peek().is_none() {
            ClaimVerdict::WiringOnly
        } else if evidence.all(|c| c.pass) {
            ClaimVerdict::Pass
        } else {
            ClaimVerdict::Fail
        }
    }

    /// A claim passes when it has evidence checks and all of them pass (wiring checks
    /// are not counted).
    #[must_use]
    pub fn pass(&self) -> bool {
        self.verdict() == ClaimVerdict::Pass
    }

    /// The evidence checks: (passed, total).
    #[must_use]
    pub fn evidence_counts(&self) -> (usize, usize) {
        let evidence = self.checks.iter().filter(|c| c.check.is_evidence());
        (
            evidence.clone().filter(|c| c.pass).count(),
            evidence.count(),
        )
    }
}

/// The totals of a claims report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    /// Claims that pass.
    pub passed: usize,
    /// Claims counted (those with an evidence check).
    pub counted: usize,
    /// Claims with only wiring checks (not counted).
    pub wiring_only: usize,
    /// Evidence checks that pass.
    pub evidence_checks_passed: usize,
    /// Evidence checks.
    pub evidence_checks: usize,
    /// Wiring checks (reported, not counted).
    pub wiring_checks: usize,
}

impl Totals {
    /// The totals of `results`.
    #[must_use]
    pub fn of(results: &[ClaimResult]) -> Self {
        let mut t = Self {
            passed: 0,
            counted: 0,
            wiring_only: 0,
            evidence_checks_passed: 0,
            evidence_checks: 0,
            wiring_checks: 0,
        };
        for r in results {
            match r.verdict() {
                ClaimVerdict::Pass => {
                    t.passed += 1;
                    t.counted += 1;
                }
                ClaimVerdict::Fail => t.counted += 1,
                ClaimVerdict::WiringOnly => t.wiring_only += 1,
            }
            let (ok, n) = r.evidence_counts();
            t.evidence_checks_passed += ok;
            t.evidence_checks += n;
            t.wiring_checks += r.checks.len() - n;
        }
        t
    }

    /// "N of M claims pass (K wiring only, not counted); of E evidence checks P pass,
    /// W wiring checks not counted".
    #[must_use]
    pub fn headline(&self) -> String {
        format!(
            "{} of {} claims pass ({} wiring only, not counted); {} of {} evidence checks \
             pass, {} wiring checks reported but not counted",
            self.passed,
            self.counted,
            self.wiring_only,
            self.evidence_checks_passed,
            self.evidence_checks,
            self.wiring_checks
        )
    }
}

/// The expectation in words.
#[must_use]
pub fn expected_text(expected: Expected) -> String {
    match expected {
        Expected::Up => "up".to_string(),
        Expected::Down => "down".to_string(),
        Expected::Unchanged { tolerance } => format!("unchanged (within {tolerance}x)"),
        Expected::About { target, low, high } => format!("about {target}x ({low}-{high}x)"),
    }
}

/// The statistic in words.
#[must_use]
pub const fn statistic_text(statistic: Statistic) -> &'static str {
    match statistic {
        Statistic::End => "end",
        Statistic::Peak => "peak",
        Statistic::Mean => "time mean",
    }
}

/// Whether paired statistics meet an expectation.
#[must_use]
pub fn verdict(expected: Expected, p: &Paired) -> bool {
    let ratio_ok = |ok: fn(f64) -> bool| p.ratio.is_nan() || ok(p.ratio);
    match expected {
        Expected::Up => p.difference_ci.0 > 0.0 && ratio_ok(|r| r >= MIN_EFFECT),
        Expected::Down => p.difference_ci.1 < 0.0 && ratio_ok(|r| r <= 1.0 / MIN_EFFECT),
        Expected::Unchanged { tolerance } => {
            p.ratio.is_finite() && p.ratio >= 1.0 / tolerance && p.ratio <= tolerance
        }
        Expected::About { low, high, .. } => {
            p.ratio.is_finite() && p.ratio >= low && p.ratio <= high
        }
    }
}

/// The claims selected by ID (all when `ids` is empty), in table order.
///
/// # Errors
/// [`ValidationError::UnknownClaims`] naming every ID not in the table.
pub fn select(ids: &[String]) -> Result<Vec<Claim>, ValidationError> {
    let unknown: Vec<String> = ids
        .iter()
        .filter(|id| !CLAIMS.iter().any(|c| c.id.eq_ignore_ascii_case(id)))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        let all: Vec<&str> = CLAIMS.iter().map(|c| c.id).collect();
        return Err(ValidationError::UnknownClaims {
            unknown,
            all: all.join(", "),
        });
    }
    Ok(CLAIMS
        .iter()
        .filter(|c| ids.is_empty() || ids.iter().any(|id| c.id.eq_ignore_ascii_case(id)))
        .copied()
        .collect())
}

/// The experiments the selected claims need, loaded (quick or full size), in library
/// order.
///
/// # Errors
/// A bundled experiment that does not load.
pub fn experiments_for(claims: &[Claim], quick: bool) -> Result<Vec<Experiment>, ValidationError> {
    let mut out = Vec::new();
    for (name, _, _) in library::EXPERIMENTS {
        let needed = CHECKS
            .iter()
            .any(|c| c.experiment == name && claims.iter().any(|k| k.id == c.claim));
        if needed {
            out.push(library::load(name, quick)?);
        }
    }
    Ok(out)
}

/// Every run of the experiments as a run unit of a job folder: unit ids
/// `<experiment>/<arm>/rep<N>`, experiment by experiment, arm by arm, replicate by
/// replicate (the order [`read_units`] expects).
#[must_use]
pub fn job_units(experiments: &[Experiment]) -> Vec<JobUnit> {
    experiments
        .iter()
        .flat_map(|experiment| {
            experiment_units(experiment)
                .into_iter()
                .map(move |unit| JobUnit {
                    id: format!("{}/{}", experiment.name, unit_folder(experiment, &unit)),
                    scenario: unit.scenario,
                })
        })
        .collect()
}

/// The time series of every run of a finished job folder of [`job_units`], read back
/// from its unit folders, per experiment (what [`evaluate`] takes): a resumed job and
/// an uninterrupted one are evaluated from the same bytes, and only time series, never
/// whole runs, are held.
///
/// # Errors
/// A unit's `timeseries.csv` that cannot be read.
pub fn read_units(
    job: &JobFolder,
    experiments: &[Experiment],
) -> Result<Vec<Vec<ReplicateSeries>>, ValidationError> {
    read_units_at(job, experiments, 0)
}

/// As [`read_units`], for experiments whose units start at unit `first` of the job
/// (a job holding several sets of [`job_units`] one after the other, as `vcsim
/// robustness` does, one set per parameter draw).
///
/// # Errors
/// A unit's `timeseries.csv` that cannot be read.
pub fn read_units_at(
    job: &JobFolder,
    experiments: &[Experiment],
    first: usize,
) -> Result<Vec<Vec<ReplicateSeries>>, ValidationError> {
    let mut index = first;
    let mut out = Vec::with_capacity(experiments.len());
    for experiment in experiments {
        let mut runs = Vec::new();
        for unit in experiment_units(experiment) {
            let file = TimeseriesFile::read(&job.unit_dir(index).join("timeseries.csv"))
                .map_err(|e| ValidationError::Read(e.to_string()))?;
            runs.push(ReplicateSeries {
                arm: unit.arm,
                replicate: unit.replicate,
                timeseries: file.rows,
            });
            index += 1;
        }
        out.push(runs);
    }
    Ok(out)
}

/// Runs every arm × replicate of the experiments in this process, in parallel over runs
/// (each run on one thread), calling `done()` after each, and keeps their time series
/// in memory (for tests; `vcsim validate` runs [`job_units`] in a job folder).
///
/// # Errors
/// The first failing run.
pub fn run_all(
    experiments: &[Experiment],
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Vec<ReplicateSeries>>, ValidationError> {
    experiments
        .iter()
        .map(|experiment| {
            experiment_units(experiment)
                .into_par_iter()
                .map(|unit| {
                    let recorded = Simulation::new(&unit.scenario, Threads::Serial)
                        .and_then(|s| s.run(|_, _| {}))
                        .map_err(|error| ValidationError::Simulation {
                            experiment: experiment.name.clone(),
                            error,
                        })?;
                    done();
                    Ok(ReplicateSeries {
                        arm: unit.arm,
                        replicate: unit.replicate,
                        timeseries: recorded.timeseries,
                    })
                })
                .collect()
        })
        .collect()
}

/// The value of `column` in one run's time course.
#[must_use]
pub fn statistic_of(run: &ReplicateSeries, column: Column, statistic: Statistic) -> f64 {
    let mut values = run.timeseries.iter().map(|r| r.get(column));
    match statistic {
        Statistic::End => values.next_back().unwrap_or(f64::NAN),
        Statistic::Peak => values.fold(f64::NAN, f64::max),
        Statistic::Mean => {
            let (sum, n) = values.fold((0.0, 0.0), |(s, n), v| (s + v, n + 1.0));
            sum / n
        }
    }
}

/// Evaluates the checks of the selected claims on finished runs.
///
/// # Errors
/// A check naming an arm its experiment does not have.
pub fn evaluate(
    claims: &[Claim],
    experiments: &[Experiment],
    runs: &[Vec<ReplicateSeries>],
) -> Result<Vec<ClaimResult>, ValidationError> {
    let mut out = Vec::new();
    for claim in claims {
        let mut results = Vec::new();
        for check in CHECKS.iter().filter(|c| c.claim == claim.id) {
            let Some(e) = experiments.iter().position(|x| x.name == check.experiment) else {
                continue;
            };
            let arm_index = |name: &'static str| {
                experiments[e]
                    .arms
                    .iter()
                    .position(|a| a.name == name)
                    .ok_or(ValidationError::UnknownArm {
                        claim: check.claim,
                        experiment: check.experiment,
                        arm: name,
                    })
            };
            let (arm, reference) = (arm_index(check.arm)?, arm_index(check.reference)?);
            let values = |a: usize| -> Vec<f64> {
                let mut v: Vec<(usize, f64)> = runs[e]
                    .iter()
                    .filter(|r| r.arm == a)
                    .map(|r| (r.replicate, statistic_of(r, check.column, check.statistic)))
                    .collect();
                v.sort_by_key(|(i, _)| *i);
                v.into_iter().map(|(_, x)| x).collect()
            };
            let (arm_values, reference_values) = (values(arm), values(reference));
            let p = paired(&arm_values, &reference_values);
            results.push(CheckResult {
                check: *check,
                replicates: arm_values.len(),
                pass: verdict(check.expected, &p),
                arm_values,
                reference_values,
                paired: p,
            });
        }
        out.push(ClaimResult {
            claim: *claim,
            checks: results,
        });
    }
    Ok(out)
}

/// The rows of `validation.csv`: one per check.
#[must_use]
pub fn check_rows(results: &[ClaimResult]) -> Vec<CheckRow> {
    let mut rows = Vec::new();
    for claim in results {
        for r in &claim.checks {
            let c = &r.check;
            let (low, high) = match c.expected {
                Expected::Up => (MIN_EFFECT, f64::INFINITY),
                Expected::Down => (0.0, 1.0 / MIN_EFFECT),
                Expected::Unchanged { tolerance } => (1.0 / tolerance, tolerance),
                Expected::About { low, high, .. } => (low, high),
            };
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
            let p = &r.paired;
            rows.push(CheckRow {
                claim: c.claim.to_string(),
                claim_pass: claim.pass(),
                claim_verdict: claim.verdict().label().to_string(),
                kind: c.kind.label().to_string(),
                wiring_reason: c.kind.reason().to_string(),
                experiment: c.experiment.to_string(),
                arm: c.arm.to_string(),
                reference: c.reference.to_string(),
                readout: c.column.label().to_string(),
                column: c.column,
                statistic: statistic_text(c.statistic).to_string(),
                expected: expected_text(c.expected),
                expected_low: low,
                expected_high: high,
                replicates: r.replicates,
                arm_mean: mean(&r.arm_values),
                reference_mean: mean(&r.reference_values),
                difference: p.difference,
                difference_ci95_low: p.difference_ci.0,
                difference_ci95_high: p.difference_ci.1,
                ratio: p.ratio,
                ratio_ci95_low: p.ratio_ci.0,
                ratio_ci95_high: p.ratio_ci.1,
                p_value_paired_t: p.p_value,
                pass: r.pass,
            });
        }
    }
    rows
}

/// Writes `validation.csv`: one row per check.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_csv(out: &mut dyn Write, results: &[ClaimResult]) -> io::Result<()> {
    write_checks(out, &check_rows(results))
}

fn short(v: f64) -> String {
    if v.is_nan() {
        "–".to_string()
    } else if v.is_infinite() {
        "∞".to_string()
    } else if v != 0.0 && (v.abs() < 0.01 || v.abs() >= 1e4) {
        format!("{v:.2e}")
    } else {
        format!("{v:.3}")
    }
}

/// The measured effect in words: ratio [CI], or the difference [CI] where the ratio is
/// undefined (a zero value).
#[must_use]
pub fn measured_text(p: &Paired) -> String {
    if p.ratio.is_nan() {
        format!(
            "Δ {} [{}, {}]",
            short(p.difference),
            short(p.difference_ci.0),
            short(p.difference_ci.1)
        )
    } else {
        format!(
            "{}x [{}, {}]",
            short(p.ratio),
            short(p.ratio_ci.0),
            short(p.ratio_ci.1)
        )
    }
}

/// Writes `validation.md`: the claim table, then every check.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_markdown(
    out: &mut dyn Write,
    results: &[ClaimResult],
    mode: &str,
    replicates: &str,
) -> io::Result<()> {
    let totals = Totals::of(results);
    writeln!(out, "# vcsim claims report\n")?;
    writeln!(
        out,
        "{} ({mode} mode, {replicates}).\n\n\
         A claim passes when all its **evidence** checks pass. **Wiring** checks follow from \
         a mapping or a bound rather than from the biology they name (a knockout deleting \
         the measured species or its only driver, a catalog entry scaling the readout \
         directly, a readout that cannot reach or leave the limit): they are listed with \
         their reason below and not counted, and a claim with only wiring checks is \
         \"wiring only\", not counted in the total. Each check compares an arm with a \
         reference arm of the same experiment over paired replicates (same seeds): ratio = \
         geometric mean of within-pair ratios [95% CI]; where a value is 0 the paired \
         difference Δ [95% CI] is shown. \"Up\" needs the difference CI above 0 and a ratio \
         ≥ {MIN_EFFECT}; \"down\" the mirror image; \"unchanged\" a ratio within \
         {UNCHANGED}-fold. Several parameters were calibrated against these claims, so this \
         is a consistency report, not validation: the comparison with published \
         measurements is `quantitative.md`.\n",
        totals.headline()
    )?;
    writeln!(
        out,
        "| claim | result | evidence checks passed | wiring checks | claim (short) |"
    )?;
    writeln!(out, "|---|---|---|---|---|")?;
    for r in results {
        let (ok, n) = r.evidence_counts();
        writeln!(
            out,
            "| {} | {} | {ok}/{n} | {} | {} |",
            r.claim.id,
            r.verdict().label(),
            r.checks.len() - n,
            r.claim.text
        )?;
    }
    writeln!(out, "\n## Evidence checks\n")?;
    check_table(out, results, true)?;
    writeln!(out, "\n## Wiring checks (reported, not counted)\n")?;
    check_table(out, results, false)?;
    Ok(())
}

/// One markdown table of the evidence checks (`evidence`) or of the wiring checks with
/// their reasons.
fn check_table(out: &mut dyn Write, results: &[ClaimResult], evidence: bool) -> io::Result<()> {
    let extra = if evidence { "" } else { " why wiring |" };
    writeln!(
        out,
        "| claim | experiment | arm vs reference | readout | expected | measured [95% CI] | p | result |{extra}"
    )?;
    writeln!(
        out,
        "|---|---|---|---|---|---|---|---|{}",
        if evidence { "" } else { "---|" }
    )?;
    for r in results {
        for c in r
            .checks
            .iter()
            .filter(|c| c.check.is_evidence() == evidence)
        {
            let k = &c.check;
            write!(
                out,
                "| {} | {} | {} vs {} | {} ({}) | {} | {} | {} | {} |",
                k.claim,
                k.experiment,
                k.arm,
                k.reference,
                k.column.label(),
                statistic_text(k.statistic),
                expected_text(k.expected),
                measured_text(&c.paired),
                short(c.paired.p_value),
                if c.pass { "pass" } else { "FAIL" }
            )?;
            if evidence {
                writeln!(out)?;
            } else {
                writeln!(out, " {} |", k.kind.reason())?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_claim_has_a_check_and_every_check_a_claim_and_arms() {
        assert_eq!(CLAIMS.len(), 41);
        for claim in CLAIMS {
            assert!(
                CHECKS.iter().any(|c| c.claim == claim.id),
                "{} has no check",
                claim.id
            );
        }
        for check in CHECKS {
            assert!(CLAIMS.iter().any(|c| c.id == check.claim), "{check:?}");
            let e = library::load(check.experiment, true).unwrap();
            for arm in [check.arm, check.reference] {
                assert!(e.arms.iter().any(|a| a.name == arm), "{check:?}: {arm}");
            }
            assert_ne!(check.arm, check.reference);
        }
    }

    fn paired_of(arm: &[f64], reference: &[f64]) -> Paired {
        paired(arm, reference)
    }

    #[test]
    fn verdicts_follow_the_expectation() {
        let up = paired_of(&[2.0, 2.2, 2.1], &[1.0, 1.1, 1.0]);
        assert!(verdict(Expected::Up, &up));
        assert!(!verdict(Expected::Down, &up));
        assert!(!verdict(Expected::Unchanged { tolerance: 1.5 }, &up));
        assert!(verdict(
            Expected::About {
                target: 2.0,
                low: 1.5,
                high: 3.0
            },
            &up
        ));
        // Significant but negligible: not an effect.
        let tiny = paired_of(&[1.01, 1.011, 1.012], &[1.0, 1.001, 1.002]);
        assert!(!verdict(Expected::Up, &tiny));
        assert!(verdict(Expected::Unchanged { tolerance: 1.5 }, &tiny));
        // A zero reference: the difference decides.
        let from_zero = paired_of(&[0.5, 0.6, 0.55], &[0.0, 0.0, 0.0]);
        assert!(verdict(Expected::Up, &from_zero));
        // Noise that crosses zero is not "up".
        let noisy = paired_of(&[2.0, 0.5, 1.8], &[1.0, 1.0, 1.0]);
        assert!(!verdict(Expected::Up, &noisy));
    }

    fn result_of(checks: &[(CheckKind, bool)]) -> ClaimResult {
        let p = paired_of(&[2.0, 2.2, 2.1], &[1.0, 1.1, 1.0]);
        ClaimResult {
            claim: CLAIMS[0],
            checks: checks
                .iter()
                .map(|&(kind, pass)| CheckResult {
                    check: Check { kind, ..CHECKS[0] },
                    replicates: 3,
                    arm_values: vec![],
                    reference_values: vec![],
                    paired: p,
                    pass,
                })
                .collect(),
        }
    }

    #[test]
    fn only_evidence_checks_decide_a_claim() {
        let wiring = CheckKind::Wiring { reason: "test" };
        let e = CheckKind::Evidence;
        // A failing wiring check does not fail a claim whose evidence passes ...
        let r = result_of(&[(e, true), (wiring, false)]);
        assert_eq!(r.verdict(), ClaimVerdict::Pass);
        assert_eq!(r.evidence_counts(), (1, 1));
        // ... nor does a passing one rescue a failing evidence check.
        assert_eq!(
            result_of(&[(e, false), (wiring, true)]).verdict(),
            ClaimVerdict::Fail
        );
        // Wiring alone is not counted.
        let only = result_of(&[(wiring, true), (wiring, true)]);
        assert_eq!(only.verdict(), ClaimVerdict::WiringOnly);
        assert!(!only.pass());
        let t = Totals::of(&[r, only]);
        assert_eq!((t.passed, t.counted, t.wiring_only), (1, 1, 1));
        assert_eq!((t.evidence_checks, t.wiring_checks), (1, 3));
        assert!(
            t.headline()
                .starts_with("1 of 1 claims pass (1 wiring only")
        );
    }

    #[test]
    fn every_wiring_check_says_why_and_the_floor_is_at_least_20_percent() {
        const { assert!(MIN_EFFECT >= 1.2) };
        for c in CHECKS {
            if let CheckKind::Wiring { reason } = c.kind {
                assert!(reason.len() > 20, "{c:?}");
            }
        }
        assert!(CHECKS.iter().filter(|c| c.is_evidence()).count() > CHECKS.len() / 2);
    }

    /// A check on a bounded readout must be able to reach and leave its limits, or be
    /// labelled wiring: p-JNK lies in [1, 1 + aJ) and caspase-12 in [1, 1 + a12].
    #[test]
    fn bounded_readouts_can_leave_their_limits_or_are_wiring() {
        let p = crate::model::jnk_caspase12::JnkCaspase12Params::default();
        let bounds = [
            (Column::PJnkMean, 1.0 + p.ire1_jnk_gain),
            (Column::Caspase12Mean, 1.0 + p.caspase12_gain),
        ];
        for c in CHECKS.iter().filter(|c| c.is_evidence()) {
            let Some(&(_, max)) = bounds.iter().find(|(col, _)| *col == c.column) else {
                continue;
            };
            // Both values lie in [1, max]: the ratio in [1/max, max].
            match c.expected {
                Expected::Up => assert!(max >= MIN_EFFECT, "{c:?}"),
                Expected::Down => assert!(1.0 / max <= 1.0 / MIN_EFFECT, "{c:?}"),
                Expected::Unchanged { tolerance } => {
                    assert!(max > tolerance, "{c:?} cannot leave its tolerance");
                }
                Expected::About { low, high, .. } => {
                    assert!(max > high && max >= low, "{c:?} cannot leave {high}");
                }
            }
        }
    }

    #[test]
    fn unknown_claims_are_named() {
        let e = select(&["OS-9".to_string()]).unwrap_err();
        assert!(e.to_string().contains("OS-9"));
        assert_eq!(select(&["os-3".to_string()]).unwrap()[0].id, "OS-3");
        assert_eq!(select(&[]).unwrap().len(), 41);
    }
}
