//! `vcsim plot`: figures from a recorded run folder, an experiment folder, a claims
//! report, a calibration or a robustness folder (never re-runs the simulation).

use super::{CliError, ExitKind};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use vcsim::render::{
    CALIBRATION_FIGURES, EXPERIMENT_FIGURES, FIGURES, Format, PlotOptions, RenderError, Style,
    VALIDATION_FIGURES, is_calibration_folder, is_robustness_folder, is_validation_folder,
    plot_calibration_folder, plot_experiment_folder, plot_robustness_folder, plot_run_folder,
    plot_validation_folder,
};

/// Arguments of `vcsim plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A run folder written by `vcsim run`, an experiment folder written by `vcsim compare`
    /// (arm figures, dose-response for a dose series), one of its `<arm>/rep<i>` run
    /// folders, a claims report folder written by `vcsim validate` (claims overview), a
    /// calibration folder written by `vcsim calibrate` (fit and objective history), a
    /// robustness folder written by `vcsim robustness`, or a CSV written by
    /// `vcsim cell --out` (one cell's time courses, drawn beside it).
    dir: PathBuf,
    /// `talk` (1920x1080, large type) or `paper` (single column, 300 dpi).
    #[arg(long, value_enum, default_value_t = StyleArg::Talk)]
    style: StyleArg,
    /// File format.
    #[arg(long, value_enum, default_value_t = FormatArg::Both)]
    format: FormatArg,
    /// Only these figures (repeatable). A run: `mineral-wall`, `mineral-wall-days`,
    /// `wall-section`, `mineral-radial` (a vessel), `timecourses`, `animation`; an
    /// experiment: `arm-comparison`, `timecourses-arms`, `dose-response`; a validation:
    /// `claims-overview`, `predicted-vs-observed`; a calibration: `calibration-fit`,
    /// `calibration-history`.
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

/// What kind of folder `vcsim plot` was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Folder {
    /// A run folder from `vcsim run` (or one replicate of an experiment).
    Run,
    /// An experiment folder from `vcsim compare`.
    Experiment,
    /// A claims report from `vcsim validate`.
    Validation,
    /// A calibration folder from `vcsim calibrate`.
    Calibration,
    /// A robustness folder from `vcsim robustness`.
    Robustness,
}

impl Folder {
    fn of(dir: &Path) -> Self {
        if dir.join("experiment.json").is_file() {
            Self::Experiment
        } else if is_validation_folder(dir) {
            Self::Validation
        } else if is_calibration_folder(dir) {
            Self::Calibration
        } else if is_robustness_folder(dir) {
            Self::Robustness
        } else {
            Self::Run
        }
    }

    fn figures(self) -> &'static [&'static str] {
        match self {
            Self::Run => &FIGURES,
            Self::Experiment => &EXPERIMENT_FIGURES,
            Self::Validation => &VALIDATION_FIGURES,
            Self::Calibration => &CALIBRATION_FIGURES,
            Self::Robustness => &["robustness"],
        }
    }
}

/// Renders the figures of a run, experiment or validation folder, mapping errors to exit
/// codes.
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
    // An experiment folder (from `vcsim compare`) gets the arm figures, a claims report
    // (from `vcsim validate`) the claims overview.
    let rendered = match Folder::of(dir) {
        Folder::Experiment => plot_experiment_folder(dir, &options),
        Folder::Validation => plot_validation_folder(dir, &options),
        Folder::Calibration => plot_calibration_folder(dir, &options),
        Folder::Robustness => plot_robustness_folder(dir, &options),
        Folder::Run => plot_run_folder(dir, &options),
    };
    rendered.map_err(|e| {
        let kind = match e {
            RenderError::UnknownFigure { .. } | RenderError::WallNotKept { .. } => {
                ExitKind::Invalid
            }
            _ => ExitKind::Runtime,
        };
        CliError::new(kind, e)
    })
}

/// Runs `vcsim plot`.
///
/// # Errors
/// As [`render`].
pub fn run(args: &PlotArgs) -> Result<(), CliError> {
    // A time course of `vcsim cell`: its figure beside it.
    if vcsim::render::is_cell_csv(&args.dir) {
        let written = render(&args.dir, args.style, args.format, &args.only)?;
        super::note(&format!(
            "{} figure files beside {} (one cell's time courses)",
            written.len(),
            args.dir.display()
        ));
        return Ok(());
    }
    // Figures of an earlier `plot` that was killed (`.animation.partial-PID-....gif`).
    let removed = vcsim::record::atomic::remove_stale_in(&args.dir, ".")
        .map_err(|e| CliError::runtime(e.to_string()))?;
    super::note_removed(&removed);
    let written = render(&args.dir, args.style, args.format, &args.only)?;
    // The figures drawn: those asked for, or every figure of the folder.
    // A run that kept less than every wall snapshot (`--wall`) has fewer figures.
    let folder = Folder::of(&args.dir);
    let (not_kept, why) = match folder {
        Folder::Run => vcsim::render::figures_not_kept(vcsim::render::wall_kept(&args.dir)),
        Folder::Experiment | Folder::Validation | Folder::Calibration | Folder::Robustness => {
            (&[][..], "")
        }
    };
    let figures = if args.only.is_empty() {
        folder
            .figures()
            .iter()
            .filter(|f| !not_kept.contains(f))
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        args.only.join(", ")
    };
    let left_out = if args.only.is_empty() && !not_kept.is_empty() {
        format!("; not drawn: {}, as {why}", not_kept.join(", "))
    } else {
        String::new()
    };
    super::note(&format!(
        "{} figure files in {} (figures: {figures}){left_out}",
        written.len(),
        args.dir.display()
    ));
    Ok(())
}
