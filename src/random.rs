//! The counter-based random generator every stochastic part of vcsim draws from.
//!
//! [`CounterRng`] is `SplitMix64` (Steele, Lea & Flood 2014) used as a counter-based
//! generator: draw `i` of the stream with key `k` is `SplitMix64(k ^ i·γ)`, which passes
//! `BigCrush` when used this way. The whole state is a key and a counter, so a stream is
//! cheap to make from a key: the simulation's keyed streams (`sim::rng`) mix (seed, cell,
//! step, purpose) into one, and the sensitivity bootstrap mixes (seed, readout, round).

use rand::rand_core::utils::fill_bytes_via_next_word;
use rand::{SeedableRng, TryRng};
use std::convert::Infallible;

/// `SplitMix64`'s increment (the golden ratio in 64 bits).
pub const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// One `SplitMix64` output for state `z`: mixes the parts of a key into one value.
#[inline]
pub fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `SplitMix64` as a counter-based generator: the `i`-th output of the stream with key `k`
/// is `SplitMix64(k ^ i·γ)` (γ the golden-ratio increment), so the whole state is the key
/// and a counter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterRng {
    key: u64,
    counter: u64,
}

impl TryRng for CounterRng {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let high = self.try_next_u64()? >> 32;
        Ok(u32::try_from(high).unwrap_or(u32::MAX))
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.counter = self.counter.wrapping_add(1);
        Ok(splitmix(self.key ^ self.counter.wrapping_mul(GOLDEN)))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        fill_bytes_via_next_word(dst, || self.try_next_u64())
    }
}

impl SeedableRng for CounterRng {
    /// The key, little-endian.
    type Seed = [u8; 8];

    fn from_seed(seed: [u8; 8]) -> Self {
        Self {
            key: u64::from_le_bytes(seed),
            counter: 0,
        }
    }

    /// The key itself (already mixed by the caller, e.g. with [`splitmix`]), not expanded further.
    #[inline]
    fn seed_from_u64(key: u64) -> Self {
        Self { key, counter: 0 }
    }
}
