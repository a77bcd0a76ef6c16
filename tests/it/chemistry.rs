//! Extracellular chemistry and transport (issue 16 items 1-3): mass balance of calcium
//! and phosphorus in a closed well and a closed wall, loss of PPi production calcifying a
//! wall at normal phosphate, smooth dose-dependent inhibition by PPi, fetuin-A and Mg, and
//! a CKD-like wall against one in normal plasma.

use vcsim::model::fate::vesicle_competence;
use vcsim::model::mineral::{
    CALCIUM_UG_PER_PMOL, Fluid, MINERAL_MG_PER_PMOL_CALCIUM, nucleation_inhibition,
};
use vcsim::record::Column;
use vcsim::scenario::Scenario;
use vcsim::scenario::file::set_by_code;
use vcsim::sim::resources::{Occupant, WallFluid};
use vcsim::sim::{Simulation, Threads};

fn shipped(name: &str) -> Scenario {
    let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    Scenario::load(std::path::Path::new(&path)).expect("shipped scenario is valid")
}

/// A shipped vessel scenario on a small patch of wall (same layers), for `days`.
fn small_wall(name: &str, days: f64) -> Scenario {
    shipped(name)
        .revised(|file| {
            file.set_lattice(8, 6);
            file.set_duration_days(days);
            file.record_mut().snapshots_days = None;
        })
        .expect("the small wall is valid")
}

/// `scenario` with one model parameter set.
fn with_param(scenario: &Scenario, module: &str, field: &str, value: f64) -> Scenario {
    scenario
        .revised(|file| {
            file.parameters
                .get_or_insert_with(Default::default)
                .entry(set_by_code(module.to_string()))
                .or_default()
                .insert(set_by_code(field.to_string()), set_by_code(value));
        })
        .expect("the parameter is valid")
}

/// `scenario` with one plasma solute set.
fn with_plasma(
    scenario: &Scenario,
    set: fn(&mut vcsim::scenario::file::EnvironmentFile, f64),
    value: f64,
) -> Scenario {
    scenario
        .revised(|file| set(file.environment_mut(), value))
        .expect("the plasma is valid")
}

/// [pmol Ca] All mineral of a simulation's wall.
fn mineral(simulation: &Simulation) -> f64 {
    simulation.wall().sites.iter().map(|s| s.total()).sum()
}

/// Runs to the end; returns the wall's mineral [pmol Ca].
fn final_mineral(scenario: &Scenario) -> f64 {
    let mut simulation = Simulation::new(scenario, Threads::Serial).expect("builds");
    for _ in 0..simulation.steps() {
        simulation.step().expect("step");
    }
    mineral(&simulation)
}

/// Steps `scenario` and checks after every step that calcium and phosphorus in fluid and
/// mineral equal the start's plus what entered from plasma, to `1e-9` relative.
fn assert_balanced(scenario: &Scenario) -> Simulation {
    let mut simulation = Simulation::new(scenario, Threads::Serial).expect("builds");
    let nu = simulation.model().params.mineral.phosphate_per_calcium;
    let calcium = simulation.wall().calcium_inventory_pmol();
    let phosphorus = simulation.wall().phosphorus_inventory_pmol(nu);
    for step in 0..simulation.steps() {
        simulation.step().expect("step");
        let wall = simulation.wall();
        let [ca_in, p_in] = wall.plasma_exchange_pmol;
        let c = wall.calcium_inventory_pmol() - ca_in;
        let p = wall.phosphorus_inventory_pmol(nu) - p_in;
        assert!(
            (c - calcium).abs() <= 1e-9 * calcium,
            "step {step}: Ca {c} vs {calcium}"
        );
        assert!(
            (p - phosphorus).abs() <= 1e-9 * phosphorus,
            "step {step}: P {p} vs {phosphorus}"
        );
    }
    simulation
}

#[test]
fn calcium_and_phosphorus_are_conserved_in_a_closed_well() {
    let scenario = shipped("calcifying-medium")
        .revised(|file| {
            file.set_lattice(10, 10);
            file.environment_mut().medium_change_every_days = None;
            file.set_duration_days(6.0);
        })
        .expect("the closed well is valid");
    let simulation = assert_balanced(&scenario);
    assert!(
        mineral(&simulation) > 0.0,
        "no mineral: the test means nothing"
    );
}

#[test]
fn calcium_and_phosphorus_are_conserved_in_a_wall_closed_to_plasma() {
    let scenario = small_wall("vessel-media", 7.0);
    let scenario = with_param(&scenario, "mineral", "lumen_permeability", 0.0);
    let scenario = with_param(&scenario, "mineral", "vasa_vasorum_permeability", 0.0);
    let simulation = assert_balanced(&scenario);
    let exchanged = simulation.wall().plasma_exchange_pmol;
    assert!(exchanged.iter().all(|&x| x == 0.0), "{exchanged:?}");
    assert!(
        mineral(&simulation) > 0.0,
        "no mineral: the test means nothing"
    );
}

#[test]
fn calcium_and_phosphorus_are_conserved_in_a_wall_bathed_by_a_closed_dish() {
    // An aortic ring in a dish: the wall exchanges with a finite bath (no medium change),
    // at a calcifying phosphate, with a PPi-hydrolysing enzyme in the bath.
    let scenario = small_wall("vessel-normal-plasma", 9.0)
        .revised(|file| {
            let e = file.environment_mut();
            e.calcium_mm = Some(set_by_code(1.8));
            e.phosphate_mm = Some(set_by_code(3.8));
            e.pyrophosphate_um = Some(set_by_code(0.5));
            e.fetuin_a_um = Some(set_by_code(0.0));
            e.bath_ul_per_mm2 = Some(set_by_code(5.0));
        })
        .expect("the ring in a dish is valid");
    let scenario = with_param(
        &scenario,
        "mineral",
        "exogenous_ppi_hydrolysis_rate_per_h",
        10.0,
    );
    let simulation = assert_balanced(&scenario);
    let wall = simulation.wall();
    assert!(wall.plasma_exchange_pmol.iter().all(|&x| x == 0.0));
    let WallFluid::Bath { current, .. } = &wall.fluid else {
        panic!("a wall with a bath exchanges with it, not with plasma");
    };
    // What the wall took up (mineral) came out of the small bath.
    assert!(
        mineral(&simulation) > 0.0,
        "no mineral: the test means nothing"
    );
    assert!(current.calcium < 1.8 && current.pyrophosphate < 0.5);
}

#[test]
fn a_wall_in_a_bath_of_medium_takes_the_ionised_calcium_share_of_medium() {
    // The ionised share belongs to the fluid: plasma binds half of its calcium to
    // albumin, culture medium far less. A ring in a dish is bathed by medium, so its free
    // calcium (and what its cells sense) is that of the medium, as in a well.
    let in_plasma = small_wall("vessel-normal-plasma", 1.0);
    let in_a_dish = in_plasma
        .revised(|file| file.environment_mut().bath_ul_per_mm2 = Some(set_by_code(70.0)))
        .expect("the ring in a dish is valid");
    let plasma = Simulation::new(&in_plasma, Threads::Serial).expect("builds");
    let dish = Simulation::new(&in_a_dish, Threads::Serial).expect("builds");
    let mineral_params = &plasma.model().params.mineral;
    let (f_plasma, f_medium) = (
        mineral_params.ionised_calcium_fraction_plasma,
        mineral_params.ionised_calcium_fraction_medium,
    );
    assert!(
        (f_plasma - f_medium).abs() > 0.1,
        "the test needs two shares"
    );
    assert!((plasma.wall().ionised_calcium_fraction - f_plasma).abs() < 1e-15);
    assert!((dish.wall().ionised_calcium_fraction - f_medium).abs() < 1e-15);
    // Cells sense total calcium as in a culture medium: the medium's own total.
    assert!((dish.wall().calcium_sensing_factor - 1.0).abs() < 1e-15);
    assert!((plasma.wall().calcium_sensing_factor - f_plasma / f_medium).abs() < 1e-15);
}

#[test]
fn an_open_wall_gains_exactly_what_enters_from_plasma() {
    let simulation = assert_balanced(&small_wall("vessel-media", 7.0));
    // Mineral formed from ions that came in from the lumen and the vasa vasorum.
    let [ca_in, _] = simulation.wall().plasma_exchange_pmol;
    assert!(ca_in > 0.0 && mineral(&simulation) > 0.0);
}

#[test]
fn loss_of_ppi_production_raises_wall_mineral_at_normal_phosphate() {
    // ENPP1 deficiency: the cells make no PPi and plasma PPi falls (in patients and
    // Enpp1-null mice plasma PPi is a small fraction of normal); phosphate stays normal.
    let normal = small_wall("vessel-normal-plasma", 42.0);
    let deficient = with_param(&normal, "osteogenic", "enpp1_expression", 0.0);
    let plasma_ppi = normal.environment.medium.fluid.pyrophosphate;
    let deficient = with_plasma(
        &deficient,
        |e, x| e.pyrophosphate_um = Some(set_by_code(x)),
        0.1 * plasma_ppi,
    );
    let (m_normal, m_deficient) = (final_mineral(&normal), final_mineral(&deficient));
    println!("wall mineral at day 42: ENPP1-deficient {m_deficient} pmol, normal {m_normal} pmol");
    // Issue 16: loss of PPi calcifies a wall given time. The deficient wall holds what
    // 20 stained sites would (0.05 pmol each), the normal one at most a hundredth of it
    // (docs/model.md §5.3).
    assert!(
        m_deficient > 1.0 && m_normal < 0.01 * m_deficient,
        "ENPP1-deficient wall {m_deficient} pmol vs normal {m_normal} pmol"
    );
}

/// Final wall mineral along a dose series of one plasma inhibitor on a CKD-like wall.
fn dose_series(
    set: fn(&mut vcsim::scenario::file::EnvironmentFile, f64),
    doses: &[f64],
) -> Vec<f64> {
    let base = small_wall("vessel-media", 14.0);
    doses
        .iter()
        .map(|&dose| final_mineral(&with_plasma(&base, set, dose)))
        .collect()
}

/// Asserts that mineral falls steadily along a dose series of an inhibitor, and never
/// in a switch: over each step of the series the mineral may fall at most twice as
/// steeply as the inhibitor's own rate law does (`law(low, high)`: the model's
/// inhibition factors at the higher dose over those at the lower, at the shipped
/// parameters). The deposits' feedbacks on the cells (crystal BMP-2 drive, crystal death)
/// amplify the chemistry; all-or-none mineral would show up as a step far steeper than
/// the chemistry itself.
fn assert_smooth_inhibition(
    name: &str,
    doses: &[f64],
    mineral: &[f64],
    law: impl Fn(f64, f64) -> f64,
) {
    println!("{name} series, wall mineral [pmol]: {mineral:?}");
    assert!(mineral[0] > 0.0, "{name}: no mineral without the inhibitor");
    for (d, w) in doses.windows(2).zip(mineral.windows(2)) {
        assert!(w[1] < w[0], "{name}: not monotone: {mineral:?}");
        let chemistry = law(d[0], d[1]);
        assert!(
            w[1] / w[0] > 0.5 * chemistry,
            "{name}: a jump from {} to {}: mineral x{:.3}, the rate law alone x{chemistry:.3}: \
             {mineral:?}",
            d[0],
            d[1],
            w[1] / w[0]
        );
    }
}

#[test]
fn pyrophosphate_fetuin_and_magnesium_inhibit_smoothly_and_dose_dependently() {
    let params = Simulation::new(&small_wall("vessel-media", 1.0), Threads::Serial)
        .expect("builds")
        .model()
        .params
        .clone();
    let (m, f) = (&params.mineral, &params.fate);
    // Each inhibitor's own rate law, from the model's functions: PPi on nucleation and
    // on growth, fetuin-A on nucleation and on vesicle competence, magnesium on
    // nucleation. [`nucleation_inhibition`] of a fluid holding only that inhibitor.
    let only = |pyrophosphate: f64, fetuin_a: f64, magnesium: f64| Fluid {
        ionised_calcium: 0.0,
        phosphate: 0.0,
        pyrophosphate,
        fetuin_a,
        magnesium,
    };
    let ppi_law =
        |x: f64| nucleation_inhibition(m, &only(x, 0.0, 0.0)) / (1.0 + x / m.ppi_growth_half);
    let fetuin_law =
        |x: f64| nucleation_inhibition(m, &only(0.0, x, 0.0)) * vesicle_competence(f, 1.0, 1.0, x);
    let magnesium_law = |x: f64| nucleation_inhibition(m, &only(0.0, 0.0, x));

    let doses = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0];
    let ppi = dose_series(|e, x| e.pyrophosphate_um = Some(set_by_code(x)), &doses);
    assert_smooth_inhibition("PPi", &doses, &ppi, |a, b| ppi_law(b) / ppi_law(a));
    let doses = [0.0, 1.25, 2.5, 5.0, 10.0, 20.0, 40.0];
    let fetuin = dose_series(|e, x| e.fetuin_a_um = Some(set_by_code(x)), &doses);
    assert_smooth_inhibition("fetuin-A", &doses, &fetuin, |a, b| {
        fetuin_law(b) / fetuin_law(a)
    });
    let doses = [0.0, 0.25, 0.5, 1.0, 2.0, 4.0];
    let magnesium = dose_series(|e, x| e.magnesium_mm = Some(set_by_code(x)), &doses);
    assert_smooth_inhibition("Mg", &doses, &magnesium, |a, b| {
        magnesium_law(b) / magnesium_law(a)
    });
}

#[test]
fn a_ckd_like_wall_calcifies_many_times_more_than_one_in_normal_plasma() {
    let run = |name: &str| {
        let scenario = small_wall(name, 28.0);
        let mut simulation = Simulation::new(&scenario, Threads::Serial).expect("builds");
        for _ in 0..simulation.steps() {
            simulation.step().expect("step");
        }
        let p = &simulation.model().params.mineral;
        let dry_mg = simulation
            .wall()
            .tissue_dry_mg(p.tissue_density, p.tissue_dry_fraction);
        let wall = simulation.wall();
        let nmol_per_mg_dry = mineral(&simulation) * 1e-3 / dry_mg;
        #[expect(clippy::cast_precision_loss, reason = "cell counts")]
        let cells = wall
            .occupants
            .iter()
            .filter(|o| **o != Occupant::Empty)
            .count() as f64;
        let protein_mg = cells.max(1.0) * p.protein_per_cell * 1e-6;
        let per_protein = mineral(&simulation) * CALCIUM_UG_PER_PMOL / protein_mg;
        (nmol_per_mg_dry, per_protein)
    };
    let (ckd, ckd_protein) = run("vessel-media");
    let (normal, normal_protein) = run("vessel-normal-plasma");
    println!(
        "mineral Ca, nmol/mg dry tissue: CKD {ckd:.4}, normal {normal:.4}, ratio {:.1}; \
         mineral µg Ca/mg protein: CKD {ckd_protein:.4}, normal {normal_protein:.4}",
        ckd / normal.max(1e-12)
    );
    assert!(ckd > 10.0 * normal, "CKD {ckd} vs normal {normal}");
}

#[test]
fn a_walls_calcium_without_mineral_is_its_dry_mass_times_the_measured_basal_content() {
    // VDN kills part of the media over the run: the wall's basal calcium must not follow
    // the cells (it is mostly in the matrix; 27 nmol/mg dry in control rat aortas).
    let scenario = small_wall("vessel-vdn", 28.0);
    let basal = Simulation::new(&scenario, Threads::Serial)
        .expect("builds")
        .model()
        .params
        .mineral
        .wall_basal_calcium_ug_per_mg_dry;
    assert!((basal - 1.08).abs() < 1e-12, "Ca_wall {basal}");
    let rows = crate::common::run_serial(&scenario);
    let (first, last) = (rows.first().expect("rows"), rows.last().expect("rows"));
    assert!(
        last.get(Column::CellsAlive) < first.get(Column::CellsAlive),
        "cells are lost: {} -> {}",
        first.get(Column::CellsAlive),
        last.get(Column::CellsAlive)
    );
    // Mineral has formed, so the dry weight's mineral share is checked too.
    assert!(
        last.get(Column::MineralTotalPmol) > 0.0,
        "no mineral by day 28"
    );
    for row in [first, last] {
        let calcium = row.get(Column::CalciumUg);
        let mineral_pmol = row.get(Column::MineralTotalPmol);
        let mineral = mineral_pmol * CALCIUM_UG_PER_PMOL;
        // The dry weight includes the mineral's own mass (hydroxyapatite); the basal
        // calcium is per mg of the tissue without it.
        let dry_mg = calcium / row.get(Column::CalciumUgPerMgDryTissue);
        let tissue_mg = dry_mg - mineral_pmol * MINERAL_MG_PER_PMOL_CALCIUM;
        let without_mineral = (calcium - mineral) / tissue_mg;
        assert!(
            (without_mineral - basal).abs() < 1e-9 * basal,
            "day {}: {without_mineral} µg/mg dry without mineral, expected {basal}",
            row.get(Column::TimeDays)
        );
    }
}

#[test]
fn mineral_is_credited_to_the_lamellae_or_to_the_cells_matrix() {
    // Issue 16: where the wall's mineral lies. Mineral that nucleated on an elastic
    // lamella, and what grew from it, is lamellar; the rest nucleated on matrix vesicles
    // and apoptotic bodies. In CKD plasma both templates nucleate.
    let wall = small_wall("vessel-media", 28.0);
    let rows = crate::common::run_serial(&wall);
    for row in &rows {
        let (lamella, total) = (
            row.get(Column::MineralLamellaPmol),
            row.get(Column::MineralTotalPmol),
        );
        assert!(
            lamella >= 0.0 && lamella <= total * (1.0 + 1e-12),
            "day {}: lamellar {lamella} of {total} pmol",
            row.get(Column::TimeDays)
        );
    }
    let last = rows.last().expect("rows");
    let (lamella, total) = (
        last.get(Column::MineralLamellaPmol),
        last.get(Column::MineralTotalPmol),
    );
    println!("CKD media at day 28: {lamella} of {total} pmol lamellar");
    assert!(
        lamella > 0.0 && lamella < total,
        "both templates nucleate: {lamella} of {total} pmol lamellar"
    );
    // Without a lamella template no mineral is lamellar, though the wall still calcifies.
    let without = with_param(&wall, "mineral", "elastin_template", 0.0);
    let rows = crate::common::run_serial(&without);
    let last = rows.last().expect("rows");
    assert!(last.get(Column::MineralTotalPmol) > 0.0);
    assert!(
        rows.iter()
            .all(|row| row.get(Column::MineralLamellaPmol) == 0.0),
        "lamellar mineral without a lamella template"
    );
}
