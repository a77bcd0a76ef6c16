//! `data/calibration/free-parameters.toml`: the free parameters (module, field, prior
//! range, scale, reason), the rows they are fitted to and the size of the fit, for the
//! full and the quick mode.

use crate::model::parameter_set::ModelParams;
use crate::scenario::Location;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The committed file, bundled in the library.
pub const FREE_PARAMETERS_TOML: &str = include_str!("../../data/calibration/free-parameters.toml");

/// The committed file's name in messages.
pub const FREE_PARAMETERS_FILE: &str = "data/calibration/free-parameters.toml";

/// How a parameter's prior is spread over its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// Uniform in log10 of the value.
    Log,
    /// Uniform in the value.
    Linear,
}

impl Scale {
    /// The name used in the file.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Log => "log",
            Self::Linear => "linear",
        }
    }
}

/// One free parameter and its prior.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeParameter {
    /// Parameter module (`vcsim params`).
    pub module: String,
    /// Field within the module.
    pub field: String,
    /// Lower end of the prior (parameter unit).
    pub low: f64,
    /// Upper end of the prior (parameter unit).
    pub high: f64,
    /// Uniform in the value or in its logarithm.
    pub scale: Scale,
    /// Which rows it informs and why its value is uncertain.
    pub reason: String,
    /// Where the CMA-ES starts (parameter unit): a declared value inside the prior (a
    /// committed earlier fit's, so that a re-run still reproduces the result), or the
    /// built-in value when absent.
    #[serde(default)]
    pub start: Option<f64>,
}

impl FreeParameter {
    /// `module.field`.
    #[must_use]
    pub fn key(&self) -> String {
        format!("{}.{}", self.module, self.field)
    }

    /// The value at position `u` in [0, 1] of the prior.
    #[must_use]
    pub fn at(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match self.scale {
            Scale::Log => self.low * (self.high / self.low).powf(u),
            Scale::Linear => self.low + u * (self.high - self.low),
        }
    }

    /// The position in [0, 1] of `value` in the prior (its inverse of [`Self::at`]).
    #[must_use]
    pub fn position(&self, value: f64) -> f64 {
        let u = match self.scale {
            Scale::Log => (value / self.low).ln() / (self.high / self.low).ln(),
            Scale::Linear => (value - self.low) / (self.high - self.low),
        };
        u.clamp(0.0, 1.0)
    }

    /// The prior as written in reports: `[low, high] log`.
    #[must_use]
    pub fn prior_text(&self) -> String {
        format!("[{:e}, {:e}] {}", self.low, self.high, self.scale.name())
    }
}

/// What a row without a number is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// The ratio stays within the no-change band.
    NoChange,
    /// The ratio is at least the band.
    Up,
}

/// The size of one mode of the fit.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModeSettings {
    /// Row ids fitted.
    pub rows: Vec<String>,
    /// `module.field` of the free parameters used (all when absent).
    #[serde(default)]
    pub parameters: Option<Vec<String>>,
    /// Paired replicates per arm per evaluation.
    pub replicates: usize,
    /// CMA-ES generations.
    pub generations: usize,
    /// Draws of the ABC importance sample.
    pub posterior_draws: usize,
    /// Share of draws within the ABC tolerance.
    pub tolerance_quantile: f64,
    /// The CMA-ES initial step in the unit cube of the priors (0.3 when absent).
    #[serde(default)]
    pub step: Option<f64>,
}

impl ModeSettings {
    /// The CMA-ES initial step in the unit cube: `step`, or 0.3.
    #[must_use]
    pub fn initial_step(&self) -> f64 {
        self.step.unwrap_or(0.3)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    full: ModeSettings,
    quick: ModeSettings,
    #[serde(default)]
    expect: BTreeMap<String, Expect>,
    parameter: Vec<FreeParameter>,
}

/// The calibration's declaration for one mode.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// The free parameters of this mode, in file order.
    pub parameters: Vec<FreeParameter>,
    /// The size and rows of this mode.
    pub settings: ModeSettings,
    /// Targets of rows without a number.
    pub expect: BTreeMap<String, Expect>,
}

/// `file:line:col` of a byte offset in `text` (columns in characters, as the scenario
/// files' errors count them).
fn place(file: &str, text: &str, offset: usize) -> String {
    format!("{file}:{}", Location::at(text, offset))
}

impl Spec {
    /// The committed declaration.
    ///
    /// # Errors
    /// As [`Spec::parse`] (a defect of the committed file, caught by the tests).
    pub fn committed(quick: bool) -> Result<Self, String> {
        Self::parse(FREE_PARAMETERS_FILE, FREE_PARAMETERS_TOML, quick)
    }

    /// Parses a declaration and picks the mode.
    ///
    /// # Errors
    /// Not TOML of this form; a parameter that does not exist; a prior outside the
    /// parameter's allowed range, empty, not containing the built-in value, or on a log
    /// scale with a low end at or below 0; an empty reason; a mode naming a parameter
    /// that is not declared; a size of 0; a quantile outside (0, 1]. Each problem names
    /// the file and what is wrong.
    pub fn parse(file: &str, text: &str, quick: bool) -> Result<Self, String> {
        let raw: RawSpec = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map_or_else(|| file.to_string(), |s| place(file, text, s.start));
            format!("{at}: {}", e.message().trim_end())
        })?;
        let defaults = ModelParams::built_in().rows();
        let mut problems = Vec::new();
        for (i, p) in raw.parameter.iter().enumerate() {
            let at = format!("{file}: parameter {} ({})", i + 1, p.key());
            let Some(row) = defaults
                .iter()
                .find(|r| r.module == p.module && r.field == p.field)
            else {
                problems.push(format!("{at}: no such parameter (see `vcsim params`)"));
                continue;
            };
            if !(p.low.is_finite() && p.high.is_finite() && p.low < p.high) {
                problems.push(format!("{at}: low {} must be below high {}", p.low, p.high));
            }
            if p.low < row.min || p.high > row.max {
                problems.push(format!(
                    "{at}: prior [{}, {}] leaves the allowed range [{}, {}]",
                    p.low, p.high, row.min, row.max
                ));
            }
            if p.scale == Scale::Log && p.low <= 0.0 {
                problems.push(format!("{at}: a log prior needs low > 0"));
            }
            if !(p.low..=p.high).contains(&row.value) {
                problems.push(format!(
                    "{at}: prior [{}, {}] does not contain the built-in value {}",
                    p.low, p.high, row.value
                ));
            }
            if let Some(start) = p.start
                && !(p.low..=p.high).contains(&start)
            {
                problems.push(format!(
                    "{at}: start {start} is outside the prior [{}, {}]",
                    p.low, p.high
                ));
            }
            if p.reason.trim().is_empty() {
                problems.push(format!(
                    "{at}: reason: empty (say which rows it informs and why)"
                ));
            }
            if raw.parameter[..i].iter().any(|q| q.key() == p.key()) {
                problems.push(format!("{at}: declared twice"));
            }
        }
        let settings = if quick { raw.quick } else { raw.full };
        let mode = if quick { "quick" } else { "full" };
        let parameters: Vec<FreeParameter> = match &settings.parameters {
            None => raw.parameter.clone(),
            Some(keys) => {
                for k in keys {
                    if !raw.parameter.iter().any(|p| &p.key() == k) {
                        problems.push(format!("{file}: [{mode}] parameters: {k} is not declared"));
                    }
                }
                raw.parameter
                    .iter()
                    .filter(|p| keys.contains(&p.key()))
                    .cloned()
                    .collect()
            }
        };
        if parameters.is_empty() {
            problems.push(format!("{file}: [{mode}]: no free parameter"));
        }
        if settings.rows.is_empty() {
            problems.push(format!("{file}: [{mode}] rows: empty"));
        }
        for (name, n) in [
            ("replicates", settings.replicates),
            ("generations", settings.generations),
            ("posterior_draws", settings.posterior_draws),
        ] {
            if n == 0 {
                problems.push(format!("{file}: [{mode}] {name}: expected at least 1"));
            }
        }
        if let Some(step) = settings.step
            && !(step > 0.0 && step <= 1.0)
        {
            problems.push(format!("{file}: [{mode}] step: {step} is not in (0, 1]"));
        }
        let q = settings.tolerance_quantile;
        if !(q > 0.0 && q <= 1.0) {
            problems.push(format!(
                "{file}: [{mode}] tolerance_quantile: {q} is not in (0, 1]"
            ));
        }
        if problems.is_empty() {
            Ok(Self {
                parameters,
                settings,
                expect: raw.expect,
            })
        } else {
            Err(problems.join("\n"))
        }
    }
}
