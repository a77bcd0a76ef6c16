//! `dose-response`: the figure of a tiny dose series run by `vcsim compare` (4 x 4 cells,
//! 2 days): written by compare itself, sizes per style, non-blank images, SVG text,
//! identical bytes on re-rendering, a log dose axis, and named errors.

use crate::common::{names, png_stats, svg_texts};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use vcsim::render::{Format, PlotOptions, RenderError, Style, plot_experiment_folder};

const BASE: &str = r#"
[meta]
name = "base"
description = "tiny normal-medium well"
seed = 3
[geometry]
mode = "in_vitro"
axial_sites = 4
circumferential_sites = 4
[time]
duration_days = 2.0
[record]
every_h = 12.0
"#;

const SERIES: &str = r#"
[experiment]
name = "tiny-dose"
description = "added phosphate 0, 1, 2 mM"
base = "base.toml"
replicates = 2

[dose_series]
treatment = "high-phosphate"
doses = [0.0, 1.0, 2.0]
"#;

/// Runs the series with `vcsim compare` (figures included) and returns the folder.
fn run_series(dir: &Path) -> PathBuf {
    fs::write(dir.join("base.toml"), BASE).expect("write base");
    fs::write(dir.join("dose.toml"), SERIES).expect("write experiment");
    let out = dir.join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(["compare", "--quiet", "--threads", "2", "--out"])
        .arg(&out)
        .arg(dir.join("dose.toml"))
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

fn options(style: Style, only: &[&str]) -> PlotOptions {
    PlotOptions {
        style,
        format: Format::Both,
        only: only.iter().map(|s| (*s).to_string()).collect(),
    }
}

#[test]
fn a_dose_series_gets_a_dose_response_figure() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = run_series(tmp.path());

    // compare wrote the doses and the series, and rendered the figure itself.
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("experiment.json")).expect("json"))
            .expect("valid json");
    assert_eq!(json["dose_series"]["treatment"], "high-phosphate");
    assert_eq!(json["dose_series"]["unit"], "mM added Pi");
    let doses: Vec<f64> = json["arms"]
        .as_array()
        .expect("arms")
        .iter()
        .map(|a| a["dose"].as_f64().expect("dose"))
        .collect();
    assert_eq!(doses, [0.0, 1.0, 2.0]);
    assert!(out.join("dose-response.png").is_file());
    assert!(out.join("dose-response.svg").is_file());

    // Talk.
    let written = plot_experiment_folder(&out, &options(Style::Talk, &[])).expect("plots");
    assert_eq!(
        names(&written),
        [
            "arm-comparison.png",
            "arm-comparison.svg",
            "timecourses-arms.png",
            "timecourses-arms.svg",
            "dose-response.png",
            "dose-response.svg"
        ]
    );
    let (width, height, variance) = png_stats(&out.join("dose-response.png"));
    assert_eq!((width, height), (1920, 1080));
    assert!(variance > 300.0, "grey variance {variance}");
    let svg = fs::read_to_string(out.join("dose-response.svg")).expect("svg");
    for needle in [
        "Dose-response: High phosphate",
        "High phosphate (mM added Pi)",
        "µg Ca/mg protein",
        "fold change",
        "apoptotic cells (%)",
        "Calcium content",
        "Runx2",
        "ALP",
        "GRP78",
        "CHOP",
        "Apoptosis",
        "95% CI",
        "replicate",
    ] {
        assert!(svg.contains(needle), "dose-response.svg lacks {needle:?}");
    }

    // Paper.
    let paper =
        plot_experiment_folder(&out, &options(Style::Paper, &["dose-response"])).expect("paper");
    assert_eq!(
        names(&paper),
        ["dose-response-paper.png", "dose-response-paper.svg"]
    );
    let (width, height, variance) = png_stats(&out.join("dose-response-paper.png"));
    assert_eq!((width, height), (1050, 1800));
    assert!(variance > 300.0, "grey variance {variance}");

    // The same data gives the same bytes.
    let before: Vec<Vec<u8>> = paper.iter().map(|f| fs::read(f).expect("read")).collect();
    plot_experiment_folder(&out, &options(Style::Paper, &["dose-response"])).expect("again");
    for (file, bytes) in paper.iter().zip(before) {
        assert!(
            fs::read(file).expect("read") == bytes,
            "{} differs",
            file.display()
        );
    }
}

#[test]
fn doses_over_a_decade_get_a_log_axis_and_missing_series_are_named() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = run_series(tmp.path());
    let path = out.join("experiment.json");
    let text = fs::read_to_string(&path).expect("json");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("valid json");

    // Doses 0, 0.1 and 5: the nonzero doses span 50-fold, so the axis is logarithmic
    // with 0 set apart.
    for (arm, dose) in json["arms"]
        .as_array_mut()
        .expect("arms")
        .iter_mut()
        .zip([0.0, 0.1, 5.0])
    {
        arm["dose"] = serde_json::json!(dose);
    }
    fs::write(&path, json.to_string()).expect("write");
    plot_experiment_folder(&out, &options(Style::Talk, &["dose-response"])).expect("log axis");
    let texts = svg_texts(&fs::read_to_string(out.join("dose-response.svg")).expect("svg"));
    for tick in ["0", "0.1", "5"] {
        assert!(
            texts.iter().any(|t| t == tick),
            "dose-response.svg lacks the tick {tick:?}"
        );
    }
    let (_, _, variance) = png_stats(&out.join("dose-response.png"));
    assert!(variance > 300.0);

    // Without a dose series the figure is skipped, and refused when asked for.
    json.as_object_mut().expect("object").remove("dose_series");
    fs::write(&path, json.to_string()).expect("write");
    fs::remove_file(out.join("dose-response.png")).expect("remove");
    let written = plot_experiment_folder(&out, &options(Style::Talk, &[])).expect("plots");
    assert_eq!(written.len(), 4, "{:?}", names(&written));
    assert!(!out.join("dose-response.png").exists());
    match plot_experiment_folder(&out, &options(Style::Talk, &["dose-response"])) {
        Err(RenderError::Draw { figure, message }) => {
            assert_eq!(figure, "dose-response");
            assert!(message.contains("no dose series"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }

    // A damaged dose and a missing summary are named.
    fs::write(
        &path,
        text.replacen("\"dose\": 1.0", "\"dose\": \"one\"", 1),
    )
    .expect("write");
    let err = plot_experiment_folder(&out, &options(Style::Talk, &[])).expect_err("bad dose");
    assert!(err.to_string().contains("experiment.json"), "{err}");
    assert!(err.to_string().contains("dose"), "{err}");
    fs::write(&path, &text).expect("write");
    fs::remove_file(out.join("summary.csv")).expect("remove");
    let output = Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(["plot", "--only", "dose-response"])
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("summary.csv"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
