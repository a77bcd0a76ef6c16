//! Every parameter of the simulation in one place: the cell model's modules plus the
//! population-level modules (fates, mineral). Scenario files override parameters here by
//! module and field name.

use crate::model::cell::{CellParams, MODULES as CELL_MODULES};
use crate::model::fate::FateParams;
use crate::model::mineral::MineralParams;
use crate::model::parameters::{DidYouMean, ParamError, ParamRow, ParameterTable, closest};
use crate::references::Source;

/// All model parameters.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ModelParams {
    /// The intracellular model.
    pub cell: CellParams,
    /// Cell-fate rules.
    pub fate: FateParams,
    /// Extracellular chemistry and mineral.
    pub mineral: MineralParams,
}

/// `data/calibration/shipped.toml`, as committed: the parameter file of the
/// `vcsim calibrate` run whose values are the shipped defaults (see
/// [`ModelParams::default`]). Its `[about]` table names the rows fitted
/// (`fitted_rows`), each value's prior (`prior.<module>.<field>`) and the digest of
/// the calibration inputs (`inputs_digest`).
pub const SHIPPED_TOML: &str = include_str!("../../data/calibration/shipped.toml");

/// The shipped calibration: values and the source text of each calibrated row.
#[derive(Debug)]
pub struct Shipped {
    /// (module, field, value), in file order.
    pub values: Vec<(String, String, f64)>,
    /// The source of each calibrated row: `vcsim calibrate to OBS.., prior [a, b] (log)`.
    pub sources: Vec<String>,
}

/// Reads a shipped parameter file: the `[parameters.<module>]` tables (each value
/// range-checked) and, per value, its prior from `[about] prior.<module>.<field>` and
/// the fitted rows from `[about] fitted_rows`.
///
/// # Errors
/// Text that is not TOML, a value that is not a number or out of range, a module or
/// field that does not exist, a value without its prior or without `fitted_rows`.
pub fn parse_shipped(text: &str) -> Result<Shipped, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let about = table.get("about").and_then(toml::Value::as_table);
    let fitted = about
        .and_then(|a| a.get("fitted_rows"))
        .and_then(toml::Value::as_str);
    let mut values = Vec::new();
    let mut sources = Vec::new();
    let mut probe = ModelParams::built_in();
    let modules = table
        .get("parameters")
        .map(|p| p.as_table().ok_or("parameters: not a table"))
        .transpose()?;
    for (module, fields) in modules.into_iter().flatten() {
        let fields = fields
            .as_table()
            .ok_or_else(|| format!("parameters.{module}: not a table"))?;
        for (field, value) in fields {
            let key = format!("parameters.{module}.{field}");
            let v = value
                .as_float()
                .ok_or_else(|| format!("{key}: not a floating-point number"))?;
            probe
                .set(module, field, v)
                .map_err(|e| format!("{key}: {e}"))?;
            let prior = about
                .and_then(|a| a.get("prior"))
                .and_then(|p| p.get(module.as_str()))
                .and_then(|m| m.get(field.as_str()))
                .and_then(toml::Value::as_str)
                .ok_or_else(|| format!("{key}: no [about] prior.{module}.{field}"))?;
            let fitted = fitted.ok_or_else(|| format!("{key}: no [about] fitted_rows"))?;
            values.push((module.clone(), field.clone(), v));
            sources.push(format!("vcsim calibrate to {fitted}; prior {prior}"));
        }
    }
    Ok(Shipped { values, sources })
}

/// The shipped calibration, read once. A defective committed file is a build defect
/// (`tests/it/calibration.rs` reads it); it stops the program with its reason.
fn shipped() -> &'static Shipped {
    static SHIPPED: std::sync::LazyLock<Shipped> = std::sync::LazyLock::new(|| {
        parse_shipped(SHIPPED_TOML)
            .unwrap_or_else(|e| panic!("data/calibration/shipped.toml (bundled): {e}"))
    });
    &SHIPPED
}

/// The built-in parameter table with each module's own sources (without the shipped
/// calibration's), built once.
fn built_in_rows() -> &'static [ParamRow] {
    static ROWS: std::sync::LazyLock<Vec<ParamRow>> = std::sync::LazyLock::new(|| {
        let built_in = ModelParams::built_in();
        let mut rows = built_in.cell.rows();
        rows.extend(built_in.fate.rows());
        rows.extend(built_in.mineral.rows());
        rows
    });
    &ROWS
}

impl Default for ModelParams {
    /// The built-in values of every module with the shipped calibration
    /// (`data/calibration/shipped.toml`) laid over them.
    fn default() -> Self {
        let mut params = Self::built_in();
        for (module, field, value) in &shipped().values {
            // Checked against the same table by `parse_shipped`.
            let _ = params.set(module, field, *value);
        }
        params
    }
}

impl ModelParams {
    /// The modules' own values, without the shipped calibration.
    #[must_use]
    pub fn built_in() -> Self {
        Self {
            cell: CellParams::default(),
            fate: FateParams::default(),
            mineral: MineralParams::default(),
        }
    }

    /// Every module name, in table order.
    #[must_use]
    pub fn modules() -> Vec<&'static str> {
        let mut modules = CELL_MODULES.to_vec();
        modules.push(FateParams::MODULE);
        modules.push(MineralParams::MODULE);
        modules
    }

    /// The whole parameter table.
    #[must_use]
    pub fn rows(&self) -> Vec<ParamRow> {
        let mut rows = self.cell.rows();
        rows.extend(self.fate.rows());
        rows.extend(self.mineral.rows());
        let shipped = shipped();
        for ((module, field, _), source) in shipped.values.iter().zip(&shipped.sources) {
            if let Some(row) = rows
                .iter_mut()
                .find(|r| r.module == module && r.field == field)
            {
                row.source = Source::Calibrated(source.as_str());
            }
        }
        rows
    }

    /// Where a parameter's `value` comes from: `calibrated: <row>` when it is the
    /// shipped calibration's value, the table's own source when it is the built-in value,
    /// and `None` for any other value (set by a parameter file, a knockout or a caller).
    #[must_use]
    pub fn source_of_value(module: &str, field: &str, value: f64) -> Option<Source> {
        let shipped = shipped();
        if let Some(((_, _, _), source)) = shipped
            .values
            .iter()
            .zip(&shipped.sources)
            .find(|((m, f, v), _)| m == module && f == field && v.to_bits() == value.to_bits())
        {
            return Some(Source::Calibrated(source.as_str()));
        }
        built_in_rows()
            .iter()
            .find(|r| {
                r.module == module && r.field == field && r.value.to_bits() == value.to_bits()
            })
            .map(|r| r.source)
    }

    /// The parameter table as Markdown (`vcsim params`; `docs/parameters.md` holds the
    /// whole table): one row per parameter, with `module` limiting it to one module.
    #[must_use]
    pub fn markdown(&self, module: Option<&str>) -> String {
        use std::fmt::Write as _;
        let mut out = String::from(
            "| module | symbol | field | value | unit | meaning | source | allowed |\n\
             |---|---|---|---|---|---|---|---|\n",
        );
        for r in self
            .rows()
            .iter()
            .filter(|r| module.is_none_or(|m| m == r.module))
        {
            // Writing to a String cannot fail.
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} | {} | {} | {} | [{}, {}] |",
                r.module, r.symbol, r.field, r.value, r.unit, r.meaning, r.source, r.min, r.max
            );
        }
        out
    }

    /// Sets one parameter by module and field name, checking its allowed range.
    ///
    /// # Errors
    /// Unknown module or field (with a "did you mean"), or a value out of range.
    pub fn set(&mut self, module: &str, field: &str, value: f64) -> Result<(), ParamError> {
        if CELL_MODULES.contains(&module) {
            return self.cell.set(module, field, value);
        }
        if module == FateParams::MODULE {
            return self.fate.set(field, value);
        }
        if module == MineralParams::MODULE {
            return self.mineral.set(field, value);
        }
        Err(ParamError::UnknownModule {
            module: module.to_string(),
            suggestion: DidYouMean(closest(module, Self::modules())),
        })
    }
}
