//! `vcsim params`: the parameter table.

use super::CliError;
use super::output::{Sink, write_with};
use clap::{Args, ValueEnum};
use std::io::Write;
use vcsim::model::parameter_set::ModelParams;
use vcsim::model::parameters::closest;

/// Arguments of `vcsim params`.
#[derive(Debug, Args)]
pub struct ParamsArgs {
    /// Only this module (`upr_core`, `stress_input`, `mtorc1`, `autophagy`, `jnk_caspase12`,
    /// `osteogenic`, `apoptosis`, `fate`, `mineral`).
    #[arg(long, value_name = "NAME")]
    module: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Markdown,
    Csv,
}

/// Runs `vcsim params`.
///
/// # Errors
/// An unknown module (exit 1) or a closed standard output (exit 2).
pub fn run(args: &ParamsArgs) -> Result<(), CliError> {
    if let Some(module) = &args.module
        && !ModelParams::modules().contains(&module.as_str())
    {
        let hint = closest(module, ModelParams::modules())
            .map_or(String::new(), |m| format!(", did you mean `{m}`?"));
        return Err(CliError::invalid(format!(
            "unknown module `{module}`{hint} (modules: {})",
            ModelParams::modules().join(", ")
        )));
    }
    let rows: Vec<_> = ModelParams::default()
        .rows()
        .into_iter()
        .filter(|r| args.module.as_deref().is_none_or(|m| m == r.module))
        .collect();
    let format = args.format;
    let args_module = args.module.clone();
    write_with(&Sink::Stdout, |out: &mut dyn Write| {
        match format {
            Format::Markdown => out.write_all(
                ModelParams::default()
                    .markdown(args_module.as_deref())
                    .as_bytes(),
            )?,
            Format::Csv => vcsim::record::write_parameters(out, &rows)?,
        }
        Ok(())
    })
}
