//! `claims-overview`: the claims report of `vcsim validate` as a forest plot, read from
//! `validation.csv` (and, for the mode in the subtitle, `manifest.json`).
//!
//! Each row is one check: the claim ID on the left with the readout and the compared arms
//! as a smaller label, the measured ratio (arm over reference, the geometric mean of the
//! within-pair ratios) as a point with its 95% CI on a log axis, the region the claim
//! expects shaded behind it (up: ≥ 1.2; down: ≤ 1/1.2; unchanged: within the stated
//! fold; about N-fold: the stated range), a line at 1, and pass or fail in colour
//! (Okabe-Ito bluish green and vermillion) and shape (dot and diamond). A wiring check
//! (one that follows from a mapping or a bound, `validation::CheckKind`) is a hollow
//! grey ring with a grey CI: reported, not counted; a claim with only wiring checks has
//! its ID in grey and is left out of the "N of M claims pass" of the title. Ratios beyond
//! the axis are clamped to its edge as an arrow with the value beside it; where a value
//! is 0 there is no ratio and the paired difference Δ with its CI is written instead.
//!
//! About 175 checks do not fit one figure, so the two styles divide the work:
//!
//! - `talk`: one row per claim, showing its weakest check (a failing one if there is one,
//!   else the passing check nearest the edge of its expected region) and how many of its
//!   checks pass, on 1920 × 1080 slides of at most about 19 rows (three for the 41
//!   claims); a report whose checks all fit one slide (`vcsim validate --claim ...`)
//!   shows every check instead;
//! - `paper`: every check, grouped by claim, on one-column pages of at most
//!   [`PAPER_ROWS`] rows, each page as tall as its rows.
//!
//! Pages break between the claim themes (ER, VC, OS, AP, AU, IN, TX, SUM) where they
//! can, never inside a claim. They are always numbered (`claims-overview-<k>.png`), and
//! pages left over from an earlier rendering with more pages are removed.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};

use super::chart::{self, Axis, Drawn, Entry, Glyph};
use super::style::significant;
use super::style::{self, GREY, GRID, INK, Metrics, ipx, okabe_ito, px};
use super::{Figure, PlotOptions, RenderError, Style, write_figure};
use crate::record::Column;
use crate::record::check;

/// Names of the figures a validation folder can produce.
///
/// - `claims-overview`: the forest plot of the claims, as pages
///   `claims-overview-<k>` (per claim in `talk` style, every check in `paper` style).
pub const VALIDATION_FIGURES: [&str; 2] = ["claims-overview", super::quantitative::FIGURE];

/// The figure name.
const FIGURE: &str = "claims-overview";

/// The most check rows on one `paper` page (about 8 in tall at 300 dpi).
const PAPER_ROWS: usize = 60;

/// A passing check.
const PASS: RGBColor = okabe_ito::BLUISH_GREEN;
/// A failing check.
const FAIL: RGBColor = okabe_ito::VERMILLION;
/// The expected region: Okabe-Ito sky blue at 22% over white.
const EXPECTED: RGBColor = RGBColor(217, 238, 250);
/// Background of every other claim.
const BAND: RGBColor = RGBColor(243, 243, 243);
/// The smaller row labels.
const SUBTLE: RGBColor = RGBColor(70, 70, 70);

/// One row of `validation.csv`.
#[derive(Clone, Debug)]
struct CheckRow {
    claim: String,
    claim_pass: bool,
    /// Whether the claim has only wiring checks.
    claim_wiring_only: bool,
    /// Whether the check is wiring (reported, not counted).
    wiring: bool,
    arm: String,
    reference: String,
    readout: String,
    column: Column,
    statistic: String,
    /// \[1\] Lower end of the expected ratio (0 for "down").
    expected_low: f64,
    /// \[1\] Upper end of the expected ratio (infinite for "up").
    expected_high: f64,
    replicates: usize,
    difference: f64,
    difference_ci: (f64, f64),
    ratio: f64,
    ratio_ci: (f64, f64),
    pass: bool,
}

/// Reads `validation.csv`.
fn read_checks(path: &Path) -> Result<Vec<CheckRow>, RenderError> {
    Ok(check::read_checks(path)?
        .into_iter()
        .map(|r| CheckRow {
            claim: r.claim,
            claim_pass: r.claim_pass,
            claim_wiring_only: r.claim_verdict == "wiring only",
            wiring: r.kind == "wiring",
            arm: r.arm,
            reference: r.reference,
            readout: r.readout,
            column: r.column,
            statistic: r.statistic,
            expected_low: r.expected_low,
            expected_high: r.expected_high,
            replicates: r.replicates,
            difference: r.difference,
            difference_ci: (r.difference_ci95_low, r.difference_ci95_high),
            ratio: r.ratio,
            ratio_ci: (r.ratio_ci95_low, r.ratio_ci95_high),
            pass: r.pass,
        })
        .collect())
}

/// The checks of one claim.
#[derive(Clone, Debug)]
struct Claim {
    id: String,
    pass: bool,
    /// Only wiring checks: not counted.
    wiring_only: bool,
    checks: Vec<CheckRow>,
}

impl Claim {
    /// Evidence checks passing and evidence checks.
    fn evidence_counts(&self) -> (usize, usize) {
        let evidence = self.checks.iter().filter(|c| !c.wiring);
        (
            evidence.clone().filter(|c| c.pass).count(),
            evidence.count(),
        )
    }
}

/// Groups checks by claim, in order of first appearance.
fn group(checks: Vec<CheckRow>) -> Vec<Claim> {
    let mut claims: Vec<Claim> = Vec::new();
    for check in checks {
        if let Some(claim) = claims.iter_mut().find(|c| c.id == check.claim) {
            claim.pass &= check.claim_pass;
            claim.wiring_only &= check.claim_wiring_only;
            claim.checks.push(check);
        } else {
            claims.push(Claim {
                id: check.claim.clone(),
                pass: check.claim_pass,
                wiring_only: check.claim_wiring_only,
                checks: vec![check],
            });
        }
    }
    claims
}

/// \[decades\] How far inside its expected region a check's ratio lies (negative:
/// outside); a check without a ratio counts as on the edge if it fails and far inside
/// if it passes.
fn margin(c: &CheckRow) -> f64 {
    if !(c.ratio.is_finite() && c.ratio > 0.0) {
        return if c.pass { f64::INFINITY } else { 0.0 };
    }
    let r = c.ratio.log10();
    let lo = if c.expected_low > 0.0 {
        c.expected_low.log10()
    } else {
        f64::NEG_INFINITY
    };
    let hi = c.expected_high.log10();
    (r - lo).min(hi - r)
}

/// The check that speaks for a claim in the one-row summary: among its evidence checks
/// (all its checks if it has only wiring ones), a failing check (the one furthest
/// outside its region) if any, else the passing check nearest its region's edge.
fn weakest(claim: &Claim) -> Option<&CheckRow> {
    claim.checks.iter().min_by(|a, b| {
        (a.wiring, a.pass, margin(a))
            .partial_cmp(&(b.wiring, b.pass, margin(b)))
            .unwrap_or(std::cmp::Ordering::Equal)
    })
}

/// A short name of a readout: the recorded label without its unit or gloss, with the
/// statistic where it is not the end-of-run value (apoptosis is always the mean hazard
/// over the run, so its rate needs no `mean`).
fn short_readout(c: &CheckRow) -> String {
    let name = match c.column {
        Column::CalciumUgPerMgProtein => "calcium",
        Column::ApoptosisHazardPerHMean => "apoptosis rate",
        Column::Caspase12Mean => "caspase-12",
        Column::AlpMean => "ALP",
        Column::Lc3iiAutophagyMean => "LC3-II",
        Column::Mtorc1Mean => "mTORC1",
        Column::FractionOsteogenic => "osteogenic fraction",
        Column::FluidPyrophosphateUM => "PPi",
        _ => c.readout.split(" (").next().unwrap_or(&c.readout).trim(),
    };
    match c.statistic.as_str() {
        "peak" => format!("peak {name}"),
        "time mean" if c.column != Column::ApoptosisHazardPerHMean => format!("mean {name}"),
        _ => name.to_string(),
    }
}

/// `arm vs reference`, shortened: an arm that adds to the reference reads
/// `reference: + addition`; names that differ in one word only (a dose, a level) share
/// the rest (`thapsigargin 10 vs 2.5 nM`).
fn comparison(arm: &str, reference: &str) -> String {
    if let Some(added) = arm.strip_prefix(&format!("{reference} + ")) {
        return format!("{reference}: + {added}");
    }
    if let Some(added) = arm.strip_suffix(&format!(" + {reference}")) {
        return format!("{reference}: + {added}");
    }
    let a: Vec<&str> = arm.split(' ').collect();
    let b: Vec<&str> = reference.split(' ').collect();
    let shortest = a.len().min(b.len());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let prefix = prefix.min(shortest.saturating_sub(1));
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
        .min(shortest.saturating_sub(1 + prefix));
    // Only a single differing word (a dose, a level) reads well written once.
    if prefix + suffix == 0 || a.len() - prefix - suffix != 1 || b.len() - prefix - suffix != 1 {
        return format!("{arm} vs {reference}");
    }
    let join = |w: &[&str]| w.join(" ");
    let mut out = Vec::new();
    if prefix > 0 {
        out.push(join(&a[..prefix]));
    }
    out.push(format!(
        "{} vs {}",
        join(&a[prefix..a.len() - suffix]),
        join(&b[prefix..b.len() - suffix])
    ));
    if suffix > 0 {
        out.push(join(&a[a.len() - suffix..]));
    }
    out.join(" ")
}

/// One drawn row.
#[derive(Clone, Debug)]
struct Row {
    claim: String,
    claim_pass: bool,
    /// Whether the claim has only wiring checks.
    claim_wiring_only: bool,
    /// Whether the claim ID is written on this row (the first row of its claim).
    show_claim: bool,
    /// What the row shows.
    kind: RowKind,
    label: String,
    check: CheckRow,
    /// Checks passing and checks of the claim (summary rows).
    count: Option<(usize, usize)>,
    /// Whether the row lies on a shaded claim band.
    band: bool,
}

/// How a claim is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rows {
    /// One row: the weakest check, with the count of passing evidence checks.
    PerClaim,
    /// One row per check.
    PerCheck,
}

/// What a row shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowKind {
    /// A line of the claim's text (the first one with its ID).
    Header,
    /// A check: its label's first line, ratio, CI and expected region.
    Check,
    /// A further line of the label of the check above.
    More,
}

/// Widths the row texts are wrapped to.
#[derive(Clone, Copy, Debug)]
struct Wrap {
    /// \[px em\] Text size of the labels and claim texts.
    em: f64,
    /// \[px\] Width of the label column.
    label: u32,
    /// \[px\] Width of a claim's text (across the label column and the plot).
    header: u32,
}

/// The short text of claim `id` (`src/validation/claims.rs`), if it is one of the review's.
fn claim_text(id: &str) -> Option<&'static str> {
    crate::validation::claims::CLAIMS
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.text)
}

/// The rows of one claim: its text (wrapped at spaces), then its checks, each label
/// wrapped at spaces onto further rows.
fn claim_rows(claim: &Claim, rows: Rows, band: bool, wrap: &Wrap) -> Vec<Row> {
    let Some(first) = claim.checks.first() else {
        return Vec::new();
    };
    let row = |check: &CheckRow, kind: RowKind, show: bool, label: String, count| Row {
        claim: claim.id.clone(),
        claim_pass: claim.pass,
        claim_wiring_only: claim.wiring_only,
        show_claim: show,
        kind,
        label,
        check: check.clone(),
        count,
        band,
    };
    let mut out = Vec::new();
    // A claim of the review gets its text above its checks; another (a report of other
    // claims) its ID on its first check.
    let text = claim_text(&claim.id).map(|t| t.replace(" -> ", " → "));
    for (k, line) in text
        .iter()
        .flat_map(|t| chart::wrap_words(t, wrap.em, wrap.header))
        .enumerate()
    {
        out.push(row(first, RowKind::Header, k == 0, line, None));
    }
    let mut id_pending = text.is_none();
    let mut check_rows = |check: &CheckRow, count| {
        let label = format!(
            "{} · {}",
            short_readout(check),
            comparison(&check.arm, &check.reference)
        )
        .replace(" <-> ", " ↔ ");
        for (k, line) in chart::wrap_words(&label, wrap.em, wrap.label)
            .into_iter()
            .enumerate()
        {
            let (kind, count) = if k == 0 {
                (RowKind::Check, count)
            } else {
                (RowKind::More, None)
            };
            out.push(row(check, kind, id_pending, line, count));
            id_pending = false;
        }
    };
    match rows {
        Rows::PerClaim => {
            if let Some(check) = weakest(claim) {
                let (passing, total) = claim.evidence_counts();
                check_rows(check, Some((passing, total)));
            }
        }
        Rows::PerCheck => {
            for check in &claim.checks {
                check_rows(check, None);
            }
        }
    }
    out
}

/// The theme of a claim: its ID up to the last `-` (`ER`, `OS`, `SUM`, ...).
fn theme(id: &str) -> &str {
    id.rsplit_once('-').map_or(id, |(theme, _)| theme)
}

/// The pages of the figure, at most `capacity` rows each (a claim with more checks than
/// that gets a page of its own). Pages break between themes (ER, VC, OS, AP,
/// AU, IN, TX, SUM) where they can, else between claims, never inside a claim: the
/// fewest pages, and among those the smallest largest page.
fn pages(claims: &[Claim], shown: Rows, capacity: usize, wrap: &Wrap) -> Vec<Vec<Row>> {
    let capacity = capacity.max(1);
    let rows: Vec<Vec<Row>> = claims
        .iter()
        .enumerate()
        .map(|(i, claim)| claim_rows(claim, shown, i % 2 == 1, wrap))
        .collect();
    // Units that stay on one page: whole themes, or single claims of a theme too large.
    let mut units: Vec<(usize, usize, usize)> = Vec::new(); // (first claim, end, rows)
    let mut i = 0;
    while i < claims.len() {
        let mut end = i + 1;
        while end < claims.len() && theme(&claims[end].id) == theme(&claims[i].id) {
            end += 1;
        }
        let size: usize = rows[i..end].iter().map(Vec::len).sum();
        if size <= capacity {
            units.push((i, end, size));
        } else {
            units.extend((i..end).map(|k| (k, k + 1, rows[k].len())));
        }
        i = end;
    }
    // best[j]: (pages, largest page, start of the last page) for the first j units.
    let mut best: Vec<Option<(usize, usize, usize)>> = vec![None; units.len() + 1];
    best[0] = Some((0, 0, 0));
    for j in 1..=units.len() {
        for start in (0..j).rev() {
            let size: usize = units[start..j].iter().map(|u| u.2).sum();
            if size > capacity && start + 1 < j {
                break;
            }
            if let Some((pages, largest, _)) = best[start] {
                let candidate = (pages + 1, largest.max(size), start);
                if best[j].is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1)) {
                    best[j] = Some(candidate);
                }
            }
        }
    }
    let mut breaks = Vec::new();
    let mut j = units.len();
    while j > 0 {
        let start = best[j].map_or(j - 1, |b| b.2);
        breaks.push((start, j));
        j = start;
    }
    breaks.reverse();
    let mut rows = rows.into_iter();
    breaks
        .into_iter()
        .map(|(a, b)| {
            let claims_on_page = units[b - 1].1 - units[a].0;
            rows.by_ref().take(claims_on_page).flatten().collect()
        })
        .filter(|page: &Vec<Row>| !page.is_empty())
        .collect()
}

/// \[decades\] Half-width of the ratio axis: 10-fold each way, widened (up to 100-fold) to
/// show every finite expected range whole.
fn axis_limit(claims: &[Claim]) -> f64 {
    let need = claims
        .iter()
        .flat_map(|c| &c.checks)
        .flat_map(|c| {
            [
                c.expected_high,
                if c.expected_low > 0.0 {
                    1.0 / c.expected_low
                } else {
                    f64::NAN
                },
            ]
        })
        .filter(|v| v.is_finite())
        .fold(10.0f64, f64::max);
    [10.0f64, 20.0, 50.0, 100.0]
        .into_iter()
        .find(|l| *l >= need * (1.0 - 1e-9))
        .unwrap_or(100.0)
        .log10()
}

/// The label of the ratio tick `m × 10^k`.
fn ratio_label(m: u32, k: i32) -> String {
    if k >= 0 {
        format!("{m}{}", "0".repeat(usize::try_from(k).unwrap_or(0)))
    } else {
        format!("0.{}{m}", "0".repeat(usize::try_from(-k - 1).unwrap_or(0)))
    }
}

/// Ratio ticks within `±limit` decades at the given mantissas.
fn ratio_ticks(limit: f64, mantissas: &[u32]) -> Vec<(f64, String)> {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "limits are at most 2 decades"
    )]
    let k_max = limit.ceil() as i32;
    let mut ticks = Vec::new();
    for k in -k_max - 1..=k_max {
        for &m in mantissas {
            let v = f64::from(m).log10() + f64::from(k);
            if v >= -limit - 1e-9 && v <= limit + 1e-9 {
                ticks.push((v, ratio_label(m, k)));
            }
        }
    }
    ticks.sort_by(|a, b| a.0.total_cmp(&b.0));
    ticks
}

/// The ratio axis for a plot `width_px` wide: ticks at 1, 2 and 5 times powers of ten,
/// thinned to 1 and 3, then to powers of ten, until neighbouring labels clear each other.
fn ratio_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    limit: f64,
    width_px: u32,
    m: &Metrics,
) -> Axis {
    let font = Metrics::text(m.tick);
    let gap = m.tick * 0.8;
    let scale = f64::from(width_px) / (2.0 * limit);
    let fits = |ticks: &[(f64, String)]| {
        ticks.windows(2).all(|w| {
            let wa = f64::from(style::text_size(area, &w[0].1, &font).0);
            let wb = f64::from(style::text_size(area, &w[1].1, &font).0);
            (w[1].0 - w[0].0) * scale >= (wa + wb) / 2.0 + gap
        })
    };
    let ticks = [&[1, 2, 5][..], &[1, 3], &[1]]
        .iter()
        .map(|mantissas| ratio_ticks(limit, mantissas))
        .find(|t| fits(t))
        .unwrap_or_else(|| ratio_ticks(limit, &[1]));
    Axis {
        lo: -limit,
        hi: limit,
        ticks: ticks.iter().map(|t| t.0).collect(),
        labels: ticks.into_iter().map(|t| t.1).collect(),
        desc: Some("ratio to reference (log scale)".to_string()),
    }
}

/// One page of `claims-overview`.
struct Overview {
    title: String,
    subtitle: String,
    rows: Vec<Row>,
    /// \[decades\] Half-width of the ratio axis.
    limit: f64,
    /// \[px\] Height of one row.
    row_h: u32,
    /// \[px\] Widths of the claim ID and label columns (the same on every page, so that
    /// the plots line up from page to page).
    columns: (u32, u32),
}

/// \[px\] Widths of the claim ID and label columns for `rows` on a page of `width` pixels:
/// the widest ID, and the widest label up to a share of the width.
fn label_columns<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[Row],
    style: Style,
    width: u32,
) -> (u32, u32) {
    let m = Metrics::of(style);
    let (id_em, small_em) = label_sizes(style);
    let widest = |em: f64, text: &dyn Fn(&Row) -> &str| {
        let font = Metrics::text(em);
        rows.iter()
            .map(|r| style::text_size(area, text(r), &font).0)
            .max()
            .unwrap_or(0)
    };
    let share = match style {
        Style::Talk => 0.4,
        Style::Paper => 0.5,
    };
    let label_w = rows
        .iter()
        .filter(|r| r.kind != RowKind::Header)
        .map(|r| style::text_size(area, &r.label, &Metrics::text(small_em)).0)
        .max()
        .unwrap_or(0)
        .min(px(f64::from(width.saturating_sub(2 * m.pad)) * share));
    (widest(id_em, &|r| &r.claim), label_w)
}

/// \[px em\] Text sizes of the rows: claim IDs and the labels (talk: at least the 26 px
/// of tick labels on a slide; paper: 6 pt at 300 dpi, 25 px).
const fn label_sizes(style: Style) -> (f64, f64) {
    match style {
        Style::Talk => (30.0, 26.0),
        Style::Paper => (26.0, 25.0),
    }
}

/// \[px\] The least height of one row in a style.
fn row_height(style: Style) -> u32 {
    let (id_em, _) = label_sizes(style);
    px(f64::from(Metrics::line_height(id_em)) * 1.12)
}

/// The legend entries (the Δ note only where a page has a row without a ratio).
fn legend(delta: bool) -> Vec<Entry> {
    let mut entries = vec![
        (Glyph::Dot(PASS), "check passes".to_string()),
        (Glyph::Diamond(FAIL), "check fails".to_string()),
        (Glyph::Ring(GREY), "wiring check (not counted)".to_string()),
        (Glyph::Square(EXPECTED), "expected effect".to_string()),
    ];
    if delta {
        entries.push((Glyph::None, "Δ: difference where a value is 0".to_string()));
    }
    entries
}

/// The widths the labels and claim texts of `claims` are wrapped to on a page `width`
/// pixels wide in `style` (as [`Overview`] lays the page out).
fn wrap_widths(claims: &[Claim], style: Style, width: u32) -> Wrap {
    let m = Metrics::of(style);
    let (id_em, em) = label_sizes(style);
    let id_w = claims
        .iter()
        .map(|c| px(super::text::advance(&c.id, id_em)))
        .max()
        .unwrap_or(0);
    let inner = width.saturating_sub(2 * m.pad);
    let share = match style {
        Style::Talk => 0.4,
        Style::Paper => 0.5,
    };
    let gap = px(m.tick * 0.6);
    let inset = px(m.tick * 0.3);
    // The count column of a talk page ("evidence passing") and the right margin.
    let right = match style {
        Style::Talk => px(super::text::advance("evidence passing", em)) + gap,
        Style::Paper => 0,
    } + px(m.tick * 0.9);
    Wrap {
        em,
        label: px(f64::from(inner) * share),
        header: inner.saturating_sub(inset + id_w + gap + right),
    }
}

/// Whether any row of a page has no ratio.
fn has_delta(rows: &[Row]) -> bool {
    rows.iter()
        .filter(|r| r.kind == RowKind::Check)
        .any(|r| !(r.check.ratio.is_finite() && r.check.ratio >= 0.0))
}

/// Height above the rows: title block, legend, and the count header (talk).
fn top_height<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[Row],
    style: Style,
    (title, subtitle): (&str, &str),
) -> u32 {
    let m = Metrics::of(style);
    let entries = legend(has_delta(rows));
    chart::title_block_height(&m, area.dim_in_pixel().0, title, Some(subtitle))
        + chart::legend_rows_height(area, &entries, &m)
        + px(m.legend * 0.4)
        + chart_top(rows, style)
}

/// Top margin of the chart: room for the count column's header.
fn chart_top(rows: &[Row], style: Style) -> u32 {
    let m = Metrics::of(style);
    let (_, small) = label_sizes(style);
    if rows.iter().any(|r| r.count.is_some()) {
        Metrics::line_height(small) + px(small * 0.4)
    } else {
        px(m.tick * 0.4)
    }
}

/// Height below the rows: the x axis and the outer padding.
fn bottom_height(m: &Metrics) -> u32 {
    let x = Axis {
        lo: 0.0,
        hi: 1.0,
        ticks: Vec::new(),
        labels: Vec::new(),
        desc: Some(String::new()),
    };
    chart::x_area_height(&x, m) + m.pad
}

impl Figure for Overview {
    #[expect(
        clippy::too_many_lines,
        reason = "one forest plot: labels, regions, bars, points and notes in drawing order"
    )]
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, style: Style) -> Drawn<DB> {
        let m = Metrics::of(style);
        let (id_em, small_em) = label_sizes(style);
        let mut used = chart::title_block(root, &self.title, Some(&self.subtitle), &m)?;
        let entries = legend(has_delta(&self.rows));
        used += chart::legend_rows(root, &entries, &m, i32::try_from(used).unwrap_or(0))?;
        used += px(m.legend * 0.4);
        let body = root.margin(used, 0, m.pad, m.pad);
        let (body_w, _) = body.dim_in_pixel();
        let id_font = Metrics::text(id_em);
        let small_font = Metrics::text(small_em);
        let gap = px(m.tick * 0.6);
        let inset = ipx(m.tick * 0.3);
        let (id_w, label_w) = self.columns;
        let left = u32::try_from(inset).unwrap_or(0) + id_w + gap + label_w + gap;
        let counted = self.rows.iter().any(|r| r.count.is_some());
        let header = "evidence passing";
        let count_w = if counted {
            style::text_size(&body, header, &small_font)
                .0
                .max(style::text_size(&body, "10/10", &id_font).0)
                + gap
        } else {
            0
        };
        let right = count_w + px(m.tick * 0.9);
        let plot_w = body_w.saturating_sub(left + right);
        let x = ratio_axis(&body, self.limit, plot_w, &m);
        let n = self.rows.len();
        #[expect(clippy::cast_precision_loss, reason = "few rows")]
        let n_f = n as f64;
        let y = Axis {
            lo: 0.0,
            hi: n_f.max(1.0),
            ticks: Vec::new(),
            labels: Vec::new(),
            desc: None,
        };
        let top = chart_top(&self.rows, style);
        let bottom = chart::x_area_height(&x, &m);
        let height = top + self.row_h * u32::try_from(n.max(1)).unwrap_or(1) + bottom;
        // A slide with room to spare holds the rows in its middle.
        let spare = body.dim_in_pixel().1.saturating_sub(height);
        let above = match style {
            Style::Talk => spare / 2,
            Style::Paper => 0,
        };
        let area = body.margin(above, spare - above, 0, 0);
        let (bx, by) = area.get_base_pixel();
        let mut chart = chart::build(&area, &x, &y, left, bottom, top, right)?;
        let centre = |i: usize| -> f64 {
            #[expect(clippy::cast_precision_loss, reason = "few rows")]
            let i = i as f64;
            n_f - i - 0.5
        };
        let pixel = |chart: &chart::Chart<'_, DB>, v: (f64, f64)| -> (i32, i32) {
            let (px_x, px_y) = chart.backend_coord(&v);
            (px_x - bx, px_y - by)
        };
        // Claim bands across labels, plot and counts.
        let (area_w, _) = area.dim_in_pixel();
        for (i, _) in self.rows.iter().enumerate().filter(|(_, r)| r.band) {
            let (_, y0) = pixel(&chart, (x.lo, centre(i) + 0.5));
            let (_, y1) = pixel(&chart, (x.lo, centre(i) - 0.5));
            area.draw(&Rectangle::new(
                [(0, y0), (i32::try_from(area_w).unwrap_or(0), y1)],
                BAND.filled(),
            ))?;
        }
        // Expected regions.
        for (i, row) in self.rows.iter().enumerate() {
            if row.kind != RowKind::Check {
                continue;
            }
            let c = &row.check;
            let lo = if c.expected_low > 0.0 {
                c.expected_low.log10().max(x.lo)
            } else {
                x.lo
            };
            let hi = if c.expected_high.is_finite() && c.expected_high > 0.0 {
                c.expected_high.log10().min(x.hi)
            } else {
                x.hi
            };
            if hi > lo {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(lo, centre(i) - 0.38), (hi, centre(i) + 0.38)],
                    EXPECTED.filled(),
                )))?;
            }
        }
        let bare = Axis {
            desc: None,
            ..x.clone()
        };
        chart::mesh(&mut chart, &bare, &y, &m, false)?;
        if let Some(desc) = &x.desc {
            let (xr, _) = chart.plotting_area().get_pixel_range();
            chart::x_description(&area, &xr, desc, &m)?;
        }
        for t in &x.ticks {
            chart.draw_series(LineSeries::new(
                [(*t, y.lo), (*t, y.hi)],
                ShapeStyle::from(&GRID).stroke_width(1),
            ))?;
        }
        chart.draw_series(LineSeries::new(
            [(0.0, y.lo), (0.0, y.hi)],
            ShapeStyle::from(&GREY).stroke_width(m.axis_line),
        ))?;
        let r = chart::glyph_radius(&m).min(ipx(f64::from(self.row_h) * 0.32));
        let bar = (m.line * 3 / 5).max(2);
        for (i, row) in self.rows.iter().enumerate() {
            if row.kind != RowKind::Check {
                continue;
            }
            let c = &row.check;
            let color = if c.wiring {
                GREY
            } else if c.pass {
                PASS
            } else {
                FAIL
            };
            let yc = centre(i);
            if !(c.ratio.is_finite() && c.ratio >= 0.0) {
                // No ratio: write the paired difference beside the line at 1.
                let signed = |v: f64| significant(v, 3).replacen('-', "−", 1);
                let text = format!(
                    "Δ {}{} [{}, {}]",
                    if c.difference > 0.0 { "+" } else { "" },
                    signed(c.difference),
                    signed(c.difference_ci.0),
                    signed(c.difference_ci.1)
                );
                // On the side of its sign, or across the plot where that is too narrow.
                let (x0, y0) = pixel(&chart, (0.0, yc));
                let (x_lo, _) = pixel(&chart, (x.lo, yc));
                let (x_hi, _) = pixel(&chart, (x.hi, yc));
                let offset = ipx(m.tick * 0.5);
                let width = i32::try_from(style::text_size(&area, &text, &small_font).0)
                    .unwrap_or(i32::MAX);
                let (anchor, h_pos, room) = if c.difference < 0.0 && x0 - x_lo - offset >= width {
                    (x0 - offset, HPos::Right, x0 - x_lo - offset)
                } else if c.difference >= 0.0 && x_hi - x0 - offset >= width {
                    (x0 + offset, HPos::Left, x_hi - x0 - offset)
                } else {
                    (x_lo + offset, HPos::Left, x_hi - x_lo - offset)
                };
                area.draw(&Text::new(
                    shortened(
                        &area,
                        &text,
                        &small_font,
                        u32::try_from(room.max(0)).unwrap_or(0),
                    ),
                    (anchor, y0),
                    Metrics::anchored(small_em, h_pos, VPos::Center).color(&color),
                ))?;
                continue;
            }
            let log = |v: f64| {
                if v > 0.0 {
                    v.log10()
                } else {
                    f64::NEG_INFINITY
                }
            };
            let (lo, hi) = (log(c.ratio_ci.0), log(c.ratio_ci.1));
            if !(lo.is_nan() || hi.is_nan()) {
                chart.draw_series(LineSeries::new(
                    [(lo.clamp(x.lo, x.hi), yc), (hi.clamp(x.lo, x.hi), yc)],
                    ShapeStyle::from(&color).stroke_width(bar),
                ))?;
            }
            let v = log(c.ratio);
            let at = pixel(&chart, (v.clamp(x.lo, x.hi), yc));
            if v >= x.lo && v <= x.hi {
                let glyph = if c.wiring {
                    Glyph::Ring(color)
                } else if c.pass {
                    Glyph::Dot(color)
                } else {
                    Glyph::Diamond(color)
                };
                glyph.draw(&area, at, r)?;
                continue;
            }
            // Beyond the axis: an arrow with its tip on the edge, the value beside it.
            let outward = if v < x.lo { -1 } else { 1 };
            let size = r;
            area.draw(&Polygon::new(
                triangle((at.0 + outward * 2, at.1), outward, size + 2),
                WHITE.filled(),
            ))?;
            area.draw(&Polygon::new(triangle(at, outward, size), color.filled()))?;
            let text = if c.ratio > 0.0 {
                significant(c.ratio, 2)
            } else {
                "0".to_string()
            };
            let shift = size * 3 / 2 + ipx(m.tick * 0.25);
            area.draw(&Text::new(
                shortened(&area, &text, &small_font, px(f64::from(plot_w) * 0.4)),
                (at.0 - outward * shift, at.1),
                Metrics::anchored(
                    small_em,
                    if outward < 0 { HPos::Left } else { HPos::Right },
                    VPos::Center,
                )
                .color(&color),
            ))?;
        }
        // Labels: claim ID, then readout and arms.
        for (i, row) in self.rows.iter().enumerate() {
            let (_, yc) = pixel(&chart, (x.lo, centre(i)));
            if row.show_claim {
                area.draw(&Text::new(
                    row.claim.clone(),
                    (inset, yc),
                    Metrics::anchored(id_em, HPos::Left, VPos::Center).color(
                        if row.claim_wiring_only {
                            &GREY
                        } else if row.claim_pass {
                            &INK
                        } else {
                            &FAIL
                        },
                    ),
                ))?;
            }
            // A claim's text in ink across the labels and the plot (on the band of its
            // claim), a check's label in grey in its column.
            let color = if row.kind == RowKind::Header {
                &INK
            } else {
                &SUBTLE
            };
            let label_x = inset + i32::try_from(id_w + gap).unwrap_or(0);
            if row.kind == RowKind::Header {
                // Over the plot's grid lines: on the colour of the claim's band.
                let w =
                    i32::try_from(style::text_size(&area, &row.label, &small_font).0).unwrap_or(0);
                let half = i32::try_from(self.row_h / 2).unwrap_or(0);
                area.draw(&Rectangle::new(
                    [(label_x - 4, yc - half), (label_x + w + 8, yc + half)],
                    if row.band { BAND } else { WHITE }.filled(),
                ))?;
            }
            area.draw(&Text::new(
                row.label.clone(),
                (label_x, yc),
                Metrics::anchored(small_em, HPos::Left, VPos::Center).color(color),
            ))?;
            if let Some((passing, total)) = row.count {
                let cx = i32::try_from(area_w.saturating_sub(count_w / 2 + gap / 2)).unwrap_or(0);
                area.draw(&Text::new(
                    format!("{passing}/{total}"),
                    (cx, yc),
                    Metrics::anchored(id_em, HPos::Center, VPos::Center).color(
                        if row.claim_wiring_only {
                            &GREY
                        } else if row.claim_pass {
                            &PASS
                        } else {
                            &FAIL
                        },
                    ),
                ))?;
            }
        }
        if counted {
            let cx = i32::try_from(area_w.saturating_sub(count_w / 2 + gap / 2)).unwrap_or(0);
            let (_, y_top) = pixel(&chart, (x.lo, y.hi));
            area.draw(&Text::new(
                header,
                (cx, y_top - ipx(small_em * 0.3)),
                Metrics::anchored(small_em, HPos::Center, VPos::Bottom).color(&GREY),
            ))?;
        }
        Ok(())
    }
}

/// `text`, shortened with an ellipsis in the middle to at most `max_width` pixels in
/// `font`: the start (the readout) and the end (what the arm adds) both stay, and every
/// label of a page keeps the same size.
fn shortened<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: &TextStyle<'_>,
    max_width: u32,
) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = text.to_string();
    let mut keep = chars.len();
    while style::text_size(area, &out, font).0 > max_width && keep > 4 {
        keep -= 1;
        let head = keep * 11 / 20;
        let tail = keep - head;
        let start: String = chars[..head].iter().collect();
        let end: String = chars[chars.len() - tail..].iter().collect();
        out = format!("{}…{}", start.trim_end(), end.trim_start());
    }
    out
}

/// A triangle with its tip at `tip`, pointing left (`outward` = -1) or right (1),
/// `size` pixels from the tip's axis to either back corner.
fn triangle(tip: (i32, i32), outward: i32, size: i32) -> Vec<(i32, i32)> {
    let back = tip.0 - outward * (size * 3 / 2);
    vec![tip, (back, tip.1 - size), (back, tip.1 + size)]
}

/// Whether `dir` holds a claims report from `vcsim validate`: `validation.csv` or
/// `validation.md`, or a `manifest.json` that lists `claims_passing`.
#[must_use]
pub fn is_validation_folder(dir: &Path) -> bool {
    if dir.join("validation.csv").is_file() || dir.join("validation.md").is_file() {
        return true;
    }
    std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|json| json.get("claims_passing").is_some())
}

/// The mode (`quick` or `full`) recorded in `manifest.json`, if there.
///
/// # Errors
/// A damaged manifest ([`super::data::read_manifest`]).
fn mode(dir: &Path) -> Result<Option<String>, RenderError> {
    Ok(super::data::read_manifest(&dir.join("manifest.json"))?
        .and_then(|json| json.get("mode")?.as_str().map(str::to_string)))
}

/// Renders `claims-overview` of the validation folder `dir` (written by
/// `vcsim validate`) into it as pages `claims-overview-<k>` and returns the files
/// written. Pages of an earlier rendering beyond the new page count are removed.
///
/// # Errors
/// [`RenderError::MissingFile`] if `dir` or `validation.csv` is missing,
/// [`RenderError::Parse`] for a damaged or truncated `validation.csv` (naming the line),
/// [`RenderError::UnknownFigure`] for a name in `options.only` that is not in
/// [`VALIDATION_FIGURES`], [`RenderError::Draw`] if drawing fails and
/// [`RenderError::Io`] if a file cannot be written or removed.
pub fn plot_validation_folder(
    dir: &Path,
    options: &PlotOptions,
) -> Result<Vec<PathBuf>, RenderError> {
    for name in &options.only {
        if !VALIDATION_FIGURES.contains(&name.as_str()) {
            return Err(RenderError::UnknownFigure {
                name: name.clone(),
                known: VALIDATION_FIGURES.to_vec(),
            });
        }
    }
    if !dir.is_dir() {
        return Err(RenderError::MissingFile {
            path: dir.to_path_buf(),
        });
    }
    let wanted = |name: &str| options.only.is_empty() || options.only.iter().any(|o| o == name);
    let mut written = Vec::new();
    if wanted(FIGURE) {
        written.extend(plot_claims_overview(dir, options)?);
    }
    if wanted(super::quantitative::FIGURE) {
        written.extend(super::quantitative::plot_quantitative(dir, options)?);
    }
    Ok(written)
}

/// The pages of `claims-overview` (see [`plot_validation_folder`]).
fn plot_claims_overview(dir: &Path, options: &PlotOptions) -> Result<Vec<PathBuf>, RenderError> {
    let mode = mode(dir)?.map_or(String::new(), |m| format!("{m} mode · "));
    let claims = group(read_checks(&dir.join("validation.csv"))?);
    if !style::register_fonts() {
        return Err(RenderError::Draw {
            figure: FIGURE,
            message: "the embedded font could not be loaded".to_string(),
        });
    }
    let m = Metrics::of(options.style);
    let passing = claims.iter().filter(|c| c.pass).count();
    let counted = claims.iter().filter(|c| !c.wiring_only).count();
    let wiring_only = claims.len() - counted;
    let title = format!(
        "Claims overview: {passing} of {counted} claim{} pass{}{}",
        if counted == 1 { "" } else { "s" },
        if counted == 1 { "es" } else { "" },
        if wiring_only > 0 {
            format!(" ({wiring_only} wiring only, not counted)")
        } else {
            String::new()
        },
    );
    let replicates: Vec<usize> = claims
        .iter()
        .flat_map(|c| &c.checks)
        .map(|c| c.replicates)
        .collect();
    let replicate_text = match (replicates.iter().min(), replicates.iter().max()) {
        (Some(a), Some(b)) if a == b => format!("{a} paired replicates"),
        (Some(a), Some(b)) => format!("{a}-{b} paired replicates"),
        _ => "paired replicates".to_string(),
    };
    // Measure text on a scratch drawing of the page width (page sizes depend on rows).
    let width = style::canvas(options.style, style::Canvas::Section).0;
    let mut scratch = String::new();
    let measure =
        super::text::Typeset::vector(SVGBackend::with_string(&mut scratch, (width, 1080)))
            .into_drawing_area();
    let talk_height = style::canvas(Style::Talk, style::Canvas::Section).1;
    let wrap = wrap_widths(&claims, options.style, width);
    // The longest subtitle, for the room above the rows.
    let probe = (
        title.as_str(),
        &*format!(
            "{mode}one row per claim: its weakest check · ratio and 95% CI over \
             {replicate_text} · page 10 of 10"
        ),
    );
    // Talk: every check if they all fit one slide, else one row per claim.
    let shown = match options.style {
        Style::Talk => {
            let all: Vec<Row> = pages(&claims, Rows::PerCheck, usize::MAX, &wrap)
                .into_iter()
                .flatten()
                .collect();
            let fixed = top_height(&measure, &all, Style::Talk, probe) + bottom_height(&m);
            let capacity = talk_height.saturating_sub(fixed) / row_height(Style::Talk);
            if all.len() <= usize::try_from(capacity).unwrap_or(0) {
                Rows::PerCheck
            } else {
                Rows::PerClaim
            }
        }
        Style::Paper => Rows::PerCheck,
    };
    let pages = match options.style {
        Style::Talk => {
            let all: Vec<Row> = pages(&claims, shown, usize::MAX, &wrap)
                .into_iter()
                .flatten()
                .collect();
            let fixed = top_height(&measure, &all, Style::Talk, probe) + bottom_height(&m);
            let capacity = talk_height.saturating_sub(fixed) / row_height(Style::Talk);
            pages(
                &claims,
                shown,
                usize::try_from(capacity).unwrap_or(1),
                &wrap,
            )
        }
        Style::Paper => pages(&claims, shown, PAPER_ROWS, &wrap),
    };
    let what = match shown {
        Rows::PerClaim => "one row per claim: its weakest check",
        Rows::PerCheck => "every check",
    };
    let limit = axis_limit(&claims);
    let count = pages.len();
    let columns = label_columns(
        &measure,
        &pages.iter().flatten().cloned().collect::<Vec<_>>(),
        options.style,
        width,
    );
    let mut written = Vec::new();
    for (k, rows) in pages.into_iter().enumerate() {
        let n = u32::try_from(rows.len()).unwrap_or(1).max(1);
        let page = if count > 1 {
            format!(" · page {} of {count}", k + 1)
        } else {
            String::new()
        };
        let subtitle = format!("{mode}{what} · ratio and 95% CI over {replicate_text}{page}");
        let fixed =
            top_height(&measure, &rows, options.style, (&title, &subtitle)) + bottom_height(&m);
        // A talk page fills the slide, with rows at most 2.4 times their least height; a
        // paper page is as tall as its rows.
        let (size, row_h) = match options.style {
            Style::Talk => {
                let least = row_height(Style::Talk);
                let row_h = (talk_height.saturating_sub(fixed) / n).clamp(least, least * 12 / 5);
                ((width, talk_height), row_h)
            }
            Style::Paper => {
                let row_h = row_height(Style::Paper);
                ((width, fixed + n * row_h), row_h)
            }
        };
        let fig = Overview {
            title: title.clone(),
            subtitle,
            rows,
            limit,
            row_h,
            columns,
        };
        let stem = format!("{FIGURE}-{}", k + 1);
        written.extend(write_figure(dir, &stem, FIGURE, size, options, &fig)?);
    }
    // Pages of an earlier rendering in this style with more pages.
    for k in (count + 1..).take_while(|_| !super::laying_out()) {
        let stem = super::styled_stem(&format!("{FIGURE}-{k}"), options.style);
        let stale: Vec<PathBuf> = ["png", "svg"]
            .iter()
            .map(|ext| dir.join(format!("{stem}.{ext}")))
            .filter(|p| p.is_file())
            .collect();
        if stale.is_empty() {
            break;
        }
        for path in stale {
            std::fs::remove_file(&path).map_err(|source| RenderError::Io { path, source })?;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_are_shortened_where_the_names_overlap() {
        assert_eq!(
            comparison("calcifying + levamisole", "calcifying"),
            "calcifying: + levamisole"
        );
        assert_eq!(
            comparison("CHOP KO + thapsigargin 10 nM", "thapsigargin 10 nM"),
            "thapsigargin 10 nM: + CHOP KO"
        );
        assert_eq!(
            comparison("thapsigargin 10 nM", "thapsigargin 2.5 nM"),
            "thapsigargin 10 vs 2.5 nM"
        );
        assert_eq!(
            comparison(
                "High phosphate 2.1 mM added Pi",
                "High phosphate 0.0 mM added Pi"
            ),
            "High phosphate 2.1 vs 0.0 mM added Pi"
        );
        assert_eq!(comparison("calcifying", "control"), "calcifying vs control");
        assert_eq!(comparison("a b", "a b c"), "a b vs a b c");
        assert_eq!(
            comparison("glucose 5.5 <-> 25 mM", "glucose 25 mM"),
            "glucose 5.5 <-> 25 mM vs glucose 25 mM"
        );
    }

    #[test]
    fn ratio_ticks_are_nice_and_labelled_exactly() {
        let ticks = ratio_ticks(1.0, &[1, 2, 5]);
        let labels: Vec<&str> = ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["0.1", "0.2", "0.5", "1", "2", "5", "10"]);
        let ticks = ratio_ticks(20f64.log10(), &[1]);
        let labels: Vec<&str> = ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["0.1", "1", "10"]);
        assert_eq!(ratio_label(5, -2), "0.05");
    }
}
