//! Keyed random streams: every draw is a pure function of (run seed, cell, step, purpose,
//! draw index), so results never depend on thread scheduling or iteration order.
//!
//! The key is mixed with `SplitMix64` (Steele, Lea & Flood 2014), whose output passes
//! `BigCrush` when used as a counter-based generator; the top 53 bits give a uniform double
//! in [0, 1). Normal draws use the Box-Muller transform.

/// What a draw is for; part of the key so that streams never collide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Apoptosis commitment.
    Apoptosis = 1,
    /// Efferocytosis of an apoptotic body.
    Efferocytosis = 2,
    /// Entry into G1.
    CycleEntry = 3,
    /// G1 duration.
    CycleLength = 4,
    /// Choice of the daughter's site.
    DaughterSite = 5,
    /// Initial seeding of sites.
    Seeding = 6,
    /// A cell's intrinsic client-load multiplier.
    Susceptibility = 7,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A keyed stream of draws for one (seed, entity, step, purpose).
#[derive(Clone, Copy, Debug)]
pub struct KeyedStream {
    key: u64,
    counter: u64,
}

impl KeyedStream {
    /// The stream for `(seed, id, step, purpose)`.
    #[must_use]
    pub fn new(seed: u64, id: u64, step: u64, purpose: Purpose) -> Self {
        let mut key = splitmix(seed);
        key = splitmix(key ^ id);
        key = splitmix(key ^ step);
        key = splitmix(key ^ purpose as u64);
        Self { key, counter: 0 }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.counter += 1;
        splitmix(self.key ^ self.counter.wrapping_mul(GOLDEN))
    }

    /// A uniform draw in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        #[expect(clippy::cast_precision_loss, reason = "53 bits fit a double exactly")]
        let mantissa = (self.next_u64() >> 11) as f64;
        mantissa * (1.0 / (1_u64 << 53) as f64)
    }

    /// A normal draw with the given mean and standard deviation.
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]
        let u2 = self.uniform();
        mean + sd * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A uniform index in `0..n` (n > 0).
    pub fn index(&mut self, n: usize) -> usize {
        #[expect(clippy::cast_possible_truncation, reason = "result < n")]
        #[expect(clippy::cast_sign_loss, reason = "non-negative")]
        #[expect(clippy::cast_precision_loss, reason = "n is a small count")]
        let i = (self.uniform() * n as f64) as usize;
        i.min(n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_a_pure_function_of_the_key() {
        let a: Vec<u64> = (0..4)
            .map(|_| 0)
            .scan(
                KeyedStream::new(7, 3, 10, Purpose::Apoptosis),
                |s, _: u64| Some(s.next_u64()),
            )
            .collect();
        let b: Vec<u64> = (0..4)
            .map(|_| 0)
            .scan(
                KeyedStream::new(7, 3, 10, Purpose::Apoptosis),
                |s, _: u64| Some(s.next_u64()),
            )
            .collect();
        assert_eq!(a, b);
        let other = KeyedStream::new(7, 3, 10, Purpose::Efferocytosis).next_u64();
        assert_ne!(a[0], other);
    }

    #[test]
    fn uniform_draws_have_the_right_mean_and_spread() {
        let mut sum = 0.0;
        let mut sum_sq = 0.0;
        let n = 100_000;
        for cell in 0..n {
            let u = KeyedStream::new(1, cell, 0, Purpose::Seeding).uniform();
            assert!((0.0..1.0).contains(&u));
            sum += u;
            sum_sq += u * u;
        }
        #[expect(clippy::cast_precision_loss, reason = "test count")]
        let n = n as f64;
        let mean = sum / n;
        let variance = sum_sq / n - mean * mean;
        assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
        assert!((variance - 1.0 / 12.0).abs() < 0.002, "variance {variance}");
    }
}
