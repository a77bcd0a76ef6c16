//! `vcsim catalog`: the inducers and interventions, with doses, mechanisms and sources.

use super::CliError;
use super::output::{Sink, write_with};
use crate::experiment::catalog::{CATALOG, Effect, Kind};
use clap::Args;
use std::io::Write;

/// Arguments of `vcsim catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {}

/// Runs `vcsim catalog`.
///
/// # Errors
/// A closed standard output (exit 2).
pub fn run(_args: &CatalogArgs) -> Result<(), CliError> {
    write_with(&Sink::Stdout, |out: &mut dyn Write| {
        writeln!(
            out,
            "| id | name | kind | dose unit | typical dose | acts on (at the typical dose) | mechanism | claims | sources |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
        for e in CATALOG {
            let effects: Vec<String> = e.effects.iter().map(Effect::describe).collect();
            let kind = match e.kind {
                Kind::Inducer => "inducer",
                Kind::Intervention => "intervention",
            };
            writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} |",
                e.id,
                e.name,
                kind,
                e.dose_unit,
                e.typical_dose,
                effects.join("; "),
                e.mechanism,
                e.claims.join(", "),
                e.sources
            )?;
        }
        Ok(())
    })
}
