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

/// [min] One year of 365 days.
pub const YEAR: f64 = 365.0 * DAY;

/// [h] A time in minutes, in hours.
#[must_use]
pub const fn min_to_h(t_min: f64) -> f64 {
    t_min / HOUR
}

/// [days] A time in minutes, in days.
#[must_use]
pub const fn min_to_days(t_min: f64) -> f64 {
    t_min / DAY
}

/// [min] A time in hours, in minutes.
#[must_use]
pub const fn h_to_min(t_h: f64) -> f64 {
    t_h * HOUR
}

/// [min] A time in days, in minutes.
#[must_use]
pub const fn days_to_min(t_days: f64) -> f64 {
    t_days * DAY
}

/// [min⁻¹] A rate per hour, in the canonical per minute.
#[must_use]
pub const fn per_h_to_per_min(rate_per_h: f64) -> f64 {
    rate_per_h / HOUR
}

/// [min⁻¹] A rate per day, in the canonical per minute.
#[must_use]
pub const fn per_day_to_per_min(rate_per_day: f64) -> f64 {
    rate_per_day / DAY
}

/// [h⁻¹] A rate per minute, in per hour (e.g. `per_min_to_per_h(1.0)`: once a minute).
#[must_use]
pub const fn per_min_to_per_h(rate_per_min: f64) -> f64 {
    rate_per_min * HOUR / MINUTE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn an_hour_day_and_year_have_their_length_in_minutes() {
        assert!(close(HOUR, 60.0));
        assert!(close(DAY, 1440.0));
        assert!(close(min_to_h(YEAR), 8760.0));
    }

    #[test]
    fn times_convert_between_minutes_hours_and_days() {
        assert!(close(min_to_h(90.0), 1.5));
        assert!(close(h_to_min(1.5), 90.0));
        assert!(close(min_to_days(2160.0), 1.5));
        assert!(close(days_to_min(1.5), 2160.0));
        assert!(close(min_to_h(h_to_min(7.25)), 7.25));
        assert!(close(min_to_days(days_to_min(3.5)), 3.5));
    }

    #[test]
    fn rates_convert_to_per_minute_and_back() {
        assert!(close(per_h_to_per_min(60.0), 1.0));
        assert!(close(per_day_to_per_min(1440.0), 1.0));
        assert!(close(per_min_to_per_h(1.0), 60.0));
        assert!(close(per_min_to_per_h(per_h_to_per_min(0.3)), 0.3));
    }

    #[test]
    fn a_rate_and_its_time_scale_convert_consistently() {
        // e^(-k t) is the same whichever unit pair is used.
        let k_per_h = 0.05;
        let t_h = 14.0;
        assert!(close(
            per_h_to_per_min(k_per_h) * h_to_min(t_h),
            k_per_h * t_h
        ));
        assert!(close(per_day_to_per_min(0.2) * days_to_min(3.0), 0.6));
    }
}
