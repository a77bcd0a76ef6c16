//! `vcsim compare --posterior FILE --draws K`: arms × posterior draws × replicates, with
//! effects whose intervals combine parameter and stochastic uncertainty.

use crate::common::write_experiment;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const EXPERIMENT: &str = r#"
[experiment]
name = "small"
description = "calcifying medium vs more calcium"
base = "base.toml"
replicates = 2

[[arm]]
name = "control"

[[arm]]
name = "high calcium"
[arm.environment]
calcium_mM = 4.0
"#;

/// Three draws that differ in the mineral rates (growth a factor of 4 and nucleation a
/// factor of 9 apart from the lowest to the highest draw) and in the order of nucleation
/// in supersaturation (`n` 1.5 to 3), with nucleation deterministic (`nucleus_pmol` 0)
/// and fast enough that the short run's wells hold mineral whose amount follows the draw.
/// The rates scale both arms alike once the medium is well supersaturated; `n` sets how
/// much more the arm with more calcium nucleates, so the ratio follows the draw too.
const SPREAD: &str = "draw,weight,distance,mineral.growth_rate_per_h,mineral.nucleation_rate_per_h,mineral.nucleus_pmol,mineral.nucleation_exponent
1,0.3,0.1,1e-6,1e-6,0,1.5
2,0.4,0.2,2e-6,3e-6,0,2
3,0.3,0.3,4e-6,9e-6,0,3
";
/// Three draws with the same values (the middle draw of `SPREAD`): only stochastic
/// uncertainty.
const DEGENERATE: &str =
    "draw,weight,distance,mineral.growth_rate_per_h,mineral.nucleation_rate_per_h,mineral.nucleus_pmol,mineral.nucleation_exponent
1,0.3,0.1,2e-6,3e-6,0,2
2,0.4,0.2,2e-6,3e-6,0,2
3,0.3,0.3,2e-6,3e-6,0,2
";

fn setup(dir: &Path) {
    write_experiment(dir, EXPERIMENT);
    fs::write(dir.join("spread.csv"), SPREAD).expect("write posterior");
    fs::write(dir.join("degenerate.csv"), DEGENERATE).expect("write posterior");
}

fn compare(dir: &Path, out: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .current_dir(dir)
        .args(["compare", "--quiet", "--no-plots", "--out", out])
        .args(extra)
        .arg("e.toml")
        .output()
        .expect("runs")
}

fn succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The value of `name` in the `summary.csv` row of `column` and `arm`.
fn field(summary: &str, column: &str, arm: &str, name: &str) -> f64 {
    let mut reader = csv::Reader::from_reader(summary.as_bytes());
    let header = reader.headers().expect("header").clone();
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    for record in reader.records() {
        let record = record.expect("record");
        if &record[1] == column && &record[2] == arm {
            return record[i].parse().unwrap_or(f64::NAN);
        }
    }
    panic!("no row {column} {arm}");
}

#[test]
fn the_combined_interval_widens_with_the_spread_of_the_posterior() {
    let dir = tempfile::tempdir().expect("tempdir");
    setup(dir.path());
    for (out, file) in [("spread", "spread.csv"), ("same", "degenerate.csv")] {
        succeeded(&compare(
            dir.path(),
            out,
            &["--threads", "2", "--posterior", file, "--draws", "3"],
        ));
    }
    let read =
        |out: &str| fs::read_to_string(dir.path().join(out).join("summary.csv")).expect("summary");
    let (spread, same) = (read("spread"), read("same"));
    let width = |summary: &str, low: &str, high: &str| {
        field(summary, "calcium_ug", "high calcium", high)
            - field(summary, "calcium_ug", "high calcium", low)
    };
    for (low, high) in [
        (
            "difference_combined_ci95_low",
            "difference_combined_ci95_high",
        ),
        ("ratio_combined_ci95_low", "ratio_combined_ci95_high"),
        ("mean_combined_ci95_low", "mean_combined_ci95_high"),
    ] {
        let (wide, narrow) = (width(&spread, low, high), width(&same, low, high));
        assert!(
            narrow > 0.0 && wide > 1.5 * narrow,
            "{low}: spread {wide} vs degenerate {narrow}"
        );
    }
    let sd = |summary: &str| {
        field(
            summary,
            "calcium_ug",
            "high calcium",
            "difference_between_draws_sd",
        )
    };
    assert!(
        sd(&spread) > 3.0 * sd(&same),
        "{} vs {}",
        sd(&spread),
        sd(&same)
    );
    // The combined interval holds the pooled effect, and the draws' ratios lie in it
    // or beside it: the interval is not narrower than the spread of the draws' means.
    let ratio = field(&spread, "calcium_ug", "high calcium", "ratio_vs_control");
    let low = field(
        &spread,
        "calcium_ug",
        "high calcium",
        "ratio_combined_ci95_low",
    );
    let high = field(
        &spread,
        "calcium_ug",
        "high calcium",
        "ratio_combined_ci95_high",
    );
    assert!(low < ratio && ratio < high, "{low} {ratio} {high}");
    // Control rows have no effect columns.
    assert!(
        field(
            &spread,
            "calcium_ug",
            "control",
            "difference_combined_ci95_low"
        )
        .is_nan()
    );

    // Runs: arm/draw<d>/rep<i>, paired seeds within a draw, a seed block per draw.
    let seed = |arm: &str, run: &str| -> u64 {
        let text = fs::read_to_string(
            dir.path()
                .join("spread")
                .join(arm)
                .join(run)
                .join("manifest.json"),
        )
        .expect("run manifest");
        let json: serde_json::Value = serde_json::from_str(&text).expect("json");
        json["seed"].as_u64().expect("seed")
    };
    assert_eq!(seed("control", "draw1/rep1"), 11);
    assert_eq!(seed("high-calcium", "draw1/rep2"), 12);
    assert_eq!(seed("control", "draw2/rep1"), 13);
    assert_eq!(seed("high-calcium", "draw3/rep2"), 16);
    let manifest: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join("spread/experiment.json")).expect("manifest"),
    )
    .expect("json");
    // Systematic resampling of weights 0.3, 0.4, 0.3 with K = 3 takes each draw once.
    assert_eq!(manifest["posterior"]["draws"], serde_json::json!([1, 2, 3]));
    assert!(
        manifest["posterior"]["file"]
            .as_str()
            .expect("file")
            .ends_with("spread.csv")
    );
    let md = fs::read_to_string(dir.path().join("spread/summary.md")).expect("md");
    assert!(
        md.contains("two-level bootstrap") && md.contains("draws 1, 2, 3"),
        "{md}"
    );
}

#[test]
fn a_posterior_experiment_is_the_same_for_any_thread_count_and_draws_it_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    setup(dir.path());
    let posterior = ["--posterior", "spread.csv", "--draws", "4"];
    succeeded(&compare(
        dir.path(),
        "one",
        &[&["--threads", "1"][..], &posterior].concat(),
    ));
    let output = Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .current_dir(dir.path())
        .args(["compare", "--quiet", "--threads", "2", "--out", "two"])
        .args(posterior)
        .arg("e.toml")
        .output()
        .expect("runs");
    succeeded(&output);
    let read = |out: &str, file: &str| fs::read(dir.path().join(out).join(file)).expect(file);
    for file in [
        "summary.csv",
        "summary.md",
        "control/draw4/rep2/timeseries.csv",
        "high-calcium/draw2/rep1/timeseries.csv",
    ] {
        assert!(read("one", file) == read("two", file), "{file} differs");
    }
    let posterior_of = |out: &str| -> serde_json::Value {
        serde_json::from_slice::<serde_json::Value>(&read(out, "experiment.json")).expect("json")
            ["posterior"]
            .clone()
    };
    assert_eq!(posterior_of("one"), posterior_of("two"));
    // Four slots from three draws: the heaviest (0.4) fills two.
    let draws = posterior_of("one")["draws"].clone();
    assert_eq!(draws.as_array().map(Vec::len), Some(4));
    assert!(dir.path().join("two/arm-comparison.png").is_file());
    let svg = String::from_utf8(read("two", "arm-comparison.svg")).expect("svg");
    assert!(
        svg.contains("4 posterior draws"),
        "the subtitle names the draws"
    );
}

#[test]
fn bad_posterior_input_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    setup(dir.path());
    let bad_weights = SPREAD.replace("1,0.3,0.1", "1,0.5,0.1");
    fs::write(dir.path().join("weights.csv"), bad_weights).expect("write");
    let out_of_range = SPREAD.replace("4e-6", "4e3");
    fs::write(dir.path().join("range.csv"), out_of_range).expect("write");
    let cases: [(&[&str], i32, &str); 6] = [
        (&["--posterior", "missing.csv"], 2, "missing.csv"),
        (
            &["--posterior", "weights.csv", "--draws", "3"],
            1,
            "weights.csv",
        ),
        (&["--posterior", "range.csv"], 1, "range.csv:4"),
        (
            &["--posterior", "spread.csv", "--draws", "0"],
            1,
            "--draws 0",
        ),
        (
            &["--posterior", "spread.csv", "--draws", "1001"],
            1,
            "--draws 1001",
        ),
        (&["--draws", "3"], 1, "needs --posterior"),
    ];
    for (args, code, says) in cases {
        let output = compare(dir.path(), "o", args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error:") && stderr.contains(says),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!dir.path().join("o").exists(), "{args:?} wrote a folder");
    }
}

#[test]
fn a_posterior_experiment_through_a_slurm_job_array_merges_into_the_local_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    setup(dir.path());
    let posterior = ["--posterior", "spread.csv", "--draws", "2"];
    succeeded(&compare(dir.path(), "local", &posterior));
    let written = compare(
        dir.path(),
        "array",
        &[
            &posterior[..],
            &[
                "--backend",
                "slurm",
                "--no-submit",
                "--slurm-units-per-task",
                "8",
            ],
        ]
        .concat(),
    );
    succeeded(&written);
    assert!(!dir.path().join("array").exists());
    let job = dir.path().join(".array.job");
    let job_arg = job.to_str().expect("utf-8");
    // Run the one task from elsewhere, as Slurm would, then merge.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let vcsim = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_vcsim"))
            .args(args)
            .current_dir(elsewhere.path())
            .output()
            .expect("runs")
    };
    succeeded(&vcsim(&["jobs", "run-task", job_arg, "--task", "0"]));
    succeeded(&vcsim(&["merge", job_arg]));
    for file in [
        "summary.csv",
        "summary.md",
        "control/draw2/rep2/timeseries.csv",
        "high-calcium/draw1/rep1/timeseries.csv",
    ] {
        let read = |out: &str| fs::read(dir.path().join(out).join(file)).expect(file);
        assert!(read("local") == read("array"), "{file} differs");
    }
}

#[test]
fn a_draw_value_wins_over_the_parameter_file_and_the_file_sets_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    setup(dir.path());
    fs::write(
        dir.path().join("p.toml"),
        "[parameters.mineral]\ngrowth_rate_per_h = 5e-5\nsolubility_product = 2.0\n",
    )
    .expect("write");
    succeeded(&compare(
        dir.path(),
        "o",
        &[
            "--posterior",
            "spread.csv",
            "--draws",
            "3",
            "--parameters",
            "p.toml",
        ],
    ));
    let value = |run: &str, field: &str| -> String {
        let text = fs::read_to_string(dir.path().join("o").join(run).join("parameters.csv"))
            .expect("parameters.csv");
        let line = text
            .lines()
            .find(|l| l.split(',').nth(2) == Some(field))
            .unwrap_or_else(|| panic!("no {field}"));
        line.split(',').nth(3).expect("value").to_string()
    };
    assert_eq!(value("control/draw1/rep1", "growth_rate_per_h"), "0.000001");
    assert_eq!(
        value("high-calcium/draw3/rep2", "growth_rate_per_h"),
        "0.000004"
    );
    assert_eq!(value("control/draw2/rep1", "solubility_product"), "2");
}
