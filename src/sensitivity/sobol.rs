//! First- and total-order Sobol indices from outputs on a Saltelli design.
//!
//! With `f_A`, `f_B` and `f_ABj` the outputs on the rows of `A`, `B` and `AB_j`
//! ([`SaltelliDesign`](super::design::SaltelliDesign)), centred and scaled by their mean and
//! SD over all rows, and `V` the variance of the `2N` outputs of `A` and `B`:
//!
//! ```text
//! S_j  = mean( f_B (f_ABj - f_A) ) / V             first order (Saltelli et al. 2010, Table 2 (b))
//! ST_j = mean( (f_A - f_ABj)^2 ) / (2 V)           total order (Jansen 1999; Saltelli et al. 2010 (f))
//! ```
//!
//! These are `SALib`'s estimators (`SALib.analyze.sobol`, which also centres first), so both
//! give the same indices on the same design. Confidence intervals: the `N` base rows are
//! resampled with replacement `rounds` times; the half-width is `1.96 · SD` of the
//! resampled indices.

use super::{IndexError, Z95, check_outputs, mean_and_variance, sample_sd};
use crate::random::{CounterRng, splitmix};
use rand::{RngExt, SeedableRng};

/// The Sobol indices of one factor for one output.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    /// `S_j`: the share of the output's variance due to factor `j` alone.
    pub first_order: f64,
    /// Half-width of the 95% bootstrap interval of `S_j`.
    pub first_order_ci: f64,
    /// `ST_j`: the share due to factor `j` including all its interactions.
    pub total_order: f64,
    /// Half-width of the 95% bootstrap interval of `ST_j`.
    pub total_order_ci: f64,
}

/// The outputs of a Saltelli design, split into `f_A`, `f_B` and `f_ABj`.
struct Blocks {
    a: Vec<f64>,
    b: Vec<f64>,
    /// `ab[j][i]`: factor `j`, base point `i`.
    ab: Vec<Vec<f64>>,
}

fn split(outputs: &[f64], factors: usize) -> Result<Blocks, IndexError> {
    let stride = factors + 2;
    if outputs.is_empty() || !outputs.len().is_multiple_of(stride) {
        return Err(IndexError::WrongLength {
            expected: stride * (outputs.len() / stride).max(1),
            found: outputs.len(),
        });
    }
    check_outputs(outputs)?;
    let (mean, variance) = mean_and_variance(outputs.iter().copied());
    let sd = variance.sqrt();
    let scaled = |y: f64| (y - mean) / sd;
    let rows: Vec<&[f64]> = outputs.chunks(stride).collect();
    Ok(Blocks {
        a: rows.iter().map(|r| scaled(r[0])).collect(),
        b: rows.iter().map(|r| scaled(r[stride - 1])).collect(),
        ab: (0..factors)
            .map(|j| rows.iter().map(|r| scaled(r[1 + j])).collect())
            .collect(),
    })
}

/// `(S_j, ST_j)` over the base points `sample` (indices into the blocks).
fn indices(blocks: &Blocks, factor: usize, sample: &[usize]) -> (f64, f64) {
    let ab = &blocks.ab[factor];
    let (_, variance) = mean_and_variance(
        sample
            .iter()
            .map(|&i| blocks.a[i])
            .chain(sample.iter().map(|&i| blocks.b[i])),
    );
    #[expect(
        clippy::cast_precision_loss,
        reason = "sample counts are far below 2^52"
    )]
    let n = sample.len() as f64;
    let first = sample
        .iter()
        .map(|&i| blocks.b[i] * (ab[i] - blocks.a[i]))
        .sum::<f64>()
        / n;
    let total = sample
        .iter()
        .map(|&i| (blocks.a[i] - ab[i]) * (blocks.a[i] - ab[i]))
        .sum::<f64>()
        / n;
    if variance <= 0.0 {
        return (0.0, 0.0);
    }
    (first / variance, total / (2.0 * variance))
}

/// First- and total-order indices of every factor from `outputs` in Saltelli design order
/// (`N · (factors + 2)` values), with 95% bootstrap intervals from `rounds` resamples drawn
/// from `seed`.
///
/// # Errors
/// Outputs that do not fit the design, a non-finite output, or an output that never
/// varies.
pub fn sobol_indices(
    outputs: &[f64],
    factors: usize,
    rounds: usize,
    seed: u64,
) -> Result<Vec<SobolIndex>, IndexError> {
    let blocks = split(outputs, factors)?;
    let n = blocks.a.len();
    let all: Vec<usize> = (0..n).collect();
    let mut rng = CounterRng::seed_from_u64(splitmix(seed ^ 0x534F_424F));
    // One set of resamples shared by every factor, as SALib does.
    let resamples: Vec<Vec<usize>> = (0..rounds)
        .map(|_| (0..n).map(|_| rng.random_range(0..n)).collect())
        .collect();
    Ok((0..factors)
        .map(|factor| {
            let (first_order, total_order) = indices(&blocks, factor, &all);
            let (firsts, totals): (Vec<f64>, Vec<f64>) = resamples
                .iter()
                .map(|sample| indices(&blocks, factor, sample))
                .unzip();
            SobolIndex {
                first_order,
                first_order_ci: Z95 * sample_sd(&firsts),
                total_order,
                total_order_ci: Z95 * sample_sd(&totals),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::design::SaltelliDesign;
    use crate::sensitivity::test_functions::{Ishigami, SobolG};

    /// The 99.9% interval's width relative to the 95% one: over the 11 indices of a test a
    /// 95% interval would miss about one in twenty by design.
    const WIDE: f64 = 3.290_526_731_491_926 / Z95;

    /// Each estimate lies within its 99.9% interval of the exact index.
    fn assert_within_intervals(found: &[SobolIndex], first: &[f64], total: &[f64]) {
        for (j, s) in found.iter().enumerate() {
            assert!(
                (s.first_order - first[j]).abs() <= WIDE * s.first_order_ci,
                "S{j} {} ± {} vs {}",
                s.first_order,
                s.first_order_ci,
                first[j]
            );
            assert!(
                (s.total_order - total[j]).abs() <= WIDE * s.total_order_ci,
                "ST{j} {} ± {} vs {}",
                s.total_order,
                s.total_order_ci,
                total[j]
            );
        }
    }

    #[test]
    fn ishigami_indices_match_the_analytic_values() {
        let design = SaltelliDesign::new(4096, 3, 11).expect("design");
        let outputs: Vec<f64> = design
            .points
            .iter()
            .map(|x| Ishigami::STANDARD.evaluate_unit(x))
            .collect();
        let found = sobol_indices(&outputs, 3, 200, 1).expect("indices");
        let (first, total) = Ishigami::STANDARD.indices();
        assert_within_intervals(&found, &first, &total);
        for s in &found {
            assert!(s.first_order_ci > 0.0 && s.first_order_ci < 0.1);
        }
    }

    #[test]
    fn sobol_g_indices_match_the_analytic_values() {
        let g = SobolG::new(vec![0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0]);
        let design = SaltelliDesign::new(4096, 8, 2).expect("design");
        let outputs: Vec<f64> = design.points.iter().map(|x| g.evaluate(x)).collect();
        let found = sobol_indices(&outputs, 8, 200, 1).expect("indices");
        let (first, total) = g.indices();
        assert_within_intervals(&found, &first, &total);
    }

    #[test]
    fn outputs_that_cannot_be_analysed_are_named() {
        assert_eq!(
            sobol_indices(&[1.0; 10], 3, 10, 1),
            Err(IndexError::Constant { value: 1.0 })
        );
        assert_eq!(
            sobol_indices(&[1.0, 2.0, 3.0], 3, 10, 1),
            Err(IndexError::WrongLength {
                expected: 5,
                found: 3
            })
        );
        let mut outputs: Vec<f64> = (0..10).map(f64::from).collect();
        outputs[4] = f64::NAN;
        assert_eq!(
            sobol_indices(&outputs, 3, 10, 1),
            Err(IndexError::NonFinite { index: 4 })
        );
    }
}
