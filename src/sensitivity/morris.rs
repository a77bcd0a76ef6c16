//! Morris elementary effects: a screening of which factors matter.
//!
//! Along a trajectory ([`MorrisDesign`]) consecutive points differ in one factor `j` by
//! `±Δ` (on the unit interval); the elementary effect is
//!
//! ```text
//! EE_j = ( f(x with j at its higher level) - f(x with j at its lower level) ) / Δ
//! ```
//!
//! Over `r` trajectories: `μ_j` the mean of `EE_j`, `μ*_j` the mean of `|EE_j|`
//! (Campolongo, Cariboni & Saltelli 2007; a factor's overall influence), `σ_j` their SD
//! (divisor r - 1; non-linearity or interactions). A 95% interval of `μ*` comes from
//! resampling the `r` effects with replacement (half-width `1.96 · SD` of the resampled
//! means). These are `SALib`'s definitions (`SALib.analyze.morris`, unscaled), so both give
//! the same μ, μ* and σ on the same design.

use super::design::MorrisDesign;
use super::{IndexError, Z95, check_outputs, sample_sd};
use crate::random::{CounterRng, splitmix};
use rand::{RngExt, SeedableRng};

/// The elementary-effect statistics of one factor for one output, in output units per
/// unit of the factor's (normalised) range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisIndex {
    /// `μ`: mean elementary effect (signed; effects of opposite sign cancel).
    pub mu: f64,
    /// `μ*`: mean absolute elementary effect.
    pub mu_star: f64,
    /// `σ`: SD of the elementary effects.
    pub sigma: f64,
    /// Half-width of the 95% bootstrap interval of `μ*`.
    pub mu_star_ci: f64,
}

/// The elementary effects `effects[j][t]` of factor `j` on trajectory `t`.
///
/// # Errors
/// Outputs that do not fit the design (`r · (d + 1)` values, trajectory by trajectory), a
/// non-finite output, or an output that never varies.
pub fn elementary_effects(
    design: &MorrisDesign,
    outputs: &[f64],
) -> Result<Vec<Vec<f64>>, IndexError> {
    let per_trajectory = design.factors + 1;
    let expected = design.trajectories.len() * per_trajectory;
    if outputs.len() != expected {
        return Err(IndexError::WrongLength {
            expected,
            found: outputs.len(),
        });
    }
    check_outputs(outputs)?;
    let delta = design.delta();
    let mut effects = vec![Vec::with_capacity(design.trajectories.len()); design.factors];
    for (trajectory, values) in design
        .trajectories
        .iter()
        .zip(outputs.chunks(per_trajectory))
    {
        for (step, pair) in trajectory.windows(2).enumerate() {
            let Some(factor) =
                (0..design.factors).find(|&k| (pair[1][k] - pair[0][k]).abs() > f64::EPSILON)
            else {
                continue;
            };
            let change = values[step + 1] - values[step];
            let signed = if pair[1][factor] > pair[0][factor] {
                change
            } else {
                -change
            };
            effects[factor].push(signed / delta);
        }
    }
    Ok(effects)
}

/// μ, μ*, σ and the 95% interval of μ* of every factor from `outputs` on `design` (in
/// trajectory order), with `rounds` bootstrap resamples drawn from `seed`.
///
/// # Errors
/// As [`elementary_effects`].
pub fn morris_indices(
    design: &MorrisDesign,
    outputs: &[f64],
    rounds: usize,
    seed: u64,
) -> Result<Vec<MorrisIndex>, IndexError> {
    let effects = elementary_effects(design, outputs)?;
    let mut rng = CounterRng::seed_from_u64(splitmix(seed ^ 0x4545_4D53));
    Ok(effects
        .iter()
        .map(|ee| {
            let r = ee.len();
            #[expect(clippy::cast_precision_loss, reason = "trajectory counts")]
            let count = r as f64;
            let mu = ee.iter().sum::<f64>() / count;
            let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / count;
            let resampled: Vec<f64> = (0..rounds)
                .map(|_| {
                    (0..r)
                        .map(|_| ee[rng.random_range(0..r)].abs())
                        .sum::<f64>()
                        / count
                })
                .collect();
            MorrisIndex {
                mu,
                mu_star,
                sigma: sample_sd(ee),
                mu_star_ci: Z95 * sample_sd(&resampled),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::test_functions::Ishigami;

    #[test]
    fn a_linear_function_has_its_slopes_as_effects() {
        // f = 3 x0 - 2 x1 + 0 x2: every elementary effect is exact.
        let design = MorrisDesign::new(30, 3, 4, 7).expect("design");
        let outputs: Vec<f64> = design
            .trajectories
            .iter()
            .flatten()
            .map(|x| 3.0 * x[0] - 2.0 * x[1])
            .collect();
        let found = morris_indices(&design, &outputs, 100, 1).expect("indices");
        assert!((found[0].mu - 3.0).abs() < 1e-12);
        assert!((found[1].mu + 2.0).abs() < 1e-12);
        assert!((found[1].mu_star - 2.0).abs() < 1e-12);
        assert!(found[2].mu_star.abs() < 1e-12);
        assert!(
            found
                .iter()
                .all(|m| m.sigma < 1e-12 && m.mu_star_ci < 1e-12)
        );
    }

    #[test]
    fn ishigami_screening_ranks_x1_and_x2_above_x3_alone() {
        // In the Ishigami function x3 acts only through its interaction with x1: large σ
        // relative to μ (its μ is near 0 because sin(x1) changes sign).
        let design = MorrisDesign::new(200, 3, 4, 3).expect("design");
        let outputs: Vec<f64> = design
            .trajectories
            .iter()
            .flatten()
            .map(|x| Ishigami::STANDARD.evaluate_unit(x))
            .collect();
        let found = morris_indices(&design, &outputs, 200, 1).expect("indices");
        assert!(found[2].mu.abs() < found[2].sigma / 2.0);
        assert!(found.iter().all(|m| m.mu_star > 1.0));
    }
}
