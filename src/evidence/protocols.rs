//! `data/protocols/rows.csv`: how vcsim reproduces each published observation (the
//! protocol experiment, its arms, the readout and the day), or why it cannot.
//!
//! This module reads and checks the mapping only; running the protocols is the
//! validation layer's work (`crate::validation::quantitative`), which also checks that the
//! arms and readouts named here exist.

use super::{DataError, Dataset};
use std::collections::HashMap;

/// How a model prediction is compared with an observation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Comparison {
    /// The paired ratio condition / comparison (geometric mean over replicate pairs),
    /// compared with the row's `effect_value` (a fold change).
    Ratio,
    /// The condition's mean times `scale` [row unit per readout unit], compared with the
    /// row's `value`.
    Level {
        /// Converts the model readout into the row's unit.
        scale: f64,
    },
    /// The first day the condition's readout reaches `level` (readout unit), or, with a
    /// comparison arm, `level` times the comparison arm's readout on the same day (the
    /// paired replicate), averaged over replicates and compared with the row's onset
    /// time.
    OnsetDay {
        /// The readout level (or, with a comparison arm, the ratio) that counts as
        /// detected.
        level: f64,
    },
    /// The population doubling time of the readout (a cell count) between `from_day` and
    /// the row's day, `ln 2 · Δt / ln(N(day) / N(from_day))` [days], times `scale`
    /// [row unit per day], compared with the row's value.
    DoublingTime {
        /// [days] Start of the window.
        from_day: f64,
        /// Converts days into the row's unit (24 for hours).
        scale: f64,
    },
    /// The condition's readout on the row's day over its readout on `from_day`, per
    /// replicate (the same well or animal followed in time), geometric mean over the
    /// replicates, compared with the row's fold change: how much a readout grows over a
    /// window (e.g. a culture's calcium from day 7 to day 14).
    RatioOverTime {
        /// [days] Start of the window (before the row's day).
        from_day: f64,
    },
    /// The share of the condition's replicates (animals) whose readout on the row's day
    /// is at least `level`, times `scale` (100 for percent), compared with the row's
    /// value: how many animals of a cohort show the finding (e.g. stained aortic
    /// mineral). Meaningful when animals differ (`treatment.between_animal_cv`).
    Incidence {
        /// The readout level that counts as showing the finding.
        level: f64,
        /// Converts the share into the row's unit (100 for percent).
        scale: f64,
    },
    /// The condition's mean over only its replicates (animals) whose stained area
    /// (`alizarin_positive_area_fraction`) on the row's day is at least `level`
    /// (`stained`) or below it (not `stained`), divided by the comparison arm's mean
    /// over all its replicates; compared with the row's fold change. For papers that
    /// report calcified and non-calcified animals of one cohort apart.
    SubgroupRatio {
        /// The stained area fraction that counts as calcified.
        level: f64,
        /// The calcified subgroup (`true`) or the non-calcified one.
        stained: bool,
    },
}

impl Comparison {
    /// Whether the statistic counts or selects animals of a cohort (incidence, the
    /// calcified or non-calcified subgroup), so that its value depends on how many
    /// replicates the protocol runs: two animals can only give a share of 0, 50 or 100%.
    #[must_use]
    pub const fn compares_animals(self) -> bool {
        matches!(self, Self::Incidence { .. } | Self::SubgroupRatio { .. })
    }

    /// The name used in `rows.csv` and in reports.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ratio => "ratio",
            Self::Level { .. } => "level",
            Self::OnsetDay { .. } => "onset_day",
            Self::DoublingTime { .. } => "doubling_time",
            Self::RatioOverTime { .. } => "ratio_over_time",
            Self::Incidence { .. } => "incidence",
            Self::SubgroupRatio { stained: true, .. } => "ratio_stained",
            Self::SubgroupRatio { stained: false, .. } => "ratio_unstained",
        }
    }
}

/// The simulation that reproduces one observation.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapping {
    /// The protocol file's stem (`data/protocols/<protocol>.toml`).
    pub protocol: String,
    /// The arm of the measured condition.
    pub condition_arm: String,
    /// The arm of the reference (ratio rows).
    pub comparison_arm: Option<String>,
    /// A `timeseries.csv` column name.
    pub readout: String,
    /// [days] When the paper measured.
    pub day: f64,
    /// How prediction and observation are compared.
    pub comparison: Comparison,
}

/// One line of `rows.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct ProtocolRow {
    /// The observation id.
    pub id: String,
    /// 1-based line in the file.
    pub line: u64,
    /// The simulation, or `None` when the model cannot express the row.
    pub mapping: Option<Mapping>,
    /// How conditions were mapped, or why the row is not expressible.
    pub note: String,
}

#[derive(serde::Deserialize)]
struct RawRow {
    id: String,
    status: String,
    protocol: String,
    condition_arm: String,
    comparison_arm: String,
    readout: String,
    day: String,
    statistic: String,
    scale: String,
    onset_level: String,
    #[serde(default)]
    from_day: String,
    note: String,
}

/// The committed mapping (`data/protocols/rows.csv`), compiled into the library.
pub const ROWS_CSV: &str = include_str!("../../data/protocols/rows.csv");

/// Every observation's protocol mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Protocols {
    rows: Vec<ProtocolRow>,
}

impl Protocols {
    /// The committed mapping, checked against the committed observations.
    ///
    /// # Errors
    /// A malformed line, or a mapping that does not cover every observation once.
    pub fn committed(dataset: &Dataset) -> Result<Self, DataError> {
        let protocols = Self::parse("data/protocols/rows.csv", ROWS_CSV)?;
        protocols.check_covers("data/protocols/rows.csv", dataset)?;
        Ok(protocols)
    }

    /// Parses a `rows.csv`.
    ///
    /// # Errors
    /// The first line that is not CSV, lacks a column, has an unknown status or statistic,
    /// misses a field its statistic needs, or repeats an id.
    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        let mut rows: Vec<ProtocolRow> = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for (line, raw) in super::records::<RawRow>(file, text)? {
            let error = |field: &str, message: String| DataError::at(file, line, field, message);
            let id = raw.id.trim().to_string();
            if id.is_empty() {
                return Err(error("id", "empty".to_string()));
            }
            if let Some(first) = seen.insert(id.clone(), line) {
                return Err(error("id", format!("`{id}` is also on line {first}")));
            }
            let mapping = match raw.status.trim() {
                "not_expressible" => {
                    if raw.note.trim().is_empty() {
                        return Err(error(
                            "note",
                            "a not_expressible row says why the model cannot express it"
                                .to_string(),
                        ));
                    }
                    None
                }
                "simulated" => Some(mapping(&raw, &error)?),
                other => {
                    return Err(error(
                        "status",
                        format!("`{other}`: expected simulated or not_expressible"),
                    ));
                }
            };
            rows.push(ProtocolRow {
                id,
                line,
                mapping,
                note: raw.note.trim().to_string(),
            });
        }
        Ok(Self { rows })
    }

    /// Checks that every observation of `dataset` has exactly one line and that no line
    /// names an observation the dataset does not have.
    ///
    /// # Errors
    /// The first observation without a line, or the first line of an unknown id.
    pub fn check_covers(&self, file: &str, dataset: &Dataset) -> Result<(), DataError> {
        for row in &self.rows {
            if !dataset.all().iter().any(|o| o.id == row.id) {
                return Err(DataError::at(
                    file,
                    row.line,
                    "id",
                    format!("`{}` is not an observation id", row.id),
                ));
            }
        }
        for o in dataset.all() {
            if !self.rows.iter().any(|r| r.id == o.id) {
                return Err(DataError::at(
                    file,
                    0,
                    "id",
                    format!(
                        "observation {} has no line (a protocol or a reason it is not expressible)",
                        o.id
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Every line, in file order.
    #[must_use]
    pub fn rows(&self) -> &[ProtocolRow] {
        &self.rows
    }

    /// The line of one observation.
    #[must_use]
    pub fn of(&self, id: &str) -> Option<&ProtocolRow> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// The protocol stems the simulated lines use, each once, in first-use order.
    #[must_use]
    pub fn protocol_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for m in self.rows.iter().filter_map(|r| r.mapping.as_ref()) {
            if !out.contains(&m.protocol.as_str()) {
                out.push(&m.protocol);
            }
        }
        out
    }
}

fn mapping(raw: &RawRow, error: &dyn Fn(&str, String) -> DataError) -> Result<Mapping, DataError> {
    let required = |field: &str, value: &str| -> Result<String, DataError> {
        let v = value.trim();
        if v.is_empty() {
            Err(error(field, "empty (a simulated row needs it)".to_string()))
        } else {
            Ok(v.to_string())
        }
    };
    let number = |field: &str, value: &str| -> Result<f64, DataError> {
        let v = required(field, value)?;
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(error(field, format!("`{v}`: expected a number"))),
        }
    };
    let protocol = required("protocol", &raw.protocol)?;
    if !protocol
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(error(
            "protocol",
            format!("`{protocol}`: a file stem of lower-case letters, digits, - and _"),
        ));
    }
    let day = number("day", &raw.day)?;
    if day < 0.0 {
        return Err(error("day", format!("{day}: expected at least 0")));
    }
    let positive_scale = || {
        let scale = number("scale", &raw.scale)?;
        if scale > 0.0 {
            Ok(scale)
        } else {
            Err(error(
                "scale",
                format!("{scale}: expected a positive factor"),
            ))
        }
    };
    let comparison = match raw.statistic.trim() {
        "ratio" => Comparison::Ratio,
        "level" => {
            let scale = positive_scale()?;
            Comparison::Level { scale }
        }
        "onset_day" => Comparison::OnsetDay {
            level: number("onset_level", &raw.onset_level)?,
        },
        "doubling_time" => {
            let scale = positive_scale()?;
            let from_day = number("from_day", &raw.from_day)?;
            if !(0.0..day).contains(&from_day) {
                return Err(error(
                    "from_day",
                    format!("{from_day}: expected at least 0 and before day {day}"),
                ));
            }
            Comparison::DoublingTime { from_day, scale }
        }
        "ratio_over_time" => {
            let from_day = number("from_day", &raw.from_day)?;
            if !(0.0..day).contains(&from_day) {
                return Err(error(
                    "from_day",
                    format!("{from_day}: expected at least 0 and before day {day}"),
                ));
            }
            Comparison::RatioOverTime { from_day }
        }
        "incidence" => {
            let scale = positive_scale()?;
            Comparison::Incidence {
                level: number("onset_level", &raw.onset_level)?,
                scale,
            }
        }
        statistic @ ("ratio_stained" | "ratio_unstained") => {
            let level = number("onset_level", &raw.onset_level)?;
            if !(level > 0.0 && level <= 1.0) {
                return Err(error(
                    "onset_level",
                    format!("{level}: expected a stained area fraction in (0, 1]"),
                ));
            }
            Comparison::SubgroupRatio {
                level,
                stained: statistic == "ratio_stained",
            }
        }
        other => {
            return Err(error(
                "statistic",
                format!(
                    "`{other}`: expected ratio, level, onset_day, doubling_time, ratio_over_time, incidence, \
                     ratio_stained or ratio_unstained"
                ),
            ));
        }
    };
    let comparison_arm = match (comparison, raw.comparison_arm.trim()) {
        (Comparison::Ratio | Comparison::SubgroupRatio { .. }, "") => {
            return Err(error(
                "comparison_arm",
                "empty (a ratio row needs the reference arm)".to_string(),
            ));
        }
        (Comparison::RatioOverTime { .. }, arm) if !arm.is_empty() => {
            return Err(error(
                "comparison_arm",
                format!(
                    "`{arm}`: a ratio_over_time row compares its arm with itself; leave it empty"
                ),
            ));
        }
        (_, "") => None,
        (_, arm) => Some(arm.to_string()),
    };
    Ok(Mapping {
        protocol,
        condition_arm: required("condition_arm", &raw.condition_arm)?,
        comparison_arm,
        readout: required("readout", &raw.readout)?,
        day,
        comparison,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,status,protocol,condition_arm,comparison_arm,readout,day,statistic,scale,onset_level,from_day,note\n";

    fn parse(body: &str) -> Result<Protocols, DataError> {
        Protocols::parse("rows.csv", &format!("{HEADER}{body}"))
    }

    #[test]
    fn simulated_and_not_expressible_lines_parse() {
        let p = parse(
            "OBS1,simulated,vdn,VDN,control,calcium_ug,28,ratio,,,,aorta\n\
             OBS2,not_expressible,,,,,,,,,,the model has no kidney\n\
             OBS3,simulated,vdn,VDN,,calcium_ug,28,level,0.5,,,µg to µmol\n\
             OBS4,simulated,nodules,control,,alizarin_area,60,onset_day,,0.05,,detectable\n\
             OBS5,simulated,growth,serum,,cells_total,3,doubling_time,24,,1,x\n\
             OBS6,simulated,cohort,uremic,,alizarin_area,91,incidence,100,0.01,,share\n\
             OBS7,simulated,cohort,uremic,control,calcium_ug,28,ratio_stained,,0.01,,sub\n\
             OBS8,simulated,cohort,uremic,control,calcium_ug,28,ratio_unstained,,0.01,,sub\n\
             OBS9,simulated,nodules,control,,calcium_ug,14,ratio_over_time,,,7,d7 to d14\n",
        )
        .unwrap();
        assert_eq!(p.rows().len(), 9);
        assert_eq!(
            p.of("OBS9").unwrap().mapping.as_ref().unwrap().comparison,
            Comparison::RatioOverTime { from_day: 7.0 }
        );
        let comparison = |id: &str| p.of(id).unwrap().mapping.as_ref().unwrap().comparison;
        assert_eq!(
            comparison("OBS6"),
            Comparison::Incidence {
                level: 0.01,
                scale: 100.0
            }
        );
        assert_eq!(
            comparison("OBS7"),
            Comparison::SubgroupRatio {
                level: 0.01,
                stained: true
            }
        );
        assert_eq!(comparison("OBS8").name(), "ratio_unstained");
        assert_eq!(
            p.of("OBS5").unwrap().mapping.as_ref().unwrap().comparison,
            Comparison::DoublingTime {
                from_day: 1.0,
                scale: 24.0
            }
        );
        assert_eq!(p.of("OBS2").unwrap().mapping, None);
        let m = p.of("OBS3").unwrap().mapping.clone().unwrap();
        assert_eq!(m.comparison, Comparison::Level { scale: 0.5 });
        assert_eq!(m.comparison_arm, None);
        assert_eq!(
            p.protocol_names(),
            vec!["vdn", "nodules", "growth", "cohort"]
        );
    }

    #[test]
    fn defects_name_their_line_and_field() {
        let cases = [
            ("OBS1,maybe,,,,,,,,,,x\n", "rows.csv:2: status"),
            ("OBS1,not_expressible,,,,,,,,,,\n", "rows.csv:2: note"),
            (
                "OBS1,simulated,vdn,VDN,,calcium_ug,28,ratio,,,,x\n",
                "comparison_arm",
            ),
            (
                "OBS1,simulated,vdn,VDN,c,calcium_ug,soon,ratio,,,,x\n",
                "rows.csv:2: day",
            ),
            (
                "OBS1,simulated,vdn,VDN,,calcium_ug,28,level,,,,x\n",
                "scale",
            ),
            (
                "OBS1,simulated,Bad Name,VDN,c,calcium_ug,28,ratio,,,,x\n",
                "protocol",
            ),
            (
                "OBS1,simulated,vdn,VDN,c,calcium_ug,28,mean,,,,x\n",
                "statistic",
            ),
            (
                "OBS1,not_expressible,,,,,,,,,,x\nOBS1,not_expressible,,,,,,,,,,x\n",
                "rows.csv:3: id",
            ),
            (
                "OBS1,simulated,cohort,uremic,,alizarin_area,91,incidence,,0.01,,x\n",
                "rows.csv:2: scale",
            ),
            (
                "OBS1,simulated,cohort,uremic,control,calcium_ug,28,ratio_stained,,2,,x\n",
                "rows.csv:2: onset_level",
            ),
            (
                "OBS1,simulated,cohort,uremic,,calcium_ug,28,ratio_unstained,,0.01,,x\n",
                "comparison_arm",
            ),
            (
                "OBS1,simulated,nodules,control,,calcium_ug,14,ratio_over_time,,,14,x\n",
                "rows.csv:2: from_day",
            ),
            (
                "OBS1,simulated,nodules,control,,calcium_ug,14,ratio_over_time,,,,x\n",
                "rows.csv:2: from_day",
            ),
            (
                "OBS1,simulated,nodules,control,other,calcium_ug,14,ratio_over_time,,,7,x\n",
                "rows.csv:2: comparison_arm",
            ),
        ];
        for (body, expected) in cases {
            let e = parse(body).unwrap_err().to_string();
            assert!(e.contains(expected), "{body:?}: {e}");
        }
    }
}
