//! The README's scenario-file reference is generated from the code and must not drift.
//! `UPDATE_README=1 cargo test --release --test readme` rewrites it.

use std::fs;

const START: &str = "<!-- scenario-reference:start -->\n";
const END: &str = "<!-- scenario-reference:end -->";

#[test]
fn readme_scenario_reference_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = fs::read_to_string(path).expect("README.md exists");
    let start = readme.find(START).expect("start marker") + START.len();
    let end = readme.find(END).expect("end marker");
    let generated = vcsim::scenario::reference::reference_markdown();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..start], generated, &readme[end..]);
        fs::write(path, updated).expect("README.md writable");
        return;
    }
    assert!(
        readme[start..end] == generated,
        "README scenario reference is stale: run UPDATE_README=1 cargo test --release --test readme"
    );
}

#[test]
fn readme_quick_start_commands_come_first() {
    let readme =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let first_block = readme.split("```").nth(1).expect("a code block");
    assert!(first_block.contains("cargo run --release -- compare scenarios/interventions.toml"));
    assert!(first_block.contains("cargo run --release -- run scenarios/calcifying-medium.toml"));
    assert!(first_block.contains("cargo test --release"));
    let ci = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).expect(".ci/run");
    assert!(
        ci.contains("cargo test --release\n"),
        ".ci/run must run the README's test command"
    );
}

/// `docs/catalog.md`: the catalog reference the README links, generated from the code.
#[test]
fn catalog_reference_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/catalog.md");
    let generated = format!(
        "# The catalog of inducers and interventions\n\n\
         Generated from the code (`vcsim catalog`); `tests/readme.rs` fails if it drifts \
         (`UPDATE_README=1 cargo test --release --test readme` rewrites it). Doses act \
         relative to the typical dose: additive effects scale linearly, fractional blocks \
         follow an Emax curve, multiplicative effects as a power; gene and parameter \
         manipulations act for the whole run.\n\n{}",
        vcsim::treatment::catalog::catalog_markdown()
    );
    if std::env::var_os("UPDATE_README").is_some() {
        fs::write(path, &generated).expect("docs/catalog.md writable");
        return;
    }
    let stored = fs::read_to_string(path).unwrap_or_default();
    assert!(
        stored == generated,
        "docs/catalog.md is stale: run UPDATE_README=1 cargo test --release --test readme"
    );
    let readme =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(
        readme.contains("(docs/catalog.md)"),
        "README must link docs/catalog.md"
    );
}
