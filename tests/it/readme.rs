//! The README and the generated parts of `docs/` must not drift from the code.
//! `UPDATE_README=1 cargo test --release --test it readme::` rewrites the generated parts.

use std::fs;
use std::path::Path;

use crate::common::vcsim;

const START: &str = "<!-- scenario-reference:start -->\n";
const END: &str = "<!-- scenario-reference:end -->";

fn repo_file(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `docs/scenarios.md`: the scenario-file reference between its markers is generated from
/// the bounds table (`src/scenario/reference.rs`).
#[test]
fn scenario_reference_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scenarios.md");
    let doc = repo_file("docs/scenarios.md");
    let start = doc.find(START).expect("start marker") + START.len();
    let end = doc.find(END).expect("end marker");
    let generated = vcsim::scenario::reference::reference_markdown();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &doc[..start], generated, &doc[end..]);
        fs::write(path, updated).expect("docs/scenarios.md writable");
        return;
    }
    assert!(
        doc[start..end] == generated,
        "docs/scenarios.md scenario reference is stale: run UPDATE_README=1 cargo test --release --test it readme::"
    );
}

/// The README stays a first hour, not a manual: internals live in `docs/`.
#[test]
fn readme_is_short_and_links_its_documents() {
    let readme = repo_file("README.md");
    let lines = readme.lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines; move detail to docs/"
    );
    // Every relative link of the README names a file of the repository.
    for (i, _) in readme.match_indices("](") {
        let rest = &readme[i + 2..];
        let target = &rest[..rest.find(')').expect("closing parenthesis")];
        if target.starts_with("http") || target.starts_with('#') {
            continue;
        }
        let file = target.split('#').next().unwrap_or(target);
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(file).exists(),
            "README.md links {target}, which is not in the repository"
        );
    }
}

/// The tutorial's TOML blocks, in order, are exactly the shipped `scenarios/tutorial.toml`
/// (after its header comment), so a reader who follows the steps gets the file CI runs.
#[test]
fn readme_tutorial_builds_the_shipped_experiment() {
    let readme = repo_file("README.md");
    let tutorial = &readme[readme.find("## Tutorial").expect("a tutorial section")..];
    let tutorial = &tutorial[..tutorial[3..].find("\n## ").expect("a next section") + 3];
    let blocks: Vec<&str> = tutorial
        .split("```toml\n")
        .skip(1)
        .map(|b| &b[..b.find("```").expect("closed block")])
        .collect();
    assert!(blocks.len() >= 2, "the tutorial shows the file in steps");
    let shipped = repo_file("scenarios/tutorial.toml");
    let body: String = shipped
        .lines()
        .skip_while(|l| l.starts_with('#') || l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        blocks.join("\n"),
        body,
        "README tutorial and scenarios/tutorial.toml differ"
    );
}

/// The tutorial's experiment runs (two replicates here, to keep the suite fast), and its
/// summary compares every arm with the first.
#[test]
fn tutorial_experiment_runs() {
    let out = tempfile::tempdir().expect("temp dir");
    let target = out.path().join("tutorial");
    let experiment = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/tutorial.toml");
    let target_arg = target.to_str().expect("utf-8 temp path");
    let run = vcsim(&[
        "compare",
        experiment,
        "--replicates",
        "2",
        "--quiet",
        "--no-plots",
        "--out",
        target_arg,
    ]);
    assert!(run.status.success(), "{}", crate::common::stderr_of(&run));
    let summary = fs::read_to_string(target.join("summary.md")).expect("summary.md");
    for arm in [
        "high phosphate",
        "+ TUDCA",
        "+ TUDCA + 3-MA",
        "+ TUDCA, 25 mM glucose",
    ] {
        assert!(
            summary.contains(&format!("| {arm} |")),
            "summary lacks arm {arm}"
        );
    }
}

#[test]
fn readme_install_then_the_two_commands() {
    let readme = repo_file("README.md");
    // Requirements and install come first, then the two commands (main job, tests).
    let install = readme.find("## Install").expect("an install section");
    let commands = readme
        .find("## The two commands")
        .expect("the two commands");
    assert!(install < commands, "install comes before the commands");
    assert!(readme[install..commands].contains("cargo install --path ."));
    let first_block = readme[commands..]
        .split("```")
        .nth(1)
        .expect("a code block");
    assert!(first_block.contains("cargo run --release -- compare scenarios/interventions.toml"));
    assert!(first_block.contains("cargo run --release -- run scenarios/calcifying-medium.toml"));
    // The test command covers the workspace (the simulator and crates/vcsim-bench).
    let test_command = "cargo test --release --workspace";
    assert!(first_block.contains(&format!("{test_command} ")));
    let ci = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).expect(".ci/run");
    assert!(
        ci.contains(&format!("\n{test_command}\n")),
        ".ci/run must run the README's test command"
    );
}

/// `docs/catalog.md`: the catalog reference the README links, generated from the code.
#[test]
fn catalog_reference_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/catalog.md");
    let generated = format!(
        "# The catalog of inducers and interventions\n\n\
         Generated from the code (`vcsim catalog`); `tests/it/readme.rs` fails if it drifts \
         (`UPDATE_README=1 cargo test --release --test it readme::` rewrites it). Doses act \
         relative to the typical dose: additive effects scale linearly, fractional blocks \
         follow an Emax curve, multiplicative effects as a power; gene deletions act for \
         the whole run, parameter changes (knockdowns, milieus) for the whole run or a \
         time window.\n\n{}",
        vcsim::treatment::catalog::catalog_markdown()
    );
    if std::env::var_os("UPDATE_README").is_some() {
        fs::write(path, &generated).expect("docs/catalog.md writable");
        return;
    }
    let stored = fs::read_to_string(path).unwrap_or_default();
    assert!(
        stored == generated,
        "docs/catalog.md is stale: run UPDATE_README=1 cargo test --release --test it readme::"
    );
    let readme =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(
        readme.contains("(docs/catalog.md)"),
        "README must link docs/catalog.md"
    );
}

/// `docs/parameters.md`: every model parameter with its unit, source and allowed range,
/// generated from the parameter tables.
#[test]
fn parameter_reference_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/parameters.md");
    let generated = format!(
        "# The model's parameters\n\n\
         Generated from the parameter tables in the code (`vcsim params`); `tests/it/readme.rs` \
         fails if it drifts (`UPDATE_README=1 cargo test --release --test it readme::` rewrites \
         it). Each row: the module (pathway), the symbol in the source, the field name (the \
         key in a scenario's `[parameters.<module>]` table), the default value and its unit, \
         what it means, where the value comes from (a paper, a claim of the review, \
         `calibrated: <target>` or `assumed: <why>`) and the range a scenario may set it \
         to.\n\n{}",
        vcsim::model::parameter_set::ModelParams::default().markdown(None)
    );
    if std::env::var_os("UPDATE_README").is_some() {
        fs::write(path, &generated).expect("docs/parameters.md writable");
        return;
    }
    let stored = fs::read_to_string(path).unwrap_or_default();
    assert!(
        stored == generated,
        "docs/parameters.md is stale: run UPDATE_README=1 cargo test --release --test it readme::"
    );
    let readme =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(
        readme.contains("(docs/parameters.md)"),
        "README must link docs/parameters.md"
    );
}

/// The catalog's size, as the README and `docs/commands.md` state it, is the code's.
#[test]
fn the_catalog_counts_in_the_docs_are_the_code_s() {
    use vcsim::treatment::catalog::{CATALOG, Kind};
    let inducers = CATALOG.iter().filter(|e| e.kind == Kind::Inducer).count();
    let interventions = CATALOG
        .iter()
        .filter(|e| e.kind == Kind::Intervention)
        .count();
    assert_eq!(inducers + interventions, CATALOG.len());
    let readme =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let lists = format!("`vcsim catalog` lists the {} inducers", CATALOG.len());
    assert!(readme.contains(&lists), "README must say: {lists}");
    let commands = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/commands.md"))
        .expect("docs/commands.md");
    let counts = format!(
        "Lists the {} inducers ({inducers}) and interventions ({interventions})",
        CATALOG.len()
    );
    assert!(
        commands.contains(&counts),
        "docs/commands.md must say: {counts}"
    );
}
