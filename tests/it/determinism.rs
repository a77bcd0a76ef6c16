//! Determinism contract: the same scenario and seed give the same cells after every step
//! for any thread count, checked in one process (every simulation owns its threads): a
//! serial run and pools of 2 and 3 workers side by side, step by step, with a
//! fingerprint per cell (keyed by `CellId`) and the wall compared after each step. A
//! mismatch names the first diverging step and cell.
//!
//! What it guards: parallel per-cell systems, keyed random streams, site-ordered
//! reductions and cell-id-ordered births and removals. (The golden test checks that the
//! binary's output files stay byte-identical.)

use vcsim::scenario::Scenario;
use vcsim::sim::components::CellId;
use vcsim::sim::{Simulation, Threads};

const SCENARIO: &str = r#"
[meta]
name = "determinism"
description = "small calcifying well with apoptosis, division and mineral"
seed = 7

[geometry]
mode = "in_vitro"
axial_sites = 14
circumferential_sites = 12
occupancy = 0.8

[time]
duration_days = 4.0

[environment]
calcium_mM = 2.8
beta_glycerophosphate_mM = 10.0
medium_change_every_days = 2.0

[stress]
kind = "square_wave"
low_per_min = 0.0
high_per_min = 6.0
period_h = 24.0

[record]
every_h = 6.0
snapshots_days = [0.0, 2.0, 4.0]
"#;

fn scenario() -> Scenario {
    Scenario::from_toml(SCENARIO, "determinism.toml").expect("valid scenario")
}

/// The first cell (in id order) whose fingerprint differs, or that only one run holds.
fn first_diverging_cell(a: &[(CellId, u64)], b: &[(CellId, u64)]) -> Option<CellId> {
    let mut a = a.iter().peekable();
    let mut b = b.iter().peekable();
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => return None,
            (Some((id, _)), None) | (None, Some((id, _))) => return Some(*id),
            (Some((ia, ha)), Some((ib, hb))) => {
                if ia != ib {
                    return Some(*ia.min(ib));
                }
                if ha != hb {
                    return Some(*ia);
                }
                a.next();
                b.next();
            }
        }
    }
}

#[test]
fn cells_and_wall_are_identical_after_every_step_for_1_2_and_3_threads() {
    let scenario = scenario();
    let mut serial = Simulation::new(&scenario, Threads::Serial).expect("builds");
    let mut pooled: Vec<(Threads, Simulation)> = [Threads::Pool(2), Threads::Pool(3)]
        .into_iter()
        .map(|t| (t, Simulation::new(&scenario, t).expect("builds")))
        .collect();
    let steps = serial.steps();
    assert_eq!(steps, 96);
    let initial = serial.cell_fingerprints().len();
    for step in 1..=steps {
        serial.step().expect("serial step");
        let want = serial.cell_fingerprints();
        let want_wall = format!("{:?}", serial.wall());
        for (threads, simulation) in &mut pooled {
            simulation.step().expect("pooled step");
            let got = simulation.cell_fingerprints();
            if let Some(cell) = first_diverging_cell(&want, &got) {
                panic!(
                    "{threads:?} diverges from the serial run at step {step}, first at cell {}",
                    cell.0
                );
            }
            assert!(
                format!("{:?}", simulation.wall()) == want_wall,
                "{threads:?}: the wall diverges from the serial run at step {step}"
            );
        }
    }
    // The run must exercise deaths and divisions for the check to mean something.
    let last = serial.cell_fingerprints();
    assert!(
        last.len() != initial,
        "no divisions or removals in {steps} steps"
    );
}

#[test]
fn a_different_seed_gives_a_different_history() {
    let run = |seed: u64| {
        let mut simulation =
            Simulation::new(&scenario().with_seed(seed), Threads::Pool(2)).expect("builds");
        for _ in 0..simulation.steps() {
            simulation.step().expect("step");
        }
        simulation.cell_fingerprints()
    };
    assert_ne!(run(7), run(8));
}

#[test]
fn the_diverging_cell_is_the_first_difference_in_id_order() {
    let a = [(CellId(1), 10), (CellId(2), 20), (CellId(4), 40)];
    assert_eq!(first_diverging_cell(&a, &a), None);
    assert_eq!(
        first_diverging_cell(&a, &[(CellId(1), 10), (CellId(2), 21), (CellId(4), 41)]),
        Some(CellId(2))
    );
    assert_eq!(
        first_diverging_cell(&a, &[(CellId(1), 10), (CellId(3), 30), (CellId(4), 40)]),
        Some(CellId(2))
    );
    assert_eq!(first_diverging_cell(&a, &a[..2]), Some(CellId(4)));
}
