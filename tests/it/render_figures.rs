//! Issue 13's figure defects, checked on the figures as drawn: the maps keep the physical
//! aspect ratio, no text leaves its canvas or is cut, one mineral colour scale per run
//! for the maps (and the section of a well; a vessel's section has its own),
//! SVGs embed their font and round their numbers, the two styles never overwrite each
//! other, and `vcsim plot` draws a `vcsim cell` CSV.

use crate::common::{names, vcsim};
use crate::render::make_run;
use std::fs;
use std::path::Path;
use vcsim::render::{
    FigureText, Format, PlotOptions, Style, TextBox, equal_aspect_plot, plot_run_folder,
    text_layout,
};

fn options(style: Style, format: Format) -> PlotOptions {
    PlotOptions {
        style,
        format,
        only: Vec::new(),
    }
}

/// Asserts that every text element of every figure lies inside its canvas (within a
/// pixel), is at least 24 px (talk) or 6 pt at 300 dpi (25 px, paper) and is whole (no
/// ellipsis).
#[track_caller]
pub(crate) fn assert_text_fits(texts: &[FigureText], style: Style) {
    assert!(!texts.is_empty());
    let least = match style {
        Style::Talk => 24.0,
        Style::Paper => 25.0,
    };
    for figure in texts {
        let (w, h) = (f64::from(figure.size.0), f64::from(figure.size.1));
        assert!(!figure.boxes.is_empty(), "{}: no text", figure.stem);
        for b in &figure.boxes {
            assert!(
                b.x0 >= -1.0 && b.y0 >= -1.0 && b.x1 <= w + 1.0 && b.y1 <= h + 1.0,
                "{}: `{}` at [{:.0}, {:.0}] × [{:.0}, {:.0}] leaves the {w} × {h} canvas",
                figure.stem,
                b.text,
                b.x0,
                b.x1,
                b.y0,
                b.y1
            );
            assert!(
                !b.text.contains('…'),
                "{}: `{}` is cut",
                figure.stem,
                b.text
            );
            assert!(
                b.em >= least - 1e-9,
                "{}: `{}` is {:.1} px, below {least}",
                figure.stem,
                b.text,
                b.em
            );
        }
    }
}

#[test]
fn the_equal_aspect_layout_gives_equal_millimetres_per_pixel() {
    // A 3 × 3 mm well in a wide slot is square; a 1.2 × 0.4 mm vessel is 3:1.
    assert_eq!(equal_aspect_plot((1400, 500), (3.0, 3.0)), (500, 500));
    let (w, h) = equal_aspect_plot((1400, 500), (1.2, 0.4));
    assert_eq!((w, h), (1400, 467));
    let (w, h) = equal_aspect_plot((300, 900), (1.2, 0.4));
    assert_eq!((w, h), (300, 100));
    // Whatever the slot, the two scales agree to a pixel.
    for (slot, extent) in [((777, 333), (0.7, 0.25)), ((1050, 600), (3.0, 2.0))] {
        let (w, h) = equal_aspect_plot(slot, extent);
        assert!(w <= slot.0 && h <= slot.1);
        let ratio = f64::from(w) / f64::from(h);
        let expected = extent.0 / extent.1;
        assert!(
            (f64::from(w) - expected * f64::from(h)).abs() <= 2.0,
            "{slot:?} {extent:?}: {w} × {h}, ratio {ratio}"
        );
    }
}

/// The bounding box of the pixels of exactly `rgb` in a PNG: (x0, y0, x1, y1).
fn colour_box(path: &Path, rgb: [u8; 3]) -> (usize, usize, usize, usize) {
    let decoder = png::Decoder::new(fs::File::open(path).expect("PNG file"));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG image");
    let channels = info.color_type.samples();
    let width = info.width as usize;
    let mut bbox = (usize::MAX, usize::MAX, 0, 0);
    for (i, p) in buf[..info.buffer_size()].chunks(channels).enumerate() {
        if p[..3] == rgb {
            let (x, y) = (i % width, i / width);
            bbox = (bbox.0.min(x), bbox.1.min(y), bbox.2.max(x), bbox.3.max(y));
        }
    }
    bbox
}

/// On day 0 of the synthetic runs nothing is mineralised, so the whole map is the
/// bottom colour of viridis: its box in the PNG is the plotted data area, whose pixel
/// aspect must be the wall's (14 × 5 sites: 0.7 × 0.25 mm well, 0.28 × 0.1 mm vessel).
#[test]
fn maps_keep_the_physical_aspect_ratio_in_the_png() {
    let tmp = tempfile::tempdir().unwrap();
    for (vessel, style) in [
        (false, Style::Talk),
        (true, Style::Talk),
        (false, Style::Paper),
    ] {
        let dir = tmp.path().join(format!("run-{vessel}-{style:?}"));
        make_run(&dir, vessel);
        let mut only = options(style, Format::Png);
        only.only = vec!["mineral-wall-days".to_string()];
        let files = plot_run_folder(&dir, &only).unwrap();
        let day0 = files
            .iter()
            .find(|f| f.to_string_lossy().contains("day0"))
            .unwrap();
        let (x0, y0, x1, y1) = colour_box(day0, [68, 1, 84]);
        assert!(x1 > x0 && y1 > y0, "{}: no map found", day0.display());
        let (w, h) = ((x1 - x0 + 1) as f64, (y1 - y0 + 1) as f64);
        let expected = 14.0 / 5.0;
        assert!(
            (w - expected * h).abs() <= 3.0,
            "{}: the map is {w} × {h} px, {:.3}:1, not {expected}:1",
            day0.display(),
            w / h
        );
    }
}

/// The labels of the colour bar of a figure: the numbers left-aligned on one column just
/// left of the bar's description (which names `Ca/mm²`).
fn colour_bar_labels(figure: &FigureText) -> Vec<String> {
    let desc = figure
        .boxes
        .iter()
        .find(|b| b.text.contains("Ca/mm²"))
        .unwrap_or_else(|| panic!("{}: no colour bar", figure.stem));
    let near: Vec<&TextBox> = figure
        .boxes
        .iter()
        .filter(|b| b.text.parse::<f64>().is_ok())
        .filter(|b| b.x0 < desc.x0 && b.x0 > desc.x0 - 250.0)
        .collect();
    // The bar's labels share their left edge; the most common one.
    let column = near
        .iter()
        .map(|b| b.x0.round())
        .max_by_key(|x| {
            near.iter()
                .filter(|b| (b.x0.round() - x).abs() < 0.5)
                .count()
        })
        .unwrap_or_default();
    let mut labels: Vec<&TextBox> = near
        .into_iter()
        .filter(|b| (b.x0.round() - column).abs() < 0.5)
        .collect();
    labels.sort_by(|a, b| b.y0.total_cmp(&a.y0));
    labels.iter().map(|b| b.text.clone()).collect()
}

/// [µg Ca mm⁻²] The top label of a figure's colour bar, converted from the bar's unit
/// (its description reads `... (<unit> Ca/mm²)`, the unit chosen for the scale's size).
fn top_ug(figure: &FigureText) -> f64 {
    let desc = &figure
        .boxes
        .iter()
        .find(|b| b.text.contains("Ca/mm²"))
        .unwrap_or_else(|| panic!("{}: no colour bar", figure.stem))
        .text;
    let unit = desc
        .rsplit('(')
        .next()
        .and_then(|u| u.split_whitespace().next())
        .unwrap_or_default();
    let per_ug = match unit {
        "µg" => 1.0,
        "ng" => 1e3,
        "pg" => 1e6,
        "fg" => 1e9,
        other => panic!("{}: unknown unit {other:?} in {desc:?}", figure.stem),
    };
    colour_bar_labels(figure)
        .iter()
        .filter_map(|l| l.parse::<f64>().ok())
        .fold(f64::NEG_INFINITY, f64::max)
        / per_ug
}

#[test]
fn one_mineral_colour_scale_per_run_and_kind_of_figure() {
    let tmp = tempfile::tempdir().unwrap();
    for vessel in [false, true] {
        let dir = tmp.path().join(format!("run-{vessel}"));
        make_run(&dir, vessel);
        let texts = text_layout(&dir, &options(Style::Talk, Format::Png)).unwrap();
        // The time courses and the radial profile have no colour bar.
        let with_bar: Vec<&FigureText> = texts
            .iter()
            .filter(|f| f.stem != "timecourses" && f.stem != "mineral-radial")
            .collect();
        let scales: Vec<(String, Vec<String>)> = with_bar
            .iter()
            .map(|f| (f.stem.clone(), colour_bar_labels(f)))
            .collect();
        let (section, maps): (Vec<_>, Vec<_>) =
            scales.iter().partition(|(stem, _)| stem == "wall-section");
        // The maps of every day and every animation frame share one scale.
        assert!(maps.len() >= 5, "{scales:?}");
        assert_eq!(section.len(), 1, "{scales:?}");
        for (stem, labels) in &maps {
            assert!(labels.len() >= 3, "{stem}: {labels:?}");
            assert_eq!(labels, &maps[0].1, "{stem} has another scale: {scales:?}");
        }
        let section = &section[0].1;
        assert!(section.len() >= 3, "wall-section: {section:?}");
        if vessel {
            // A vessel's section shows single layers: its own scale, below the maps'
            // (which sum the layers) when the run holds mineral in more than one layer,
            // as this one does (both compared in µg, whatever unit each bar shows).
            let top_of = |stem: &str| {
                top_ug(
                    with_bar
                        .iter()
                        .find(|f| f.stem == stem)
                        .unwrap_or_else(|| panic!("no {stem}")),
                )
            };
            let (section_top, map_top) = (top_of("wall-section"), top_of(&maps[0].0));
            assert!(
                section_top < map_top,
                "section {section:?} ({section_top} µg) against maps {:?} ({map_top} µg)",
                maps[0].1
            );
        } else {
            assert_eq!(section, &maps[0].1, "a well's section has another scale");
        }
    }
}

#[test]
fn no_text_leaves_a_run_figure_or_is_cut() {
    let tmp = tempfile::tempdir().unwrap();
    for vessel in [false, true] {
        let dir = tmp.path().join(format!("run-{vessel}"));
        make_run(&dir, vessel);
        for style in [Style::Talk, Style::Paper] {
            let texts = text_layout(&dir, &options(style, Format::Both)).unwrap();
            assert_text_fits(&texts, style);
        }
    }
    // Laying out writes nothing.
    let written: Vec<String> = fs::read_dir(tmp.path().join("run-true"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".png") || n.ends_with(".svg") || n.ends_with(".gif"))
        .collect();
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn svgs_embed_their_font_and_round_their_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, true);
    let files = plot_run_folder(&dir, &options(Style::Talk, Format::Svg)).unwrap();
    assert!(!files.is_empty());
    for file in &files {
        let svg = fs::read_to_string(file).unwrap();
        assert!(
            svg.contains("@font-face{font-family:\"DejaVu Sans\"")
                && svg.contains("data:font/woff2;base64,"),
            "{}: no embedded font",
            file.display()
        );
        // Every number inside a tag has at most three decimals.
        for tag in svg.split('<').skip(1).filter_map(|t| t.split('>').next()) {
            if tag.starts_with("style") {
                continue;
            }
            for token in tag.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
                if let Some((_, decimals)) = token.split_once('.') {
                    assert!(
                        decimals.len() <= 3,
                        "{}: `{token}` in <{tag}>",
                        file.display()
                    );
                }
            }
        }
    }
}

#[test]
fn talk_and_paper_figures_sit_side_by_side() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, false);
    let talk = plot_run_folder(&dir, &options(Style::Talk, Format::Png)).unwrap();
    let before: Vec<Vec<u8>> = talk.iter().map(|f| fs::read(f).unwrap()).collect();
    let paper = plot_run_folder(&dir, &options(Style::Paper, Format::Png)).unwrap();
    assert_eq!(names(&talk).len(), names(&paper).len());
    for (t, p) in names(&talk).iter().zip(names(&paper)) {
        let (stem, ext) = t.rsplit_once('.').unwrap();
        assert_eq!(p, format!("{stem}-paper.{ext}"));
    }
    // The talk figures are untouched by the paper rendering.
    for (file, bytes) in talk.iter().zip(&before) {
        assert_eq!(&fs::read(file).unwrap(), bytes, "{}", file.display());
    }
    // The folder with both styles is still a run folder: plotting it again works.
    assert!(plot_run_folder(&dir, &options(Style::Talk, Format::Png)).is_ok());
}

#[test]
fn vcsim_plot_draws_a_cell_csv_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("cell.csv");
    let out = vcsim(&[
        "cell",
        "--stress",
        "8",
        "--hours",
        "12",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = vcsim(&["plot", csv.to_str().unwrap(), "--format", "png"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = tmp.path().join("cell.png");
    let (w, h, variance) = crate::common::png_stats(&png);
    assert_eq!((w, h), (1920, 1080));
    assert!(variance > 200.0);
    let texts = text_layout(&csv, &options(Style::Paper, Format::Png)).unwrap();
    assert_text_fits(&texts, Style::Paper);
    let all: Vec<&str> = texts[0].boxes.iter().map(|b| b.text.as_str()).collect();
    for needle in ["CHOP", "p-eIF2α", "time (h)"] {
        assert!(all.contains(&needle), "{needle} missing: {all:?}");
    }
}

/// The time axes show the run's medium changes and treatment windows, read from its
/// `manifest.json`.
#[test]
fn time_courses_mark_medium_changes_and_treatment_windows() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    make_run(&dir, false);
    fs::write(
        dir.join("manifest.json"),
        format!(
            r#"{{"scenario_name": "pulse", "vcsim_version": "{}", "scenario": {{
                "environment": {{"medium_change_every_min": 720.0}},
                "treatments": [{{"id": "high-phosphate", "start_min": 0.0, "stop_min": 1440.0}}]}}}}"#,
            env!("CARGO_PKG_VERSION")
        ),
    )
    .unwrap();
    let mut only = options(Style::Talk, Format::Png);
    only.only = vec!["timecourses".to_string()];
    let texts = text_layout(&dir, &only).unwrap();
    let all: Vec<&str> = texts[0].boxes.iter().map(|b| b.text.as_str()).collect();
    assert!(
        all.iter()
            .any(|t| t.contains("▼ medium change (every 0.5 days)")
                && t.contains("shaded: high-phosphate (day 0-1)")),
        "{all:?}"
    );
}
