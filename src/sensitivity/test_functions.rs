//! Test functions of sensitivity analysis whose Sobol indices are known exactly: the
//! yardsticks the estimators are checked against (here, in the integration tests and
//! against `SALib` in CI).

use std::f64::consts::PI;

/// The Ishigami function (Ishigami & Homma 1990) on `[-π, π]^3`:
/// `f = sin x1 + a sin² x2 + b x3⁴ sin x1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ishigami {
    /// `a` (7 in the standard form).
    pub a: f64,
    /// `b` (0.1 in the standard form).
    pub b: f64,
}

impl Ishigami {
    /// The standard form, `a = 7`, `b = 0.1` (`SALib`'s default).
    pub const STANDARD: Self = Self { a: 7.0, b: 0.1 };

    /// `f` at `x` in `[-π, π]^3`.
    #[must_use]
    pub fn evaluate(&self, x: &[f64]) -> f64 {
        x[0].sin() + self.a * x[1].sin().powi(2) + self.b * x[2].powi(4) * x[0].sin()
    }

    /// `f` at the point of `[-π, π]^3` whose coordinates are `u` in `[0, 1]^3`.
    #[must_use]
    pub fn evaluate_unit(&self, u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        self.evaluate(&x)
    }

    /// The exact first- and total-order indices `([S1, S2, S3], [ST1, ST2, ST3])`.
    #[must_use]
    pub fn indices(&self) -> ([f64; 3], [f64; 3]) {
        let (a, b) = (self.a, self.b);
        let pi4 = PI.powi(4);
        let pi8 = PI.powi(8);
        let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = 8.0 * b * b * pi8 / 225.0;
        let variance = a * a / 8.0 + b * pi4 / 5.0 + b * b * pi8 / 18.0 + 0.5;
        (
            [v1 / variance, v2 / variance, 0.0],
            [(v1 + v13) / variance, v2 / variance, v13 / variance],
        )
    }
}

/// Sobol's G function on `[0, 1]^d`: `g = Π (|4 x_i - 2| + a_i) / (1 + a_i)`. A small
/// `a_i` makes factor `i` important, a large one (99) negligible.
#[derive(Clone, Debug, PartialEq)]
pub struct SobolG {
    /// The `a_i`, one per factor (each ≥ 0).
    pub a: Vec<f64>,
}

impl SobolG {
    /// The G function with coefficients `a`.
    #[must_use]
    pub fn new(a: Vec<f64>) -> Self {
        Self { a }
    }

    /// `g` at `x` in `[0, 1]^d`.
    #[must_use]
    pub fn evaluate(&self, x: &[f64]) -> f64 {
        self.a
            .iter()
            .zip(x)
            .map(|(a, x)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a))
            .product()
    }

    /// The exact first- and total-order indices.
    #[must_use]
    pub fn indices(&self) -> (Vec<f64>, Vec<f64>) {
        let partial: Vec<f64> = self
            .a
            .iter()
            .map(|a| 1.0 / (3.0 * (1.0 + a).powi(2)))
            .collect();
        let all: f64 = partial.iter().map(|v| 1.0 + v).product();
        let variance = all - 1.0;
        let first = partial.iter().map(|v| v / variance).collect();
        let total = partial
            .iter()
            .map(|v| v * (all / (1.0 + v)) / variance)
            .collect();
        (first, total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_ishigami_indices() {
        // Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, §4.9 (a = 7, b = 0.1).
        let (first, total) = Ishigami::STANDARD.indices();
        let expected_first = [0.3139, 0.4424, 0.0];
        let expected_total = [0.5576, 0.4424, 0.2437];
        for j in 0..3 {
            assert!((first[j] - expected_first[j]).abs() < 1e-4);
            assert!((total[j] - expected_total[j]).abs() < 1e-4);
        }
    }

    #[test]
    fn g_function_indices_sum_to_one_without_interactions() {
        // With one influential factor and the rest negligible, S1 ≈ ST ≈ 1.
        let g = SobolG::new(vec![0.0, 1e9]);
        let (first, total) = g.indices();
        assert!((first[0] - 1.0).abs() < 1e-12 && (total[0] - 1.0).abs() < 1e-12);
        assert!((g.evaluate(&[0.5, 0.5]) - 0.0).abs() < 1e-9);
    }
}
