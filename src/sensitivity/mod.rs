//! Global sensitivity analysis: sampling designs on the unit hypercube and the estimators
//! that turn model outputs on those designs into sensitivity indices.
//!
//! This layer is pure mathematics: a factor is a coordinate in `[0, 1)`, an output is a
//! number. Mapping coordinates onto parameter ranges and running the model happen above
//! (the many-run commands); here the designs and estimators are checked on test functions
//! whose indices are known analytically ([`test_functions`]).
//!
//! - [`design`]: Saltelli's cross-sampled design for Sobol indices (rows in the order
//!   `SALib` uses, so its samples and ours are interchangeable), Morris trajectories, and the
//!   space-filling designs of parameter sweeps (scrambled Sobol points, Latin hypercube).
//! - [`sobol`]: first-order (Saltelli et al. 2010) and total-order (Jansen 1999) indices with
//!   bootstrap confidence intervals.
//! - [`morris`]: elementary effects (Morris 1991) with μ, μ* (Campolongo et al. 2007) and σ,
//!   and a bootstrap confidence interval of μ*.
//!
//! Confidence intervals follow `SALib`'s convention: the half-width is `z · SD` of the
//! bootstrap replicates, with `z` the normal quantile of the level (1.96 for 95%).

pub mod design;
pub mod morris;
pub mod sobol;
pub mod test_functions;

use std::fmt;

/// `z` of a two-sided 95% normal interval: the bootstrap half-width is `Z95 · SD`.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Why indices cannot be computed from a set of outputs.
#[derive(Clone, Debug, PartialEq)]
pub enum IndexError {
    /// The outputs do not fit the design (`expected` values, `found` given).
    WrongLength {
        /// Outputs the design needs.
        expected: usize,
        /// Outputs given.
        found: usize,
    },
    /// Output `index` is NaN or infinite.
    NonFinite {
        /// Position of the output in design order.
        index: usize,
    },
    /// Every output is the same: the readout does not vary over the design, so no
    /// variance can be apportioned.
    Constant {
        /// The one value.
        value: f64,
    },
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongLength { expected, found } => {
                write!(f, "the design needs {expected} outputs, {found} were given")
            }
            Self::NonFinite { index } => write!(f, "output {index} is not a finite number"),
            Self::Constant { value } => write!(
                f,
                "the output is {value} at every point of the design: it does not vary, so it has no sensitivity indices"
            ),
        }
    }
}

impl std::error::Error for IndexError {}

/// Checks that `outputs` are finite and not all equal.
fn check_outputs(outputs: &[f64]) -> Result<(), IndexError> {
    if let Some(index) = outputs.iter().position(|y| !y.is_finite()) {
        return Err(IndexError::NonFinite { index });
    }
    let first = outputs.first().copied().unwrap_or(0.0);
    if outputs.iter().all(|&y| y.to_bits() == first.to_bits()) {
        return Err(IndexError::Constant { value: first });
    }
    Ok(())
}

/// Mean and population variance (divisor n) of `values`.
fn mean_and_variance(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let (count, sum) = values
        .clone()
        .fold((0_usize, 0.0), |(n, s), v| (n + 1, s + v));
    #[expect(
        clippy::cast_precision_loss,
        reason = "sample counts are far below 2^52"
    )]
    let count = count as f64;
    let mean = sum / count;
    let squares = values.fold(0.0, |s, v| s + (v - mean) * (v - mean));
    (mean, squares / count)
}

/// Sample standard deviation (divisor n - 1) of `values`; 0 for fewer than two.
fn sample_sd(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let (_, variance) = mean_and_variance(values.iter().copied());
    #[expect(clippy::cast_precision_loss, reason = "bootstrap round counts")]
    let n = values.len() as f64;
    (variance * n / (n - 1.0)).sqrt()
}
