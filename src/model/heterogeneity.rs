//! Cell-to-cell heterogeneity (`docs/model.md` §4.0): each cell carries extrinsic
//! multipliers on the parameters that set its response, drawn at birth and inherited
//! with noise at division. Pure functions of standard normal draws that the caller makes
//! from keyed streams (so a cell's traits depend on its id, never on a thread).
//!
//! Every multiplier is log-normal with mean 1, `m = exp(μ + σ z)`, `σ² = ln(1 + CV²)`,
//! `μ = -σ²/2`. At division the log-multiplier of each of the two cells is an AR(1) step
//! around `μ` with correlation `ρ` to the mother,
//! `ln m' = μ + ρ (ln m - μ) + sqrt(1 - ρ²) σ z`, which keeps the population's
//! distribution stationary over generations (Sigal et al. 2006: protein levels are
//! inherited and mix over one to three generations).
//!
//! | multiplier | acts on | CV | source |
//! |---|---|---|---|
//! | client load | external ER client load `S_ext` (`docs/model.md` §3.3.1) | 0.25 | Sigal 2006 (protein CVs 0.15-0.3) |
//! | folding capacity | BiP-assisted folding `delta` | 0.25 | Sigal 2006 |
//! | osteogenic sensitivity | the Runx2 drive above rest | 0.25 | Sigal 2006 |
//! | death threshold | `KD`, the drive at half-maximal hazard | 0.25 | Spencer 2009 (protein-level differences set TRAIL death) |
//! | division rate | G1 entry rate | 0.25 | Sigal 2006 (assumed to carry over to cycle regulators) |

/// A cell's extrinsic multipliers, each 1 in the reference cell (dimensionless). Stored
/// as `f32` (20 bytes a cell instead of 40): a multiplier with a 25% spread needs no
/// more than seven digits.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CellTraits {
    /// [1] Multiplier on the external ER client load `S_ext`.
    pub client_load: f32,
    /// [1] Multiplier on BiP-assisted folding (chaperone capacity).
    pub folding_capacity: f32,
    /// [1] Multiplier on the Runx2 drive above rest (osteogenic sensitivity).
    pub osteogenic_sensitivity: f32,
    /// [1] Multiplier on the pro-apoptotic drive at half-maximal hazard (death threshold).
    pub death_threshold: f32,
    /// [1] Multiplier on the G1 entry rate.
    pub division_rate: f32,
}

impl CellTraits {
    /// The reference cell: every multiplier 1 (a single cell of `vcsim cell`).
    pub const REFERENCE: Self = Self {
        client_load: 1.0,
        folding_capacity: 1.0,
        osteogenic_sensitivity: 1.0,
        death_threshold: 1.0,
        division_rate: 1.0,
    };

    /// The multipliers as `f64`, in the order of [`Spread::cvs`].
    #[must_use]
    pub fn values(&self) -> [f64; 5] {
        [
            self.client_load,
            self.folding_capacity,
            self.osteogenic_sensitivity,
            self.death_threshold,
            self.division_rate,
        ]
        .map(f64::from)
    }

    #[expect(
        clippy::cast_possible_truncation,
        reason = "multipliers near 1 are stored in f32 on purpose"
    )]
    fn from_values(v: [f64; 5]) -> Self {
        Self {
            client_load: v[0] as f32,
            folding_capacity: v[1] as f32,
            osteogenic_sensitivity: v[2] as f32,
            death_threshold: v[3] as f32,
            division_rate: v[4] as f32,
        }
    }
}

impl Default for CellTraits {
    fn default() -> Self {
        Self::REFERENCE
    }
}

/// The spread of the multipliers in a population and their inheritance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// [1] Coefficients of variation, in the order of [`CellTraits::values`].
    pub cvs: [f64; 5],
    /// [1] Correlation of a daughter's log-multiplier with its mother's, `ρ`.
    pub inheritance: f64,
}

/// `(μ, σ)` of the log of a mean-1 log-normal with coefficient of variation `cv`.
fn log_moments(cv: f64) -> (f64, f64) {
    let variance = cv.max(0.0).mul_add(cv.max(0.0), 1.0).ln();
    (-0.5 * variance, variance.sqrt())
}

impl Spread {
    /// A newborn (seeded) cell's traits from five standard normal draws.
    #[must_use]
    pub fn draw(&self, z: [f64; 5]) -> CellTraits {
        CellTraits::from_values(std::array::from_fn(|k| {
            let (mu, sigma) = log_moments(self.cvs[k]);
            sigma.mul_add(z[k], mu).exp()
        }))
    }

    /// The traits of one of the two cells after a division of `mother`, from five
    /// standard normal draws (the AR(1) step of the module documentation).
    #[must_use]
    pub fn inherit(&self, mother: &CellTraits, z: [f64; 5]) -> CellTraits {
        let rho = self.inheritance.clamp(0.0, 1.0);
        let fresh = rho.mul_add(-rho, 1.0).max(0.0).sqrt();
        let m = mother.values();
        CellTraits::from_values(std::array::from_fn(|k| {
            let (mu, sigma) = log_moments(self.cvs[k]);
            let log_mother = m[k].max(f64::MIN_POSITIVE).ln();
            (mu + rho * (log_mother - mu) + fresh * sigma * z[k]).exp()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPREAD: Spread = Spread {
        cvs: [0.25; 5],
        inheritance: 0.6,
    };

    /// Deterministic standard normal draws: Box-Muller on uniforms from the project's
    /// splitmix hash (src/model takes no random generator, even in tests).
    fn normal_grid(n: usize) -> Vec<f64> {
        let uniform = |k: u64| {
            #[expect(clippy::cast_precision_loss, reason = "53 random bits")]
            let u = (crate::random::splitmix(k) >> 11) as f64 / (1_u64 << 53) as f64;
            u.max(f64::MIN_POSITIVE)
        };
        (0..n as u64)
            .map(|i| {
                let (u1, u2) = (uniform(2 * i), uniform(2 * i + 1));
                (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
            })
            .collect()
    }

    #[test]
    fn draws_have_mean_one_and_the_stated_cv() {
        let z = normal_grid(200_000);
        let values: Vec<f64> = z.iter().map(|&z| SPREAD.draw([z; 5]).values()[2]).collect();
        #[expect(clippy::cast_precision_loss, reason = "test count")]
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        assert!((mean - 1.0).abs() < 0.005, "mean {mean}");
        assert!((sd / mean - 0.25).abs() < 0.005, "cv {}", sd / mean);
    }

    #[test]
    fn inheritance_keeps_the_distribution_and_correlates_with_the_mother() {
        let z = normal_grid(100_000);
        let mut mothers = Vec::new();
        let mut daughters = Vec::new();
        for pair in z.chunks(2) {
            let mother = SPREAD.draw([pair[0]; 5]);
            let daughter = SPREAD.inherit(&mother, [pair[1]; 5]);
            mothers.push(f64::from(mother.death_threshold).ln());
            daughters.push(f64::from(daughter.death_threshold).ln());
        }
        #[expect(clippy::cast_precision_loss, reason = "test count")]
        let n = mothers.len() as f64;
        let mean = |v: &[f64]| v.iter().sum::<f64>() / n;
        let (mm, md) = (mean(&mothers), mean(&daughters));
        let var = |v: &[f64], m: f64| v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n;
        let cov = mothers
            .iter()
            .zip(&daughters)
            .map(|(a, b)| (a - mm) * (b - md))
            .sum::<f64>()
            / n;
        let (vm, vd) = (var(&mothers, mm), var(&daughters, md));
        assert!((vd / vm - 1.0).abs() < 0.03, "variance ratio {}", vd / vm);
        let rho = cov / (vm * vd).sqrt();
        assert!((rho - 0.6).abs() < 0.02, "correlation {rho}");
    }

    #[test]
    fn no_spread_gives_the_reference_cell() {
        let none = Spread {
            cvs: [0.0; 5],
            inheritance: 0.6,
        };
        assert_eq!(none.draw([1.3; 5]), CellTraits::REFERENCE);
        assert_eq!(
            none.inherit(&CellTraits::REFERENCE, [-2.0; 5]),
            CellTraits::REFERENCE
        );
    }
}
