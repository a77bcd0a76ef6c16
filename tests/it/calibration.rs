//! `vcsim calibrate`: the declaration, the held-out guarantee (built on
//! `Dataset::calibration_rows`, see `evidence.rs`), the shipped file's digest, and the
//! quick calibration's determinism across thread counts and after an interruption, and
//! its figures.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use vcsim::calibration::spec::Spec;
use vcsim::calibration::{Problem, objective};
use vcsim::evidence::{Dataset, OBSERVATIONS_CSV, PaperSet, Protocols, SPLIT_CSV};
use vcsim::model::parameter_set::{ModelParams, SHIPPED_TOML, parse_shipped};

#[test]
fn the_declaration_is_valid_in_both_modes() {
    for quick in [false, true] {
        let spec = Spec::committed(quick).unwrap();
        // Never more free parameters than rows to fit them to.
        assert!(
            !spec.parameters.is_empty() && spec.parameters.len() <= spec.settings.rows.len(),
            "{} parameters for {} rows",
            spec.parameters.len(),
            spec.settings.rows.len()
        );
        for p in &spec.parameters {
            assert!(p.reason.len() > 40, "{}: a reason", p.key());
        }
    }
    assert_eq!(Spec::committed(true).unwrap().parameters.len(), 2);
}

#[test]
fn a_prior_outside_the_allowed_range_or_missing_the_default_is_refused() {
    let text = vcsim::calibration::spec::FREE_PARAMETERS_TOML;
    let wide = text.replacen("high = 3.0e-5", "high = 30.0", 1);
    let e = Spec::parse("f.toml", &wide, false).unwrap_err();
    assert!(e.contains("leaves the allowed range"), "{e}");
    let off = text.replacen("low = 3.0e-13", "low = 1.0e-6", 1);
    let e = Spec::parse("f.toml", &off, false).unwrap_err();
    assert!(e.contains("does not contain the built-in value"), "{e}");
    let e = Spec::parse("f.toml", "[full]\n", false).unwrap_err();
    assert!(e.starts_with("f.toml"), "{e}");
    // The first parameter (the nucleation rate, prior [3e-13, 3e-5]) starting at 1e-3.
    let first_start = text.find("\nstart = ").expect("a declared start") + 1;
    let line_end = first_start + text[first_start..].find('\n').expect("a line");
    let outside = format!(
        "{}start = 1.0e-3{}",
        &text[..first_start],
        &text[line_end..]
    );
    let e = Spec::parse("f.toml", &outside, false).unwrap_err();
    assert!(e.contains("start 0.001 is outside the prior"), "{e}");
    let flat = text.replacen("step = 0.1", "step = 0.0", 1);
    let e = Spec::parse("f.toml", &flat, false).unwrap_err();
    assert!(e.contains("[full] step: 0 is not in (0, 1]"), "{e}");
}

#[test]
fn the_search_starts_where_the_declaration_says_and_the_start_is_in_the_digest() {
    let text = vcsim::calibration::spec::FREE_PARAMETERS_TOML;
    let problem = |text: &str| {
        let spec = Spec::parse("f.toml", text, false).expect("a valid declaration");
        let data = Dataset::committed().expect("the committed dataset");
        let protocols = Protocols::committed(&data).expect("the committed protocols");
        Problem::new(&data, protocols, spec, false, text).expect("a valid problem")
    };
    let committed = problem(text);
    assert!(committed.declares_start());
    let starts: Vec<f64> = committed
        .parameters()
        .iter()
        .map(|p| p.start.expect("every parameter declares its start"))
        .collect();
    assert_eq!(committed.start_values(), starts);
    assert_ne!(committed.start_values(), committed.default_values());
    // Without starts the search starts at the built-in values, and the digest changes,
    // so a shipped result names the start it was fitted from.
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("start = "))
        .map(|l| format!("{l}\n"))
        .collect();
    let bare = problem(&without);
    assert!(!bare.declares_start());
    assert_eq!(bare.start_values(), bare.default_values());
    assert_ne!(bare.inputs_digest(), committed.inputs_digest());
}

/// The committed observations with every field of every held-out row replaced by
/// nonsense that still parses.
fn poisoned_observations(data: &Dataset) -> String {
    let held: Vec<String> = data.held_out_rows().map(|o| o.id.clone()).collect();
    let mut reader = csv::Reader::from_reader(OBSERVATIONS_CSV.as_bytes());
    let headers = reader
        .headers()
        .expect("the committed observations are CSV")
        .clone();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers)
        .expect("the committed observations are CSV");
    for record in reader.records() {
        let record = record.expect("the committed observations are CSV");
        let id = record
            .get(0)
            .expect("the committed observations are CSV")
            .to_string();
        let row: Vec<String> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| {
                if !held.contains(&id) {
                    return v.to_string();
                }
                match h {
                    "value" | "reference_value" => "123456".to_string(),
                    "effect_value" if !v.is_empty() => "999999".to_string(),
                    "time" => "99 weeks".to_string(),
                    "n" | "error" => "poison".to_string(),
                    _ => v.to_string(),
                }
            })
            .collect();
        w.write_record(&row)
            .expect("the committed observations are CSV");
    }
    String::from_utf8(w.into_inner().expect("the committed observations are CSV"))
        .expect("the committed observations are CSV")
}

#[test]
fn no_held_out_row_is_ever_read_by_the_calibrator() {
    let data = Dataset::committed().unwrap();
    let poisoned = poisoned_observations(&data);
    assert_ne!(poisoned, OBSERVATIONS_CSV);
    let dirty = Dataset::parse("obs.csv", &poisoned, "split.csv", SPLIT_CSV).unwrap();
    for quick in [false, true] {
        let clean = Problem::committed(quick).unwrap();
        let spec = Spec::committed(quick).unwrap();
        let protocols = Protocols::committed(&dirty).unwrap();
        let text = vcsim::calibration::spec::FREE_PARAMETERS_TOML;
        let p = Problem::new(&dirty, protocols, spec, quick, text).unwrap();
        assert_eq!(p.targets, clean.targets);
        assert_eq!(p.inputs_digest(), clean.inputs_digest());
        assert!(
            p.targets
                .iter()
                .all(|t| data.set_of(&t.observation) == PaperSet::Calibration)
        );
    }
    // A fitted row whose paper is moved to the held-out set is refused by name.
    let problem = Problem::committed(false).unwrap();
    let first = &problem.targets[0].observation;
    let moved: String = SPLIT_CSV
        .lines()
        .map(|l| {
            if l.starts_with(&format!("{},calibration", first.paper_key)) {
                l.replacen(",calibration", ",held_out", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let data = Dataset::parse("obs.csv", OBSERVATIONS_CSV, "split.csv", &moved).unwrap();
    let protocols = Protocols::committed(&data).unwrap();
    let e = Problem::new(&data, protocols, Spec::committed(false).unwrap(), false, "")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&first.id) && e.contains("not a row of a calibration paper"),
        "{e}"
    );
}

#[test]
fn residuals_follow_the_stated_rules() {
    let problem = Problem::committed(false).unwrap();
    let kinds: BTreeMap<&str, objective::TargetKind> = problem
        .targets
        .iter()
        .map(|t| (t.observation.id.as_str(), t.kind))
        .collect();
    assert_eq!(kinds["OBS001"], objective::TargetKind::NoChange);
    assert_eq!(kinds["OBS002"], objective::TargetKind::Up);
    assert_eq!(kinds["OBS020"], objective::TargetKind::Fold);
    assert_eq!(kinds["OBS105"], objective::TargetKind::Onset);
    for t in &problem.targets {
        assert!(t.sigma >= objective::SIGMA_FLOOR);
    }
}

#[test]
fn shipped_toml_records_the_committed_inputs_digest() {
    // The choice: even with no values the shipped file records the digest, so a change
    // of the calibration's inputs always fails here until the file is remade.
    let table: toml::Table = toml::from_str(SHIPPED_TOML).unwrap();
    let recorded = table["about"]["inputs_digest"].as_str().unwrap_or_default();
    let digest = Problem::committed(false)
        .unwrap()
        .inputs_digest()
        .to_string();
    assert_eq!(
        recorded, digest,
        "data/calibration/shipped.toml records inputs_digest {recorded:?}, the committed \
         inputs give {digest:?}: run the full `vcsim calibrate` and copy its parameters.toml"
    );
    let shipped = parse_shipped(SHIPPED_TOML).unwrap();
    let rows = ModelParams::default().rows();
    for (module, field, value) in &shipped.values {
        let row = rows
            .iter()
            .find(|r| r.module == module && r.field == field)
            .unwrap();
        assert_eq!(row.value.to_bits(), value.to_bits());
        let source = row.source.to_string();
        assert!(
            source.starts_with("calibrated: vcsim calibrate to OBS"),
            "{source}"
        );
        assert!(source.contains("prior ["), "{source}");
    }
}

#[test]
fn a_shipped_file_with_values_changes_defaults_and_sources() {
    let text = "[about]\nfitted_rows = \"OBS020, OBS023\"\nprior.mineral.mgp_half = \"[0.1, 10] log\"\n\n[parameters.mineral]\nmgp_half = 2.5\n";
    let shipped = parse_shipped(text).unwrap();
    assert_eq!(
        shipped.values,
        vec![("mineral".into(), "mgp_half".into(), 2.5)]
    );
    assert!(shipped.sources[0].contains("OBS020, OBS023"));
    let e = parse_shipped("[parameters.mineral]\nmgp_half = 2.5\n").unwrap_err();
    assert!(e.contains("prior"), "{e}");
    let e = parse_shipped("[about]\nfitted_rows = \"x\"\nprior.mineral.mgp_half = \"p\"\n[parameters.mineral]\nmgp_half = 1e9\n").unwrap_err();
    assert!(e.contains("mgp_half"), "{e}");
}

fn calibrate(out: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(["calibrate", "--quick", "--quiet", "--seed", "3", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("vcsim runs and its files are read")
}

fn files(dir: &Path) -> BTreeMap<String, String> {
    [
        "parameters.toml",
        "posterior.csv",
        "history.csv",
        "fit.csv",
        "calibration.md",
    ]
    .iter()
    .map(|n| {
        (
            (*n).to_string(),
            std::fs::read_to_string(dir.join(n)).expect("vcsim runs and its files are read"),
        )
    })
    .collect()
}

#[test]
fn quick_calibration_is_deterministic_across_threads_and_after_an_interruption() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let o = calibrate(&one, &["--threads", "1"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let two = tmp.path().join("two");
    let o = calibrate(&two, &["--threads", "2", "--no-plots"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(files(&one), files(&two));
    assert!(one.join("calibration-fit.png").is_file());
    assert!(!two.join("calibration-fit.png").exists(), "--no-plots drew");
    assert!(
        !two.join("calibration-history.svg").exists(),
        "--no-plots drew"
    );

    // Stopped after three batches: no result, a cache; the same command finishes.
    let resumed = tmp.path().join("resumed");
    let o = calibrate(&resumed, &["--threads", "2", "--stop-after-batches", "3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!resumed.exists());
    assert!(tmp.path().join(".resumed.calibrate-cache.json").is_file());
    let o = calibrate(&resumed, &["--threads", "2"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(files(&one), files(&resumed));
    assert!(!tmp.path().join(".resumed.calibrate-cache.json").exists());
    assert!(
        !tmp.path().join(".resumed.job").exists(),
        "a batch's job is left"
    );

    // Its outputs load as a parameter file and a posterior sample.
    let p = vcsim::scenario::ParameterOverrides::load(&one.join("parameters.toml")).unwrap();
    assert_eq!(p.len(), 2);
    let draws = vcsim::scenario::read_posterior(&one.join("posterior.csv")).unwrap();
    assert!(!draws.is_empty());
    let text = files(&one)["parameters.toml"].clone();
    assert!(
        text.contains("fitted_rows = \"OBS020, OBS081, OBS082\""),
        "{text}"
    );
    // The declared start is evaluated beside the built-in values, and the result is never
    // worse than it (the search may find nothing better than where it started).
    let table: toml::Table = text.parse().unwrap();
    let about = |key: &str| -> f64 {
        table["about"][key]
            .as_str()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("about.{key} in {text}"))
    };
    assert!(about("objective_calibrated") <= about("objective_start"));
    assert!(about("objective_defaults").is_finite());

    // An existing result is not replaced without --force.
    let o = calibrate(&one, &["--threads", "2"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
}

#[test]
fn the_calibration_figures_are_drawn_with_their_text_inside_the_canvas() {
    use crate::common::png_stats;
    use crate::render_figures::assert_text_fits;
    use vcsim::render::{Format, PlotOptions, Style, text_layout};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fit");
    let o = calibrate(&dir, &["--threads", "2"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for stem in ["calibration-fit", "calibration-history"] {
        let (w, h, variance) = png_stats(&dir.join(format!("{stem}.png")));
        assert_eq!((w, h), (1920, 1080), "{stem}");
        assert!(variance > 100.0, "{stem}: blank figure");
        let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
        assert!(svg.contains("<svg"), "{stem}");
    }
    // A threshold row (no number) is left out of the fit figure and named in its
    // subtitle; every row with a number is labelled.
    let mut fit = std::fs::read_to_string(dir.join("fit.csv")).unwrap();
    fit.push_str("OBS999,no_change,patel2019-phosphate-bgp,,0.15,1.5,1.1,2.0,0.5\n");
    std::fs::write(dir.join("fit.csv"), fit).unwrap();
    for style in [Style::Talk, Style::Paper] {
        let options = PlotOptions {
            style,
            format: Format::Png,
            only: Vec::new(),
        };
        let texts = text_layout(&dir, &options).expect("lays out");
        assert_eq!(texts.len(), 2, "both figures");
        assert_text_fits(&texts, style);
        let fit_text: Vec<&str> = texts[0].boxes.iter().map(|b| b.text.as_str()).collect();
        for id in ["OBS020", "OBS081", "OBS082"] {
            assert!(fit_text.contains(&id), "{id} not labelled: {fit_text:?}");
        }
        assert!(
            fit_text.iter().any(|t| t.contains("OBS999")),
            "the threshold row is not named: {fit_text:?}"
        );
        let history: String = texts[1].boxes.iter().map(|b| b.text.as_str()).collect();
        assert!(history.contains("ABC tolerance"), "{history}");
    }

    // `vcsim plot` recognises the folder: paper style, one figure, or an unknown name.
    let plot = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_vcsim"))
            .arg("plot")
            .arg(&dir)
            .args(extra)
            .output()
            .expect("vcsim runs")
    };
    let o = plot(&["--style", "paper", "--only", "calibration-history"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (w, h, variance) = png_stats(&dir.join("calibration-history-paper.png"));
    assert_eq!((w, h), (1050, 1800));
    assert!(variance > 100.0, "blank figure");
    assert!(!dir.join("calibration-fit-paper.png").exists());
    let o = plot(&["--only", "mineral-wall"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("calibration-fit"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_cohort_whose_rows_count_animals_keeps_its_animals_in_a_fit() {
    // OBS024 (the calcified subgroup of a cohort) and OBS045 (a share of animals) added
    // to the fitted rows: their cohorts keep their 12 animals, every other protocol runs
    // the declaration's replicates.
    let committed = vcsim::calibration::spec::FREE_PARAMETERS_TOML;
    let text = committed.replacen(
        "rows = [\"OBS001\",",
        "rows = [\"OBS024\", \"OBS045\", \"OBS001\",",
        1,
    );
    assert_ne!(text, committed);
    let spec = Spec::parse("f.toml", &text, false).unwrap();
    let replicates = spec.settings.replicates;
    let data = Dataset::committed().unwrap();
    let protocols = Protocols::committed(&data).unwrap();
    let problem = Problem::new(&data, protocols, spec, false, &text).unwrap();
    let of = |name: &str| {
        problem
            .experiments
            .iter()
            .find(|e| e.name == format!("protocols/{name}"))
            .unwrap_or_else(|| panic!("{name} is not fitted"))
            .replicates
    };
    assert_eq!(of("uremic-rat-cohort"), 12);
    assert_eq!(of("uremic-rat-incidence"), 12);
    assert_eq!(of("jono2000-phosphate"), replicates);
    assert!(replicates < 12);
}

fn evaluate(out: &Path, values: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args([
            "calibrate",
            "--quick",
            "--quiet",
            "--seed",
            "3",
            "--evaluate",
        ])
        .arg(values)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("vcsim runs")
}

/// The lines of `evaluation.csv` as (seed, objective, row, predicted, residual).
fn evaluation_lines(dir: &Path) -> Vec<(String, f64, String, String, f64)> {
    let text = std::fs::read_to_string(dir.join("evaluation.csv")).expect("evaluation.csv");
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[1].to_string(),
                f[2].parse().expect("objective"),
                f[3].to_string(),
                f[8].to_string(),
                f[9].parse().expect("residual"),
            )
        })
        .collect()
}

#[test]
fn fixed_values_are_scored_at_fresh_seeds_the_same_on_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let values = tmp.path().join("values.toml");
    std::fs::write(
        &values,
        "[parameters.mineral]\nnucleation_rate_per_h = 1e-6\n\n[parameters.fate]\nrat_max_division_rate_in_vitro_per_h = 0.05\n",
    )
    .unwrap();
    let one = tmp.path().join("one");
    let o = evaluate(&one, &values, &["--seed-sets", "3", "--threads", "1"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let two = tmp.path().join("two");
    let o = evaluate(&two, &values, &["--seed-sets", "3", "--threads", "2"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["evaluation.csv", "evaluation.md"] {
        assert_eq!(
            std::fs::read(one.join(f)).unwrap(),
            std::fs::read(two.join(f)).unwrap(),
            "{f} depends on the thread count"
        );
    }
    assert!(
        !tmp.path().join(".one.job").exists(),
        "the evaluation's job is left"
    );

    // Three seed sets of the three quick rows; each seed's objective is the sum of its
    // squared residuals, and the seeds are three different ones.
    let lines = evaluation_lines(&one);
    assert_eq!(lines.len(), 9);
    let mut seeds: Vec<&str> = lines.iter().map(|l| l.0.as_str()).collect();
    seeds.dedup();
    assert_eq!(seeds.len(), 3, "{seeds:?}");
    let mut objectives = Vec::new();
    for chunk in lines.chunks(3) {
        let sum: f64 = chunk.iter().map(|l| l.4 * l.4).sum();
        assert!((sum - chunk[0].1).abs() <= 1e-9 * sum.max(1.0), "{chunk:?}");
        objectives.push(chunk[0].1);
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(one.join("manifest.json")).unwrap()).unwrap();
    let mean = objectives.iter().sum::<f64>() / 3.0;
    let reported = manifest["objective_mean"].as_f64().unwrap();
    assert!(
        (reported - mean).abs() <= 1e-9 * mean,
        "{reported} vs {mean}"
    );
    let md = std::fs::read_to_string(one.join("evaluation.md")).unwrap();
    assert!(md.contains("| OBS081 | value |"), "{md}");

    // The values are the ones run: another division rate gives other rat doubling
    // times (not necessarily shorter ones: a faster culture reaches confluence sooner).
    let faster = tmp.path().join("faster.toml");
    std::fs::write(
        &faster,
        "[parameters.mineral]\nnucleation_rate_per_h = 1e-6\n\n[parameters.fate]\nrat_max_division_rate_in_vitro_per_h = 0.4\n",
    )
    .unwrap();
    let other = tmp.path().join("other");
    let o = evaluate(&other, &faster, &["--seed-sets", "3"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doubling = |lines: &[(String, f64, String, String, f64)]| -> Vec<String> {
        lines
            .iter()
            .filter(|l| l.2 == "OBS081")
            .map(|l| l.3.clone())
            .collect()
    };
    assert_ne!(doubling(&evaluation_lines(&other)), doubling(&lines));

    // An existing result is kept without --force; bad values and counts are refused.
    let o = evaluate(&one, &values, &["--seed-sets", "3"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    let o = evaluate(&tmp.path().join("zero"), &values, &["--seed-sets", "0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--seed-sets 0"));
    assert!(!tmp.path().join("zero").exists());
    let o = evaluate(
        &tmp.path().join("later"),
        &values,
        &["--backend", "slurm", "--no-submit"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--no-submit"));
    assert!(!tmp.path().join("later").exists());
    assert!(!tmp.path().join(".later.job").exists());
    let missing = tmp.path().join("missing.toml");
    let o = evaluate(&tmp.path().join("none"), &missing, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("missing.toml"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "[parameters.mineral]\nno_such_field = 1.0\n").unwrap();
    let o = evaluate(&tmp.path().join("bad"), &bad, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no_such_field"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!tmp.path().join("bad").exists());
}
