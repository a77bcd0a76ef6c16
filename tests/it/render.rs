//! The figure renderer on small synthetic run folders written with the recorder's own
//! writers (no simulation): files, sizes, non-blank images, SVG text, determinism,
//! errors, and rendering without any system font configuration.

use crate::common::{assert_fails_with, names, png_stats, vcsim};
use std::fs;
use std::path::Path;

use vcsim::record::{Column, TimeseriesRow, WallRow, write_timeseries, write_wall};
use vcsim::render::{FIGURES, Format, PlotOptions, RenderError, Style, plot_run_folder};

/// A value for each time-series column at time `t_h`.
fn series_value(name: &str, t_h: f64) -> f64 {
    let days = t_h / 24.0;
    match name {
        "time_days" => days,
        "cells_total" => 100.0,
        "cells_alive" => 100.0 - 2.0 * days,
        "contractile" => (60.0 - 20.0 * days).max(0.0),
        "synthetic" => 30.0,
        "osteogenic" => (10.0 + 18.0 * days).min(70.0 - 2.0 * days),
        "apoptotic" | "apoptotic_bodies" => days,
        "apoptotic_deaths_cumulative" => 2.0 * days,
        "divisions_cumulative" => 0.0,
        "apoptosis_index" | "fraction_osteogenic" => 0.02 * days,
        "mtorc1_mean" | "alpha_sma_mean" => 1.0 / (1.0 + 0.3 * days),
        "calcium_ug_per_mg_protein" | "calcium_ug_per_mg_total_protein" | "calcium_ug" => {
            0.5 * days * days
        }
        n if n.ends_with("_mean") || n.contains("_p") => 1.0 + 0.8 * days + (t_h / 7.0).sin(),
        _ => days,
    }
}

/// The occupant of a site, cycling through every state.
fn occupant(a: usize, c: usize, l: usize, day: usize) -> &'static str {
    if l == 2 {
        return "empty";
    }
    match (a + 2 * c + day) % 7 {
        0 => "contractile",
        1 => "synthetic",
        2 | 3 => "osteogenic",
        4 => "apoptotic",
        5 => "apoptotic_body",
        _ => "empty",
    }
}

/// Writes a small recorded run: a vessel of 3 layers (or a monolayer) with snapshots at
/// days 0, 1 and 2.
pub(crate) fn make_run(dir: &Path, vessel: bool) {
    fs::create_dir_all(dir).expect("run folder");
    let rows: Vec<TimeseriesRow> = (0..=8)
        .map(|k| {
            let t_h = f64::from(k) * 6.0;
            TimeseriesRow::from_fn(|c| match c {
                Column::TimeH => t_h,
                // A well has no tissue and no lamellae: these fields are empty.
                Column::CalciumUgPerMgDryTissue | Column::LamellaElastinDegraded if !vessel => {
                    f64::NAN
                }
                c => series_value(c.name(), t_h),
            })
        })
        .collect();
    let mut out = Vec::new();
    write_timeseries(&mut out, &rows).expect("time series in memory");
    fs::write(dir.join("timeseries.csv"), out).expect("timeseries.csv");

    let (axial, circumferential) = (14usize, 5usize);
    let layers: &[&'static str] = if vessel {
        &["media_lamella", "media_lamella", "adventitia"]
    } else {
        &["monolayer"]
    };
    let spacing = if vessel { 0.02 } else { 0.05 };
    let mut wall = Vec::new();
    let mut id = 0u64;
    for day in 0..3usize {
        for (l, layer) in layers.iter().enumerate() {
            for c in 0..circumferential {
                for a in 0..axial {
                    let who = occupant(a, c, l, day);
                    let mineral = if day == 0 {
                        0.0
                    } else {
                        1e-3 * day as f64 * (1.0 + a as f64 + (c % 2) as f64)
                    };
                    id += 1;
                    wall.push(WallRow {
                        time_days: day as f64,
                        axial_index: a,
                        circumferential_index: c,
                        layer_index: l,
                        layer,
                        axial_mm: (a as f64 + 0.5) * spacing,
                        circumferential_mm: (c as f64 + 0.5) * spacing,
                        occupant: who,
                        cell_id: (who != "empty").then_some(id),
                        chop: 1.0,
                        runx2: 1.0,
                        alp: 1.0,
                        vesicles: 0.0,
                        mineral_acp_pmol: 0.0,
                        mineral_hap_pmol: 0.0,
                        mineral_ug_per_mm2: mineral,
                        mineral_lamella_ug_per_mm2: if *layer == "media_lamella" {
                            0.5 * mineral
                        } else {
                            0.0
                        },
                    });
                }
            }
        }
    }
    let mut out = Vec::new();
    write_wall(&mut out, &wall).expect("wall in memory");
    fs::write(dir.join("wall.csv"), out).expect("wall.csv");
}

fn options(style: Style, format: Format, only: &[&str]) -> PlotOptions {
    PlotOptions {
        style,
        format,
        only: only.iter().map(|s| (*s).to_string()).collect(),
    }
}

#[test]
fn talk_pngs_are_slides_with_content() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, true);
    let files = plot_run_folder(&dir, &options(Style::Talk, Format::Png, &[])).unwrap();
    assert_eq!(
        names(&files),
        [
            "mineral-wall.png",
            "mineral-wall-day0.png",
            "mineral-wall-day1.png",
            "wall-section.png",
            "mineral-radial.png",
            "timecourses.png",
            "animation.gif",
        ]
    );
    for file in &files {
        assert!(file.starts_with(&dir), "{}", file.display());
        let size = fs::metadata(file).unwrap().len();
        assert!(size > 20_000, "{} is only {size} bytes", file.display());
        if file.extension().is_some_and(|e| e == "png") {
            let (w, h, variance) = png_stats(file);
            assert_eq!((w, h), (1920, 1080), "{}", file.display());
            assert!(
                variance > 200.0,
                "{} looks blank: {variance}",
                file.display()
            );
        }
    }
    let gif = fs::read(dir.join("animation.gif")).unwrap();
    assert!(gif.starts_with(b"GIF89a"));
    // No temporary files are left behind.
    let hidden: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn paper_pngs_are_one_column_wide() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, false);
    let files = plot_run_folder(
        &dir,
        &options(
            Style::Paper,
            Format::Png,
            &["wall-section", "timecourses", "mineral-wall"],
        ),
    )
    .unwrap();
    assert_eq!(
        names(&files),
        [
            "mineral-wall-paper.png",
            "wall-section-paper.png",
            "timecourses-paper.png"
        ]
    );
    for file in &files {
        let (w, h, variance) = png_stats(file);
        assert_eq!(w, 1050, "{}", file.display());
        assert!(h > 700, "{}: {h}", file.display());
        assert!(
            variance > 200.0,
            "{} looks blank: {variance}",
            file.display()
        );
    }
}

#[test]
fn svgs_carry_titles_axis_labels_and_units() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, true);
    let files = plot_run_folder(&dir, &options(Style::Talk, Format::Svg, &[])).unwrap();
    assert!(
        files
            .iter()
            .all(|f| f.extension().is_some_and(|e| e == "svg"))
    );
    assert!(
        !dir.join("animation.gif").exists(),
        "no animation without PNG output"
    );
    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap();
    let wall = read("mineral-wall.svg");
    for text in [
        "Mineral in the unrolled vessel wall, day 2",
        "axial position (mm)",
        "circumference (mm)",
        "Ca/mm²",
        "osteogenic cells",
        "apoptotic bodies",
        "DejaVu Sans",
    ] {
        assert!(wall.contains(text), "mineral-wall.svg lacks {text:?}");
    }
    let section = read("wall-section.svg");
    for text in [
        "Cells and mineral in the wall, day 2",
        "layer (lumen side at top)",
        "media 1",
        "adventitia 1",
        "contractile",
        "apoptotic body",
        "elastic lamella",
    ] {
        assert!(section.contains(text), "wall-section.svg lacks {text:?}");
    }
    let courses = read("timecourses.svg");
    for text in [
        "Population time courses",
        "UPR markers",
        "Phenotype",
        "Apoptosis",
        "Autophagy and mTORC1",
        "Osteogenic switch",
        "Calcium content",
        "time (days)",
        "fold change",
        "% of living cells",
        "µg Ca/mg dry tissue (wall)",
        "GRP78",
        "p-eIF2α",
        "α-SMA",
        "died so far",
        "died of ER stress",
        "died of deposits",
    ] {
        assert!(courses.contains(text), "timecourses.svg lacks {text:?}");
    }
}

/// A time series written before deaths were counted by route still plots: the apoptosis
/// panel keeps its deaths and leaves out the two route lines.
#[test]
fn a_time_series_without_the_route_columns_plots_without_the_route_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, false);
    let path = dir.join("timeseries.csv");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| !header[i].starts_with("deaths_"))
        .collect();
    assert!(keep.len() + 7 == header.len(), "seven route columns");
    let cut = |line: &str| {
        let fields: Vec<&str> = line.split(',').collect();
        keep.iter()
            .map(|&i| fields[i])
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut old = cut(&header.join(","));
    for line in lines {
        old.push('\n');
        old.push_str(&cut(line));
    }
    old.push('\n');
    fs::write(&path, old).unwrap();
    plot_run_folder(&dir, &options(Style::Talk, Format::Svg, &["timecourses"])).unwrap();
    let courses = fs::read_to_string(dir.join("timecourses.svg")).unwrap();
    assert!(courses.contains("died so far"));
    assert!(!courses.contains("died of ER stress") && !courses.contains("died of deposits"));
}

#[test]
fn a_well_plots_calcium_per_protein_and_a_wall_per_dry_tissue() {
    let tmp = tempfile::tempdir().unwrap();
    for (vessel, unit, other) in [
        (false, "µg Ca/mg protein (all cells)", "dry tissue"),
        (true, "µg Ca/mg dry tissue (wall)", "mg protein"),
    ] {
        let dir = tmp.path().join(if vessel { "wall" } else { "well" });
        make_run(&dir, vessel);
        plot_run_folder(&dir, &options(Style::Talk, Format::Svg, &["timecourses"])).unwrap();
        let courses = fs::read_to_string(dir.join("timecourses.svg")).unwrap();
        assert!(courses.contains(unit), "vessel {vessel}: no {unit:?}");
        assert!(!courses.contains(other), "vessel {vessel}: {other:?}");
    }
}

#[test]
fn rendering_again_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, true);
    let opts = options(Style::Paper, Format::Both, &[]);
    let first = plot_run_folder(&dir, &opts).unwrap();
    let bytes: Vec<Vec<u8>> = first.iter().map(|f| fs::read(f).unwrap()).collect();
    let second = plot_run_folder(&dir, &opts).unwrap();
    assert_eq!(first, second);
    for (file, before) in second.iter().zip(bytes) {
        assert!(
            fs::read(file).unwrap() == before,
            "{} changed",
            file.display()
        );
    }
}

#[test]
fn missing_and_damaged_folders_are_named_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let all = options(Style::Paper, Format::Png, &[]);

    let nowhere = tmp.path().join("nowhere");
    match plot_run_folder(&nowhere, &all) {
        Err(RenderError::MissingFile { path }) => assert_eq!(path, nowhere),
        other => panic!("{other:?}"),
    }

    let dir = tmp.path().join("run");
    make_run(&dir, true);
    fs::remove_file(dir.join("wall.csv")).unwrap();
    let err = plot_run_folder(&dir, &all).unwrap_err();
    assert!(
        matches!(&err, RenderError::MissingFile { path } if path == &dir.join("wall.csv")),
        "{err:?}"
    );
    assert!(err.to_string().contains("wall.csv"), "{err}");
    // The time courses need only the time series.
    let only = options(Style::Paper, Format::Png, &["timecourses"]);
    assert_eq!(
        names(&plot_run_folder(&dir, &only).unwrap()),
        ["timecourses-paper.png"]
    );

    make_run(&dir, true);
    fs::remove_file(dir.join("timeseries.csv")).unwrap();
    let err = plot_run_folder(&dir, &all).unwrap_err();
    assert!(
        matches!(&err, RenderError::MissingFile { path } if path == &dir.join("timeseries.csv")),
        "{err:?}"
    );

    // A file cut in the middle of a line.
    make_run(&dir, true);
    let text = fs::read_to_string(dir.join("timeseries.csv")).unwrap();
    fs::write(dir.join("timeseries.csv"), &text[..text.len() - 7]).unwrap();
    match plot_run_folder(&dir, &all) {
        Err(RenderError::Parse {
            path,
            line,
            message,
        }) => {
            assert_eq!(path, dir.join("timeseries.csv"));
            assert_eq!(line, 10, "{message}");
        }
        other => panic!("{other:?}"),
    }

    // A wall file cut at a line end inside the last snapshot.
    make_run(&dir, true);
    let text = fs::read_to_string(dir.join("wall.csv")).unwrap();
    let kept: Vec<&str> = text.lines().take(text.lines().count() - 5).collect();
    fs::write(dir.join("wall.csv"), kept.join("\n") + "\n").unwrap();
    let err = plot_run_folder(&dir, &all).unwrap_err();
    match &err {
        RenderError::Parse {
            path,
            line,
            message,
        } => {
            assert_eq!(path, &dir.join("wall.csv"));
            assert_eq!(*line, kept.len());
            assert!(message.contains("truncated"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("wall.csv:"), "{err}");

    // A header only.
    fs::write(dir.join("wall.csv"), "time_days,axial_index\n").unwrap();
    assert!(matches!(
        plot_run_folder(&dir, &all),
        Err(RenderError::Parse { line: 1, .. })
    ));
    // An empty file.
    fs::write(dir.join("wall.csv"), "").unwrap();
    assert!(matches!(
        plot_run_folder(&dir, &all),
        Err(RenderError::Parse { line: 1, .. })
    ));
}

#[test]
fn unknown_figures_and_svg_animations_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, false);
    match plot_run_folder(&dir, &options(Style::Talk, Format::Png, &["heatmap"])) {
        Err(RenderError::UnknownFigure { name, known }) => {
            assert_eq!(name, "heatmap");
            assert_eq!(known, FIGURES.to_vec());
        }
        other => panic!("{other:?}"),
    }
    let err =
        plot_run_folder(&dir, &options(Style::Talk, Format::Svg, &["animation"])).unwrap_err();
    assert!(
        matches!(
            err,
            RenderError::Draw {
                figure: "animation",
                ..
            }
        ),
        "{err:?}"
    );
}

/// Rendering needs no font on the machine: the font is compiled in. The child process
/// runs with an empty environment whose fontconfig points at an empty folder.
#[test]
fn renders_without_system_fonts() {
    const CHILD: &str = "VCSIM_RENDER_TEST_NO_FONTS_DIR";
    if let Ok(dir) = std::env::var(CHILD) {
        let files = plot_run_folder(
            Path::new(&dir),
            &options(Style::Paper, Format::Png, &["timecourses"]),
        )
        .unwrap();
        assert_eq!(files.len(), 1);
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, false);
    let empty = tmp.path().join("no-fonts");
    fs::create_dir_all(&empty).unwrap();
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "render::renders_without_system_fonts",
            "--test-threads",
            "1",
        ])
        .env_clear()
        .env(CHILD, &dir)
        .env("FONTCONFIG_PATH", &empty)
        .env("FONTCONFIG_FILE", empty.join("fonts.conf"))
        .env("XDG_DATA_HOME", &empty)
        .env("HOME", &empty)
        .output()
        .unwrap();
    assert!(
        child.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );
    assert!(
        String::from_utf8_lossy(&child.stdout).contains("1 passed"),
        "the child test did not run (renamed?): {}",
        String::from_utf8_lossy(&child.stdout)
    );
    let (w, _, variance) = png_stats(&dir.join("timecourses-paper.png"));
    assert_eq!(w, 1050);
    assert!(variance > 200.0, "blank: {variance}");
}

#[test]
fn tiny_and_odd_runs_render_without_panicking() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    fs::create_dir_all(&dir).unwrap();
    // One recorded time, with values that do not exist (written as empty fields).
    let row = TimeseriesRow::from_fn(|c| match c {
        Column::TimeH => 0.0,
        Column::Grp78Mean | Column::ChopMean => f64::NAN,
        other => series_value(other.name(), 0.0),
    });
    let mut out = Vec::new();
    write_timeseries(&mut out, &[row]).unwrap();
    fs::write(dir.join("timeseries.csv"), out).unwrap();
    // One site, one snapshot.
    let site = WallRow {
        time_days: 0.0,
        axial_index: 0,
        circumferential_index: 0,
        layer_index: 0,
        layer: "monolayer",
        axial_mm: 0.025,
        circumferential_mm: 0.025,
        occupant: "apoptotic_body",
        cell_id: Some(7),
        chop: 1.0,
        runx2: 1.0,
        alp: 1.0,
        vesicles: 0.0,
        mineral_acp_pmol: 0.0,
        mineral_hap_pmol: 1.0,
        mineral_ug_per_mm2: 0.01,
        mineral_lamella_ug_per_mm2: 0.0,
    };
    let mut out = Vec::new();
    write_wall(&mut out, &[site]).unwrap();
    fs::write(dir.join("wall.csv"), out).unwrap();
    let files = plot_run_folder(&dir, &options(Style::Talk, Format::Both, &[])).unwrap();
    // No other snapshot and a single frame: no per-day figures and no animation.
    assert_eq!(
        names(&files),
        [
            "mineral-wall.png",
            "mineral-wall.svg",
            "wall-section.png",
            "wall-section.svg",
            "timecourses.png",
            "timecourses.svg",
        ]
    );
    // Asked for explicitly, the animation has its one frame.
    let files = plot_run_folder(&dir, &options(Style::Paper, Format::Png, &["animation"])).unwrap();
    assert_eq!(names(&files), ["animation-paper.gif"]);
}

/// A 2 × 2 well under the strongest ER stress allowed: every cell has died by day 2.5.
const LETHAL: &str = r#"
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

/// The value of `column` on each data row of a CSV text, as written.
fn fields<'a>(csv: &'a str, column: &str) -> Vec<&'a str> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let i = header.iter().position(|h| *h == column).expect(column);
    lines.map(|l| l.split(',').nth(i).expect("field")).collect()
}

#[test]
fn a_run_where_every_cell_dies_writes_empty_fields_and_plots_them_as_gaps() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("lethal.toml");
    fs::write(&scenario, LETHAL).unwrap();
    let out = tmp.path().join("run");
    let output = vcsim(&[
        "run",
        scenario.to_str().unwrap(),
        "--quiet",
        "--no-plots",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let text = fs::read_to_string(out.join("timeseries.csv")).unwrap();
    assert!(!text.contains("NaN"), "NaN written:\n{text}");
    let alive = fields(&text, "cells_alive");
    assert_eq!(alive.first(), Some(&"4"));
    assert_eq!(
        alive.last(),
        Some(&"0"),
        "the scenario must kill every cell"
    );
    for column in [
        "grp78_mean",
        "grp78_p90",
        "chop_p10",
        "runx2_p90",
        "fraction_osteogenic",
    ] {
        for (row, value) in fields(&text, column).iter().enumerate() {
            assert_eq!(
                value.is_empty(),
                alive[row] == "0",
                "{column} on row {row} = {value:?} with {} cells alive",
                alive[row]
            );
        }
    }
    // The figures draw the living rows and leave the rest out: no NaN coordinate.
    let files = plot_run_folder(&out, &options(Style::Talk, Format::Both, &[])).unwrap();
    assert!(names(&files).contains(&"timecourses.svg".to_string()));
    for file in &files {
        if file.extension().is_some_and(|e| e == "svg") {
            let svg = fs::read_to_string(file).unwrap();
            assert!(
                !svg.contains("NaN") && !svg.contains("inf"),
                "{}",
                file.display()
            );
        }
    }
    let output = vcsim(&["plot", out.to_str().unwrap(), "--format", "svg"]);
    assert!(output.status.success(), "{output:?}");
}

/// Sets the field `column` of line `line` (0 = the header) of the CSV file `path`.
fn set_field(path: &Path, line: usize, column: &str, value: &str) {
    let text = fs::read_to_string(path).expect("the CSV file");
    let header: Vec<&str> = text.lines().next().expect("a header").split(',').collect();
    let i = header
        .iter()
        .position(|h| *h == column)
        .expect("the column is in the header");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut row: Vec<&str> = lines[line].split(',').collect();
    row[i] = value;
    lines[line] = row.join(",");
    fs::write(path, lines.join("\n") + "\n").expect("writing the CSV file");
}

#[test]
fn values_a_column_cannot_hold_are_refused_naming_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let all = options(Style::Paper, Format::Svg, &[]);
    let series = dir.join("timeseries.csv");
    for (value, column, needle) in [
        ("NaN", "grp78_mean", "empty field"),
        ("inf", "chop_mean", "finite"),
        ("-inf", "runx2_mean", "finite"),
        ("-1", "cells_alive", "at least 0"),
        ("abc", "alp_mean", "not a number"),
    ] {
        make_run(&dir, false);
        set_field(&series, 3, column, value);
        let err = plot_run_folder(&dir, &all).unwrap_err().to_string();
        assert!(
            err.contains("timeseries.csv:4:")
                && err.contains(&format!("`{column}` = `{value}`"))
                && err.contains(needle),
            "{err}"
        );
    }
    // An empty field is a value that does not exist: drawn as a gap, not refused.
    make_run(&dir, false);
    let text = fs::read_to_string(&series).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut row: Vec<&str> = lines[3].split(',').collect();
    row[Column::Grp78Mean.index()] = "";
    lines[3] = row.join(",");
    fs::write(&series, lines.join("\n") + "\n").unwrap();
    plot_run_folder(&dir, &all).expect("an empty field is drawn as a gap");
    // Mineral of a wall site, all of it and its lamellar part.
    for column in ["mineral_ug_per_mm2", "mineral_lamella_ug_per_mm2"] {
        for value in ["NaN", "inf", "-0.5"] {
            make_run(&dir, true);
            set_field(&dir.join("wall.csv"), 2, column, value);
            let err = plot_run_folder(&dir, &all).unwrap_err().to_string();
            assert!(
                err.contains("wall.csv:3:") && err.contains(&format!("`{column}`")),
                "{err}"
            );
        }
    }
}

#[test]
fn a_wall_csv_written_before_the_lamellar_mineral_column_still_plots() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, true);
    let wall = dir.join("wall.csv");
    let text = fs::read_to_string(&wall).unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with(",mineral_lamella_ug_per_mm2")
    );
    let older: Vec<&str> = text
        .lines()
        .map(|line| line.rsplit_once(',').map_or(line, |(kept, _)| kept))
        .collect();
    fs::write(&wall, older.join("\n") + "\n").unwrap();
    let files = plot_run_folder(&dir, &options(Style::Paper, Format::Svg, &["wall-section"]))
        .expect("an older wall.csv plots, its lamellar mineral read as 0");
    assert!(!files.is_empty());
}

#[test]
fn a_damaged_manifest_is_named_and_a_missing_one_is_not_needed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, false);
    let all = options(Style::Paper, Format::Svg, &["timecourses"]);
    // make_run writes no manifest: the figures are drawn without the scenario name.
    plot_run_folder(&dir, &all).expect("no manifest");
    let good = format!(
        r#"{{"scenario_name": "tiny", "vcsim_version": "{}"}}"#,
        env!("CARGO_PKG_VERSION")
    );
    let manifest = dir.join("manifest.json");
    fs::write(&manifest, &good).unwrap();
    plot_run_folder(&dir, &all).expect("a good manifest");
    let svg = fs::read_to_string(dir.join("timecourses-paper.svg")).unwrap();
    assert!(svg.contains("tiny"), "the scenario name is in the title");
    for (text, needle) in [
        (good[..good.len() / 2].to_string(), "not valid JSON"),
        ("\u{1}\u{7f}garbage".to_string(), "not valid JSON"),
        (String::new(), "not valid JSON"),
        ("{}".to_string(), "no `vcsim_version`"),
        ("[]".to_string(), "JSON object"),
        (
            r#"{"scenario_name": "tiny", "vcsim_version": "7.0.0"}"#.to_string(),
            "`vcsim_version` = `7.0.0`",
        ),
        (
            format!(r#"{{"vcsim_version": "{}"}}"#, env!("CARGO_PKG_VERSION")),
            "no `scenario_name`",
        ),
    ] {
        fs::write(&manifest, &text).unwrap();
        match plot_run_folder(&dir, &all) {
            Err(e @ RenderError::Parse { .. }) => {
                let message = e.to_string();
                assert!(
                    message.contains("manifest.json:") && message.contains(needle),
                    "{text:?}: {message}"
                );
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

#[test]
fn a_file_is_not_a_result_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, false);
    let all = options(Style::Paper, Format::Svg, &[]);
    let series = dir.join("timeseries.csv");
    let err = plot_run_folder(&series, &all).unwrap_err();
    assert!(matches!(err, RenderError::NotAFolder { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("is a file; plot takes a result folder")
            && message.contains(&format!("vcsim plot {}", dir.display())),
        "{message}"
    );
    let cell = tmp.path().join("cell.csv");
    let output = vcsim(&["cell", "--hours", "1", "--out", cell.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    // A `vcsim cell` time course is drawn beside it (render_figures.rs checks the figure);
    // any other file is refused.
    let output = vcsim(&["plot", cell.to_str().unwrap(), "--format", "svg"]);
    assert!(output.status.success(), "{output:?}");
    assert!(tmp.path().join("cell.svg").is_file());
    let notes = tmp.path().join("notes.txt");
    fs::write(&notes, "my notes\n").unwrap();
    let output = vcsim(&["plot", notes.to_str().unwrap()]);
    assert_fails_with(&output, &[2], 3, &["notes.txt", "is a file"]);
}
