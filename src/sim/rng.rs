//! Keyed random streams: every draw is a pure function of (run seed, cell, step, purpose,
//! draw index), so results never depend on thread scheduling or iteration order.
//!
//! The key is mixed with `SplitMix64` (Steele, Lea & Flood 2014) into one 64-bit value,
//! which seeds [`CounterRng`], a counter-based generator implementing `rand`'s traits:
//! draw `i` of a stream is `SplitMix64(key ^ i·γ)`, which passes `BigCrush` when used this
//! way. A stream is one key and a counter, so making one costs four mixes (a cell makes a
//! few streams each hour, and the reference workload one per cell per step; a 256-bit
//! generator would have to be seeded each time). Uniform draws are `rand`'s (`random::<f64>()`, `random_range`);
//! normal and lognormal draws are `rand_distr`'s.

pub use crate::random::CounterRng;
use crate::random::splitmix;
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::Distribution;

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
    /// A seeded cell's heterogeneity multipliers.
    Susceptibility = 7,
    /// Commitment to the osteogenic label.
    OsteogenicCommitment = 8,
    /// The multipliers of the two cells after a division.
    TraitInheritance = 9,
    /// An animal's dose of a treatment that varies between animals (keyed by the
    /// treatment's place in the scenario).
    AnimalDose = 10,
    /// Nucleation events of mineral at a site (keyed by the site's index).
    Nucleation = 11,
    /// A contractile cell's dedifferentiation to the synthetic label.
    Dedifferentiation = 12,
}

/// A keyed stream of draws for one (seed, entity, step, purpose).
#[derive(Clone, Debug)]
pub struct KeyedStream {
    rng: CounterRng,
}

impl KeyedStream {
    /// The stream for `(seed, id, step, purpose)`.
    #[must_use]
    #[inline]
    pub fn new(seed: u64, id: u64, step: u64, purpose: Purpose) -> Self {
        let mut key = splitmix(seed);
        key = splitmix(key ^ id);
        key = splitmix(key ^ step);
        key = splitmix(key ^ purpose as u64);
        Self {
            rng: CounterRng::seed_from_u64(key),
        }
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A uniform draw in [0, 1).
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        self.rng.random::<f64>()
    }

    /// A draw from `distribution`.
    pub fn sample<T>(&mut self, distribution: &impl Distribution<T>) -> T {
        distribution.sample(&mut self.rng)
    }

    /// A uniform index in `0..n` (n > 0).
    pub fn index(&mut self, n: usize) -> usize {
        self.rng.random_range(0..n)
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
