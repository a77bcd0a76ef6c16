//! `[[treatment]]` entries in scenario files: catalog ids with doses and time windows,
//! their validation, and their effect in a population run.

use vcsim::record::{TIMESERIES_COLUMNS, TimeseriesRow};
use vcsim::scenario::Scenario;
use vcsim::sim::Simulation;

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
fn gene_manipulations_cannot_be_time_windowed() {
    let text = format!("{BASE}\n[[treatment]]\nid = \"atf4-knockdown\"\nstart_days = 1.0\n");
    assert!(error_of(&text).contains("whole run"));
}

#[test]
fn whole_run_effects_are_applied_to_the_scenario() {
    let text = format!(
        "{BASE}\n[[treatment]]\nid = \"atf4-knockout\"\n[[treatment]]\nid = \"levamisole\"\n"
    );
    let scenario = Scenario::from_toml(&text, "t.toml").expect("valid");
    assert!((scenario.environment.calcium - 2.8).abs() < 1e-12);
    assert!((scenario.environment.beta_glycerophosphate - 10.0).abs() < 1e-12);
    assert_eq!(scenario.knockouts.len(), 1);
    assert!((scenario.params.mineral.bgp_hydrolysis_vmax - 40.0).abs() < 1e-9);
    assert_eq!(scenario.treatments.len(), 3);
}

fn last(rows: &[TimeseriesRow], name: &str) -> f64 {
    let i = TIMESERIES_COLUMNS
        .iter()
        .position(|c| *c == name)
        .expect("column");
    rows.last().expect("rows").values[i]
}

fn run(text: &str) -> Vec<TimeseriesRow> {
    let scenario = Scenario::from_toml(text, "t.toml").expect("valid");
    Simulation::new(&scenario)
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
