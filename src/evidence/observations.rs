//! `data/observations.csv`: one published measurement per row, with its paper, its
//! conditions, the number as written and, where it can be computed, the effect as a fold
//! change (`data/README.md` describes every column).

use super::DataError;

/// What kind of number a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EffectKind {
    /// `value / reference_value` of treated versus control.
    Fold,
    /// A stated percent change (kept as written; `effect_value` holds it as a fold).
    PercentChange,
    /// A level with no usable control.
    Absolute,
    /// An onset, peak or duration.
    Timing,
    /// A concentration, dose or state at which an effect appears or does not.
    Threshold,
}

impl EffectKind {
    /// The name used in the files.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Fold => "fold",
            Self::PercentChange => "percent_change",
            Self::Absolute => "absolute",
            Self::Timing => "timing",
            Self::Threshold => "threshold",
        }
    }
}

/// The theme of a row (what part of the model it tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Theme {
    /// Mineral in cultured cells or explanted vessel segments.
    MineralInVitro,
    /// Vessel mineral in animals.
    MineralInVivo,
    /// GRP78, CHOP, ATF4, p-eIF2α, XBP1s.
    ErStressMarkers,
    /// Runx2, ALP, osteocalcin; the origin of osteochondrogenic cells.
    OsteogenicMarkers,
    /// Apoptotic fractions and markers.
    Apoptosis,
    /// Autophagy flux and matrix vesicles.
    AutophagyVesicles,
    /// Drugs, knockdowns, knockouts and diets that change calcification.
    Interventions,
    /// PPi, Mg, fetuin-A, TNAP, precipitation thresholds, mineral phases.
    InhibitorsChemistry,
    /// Proliferation and doubling times.
    Growth,
    /// Onset and ordering of events.
    Timing,
    /// What vcsim does not model (vascular function, blood pressure, mortality, ...).
    OutOfScope,
}

impl Theme {
    const ALL: [(&'static str, Self); 11] = [
        ("mineral_in_vitro", Self::MineralInVitro),
        ("mineral_in_vivo", Self::MineralInVivo),
        ("er_stress_markers", Self::ErStressMarkers),
        ("osteogenic_markers", Self::OsteogenicMarkers),
        ("apoptosis", Self::Apoptosis),
        ("autophagy_vesicles", Self::AutophagyVesicles),
        ("interventions", Self::Interventions),
        ("inhibitors_chemistry", Self::InhibitorsChemistry),
        ("growth", Self::Growth),
        ("timing", Self::Timing),
        ("out_of_scope", Self::OutOfScope),
    ];

    /// The name used in the file.
    #[must_use]
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("", |(name, _)| name)
    }

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == text).map(|(_, t)| *t)
    }
}

/// One published measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Row id (`OBS001`, ...).
    pub id: String,
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    /// The paper, one key across both data files (the split is by this key).
    pub paper_key: String,
    /// Authors and title as shown on the page read.
    pub paper: String,
    /// Publication year, when the page showed it.
    pub year: Option<u16>,
    /// Address (and PMID/DOI) of the page read.
    pub identifier: String,
    /// Species and model.
    pub species: String,
    /// Cells or tissue measured.
    pub cell_or_tissue: String,
    /// The condition measured.
    pub condition: String,
    /// Its control; empty if none.
    pub comparison: String,
    /// What was measured.
    pub readout: String,
    /// Time point, duration or onset, as written.
    pub time: String,
    /// The measured value as written (may be a range or text).
    pub value: String,
    /// Its unit.
    pub unit: String,
    /// The control's value as written.
    pub reference_value: String,
    /// A relative effect in the page's wording.
    pub fold_or_percent: String,
    /// Sample size as reported.
    pub n: String,
    /// Dispersion as reported.
    pub error: String,
    /// What the row's number is.
    pub effect_kind: EffectKind,
    /// [1] Treated / reference as a fold change, where the row allows computing it.
    pub effect_value: Option<f64>,
    /// Theme.
    pub theme: Theme,
    /// `true` when the text said "~", "about", or the row needs a stated inference.
    pub approximate: bool,
}

#[derive(serde::Deserialize)]
struct RawObservation {
    id: String,
    paper: String,
    paper_key: String,
    year: String,
    identifier: String,
    species: String,
    cell_or_tissue: String,
    condition: String,
    comparison: String,
    readout: String,
    time: String,
    value: String,
    unit: String,
    reference_value: String,
    fold_or_percent: String,
    n: String,
    error: String,
    confidence: String,
    theme: String,
    effect_kind: String,
    effect_value: String,
}

/// Parses `observations.csv`.
///
/// # Errors
/// The first row that is not CSV, lacks a column, or holds a value outside its column's
/// vocabulary (theme, effect kind, confidence), a non-positive or non-numeric
/// `effect_value`, or a repeated id.
pub fn parse(file: &str, text: &str) -> Result<Vec<Observation>, DataError> {
    let mut rows: Vec<Observation> = Vec::new();
    let error = |line: u64, field: &str, message: String| DataError::at(file, line, field, message);
    for (line, raw) in super::records::<RawObservation>(file, text)? {
        let effect_kind = match raw.effect_kind.as_str() {
            "fold" => EffectKind::Fold,
            "percent_change" => EffectKind::PercentChange,
            "absolute" => EffectKind::Absolute,
            "timing" => EffectKind::Timing,
            "threshold" => EffectKind::Threshold,
            other => {
                return Err(error(
                    line,
                    "effect_kind",
                    format!(
                        "`{other}`: expected fold, percent_change, absolute, timing or threshold"
                    ),
                ));
            }
        };
        let effect_value = if raw.effect_value.trim().is_empty() {
            None
        } else {
            match raw.effect_value.trim().parse::<f64>() {
                Ok(v) if v.is_finite() && v > 0.0 => Some(v),
                _ => {
                    return Err(error(
                        line,
                        "effect_value",
                        format!(
                            "`{}`: expected a positive fold change (treated / reference) or nothing",
                            raw.effect_value
                        ),
                    ));
                }
            }
        };
        let theme = Theme::parse(&raw.theme).ok_or_else(|| {
            error(
                line,
                "theme",
                format!(
                    "`{}`: expected one of {}",
                    raw.theme,
                    Theme::ALL.map(|(n, _)| n).join(", ")
                ),
            )
        })?;
        let approximate = match raw.confidence.as_str() {
            "exact" => false,
            "approximate" => true,
            other => {
                return Err(error(
                    line,
                    "confidence",
                    format!("`{other}`: expected `exact` or `approximate`"),
                ));
            }
        };
        let year = if raw.year.trim().is_empty() {
            None
        } else {
            Some(
                raw.year
                    .trim()
                    .parse::<u16>()
                    .map_err(|_| error(line, "year", format!("`{}`: expected a year", raw.year)))?,
            )
        };
        if raw.paper_key.is_empty() {
            return Err(error(line, "paper_key", "empty".to_string()));
        }
        if let Some(first) = rows.iter().find(|o| o.id == raw.id) {
            return Err(error(
                line,
                "id",
                format!("`{}` is also the id of line {}", raw.id, first.line),
            ));
        }
        rows.push(Observation {
            id: raw.id,
            line,
            paper_key: raw.paper_key,
            paper: raw.paper,
            year,
            identifier: raw.identifier,
            species: raw.species,
            cell_or_tissue: raw.cell_or_tissue,
            condition: raw.condition,
            comparison: raw.comparison,
            readout: raw.readout,
            time: raw.time,
            value: raw.value,
            unit: raw.unit,
            reference_value: raw.reference_value,
            fold_or_percent: raw.fold_or_percent,
            n: raw.n,
            error: raw.error,
            effect_kind,
            effect_value,
            theme,
            approximate,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,paper,paper_key,year,journal,identifier,species,cell_or_tissue,condition,comparison,readout,time,value,unit,reference_value,reference_unit,fold_or_percent,n,error,where_in_paper,provenance,confidence,notes,source_row,theme,effect_kind,effect_value,effect_note";

    fn row(theme: &str, kind: &str, value: &str) -> String {
        format!(
            "{HEADER}\nOBS001,A,a2000,2000,J,url,rat,aorta,VDN,control,Ca,28 d,366,umol/g,24,umol/g,,12,,abstract,abstract,exact,,OBS001,{theme},{kind},{value},366/24\n"
        )
    }

    #[test]
    fn a_valid_row_parses_with_its_line() {
        let rows = parse("o.csv", &row("mineral_in_vivo", "fold", "15.25")).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].effect_value, Some(15.25));
        assert_eq!(rows[0].theme, Theme::MineralInVivo);
        assert_eq!(rows[0].theme.name(), "mineral_in_vivo");
    }

    #[test]
    fn bad_vocabulary_and_values_name_line_and_field() {
        for (text, field) in [
            (row("minerals", "fold", "1"), "theme"),
            (row("timing", "ratio", "1"), "effect_kind"),
            (row("timing", "fold", "-2"), "effect_value"),
            (row("timing", "fold", "two"), "effect_value"),
        ] {
            let e = parse("o.csv", &text).unwrap_err();
            assert_eq!((e.line, e.field.as_str()), (2, field), "{e}");
            assert!(
                e.to_string().starts_with(&format!("o.csv:2: {field}:")),
                "{e}"
            );
        }
    }
}
