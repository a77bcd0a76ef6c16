//! The published UPR model reproduced: vcsim's core against libRoadRunner's simulation
//! of the published SBML (BIOMD0000000703), stored in `tests/data/sbml_reference.csv`.
//!
//! The CSV was written by `tests/sbml_crosscheck.py --write-reference` (CVODE, absolute
//! tolerance 1e-12, relative 1e-10); CI also re-runs libRoadRunner live
//! (`.ci/sbml-crosscheck.sh`). This test keeps `cargo test` alone able to catch a
//! regression in the core.

use std::collections::BTreeMap;
use vcsim::model::cell::{CellModel, CellParams, CellState, ModelVariant};
use vcsim::model::integrate::{DEFAULT_MAX_STEP, Integrator};
use vcsim::model::surroundings::Surroundings;
use vcsim::model::trajectory::{Constant, simulate};
use vcsim::model::upr_core::CoreKnockout;
use vcsim::units::HOUR;

/// Largest difference allowed for the adaptive (default) integrator, relative to the
/// libRoadRunner value or to [`FLOOR`], whichever is larger. The acceptance bound is 1%;
/// the adaptive scheme at its default tolerances measures 1.4e-3 at worst (p-eIF2α
/// without PERK, 2e-3 of its resting level, at 48 h), so this bound keeps a margin to
/// the acceptance bound and still catches a regression before it matters.
const TOLERANCE_ADAPTIVE: f64 = 5e-3;
/// The same for fixed 0.5-min RK4, which agrees to about 3e-6.
const TOLERANCE_RK4: f64 = 1e-4;
/// [1] Differences are relative to at least this (states are fold changes, 1 at rest): a
/// state that has decayed to a millionth of its resting level (p-eIF2α without PERK,
/// Xbp1s without IRE1) is compared on an absolute scale, as the integrators' absolute
/// tolerance ([`vcsim::model::integrate::DEFAULT_ATOL`]) treats it.
const FLOOR: f64 = 1e-6;

struct Row {
    case: String,
    stress: f64,
    knockout: Option<CoreKnockout>,
    time_h: f64,
    values: BTreeMap<String, f64>,
}

fn reference_rows() -> Vec<Row> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sbml_reference.csv");
    let mut reader = csv::Reader::from_path(path).expect("reference CSV is shipped");
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("well-formed CSV");
            let field = |name: &str| {
                let i = headers.iter().position(|h| h == name).expect("column");
                record[i].to_string()
            };
            let knockout = match field("knockout").as_str() {
                "none" => None,
                name => Some(
                    *CoreKnockout::ALL
                        .iter()
                        .find(|k| k.name() == name)
                        .expect("known knockout"),
                ),
            };
            let values = headers
                .iter()
                .enumerate()
                .skip(4)
                .map(|(i, h)| (h.to_string(), record[i].parse::<f64>().expect("number")))
                .collect();
            Row {
                case: field("case"),
                stress: field("stress_per_min").parse().expect("stress"),
                knockout,
                time_h: field("time_h").parse().expect("time"),
                values,
            }
        })
        .collect()
}

/// The largest difference to libRoadRunner over every case, state and time.
fn worst_difference(integrator: &Integrator) -> (f64, String) {
    let rows = reference_rows();
    assert_eq!(rows.len(), 63, "9 cases x 7 times");
    let mut worst = (0.0_f64, String::new());
    let mut compared = 0;
    let mut cases: Vec<&str> = rows.iter().map(|r| r.case.as_str()).collect();
    cases.dedup();
    for case in cases {
        let case_rows: Vec<&Row> = rows.iter().filter(|r| r.case == case).collect();
        let first = case_rows[0];
        let knockouts: Vec<CoreKnockout> = first.knockout.into_iter().collect();
        let model = CellModel::new(
            CellParams::default(),
            &knockouts,
            ModelVariant::PublishedCore,
        );
        let course = simulate(
            &model,
            &Constant(Surroundings::with_er_stress(first.stress)),
            96.0 * HOUR,
            HOUR,
            integrator,
        )
        .expect("finite");
        for row in case_rows {
            let point = course
                .iter()
                .find(|p| (p.time_min - row.time_h * HOUR).abs() < 1e-9)
                .expect("recorded time");
            let mut ours: BTreeMap<&str, f64> = CellState::NAMES
                .iter()
                .copied()
                .zip(point.state.to_array())
                .collect();
            ours.insert("free_bip", point.readout.sensors.free_bip);
            ours.insert("p_perk", point.readout.sensors.p_perk);
            ours.insert("p_ire1", point.readout.sensors.p_ire1);
            for (name, expected) in &row.values {
                let got = ours[name.as_str()];
                let relative = (got - expected).abs() / expected.abs().max(FLOOR);
                compared += 1;
                if relative > worst.0 {
                    worst = (
                        relative,
                        format!(
                            "{case}: {name} at {} h: vcsim {got} vs libRoadRunner {expected}",
                            row.time_h
                        ),
                    );
                }
            }
        }
    }
    assert_eq!(compared, 63 * 14);
    worst
}

#[test]
fn published_core_matches_libroadrunner_with_the_adaptive_integrator() {
    let (worst, what) = worst_difference(&Integrator::ADAPTIVE);
    println!("adaptive: worst relative difference {worst:.2e} ({what})");
    assert!(worst <= TOLERANCE_ADAPTIVE, "{worst:.2e}: {what}");
}

#[test]
fn published_core_matches_libroadrunner_with_fixed_step_rk4() {
    let (worst, what) = worst_difference(&Integrator::rk4(DEFAULT_MAX_STEP));
    println!("rk4: worst relative difference {worst:.2e} ({what})");
    assert!(worst <= TOLERANCE_RK4, "{worst:.2e}: {what}");
}
