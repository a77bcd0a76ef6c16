//! Global sensitivity analyses (`vcsim sensitivity SPEC.toml`): which factors move which
//! readouts, by Morris elementary effects (screening) or Sobol indices (variance
//! apportioned), on the designs and estimators of [`crate::sensitivity`].
//!
//! ```toml
//! [sensitivity]
//! name = "calcium-screen"
//! base = "calcifying-medium.toml"
//! method = "morris"                  # or "sobol"
//! trajectories = 10                  # Morris: r trajectories on a grid of `levels`
//! levels = 4
//! replicates = 2                     # runs per design point (seeds seed, seed + 1), averaged
//! readouts = ["calcium_ug_per_mg_protein@14"]
//!
//! [[factor]]
//! parameter = "osteogenic.k_runx2"
//! range = [0.5, 1.5]
//! ```
//!
//! Factors and readouts are those of a sweep ([`super::sweep`]); every factor has a range.
//! A design point's output is the mean of its replicates' readout. Morris's elementary
//! effects are changes of the readout per the factor's whole range (the design moves
//! each factor by Δ of its range and divides by Δ), so μ* is in the readout's unit.

use super::sweep::{
    Checker, FactorFile, FactorForm, HeadKeys, RunIndex, Study, StudyError, common_type_in_words,
    load_file, parse_raw, runs, study, to_values,
};
use crate::scenario::error::{ProblemKind, Value};
use crate::scenario::file::without_indices;
use crate::scenario::{Scenario, ScenarioError};
use crate::sensitivity::IndexError;
use crate::sensitivity::design::{
    MAX_SOBOL_DIMENSIONS, MAX_SOBOL_POINTS, MorrisDesign, SaltelliDesign,
};
use crate::sensitivity::morris::{MorrisIndex, morris_indices};
use crate::sensitivity::sobol::{SobolIndex, sobol_indices};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::Path;
use toml::Spanned;

/// The method and its design size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// Morris elementary effects: `trajectories · (factors + 1)` points.
    Morris {
        /// Trajectories `r`.
        trajectories: usize,
        /// Grid levels `p` (even).
        levels: usize,
    },
    /// Sobol first- and total-order indices on Saltelli's design: `samples · (factors +
    /// 2)` points.
    Sobol {
        /// Base points `N`.
        samples: usize,
    },
}

/// [1] Morris trajectories when the file gives none: 10, the low end of the 10-20 that
/// Campolongo et al. (2007) found enough to rank factors.
const DEFAULT_TRAJECTORIES: usize = 10;
/// [1] Morris levels when the file gives none: 4, the usual choice (Saltelli et al. 2008,
/// Global Sensitivity Analysis: The Primer, ch. 3).
const DEFAULT_LEVELS: usize = 4;
/// [1] Sobol base points when the file gives none: 64, a power of two (balances the
/// Sobol sequence); enough to rank the total indices of a handful of factors.
const DEFAULT_SAMPLES: usize = 64;
/// [1] Bootstrap resamples when the file gives none: 1000, `SALib`'s default.
const DEFAULT_BOOTSTRAP: usize = 1000;
/// [1] The most bootstrap resamples.
const MAX_BOOTSTRAP: usize = 100_000;

/// A validated sensitivity analysis.
#[derive(Clone, Debug)]
pub struct Sensitivity {
    /// Base, factors, readouts, replicates.
    pub study: Study,
    /// Morris or Sobol, with the design's size.
    pub method: Method,
    /// Bootstrap resamples of the confidence intervals.
    pub bootstrap: usize,
    /// The design's points on the unit cube (trajectory by trajectory for Morris, in
    /// `SALib`'s order for Sobol).
    pub unit_points: Vec<Vec<f64>>,
    /// The same points in the factors' values.
    pub points: Vec<Vec<f64>>,
    morris: Option<MorrisDesign>,
}

/// The indices of one readout.
#[derive(Clone, Debug, PartialEq)]
pub enum Indices {
    /// Per factor: μ, μ*, σ, CI of μ*.
    Morris(Vec<MorrisIndex>),
    /// Per factor: S1, ST and their CIs.
    Sobol(Vec<SobolIndex>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SensitivityFile {
    sensitivity: Option<Spanned<SensitivityMeta>>,
    factor: Option<Vec<Spanned<FactorFile>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SensitivityMeta {
    name: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    base: Option<Spanned<String>>,
    method: Option<Spanned<String>>,
    trajectories: Option<Spanned<i64>>,
    levels: Option<Spanned<i64>>,
    samples: Option<Spanned<i64>>,
    bootstrap: Option<Spanned<i64>>,
    replicates: Option<Spanned<i64>>,
    seed: Option<Spanned<u64>>,
    readouts: Option<Spanned<Vec<Spanned<String>>>>,
    duration_days: Option<Spanned<f64>>,
    axial_sites: Option<Spanned<i64>>,
    circumferential_sites: Option<Spanned<i64>>,
}

fn type_in_words(key_path: &str) -> Option<String> {
    let key = without_indices(key_path);
    let words = match key.as_str() {
        "sensitivity" => "a table `[sensitivity]`".to_string(),
        "sensitivity.method" => "a string: `morris` or `sobol`".to_string(),
        "sensitivity.trajectories" => {
            "a whole number in [2, 10000]: Morris trajectories".to_string()
        }
        "sensitivity.levels" => "an even whole number in [2, 20]: Morris grid levels".to_string(),
        "sensitivity.samples" => {
            format!("a whole number in [2, {MAX_SOBOL_POINTS}]: Sobol base points N")
        }
        "sensitivity.bootstrap" => {
            format!("a whole number in [10, {MAX_BOOTSTRAP}]: bootstrap resamples")
        }
        _ => return common_type_in_words("sensitivity", key_path),
    };
    Some(words)
}

/// The methods.
const METHODS: [&str; 2] = ["morris", "sobol"];

impl Sensitivity {
    /// Loads and validates a sensitivity file and its base scenario.
    ///
    /// # Errors
    /// I/O errors (`Io`, `BaseIo`) and every content problem found (`Invalid`).
    pub fn load(path: &Path) -> Result<Self, StudyError> {
        load_file(path, |text, origin, read_base| {
            Self::parse(text, origin, read_base)
        })
    }

    /// Validates a sensitivity analysis given as text (see [`super::sweep::Sweep::parse`]).
    ///
    /// # Errors
    /// Errors of `read_base`, and every content problem found (`Invalid`).
    pub fn parse(
        text: &str,
        origin: &str,
        read_base: &super::sweep::BaseReader<'_>,
    ) -> Result<Self, StudyError> {
        let mut check = Checker {
            text,
            origin,
            problems: Vec::new(),
            left_out: Vec::new(),
        };
        let Some(file) = parse_raw::<SensitivityFile>(text, &mut check, &type_in_words) else {
            return Err(check.into_error());
        };
        let Some(meta) = &file.sensitivity else {
            if !check.left_out("sensitivity") {
                check.report(None, "sensitivity", None, ProblemKind::MissingTable);
            }
            return Err(check.into_error());
        };
        let span = meta.span();
        let meta = meta.get_ref();
        let mut method_valid = true;
        let method_name = match &meta.method {
            Some(m) if METHODS.contains(&m.get_ref().as_str()) => m.get_ref().as_str(),
            Some(m) => {
                let kind = ProblemKind::UnknownName {
                    what: "method",
                    expected: METHODS.to_vec(),
                    suggestion: crate::model::parameters::DidYouMean(
                        crate::model::parameters::closest(m.get_ref(), METHODS),
                    ),
                };
                check.report(
                    Some(m.span()),
                    "sensitivity.method",
                    Some(Value::from(m.get_ref())),
                    kind,
                );
                method_valid = false;
                ""
            }
            None => {
                check.missing(span.clone(), "sensitivity.method");
                method_valid = false;
                ""
            }
        };
        let not_for =
            |check: &mut Checker<'_>, key: &Option<Spanned<i64>>, name: &str, method: &str| {
                if let Some(k) = key {
                    check.at(
                        k.span(),
                        &format!("sensitivity.{name}: only for method = \"{method}\""),
                    );
                    false
                } else {
                    true
                }
            };
        let method = match method_name {
            "morris" => {
                method_valid &= not_for(&mut check, &meta.samples, "samples", "sobol");
                let trajectories = meta
                    .trajectories
                    .as_ref()
                    .map_or(Some(DEFAULT_TRAJECTORIES), |t| {
                        check.count_in(t, "sensitivity.trajectories", 2.0, 10_000.0)
                    });
                let levels = match &meta.levels {
                    None => Some(DEFAULT_LEVELS),
                    Some(l) => match check.count_in(l, "sensitivity.levels", 2.0, 20.0) {
                        Some(n) if n % 2 == 0 => Some(n),
                        Some(n) => {
                            check.report(
                                Some(l.span()),
                                "sensitivity.levels",
                                Some(Value::Integer(i64::try_from(n).unwrap_or(0))),
                                ProblemKind::BadForm { expected: "even (Morris's step Δ = p / (2(p - 1)) lands on the grid only for even p)" },
                            );
                            None
                        }
                        None => None,
                    },
                };
                match (trajectories, levels) {
                    (Some(trajectories), Some(levels)) => Some(Method::Morris {
                        trajectories,
                        levels,
                    }),
                    _ => None,
                }
            }
            "sobol" => {
                method_valid &= not_for(&mut check, &meta.trajectories, "trajectories", "morris");
                method_valid &= not_for(&mut check, &meta.levels, "levels", "morris");
                meta.samples
                    .as_ref()
                    .map_or(Some(DEFAULT_SAMPLES), |s| {
                        check.count_in(s, "sensitivity.samples", 2.0, MAX_SOBOL_POINTS as f64)
                    })
                    .map(|samples| Method::Sobol { samples })
            }
            _ => None,
        };
        let bootstrap = meta
            .bootstrap
            .as_ref()
            .map_or(Some(DEFAULT_BOOTSTRAP), |b| {
                check.count_in(b, "sensitivity.bootstrap", 10.0, MAX_BOOTSTRAP as f64)
            });
        let head = HeadKeys {
            table: "sensitivity",
            span: span.clone(),
            name: &meta.name,
            description: &meta.description,
            base: &meta.base,
            replicates: &meta.replicates,
            seed: &meta.seed,
            readouts: &meta.readouts,
            duration_days: &meta.duration_days,
            axial_sites: &meta.axial_sites,
            circumferential_sites: &meta.circumferential_sites,
        };
        let found = study(
            &head,
            file.factor.as_ref(),
            FactorForm::Range,
            &mut check,
            read_base,
        )?;
        let (Some(study), Some(method), Some(bootstrap), true) =
            (found, method, bootstrap, method_valid)
        else {
            return Err(check.into_error());
        };
        let k = study.factors.len();
        let fail = |message: String| StudyError::Invalid {
            problems: vec![format!("{origin}: {message}")],
        };
        let (unit_points, morris) = match method {
            Method::Morris {
                trajectories,
                levels,
            } => {
                let design = MorrisDesign::new(trajectories, k, levels, study.seed)
                    .map_err(|e| fail(format!("sensitivity: {e}")))?;
                (
                    design.trajectories.iter().flatten().cloned().collect(),
                    Some(design),
                )
            }
            Method::Sobol { samples } => {
                if k > MAX_SOBOL_DIMENSIONS / 2 {
                    return Err(fail(format!(
                        "{k} factors: Saltelli's design takes at most {}",
                        MAX_SOBOL_DIMENSIONS / 2
                    )));
                }
                let design = SaltelliDesign::new(samples, k, study.seed)
                    .map_err(|e| fail(format!("sensitivity: {e}")))?;
                (design.points, None)
            }
        };
        let runs = unit_points.len().saturating_mul(study.replicates);
        if runs > super::sweep::MAX_RUNS {
            return Err(fail(format!(
                "{} design points x {} replicates is more than the {} runs an analysis may have",
                unit_points.len(),
                study.replicates,
                super::sweep::MAX_RUNS
            )));
        }
        let points = to_values(&study.factors, &unit_points);
        Ok(Self {
            study,
            method,
            bootstrap,
            unit_points,
            points,
            morris,
        })
    }

    /// Every run, point by point.
    #[must_use]
    pub fn runs(&self) -> Vec<RunIndex> {
        runs(self.points.len(), self.study.replicates)
    }

    /// The scenario of a run.
    ///
    /// # Errors
    /// As [`Study::scenario`].
    pub fn scenario(&self, run: RunIndex) -> Result<Scenario, ScenarioError> {
        self.study.scenario(&self.points[run.point], run.replicate)
    }

    /// The indices of every readout from every run's readouts (`per_run[run][readout]`,
    /// in [`Sensitivity::runs`] order): each point's output is the mean of its
    /// replicates.
    #[must_use]
    pub fn indices(&self, per_run: &[Vec<f64>]) -> Vec<Result<Indices, IndexError>> {
        let replicates = self.study.replicates;
        (0..self.study.readouts.len())
            .map(|readout| {
                let outputs: Vec<f64> = (0..self.points.len())
                    .map(|point| {
                        let values = &per_run[point * replicates..(point + 1) * replicates];
                        #[expect(clippy::cast_precision_loss, reason = "at most 100 replicates")]
                        let n = replicates as f64;
                        values.iter().map(|v| v[readout]).sum::<f64>() / n
                    })
                    .collect();
                // Each readout's bootstrap has its own stream.
                let seed = self.study.seed ^ (readout as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                match (&self.morris, self.method) {
                    (Some(design), _) => {
                        morris_indices(design, &outputs, self.bootstrap, seed).map(Indices::Morris)
                    }
                    (None, _) => {
                        sobol_indices(&outputs, self.study.factors.len(), self.bootstrap, seed)
                            .map(Indices::Sobol)
                    }
                }
            })
            .collect()
    }

    /// Its `sensitivity.json`: what was run, for reproducing it.
    #[must_use]
    pub fn manifest(&self) -> SensitivityManifest<'_> {
        SensitivityManifest {
            sensitivity: &self.study.name,
            description: &self.study.description,
            base: &self.study.base_path,
            method: self.method,
            bootstrap: self.bootstrap,
            replicates: self.study.replicates,
            seed: self.study.seed,
            factors: &self.study.factors,
            readouts: &self.study.readouts,
            unit_points: &self.unit_points,
            vcsim_version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// `sensitivity.json`.
#[derive(Debug, Serialize)]
pub struct SensitivityManifest<'a> {
    /// The analysis's name.
    pub sensitivity: &'a str,
    /// Its description.
    pub description: &'a str,
    /// The base scenario as the file names it.
    pub base: &'a str,
    /// Morris or Sobol, with the design's size.
    pub method: Method,
    /// Bootstrap resamples.
    pub bootstrap: usize,
    /// Replicates per point.
    pub replicates: usize,
    /// Seed of replicate 0, of the design and of the bootstrap.
    pub seed: u64,
    /// The factors.
    pub factors: &'a [super::sweep::Factor],
    /// The readouts.
    pub readouts: &'a [super::sweep::Readout],
    /// The design's points on the unit cube (the factors' values are in the table of
    /// runs).
    pub unit_points: &'a [Vec<f64>],
    /// The vcsim version that ran it.
    pub vcsim_version: &'static str,
}

/// A number of `indices.csv`; NaN (no index) is an empty field.
fn field(value: f64) -> String {
    if value.is_nan() {
        String::new()
    } else {
        format!("{value}")
    }
}

/// The columns of `indices.csv` for Morris.
pub const MORRIS_COLUMNS: [&str; 6] = ["readout", "factor", "mu", "mu_star", "sigma", "mu_star_ci"];
/// The columns of `indices.csv` for Sobol.
pub const SOBOL_COLUMNS: [&str; 6] = ["readout", "factor", "S1", "S1_ci", "ST", "ST_ci"];

/// Writes `indices.csv`: one row per readout and factor; a readout without indices (it
/// did not vary, or a run has no value) has empty fields (`sensitivity.md` says why).
///
/// # Errors
/// I/O errors of the writer.
pub fn write_indices_csv(
    out: &mut dyn Write,
    analysis: &Sensitivity,
    indices: &[Result<Indices, IndexError>],
) -> io::Result<()> {
    let columns = match analysis.method {
        Method::Morris { .. } => MORRIS_COLUMNS,
        Method::Sobol { .. } => SOBOL_COLUMNS,
    };
    writeln!(out, "{}", columns.join(","))?;
    for (readout, result) in analysis.study.readouts.iter().zip(indices) {
        for (j, factor) in analysis.study.factors.iter().enumerate() {
            let values: [f64; 4] = match result {
                Ok(Indices::Morris(m)) => [m[j].mu, m[j].mu_star, m[j].sigma, m[j].mu_star_ci],
                Ok(Indices::Sobol(s)) => [
                    s[j].first_order,
                    s[j].first_order_ci,
                    s[j].total_order,
                    s[j].total_order_ci,
                ],
                Err(_) => [f64::NAN; 4],
            };
            let fields: Vec<String> = values.iter().map(|v| field(*v)).collect();
            writeln!(out, "{},{},{}", readout.name, factor.name, fields.join(","))?;
        }
    }
    Ok(())
}

/// A number for the report: 3 significant digits.
fn short(v: f64) -> String {
    if v.is_nan() {
        "n/a".to_string()
    } else if v != 0.0 && (v.abs() < 0.01 || v.abs() >= 1e4) {
        format!("{v:.2e}")
    } else {
        format!("{v:.3}")
    }
}

/// The factors of one readout ranked by importance (μ* or ST, largest first), as
/// `(factor index, importance)`.
#[must_use]
pub fn ranking(indices: &Indices) -> Vec<(usize, f64)> {
    let mut ranked: Vec<(usize, f64)> = match indices {
        Indices::Morris(m) => m.iter().map(|i| i.mu_star).enumerate().collect(),
        Indices::Sobol(s) => s.iter().map(|i| i.total_order).enumerate().collect(),
    };
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

/// The top factors of each readout in one line each (`readout: A (μ* 1.2), B (...)`), for
/// the command's summary.
#[must_use]
pub fn headline(analysis: &Sensitivity, indices: &[Result<Indices, IndexError>]) -> Vec<String> {
    let measure = match analysis.method {
        Method::Morris { .. } => "mu*",
        Method::Sobol { .. } => "ST",
    };
    analysis
        .study
        .readouts
        .iter()
        .zip(indices)
        .map(|(readout, result)| match result {
            Ok(found) => {
                let top: Vec<String> = ranking(found)
                    .iter()
                    .take(3)
                    .map(|(j, v)| {
                        format!(
                            "{} ({measure} {})",
                            analysis.study.factors[*j].name,
                            short(*v)
                        )
                    })
                    .collect();
                format!("{}: {}", readout.name, top.join(", "))
            }
            Err(e) => format!("{}: no indices: {e}", readout.name),
        })
        .collect()
}

/// Writes `sensitivity.md`: the method in words and, per readout, the factors ranked.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_report_md(
    out: &mut dyn Write,
    analysis: &Sensitivity,
    indices: &[Result<Indices, IndexError>],
) -> io::Result<()> {
    let study = &analysis.study;
    writeln!(out, "# {}\n", study.name)?;
    if !study.description.is_empty() {
        writeln!(out, "{}\n", study.description)?;
    }
    let k = study.factors.len();
    let points = analysis.points.len();
    let replicates = match study.replicates {
        1 => "1 run".to_string(),
        n => format!(
            "the mean of {n} runs (seeds {} to {})",
            study.seed,
            study.seed + n as u64 - 1
        ),
    };
    match analysis.method {
        Method::Morris {
            trajectories,
            levels,
        } => writeln!(
            out,
            "Morris elementary effects (Morris 1991): {trajectories} trajectories on a grid of \
             {levels} levels over {k} factors, {points} design points, each point's output \
             {replicates}; base scenario {}. μ* is the mean absolute elementary effect \
             (Campolongo et al. 2007): how much the readout changes, in its own unit, when \
             the factor moves across its whole range, averaged over the other factors' values; \
             σ is their standard deviation (large σ: the effect depends on the other factors \
             or is not linear); μ is the mean signed effect. The 95% CI of μ* is from {} \
             bootstrap resamples of the effects. Rank factors by μ*.\n",
            study.base_path, analysis.bootstrap
        )?,
        Method::Sobol { samples } => writeln!(
            out,
            "Sobol indices on Saltelli's design: N = {samples} base points over {k} factors, \
             {points} design points, each point's output {replicates}; base scenario {}. S1 \
             (first order, Saltelli et al. 2010) is the share of the readout's variance the \
             factor explains alone; ST (total order, Jansen 1999) its share including its \
             interactions. The 95% CIs are from {} bootstrap resamples. Rank factors by ST; \
             a factor with ST near 0 can be fixed anywhere in its range.\n",
            study.base_path, analysis.bootstrap
        )?,
    }
    writeln!(out, "| factor | sets | range | scale |\n|---|---|---|---|")?;
    for factor in &study.factors {
        let sets = match &factor.target {
            super::sweep::Target::Parameter { module, field } => {
                format!("parameters.{module}.{field}")
            }
            super::sweep::Target::Environment { key } => format!("environment.{key}"),
            super::sweep::Target::Treatment { id, field } => {
                format!("treatment {id} {}", field.name())
            }
        };
        let [lo, hi] = factor.range.unwrap_or([f64::NAN; 2]);
        writeln!(
            out,
            "| {} | {sets} | {} to {} {} | {} |",
            factor.name,
            short(lo),
            short(hi),
            factor.unit,
            if factor.log { "log" } else { "linear" }
        )?;
    }
    writeln!(out)?;
    for (readout, result) in study.readouts.iter().zip(indices) {
        writeln!(out, "## {}\n", readout.label())?;
        match result {
            Err(e) => writeln!(out, "No indices: {e}.\n")?,
            Ok(found) => {
                let ranked = ranking(found);
                match found {
                    Indices::Morris(m) => {
                        writeln!(
                            out,
                            "| rank | factor | μ* [95% CI] | μ | σ |\n|---|---|---|---|---|"
                        )?;
                        for (rank, (j, _)) in ranked.iter().enumerate() {
                            let i = &m[*j];
                            writeln!(
                                out,
                                "| {} | {} | {} [{}, {}] | {} | {} |",
                                rank + 1,
                                study.factors[*j].name,
                                short(i.mu_star),
                                short(i.mu_star - i.mu_star_ci),
                                short(i.mu_star + i.mu_star_ci),
                                short(i.mu),
                                short(i.sigma)
                            )?;
                        }
                    }
                    Indices::Sobol(s) => {
                        writeln!(
                            out,
                            "| rank | factor | ST [95% CI] | S1 [95% CI] |\n|---|---|---|---|"
                        )?;
                        for (rank, (j, _)) in ranked.iter().enumerate() {
                            let i = &s[*j];
                            writeln!(
                                out,
                                "| {} | {} | {} [{}, {}] | {} [{}, {}] |",
                                rank + 1,
                                study.factors[*j].name,
                                short(i.total_order),
                                short(i.total_order - i.total_order_ci),
                                short(i.total_order + i.total_order_ci),
                                short(i.first_order),
                                short(i.first_order - i.first_order_ci),
                                short(i.first_order + i.first_order_ci)
                            )?;
                        }
                    }
                }
                writeln!(out)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[meta]\nname = \"b\"\ndescription = \"d\"\n[geometry]\n\
        mode = \"in_vitro\"\naxial_sites = 2\ncircumferential_sites = 2\n[time]\n\
        duration_days = 2\n";

    fn parse(text: &str) -> Result<Sensitivity, StudyError> {
        Sensitivity::parse(text, "a.toml", &|_: &Path| {
            Ok((BASE.to_string(), "b.toml".to_string()))
        })
    }

    const FACTORS: &str = "[[factor]]\nenvironment = \"phosphate_mM\"\nrange = [1, 3]\n\
        [[factor]]\nenvironment = \"glucose_mM\"\nrange = [5, 25]\n";

    #[test]
    fn morris_and_sobol_designs_have_their_sizes_and_map_onto_the_ranges() {
        let text = format!(
            "[sensitivity]\nname = \"a\"\nbase = \"b.toml\"\nmethod = \"morris\"\ntrajectories = 5\nreplicates = 2\nreadouts = [\"chop_mean\"]\n{FACTORS}"
        );
        let analysis = parse(&text).expect("valid");
        assert_eq!(analysis.points.len(), 5 * 3);
        assert_eq!(analysis.runs().len(), 30);
        assert!(
            analysis
                .points
                .iter()
                .all(|p| (1.0..=3.0).contains(&p[0]) && (5.0..=25.0).contains(&p[1]))
        );
        let text = format!(
            "[sensitivity]\nname = \"a\"\nbase = \"b.toml\"\nmethod = \"sobol\"\nsamples = 8\nreadouts = [\"chop_mean\"]\n{FACTORS}"
        );
        let analysis = parse(&text).expect("valid");
        assert_eq!(analysis.points.len(), 8 * 4);
    }

    #[test]
    fn indices_average_the_replicates_and_find_the_factor_that_matters() {
        let text = format!(
            "[sensitivity]\nname = \"a\"\nbase = \"b.toml\"\nmethod = \"sobol\"\nsamples = 64\nreplicates = 2\nreadouts = [\"chop_mean\", \"grp78_mean\"]\n{FACTORS}"
        );
        let analysis = parse(&text).expect("valid");
        // Readout 0 = 2 × phosphate (+ replicate noise that averages out); readout 1 is
        // constant.
        let per_run: Vec<Vec<f64>> = analysis
            .runs()
            .iter()
            .map(|r| {
                let noise = if r.replicate == 0 { 0.1 } else { -0.1 };
                vec![2.0 * analysis.points[r.point][0] + noise, 1.0]
            })
            .collect();
        let found = analysis.indices(&per_run);
        let Ok(Indices::Sobol(s)) = &found[0] else {
            panic!("{found:?}")
        };
        assert!((s[0].total_order - 1.0).abs() < 0.05, "{s:?}");
        assert!(s[1].total_order.abs() < 1e-9, "{s:?}");
        assert!(matches!(found[1], Err(IndexError::Constant { .. })));
        let mut csv = Vec::new();
        write_indices_csv(&mut csv, &analysis, &found).expect("write");
        let csv = String::from_utf8(csv).expect("utf-8");
        assert!(csv.starts_with("readout,factor,S1,S1_ci,ST,ST_ci\nchop_mean_day2,phosphate_mM,"));
        assert!(csv.ends_with("grp78_mean_day2,glucose_mM,,,,\n"), "{csv}");
        let lines = headline(&analysis, &found);
        assert!(
            lines[0].starts_with("chop_mean_day2: phosphate_mM (ST 0.99")
                && lines[0].contains("glucose_mM (ST 0.000)"),
            "{lines:?}"
        );
    }

    #[test]
    fn method_keys_of_the_other_method_and_values_are_refused() {
        let text = "[sensitivity]\nname = \"a\"\nbase = \"b.toml\"\nmethod = \"sobol\"\ntrajectories = 4\nreadouts = [\"chop_mean\"]\n[[factor]]\nenvironment = \"phosphate_mM\"\nvalues = [1, 2]\n";
        let Err(StudyError::Invalid { problems }) = parse(text) else {
            panic!("expected problems")
        };
        assert!(
            problems.iter().any(|p| p.starts_with(
                "a.toml:5:16: sensitivity.trajectories: only for method = \"morris\""
            )),
            "{problems:?}"
        );
        assert!(problems.iter().any(|p| p.starts_with("a.toml:9:10: factor \"phosphate_mM\": values = [...]: a sampled design takes `range = [lo, hi]`")), "{problems:?}");
    }
}
