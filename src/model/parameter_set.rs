//! Every parameter of the simulation in one place: the cell model's modules plus the
//! population-level modules (fates, mineral). Scenario files override parameters here by
//! module and field name.

use crate::model::cell::{CellParams, MODULES as CELL_MODULES};
use crate::model::fate::FateParams;
use crate::model::mineral::MineralParams;
use crate::model::parameters::{DidYouMean, ParamError, ParamRow, ParameterTable, closest};

/// All model parameters.
#[derive(Clone, Debug, PartialEq, Default, serde::Serialize)]
pub struct ModelParams {
    /// The intracellular model.
    pub cell: CellParams,
    /// Cell-fate rules.
    pub fate: FateParams,
    /// Extracellular chemistry and mineral.
    pub mineral: MineralParams,
}

impl ModelParams {
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
        rows
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
