//! Property tests: for random parameters within their documented ranges (the `min`/`max`
//! of every parameter table) and random surroundings within their allowed ranges, every
//! state stays finite and non-negative and survival stays in [0, 1].

use proptest::prelude::*;
use vcsim::model::cell::{CellModel, CellParams, CellState, ModelVariant};
use vcsim::model::integrate::Integrator;
use vcsim::model::parameters::ParamRow;
use vcsim::model::surroundings::Surroundings;
use vcsim::model::trajectory::{Constant, simulate};
use vcsim::model::upr_core::CoreKnockout;
use vcsim::units::HOUR;

/// Maps `u` in [0, 1) onto a parameter's documented range: log-uniform where the range
/// is positive and spans more than a factor of 10, uniform otherwise.
fn value_in_range(row: &ParamRow, u: f64) -> f64 {
    if row.min > 0.0 && row.max / row.min > 10.0 {
        (row.min.ln() + u * (row.max.ln() - row.min.ln())).exp()
    } else {
        row.min + u * (row.max - row.min)
    }
}

/// Random parameters: each parameter is drawn from its range with probability
/// `p_change`, otherwise kept at its default, so that cases mix wide and local moves.
fn random_params(draws: &[f64], keep: &[bool]) -> CellParams {
    let mut params = CellParams::default();
    let rows = params.rows();
    for ((row, &u), &kept) in rows.iter().zip(draws).zip(keep) {
        if kept {
            continue;
        }
        let value = value_in_range(row, u).clamp(row.min, row.max);
        params
            .set(row.module, row.field, value)
            .expect("in-range values are accepted");
    }
    params
}

fn random_surroundings(u: &[f64]) -> Surroundings {
    let mut env = Surroundings::reference();
    env.er_stress = 20.0 * u[0];
    env.calcium = 5.0 * u[1];
    env.phosphate = 5.0 * u[2];
    env.glucose = 40.0 * u[3];
    env.tnf_alpha = 3.0 * u[4];
    env.ros = 3.0 * u[5];
    env.rage = u[6];
    env.bmp2 = 3.0 * u[7];
    env.growth_factors = 3.0 * u[8];
    env.extrinsic_death = 3.0 * u[9];
    env.drugs.rapamycin = 100.0 * u[10];
    env.drugs.chaperone_folding_gain = 2.0 * u[11];
    env.drugs.chaperone_load_relief = 0.99 * u[12];
    env.drugs.autophagy_block = u[13];
    env.drugs.autophagy_induction = 2.0 * u[14];
    env.drugs.phosphate_transport_block = u[15];
    env
}

fn parameter_count() -> usize {
    CellParams::default().rows().len()
}

proptest! {
    // Random draws each run; failures are kept in tests/proptest-regressions/ and re-run
    // first. Two kept draws are published-core cells with GADD34 far below its
    // reference: the published GADD34 transcription `(A4 - A4*)(...)/(...)` turned
    // negative once ATF4 fell below its reference, RK4 and Rosenbrock stages carried
    // the negative mRNA into GADD34 protein and the dephosphorylation rate, and p-eIF2α
    // blew up in finite time. Synthesis is now held at 0 or more (upr_core::rates); the
    // published dephosphorylation `kdeph1 + kdeph2 (G - G*)` may still turn negative
    // (p-eIF2α then grows at most linearly), which the libRoadRunner match needs.
    #![proptest_config(ProptestConfig {
        cases: 1024,
        rng_seed: proptest::test_runner::RngSeed::Random,
        ..ProptestConfig::default()
    })]

    #[test]
    fn states_stay_finite_and_non_negative(
        draws in prop::collection::vec(0.0..1.0_f64, parameter_count()),
        keep in prop::collection::vec(prop::bool::weighted(0.7), parameter_count()),
        env in prop::collection::vec(0.0..1.0_f64, 16),
        knockout in prop::option::of(prop::sample::select(CoreKnockout::ALL.to_vec())),
        vsmc in any::<bool>(),
    ) {
        let params = random_params(&draws, &keep);
        let variant = if vsmc { ModelVariant::Vsmc } else { ModelVariant::PublishedCore };
        let knockouts: Vec<CoreKnockout> = knockout.into_iter().collect();
        let model = CellModel::new(params, &knockouts, variant);
        let surroundings = random_surroundings(&env);
        prop_assert!(surroundings.validate().is_ok());
        let course = simulate(&model, &Constant(surroundings), 24.0 * HOUR, 60.0, &Integrator::ADAPTIVE);
        let course = match course {
            Ok(course) => course,
            Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        for point in &course {
            for (name, value) in CellState::NAMES.iter().zip(point.state.to_array()) {
                prop_assert!(value.is_finite() && value >= 0.0, "{} = {} at {} min", name, value, point.time_min);
            }
            prop_assert!((0.0..=1.0).contains(&point.survival), "survival {}", point.survival);
            prop_assert!(point.readout.apoptosis.hazard_per_h.is_finite());
        }
    }
}
