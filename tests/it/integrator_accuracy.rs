//! The adaptive integrator (the default) against fixed 0.5-min RK4, the scheme of
//! `docs/model.md` §3.6: every shipped scenario's recorded readouts within 1%, on small
//! lattices and the first days so the test stays fast. Not timed.
//!
//! A readout that counts cells, or is a fraction of cells or sites, is compared on the
//! scale of the population (1% of the cells, or 0.01 of a fraction): a cell whose death
//! draw or label threshold lies within a hair may die or switch one hour earlier or
//! later under either scheme. Every other readout (means, percentiles, mineral, fluid)
//! is compared relative to its RK4 value, or to [`FLOOR`] for readouts near 0 (the
//! osteogenic index is 0 in an unstressed cell). Moran's I is a correlation coefficient:
//! compared, like a fraction, on the scale 1 (relative to its value, a difference of
//! 2·10⁻⁵ between two values near 5·10⁻⁴ read as 3%).

use std::path::Path;
use vcsim::model::integrate::DEFAULT_MAX_STEP;
use vcsim::record::Column;
use vcsim::scenario::file::set_by_code;
use vcsim::scenario::{Geometry, Scenario};
use vcsim::units::DAY;

/// [1] The acceptance bound: 1%.
const TOLERANCE: f64 = 0.01;
/// Differences are relative to at least this: readouts are fold changes (1 at rest),
/// indices and fractions in [0, 1], or mineral in pmol of Ca per well or wall.
const FLOOR: f64 = 1e-3;
/// The readouts that count cells (compared as a fraction of the population).
const COUNTS: [&str; 9] = [
    "cells_total",
    "cells_alive",
    "contractile",
    "synthetic",
    "osteogenic",
    "apoptotic",
    "apoptotic_bodies",
    "apoptotic_deaths_cumulative",
    "divisions_cumulative",
];
/// The readouts that are fractions of cells or sites, or a correlation coefficient
/// (Moran's I of the mineral and of its shuffled control, which lie in about [-1, 1] and
/// sit near 0 while the mineral has no spatial structure): compared on the scale 1.
const FRACTIONS: [&str; 5] = [
    "apoptosis_index",
    "fraction_osteogenic",
    "alizarin_positive_area_fraction",
    "mineral_morans_i",
    "mineral_morans_i_shuffled",
];
/// Moran's I's permutation p-value is a rank among 20 shuffles: it moves in steps of 1/21.
/// While the mineral has no spatial structure, I sits among its shuffles, and a difference
/// in I far below 1% can move it one rank. So the p-value may differ by one rank; any
/// further difference is compared on the scale 1 (I itself is compared above).
const MORAN_P: &str = "mineral_morans_i_p";
/// Moran's I of mineral, its shuffled control and its p-value.
const MORAN: [&str; 3] = [
    "mineral_morans_i",
    "mineral_morans_i_shuffled",
    "mineral_morans_i_p",
];
const MORAN_P_RANK: f64 = 1.0 / 21.0;
/// [d] Simulated time per scenario: the initial stress transient, a medium change (every
/// 2.5 days in calcifying medium) and the start of the osteogenic switch.
/// The top-1% site's mineral over the stain threshold (`alizarin_margin_1pct`) is the
/// mineral of one site (the 3rd of the 256 sites of the small well), which one cell's
/// fate event a minute earlier or later changes by several percent where the wall's
/// totals agree within 1%. Its use is below 1 (how far a run is from a stain, for the
/// extrapolated onsets); above 1 the stained fraction it foretells is compared. So it is
/// compared capped at 1, on the scale 1 like that fraction.
const STAIN_MARGIN: &str = "alizarin_margin_1pct";
/// The coefficient of variation of Runx2 across cells (about 0.1-0.3) moves with which
/// cells have switched, which a fate event a step earlier or later changes, more than with
/// the integration error of the means: compared on the scale 1 like the fractions.
const RUNX2_CV: &str = "runx2_cv";
const DAYS: f64 = 4.0;

/// Every scenario file at the top of `scenarios/` (experiment, sweep and sensitivity files
/// are skipped).
fn shipped() -> Vec<(String, Scenario)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).expect("readable scenario");
            !["[experiment]", "[sweep]", "[sensitivity]"]
                .iter()
                .any(|table| text.contains(table))
        })
        .map(|path| {
            let scenario = Scenario::load(&path).expect("shipped scenario is valid");
            let name = path
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            (name, scenario)
        })
        .collect()
}

/// A small, short version of a scenario: 16 x 16 sites in a well, 8 x 4 in a vessel, at
/// most `DAYS` days, integrated adaptively or with fixed-step RK4 of `DEFAULT_MAX_STEP`.
fn small(scenario: &Scenario, rk4: bool) -> Scenario {
    let (axial, circumferential) = match scenario.geometry {
        Geometry::InVitro { .. } => (16, 16),
        Geometry::Vessel { .. } => (8, 4),
    };
    let days = (scenario.time.duration_min / DAY).min(DAYS);
    scenario
        .revised(|file| {
            file.set_lattice(axial, circumferential);
            file.set_duration_days(days);
            let time = file.time_mut();
            let integrator = if rk4 { "rk4" } else { "adaptive" };
            time.integrator = Some(set_by_code(integrator.to_string()));
            time.dt_min = Some(set_by_code(DEFAULT_MAX_STEP));
        })
        .expect("the small scenario is valid")
}

use crate::common::run_serial as run;

#[test]
fn adaptive_matches_fixed_step_rk4_within_1_percent_on_every_shipped_scenario() {
    let mut failures = Vec::new();
    for (name, scenario) in shipped() {
        let adaptive = run(&small(&scenario, false));
        let rk4 = run(&small(&scenario, true));
        assert_eq!(adaptive.len(), rk4.len(), "{name}: recorded rows");
        let mut worst = (0.0_f64, String::new());
        for (a, r) in adaptive.iter().zip(&rk4) {
            for ((column, got), (_, expected)) in a.iter().zip(r.iter()) {
                let (got, expected) = if column.name() == STAIN_MARGIN {
                    (got.min(1.0), expected.min(1.0))
                } else {
                    (got, expected)
                };
                let scale = if COUNTS.contains(&column.name()) {
                    r.get(Column::CellsTotal)
                } else if FRACTIONS.contains(&column.name())
                    || column.name() == STAIN_MARGIN
                    || column.name() == RUNX2_CV
                {
                    1.0
                } else {
                    expected.abs().max(FLOOR)
                };
                // Moran's I of a wall where no site stains is the pattern of a few trace
                // nuclei, each a discrete event that a step's integration error can move
                // by an hour: compared once mineral stains somewhere.
                if MORAN.contains(&column.name())
                    && r.get(Column::AlizarinPositiveAreaFraction) <= 0.0
                {
                    continue;
                }
                let relative = if column.name() == MORAN_P {
                    ((got - expected).abs() - MORAN_P_RANK - 1e-12).max(0.0)
                } else {
                    (got - expected).abs() / scale
                };
                if relative > worst.0 {
                    worst = (
                        relative,
                        format!("{column} at {} h: {got} vs {expected}", r.time_h()),
                    );
                }
            }
        }
        println!("{name}: worst {:.2e} ({})", worst.0, worst.1);
        if worst.0 > TOLERANCE {
            failures.push(format!("{name}: {:.2e} ({})", worst.0, worst.1));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
