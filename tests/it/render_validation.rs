//! `claims-overview`: the forest plot of a claims report, from a small `validation.csv`
//! written by hand: page files and sizes per style, non-blank images, SVG text, paging
//! without splitting a claim, identical bytes on re-rendering, named errors for a missing
//! or damaged report, and `vcsim plot` recognising a validation folder.

use crate::common::{names, png_stats, svg_texts};
use std::fs;
use std::path::Path;
use std::process::Command;

use vcsim::render::{Format, PlotOptions, RenderError, Style, plot_validation_folder};

const HEADER: &str = "claim,claim_pass,claim_verdict,kind,wiring_reason,experiment,arm,reference,readout,column,statistic,\
expected,expected_low,expected_high,replicates,arm_mean,reference_mean,difference,\
difference_ci95_low,difference_ci95_high,ratio,ratio_ci95_low,ratio_ci95_high,\
p_value_paired_t,pass";

/// One check row as `vcsim validate` writes it. `ratio` `None` leaves the ratio columns
/// empty (a value of 0).
#[expect(clippy::too_many_arguments, reason = "one CSV row has this many parts")]
fn check(
    claim: &str,
    claim_pass: bool,
    arm: &str,
    reference: &str,
    (readout, column): (&str, &str),
    (expected, low, high): (&str, f64, f64),
    ratio: Option<(f64, f64, f64)>,
    pass: bool,
) -> String {
    let (ratio, lo, hi) = ratio.map_or((String::new(), String::new(), String::new()), |r| {
        (r.0.to_string(), r.1.to_string(), r.2.to_string())
    });
    let verdict = if claim_pass { "pass" } else { "FAIL" };
    format!(
        "{claim},{claim_pass},\"{verdict}\",evidence,\"\",exp,\"{arm}\",\"{reference}\",\"{readout}\",{column},end,\
         \"{expected}\",{low},{high},4,2.0,1.0,0.5,0.25,0.75,{ratio},{lo},{hi},0.001,{pass}"
    )
}

/// The row of `check` as a wiring check of a claim with only wiring checks.
fn wiring_only(row: &str) -> String {
    row.replacen(
        ",false,\"FAIL\",evidence,\"\",",
        ",false,\"wiring only\",wiring,\"the knockout deletes the measured species\",",
        1,
    )
}

const CALCIUM: (&str, &str) = (
    "calcium content (µg/mg protein)",
    "calcium_ug_per_mg_protein",
);
const CHOP: (&str, &str) = ("CHOP", "chop_mean");
const UP: (&str, f64, f64) = ("up", 1.2, f64::INFINITY);
const DOWN: (&str, f64, f64) = ("down", 0.0, 1.0 / 1.2);

/// Four claims: one passing with a ratio far beyond the axis and one with no ratio, one
/// passing plainly, one failing an "about 10x" check, and one with only a wiring check
/// (not counted).
fn report() -> String {
    let rows = [
        check(
            "VC-1",
            true,
            "calcifying + levamisole",
            "calcifying",
            CALCIUM,
            DOWN,
            Some((0.0007, 0.0005, 0.0009)),
            true,
        ),
        check(
            "VC-1",
            true,
            "calcifying",
            "control",
            CALCIUM,
            UP,
            None,
            true,
        ),
        check(
            "ER-2",
            true,
            "thapsigargin 10 nM",
            "thapsigargin 2.5 nM",
            CHOP,
            UP,
            Some((1.9, 1.7, 2.1)),
            true,
        ),
        check(
            "AP-3",
            false,
            "high-dose vitamin D",
            "control",
            CHOP,
            ("about 10x (5-20x)", 5.0, 20.0),
            Some((4.4, 4.1, 4.7)),
            false,
        ),
        check(
            "AP-3",
            false,
            "high-dose vitamin D",
            "control",
            ("p-JNK", "p_jnk_mean"),
            ("unchanged (within 1.2x)", 1.0 / 1.2, 1.2),
            Some((1.09, 1.0, 1.15)),
            true,
        ),
        wiring_only(&check(
            "ER-5",
            false,
            "ATF6 KO + thapsigargin 10 nM",
            "thapsigargin 10 nM",
            ("ATF6(N)", "atf6_cleaved_mean"),
            DOWN,
            Some((0.01, 0.008, 0.012)),
            true,
        )),
    ];
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

/// A validation folder with `csv` as its `validation.csv` and a manifest.
fn make_report(dir: &Path, csv: &str) {
    fs::create_dir_all(dir).expect("report folder");
    fs::write(dir.join("validation.csv"), csv).expect("validation.csv");
    fs::write(
        dir.join("manifest.json"),
        format!(
            r#"{{"mode": "quick", "claims": ["VC-1", "ER-2", "AP-3", "ER-5"], "claims_passing": ["VC-1", "ER-2"], "vcsim_version": "{}"}}"#,
            env!("CARGO_PKG_VERSION")
        ),
    )
    .expect("manifest.json");
}

fn options(style: Style, format: Format) -> PlotOptions {
    PlotOptions {
        style,
        format,
        only: vec![],
    }
}

#[test]
fn talk_style_is_one_slide_with_every_check_when_they_fit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("validation");
    make_report(&dir, &report());
    let written = plot_validation_folder(&dir, &options(Style::Talk, Format::Both)).expect("plots");
    assert_eq!(
        names(&written),
        ["claims-overview-1.png", "claims-overview-1.svg"]
    );
    let (width, height, variance) = png_stats(&dir.join("claims-overview-1.png"));
    assert_eq!((width, height), (1920, 1080));
    assert!(variance > 200.0, "grey variance {variance}");
    assert!(fs::metadata(&written[0]).expect("png").len() > 20_000);
    let svg = fs::read_to_string(dir.join("claims-overview-1.svg")).expect("svg");
    for needle in [
        "Claims overview: 2 of 3 claims pass (1 wiring only, not counted)",
        "ratio to reference (log scale)",
        "quick mode",
        "every check",
        "VC-1",
        "ER-2",
        "AP-3",
        "calcium · calcifying: + levamisole",
        "CHOP · thapsigargin 10 vs 2.5 nM",
        "0.00070",
        "Δ +0.500 [0.250, 0.750]",
        "check fails",
        "wiring check (not counted)",
        "ER-5",
        "expected effect",
    ] {
        assert!(
            svg.contains(needle),
            "claims-overview-1.svg lacks {needle:?}"
        );
    }
}

#[test]
fn paper_style_is_one_column_wide_with_every_check() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("validation");
    make_report(&dir, &report());
    let written =
        plot_validation_folder(&dir, &options(Style::Paper, Format::Both)).expect("plots");
    assert_eq!(written.len(), 2);
    let (width, height, variance) = png_stats(&dir.join("claims-overview-1-paper.png"));
    assert_eq!(width, 1050);
    assert!((400..1400).contains(&height), "height {height}");
    assert!(variance > 200.0, "grey variance {variance}");
    let svg = fs::read_to_string(dir.join("claims-overview-1-paper.svg")).expect("svg");
    // A label too wide for its column wraps at a space onto the next row.
    let texts = svg_texts(&svg).join(" ");
    for needle in [
        "Claims overview: 2 of 3 claims pass (1 wiring only, not counted)",
        "ratio to reference (log scale)",
        "p-JNK · high-dose vitamin D vs control",
    ] {
        assert!(
            texts.contains(needle),
            "claims-overview-1-paper.svg lacks {needle:?}"
        );
    }
}

#[test]
fn rendering_again_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("validation");
    make_report(&dir, &report());
    for style in [Style::Talk, Style::Paper] {
        let first = plot_validation_folder(&dir, &options(style, Format::Both)).expect("first");
        let bytes: Vec<Vec<u8>> = first.iter().map(|f| fs::read(f).expect("read")).collect();
        let again = plot_validation_folder(&dir, &options(style, Format::Both)).expect("again");
        assert_eq!(first, again);
        for (file, before) in again.iter().zip(bytes) {
            assert!(
                fs::read(file).expect("read") == before,
                "{} differs",
                file.display()
            );
        }
    }
}

/// A report of `claims` claims over three themes with `checks` checks each, the last
/// claim failing.
fn large_report(claims: usize, checks: usize) -> String {
    let mut rows = Vec::new();
    for c in 0..claims {
        let theme = ["ER", "OS", "IN"][c * 3 / claims];
        let pass = c + 1 < claims;
        for k in 0..checks {
            let ratio = 0.3 + 0.25 * ((c * checks + k) % 9) as f64;
            rows.push(check(
                &format!("{theme}-{}", c + 1),
                pass,
                &format!("treatment {k}"),
                "control",
                CHOP,
                UP,
                Some((ratio, ratio * 0.9, ratio * 1.1)),
                pass || k > 0,
            ));
        }
    }
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

/// The claim IDs on each page, from the SVG text.
fn claims_on_pages(dir: &Path, pages: usize, claims: usize) -> Vec<Vec<usize>> {
    (1..=pages)
        .map(|p| {
            let texts = svg_texts(
                &fs::read_to_string(dir.join(format!("claims-overview-{p}-paper.svg")))
                    .expect("svg"),
            );
            (1..=claims)
                .filter(|c| {
                    ["ER", "OS", "IN"]
                        .iter()
                        .any(|t| texts.contains(&format!("{t}-{c}")))
                })
                .collect()
        })
        .collect()
}

#[test]
fn many_claims_are_paged_without_splitting_a_claim_and_stale_pages_go() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("validation");
    let (claims, checks) = (45, 5);
    make_report(&dir, &large_report(claims, checks));

    // Paper: every check, several pages, each claim on exactly one page.
    let paper = plot_validation_folder(&dir, &options(Style::Paper, Format::Both)).expect("paper");
    let paper_pages = paper.len() / 2;
    assert!(paper_pages >= 3, "{:?}", names(&paper));
    let on_pages = claims_on_pages(&dir, paper_pages, claims);
    let mut seen: Vec<usize> = on_pages.iter().flatten().copied().collect();
    seen.sort_unstable();
    assert_eq!(seen, (1..=claims).collect::<Vec<_>>(), "{on_pages:?}");
    for p in 1..=paper_pages {
        let (width, height, _) = png_stats(&dir.join(format!("claims-overview-{p}-paper.png")));
        assert_eq!(width, 1050);
        assert!(height < 3000, "page {p}: {height} px");
    }

    // Talk: one row per claim, fewer pages, all slides, beside the paper pages.
    let talk = plot_validation_folder(&dir, &options(Style::Talk, Format::Both)).expect("talk");
    let talk_pages = talk.len() / 2;
    assert!(talk_pages >= 2, "{talk_pages} talk pages");
    for p in 1..=talk_pages {
        let (width, height, variance) = png_stats(&dir.join(format!("claims-overview-{p}.png")));
        assert_eq!((width, height), (1920, 1080));
        assert!(variance > 200.0);
        let svg = fs::read_to_string(dir.join(format!("claims-overview-{p}.svg"))).expect("svg");
        assert!(svg.contains("one row per claim"), "page {p}");
        assert!(
            svg.contains(&format!("page {p} of {talk_pages}")),
            "page {p}"
        );
        assert!(svg.contains("evidence passing"), "page {p}");
    }
    let svg = fs::read_to_string(dir.join(format!("claims-overview-{talk_pages}.svg")))
        .expect("last page");
    assert!(svg.contains("4/5"), "the failing claim's count");
    assert!(svg.contains("Claims overview: 44 of 45 claims pass"));
    for p in 1..=paper_pages {
        assert!(dir.join(format!("claims-overview-{p}-paper.png")).is_file());
    }
    // A smaller report in paper style: its pages beyond the new count go, the talk
    // pages stay.
    make_report(&dir, &large_report(6, 3));
    let fewer = plot_validation_folder(&dir, &options(Style::Paper, Format::Both)).expect("paper");
    let fewer_pages = fewer.len() / 2;
    assert!(fewer_pages < paper_pages);
    for p in fewer_pages + 1..=paper_pages {
        for ext in ["png", "svg"] {
            let stale = dir.join(format!("claims-overview-{p}-paper.{ext}"));
            assert!(!stale.exists(), "{} left behind", stale.display());
        }
    }
    for p in 1..=talk_pages {
        assert!(dir.join(format!("claims-overview-{p}.png")).is_file());
    }
}

#[test]
fn missing_and_damaged_reports_are_named_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let all = options(Style::Talk, Format::Png);

    let nowhere = tmp.path().join("nowhere");
    match plot_validation_folder(&nowhere, &all) {
        Err(RenderError::MissingFile { path }) => assert_eq!(path, nowhere),
        other => panic!("{other:?}"),
    }

    let dir = tmp.path().join("validation");
    make_report(&dir, &report());
    fs::remove_file(dir.join("validation.csv")).expect("remove");
    let err = plot_validation_folder(&dir, &all).expect_err("missing file");
    assert!(
        matches!(&err, RenderError::MissingFile { path } if path == &dir.join("validation.csv")),
        "{err:?}"
    );
    assert!(err.to_string().contains("validation.csv"), "{err}");

    // Cut in the middle of a line, as an interrupted copy leaves it.
    let full = report();
    make_report(&dir, &full[..full.len() - 30]);
    let err = plot_validation_folder(&dir, &all).expect_err("truncated");
    assert!(matches!(err, RenderError::Parse { .. }), "{err:?}");
    assert!(err.to_string().contains("validation.csv:"), "{err}");
    assert!(err.to_string().contains("truncated"), "{err}");

    make_report(&dir, &full.replace(",ratio,", ",r,"));
    let err = plot_validation_folder(&dir, &all).expect_err("missing column");
    assert!(err.to_string().contains("validation.csv:1:"), "{err}");
    assert!(err.to_string().contains("`ratio`"), "{err}");

    make_report(&dir, &format!("{HEADER}\n"));
    let err = plot_validation_folder(&dir, &all).expect_err("no rows");
    assert!(err.to_string().contains("no data rows"), "{err}");

    make_report(&dir, "");
    let err = plot_validation_folder(&dir, &all).expect_err("empty");
    assert!(err.to_string().contains("empty file"), "{err}");

    make_report(&dir, &full.replacen(",4,2.0,", ",four,2.0,", 1));
    let err = plot_validation_folder(&dir, &all).expect_err("bad number");
    assert!(err.to_string().contains("validation.csv:2:"), "{err}");

    make_report(&dir, &full);
    let only = PlotOptions {
        only: vec!["mineral-wall".to_string()],
        ..all
    };
    assert!(matches!(
        plot_validation_folder(&dir, &only),
        Err(RenderError::UnknownFigure { .. })
    ));
}

#[test]
fn vcsim_plot_recognises_a_validation_folder_and_names_a_missing_report() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("validation");
    make_report(&dir, &report());
    let plot = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_vcsim"))
            .arg("plot")
            .arg(&dir)
            .args(extra)
            .output()
            .expect("runs")
    };
    let output = plot(&["--format", "png", "--style", "paper"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.join("claims-overview-1-paper.png").is_file());

    let output = plot(&["--only", "timecourses"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("claims-overview"));

    // A report folder whose CSV is gone is still recognised by its manifest.
    fs::remove_file(dir.join("validation.csv")).expect("remove");
    let output = plot(&[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("validation.csv"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn vcsim_validate_renders_the_overview_unless_no_plots() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let validate = |out: &Path, extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_vcsim"))
            .args(["validate", "--claim", "ER-4", "--quick", "--quiet"])
            .args(["--threads", "2", "--out"])
            .arg(out)
            .args(extra)
            .output()
            .expect("runs")
    };
    let out = tmp.path().join("with");
    let output = validate(&out, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (width, height, _) = png_stats(&out.join("claims-overview-1.png"));
    assert_eq!((width, height), (1920, 1080));
    assert!(out.join("claims-overview-1.svg").is_file());

    let out = tmp.path().join("without");
    let output = validate(&out, &["--no-plots"]);
    assert!(output.status.success());
    assert!(out.join("validation.csv").is_file());
    assert!(!out.join("claims-overview-1.png").exists());

    // A whole-report folder also holds the quantitative report and its figure: `--force`
    // replaces it like any folder vcsim wrote (it once refused its own files).
    for name in ["quantitative.csv", "quantitative.md"] {
        fs::write(out.join(name), "written by an earlier vcsim validate\n").expect("written");
    }
    let output = validate(&out, &["--no-plots", "--force"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !out.join("quantitative.csv").exists(),
        "a claim-only report has none"
    );
}

/// No text of the claims overview leaves its page or is cut, in either style, and each
/// claim's short text stands beside its ID (issue 13).
#[test]
fn claims_overview_text_fits_and_names_the_claims() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("validation");
    make_report(&dir, &large_report(12, 4));
    for style in [Style::Talk, Style::Paper] {
        let texts =
            vcsim::render::text_layout(&dir, &options(style, Format::Both)).expect("lays out");
        crate::render_figures::assert_text_fits(&texts, style);
        let all: String = texts
            .iter()
            .flat_map(|f| f.boxes.iter().map(|b| format!("{} ", b.text)))
            .collect();
        let claim = vcsim::validation::claims::CLAIMS
            .iter()
            .find(|c| all.contains(&format!("{} ", c.id)))
            .expect("a claim of the review");
        let first_words: String = claim.text.split(' ').take(3).collect::<Vec<_>>().join(" ");
        assert!(
            all.contains(&first_words.replace(" -> ", " → ")),
            "{}'s text `{first_words}` missing: {all}",
            claim.id
        );
    }
}
