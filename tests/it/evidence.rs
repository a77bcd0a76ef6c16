//! The committed dataset (`data/`): it parses, it is as large as promised, every paper is
//! in exactly one set, a calibration sees only calibration papers, and data/README.md's
//! counts are the data's.

use std::collections::BTreeSet;
use vcsim::evidence::{Dataset, PaperSet};

fn dataset() -> Dataset {
    Dataset::committed().unwrap_or_else(|e| panic!("the committed data do not parse: {e}"))
}

#[test]
fn the_dataset_holds_at_least_80_rows_from_20_papers() {
    let data = dataset();
    let papers: BTreeSet<&str> = data.all().iter().map(|o| o.paper_key.as_str()).collect();
    assert!(data.all().len() >= 80, "{} rows", data.all().len());
    assert!(papers.len() >= 20, "{} papers", papers.len());
}

#[test]
fn a_calibration_reads_no_row_of_a_held_out_paper() {
    let data = dataset();
    let calibration = data.calibration_rows();
    let held_out: BTreeSet<&str> = data.held_out_rows().map(|o| o.paper_key.as_str()).collect();
    assert!(!calibration.is_empty() && !held_out.is_empty());
    for o in calibration.iter() {
        assert_eq!(data.set_of(o), PaperSet::Calibration, "{}", o.id);
        assert!(
            !held_out.contains(o.paper_key.as_str()),
            "{} is held out",
            o.id
        );
    }
    // Every row is in exactly one of the two.
    assert_eq!(
        calibration.len() + data.held_out_rows().count(),
        data.all().len()
    );
}

#[test]
fn the_split_is_by_paper_and_about_60_40() {
    let data = dataset();
    let split = vcsim::evidence::Split::parse("data/split.csv", vcsim::evidence::SPLIT_CSV)
        .expect("split parses");
    let (calibration, held_out): (Vec<_>, Vec<_>) = split
        .papers()
        .partition(|(_, s)| *s == PaperSet::Calibration);
    let share = calibration.len() as f64 / (calibration.len() + held_out.len()) as f64;
    assert!(
        (0.55..=0.65).contains(&share),
        "calibration share by paper {share}"
    );
    // Every paper of the split has rows in one of the data files (no stale keys).
    let qualitative = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/qualitative.csv"),
    )
    .expect("data/qualitative.csv");
    for (key, _) in split.papers() {
        let in_observations = data.all().iter().any(|o| o.paper_key == key);
        let in_qualitative = qualitative.contains(&format!(",{key},"));
        assert!(in_observations || in_qualitative, "{key} has no row");
    }
}

#[test]
fn the_data_readme_counts_are_the_data() {
    let data = dataset();
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/README.md"),
    )
    .expect("data/README.md");
    let calibration = data.calibration_rows().len();
    let held_out = data.held_out_rows().count();
    let split = vcsim::evidence::Split::parse("data/split.csv", vcsim::evidence::SPLIT_CSV)
        .expect("split parses");
    let papers = |set| split.papers().filter(|(_, s)| *s == set).count();
    for (name, set, rows) in [
        ("calibration", PaperSet::Calibration, calibration),
        ("held_out", PaperSet::HeldOut, held_out),
    ] {
        let line = format!("| {name} | {} | {rows} |", papers(set));
        assert!(
            readme.contains(&line),
            "data/README.md should say `{line}` in its split table"
        );
    }
    assert!(
        readme.contains(&format!("{} rows with a number", data.all().len())),
        "data/README.md states the row count"
    );
}

#[test]
fn every_observation_has_a_protocol_or_a_reason_and_every_protocol_fits_its_rows() {
    use vcsim::evidence::Protocols;
    use vcsim::validation::quantitative::{PROTOCOL_FILES, protocol_experiments};
    let data = dataset();
    let protocols = Protocols::committed(&data)
        .unwrap_or_else(|e| panic!("data/protocols/rows.csv does not check: {e}"));
    assert_eq!(protocols.rows().len(), data.all().len());
    for row in protocols.rows().iter().filter(|r| r.mapping.is_none()) {
        assert!(!row.note.is_empty(), "{}: no reason given", row.id);
    }
    // Arms, readouts and days against the protocol files, at both sizes.
    for quick in [false, true] {
        let experiments = protocol_experiments(&protocols, quick)
            .unwrap_or_else(|e| panic!("protocols (quick {quick}): {e}"));
        assert_eq!(experiments.len(), protocols.protocol_names().len());
    }
    // Every protocol file is used by a row (no orphan experiment runs in validate).
    for (stem, _) in PROTOCOL_FILES {
        assert!(
            protocols.protocol_names().contains(stem),
            "data/protocols/{stem}.toml is used by no row of rows.csv"
        );
    }
}

/// What waits in `data/pending/` for a calibration (the declaration of the next fit, a
/// fit's values) must load when that calibration runs: every declaration parses in both
/// modes and makes a problem of the committed data (its rows are calibration rows that a
/// protocol simulates, each with a number or an `[expect]` entry), and a fit's
/// `*-parameters.toml` parses as `data/calibration/shipped.toml` must (its inputs digest
/// is checked only once it ships).
#[test]
fn what_waits_in_data_pending_still_loads() {
    use std::path::Path;
    use vcsim::calibration::Problem;
    use vcsim::calibration::spec::Spec;
    use vcsim::evidence::Protocols;

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pending");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return; // nothing waits
    };
    let mut files: Vec<_> = entries
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    files.sort();
    let dataset = dataset();
    let mut checked = 0;
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 file name");
        let file = format!("data/pending/{name}");
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if name.starts_with("free-parameters") && name.ends_with(".toml") {
            for quick in [false, true] {
                let spec = Spec::parse(&file, &text, quick).unwrap_or_else(|e| panic!("{e}"));
                let protocols = Protocols::committed(&dataset)
                    .unwrap_or_else(|e| panic!("data/protocols: {e}"));
                Problem::new(&dataset, protocols, spec, quick, &text)
                    .unwrap_or_else(|e| panic!("{file} (quick {quick}): {e}"));
            }
            checked += 1;
        } else if name.ends_with("-parameters.toml") {
            let fit = vcsim::model::parameter_set::parse_shipped(&text)
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!fit.values.is_empty(), "{file}: no fitted value");
            checked += 1;
        }
    }
    let tomls = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .count();
    assert_eq!(
        checked, tomls,
        "data/pending: a .toml file that is neither a declaration nor a fit"
    );
}
