//! Stress schedules and treatment windows act exactly in continuous time: the cell
//! integration stops at every switch inside an hourly coupling step (it used to read the
//! schedule once per step, so a 0.5-h square wave was byte-identical to constant high
//! stress and a step at 5.01 h acted at 6 h).

use crate::common::run_serial;
use vcsim::record::{Column, TimeseriesRow};
use vcsim::scenario::Scenario;

const BASE: &str = r#"
[meta]
name = "schedule"
description = "2 x 2 well under direct ER stress"
seed = 5
[geometry]
mode = "in_vitro"
axial_sites = 2
circumferential_sites = 2
[time]
duration_days = 1.0
[record]
every_h = 1.0
"#;

fn run(stress: &str) -> Vec<TimeseriesRow> {
    let text = format!("{BASE}[stress]\n{stress}\n");
    run_serial(&Scenario::from_toml(&text, "s.toml").expect("valid"))
}

fn at_h(rows: &[TimeseriesRow], name: &str, hour: f64) -> f64 {
    let column = Column::from_name(name).expect("column");
    rows.iter()
        .find(|r| (r.time_h() - hour).abs() < 1e-6)
        .unwrap_or_else(|| panic!("no row at {hour} h"))
        .get(column)
}

#[test]
fn a_half_hour_square_wave_acts_as_its_mean_not_as_its_high_level() {
    let low = run("stress_per_min = 0.0");
    let high = run("stress_per_min = 8.0");
    let mean = run("stress_per_min = 4.0");
    let wave = run("kind = \"square_wave\"\nlow_per_min = 0.0\nhigh_per_min = 8.0\nperiod_h = 0.5");
    for name in ["grp78_mean", "chop_mean", "atf4_mean"] {
        let (l, h, m, w) = (
            at_h(&low, name, 24.0),
            at_h(&high, name, 24.0),
            at_h(&mean, name, 24.0),
            at_h(&wave, name, 24.0),
        );
        assert!(l < w && w < h, "{name}: low {l}, wave {w}, high {h}");
        assert!(
            (w - m).abs() < 0.25 * (h - l),
            "{name}: the wave ({w}) tracks the mean input ({m}), between {l} and {h}"
        );
    }
}

#[test]
fn a_stress_step_acts_at_its_time_not_at_the_next_hour() {
    let step = |at: &str| {
        run(&format!(
            "kind = \"step\"\nbefore_per_min = 0.0\nafter_per_min = 8.0\nat_h = {at}"
        ))
    };
    let (early, late, on_the_hour) = (step("5.01"), step("6.0"), step("5.0"));
    let grp78 = |rows: &[TimeseriesRow]| at_h(rows, "grp78_mean", 12.0);
    // 5.01 h lies between 5 h and 6 h, and much nearer 5 h.
    let (e, l, o) = (grp78(&early), grp78(&late), grp78(&on_the_hour));
    assert!(l < e && e < o, "step at 6 h: {l}, 5.01 h: {e}, 5 h: {o}");
    assert!(
        (o - e) < 0.1 * (o - l),
        "5.01 h acts as 5.01 h: {e} vs 5 h {o}, 6 h {l}"
    );
}

const UREMIC_WALL: &str = r#"
[meta]
name = "uremic-onset"
description = "small media wall in normal plasma plus the CKD milieu"
seed = 9
[geometry]
mode = "vessel"
axial_sites = 4
circumferential_sites = 3
intima_layers = 0
media_layers = 2
adventitia_layers = 0
lamella_every = 1
[time]
duration_days = 3.0
[environment]
calcium_mM = 2.4
phosphate_mM = 1.3
pyrophosphate_uM = 3.26
fetuin_a_uM = 15.0
magnesium_mM = 0.85
[record]
every_h = 1.0
[[treatment]]
id = "ckd-uremia"
"#;

fn run_wall(onset: &str) -> Vec<TimeseriesRow> {
    let text = format!("{UREMIC_WALL}{onset}\n");
    run_serial(&Scenario::from_toml(&text, "w.toml").expect("valid"))
}

#[test]
fn a_milieu_with_an_onset_rises_in_a_straight_line_without_the_shock_of_a_step() {
    let at_once = run_wall("");
    let onset = run_wall("onset_days = 14");
    // The wall fluid's phosphate: the full uraemic +1.3 mM at once; over a 14-day onset
    // the plasma's rises by 1.3 mM / 336 h each hour (the hour from h - 1 to h holds
    // (h - 1/2)/336 of it), and the small wall's fluid follows it.
    let plasma_pi = |rows: &[TimeseriesRow], hour: f64| at_h(rows, "fluid_phosphate_mM", hour);
    assert!(
        plasma_pi(&at_once, 20.0) > 2.4,
        "{}",
        plasma_pi(&at_once, 20.0)
    );
    for hour in [12.0, 24.0, 48.0, 72.0] {
        let pi = plasma_pi(&onset, hour);
        let expected = 1.3 + 1.3 * (hour - 0.5) / 336.0;
        assert!(
            (pi - expected).abs() < 0.02,
            "hour {hour}: wall Pi {pi} mM, the plasma {expected}"
        );
    }
    for hour in 2..72 {
        let (before, after) = (
            plasma_pi(&onset, f64::from(hour)),
            plasma_pi(&onset, f64::from(hour + 1)),
        );
        assert!(before < after, "hour {hour}: {before} then {after}");
    }
    // CHOP: the milieu given at once shocks every cell within hours (a step no animal
    // sees); the onset's first hours barely move it.
    let chop_at_once = at_h(&at_once, "chop_mean", 12.0);
    let chop_onset = at_h(&onset, "chop_mean", 12.0);
    assert!(
        chop_at_once > 5.0,
        "CHOP at 12 h with the milieu at once: {chop_at_once}"
    );
    assert!(chop_onset < 1.5, "CHOP at 12 h over an onset: {chop_onset}");
}
