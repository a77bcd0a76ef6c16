//! `plot_experiment_folder`: the arm comparison and the per-arm time courses of a small
//! experiment run by `vcsim compare`, and a clear error for a missing summary.

use std::fs;
use std::path::Path;
use std::process::Command;

use vcsim::render::{Format, PlotOptions, RenderError, Style, plot_experiment_folder};

const BASE: &str = r#"
[meta]
name = "base"
description = "tiny calcifying well"
seed = 5
[geometry]
mode = "in_vitro"
axial_sites = 6
circumferential_sites = 6
[time]
duration_days = 2.0
[environment]
calcium_mM = 2.8
beta_glycerophosphate_mM = 10.0
[record]
every_h = 12.0
"#;

const EXPERIMENT: &str = r#"
[experiment]
name = "tiny"
description = "control vs 3-MA"
base = "base.toml"
replicates = 2

[[arm]]
name = "control"

[[arm]]
name = "3-MA (autophagy inhibitor, 5 mM)"
[[arm.treatment]]
id = "3-ma"
dose = 5.0
"#;

fn run_compare(dir: &Path) -> std::path::PathBuf {
    fs::write(dir.join("base.toml"), BASE).expect("write base");
    fs::write(dir.join("e.toml"), EXPERIMENT).expect("write experiment");
    let out = dir.join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(["compare", "--quiet", "--threads", "2", "--out"])
        .arg(&out)
        .arg(dir.join("e.toml"))
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// Width, height and the number of non-white pixels of a PNG.
fn png_stats(path: &Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(fs::File::open(path).expect("PNG file"));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG image");
    let channels = info.color_type.samples();
    let non_white = buf[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|v| *v != 255))
        .count();
    (info.width, info.height, non_white)
}

fn options(style: Style) -> PlotOptions {
    PlotOptions {
        style,
        format: Format::Both,
        only: vec![],
    }
}

#[test]
fn an_experiment_folder_gives_an_arm_comparison_and_arm_time_courses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run_compare(dir.path());
    let written = plot_experiment_folder(&out, &options(Style::Talk)).expect("plots");
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "arm-comparison.png",
            "arm-comparison.svg",
            "timecourses-arms.png",
            "timecourses-arms.svg"
        ]
    );
    for stem in ["arm-comparison", "timecourses-arms"] {
        let (width, height, non_white) = png_stats(&out.join(format!("{stem}.png")));
        assert_eq!((width, height), (1920, 1080), "{stem}");
        assert!(non_white > 20_000, "{stem}: {non_white} non-white pixels");
    }
    let svg = fs::read_to_string(out.join("arm-comparison.svg")).expect("svg");
    for needle in [
        "Calcium content by arm",
        "µg Ca, whole lattice",
        "control",
        "3-MA",
        "p(Holm) = ",
        "Holm-adjusted",
    ] {
        assert!(svg.contains(needle), "arm-comparison.svg lacks {needle:?}");
    }
    let svg = fs::read_to_string(out.join("timecourses-arms.svg")).expect("svg");
    for needle in ["Time courses by arm", "GRP78", "α-SMA", "control", "3-MA"] {
        assert!(
            svg.contains(needle),
            "timecourses-arms.svg lacks {needle:?}"
        );
    }
    let paper = plot_experiment_folder(&out, &options(Style::Paper)).expect("paper");
    assert_eq!(paper.len(), 4);

    fs::remove_file(out.join("summary.csv")).expect("remove summary");
    match plot_experiment_folder(&out, &options(Style::Talk)) {
        Err(RenderError::MissingFile { path }) => {
            assert!(path.ends_with("summary.csv"), "{}", path.display());
        }
        other => panic!("expected MissingFile, got {other:?}"),
    }
}

/// A base in which every cell has died by day 2.5 (the strongest ER stress allowed).
const LETHAL_BASE: &str = r#"
[meta]
name = "lethal"
description = "2x2 monolayer under maximal ER stress until every cell has died"
seed = 1
[geometry]
mode = "in_vitro"
axial_sites = 2
circumferential_sites = 2
[time]
duration_days = 4
[stress]
stress_per_min = 100.0
"#;

const ONE_REPLICATE: &str = r#"
[experiment]
name = "one"
description = "one replicate, every cell dead at the end"
base = "lethal.toml"
replicates = 1

[[arm]]
name = "control"

[[arm]]
name = "4-PBA"
[[arm.treatment]]
id = "4-pba"
dose = 1.0
"#;

#[test]
fn values_that_do_not_exist_are_empty_fields_in_the_summary_and_gaps_in_the_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("lethal.toml"), LETHAL_BASE).expect("write base");
    fs::write(dir.path().join("e.toml"), ONE_REPLICATE).expect("write experiment");
    let out = dir.path().join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(["compare", "--quiet", "--no-plots", "--out"])
        .arg(&out)
        .arg(dir.path().join("e.toml"))
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = fs::read_to_string(out.join("summary.csv")).expect("summary.csv");
    assert!(!summary.contains("NaN"), "NaN written:\n{summary}");
    let mut reader = csv::Reader::from_reader(summary.as_bytes());
    let header = reader.headers().expect("header").clone();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let mut seen = 0;
    for record in reader.records() {
        let record = record.expect("row");
        let (n, mean, sd, low, high) = (
            &record[at("n")],
            &record[at("mean")],
            &record[at("sd")],
            &record[at("ci95_low")],
            &record[at("ci95_high")],
        );
        // One replicate: never an SD or a CI.
        assert!(
            sd.is_empty() && low.is_empty() && high.is_empty(),
            "{record:?}"
        );
        match &record[at("column")] {
            // A readout of the living cells has no value with no cell alive: n says so.
            "grp78_mean" | "chop_mean" | "runx2_mean" | "fraction_osteogenic" => {
                assert_eq!((n, mean), ("0", ""), "{record:?}");
                seen += 1;
            }
            // Counts and mineral exist without living cells.
            "calcium_ug_per_mg_protein" | "apoptotic_deaths_cumulative" => {
                assert_eq!(n, "1", "{record:?}");
                assert!(mean.parse::<f64>().is_ok_and(f64::is_finite), "{record:?}");
                seen += 1;
            }
            _ => {}
        }
    }
    assert_eq!(seen, 12, "every readout checked in both arms");
    let report = fs::read_to_string(out.join("summary.md")).expect("summary.md");
    assert!(
        report.contains("n/a") && !report.contains("NaN"),
        "{report}"
    );
    assert!(report.contains("a value that does not exist"), "{report}");

    let written = plot_experiment_folder(&out, &options(Style::Talk)).expect("plots");
    assert_eq!(written.len(), 4);
    for name in ["arm-comparison.svg", "timecourses-arms.svg"] {
        let svg = fs::read_to_string(out.join(name)).expect("svg");
        assert!(!svg.contains("NaN"), "{name} holds a NaN coordinate");
    }
}

/// No text of the arm figures leaves its canvas or is cut, in either style: arm names
/// and p-values wrap at spaces, never mid-word (issue 13).
#[test]
fn experiment_figure_text_fits_in_both_styles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run_compare(dir.path());
    for style in [Style::Talk, Style::Paper] {
        let texts = vcsim::render::text_layout(&out, &options(style)).expect("lays out");
        crate::render_figures::assert_text_fits(&texts, style);
        let all: Vec<&str> = texts
            .iter()
            .flat_map(|f| f.boxes.iter().map(|b| b.text.as_str()))
            .collect();
        // The p-values are the Holm-adjusted ones, and say so.
        assert!(all.iter().any(|t| t.starts_with("p(Holm) ")), "{all:?}");
        assert!(all.iter().any(|t| t.starts_with('×')), "{all:?}");
    }
}
