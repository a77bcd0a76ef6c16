//! `vcsim catalog`: the inducers and interventions, with doses, mechanisms and sources.

use super::CliError;
use super::output::{Sink, write_with};
use clap::Args;
use std::io::Write;
use vcsim::treatment::catalog::catalog_markdown;

/// Arguments of `vcsim catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {}

/// Runs `vcsim catalog`.
///
/// # Errors
/// A closed standard output (exit 2).
pub fn run(_args: &CatalogArgs) -> Result<(), CliError> {
    write_with(&Sink::Stdout, |out: &mut dyn Write| {
        write!(out, "{}", catalog_markdown())
    })
}
