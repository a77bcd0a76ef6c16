//! `vcsim plot`: figures from a recorded run folder (never re-runs the simulation).

use super::CliError;
use crate::render::{
    FIGURES, Format, PlotOptions, RenderError, Style, plot_experiment_folder, plot_run_folder,
};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// Arguments of `vcsim plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A run folder written by `vcsim run`, an experiment folder written by `vcsim compare`
    /// (arm figures), or one of its `<arm>/rep<i>` run folders.
    dir: PathBuf,
    /// `talk` (1920x1080, large type) or `paper` (single column, 300 dpi).
    #[arg(long, value_enum, default_value_t = StyleArg::Talk)]
    style: StyleArg,
    /// File format.
    #[arg(long, value_enum, default_value_t = FormatArg::Both)]
    format: FormatArg,
    /// Only these figures (repeatable).
    #[arg(long, value_name = "NAME")]
    only: Vec<String>,
}

/// Look of the figures.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StyleArg {
    /// Slides.
    Talk,
    /// Journal column.
    Paper,
}

/// File format of the figures.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// PNG (and the GIF animation).
    Png,
    /// SVG.
    Svg,
    /// PNG and SVG.
    Both,
}

/// Renders the figures of a run folder, mapping errors to exit codes.
///
/// # Errors
/// An unknown figure name (exit 1); missing or damaged files, drawing or I/O failures (exit 2).
pub fn render(
    dir: &Path,
    style: StyleArg,
    format: FormatArg,
    only: &[String],
) -> Result<Vec<PathBuf>, CliError> {
    let options = PlotOptions {
        style: match style {
            StyleArg::Talk => Style::Talk,
            StyleArg::Paper => Style::Paper,
        },
        format: match format {
            FormatArg::Png => Format::Png,
            FormatArg::Svg => Format::Svg,
            FormatArg::Both => Format::Both,
        },
        only: only.to_vec(),
    };
    // An experiment folder (from `vcsim compare`) gets the arm figures.
    let rendered = if dir.join("experiment.json").is_file() {
        plot_experiment_folder(dir, &options)
    } else {
        plot_run_folder(dir, &options)
    };
    rendered.map_err(|e| match e {
        RenderError::UnknownFigure { .. } => CliError::Invalid(e.to_string()),
        _ => CliError::Runtime(e.to_string()),
    })
}

/// Runs `vcsim plot`.
///
/// # Errors
/// As [`render`].
pub fn run(args: &PlotArgs) -> Result<(), CliError> {
    let written = render(&args.dir, args.style, args.format, &args.only)?;
    super::note(&format!(
        "{} figure files in {} (figures: {})",
        written.len(),
        args.dir.display(),
        FIGURES.join(", ")
    ));
    Ok(())
}
