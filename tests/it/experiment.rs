//! `vcsim compare`: arms × replicates with a paired design and statistics, and clear
//! errors for malformed experiment files.

use crate::common::write_experiment;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

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
    write_experiment(dir, experiment);
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
    let text = EXPERIMENT.replace("name = \"3-MA\"", "name = \"3-MA\"\nshade = \"red\"");
    assert_invalid(&compare(dir.path(), &text, "o"), &["shade"]);
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

/// `vcsim compare` of `experiment` with `extra` flags, `--replicates 1`, no figures.
fn compare_with(dir: &Path, experiment: &str, out: &str, extra: &[&str]) -> Output {
    write_experiment(dir, experiment);
    Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(["compare", "--quiet", "--no-plots", "--replicates", "1"])
        .args(extra)
        .arg("--out")
        .arg(dir.join(out))
        .arg(dir.join("e.toml"))
        .output()
        .expect("runs")
}

/// The distinct `time_days` of a `wall.csv`, in order.
fn wall_times(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).expect("wall.csv");
    let mut times: Vec<String> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().expect("time").to_string())
        .collect();
    times.dedup();
    times
}

fn manifest_of(run: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(run.join("manifest.json")).expect("manifest"))
        .expect("JSON")
}

/// `--wall`: `last` (the default) keeps only the final snapshot of every replicate,
/// `all` every snapshot, `none` no wall.csv; the manifest says which, and `plot` of a
/// replicate draws what the kept wall allows, refusing by name a figure it cannot draw.
#[test]
fn wall_keeps_the_last_snapshot_by_default_every_one_with_all_and_none_with_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let by_default = compare_with(dir.path(), EXPERIMENT, "last", &[]);
    assert!(by_default.status.success(), "{by_default:?}");
    let every = compare_with(dir.path(), EXPERIMENT, "all", &["--wall", "all"]);
    assert!(every.status.success(), "{every:?}");
    let without = compare_with(dir.path(), EXPERIMENT, "none", &["--wall", "none"]);
    assert!(without.status.success(), "{without:?}");
    for arm in ["control", "4-pba", "3-ma"] {
        let rep = |out: &str| dir.path().join(out).join(arm).join("rep1");
        assert_eq!(wall_times(&rep("all").join("wall.csv")), ["0", "4"]);
        assert_eq!(wall_times(&rep("last").join("wall.csv")), ["4"]);
        assert!(!rep("none").join("wall.csv").exists());
        // The last snapshot is the same bytes whichever way it was kept.
        let all = fs::read_to_string(rep("all").join("wall.csv")).expect("all");
        let last = fs::read_to_string(rep("last").join("wall.csv")).expect("last");
        let header_len = last.find('\n').expect("header") + 1;
        assert!(all.ends_with(&last[header_len..]));
        // The time series do not depend on --wall.
        let series = |out: &str| fs::read(rep(out).join("timeseries.csv")).expect("series");
        assert_eq!(series("all"), series("none"));
        for (out, kept) in [("all", "all"), ("last", "last"), ("none", "none")] {
            let manifest = manifest_of(&rep(out));
            assert_eq!(manifest["wall_kept"], kept);
            let lists_wall = manifest["outputs"]
                .as_array()
                .expect("outputs")
                .iter()
                .any(|o| o == "wall.csv");
            assert_eq!(lists_wall, kept != "none", "{out}");
        }
    }
    let plot = |run: &Path, only: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_vcsim"));
        command.args(["plot", "--format", "svg"]).arg(run);
        for figure in only {
            command.args(["--only", figure]);
        }
        command.output().expect("plot runs")
    };
    // --wall none: the time courses only, the others named as not drawn and why.
    let run = dir.path().join("none/control/rep1");
    let drawn = plot(&run, &[]);
    let stderr = String::from_utf8_lossy(&drawn.stderr);
    assert!(drawn.status.success(), "{stderr}");
    assert!(run.join("timecourses.svg").is_file());
    assert!(!run.join("mineral-wall.svg").exists());
    assert!(
        stderr.contains(
            "not drawn: mineral-wall, mineral-wall-days, wall-section, mineral-radial, animation"
        ) && stderr.contains("--wall none"),
        "{stderr}"
    );
    let refused = plot(&run, &["wall-section"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: figure wall-section: this run kept no wall.csv"),
        "{stderr}"
    );
    // --wall last: the final mineral map and section, not the earlier days.
    let run = dir.path().join("last/control/rep1");
    let drawn = plot(&run, &[]);
    assert!(drawn.status.success(), "{drawn:?}");
    assert!(run.join("mineral-wall.svg").is_file() && run.join("wall-section.svg").is_file());
    let refused = plot(&run, &["mineral-wall-days"]);
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("`--wall all`"));
}

/// What a unit writes depends on `--wall`, so a job left unfinished with one `--wall` is
/// another plan for a run with another `--wall`: refused, never resumed into a mix.
#[test]
fn a_job_of_another_wall_choice_is_not_resumed() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_experiment(dir.path(), EXPERIMENT);
    let experiment =
        vcsim::experiment::design::Experiment::load(&dir.path().join("e.toml"), Some(1))
            .expect("valid");
    let units = vcsim::experiment::compare::experiment_units(&experiment);
    // The plan of a `--wall all` job that was interrupted before any run finished.
    let plan = vcsim::jobs::Plan::new(
        "compare",
        "small",
        units
            .iter()
            .map(|u| vcsim::jobs::PlannedUnit {
                id: vcsim::experiment::compare::unit_folder(&experiment, u),
                key: vcsim::jobs::unit_key(&u.scenario).expect("key"),
            })
            .collect(),
    )
    .keeping_wall(vcsim::record::WallKept::All);
    let job = dir.path().join(".out.job");
    fs::create_dir(&job).expect("job folder");
    fs::write(
        job.join("plan.json"),
        serde_json::to_string(&plan).expect("JSON"),
    )
    .expect("plan written");
    let refused = compare_with(dir.path(), EXPERIMENT, "out", &["--wall", "last"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("another plan")
            && stderr.contains("keep `--wall all`")
            && stderr.contains("keep `--wall last`"),
        "{stderr}"
    );
    assert!(job.join("plan.json").is_file(), "the other job is kept");
    // The same --wall resumes it.
    let resumed = compare_with(dir.path(), EXPERIMENT, "out", &["--wall", "all"]);
    assert!(resumed.status.success(), "{resumed:?}");
    assert_eq!(
        wall_times(&dir.path().join("out/control/rep1/wall.csv")),
        ["0", "4"]
    );
}

/// An arm's `colour` reaches experiment.json (as `#rrggbb`); an arm without one has no
/// `colour` there (the figures then pick the treatment's stable colour).
#[test]
fn an_arm_colour_is_written_to_the_experiment_manifest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = EXPERIMENT.replace(
        "name = \"4-PBA\"",
        "name = \"4-PBA\"\ncolour = \"vermillion\"",
    );
    let output = compare_with(dir.path(), &text, "out", &["--wall", "none"]);
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join("out/experiment.json")).expect("experiment.json"),
    )
    .expect("JSON");
    let colours: Vec<&serde_json::Value> = json["arms"]
        .as_array()
        .expect("arms")
        .iter()
        .map(|a| &a["colour"])
        .collect();
    assert_eq!(
        colours,
        [
            &serde_json::Value::Null,
            &serde_json::json!("#d55e00"),
            &serde_json::Value::Null
        ]
    );
}
