//! Sampling designs on the unit hypercube `[0, 1)^d`.
//!
//! Every design is a pure function of its size and a seed: the same arguments give the
//! same points on every machine.

use crate::random::{CounterRng, splitmix};
use rand::{RngExt, SeedableRng};
use std::fmt;

/// Largest number of base points of a scrambled Sobol design (`sobol_burley` computes
/// indices below 2^16).
pub const MAX_SOBOL_POINTS: usize = 1 << 16;

/// Largest number of Sobol dimensions (`sobol_burley`'s direction numbers); a Saltelli
/// design uses two per factor.
pub const MAX_SOBOL_DIMENSIONS: usize = sobol_burley::NUM_DIMENSIONS as usize;

/// A design that cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DesignError {
    /// No factors, or more than the design supports.
    Factors {
        /// Factors asked for.
        factors: usize,
        /// The most the design supports.
        max: usize,
    },
    /// A point count outside `1..=max`.
    Points {
        /// Points asked for.
        points: usize,
        /// The most the design supports.
        max: usize,
    },
    /// Morris levels must be an even number of at least 2 (so that the step Δ = p / (2(p - 1))
    /// lands on the grid).
    Levels {
        /// Levels asked for.
        levels: usize,
    },
}

impl fmt::Display for DesignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Factors { factors, max } => {
                write!(f, "{factors} factors: a design needs 1 to {max}")
            }
            Self::Points { points, max } => {
                write!(f, "{points} points: a design needs 1 to {max}")
            }
            Self::Levels { levels } => write!(
                f,
                "{levels} levels: Morris levels must be an even number, at least 2"
            ),
        }
    }
}

impl std::error::Error for DesignError {}

/// `sobol_burley`'s 32-bit scrambling seed from a 64-bit seed.
fn sobol_seed(seed: u64) -> u32 {
    u32::try_from(splitmix(seed) >> 32).unwrap_or(0)
}

/// Coordinate `dimension` of point `index` of the Owen-scrambled Sobol sequence.
fn sobol_coordinate(index: usize, dimension: usize, seed: u32) -> f64 {
    // Callers check index < 2^16 and dimension < NUM_DIMENSIONS.
    let index = u32::try_from(index).unwrap_or(u32::MAX);
    let dimension = u32::try_from(dimension).unwrap_or(u32::MAX);
    f64::from(sobol_burley::sample(index, dimension, seed))
}

fn check_factors(factors: usize, max: usize) -> Result<(), DesignError> {
    if factors == 0 || factors > max {
        return Err(DesignError::Factors { factors, max });
    }
    Ok(())
}

fn check_points(points: usize, max: usize) -> Result<(), DesignError> {
    if points == 0 || points > max {
        return Err(DesignError::Points { points, max });
    }
    Ok(())
}

/// `points` points of the Owen-scrambled Sobol sequence in `factors` dimensions (Burley
/// 2020, `sobol_burley`): a low-discrepancy design for parameter sweeps. Use a power of two
/// for the best balance.
///
/// # Errors
/// No factors or more than [`MAX_SOBOL_DIMENSIONS`]; no points or more than
/// [`MAX_SOBOL_POINTS`].
pub fn sobol_points(
    points: usize,
    factors: usize,
    seed: u64,
) -> Result<Vec<Vec<f64>>, DesignError> {
    check_factors(factors, MAX_SOBOL_DIMENSIONS)?;
    check_points(points, MAX_SOBOL_POINTS)?;
    let seed = sobol_seed(seed);
    Ok((0..points)
        .map(|i| (0..factors).map(|d| sobol_coordinate(i, d, seed)).collect())
        .collect())
}

/// A Latin hypercube of `points` points in `factors` dimensions (`McKay`, Beckman & Conover
/// 1979): each factor's range is cut into `points` equal strata, each stratum holds one
/// point (at a uniform position inside it), and the strata are paired across factors by
/// independent random permutations.
///
/// # Errors
/// No factors or points (at most 2^32 each).
pub fn latin_hypercube(
    points: usize,
    factors: usize,
    seed: u64,
) -> Result<Vec<Vec<f64>>, DesignError> {
    let max = u32::MAX as usize;
    check_factors(factors, max)?;
    check_points(points, max)?;
    let mut rng = CounterRng::seed_from_u64(splitmix(seed ^ 0x4C48_5300));
    #[expect(clippy::cast_precision_loss, reason = "points <= 2^32")]
    let strata = points as f64;
    let mut design = vec![vec![0.0; factors]; points];
    for factor in 0..factors {
        let mut order: Vec<usize> = (0..points).collect();
        // Fisher-Yates.
        for i in (1..points).rev() {
            let j = rng.random_range(0..=i);
            order.swap(i, j);
        }
        for (row, stratum) in design.iter_mut().zip(order) {
            #[expect(clippy::cast_precision_loss, reason = "points <= 2^32")]
            let low = stratum as f64;
            row[factor] = (low + rng.random::<f64>()) / strata;
        }
    }
    Ok(design)
}

/// Saltelli's cross-sampled design for first- and total-order Sobol indices (Saltelli 2002;
/// Saltelli et al. 2010), without second-order terms.
///
/// Two independent base matrices `A` and `B` (`base_points` × `factors`) are the first and
/// second halves of the coordinates of a `2 · factors`-dimensional scrambled Sobol
/// sequence; `AB_j` is `A` with column `j` taken from `B`. The rows are in `SALib`'s order:
/// for each base point `i`, `A_i`, then `AB_1,i` … `AB_d,i`, then `B_i`, so a design has
/// `base_points · (factors + 2)` rows and `SALib`'s `sobol` sample can be read as one.
#[derive(Clone, Debug, PartialEq)]
pub struct SaltelliDesign {
    /// Number of factors `d`.
    pub factors: usize,
    /// Number of base points `N`.
    pub base_points: usize,
    /// The `N · (d + 2)` points, each `d` coordinates in `[0, 1)`.
    pub points: Vec<Vec<f64>>,
}

impl SaltelliDesign {
    /// The design with `base_points` base points (a power of two balances the Sobol
    /// sequence best) over `factors` factors.
    ///
    /// # Errors
    /// No factors or more than half of [`MAX_SOBOL_DIMENSIONS`]; no base points or more
    /// than [`MAX_SOBOL_POINTS`].
    pub fn new(base_points: usize, factors: usize, seed: u64) -> Result<Self, DesignError> {
        check_factors(factors, MAX_SOBOL_DIMENSIONS / 2)?;
        check_points(base_points, MAX_SOBOL_POINTS)?;
        let seed = sobol_seed(seed);
        let mut points = Vec::with_capacity(base_points * (factors + 2));
        for i in 0..base_points {
            let a: Vec<f64> = (0..factors).map(|d| sobol_coordinate(i, d, seed)).collect();
            let b: Vec<f64> = (0..factors)
                .map(|d| sobol_coordinate(i, factors + d, seed))
                .collect();
            points.push(a.clone());
            for j in 0..factors {
                let mut ab = a.clone();
                ab[j] = b[j];
                points.push(ab);
            }
            points.push(b);
        }
        Ok(Self {
            factors,
            base_points,
            points,
        })
    }

    /// The number of model runs the design needs, `N · (d + 2)`.
    #[must_use]
    pub fn runs(base_points: usize, factors: usize) -> usize {
        base_points * (factors + 2)
    }
}

/// Morris's one-at-a-time trajectories (Morris 1991), in the form `SALib` samples them.
///
/// Each factor moves on the grid `{0, 1/(p-1), …, 1}` of `p` levels by the step
/// `Δ = p / (2(p - 1))`. A trajectory starts at a random grid point, chooses for each
/// factor whether it steps up or down, and changes the factors one at a time in a random
/// order: `d + 1` points, each consecutive pair differing in exactly one factor by ±Δ.
#[derive(Clone, Debug, PartialEq)]
pub struct MorrisDesign {
    /// Number of factors `d`.
    pub factors: usize,
    /// Number of grid levels `p`.
    pub levels: usize,
    /// The trajectories, each `d + 1` points of `d` coordinates in `[0, 1]`.
    pub trajectories: Vec<Vec<Vec<f64>>>,
}

impl MorrisDesign {
    /// `trajectories` random trajectories over `factors` factors on a grid of `levels`
    /// levels (4 is the usual choice).
    ///
    /// # Errors
    /// No factors; no trajectories; an odd number of levels or fewer than 2.
    pub fn new(
        trajectories: usize,
        factors: usize,
        levels: usize,
        seed: u64,
    ) -> Result<Self, DesignError> {
        check_factors(factors, u32::MAX as usize)?;
        check_points(trajectories, u32::MAX as usize)?;
        if levels < 2 || !levels.is_multiple_of(2) {
            return Err(DesignError::Levels { levels });
        }
        let mut rng = CounterRng::seed_from_u64(splitmix(seed ^ 0x4D4F_5252));
        let step_levels = levels / 2; // Δ in grid steps: p / 2
        #[expect(clippy::cast_precision_loss, reason = "a handful of levels")]
        let grid = (levels - 1) as f64;
        let mut all = Vec::with_capacity(trajectories);
        for _ in 0..trajectories {
            // For each factor the pair of levels it moves between, and where it starts.
            let mut position: Vec<usize> = (0..factors)
                .map(|_| {
                    let low = rng.random_range(0..levels - step_levels);
                    if rng.random::<bool>() {
                        low + step_levels
                    } else {
                        low
                    }
                })
                .collect();
            let mut order: Vec<usize> = (0..factors).collect();
            for i in (1..factors).rev() {
                let j = rng.random_range(0..=i);
                order.swap(i, j);
            }
            let to_point = |position: &[usize]| -> Vec<f64> {
                #[expect(clippy::cast_precision_loss, reason = "a handful of levels")]
                position.iter().map(|&l| l as f64 / grid).collect()
            };
            let mut trajectory = Vec::with_capacity(factors + 1);
            trajectory.push(to_point(&position));
            for &factor in &order {
                let level = position[factor];
                position[factor] = if level + step_levels < levels {
                    level + step_levels
                } else {
                    level - step_levels
                };
                trajectory.push(to_point(&position));
            }
            all.push(trajectory);
        }
        Ok(Self {
            factors,
            levels,
            trajectories: all,
        })
    }

    /// The step `Δ = p / (2(p - 1))` on the unit interval.
    #[must_use]
    pub fn delta(&self) -> f64 {
        delta(self.levels)
    }
}

/// Morris's step `Δ = p / (2(p - 1))` for `levels` grid levels.
#[must_use]
pub fn delta(levels: usize) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "a handful of levels")]
    let p = levels as f64;
    p / (2.0 * (p - 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saltelli_rows_cross_a_and_b_one_column_at_a_time() {
        let design = SaltelliDesign::new(8, 3, 5).expect("design");
        assert_eq!(design.points.len(), SaltelliDesign::runs(8, 3));
        for block in design.points.chunks(5) {
            let (a, b) = (&block[0], &block[4]);
            for j in 0..3 {
                for k in 0..3 {
                    let expected = if k == j { b[k] } else { a[k] };
                    assert!((block[1 + j][k] - expected).abs() < f64::EPSILON);
                }
            }
            assert!(a.iter().chain(b).all(|x| (0.0..1.0).contains(x)));
        }
        assert_eq!(design, SaltelliDesign::new(8, 3, 5).expect("design"));
        assert_ne!(design, SaltelliDesign::new(8, 3, 6).expect("design"));
    }

    #[test]
    fn latin_hypercube_puts_one_point_in_every_stratum() {
        let design = latin_hypercube(50, 4, 1).expect("design");
        for factor in 0..4 {
            let mut strata: Vec<usize> = design
                .iter()
                .map(|row| {
                    #[expect(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        reason = "coordinates in [0, 1)"
                    )]
                    let stratum = (row[factor] * 50.0) as usize;
                    stratum
                })
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..50).collect::<Vec<_>>());
        }
    }

    #[test]
    fn sobol_points_fill_the_cube_evenly() {
        let points = sobol_points(256, 2, 9).expect("design");
        // Each of the 16 x 16 cells of the unit square holds exactly one point: the
        // (0, m, 2) net property of the first two Sobol dimensions, kept by scrambling.
        let mut cells = vec![0; 256];
        for p in &points {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "coordinates in [0, 1)"
            )]
            let cell = (p[0] * 16.0) as usize * 16 + (p[1] * 16.0) as usize;
            cells[cell] += 1;
        }
        assert!(cells.iter().all(|&c| c == 1));
    }

    #[test]
    fn morris_steps_change_one_factor_by_delta() {
        let design = MorrisDesign::new(20, 5, 4, 3).expect("design");
        let delta = design.delta();
        assert!((delta - 2.0 / 3.0).abs() < 1e-15);
        for trajectory in &design.trajectories {
            assert_eq!(trajectory.len(), 6);
            let mut moved = [false; 5];
            for pair in trajectory.windows(2) {
                let changed: Vec<usize> = (0..5)
                    .filter(|&k| (pair[1][k] - pair[0][k]).abs() > 1e-12)
                    .collect();
                assert_eq!(changed.len(), 1);
                let k = changed[0];
                assert!(((pair[1][k] - pair[0][k]).abs() - delta).abs() < 1e-12);
                assert!(!moved[k], "each factor moves once");
                moved[k] = true;
            }
            assert!(trajectory.iter().flatten().all(|x| (0.0..=1.0).contains(x)));
        }
    }

    #[test]
    fn impossible_designs_are_refused() {
        assert_eq!(
            SaltelliDesign::new(0, 3, 1),
            Err(DesignError::Points {
                points: 0,
                max: MAX_SOBOL_POINTS
            })
        );
        assert!(SaltelliDesign::new(8, MAX_SOBOL_DIMENSIONS, 1).is_err());
        assert_eq!(
            MorrisDesign::new(4, 2, 3, 1),
            Err(DesignError::Levels { levels: 3 })
        );
    }
}
