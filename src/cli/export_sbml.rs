//! `vcsim export-sbml`: the single-cell model as SBML Level 3 Version 2.

use super::CliError;
use super::cell::{ConditionArgs, ParameterArgs, VariantArg};
use super::output::{Sink, preflight, write_with};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use vcsim::model::cell::CellModel;
use vcsim::model::sbml::{ExportInfo, cell_model_sbml};

/// Arguments of `vcsim export-sbml`.
#[derive(Debug, Args)]
pub struct ExportSbmlArgs {
    /// Which model: the VSMC model with mTORC1 and autophagy feedback on the core
    /// (`vsmc`), or the published Diedrichs 2018 core with the VSMC modules as readouts
    /// (`published`); the same equations as `vcsim cell --model`.
    #[arg(long, value_enum, default_value_t = VariantArg::Vsmc)]
    model: VariantArg,
    /// The conditions, written into the file as parameters and initial values.
    #[command(flatten)]
    condition: ConditionArgs,
    #[command(flatten)]
    values: ParameterArgs,
    /// Write the SBML to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace --out if it exists.
    #[arg(long)]
    force: bool,
}

/// Runs `vcsim export-sbml`.
///
/// # Errors
/// Invalid flags or an existing `--out` without `--force` (exit 1); an I/O failure (exit 2).
pub fn run(args: &ExportSbmlArgs) -> Result<(), CliError> {
    let mut problems = Vec::new();
    args.condition.check(&mut problems);
    if !problems.is_empty() {
        return Err(CliError::invalid(problems.join("; ")));
    }
    let surroundings = args.condition.surroundings();
    let params = args.values.cell_params()?;
    let sink = args.out.as_ref().map_or(Sink::Stdout, |path| Sink::File {
        path: path.clone(),
        force: args.force,
    });
    let _lock = preflight(&sink)?;
    let knockouts = args.condition.knockouts();
    let model = CellModel::new(params, &knockouts, args.model.into());
    let generator = concat!("vcsim ", env!("CARGO_PKG_VERSION"));
    let text = cell_model_sbml(
        &model,
        &surroundings,
        &ExportInfo {
            knockouts: &knockouts,
            generator,
            parameters_file: args.values.file().as_deref(),
        },
    );
    write_with(&sink, |out: &mut dyn Write| out.write_all(text.as_bytes()))
}
