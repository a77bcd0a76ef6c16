//! The README's scenario-file reference is generated from the code and must not drift.
//! `UPDATE_README=1 cargo test --release --test it readme::` rewrites it.

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
        "README scenario reference is stale: run UPDATE_README=1 cargo test --release --test it readme::"
    );
}

#[test]
fn readme_quick_start_commands_come_first() {
    let readme =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let first_block = readme.split("```").nth(1).expect("a code block");
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
