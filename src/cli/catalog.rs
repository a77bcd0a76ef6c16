//! `vcsim catalog`: the inducers and interventions, with doses, mechanisms and sources.

use super::CliError;
use super::output::{Sink, write_with};
use clap::{Args, ValueEnum};
use std::io::{self, Write};
use vcsim::treatment::catalog::{CatalogRow, catalog_rows, rows_markdown};

/// Arguments of `vcsim catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Only the entries whose id, name, kind, mechanism, effects or claims contain this
    /// text (case does not matter), e.g. `autophagy`, `OS-3`, `knockdown`.
    #[arg(value_name = "TEXT")]
    filter: Option<String>,
    /// Output format: a Markdown table, CSV (one row per entry) or JSON (an array).
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Md,
    Csv,
    Json,
}

/// Whether `row` mentions `text` (lower case) in a field a reader searches by.
fn mentions(row: &CatalogRow, text: &str) -> bool {
    [
        row.id,
        row.name,
        row.kind,
        row.mechanism,
        row.acts_on.as_str(),
    ]
    .into_iter()
    .chain(row.claims.iter().copied())
    .any(|field| field.to_lowercase().contains(text))
}

fn write_csv(out: &mut dyn Write, rows: &[CatalogRow]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "name",
        "kind",
        "dose_unit",
        "typical_dose",
        "allowed_doses",
        "acts_on",
        "mechanism",
        "claims",
        "sources",
    ])
    .map_err(io::Error::other)?;
    for r in rows {
        w.write_record([
            r.id.to_string(),
            r.name.to_string(),
            r.kind.to_string(),
            r.dose_unit.to_string(),
            r.typical_dose.to_string(),
            r.allowed_doses.clone(),
            r.acts_on.clone(),
            r.mechanism.to_string(),
            r.claims.join(" "),
            r.sources.to_string(),
        ])
        .map_err(io::Error::other)?;
    }
    w.flush()
}

/// Runs `vcsim catalog`.
///
/// # Errors
/// A filter that matches nothing (exit 1); a closed standard output is not an error.
pub fn run(args: &CatalogArgs) -> Result<(), CliError> {
    let mut rows = catalog_rows();
    if let Some(filter) = &args.filter {
        let text = filter.to_lowercase();
        rows.retain(|row| mentions(row, &text));
        if rows.is_empty() {
            return Err(CliError::invalid(format!(
                "catalog {filter:?}: no entry's id, name, kind, mechanism, effects or claims \
                 mention it (`vcsim catalog` lists all {} entries)",
                catalog_rows().len()
            )));
        }
    }
    let format = args.format;
    write_with(&Sink::Stdout, |out: &mut dyn Write| match format {
        Format::Md => out.write_all(rows_markdown(&rows).as_bytes()),
        Format::Csv => write_csv(out, &rows),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(io::Error::other)?;
            writeln!(out)
        }
    })
}
