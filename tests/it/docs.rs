//! `docs/model.md`, the model as implemented, must not drift from the code.
//!
//! - Its generated parts (the parameter tables per module, the inducers and
//!   interventions, the claims with their checks, the references) sit between
//!   `<!-- generated:NAME:start -->` and `<!-- generated:NAME:end -->` markers and must
//!   equal what the code renders now; `UPDATE_README=1 cargo test --release --test it
//!   docs::` rewrites them.
//! - Every citation of a section of the document anywhere in the repository (src,
//!   scenarios, tests, docs, the README) must name a section heading that exists.
//! - No citation may name a design file that is not in the repository: the document is
//!   cited with its path under `docs/`, and the old design-note names are gone.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use vcsim::model::parameter_set::ModelParams;
use vcsim::references::Reference;
use vcsim::treatment::catalog::{CATALOG, Effect, Kind};
use vcsim::validation::{CHECKS, CLAIMS, expected_text, statistic_text};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The document's path inside the repository, as citations spell it.
const DOC: &str = "docs/model.md";

/// The file names that must not be cited (assembled so that this file does not cite
/// them itself): the bare design-document name without its `docs/` path, and the old
/// design notes that are not in the repository.
fn forbidden_names() -> [String; 3] {
    let md = ".md";
    [
        format!("model{md}"),
        format!("design{md}"),
        format!("claims{md}"),
    ]
}

fn start_marker(name: &str) -> String {
    format!("<!-- generated:{name}:start -->\n")
}

fn end_marker(name: &str) -> String {
    format!("<!-- generated:{name}:end -->")
}

/// A Markdown table cell: no line breaks, no unescaped pipes.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The catalog entries of one kind and the model terms each acts on.
fn catalog_table(kind: Kind) -> String {
    let mut out = String::from(
        "| id | name | typical dose | model terms at the typical dose | claims |\n\
         |---|---|---|---|---|\n",
    );
    for e in CATALOG.iter().filter(|e| e.kind == kind) {
        let effects: Vec<String> = e.effects.iter().map(Effect::describe).collect();
        out.push_str(&format!(
            "| `{}` | {} | {} {} | {} | {} |\n",
            e.id,
            cell(e.name),
            e.typical_dose,
            cell(e.dose_unit),
            cell(&effects.join("; ")),
            e.claims.join(", ")
        ));
    }
    out
}

/// Every claim of the review with the checks `vcsim validate` runs on it.
fn claims_table() -> String {
    let mut out = String::from(
        "| claim | the claim, in short | checks: experiment, arm vs reference: readout (statistic) expected |\n\
         |---|---|---|\n",
    );
    for claim in &CLAIMS {
        // Consecutive checks on the same arms are grouped: "experiment, arm vs
        // reference: readout (statistic) expected, readout (statistic) expected".
        let mut checks: Vec<String> = Vec::new();
        let mut previous = None;
        for c in CHECKS.iter().filter(|c| c.claim == claim.id) {
            let readout = format!(
                "`{}` ({}) {}",
                c.column.name(),
                statistic_text(c.statistic),
                expected_text(c.expected)
            );
            let arms = (c.experiment, c.arm, c.reference);
            match checks.last_mut() {
                Some(last) if previous == Some(arms) => {
                    last.push_str(", ");
                    last.push_str(&readout);
                }
                _ => checks.push(format!(
                    "{}, {} vs {}: {readout}",
                    c.experiment, c.arm, c.reference
                )),
            }
            previous = Some(arms);
        }
        let checks = if checks.is_empty() {
            "none (summary or context claim)".to_string()
        } else {
            checks.join("; ")
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            claim.id,
            cell(claim.text),
            cell(&checks)
        ));
    }
    out
}

/// Every paper a parameter or rule cites, by key.
fn references_table() -> String {
    let mut out = String::from("| key | reference |\n|---|---|\n");
    for r in Reference::ALL {
        out.push_str(&format!("| {} | {} |\n", r.key(), cell(r.citation())));
    }
    out
}

/// Every generated part of the document: (marker name, content).
fn generated_parts() -> Vec<(String, String)> {
    let params = ModelParams::default();
    let mut parts: Vec<(String, String)> = ModelParams::modules()
        .into_iter()
        .map(|m| (format!("params:{m}"), params.markdown(Some(m))))
        .collect();
    parts.push(("inducers".into(), catalog_table(Kind::Inducer)));
    parts.push(("interventions".into(), catalog_table(Kind::Intervention)));
    parts.push(("claims".into(), claims_table()));
    parts.push(("references".into(), references_table()));
    parts
}

fn doc_path() -> PathBuf {
    Path::new(ROOT).join(DOC)
}

#[test]
fn model_document_generated_parts_match_the_code() {
    let path = doc_path();
    let mut doc = fs::read_to_string(&path).expect("docs/model.md exists");
    let mut stale = Vec::new();
    for (name, generated) in generated_parts() {
        let (start, end) = (start_marker(&name), end_marker(&name));
        let from = doc
            .find(&start)
            .unwrap_or_else(|| panic!("docs/model.md lacks the marker {start}"))
            + start.len();
        let to = from
            + doc[from..]
                .find(&end)
                .unwrap_or_else(|| panic!("docs/model.md lacks the marker {end}"));
        if doc[from..to] != generated {
            stale.push(name);
            doc.replace_range(from..to, &generated);
        }
    }
    if std::env::var_os("UPDATE_README").is_some() {
        fs::write(&path, doc).expect("docs/model.md writable");
        return;
    }
    assert!(
        stale.is_empty(),
        "docs/model.md is stale in {stale:?}: run UPDATE_README=1 cargo test --release --test it docs::"
    );
}

/// The section numbers of the document's headings (`### 3.3.1 Stress input` gives
/// `3.3.1`, `## 7. Validation` gives `7`).
fn section_numbers(doc: &str) -> BTreeSet<String> {
    doc.lines()
        .filter(|l| l.starts_with('#'))
        .filter_map(|l| {
            let token = l.trim_start_matches('#').split_whitespace().next()?;
            let number = token.trim_end_matches('.');
            (!number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.'))
                .then(|| number.to_string())
        })
        .collect()
}

/// Every text file under `dir` (recursively), skipping build output.
fn text_files(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            text_files(&path, out);
        } else if let Ok(text) = fs::read_to_string(&path) {
            out.push((path, text));
        }
    }
}

/// The sections cited after each `docs/model.md` in `text`: `docs/model.md §3.3.1`,
/// `` `docs/model.md` §3.3.1, §6.1 `` and `docs/model.md §3.3.1 and §6.1` give each number.
fn cited_sections(text: &str) -> Vec<String> {
    let mut sections = Vec::new();
    for (at, _) in text.match_indices(DOC) {
        let mut rest = text[at + DOC.len()..].trim_start_matches('`').trim_start();
        while let Some(after) = rest.strip_prefix('§') {
            let end = after
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(after.len());
            let number = after[..end].trim_end_matches('.');
            if !number.is_empty() {
                sections.push(number.to_string());
            }
            rest = after[end..].trim_start_matches([',', ' ']);
            rest = rest.strip_prefix("and ").unwrap_or(rest);
        }
    }
    sections
}

#[test]
fn every_model_document_citation_names_an_existing_section() {
    let doc = fs::read_to_string(doc_path()).expect("docs/model.md exists");
    let sections = section_numbers(&doc);
    let mut files = Vec::new();
    for dir in ["src", "scenarios", "tests", "docs"] {
        text_files(&Path::new(ROOT).join(dir), &mut files);
    }
    if let Ok(readme) = fs::read_to_string(Path::new(ROOT).join("README.md")) {
        files.push((Path::new(ROOT).join("README.md"), readme));
    }
    let mut missing = Vec::new();
    let mut cited = 0;
    for (path, text) in &files {
        for section in cited_sections(text) {
            cited += 1;
            if !sections.contains(&section) {
                missing.push(format!("{}: §{section}", path.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "citations of sections that docs/model.md does not have:\n{}",
        missing.join("\n")
    );
    assert!(cited > 0, "no citation of docs/model.md found");
}

#[test]
fn no_citation_names_a_file_that_is_not_in_the_repository() {
    let mut files = Vec::new();
    for dir in ["src", "scenarios", "tests", "docs"] {
        text_files(&Path::new(ROOT).join(dir), &mut files);
    }
    let readme = Path::new(ROOT).join("README.md");
    files.push((
        readme.clone(),
        fs::read_to_string(&readme).expect("README.md"),
    ));
    let [bare, design, claims] = forbidden_names();
    let mut offending = Vec::new();
    for (path, text) in &files {
        for (number, line) in text.lines().enumerate() {
            let bare_use = line
                .match_indices(&bare)
                .any(|(at, _)| !line[..at].ends_with("docs/"));
            if bare_use || line.contains(&design) || line.contains(&claims) {
                offending.push(format!(
                    "{}:{}: {}",
                    path.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        offending.is_empty(),
        "citations of files that are not in the repository (cite {DOC} §N):\n{}",
        offending.join("\n")
    );
}

#[test]
fn citations_are_parsed_with_their_lists() {
    assert_eq!(
        cited_sections("(`docs/model.md` §3.3.1, §6.1) and docs/model.md §7 row 2."),
        ["3.3.1", "6.1", "7"]
    );
    assert_eq!(cited_sections("see docs/model.md §6.1."), ["6.1"]);
    let sections = section_numbers("## 7. Validation\n### 3.3.1 Stress\ntext 4.1\n");
    assert!(sections.contains("7") && sections.contains("3.3.1") && sections.len() == 2);
}
