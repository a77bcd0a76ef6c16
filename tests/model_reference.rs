//! The published UPR model reproduced: vcsim's core against libRoadRunner's simulation
//! of the published SBML (BIOMD0000000703), stored in `tests/data/sbml_reference.csv`.
//!
//! The CSV was written by `tests/sbml_crosscheck.py --write-reference` (CVODE, absolute
//! tolerance 1e-12, relative 1e-10); CI also re-runs libRoadRunner live
//! (`.ci/sbml-crosscheck.sh`). This test keeps `cargo test` alone able to catch a
//! regression in the core.

use std::collections::BTreeMap;
use vcsim::model::cell::{CellModel, CellParams, CellState, ModelVariant};
use vcsim::model::integrate::DEFAULT_MAX_STEP;
use vcsim::model::surroundings::Surroundings;
use vcsim::model::trajectory::{Constant, simulate};
use vcsim::model::upr_core::CoreKnockout;
use vcsim::units::HOUR;

/// Largest relative difference allowed. The acceptance bound is 1%; RK4 at 0.5 min
/// agrees to about 3e-6, so a tighter bound catches regressions long before they matter.
const TOLERANCE: f64 = 1e-4;
/// Values below this are numerically zero (e.g. Xbp1s in the IRE1 knockout at 72 h).
const ZERO: f64 = 1e-9;

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

#[test]
fn published_core_matches_libroadrunner_on_all_states_cases_and_times() {
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
            DEFAULT_MAX_STEP,
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
                let relative = if got.abs() < ZERO && expected.abs() < ZERO {
                    0.0
                } else {
                    (got - expected).abs() / expected.abs().max(ZERO)
                };
                compared += 1;
                if relative > worst.0 {
                    worst = (relative, format!("{case} {name} at {} h", row.time_h));
                }
                assert!(
                    relative <= TOLERANCE,
                    "{case}: {name} at {} h: vcsim {got} vs libRoadRunner {expected} ({relative:.2e})",
                    row.time_h
                );
            }
        }
    }
    assert_eq!(compared, 63 * 14);
    assert!(worst.0 < TOLERANCE, "worst {worst:?}");
}
