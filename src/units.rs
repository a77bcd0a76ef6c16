//! Canonical units of vcsim and conversion constants.
//!
//! Inside the code every quantity is in one canonical unit, so a literal reads as
//! `48.0 * HOUR` and needs no comment:
//!
//! | quantity | canonical unit | why |
//! |---|---|---|
//! | time | minute | the published UPR core (Diedrichs et al. 2018) is in minutes |
//! | intracellular species | dimensionless, 1 = unstressed steady state | Diedrichs 2018 convention; maps onto western-blot and qPCR fold changes |
//! | Ca, Pi, beta-glycerophosphate, glucose | mM | culture-medium and plasma convention |
//! | PPi, fetuin-A | µM | plasma values are micromolar |
//! | length | µm | cell and voxel scale |
//!
//! Units appear in names only at the edges of the program: scenario keys and CSV
//! headers (`time_min`, `pi_mM`).

/// [min] One minute, the canonical time unit.
pub const MINUTE: f64 = 1.0;
/// [min] One hour.
pub const HOUR: f64 = 60.0 * MINUTE;
/// [min] One day.
pub const DAY: f64 = 24.0 * HOUR;

/// Converts a rate given per hour into the canonical per-minute rate.
#[must_use]
pub const fn per_hour(rate_per_hour: f64) -> f64 {
    rate_per_hour / HOUR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_1440_minutes() {
        assert!((DAY - 1440.0).abs() < 1e-12);
        assert!((per_hour(60.0) - 1.0).abs() < 1e-12);
    }
}
