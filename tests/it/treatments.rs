//! `[[treatment]]` entries in scenario files: catalog ids with doses and time windows,
//! their validation, and their effect in a population run.

use vcsim::record::{Column, TimeseriesRow};
use vcsim::scenario::Scenario;
use vcsim::sim::{Simulation, Threads};

const BASE: &str = r#"
[meta]
name = "treated"
description = "small calcifying well"
seed = 3
[geometry]
mode = "in_vitro"
axial_sites = 10
circumferential_sites = 10
[time]
duration_days = 5.0
[environment]
medium_change_every_days = 2.5
[record]
every_h = 24.0
[[treatment]]
id = "calcifying-medium"
"#;

fn error_of(text: &str) -> String {
    Scenario::from_toml(text, "t.toml")
        .expect_err("invalid")
        .to_string()
}

#[test]
fn an_unknown_treatment_is_rejected_with_a_suggestion() {
    let text = format!("{BASE}\n[[treatment]]\nid = \"4-pab\"\n");
    let message = error_of(&text);
    assert!(
        message.contains("treatment.id") && message.contains("did you mean `4-pba`"),
        "{message}"
    );
}

#[test]
fn a_negative_dose_and_a_stop_before_the_start_are_rejected() {
    let text = format!(
        "{BASE}\n[[treatment]]\nid = \"rapamycin\"\ndose = -1.0\nstart_days = 2.0\nstop_days = 1.0\n"
    );
    let message = error_of(&text);
    assert!(message.contains("treatment.dose = -1"), "{message}");
    assert!(
        message.contains("treatment.stop_days") && message.contains("after"),
        "{message}"
    );
}

#[test]
fn gene_deletions_cannot_be_time_windowed() {
    let text = format!("{BASE}\n[[treatment]]\nid = \"atf4-knockout\"\nstart_days = 1.0\n");
    let message = error_of(&text);
    assert!(
        message.contains("deletes a gene") && message.contains("whole run"),
        "{message}"
    );
}

#[test]
fn whole_run_effects_are_applied_to_the_scenario() {
    let text = format!(
        "{BASE}\n[[treatment]]\nid = \"atf4-knockout\"\n[[treatment]]\nid = \"levamisole\"\n"
    );
    let scenario = Scenario::from_toml(&text, "t.toml").expect("valid");
    assert!((scenario.environment.medium.fluid.calcium - 2.8).abs() < 1e-12);
    assert!((scenario.environment.medium.fluid.beta_glycerophosphate - 10.0).abs() < 1e-12);
    assert_eq!(scenario.knockouts.len(), 1);
    assert!((scenario.params.mineral.bgp_hydrolysis_vmax_per_h - 40.0).abs() < 1e-9);
    assert_eq!(scenario.treatments.len(), 3);
}

fn last(rows: &[TimeseriesRow], name: &str) -> f64 {
    let column = Column::from_name(name).expect("column");
    rows.last().expect("rows").get(column)
}

fn run(text: &str) -> Vec<TimeseriesRow> {
    let scenario = Scenario::from_toml(text, "t.toml").expect("valid");
    Simulation::new(&scenario, Threads::Serial)
        .expect("builds")
        .run(|_, _| {})
        .expect("runs")
        .timeseries
}

#[test]
fn four_pba_lowers_er_stress_in_calcifying_medium_and_3ma_blocks_autophagy() {
    let control = run(BASE);
    let pba = run(&format!("{BASE}\n[[treatment]]\nid = \"4-pba\"\n"));
    assert!(last(&pba, "grp78_mean") < last(&control, "grp78_mean"));
    assert!(last(&pba, "chop_mean") < last(&control, "chop_mean"));
    let blocked = run(&format!(
        "{BASE}\n[[treatment]]\nid = \"3-ma\"\ndose = 5.0\n"
    ));
    assert!(last(&blocked, "lc3ii_autophagy_mean") < 0.6 * last(&control, "lc3ii_autophagy_mean"));
    // A drug given only on day 1-2 has washed out by day 5: its effect is smaller.
    let pulse = run(&format!(
        "{BASE}\n[[treatment]]\nid = \"3-ma\"\nstart_days = 1.0\nstop_days = 2.0\n"
    ));
    assert!(last(&pulse, "lc3ii_autophagy_mean") > last(&blocked, "lc3ii_autophagy_mean"));
}

/// Deaths credited to the stress-induced routes (the ER-stress routes and deposits).
fn stress_deaths(rows: &[TimeseriesRow]) -> f64 {
    [
        "deaths_chop_cumulative",
        "deaths_caspase12_cumulative",
        "deaths_jnk_cumulative",
        "deaths_crystal_cumulative",
    ]
    .iter()
    .map(|c| last(rows, c))
    .sum()
}

/// Atorvastatin (Son 2006) and iron citrate (Ciceri 2016) restore the survival signalling
/// that phosphate suppresses: in a calcifying well with Pi raised they prevent the
/// stress-induced deaths, and iron also induces autophagy (LC3-II).
#[test]
fn survival_drugs_prevent_phosphate_stress_deaths_and_iron_induces_autophagy() {
    // The calcifying well of BASE, larger and longer, with Pi raised by 4.1 mM.
    let mut larger = BASE.to_string();
    for (from, to) in [
        ("duration_days = 5.0", "duration_days = 10.0"),
        ("axial_sites = 10", "axial_sites = 16"),
        ("circumferential_sites = 10", "circumferential_sites = 16"),
    ] {
        assert!(larger.contains(from), "BASE no longer sets {from}");
        larger = larger.replace(from, to);
    }
    let base = format!("{larger}\n[[treatment]]\nid = \"high-phosphate\"\ndose = 4.1\n");
    let control = run(&base);
    let statin = run(&format!("{base}\n[[treatment]]\nid = \"atorvastatin\"\n"));
    let iron = run(&format!("{base}\n[[treatment]]\nid = \"iron-citrate\"\n"));
    let untreated = stress_deaths(&control);
    assert!(
        untreated >= 10.0,
        "too few stress deaths to compare: {untreated}"
    );
    for (name, rows) in [("atorvastatin", &statin), ("iron-citrate", &iron)] {
        assert!(
            stress_deaths(rows) < 0.3 * untreated,
            "{name}: {} stress deaths against {untreated}",
            stress_deaths(rows)
        );
    }
    assert!(
        last(&iron, "lc3ii_autophagy_mean") > 1.3 * last(&control, "lc3ii_autophagy_mean"),
        "iron: LC3-II {} against {}",
        last(&iron, "lc3ii_autophagy_mean"),
        last(&control, "lc3ii_autophagy_mean")
    );
    assert!(
        (last(&statin, "lc3ii_autophagy_mean") / last(&control, "lc3ii_autophagy_mean") - 1.0)
            .abs()
            < 0.2,
        "atorvastatin is not an autophagy drug"
    );
}

fn at_day(rows: &[TimeseriesRow], name: &str, day: f64) -> f64 {
    let column = Column::from_name(name).expect("column");
    rows.iter()
        .find(|r| (r.time_h() - 24.0 * day).abs() < 1e-6)
        .unwrap_or_else(|| panic!("no row at day {day}"))
        .get(column)
}

#[test]
fn a_medium_supplement_can_be_given_for_a_time_window() {
    // High phosphate (+2 mM) from day 1 to day 3: the medium is changed to the
    // supplemented one at day 1 and back at day 3 (the regular change is at day 2.5).
    // Without β-glycerophosphate: its hydrolysis (by the serum and the cells) raises the
    // medium's Pi by more than a millimolar a day, and the change at day 1 would restart
    // it in one arm only, so the arms would differ by more than the supplement.
    let plain = BASE.replace("[[treatment]]\nid = \"calcifying-medium\"\n", "");
    assert_ne!(plain, BASE);
    let control = run(&plain);
    let pulse = run(&format!(
        "{plain}\n[[treatment]]\nid = \"high-phosphate\"\nstart_days = 1.0\nstop_days = 3.0\n"
    ));
    let difference = |day: f64| {
        at_day(&pulse, "fluid_phosphate_mM", day) - at_day(&control, "fluid_phosphate_mM", day)
    };
    assert!(difference(0.0).abs() < 1e-12, "before: {}", difference(0.0));
    assert!(difference(2.0) > 1.5, "during: {}", difference(2.0));
    assert!(difference(4.0).abs() < 0.5, "after: {}", difference(4.0));
    // The cells sense it: more phosphate, more Pit-1 driven osteogenic signalling.
    assert!(at_day(&pulse, "runx2_mean", 3.0) > at_day(&control, "runx2_mean", 3.0));
}

/// A small vessel wall in normal plasma, recorded daily for 4 days.
const SMALL_VESSEL: &str = r#"
[meta]
name = "vessel"
description = "small vessel wall"
seed = 5
[geometry]
mode = "vessel"
axial_sites = 4
circumferential_sites = 3
intima_layers = 0
media_layers = 2
adventitia_layers = 1
lamella_every = 1
[time]
duration_days = 4.0
[environment]
calcium_mM = 1.2
phosphate_mM = 1.3
pyrophosphate_uM = 3.26
fetuin_a_uM = 15.0
[record]
every_h = 24.0
"#;

#[test]
fn a_plasma_change_can_be_given_for_a_time_window() {
    let vessel = SMALL_VESSEL;
    let control = run(vessel);
    let window = run(&format!(
        "{vessel}\n[[treatment]]\nid = \"high-phosphate\"\nstart_days = 1.0\nstop_days = 2.0\n"
    ));
    let difference = |day| {
        at_day(&window, "fluid_phosphate_mM", day) - at_day(&control, "fluid_phosphate_mM", day)
    };
    // The wall's interstitial fluid follows the plasma from the step after a window edge
    // (it exchanges with plasma within seconds to minutes, docs/model.md §5.2): the row of
    // day 1 still has the old fluid, day 2 the window's, day 3 the old again (to the
    // little the extra mineral took).
    assert!(difference(0.0).abs() < 1e-12, "day 0: {}", difference(0.0));
    assert!(difference(1.0).abs() < 1e-2, "day 1: {}", difference(1.0));
    assert!(
        (difference(2.0) - 2.0).abs() < 1e-2,
        "day 2: {}",
        difference(2.0)
    );
    assert!(difference(3.0).abs() < 1e-2, "day 3: {}", difference(3.0));
}

#[test]
fn a_parameter_change_for_a_time_window_switches_the_model_at_its_edges() {
    // Levamisole halves TNAP's hydrolysis of beta-glycerophosphate and PPi from day 1 to
    // day 3: the model holds the scenario's parameters before and after, the halved ones
    // in between, and the run is the untreated one until the window opens.
    let windowed =
        format!("{BASE}\n[[treatment]]\nid = \"levamisole\"\nstart_days = 1.0\nstop_days = 3.0\n");
    let scenario = Scenario::from_toml(&windowed, "t.toml").expect("valid");
    let base_vmax = scenario.params.mineral.bgp_hydrolysis_vmax_per_h;
    let mut simulation = Simulation::new(&scenario, Threads::Serial).expect("builds");
    let mut vmax_by_hour = Vec::new();
    for _ in 0..simulation.steps() {
        simulation.step().expect("steps");
        vmax_by_hour.push(simulation.model().params.mineral.bgp_hydrolysis_vmax_per_h);
    }
    // The value in force during step `h` (hour h to h + 1).
    for (hour, vmax) in vmax_by_hour.iter().enumerate() {
        let expected = if (24..72).contains(&hour) {
            base_vmax * 0.5
        } else {
            base_vmax
        };
        assert!(
            (vmax - expected).abs() <= 1e-12 * expected,
            "hour {hour}: {vmax} vs {expected}"
        );
    }
    let control = run(BASE);
    let treated = run(&windowed);
    let calcium = |rows: &[TimeseriesRow], day| at_day(rows, "calcium_ug_per_mg_protein", day);
    assert_eq!(
        calcium(&control, 1.0).to_bits(),
        calcium(&treated, 1.0).to_bits()
    );
    // Less beta-GP hydrolysed: less phosphate in the pericellular fluid while it acts.
    assert!(
        at_day(&treated, "fluid_phosphate_mM", 2.0) < at_day(&control, "fluid_phosphate_mM", 2.0),
        "phosphate {} vs {}",
        at_day(&treated, "fluid_phosphate_mM", 2.0),
        at_day(&control, "fluid_phosphate_mM", 2.0)
    );
}

#[test]
fn a_window_between_two_hourly_steps_acts() {
    // 10:15 to 10:45 on day 1: no coupling step starts inside. The cell integration stops
    // at the window's edges, so the drug acts for its half hour (it was refused: it would
    // never have acted).
    let control = run(BASE);
    let treated = run(&format!(
        "{BASE}\n[[treatment]]\nid = \"4-pba\"\nstart_days = 1.4270833333333333\nstop_days = 1.4479166666666667\n"
    ));
    let (a, b) = (
        at_day(&treated, "grp78_mean", 2.0),
        at_day(&control, "grp78_mean", 2.0),
    );
    assert!(a.to_bits() != b.to_bits(), "GRP78 on day 2: {a} vs {b}");
}

#[test]
fn a_glucose_window_does_not_change_the_medium() {
    // Glucose is read by the cells, not part of the medium's mineral chemistry: its window
    // must not bring an extra medium change (calcium and phosphate as in the control).
    let control = run(BASE);
    let glucose = run(&format!(
        "{BASE}\n[[treatment]]\nid = \"high-glucose\"\nstart_days = 1.0\nstop_days = 2.0\n"
    ));
    for day in [1.0, 2.0] {
        for column in ["fluid_calcium_mM", "fluid_phosphate_mM"] {
            let (a, b) = (at_day(&glucose, column, day), at_day(&control, column, day));
            assert!(
                (a - b).abs() < 0.05 * b.abs().max(0.1),
                "{column} day {day}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn windowed_parameter_changes_that_overlap_out_of_range_are_rejected_at_the_file() {
    // Stearic acid scales Chop transcription by 1.5^(dose/300): each window alone at 1500
    // uM stays in range (x7.6), the two together from day 2 do not (x58).
    let one = "[[treatment]]\nid = \"stearic-acid\"\ndose = 1500.0\nstart_days = 1.0\n";
    let other = "[[treatment]]\nid = \"stearic-acid\"\ndose = 1500.0\nstart_days = 2.0\n";
    let alone = format!("{BASE}\n{one}");
    Scenario::from_toml(&alone, "t.toml").expect("one window alone is valid");
    let message = error_of(&format!("{BASE}\n{one}\n{other}"));
    assert!(
        message.contains("from day 2") && message.contains("chop_transcription_rate"),
        "{message}"
    );
}

#[test]
fn a_dose_that_varies_between_animals_is_each_animals_own_and_repeatable() {
    // high-phosphate adds 2 mM to the plasma at its typical dose; with a between-animal CV
    // each seed (animal) receives its own dose, drawn from the seed alone.
    let vessel = |seed: u64, cv: f64| {
        let base = SMALL_VESSEL
            .replace("seed = 5", &format!("seed = {seed}"))
            .replace("duration_days = 4.0", "duration_days = 2.0");
        format!("{base}\n[[treatment]]\nid = \"high-phosphate\"\nbetween_animal_cv = {cv}\n")
    };
    let added_phosphate = |seed: u64, cv: f64| {
        let rows = run(&vessel(seed, cv));
        at_day(&rows, "fluid_phosphate_mM", 1.0) - 1.3
    };
    let scenario =
        |seed: u64| Scenario::from_toml(&vessel(seed, 0.3), "v.toml").expect("valid scenario");
    let mut added = Vec::new();
    for seed in [1_u64, 2, 3] {
        let s = scenario(seed);
        let animal = vcsim::sim::animal_treatments(&s.treatments, seed);
        let expected = 2.0 * animal[0].relative_dose;
        let got = added_phosphate(seed, 0.3);
        // The wall's fluid is the plasma's, to the little the mineral takes.
        assert!(
            (got - expected).abs() < 2e-2,
            "seed {seed}: {got} vs {expected}"
        );
        added.push(got);
    }
    // Animals differ, and the same animal is the same animal again.
    assert!((added[0] - added[1]).abs() > 1e-3 && (added[1] - added[2]).abs() > 1e-3);
    assert_eq!(
        added_phosphate(2, 0.3).to_bits(),
        added[1].to_bits(),
        "seed 2 run twice"
    );
    // Without variation every animal receives the typical dose.
    assert!((added_phosphate(1, 0.0) - 2.0).abs() < 2e-2);
}
