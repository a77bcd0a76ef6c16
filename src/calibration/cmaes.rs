//! CMA-ES (Hansen 2016, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772) with
//! the tutorial's default settings, an ask/tell interface and bounds handled by a
//! transformation: the search runs on the real line and each coordinate is mapped into
//! the unit cube by `u = (1 - cos(π x)) / 2` (smooth, periodic, onto [0, 1]).
//!
//! Deterministic for a seed: the normal draws come from a counter-based stream.
#![expect(
    clippy::needless_range_loop,
    reason = "matrix algebra reads clearest with the indices of its formulas"
)]

use crate::random::{CounterRng, splitmix};
use rand::{RngExt, SeedableRng};
use std::f64::consts::PI;

/// The unit-cube position of a search point.
#[must_use]
pub fn to_cube(x: &[f64]) -> Vec<f64> {
    x.iter().map(|v| 0.5 * (1.0 - (PI * v).cos())).collect()
}

/// A search point whose cube position is `u` (the branch in [0, 1]).
#[must_use]
pub fn from_cube(u: &[f64]) -> Vec<f64> {
    u.iter()
        .map(|v| (1.0 - 2.0 * v.clamp(0.0, 1.0)).acos() / PI)
        .collect()
}

/// A standard normal draw (Box-Muller).
pub fn normal(rng: &mut CounterRng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos()
}

/// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: (eigenvalues,
/// eigenvectors as columns).
#[must_use]
pub fn symmetric_eigen(a: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = a.len();
    let mut m: Vec<Vec<f64>> = a.to_vec();
    let mut v: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i][j] * m[i][j])
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if m[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (m[q][q] - m[p][p]) / (2.0 * m[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (mkp, mkq) = (m[k][p], m[k][q]);
                    m[k][p] = c * mkp - s * mkq;
                    m[k][q] = s * mkp + c * mkq;
                }
                for k in 0..n {
                    let (mpk, mqk) = (m[p][k], m[q][k]);
                    m[p][k] = c * mpk - s * mqk;
                    m[q][k] = s * mpk + c * mqk;
                }
                for row in &mut v {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| m[i][i]).collect(), v)
}

/// The state of a CMA-ES run.
#[derive(Clone, Debug)]
pub struct Cmaes {
    n: usize,
    /// Population size λ.
    pub lambda: usize,
    mu: usize,
    weights: Vec<f64>,
    mueff: f64,
    cc: f64,
    cs: f64,
    c1: f64,
    cmu: f64,
    damps: f64,
    chin: f64,
    /// Distribution mean (search space).
    pub mean: Vec<f64>,
    /// Step size.
    pub sigma: f64,
    /// Covariance matrix.
    pub cov: Vec<Vec<f64>>,
    pc: Vec<f64>,
    ps: Vec<f64>,
    basis: Vec<Vec<f64>>,
    scales: Vec<f64>,
    generation: u64,
    seed: u64,
}

impl Cmaes {
    /// A run from `mean` with step size `sigma` and the default population
    /// `4 + ⌊3 ln n⌋`.
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "dimensions are small")]
    pub fn new(mean: Vec<f64>, sigma: f64, seed: u64) -> Self {
        let n = mean.len();
        let nf = n as f64;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a small positive count"
        )]
        let lambda = 4 + (3.0 * nf.ln()).floor() as usize;
        let mu = lambda / 2;
        let raw: Vec<f64> = (0..mu)
            .map(|i| ((lambda as f64 + 1.0) / 2.0).ln() - ((i + 1) as f64).ln())
            .collect();
        let total: f64 = raw.iter().sum();
        let weights: Vec<f64> = raw.iter().map(|w| w / total).collect();
        let mueff = 1.0 / weights.iter().map(|w| w * w).sum::<f64>();
        let cc = (4.0 + mueff / nf) / (nf + 4.0 + 2.0 * mueff / nf);
        let cs = (mueff + 2.0) / (nf + mueff + 5.0);
        let c1 = 2.0 / ((nf + 1.3).powi(2) + mueff);
        let cmu = (1.0 - c1).min(2.0 * (mueff - 2.0 + 1.0 / mueff) / ((nf + 2.0).powi(2) + mueff));
        let damps = 1.0 + 2.0 * (((mueff - 1.0) / (nf + 1.0)).sqrt() - 1.0).max(0.0) + cs;
        let chin = nf.sqrt() * (1.0 - 1.0 / (4.0 * nf) + 1.0 / (21.0 * nf * nf));
        let identity: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
            .collect();
        Self {
            n,
            lambda,
            mu,
            weights,
            mueff,
            cc,
            cs,
            c1,
            cmu,
            damps,
            chin,
            mean,
            sigma,
            cov: identity.clone(),
            pc: vec![0.0; n],
            ps: vec![0.0; n],
            basis: identity,
            scales: vec![1.0; n],
            generation: 0,
            seed,
        }
    }

    /// The generation the next [`Self::ask`] samples (0-based).
    #[must_use]
    pub const fn generation(&self) -> u64 {
        self.generation
    }

    /// λ new search points of the current generation: `m + σ B D z`.
    #[must_use]
    pub fn ask(&self) -> Vec<Vec<f64>> {
        let mut rng = CounterRng::seed_from_u64(splitmix(self.seed ^ splitmix(self.generation)));
        (0..self.lambda)
            .map(|_| {
                let z: Vec<f64> = (0..self.n).map(|_| normal(&mut rng)).collect();
                (0..self.n)
                    .map(|i| {
                        self.mean[i]
                            + self.sigma
                                * (0..self.n)
                                    .map(|j| self.basis[i][j] * self.scales[j] * z[j])
                                    .sum::<f64>()
                    })
                    .collect()
            })
            .collect()
    }

    /// Updates the distribution from the points of [`Self::ask`] and their objectives
    /// (lower is better; NaN counts as worst), and moves to the next generation.
    #[expect(clippy::cast_precision_loss, reason = "generation counts are small")]
    pub fn tell(&mut self, points: &[Vec<f64>], objectives: &[f64]) {
        let n = self.n;
        let mut order: Vec<usize> = (0..points.len()).collect();
        let key = |i: usize| {
            if objectives[i].is_nan() {
                f64::INFINITY
            } else {
                objectives[i]
            }
        };
        order.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
        let old = self.mean.clone();
        self.mean = (0..n)
            .map(|i| {
                order[..self.mu]
                    .iter()
                    .zip(&self.weights)
                    .map(|(&k, w)| w * points[k][i])
                    .sum()
            })
            .collect();
        let y: Vec<f64> = (0..n)
            .map(|i| (self.mean[i] - old[i]) / self.sigma)
            .collect();
        // C^(-1/2) y = B D^-1 B^T y
        let bty: Vec<f64> = (0..n)
            .map(|j| (0..n).map(|i| self.basis[i][j] * y[i]).sum::<f64>() / self.scales[j])
            .collect();
        let c_inv_half_y: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| self.basis[i][j] * bty[j]).sum())
            .collect();
        let a = (self.cs * (2.0 - self.cs) * self.mueff).sqrt();
        for i in 0..n {
            self.ps[i] = (1.0 - self.cs) * self.ps[i] + a * c_inv_half_y[i];
        }
        let ps_norm = self.ps.iter().map(|v| v * v).sum::<f64>().sqrt();
        let g = (self.generation + 1) as f64;
        let hsig = ps_norm / (1.0 - (1.0 - self.cs).powf(2.0 * g)).sqrt() / self.chin
            < 1.4 + 2.0 / (n as f64 + 1.0);
        let hs = if hsig { 1.0 } else { 0.0 };
        let b = (self.cc * (2.0 - self.cc) * self.mueff).sqrt();
        for i in 0..n {
            self.pc[i] = (1.0 - self.cc) * self.pc[i] + hs * b * y[i];
        }
        let steps: Vec<Vec<f64>> = order[..self.mu]
            .iter()
            .map(|&k| {
                (0..n)
                    .map(|i| (points[k][i] - old[i]) / self.sigma)
                    .collect()
            })
            .collect();
        let c1a = self.c1 * (1.0 - (1.0 - hs * hs) * self.cc * (2.0 - self.cc));
        for i in 0..n {
            for j in 0..n {
                let rank_mu: f64 = steps
                    .iter()
                    .zip(&self.weights)
                    .map(|(s, w)| w * s[i] * s[j])
                    .sum();
                self.cov[i][j] = (1.0 - c1a - self.cmu) * self.cov[i][j]
                    + self.c1 * self.pc[i] * self.pc[j]
                    + self.cmu * rank_mu;
            }
        }
        self.sigma *= ((self.cs / self.damps) * (ps_norm / self.chin - 1.0))
            .min(1.0)
            .exp();
        // Symmetrise, then decompose.
        for i in 0..n {
            for j in 0..i {
                let v = 0.5 * (self.cov[i][j] + self.cov[j][i]);
                self.cov[i][j] = v;
                self.cov[j][i] = v;
            }
        }
        let (values, vectors) = symmetric_eigen(&self.cov);
        self.scales = values.iter().map(|v| v.max(1e-20).sqrt()).collect();
        self.basis = vectors;
        self.generation += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cube_map_inverts() {
        let u = [0.0, 0.2, 0.5, 0.93, 1.0];
        let back = to_cube(&from_cube(&u));
        for (a, b) in u.iter().zip(back) {
            assert!((a - b).abs() < 1e-12);
        }
    }

    #[test]
    fn eigen_reconstructs_a_symmetric_matrix() {
        let a = vec![
            vec![4.0, 1.0, 0.5],
            vec![1.0, 3.0, 0.2],
            vec![0.5, 0.2, 2.0],
        ];
        let (d, v) = symmetric_eigen(&a);
        for i in 0..3 {
            for j in 0..3 {
                let r: f64 = (0..3).map(|k| v[i][k] * d[k] * v[j][k]).sum();
                assert!((r - a[i][j]).abs() < 1e-10, "{i} {j}: {r}");
            }
        }
    }

    #[test]
    fn it_minimises_a_shifted_ellipsoid_in_the_cube() {
        // The optimum u* = (0.3, 0.7, 0.55) of an ill-conditioned quadratic in the cube.
        let target = [0.3, 0.7, 0.55];
        let f = |x: &Vec<f64>| {
            to_cube(x)
                .iter()
                .zip(target)
                .enumerate()
                .map(|(i, (u, t))| 10f64.powi(i32::try_from(i).unwrap_or(0)) * (u - t).powi(2))
                .sum::<f64>()
        };
        let mut es = Cmaes::new(from_cube(&[0.5, 0.5, 0.5]), 0.3, 7);
        let mut best = f64::INFINITY;
        for _ in 0..120 {
            let xs = es.ask();
            let fs: Vec<f64> = xs.iter().map(f).collect();
            best = fs.iter().copied().fold(best, f64::min);
            es.tell(&xs, &fs);
        }
        assert!(best < 1e-8, "best {best}");
    }
}
