//! Statistics for a handful of paired replicates: mean, SD and 95% confidence interval
//! (Student t), and versus control the paired difference and ratio with 95% CIs and the
//! paired t-test (two-sided). Replicate i of every arm shares its seed with replicate i of
//! control, so arm-to-control differences are taken within pairs.
//!
//! Pure functions on `f64` slices, used by `experiment` (the summary of an experiment),
//! `validation` (the claims report) and `render` (the 95% bands of the figures); this
//! module imports nothing from the crate.
//!
//! Spatial statistics: Moran's I of a field on a lattice ([`morans_i`]) with its spatially
//! shuffled control ([`morans_i_with_control`]).
//!
//! **Small samples.** With no value the mean is NaN; with one value the mean is that value
//! and the SD, the CI of the mean and the paired test are undefined: NaN, never 0 (a
//! zero-width interval would claim a certainty one replicate cannot give). Callers that
//! draw intervals skip non-finite bounds.
//!
//! **Values that do not exist.** A NaN value (a readout of the living cells in a run where
//! none is alive) is left out: [`summarise`] counts and averages the other values (its
//! `n` says how many had one), [`paired`] compares the pairs where both values exist.

/// Summary of one sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Number of values (NaN values left out).
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (n - 1), in the values' unit; NaN for n < 2.
    pub sd: f64,
    /// Lower 95% confidence bound of the mean (Student t), in the values' unit; NaN for
    /// n < 2.
    pub ci_low: f64,
    /// Upper 95% confidence bound of the mean, in the values' unit; NaN for n < 2.
    pub ci_high: f64,
}

/// A paired comparison of an arm with control.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paired {
    /// Mean of arm - control.
    pub difference: f64,
    /// 95% CI of the difference.
    pub difference_ci: (f64, f64),
    /// Geometric mean of arm / control (NaN if any value is not positive).
    pub ratio: f64,
    /// 95% CI of the ratio.
    pub ratio_ci: (f64, f64),
    /// Two-sided p-value of the paired t-test. NaN where the test does not exist: fewer
    /// than 2 pairs, or every pair differing by the same amount (zero SD of the
    /// differences: the t statistic is 0/0 or infinite, so no p-value is defined).
    pub p_value: f64,
}

#[expect(clippy::cast_precision_loss, reason = "replicate counts are small")]
fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = if values.len() > 1 {
        values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        f64::NAN
    };
    (mean, var.sqrt())
}

/// Mean, SD and 95% CI of a sample, NaN values left out (see the module notes for n < 2).
#[must_use]
#[expect(clippy::cast_precision_loss, reason = "replicate counts are small")]
pub fn summarise(values: &[f64]) -> Summary {
    let defined: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let values = defined.as_slice();
    let n = values.len();
    if n == 0 {
        return Summary {
            n,
            mean: f64::NAN,
            sd: f64::NAN,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
        };
    }
    let (mean, sd) = mean_sd(values);
    let half = if n > 1 {
        t_quantile(0.975, (n - 1) as f64) * sd / (n as f64).sqrt()
    } else {
        f64::NAN
    };
    Summary {
        n,
        mean,
        sd,
        ci_low: mean - half,
        ci_high: mean + half,
    }
}

/// Paired comparison of `arm` with `control` (same length, pairs by index); a pair with a
/// NaN value is left out.
#[must_use]
#[expect(clippy::cast_precision_loss, reason = "replicate counts are small")]
pub fn paired(arm: &[f64], control: &[f64]) -> Paired {
    let (arm, control): (Vec<f64>, Vec<f64>) = arm
        .iter()
        .zip(control)
        .filter(|(a, c)| !(a.is_nan() || c.is_nan()))
        .map(|(a, c)| (*a, *c))
        .unzip();
    let (arm, control) = (arm.as_slice(), control.as_slice());
    let diffs: Vec<f64> = arm.iter().zip(control).map(|(a, c)| a - c).collect();
    let n = diffs.len();
    let (d_mean, d_sd) = if n > 0 {
        mean_sd(&diffs)
    } else {
        (f64::NAN, f64::NAN)
    };
    let df = n.saturating_sub(1) as f64;
    let t_crit = if n > 1 {
        t_quantile(0.975, df)
    } else {
        f64::NAN
    };
    let se = d_sd / (n as f64).sqrt();
    let p_value = if n < 2 || se == 0.0 {
        f64::NAN
    } else {
        2.0 * (1.0 - t_cdf((d_mean / se).abs(), df))
    };
    let positive = arm.iter().chain(control).all(|v| *v > 0.0);
    let (ratio, ratio_ci) = if positive && n > 0 {
        let logs: Vec<f64> = arm.iter().zip(control).map(|(a, c)| (a / c).ln()).collect();
        let (l_mean, l_sd) = mean_sd(&logs);
        let half = t_crit * l_sd / (n as f64).sqrt();
        (l_mean.exp(), ((l_mean - half).exp(), (l_mean + half).exp()))
    } else {
        (f64::NAN, (f64::NAN, f64::NAN))
    };
    Paired {
        difference: d_mean,
        difference_ci: (d_mean - t_crit * se, d_mean + t_crit * se),
        ratio,
        ratio_ci,
        p_value,
    }
}

/// Holm's step-down adjustment (Holm 1979) of a family of p-values, controlling the
/// family-wise error rate: with the `m` defined p-values sorted ascending,
/// `p(i)' = max over j <= i of min(1, (m - j + 1) p(j))`. A NaN (a test that does not exist)
/// stays NaN and is not counted in `m`. The result is in the input's order.
#[must_use]
pub fn holm(p_values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p_values.len())
        .filter(|&i| !p_values[i].is_nan())
        .collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]).then(a.cmp(&b)));
    let m = order.len();
    let mut adjusted = vec![f64::NAN; p_values.len()];
    let mut running = 0.0_f64;
    for (rank, &i) in order.iter().enumerate() {
        #[expect(clippy::cast_precision_loss, reason = "test counts are small")]
        let factor = (m - rank) as f64;
        running = running.max((factor * p_values[i]).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

/// The 1-based nearest rank of the `q` quantile among `n` values (Hyndman & Fan 1996
/// type 1): the smallest rank with at least a fraction `q` of the values at or below it,
/// clamped to [1, n]. `n` must be at least 1.
#[must_use]
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    reason = "a rank within 1..=n"
)]
pub fn nearest_rank(n: usize, q: f64) -> usize {
    ((q * n as f64).ceil() as usize).clamp(1, n)
}

/// The nearest-rank `q` quantile of `values` ([`nearest_rank`]), NaN for none. Selects
/// in linear time instead of sorting; `values` is reordered.
pub fn quantile_nearest_rank(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let rank = nearest_rank(values.len(), q);
    *values.select_nth_unstable_by(rank - 1, f64::total_cmp).1
}

/// The `q` quantile of `values` by linear interpolation between order statistics
/// (Hyndman & Fan 1996 type 7, R's and `NumPy`'s default): NaN values are left out, `q`
/// is clamped to [0, 1], and the quantile of no values is NaN.
#[must_use]
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    quantile_sorted(&v, q)
}

/// The `q` quantile of `sorted` (ascending) by linear interpolation, as [`quantile`] but
/// without sorting or leaving out NaN values (a NaN among the two order statistics
/// interpolated gives NaN); NaN for an empty slice.
#[must_use]
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    #[expect(clippy::cast_precision_loss, reason = "sample sizes are small")]
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "0 <= h <= len - 1"
    )]
    let low = h.floor() as usize;
    let high = (low + 1).min(sorted.len() - 1);
    #[expect(clippy::cast_precision_loss, reason = "sample sizes are small")]
    let frac = h - low as f64;
    (sorted[high] - sorted[low]).mul_add(frac, sorted[low])
}

/// `ln Γ(x)` (Lanczos approximation, g = 7, n = 9; relative error below 1e-13).
fn ln_gamma(x: f64) -> f64 {
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        #[expect(clippy::cast_precision_loss, reason = "i < 9")]
        let k = i as f64;
        sum += c / (x + k);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// Continued fraction of the incomplete beta function (modified Lentz).
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    d = if d.abs() < TINY { TINY } else { d };
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// Regularised incomplete beta `I_x(a, b)`.
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b
    }
}

/// CDF of Student's t with `df` degrees of freedom.
#[must_use]
pub fn t_cdf(t: f64, df: f64) -> f64 {
    let tail = 0.5 * incomplete_beta(0.5 * df, 0.5, df / (df + t * t));
    if t >= 0.0 { 1.0 - tail } else { tail }
}

/// Quantile of Student's t (bisection on the CDF).
#[must_use]
pub fn t_quantile(p: f64, df: f64) -> f64 {
    let (mut low, mut high) = (-1e3, 1e3);
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if t_cdf(mid, df) < p {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// The standard normal quantile `Φ⁻¹(u)` for `u` in (0, 1): Acklam's rational
/// approximation (relative error below 1.2e-9).
#[must_use]
pub fn normal_quantile(u: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if u < LOW {
        tail((-2.0 * u.ln()).sqrt())
    } else if u > 1.0 - LOW {
        -tail((-2.0 * (1.0 - u).ln()).sqrt())
    } else {
        let q = u - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// The neighbours of every site of a lattice, for spatial statistics: site `i`'s
/// neighbours are `targets[offsets[i]..offsets[i + 1]]` (binary weights: `w_ij` = 1 for a
/// neighbour, 0 otherwise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjacency {
    offsets: Vec<usize>,
    targets: Vec<usize>,
}

impl Adjacency {
    /// The adjacency of `n` sites whose neighbours `neighbours(i, out)` pushes onto `out`
    /// (indices below `n`; others are left out).
    #[must_use]
    pub fn from_fn(n: usize, mut neighbours: impl FnMut(usize, &mut Vec<usize>)) -> Self {
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::new();
        let mut out = Vec::new();
        offsets.push(0);
        for i in 0..n {
            out.clear();
            neighbours(i, &mut out);
            targets.extend(out.iter().copied().filter(|&j| j < n));
            offsets.push(targets.len());
        }
        Self { offsets, targets }
    }

    /// Number of sites.
    #[must_use]
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether there are no sites.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The neighbours of site `i`.
    #[must_use]
    pub fn neighbours(&self, i: usize) -> &[usize] {
        &self.targets[self.offsets[i]..self.offsets[i + 1]]
    }
}

/// Moran's I of `values` on `adjacency` (binary weights):
/// `I = (N / W) Σ_ij w_ij (x_i − x̄)(x_j − x̄) / Σ_i (x_i − x̄)²`, with `W = Σ_ij w_ij`.
/// Near +1 when neighbours hold similar values (clusters, layers), near `−1/(N − 1)`
/// (about 0) for values placed at random, towards −1 for a checkerboard.
///
/// NaN where it is not defined: fewer than two sites, no neighbour pairs, or a constant
/// field (no variation: the denominator is 0, e.g. no mineral anywhere). Sums run in
/// site order, so the result does not depend on threads.
///
/// # Panics
/// If `values` and `adjacency` differ in length.
#[must_use]
pub fn morans_i(values: &[f64], adjacency: &Adjacency) -> f64 {
    assert_eq!(values.len(), adjacency.len(), "one value per site");
    let Some((deviations, denominator)) = deviations(values) else {
        return f64::NAN;
    };
    moran_of_deviations(&deviations, denominator, adjacency)
}

/// The deviations from the mean and their sum of squares; `None` for fewer than two
/// values or a constant field.
#[expect(clippy::cast_precision_loss, reason = "site counts are far below 2^52")]
fn deviations(values: &[f64]) -> Option<(Vec<f64>, f64)> {
    if values.len() < 2 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let deviations: Vec<f64> = values.iter().map(|v| v - mean).collect();
    let denominator: f64 = deviations.iter().map(|d| d * d).sum();
    (denominator > 0.0 && denominator.is_finite()).then_some((deviations, denominator))
}

#[expect(clippy::cast_precision_loss, reason = "site counts are far below 2^52")]
fn moran_of_deviations(z: &[f64], denominator: f64, adjacency: &Adjacency) -> f64 {
    let weights = adjacency.targets.len();
    if weights == 0 {
        return f64::NAN;
    }
    let mut cross = 0.0;
    for (i, zi) in z.iter().enumerate() {
        let around: f64 = adjacency.neighbours(i).iter().map(|&j| z[j]).sum();
        cross += zi * around;
    }
    (z.len() as f64 / weights as f64) * cross / denominator
}

/// Moran's I with its spatially shuffled control: the same values placed on the sites
/// by `shuffles` seeded random permutations (the values and the neighbours kept, only
/// their places shuffled), so what remains of I in the control is what the values alone
/// give without any spatial arrangement.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MoransI {
    /// Moran's I of the values as placed.
    pub observed: f64,
    /// Mean Moran's I over the shuffles (about `−1/(N − 1)`).
    pub shuffled_mean: f64,
    /// Standard deviation of Moran's I over the shuffles (n − 1).
    pub shuffled_sd: f64,
    /// One-sided permutation p-value of clustering, `(1 + #{I_shuffled ≥ I}) / (1 +
    /// shuffles)`: the smallest possible value is `1 / (1 + shuffles)`.
    pub p_value: f64,
}

/// Moran's I of `values` on `adjacency` and its shuffled control over `shuffles`
/// permutations drawn from `seed` (a Fisher–Yates shuffle on `SplitMix64`: the same seed
/// gives the same permutations on every platform and thread count). Every field is NaN
/// where Moran's I is not defined ([`morans_i`]).
///
/// # Panics
/// If `values` and `adjacency` differ in length.
#[must_use]
pub fn morans_i_with_control(
    values: &[f64],
    adjacency: &Adjacency,
    shuffles: usize,
    seed: u64,
) -> MoransI {
    assert_eq!(values.len(), adjacency.len(), "one value per site");
    let undefined = MoransI {
        observed: f64::NAN,
        shuffled_mean: f64::NAN,
        shuffled_sd: f64::NAN,
        p_value: f64::NAN,
    };
    let Some((mut z, denominator)) = deviations(values) else {
        return undefined;
    };
    let observed = moran_of_deviations(&z, denominator, adjacency);
    if observed.is_nan() {
        return undefined;
    }
    let mut state = seed;
    let mut shuffled = Vec::with_capacity(shuffles);
    for _ in 0..shuffles {
        for i in (1..z.len()).rev() {
            // Lemire's multiply-shift: an index in 0..=i.
            #[expect(
                clippy::cast_possible_truncation,
                reason = "the product's top half is below i + 1"
            )]
            let j = ((u128::from(splitmix64(&mut state)) * (i as u128 + 1)) >> 64) as usize;
            z.swap(i, j);
        }
        shuffled.push(moran_of_deviations(&z, denominator, adjacency));
    }
    let s = summarise(&shuffled);
    let at_least = shuffled.iter().filter(|&&v| v >= observed).count();
    #[expect(clippy::cast_precision_loss, reason = "shuffle counts are small")]
    let p_value = (1 + at_least) as f64 / (1 + shuffles) as f64;
    MoransI {
        observed,
        shuffled_mean: s.mean,
        shuffled_sd: s.sd,
        p_value,
    }
}

/// `SplitMix64` (Steele, Lea & Flood 2014): the next 64 random bits from `state`.
const fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles_pick_an_order_statistic() {
        let mut v: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        assert_eq!(nearest_rank(10, 0.1), 1);
        assert_eq!(nearest_rank(10, 0.95), 10);
        assert_eq!(nearest_rank(10, 0.0), 1);
        assert!((quantile_nearest_rank(&mut v, 0.1) - 1.0).abs() < 1e-12);
        assert!((quantile_nearest_rank(&mut v, 0.5) - 5.0).abs() < 1e-12);
        assert!((quantile_nearest_rank(&mut v, 0.9) - 9.0).abs() < 1e-12);
        assert!(quantile_nearest_rank(&mut [], 0.5).is_nan());
    }

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let v = [5.0, 1.0, f64::NAN, 3.0, 2.0, 4.0];
        assert!((quantile(&v, 0.5) - 3.0).abs() < 1e-12);
        assert!((quantile(&v, 0.05) - 1.2).abs() < 1e-12);
        assert!((quantile(&v, 0.95) - 4.8).abs() < 1e-12);
        assert!((quantile(&v, 0.0) - 1.0).abs() < 1e-12);
        assert!((quantile(&v, 1.5) - 5.0).abs() < 1e-12);
        assert!(quantile(&[], 0.5).is_nan());
        assert!(quantile(&[f64::NAN], 0.5).is_nan());
        let sorted = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!((quantile_sorted(&sorted, 0.95) - 4.8).abs() < 1e-12);
        assert!(quantile_sorted(&[1.0, 2.0, f64::NAN], 0.95).is_nan());
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }

    #[test]
    fn normal_quantiles_match_tables_and_are_symmetric() {
        for (u, z) in [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_054),
            (0.841_344_746_068_542_9, 1.0),
            (0.001, -3.090_232_306_167_813),
            (1e-10, -6.361_340_902_404_056),
        ] {
            assert!(
                (normal_quantile(u) - z).abs() < 1e-8,
                "{u}: {}",
                normal_quantile(u)
            );
        }
        for k in 1..100 {
            let u = f64::from(k) / 100.0;
            assert!((normal_quantile(u) + normal_quantile(1.0 - u)).abs() < 1e-9);
        }
    }

    #[test]
    fn t_quantiles_match_tables() {
        // Two-sided 95% critical values.
        for (df, expected) in [
            (1.0, 12.706),
            (2.0, 4.303),
            (3.0, 3.182),
            (7.0, 2.365),
            (30.0, 2.042),
        ] {
            assert!((t_quantile(0.975, df) - expected).abs() < 1e-3, "df {df}");
        }
        assert!((t_cdf(0.0, 5.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn summary_of_a_known_sample() {
        let s = summarise(&[1.0, 2.0, 3.0, 4.0]);
        assert!((s.mean - 2.5).abs() < 1e-12);
        assert!((s.sd - 1.290_994_448_7).abs() < 1e-9);
        assert!((s.ci_high - s.mean - 3.182_446_305 * s.sd / 2.0).abs() < 1e-6);
    }

    #[test]
    fn one_value_has_a_mean_but_no_interval() {
        let s = summarise(&[3.0]);
        assert_eq!(s.n, 1);
        assert!((s.mean - 3.0).abs() < 1e-12);
        assert!(s.sd.is_nan() && s.ci_low.is_nan() && s.ci_high.is_nan());
        assert!(summarise(&[]).mean.is_nan());
        assert!(paired(&[2.0], &[1.0]).p_value.is_nan());
    }

    #[test]
    fn paired_test_uses_the_pairing() {
        // Large between-pair spread, constant within-pair shift: significant only when paired.
        let control = [10.0, 20.0, 30.0, 40.0];
        let arm = [11.0, 21.1, 30.9, 41.0];
        let p = paired(&arm, &control);
        assert!((p.difference - 1.0).abs() < 1e-12);
        assert!(p.p_value < 0.001, "p {}", p.p_value);
        assert!(p.difference_ci.0 > 0.5 && p.difference_ci.1 < 1.5);
        assert!(p.ratio > 1.0 && p.ratio_ci.0 < p.ratio && p.ratio < p.ratio_ci.1);
        // p-value of a textbook example: d = [1, 2, 3], t = 3.464, df = 2 -> p = 0.0742.
        let q = paired(&[2.0, 4.0, 6.0], &[1.0, 2.0, 3.0]);
        assert!((q.p_value - 0.0742).abs() < 1e-3, "p {}", q.p_value);
    }

    #[test]
    fn values_that_do_not_exist_are_left_out() {
        let s = summarise(&[f64::NAN, 2.0, 4.0]);
        assert_eq!(s.n, 2);
        assert!((s.mean - 3.0).abs() < 1e-12 && s.sd.is_finite());
        let none = summarise(&[f64::NAN, f64::NAN]);
        assert_eq!(none.n, 0);
        assert!(none.mean.is_nan());
        let p = paired(&[2.0, f64::NAN, 6.0], &[1.0, 5.0, 3.0]);
        let q = paired(&[2.0, 6.0], &[1.0, 3.0]);
        assert!(p.difference.to_bits() == q.difference.to_bits());
        assert!(p.ratio.to_bits() == q.ratio.to_bits());
        assert!(paired(&[f64::NAN, 1.0], &[1.0, 1.0]).p_value.is_nan());
    }

    #[test]
    fn zero_spread_of_the_differences_has_no_p_value() {
        // Every pair differs by exactly 1: the paired t statistic is 1/0.
        let p = paired(&[2.0, 3.0, 4.0], &[1.0, 2.0, 3.0]);
        assert!(p.p_value.is_nan());
        assert!((p.difference - 1.0).abs() < 1e-12);
        assert!(paired(&[1.0, 1.0], &[1.0, 1.0]).p_value.is_nan());
    }

    #[test]
    fn holm_adjusts_step_down_and_keeps_order() {
        // Worked example: m = 4 defined p-values (the NaN is not a test).
        let adjusted = holm(&[0.01, 0.04, f64::NAN, 0.03, 0.005]);
        let expected = [0.03, 0.06, f64::NAN, 0.06, 0.02];
        for (a, e) in adjusted.iter().zip(expected) {
            assert!(
                a.is_nan() && e.is_nan() || (a - e).abs() < 1e-12,
                "{a} vs {e}"
            );
        }
        // Never above 1, never below the raw p-value.
        let raw = [0.5, 0.9, 0.2];
        for (a, r) in holm(&raw).iter().zip(raw) {
            assert!(*a <= 1.0 && *a >= r);
        }
    }

    /// A `w × h` grid with periodic rook neighbours (like the lattice's layers).
    fn torus(w: usize, h: usize) -> Adjacency {
        Adjacency::from_fn(w * h, |i, out| {
            let (x, y) = (i % w, i / w);
            out.extend([
                y * w + (x + 1) % w,
                y * w + (x + w - 1) % w,
                ((y + 1) % h) * w + x,
                ((y + h - 1) % h) * w + x,
            ]);
        })
    }

    #[test]
    fn morans_i_of_a_checkerboard_is_minus_one() {
        let adjacency = torus(10, 10);
        let values: Vec<f64> = (0..100)
            .map(|i| f64::from(u8::from((i % 10 + i / 10) % 2 == 0)))
            .collect();
        assert!((morans_i(&values, &adjacency) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn morans_i_of_two_halves_is_strongly_positive_and_beats_its_shuffles() {
        let adjacency = torus(20, 20);
        // Left half 1, right half 0: every site but those on the two borders agrees with
        // its four neighbours; I = 1 - 2 * (border pairs) / (all pairs) = 0.9.
        let values: Vec<f64> = (0..400)
            .map(|i| if i % 20 < 10 { 1.0 } else { 0.0 })
            .collect();
        let i = morans_i(&values, &adjacency);
        assert!((i - 0.9).abs() < 1e-12, "{i}");
        let control = morans_i_with_control(&values, &adjacency, 20, 7);
        assert!((control.observed - i).abs() < 1e-15);
        assert!(control.shuffled_mean.abs() < 0.05, "{control:?}");
        assert!(
            control.shuffled_sd > 0.0 && control.shuffled_sd < 0.1,
            "{control:?}"
        );
        assert!((control.p_value - 1.0 / 21.0).abs() < 1e-15, "{control:?}");
        // The same seed gives the same control; another seed another.
        assert_eq!(control, morans_i_with_control(&values, &adjacency, 20, 7));
        let other = morans_i_with_control(&values, &adjacency, 20, 8);
        assert!((control.shuffled_mean - other.shuffled_mean).abs() > 0.0);
    }

    #[test]
    fn morans_i_of_random_values_is_near_zero_and_not_significant() {
        let adjacency = torus(30, 30);
        let mut state = 3;
        #[expect(clippy::cast_precision_loss, reason = "test values")]
        let values: Vec<f64> = (0..900)
            .map(|_| (splitmix64(&mut state) >> 11) as f64)
            .collect();
        let control = morans_i_with_control(&values, &adjacency, 50, 1);
        assert!(control.observed.abs() < 0.1, "{control:?}");
        assert!(control.p_value > 0.05, "{control:?}");
    }

    #[test]
    fn morans_i_is_undefined_without_variation_or_neighbours() {
        let adjacency = torus(4, 4);
        assert!(morans_i(&[2.0; 16], &adjacency).is_nan());
        let control = morans_i_with_control(&[0.0; 16], &adjacency, 5, 1);
        assert!(
            control.observed.is_nan() && control.shuffled_mean.is_nan() && control.p_value.is_nan()
        );
        let lonely = Adjacency::from_fn(3, |_, _| {});
        assert!(morans_i(&[1.0, 2.0, 3.0], &lonely).is_nan());
        assert!(morans_i(&[1.0], &Adjacency::from_fn(1, |_, _| {})).is_nan());
    }
}
