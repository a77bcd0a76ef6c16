//! `vcsim compare`: arms × replicates with a paired design and statistics, and clear
//! errors for malformed experiment files.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const BASE: &str = r#"
[meta]
name = "base"
description = "small calcifying well"
seed = 11
[geometry]
mode = "in_vitro"
axial_sites = 8
circumferential_sites = 8
[time]
duration_days = 4.0
[environment]
calcium_mM = 2.8
beta_glycerophosphate_mM = 10.0
medium_change_every_days = 2.0
[record]
every_h = 24.0
"#;

const EXPERIMENT: &str = r#"
[experiment]
name = "small"
description = "control vs 4-PBA vs 3-MA"
base = "base.toml"
replicates = 3

[[arm]]
name = "control"

[[arm]]
name = "4-PBA"
[[arm.treatment]]
id = "4-pba"

[[arm]]
name = "3-MA"
[[arm.treatment]]
id = "3-ma"
dose = 5.0
"#;

fn compare(dir: &Path, experiment: &str, out: &str) -> Output {
    fs::write(dir.join("base.toml"), BASE).expect("write base");
    fs::write(dir.join("e.toml"), experiment).expect("write experiment");
    Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(["compare", "--quiet", "--threads", "2", "--out"])
        .arg(dir.join(out))
        .arg(dir.join("e.toml"))
        .output()
        .expect("runs")
}

fn column_values(summary: &str, column: &str) -> Vec<(String, f64, String)> {
    summary
        .lines()
        .skip(1)
        .filter(|l| l.contains(&format!(",{column},")))
        .map(|l| {
            let arm = l.split('"').nth(3).expect("arm name").to_string();
            let after: Vec<&str> = l.rsplit('"').next().expect("fields").split(',').collect();
            // after[0] is empty (the comma after the arm), then n, mean, ...
            (arm, after[2].parse().expect("mean"), after[12].to_string())
        })
        .collect()
}

#[test]
fn a_paired_experiment_writes_runs_and_statistics_with_the_expected_directions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = compare(dir.path(), EXPERIMENT, "out");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out = dir.path().join("out");
    for arm in ["control", "4-pba", "3-ma"] {
        for rep in 1..=3 {
            assert!(
                out.join(arm)
                    .join(format!("rep{rep}/timeseries.csv"))
                    .is_file()
            );
        }
    }
    // Paired design: replicate i of every arm has the same seed.
    let seed = |arm: &str, rep: usize| -> u64 {
        let text = fs::read_to_string(out.join(arm).join(format!("rep{rep}/manifest.json")))
            .expect("manifest");
        let json: serde_json::Value = serde_json::from_str(&text).expect("json");
        json["seed"].as_u64().expect("seed")
    };
    for rep in 1..=3 {
        assert_eq!(seed("control", rep), seed("4-pba", rep));
        assert_eq!(seed("control", rep), seed("3-ma", rep));
    }
    assert_ne!(seed("control", 1), seed("control", 2));
    let summary = fs::read_to_string(out.join("summary.csv")).expect("summary.csv");
    let grp78 = column_values(&summary, "grp78_mean");
    assert_eq!(grp78.len(), 3);
    assert!(grp78[1].1 < grp78[0].1, "4-PBA lowers GRP78: {grp78:?}");
    let autophagy = column_values(&summary, "lc3ii_autophagy_mean");
    assert!(
        autophagy[2].1 < autophagy[0].1,
        "3-MA lowers autophagy: {autophagy:?}"
    );
    let p: f64 = autophagy[2].2.parse().expect("p-value for 3-MA");
    assert!(p < 0.05, "paired p-value {p}");
    assert!(
        fs::read_to_string(out.join("summary.md"))
            .expect("summary.md")
            .contains("## GRP78")
    );
}

fn assert_invalid(output: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "missing {needle:?} in {stderr}");
    }
}

#[test]
fn an_unknown_arm_field_is_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = EXPERIMENT.replace("name = \"3-MA\"", "name = \"3-MA\"\ncolour = \"red\"");
    assert_invalid(&compare(dir.path(), &text, "o"), &["colour"]);
}

#[test]
fn an_unknown_intervention_gets_a_did_you_mean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = EXPERIMENT.replace("id = \"4-pba\"", "id = \"4-pbaa\"");
    assert_invalid(
        &compare(dir.path(), &text, "o"),
        &["4-pbaa", "did you mean `4-pba`"],
    );
}

#[test]
fn a_negative_dose_and_a_stop_before_the_start_are_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = EXPERIMENT.replace(
        "dose = 5.0",
        "dose = -5.0\nstart_days = 2.0\nstop_days = 1.0",
    );
    assert_invalid(
        &compare(dir.path(), &text, "o"),
        &["treatment.dose = -5", "treatment.stop_days"],
    );
    assert!(!dir.path().join("o").exists());
}

const DOSE_SERIES: &str = r#"
[experiment]
name = "series"
description = "4-PBA dose series"
base = "base.toml"
replicates = 2

[dose_series]
treatment = "4-pba"
doses = [0.0, 1.0, 5.0]
"#;

#[test]
fn a_dose_series_makes_one_arm_per_dose_with_the_untreated_arm_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = compare(dir.path(), DOSE_SERIES, "o");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = fs::read_to_string(dir.path().join("o/summary.csv")).expect("summary");
    let grp78 = column_values(&summary, "grp78_mean");
    let names: Vec<&str> = grp78.iter().map(|(arm, _, _)| arm.as_str()).collect();
    assert_eq!(
        names,
        [
            "4-phenylbutyrate 0.0 mM",
            "4-phenylbutyrate 1.0 mM",
            "4-phenylbutyrate 5.0 mM"
        ]
    );
    // The chaperone lowers GRP78 more at the higher dose.
    assert!(
        grp78[2].1 < grp78[1].1 && grp78[1].1 < grp78[0].1,
        "{grp78:?}"
    );
}

#[test]
fn a_malformed_dose_series_is_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = DOSE_SERIES.replace("[0.0, 1.0, 5.0]", "[0.0, 5.0, 1.0]");
    assert_invalid(
        &compare(dir.path(), &text, "o"),
        &["dose_series.doses", "increasing"],
    );
    let text = DOSE_SERIES.replace("\"4-pba\"", "\"4-pbaa\"");
    assert_invalid(
        &compare(dir.path(), &text, "o"),
        &["4-pbaa", "did you mean `4-pba`"],
    );
    assert!(!dir.path().join("o").exists());
}

#[test]
fn an_arm_resized_beyond_the_scenario_limit_is_refused_by_the_scenario_validator() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = EXPERIMENT.replace(
        "replicates = 3",
        "replicates = 3\naxial_sites = 10000\ncircumferential_sites = 10000",
    );
    assert_invalid(
        &compare(dir.path(), &text, "o"),
        &[
            "with the experiment's duration and lattice",
            "geometry = 100000000",
            "too many cell sites",
            "must be <= 20000000",
        ],
    );
    assert!(!dir.path().join("o").exists());
}

#[test]
fn an_experiment_duration_beyond_the_scenario_limit_is_refused_naming_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = EXPERIMENT.replace("replicates = 3", "replicates = 3\nduration_days = 5000.0");
    assert_invalid(
        &compare(dir.path(), &text, "o"),
        &[
            "e.toml:7:17: experiment.duration_days = 5000",
            "must be in (0, 3650]",
        ],
    );
}
