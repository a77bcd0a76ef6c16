//! Figures of a recorded run folder: the unrolled wall's mineral, a wall section with
//! every cell's state, the population time courses and an animation of the wall over the
//! snapshots; of an experiment folder from `vcsim compare` (arm comparison, per-arm time
//! courses, dose-response for a dose series, [`plot_experiment_folder`]); and of a claims
//! report from `vcsim validate` (a forest plot of every claim, [`plot_validation_folder`]).
//!
//! The renderer reads only the recorded files (`timeseries.csv`, `wall.csv` and, for the
//! scenario name in titles, `manifest.json`; `experiment.json` and `summary.csv`;
//! `validation.csv`); it never runs a simulation. Text is drawn
//! with `DejaVu Sans` compiled into the binary, so figures look the same on any machine,
//! need no system fonts, and the same data always gives the same bytes. Fields use
//! viridis and categories the Okabe-Ito palette, both safe for colour-blind readers.
//!
//! ```no_run
//! use vcsim::render::{plot_run_folder, Format, PlotOptions, Style};
//!
//! let options = PlotOptions { style: Style::Talk, format: Format::Both, only: vec![] };
//! let written = plot_run_folder(std::path::Path::new("output/calcifying-medium"), &options)?;
//! # Ok::<(), vcsim::render::RenderError>(())
//! ```

mod calibration;
mod chart;
mod data;
mod dose;
mod experiment;
mod experiment_folder;
mod quantitative;
mod radial;
mod robustness;
mod sensitivity;
mod style;
mod svg;
mod sweep;
mod text;
mod timecourse;
mod validation;
mod wall;

use plotters::coord::Shift;
use plotters::prelude::*;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::record::{ReadError, WallKept, atomic};
pub use calibration::{CALIBRATION_FIGURES, is_calibration_folder, plot_calibration_folder};
use data::{Timeseries, Wall};
pub use experiment::{EXPERIMENT_FIGURES, plot_experiment_folder};
pub use robustness::{is_robustness_folder, plot_robustness_folder};
pub use sensitivity::{is_sensitivity_folder, plot_sensitivity_folder};
use style::{Canvas, canvas};
pub use sweep::{is_sweep_folder, plot_sweep_folder};
pub use text::TextBox;
use text::Typeset;
pub use validation::{VALIDATION_FIGURES, is_validation_folder, plot_validation_folder};
pub use wall::equal_aspect_plot;

/// Look of the figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A 1920 × 1080 slide: axis labels 32 px, tick labels 26 px, 5 px lines.
    Talk,
    /// A single journal column, 1050 px wide (3.5 in at 300 dpi), with 7-9 pt text.
    Paper,
}

/// Files to write for each figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// PNG images (and the GIF animation).
    Png,
    /// SVG drawings (no animation).
    Svg,
    /// Both.
    Both,
}

impl Format {
    const fn png(self) -> bool {
        matches!(self, Self::Png | Self::Both)
    }

    const fn svg(self) -> bool {
        matches!(self, Self::Svg | Self::Both)
    }
}

/// What to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlotOptions {
    /// Talk or paper.
    pub style: Style,
    /// PNG, SVG or both.
    pub format: Format,
    /// Figure names (from [`FIGURES`]) to render; empty renders all that apply.
    pub only: Vec<String>,
}

/// Names of the figures a run folder can produce, in rendering order.
///
/// - `mineral-wall`: the unrolled wall's mineral at the final snapshot (heatmap, colour
///   bar, axial profile, the regions of osteogenic cells and apoptotic bodies outlined);
/// - `mineral-wall-days`: the same for every earlier snapshot, as
///   `mineral-wall-day<D>` (same colour scale);
/// - `wall-section`: every cell's state over the mineral at the final snapshot, as a
///   longitudinal section of a vessel or the top view of a monolayer;
/// - `mineral-radial`: the radial profile of a vessel's mineral at the final snapshot,
///   lumen to adventitia (mean and spread per layer, lamellae marked, the cell-free
///   adventitia shaded); not drawn for a culture well, which has one layer;
/// - `timecourses`: UPR markers, phenotypes, apoptosis, autophagy and mTORC1, the
///   osteogenic switch and calcium content over time;
/// - `animation`: `animation.gif`, the unrolled wall's mineral at every snapshot (only
///   with PNG output).
pub const FIGURES: [&str; 6] = [
    "mineral-wall",
    "mineral-wall-days",
    "wall-section",
    "mineral-radial",
    "timecourses",
    "animation",
];

/// Why figures could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A folder or file the figures need is not there.
    #[error("{}: not found{}", path.display(), missing_hint(path))]
    MissingFile {
        /// The missing folder or file.
        path: PathBuf,
    },
    /// A recorded file is damaged or truncated.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line (1 = header).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Drawing or encoding a figure failed.
    #[error("figure {figure}: {message}")]
    Draw {
        /// The figure name.
        figure: &'static str,
        /// What failed.
        message: String,
    },
    /// A file was given where a result folder is expected.
    #[error(
        "{}: is a file; plot takes a result folder (written by `vcsim run`, `vcsim compare` or \
         `vcsim validate`){hint}",
        path.display()
    )]
    NotAFolder {
        /// The file.
        path: PathBuf,
        /// What the file is, if known, and what to give instead.
        hint: String,
    },
    /// A figure file could not be written.
    #[error("{}: cannot write the figure: {message}", path.display())]
    Write {
        /// The figure file.
        path: PathBuf,
        /// Why, in words.
        message: String,
    },
    /// A figure name that is not in [`FIGURES`].
    #[error("unknown figure `{name}` (known: {})", known.join(", "))]
    UnknownFigure {
        /// The name asked for.
        name: String,
        /// The known names.
        known: Vec<&'static str>,
    },
    /// A figure asked for by name needs wall snapshots the run did not keep (`--wall`).
    #[error(
        "figure {figure}: {}; run it again with `--wall {}`",
        not_kept_reason(*kept),
        if matches!(kept, WallKept::None) { "last` (the final mineral map and wall section) or `--wall all" } else { "all" }
    )]
    WallNotKept {
        /// The figure asked for.
        figure: &'static str,
        /// What the run kept.
        kept: WallKept,
    },
}

/// Why a run folder's wall figures are missing, in words.
fn not_kept_reason(kept: WallKept) -> &'static str {
    match kept {
        WallKept::None => "this run kept no wall.csv (it was run with `--wall none`)",
        WallKept::Last => {
            "this run kept only the last wall snapshot (it was run with `--wall last`)"
        }
        WallKept::All => "this run kept every wall snapshot",
    }
}

/// Which wall snapshots the run folder `dir` kept (`wall_kept` of its `manifest.json`);
/// every snapshot for a folder whose manifest does not say (written before the choice
/// existed, or without a manifest).
#[must_use]
pub fn wall_kept(dir: &Path) -> WallKept {
    data::read_manifest(&dir.join("manifest.json"))
        .ok()
        .flatten()
        .and_then(|json| json["wall_kept"].as_str().and_then(WallKept::from_name))
        .unwrap_or(WallKept::All)
}

/// The figures of [`FIGURES`] that a run which kept `kept` of its wall cannot have, and
/// why, in words (empty for a run that kept every snapshot).
#[must_use]
pub fn figures_not_kept(kept: WallKept) -> (&'static [&'static str], &'static str) {
    let figures: &'static [&'static str] = match kept {
        WallKept::None => &[
            "mineral-wall",
            "mineral-wall-days",
            "wall-section",
            "mineral-radial",
            "animation",
        ],
        WallKept::Last => &["mineral-wall-days", "animation"],
        WallKept::All => &[],
    };
    (figures, not_kept_reason(kept))
}

impl From<ReadError> for RenderError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Missing { path } => Self::MissingFile { path },
            ReadError::Io { path, source } => Self::Io { path, source },
            ReadError::Parse {
                path,
                line,
                message,
            } => Self::Parse {
                path,
                line,
                message,
            },
        }
    }
}

/// [`RenderError::NotAFolder`] for the file `path`, saying what it is where that is known:
/// a file of a result folder (plot takes the folder). A `vcsim cell` time course is not
/// refused: [`plot_cell_csv`] draws it.
fn not_a_folder(path: &Path) -> RenderError {
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let hint = if matches!(
        file_name,
        "timeseries.csv"
            | "wall.csv"
            | "manifest.json"
            | "experiment.json"
            | "summary.csv"
            | "validation.csv"
    ) {
        format!(
            "; {file_name} belongs to a result folder: `vcsim plot {}`",
            folder.display()
        )
    } else {
        String::new()
    };
    RenderError::NotAFolder {
        path: path.to_path_buf(),
        hint,
    }
}

/// Whether the first line of the file `path` starts with `prefix` (only the first bytes
/// are read).
fn first_line_starts_with(path: &Path, prefix: &str) -> bool {
    use std::io::Read as _;
    let mut start = vec![0u8; prefix.len()];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut start))
        .is_ok_and(|()| start == prefix.as_bytes())
}

/// What writes a missing file, for [`RenderError::MissingFile`].
fn missing_hint(path: &Path) -> &'static str {
    match path.file_name().and_then(|n| n.to_str()) {
        Some("timeseries.csv" | "wall.csv") => {
            " (a run folder from `vcsim run` holds timeseries.csv and wall.csv)"
        }
        Some("experiment.json" | "summary.csv") => {
            " (an experiment folder from `vcsim compare` holds experiment.json and summary.csv)"
        }
        Some("validation.csv") => " (`vcsim validate` writes it with validation.md)",
        _ => "",
    }
}

/// Renders the figures of the run folder `dir` into it and returns the files written, in
/// [`FIGURES`] order.
///
/// # Errors
/// [`RenderError::MissingFile`] if `dir` or a file a requested figure needs is missing,
/// [`RenderError::Parse`] for a damaged or truncated CSV (naming the line),
/// [`RenderError::UnknownFigure`] for a name in `only` that is not in [`FIGURES`],
/// [`RenderError::Draw`] if drawing fails or the animation is asked for without PNG
/// output, and [`RenderError::Io`] if a file cannot be written.
pub fn plot_run_folder(dir: &Path, options: &PlotOptions) -> Result<Vec<PathBuf>, RenderError> {
    let mut wanted = selected(&options.only)?;
    if dir.is_file() {
        if is_cell_csv(dir) {
            return plot_cell_csv(dir, options);
        }
        return Err(not_a_folder(dir));
    }
    if !dir.is_dir() {
        return Err(RenderError::MissingFile {
            path: dir.to_path_buf(),
        });
    }
    // A run of `--wall none` or `--wall last` cannot have some wall figures: asked for by
    // name they are an error saying so; otherwise they are left out.
    let kept = wall_kept(dir);
    let (not_kept, _) = figures_not_kept(kept);
    if let Some(figure) = wanted
        .iter()
        .find(|f| not_kept.contains(f) && options.only.iter().any(|o| o == *f))
    {
        return Err(RenderError::WallNotKept { figure, kept });
    }
    wanted.retain(|f| !not_kept.contains(f));
    // A damaged manifest is reported before any figure is drawn.
    let name = data::scenario_name(dir)?;
    let explicit = !options.only.is_empty();
    if explicit && wanted.contains(&"animation") && !options.format.png() {
        return Err(RenderError::Draw {
            figure: "animation",
            message: "the animation is a GIF, written only with PNG output (format png or both)"
                .to_string(),
        });
    }
    if !style::register_fonts() {
        return Err(RenderError::Draw {
            figure: wanted.first().copied().unwrap_or("mineral-wall"),
            message: "the embedded font could not be loaded".to_string(),
        });
    }
    let needs_series = wanted.contains(&"timecourses");
    let needs_wall = wanted.iter().any(|w| *w != "timecourses");
    let series = if needs_series {
        Some(Timeseries::read(&dir.join("timeseries.csv"))?)
    } else {
        None
    };
    let wall = if needs_wall {
        Some(Wall::read(&dir.join("wall.csv"))?)
    } else {
        None
    };
    let run_scale = wall.as_ref().map(wall::RunScale::of);
    let mut written = Vec::new();
    for figure in wanted {
        match (figure, &wall, &series) {
            ("mineral-wall", Some(wall), _) => {
                let scale = run_scale
                    .clone()
                    .unwrap_or_else(|| wall::RunScale::of(wall));
                let fig =
                    wall::MineralWall::new(wall, wall.snapshots.len() - 1, name.as_deref(), &scale);
                let size = canvas(options.style, Canvas::WallMap);
                written.extend(write_figure(dir, figure, figure, size, options, &fig)?);
            }
            ("mineral-wall-days", Some(wall), _) => {
                for i in 0..wall.snapshots.len().saturating_sub(1) {
                    let scale = run_scale
                        .clone()
                        .unwrap_or_else(|| wall::RunScale::of(wall));
                    let fig = wall::MineralWall::new(wall, i, name.as_deref(), &scale);
                    let stem = format!(
                        "mineral-wall-day{}",
                        style::format_day(wall.snapshots[i].time_days)
                    );
                    let size = canvas(options.style, Canvas::WallMap);
                    written.extend(write_figure(dir, &stem, figure, size, options, &fig)?);
                }
            }
            ("wall-section", Some(wall), _) => {
                let scale = run_scale
                    .clone()
                    .unwrap_or_else(|| wall::RunScale::of(wall));
                let fig = wall::Section::new(wall, name.as_deref(), &scale);
                let size = canvas(options.style, Canvas::Section);
                written.extend(write_figure(dir, figure, figure, size, options, &fig)?);
            }
            ("mineral-radial", Some(wall), _) => {
                if wall.is_vessel() {
                    let fig = radial::Radial::new(wall, name.as_deref());
                    let size = canvas(options.style, Canvas::Section);
                    written.extend(write_figure(dir, figure, figure, size, options, &fig)?);
                } else if explicit {
                    return Err(RenderError::Draw {
                        figure: "mineral-radial",
                        message: "a culture well has one layer, so no radial profile (the \
                                  figure is drawn for vessel geometries)"
                            .to_string(),
                    });
                }
            }
            ("timecourses", _, Some(series)) => {
                let every = data::medium_change_days(&dir.join("manifest.json"));
                let windows = data::treatment_windows(&dir.join("manifest.json"));
                let fig = timecourse::Timecourses::new(series, name.as_deref(), every, windows)?;
                let size = canvas(options.style, Canvas::Grid);
                written.extend(write_figure(dir, figure, figure, size, options, &fig)?);
            }
            ("animation", Some(wall), _)
                if options.format.png() && (explicit || wall.snapshots.len() > 1) =>
            {
                let size = canvas(options.style, Canvas::Frame);
                let scale = run_scale
                    .clone()
                    .unwrap_or_else(|| wall::RunScale::of(wall));
                written.push(write_animation(
                    dir,
                    wall,
                    name.as_deref(),
                    &scale,
                    size,
                    options.style,
                )?);
            }
            _ => {}
        }
    }
    Ok(written)
}

/// Whether `path` is a time course written by `vcsim cell` (its header starts with
/// `time_min,`).
#[must_use]
pub fn is_cell_csv(path: &Path) -> bool {
    path.is_file() && first_line_starts_with(path, "time_min,")
}

/// Draws the time courses of one cell from the CSV `path` written by `vcsim cell`
/// (UPR sensors and outputs, mTORC1 and autophagy, death routes, the osteogenic markers
/// and survival against time in hours) beside it, as `<stem>.png`/`.svg` (`<stem>-paper`
/// in paper style); returns the files written.
///
/// # Errors
/// [`RenderError::Parse`] for a CSV without the columns of `vcsim cell`,
/// [`RenderError::Io`] and [`RenderError::Draw`] as [`plot_run_folder`].
pub fn plot_cell_csv(path: &Path, options: &PlotOptions) -> Result<Vec<PathBuf>, RenderError> {
    if !style::register_fonts() {
        return Err(RenderError::Draw {
            figure: "cell",
            message: "the embedded font could not be loaded".to_string(),
        });
    }
    let fig = timecourse::Timecourses::of_cell(path)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("cell")
        .to_string();
    let size = canvas(options.style, Canvas::Grid);
    write_figure(dir, &stem, "cell", size, options, &fig)
}

/// The figures to render, in [`FIGURES`] order.
fn selected(only: &[String]) -> Result<Vec<&'static str>, RenderError> {
    for name in only {
        if !FIGURES.contains(&name.as_str()) {
            return Err(RenderError::UnknownFigure {
                name: name.clone(),
                known: FIGURES.to_vec(),
            });
        }
    }
    Ok(FIGURES
        .iter()
        .copied()
        .filter(|f| only.is_empty() || only.iter().any(|o| o == f))
        .collect())
}

/// A figure that can draw itself on any plotters backend.
pub(crate) trait Figure {
    /// Draws the figure on `root` (already filled white).
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: Style,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

/// Turns a plotters error into a [`RenderError::Draw`].
fn draw_error<E: std::error::Error + Send + Sync>(
    figure: &'static str,
) -> impl Fn(DrawingAreaErrorKind<E>) -> RenderError {
    move |e| RenderError::Draw {
        figure,
        message: e.to_string(),
    }
}

/// Turns an error of the bitmap backend writing the figure file `path` into a
/// [`RenderError::Write`] naming `path` and the reason (the backend's own message is a
/// Rust debug dump); other drawing errors into [`RenderError::Draw`].
fn bitmap_error(
    figure: &'static str,
    path: &Path,
) -> impl Fn(DrawingAreaErrorKind<plotters_bitmap::BitMapBackendError>) -> RenderError {
    use plotters::drawing::DrawingAreaErrorKind::BackendError;
    use plotters_backend::DrawingErrorKind::DrawingError;
    use plotters_bitmap::BitMapBackendError as E;
    move |e| {
        let message = match &e {
            BackendError(DrawingError(E::IOError(source))) => source.to_string(),
            BackendError(DrawingError(E::ImageError(source))) => source.to_string(),
            BackendError(DrawingError(E::GifEncodingError(source))) => source.to_string(),
            BackendError(DrawingError(E::InvalidBuffer)) => "invalid pixel buffer".to_string(),
            _ => return draw_error(figure)(e),
        };
        RenderError::Write {
            path: path.to_path_buf(),
            message,
        }
    }
}

/// A temporary file beside `path` for a figure (see [`atomic::AtomicFile`]).
fn temporary(path: &Path) -> Result<atomic::AtomicFile, RenderError> {
    atomic::AtomicFile::new(path).map_err(io_error)
}

/// Moves a finished figure into place, replacing an earlier one.
fn finish(file: atomic::AtomicFile) -> Result<(), RenderError> {
    file.commit(true).map_err(io_error)
}

/// An atomic-write failure as a [`RenderError::Io`] naming the final path.
fn io_error(e: atomic::AtomicError) -> RenderError {
    RenderError::Io {
        path: e.path,
        source: e.source,
    }
}

/// The file stem of a figure in a style: `stem` for talk (what `vcsim run`, `compare` and
/// `validate` draw), `stem-paper` for paper, so that the two styles never overwrite each
/// other and both can sit in one result folder.
#[must_use]
pub fn styled_stem(stem: &str, style: Style) -> String {
    match style {
        Style::Talk => stem.to_string(),
        Style::Paper => format!("{stem}-paper"),
    }
}

thread_local! {
    /// When set, figures are laid out and their text kept here instead of written
    /// ([`text_layout`]).
    static LAYOUT: std::cell::RefCell<Option<Vec<FigureText>>> =
        const { std::cell::RefCell::new(None) };
}

/// Whether figures are being laid out only ([`text_layout`]).
fn laying_out() -> bool {
    LAYOUT.with(|l| l.borrow().is_some())
}

/// The text of one figure as laid out: its file stem, canvas size and every text element.
#[derive(Clone, Debug)]
pub struct FigureText {
    /// File stem (`mineral-wall`, `claims-overview-2-paper`, `animation` for a frame).
    pub stem: String,
    /// \[px\] Canvas width and height.
    pub size: (u32, u32),
    /// Every text element drawn.
    pub boxes: Vec<TextBox>,
}

/// Lays out the figures `vcsim plot dir` draws with `options` (run, experiment or claims
/// report folder) without writing any file, and returns every text element of every
/// figure (and animation frame) with its box: for checking that no text leaves its
/// canvas or is cut.
///
/// # Errors
/// As [`plot_run_folder`], [`plot_experiment_folder`] and [`plot_validation_folder`].
pub fn text_layout(dir: &Path, options: &PlotOptions) -> Result<Vec<FigureText>, RenderError> {
    LAYOUT.with(|l| *l.borrow_mut() = Some(Vec::new()));
    let result = if is_cell_csv(dir) {
        plot_cell_csv(dir, options)
    } else if dir.join("experiment.json").is_file() {
        plot_experiment_folder(dir, options)
    } else if is_validation_folder(dir) {
        plot_validation_folder(dir, options)
    } else if is_sweep_folder(dir) {
        plot_sweep_folder(dir, options)
    } else if is_sensitivity_folder(dir) {
        plot_sensitivity_folder(dir, options)
    } else if is_robustness_folder(dir) {
        plot_robustness_folder(dir, options)
    } else if is_calibration_folder(dir) {
        plot_calibration_folder(dir, options)
    } else {
        plot_run_folder(dir, options)
    };
    let texts = LAYOUT.with(|l| l.borrow_mut().take()).unwrap_or_default();
    result.map(|_| texts)
}

/// Lays out `fig` on a canvas of `size` and keeps its text ([`text_layout`]).
fn lay_out(
    stem: &str,
    figure: &'static str,
    size: (u32, u32),
    style: Style,
    fig: &impl Figure,
) -> Result<(), RenderError> {
    let boxes = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    {
        let root = Typeset::vector(text::Measure::new(size))
            .recording(std::rc::Rc::clone(&boxes))
            .into_drawing_area();
        fig.draw(&root, style).map_err(draw_error(figure))?;
    }
    let boxes = boxes.take();
    LAYOUT.with(|l| {
        if let Some(texts) = l.borrow_mut().as_mut() {
            texts.push(FigureText {
                stem: stem.to_string(),
                size,
                boxes,
            });
        }
    });
    Ok(())
}

/// Writes `<stem>.png` and/or `<stem>.svg` in `dir` (`<stem>-paper.*` in paper style,
/// [`styled_stem`]). Each is drawn into a hidden temporary file and moved into place when
/// complete.
fn write_figure(
    dir: &Path,
    stem: &str,
    figure: &'static str,
    size: (u32, u32),
    options: &PlotOptions,
    fig: &impl Figure,
) -> Result<Vec<PathBuf>, RenderError> {
    let stem = styled_stem(stem, options.style);
    if laying_out() {
        lay_out(&stem, figure, size, options.style, fig)?;
        return Ok(Vec::new());
    }
    let mut written = Vec::new();
    if options.format.png() {
        let path = dir.join(format!("{stem}.png"));
        let tmp = temporary(&path)?;
        {
            // The backend writes the PNG to the temporary file by name; the format is
            // taken from `path`'s extension.
            let root =
                Typeset::bitmap(BitMapBackend::new(tmp.temporary_path(), size)).into_drawing_area();
            root.fill(&WHITE)
                .and_then(|()| fig.draw(&root, options.style))
                .and_then(|()| root.present())
                .map_err(bitmap_error(figure, &path))?;
        }
        finish(tmp)?;
        written.push(path);
    }
    if options.format.svg() {
        let path = dir.join(format!("{stem}.svg"));
        let mut svg = String::new();
        {
            let root = Typeset::vector(SVGBackend::with_string(&mut svg, size)).into_drawing_area();
            root.fill(&WHITE)
                .and_then(|()| fig.draw(&root, options.style))
                .and_then(|()| root.present())
                .map_err(draw_error(figure))?;
        }
        let svg = svg::finish(&svg);
        let mut tmp = temporary(&path)?;
        tmp.file()
            .write_all(svg.as_bytes())
            .map_err(|source| RenderError::Io {
                path: path.clone(),
                source,
            })?;
        finish(tmp)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `animation.gif` (`animation-paper.gif` in paper style): one frame per
/// snapshot, one second each.
fn write_animation(
    dir: &Path,
    wall: &Wall,
    name: Option<&str>,
    scale: &wall::RunScale,
    size: (u32, u32),
    style: Style,
) -> Result<PathBuf, RenderError> {
    const FIGURE: &str = "animation";
    let path = dir.join(format!("{}.gif", styled_stem(FIGURE, style)));
    if laying_out() {
        for i in 0..wall.snapshots.len() {
            let frame = wall::Frame::new(wall, i, name, scale);
            lay_out(&styled_stem(FIGURE, style), FIGURE, size, style, &frame)?;
        }
        return Ok(path);
    }
    let tmp = temporary(&path)?;
    {
        let backend = BitMapBackend::gif(tmp.temporary_path(), size, 1000).map_err(|e| {
            bitmap_error(FIGURE, &path)(DrawingAreaErrorKind::BackendError(
                plotters_backend::DrawingErrorKind::DrawingError(e),
            ))
        })?;
        let root = Typeset::bitmap(backend).into_drawing_area();
        for i in 0..wall.snapshots.len() {
            let frame = wall::Frame::new(wall, i, name, scale);
            root.fill(&WHITE)
                .and_then(|()| frame.draw(&root, style))
                .and_then(|()| root.present())
                .map_err(bitmap_error(FIGURE, &path))?;
        }
    }
    finish(tmp)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG that cannot be written is reported with its path and the reason in words,
    /// not the backend's debug dump (`ImageError(IoError(Os { .. }))`).
    #[test]
    fn png_write_errors_name_the_path_and_the_reason() {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let path = tmp.path().join("no-such-folder").join("mineral-wall.png");
        let root = BitMapBackend::new(&path, (8, 8)).into_drawing_area();
        let e = root
            .fill(&WHITE)
            .and_then(|()| root.present())
            .expect_err("the folder does not exist");
        let message = bitmap_error("mineral-wall", &path)(e).to_string();
        assert!(
            message.starts_with(&format!("{}: cannot write the figure: ", path.display())),
            "{message}"
        );
        assert!(message.contains("No such file or directory"), "{message}");
        assert!(
            !message.contains("Os {") && !message.contains("Error("),
            "{message}"
        );
    }
}
