//! The columns of `timeseries.csv`: one [`Column`] per column, with its CSV header
//! ([`Column::name`]), its human label ([`Column::label`], the one table of readout
//! labels) and its unit ([`Column::unit`]). A [`TimeseriesRow`] is indexed by `Column`, so
//! nothing reads a column by position or by string at run time; names from user input
//! or from a file header are parsed once with [`Column::from_name`].
//!
//! Every column but Moran's I and its shuffled control ([`Column::may_be_negative`]) holds a
//! quantity of at least 0. The means and percentiles of the living
//! cells (and `fraction_osteogenic`) do not exist once no cell is alive: the value is NaN
//! in a [`TimeseriesRow`] and an empty field in the file ([`crate::record`]).

use std::fmt;
use std::str::FromStr;

/// Declares [`Column`] and its table: `Variant: "csv name", "unit", "label";`.
macro_rules! columns {
    ($($(#[doc = $doc:literal])+ $variant:ident: $name:literal, $unit:literal, $label:literal;)+) => {
        /// One column of `timeseries.csv`, in file order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Column {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Column {
            /// Every column, in file order (`Column::ALL[c as usize] == c`).
            pub const ALL: [Self; Self::COUNT] = [$(Self::$variant,)+];

            /// Number of columns of `timeseries.csv`.
            pub const COUNT: usize = [$($name,)+].len();

            /// The CSV header of the column (e.g. `grp78_mean`).
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }

            /// The unit of the column's values: `fold` for fold changes over an
            /// unstressed cell, `1` for dimensionless numbers and fractions.
            #[must_use]
            pub const fn unit(self) -> &'static str {
                match self {
                    $(Self::$variant => $unit,)+
                }
            }

            /// The human label, as the reports print it (e.g. `GRP78`,
            /// `calcium content (µg/mg protein)`): the readout's name, with its unit
            /// where the unit is not a fold change or a plain number.
            #[must_use]
            pub const fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }
    };
}

columns! {
    /// [h] Time since the start of the run.
    TimeH: "time_h", "h", "time (h)";
    /// [days] Time since the start of the run.
    TimeDays: "time_days", "days", "time (days)";
    /// [cells] Cells of every status (alive, apoptotic, bodies).
    CellsTotal: "cells_total", "cells", "cells (total)";
    /// [cells] Living cells.
    CellsAlive: "cells_alive", "cells", "living cells";
    /// [cells] Living contractile cells.
    Contractile: "contractile", "cells", "contractile cells";
    /// [cells] Living synthetic cells.
    Synthetic: "synthetic", "cells", "synthetic cells";
    /// [cells] Living osteogenic cells.
    Osteogenic: "osteogenic", "cells", "osteogenic cells";
    /// [cells] Apoptotic cells.
    Apoptotic: "apoptotic", "cells", "apoptotic cells";
    /// [bodies] Apoptotic bodies.
    ApoptoticBodies: "apoptotic_bodies", "bodies", "apoptotic bodies";
    /// [cells] Apoptotic deaths since the start.
    ApoptoticDeathsCumulative: "apoptotic_deaths_cumulative", "cells", "apoptotic deaths (cumulative)";
    /// [cells] Apoptotic deaths since the start credited to basal turnover (each death is
    /// credited to one route in proportion to the routes' hazards; the seven route columns
    /// sum to `apoptotic_deaths_cumulative`).
    DeathsBasalCumulative: "deaths_basal_cumulative", "cells", "deaths: basal turnover (cumulative)";
    /// [cells] Apoptotic deaths since the start credited to the CHOP route (Bcl-2 down, BH3-only up).
    DeathsChopCumulative: "deaths_chop_cumulative", "cells", "deaths: CHOP route (cumulative)";
    /// [cells] Apoptotic deaths since the start credited to the caspase-12 route.
    DeathsCaspase12Cumulative: "deaths_caspase12_cumulative", "cells", "deaths: caspase-12 route (cumulative)";
    /// [cells] Apoptotic deaths since the start credited to the IRE1-JNK route.
    DeathsJnkCumulative: "deaths_jnk_cumulative", "cells", "deaths: JNK route (cumulative)";
    /// [cells] Apoptotic deaths since the start credited to death receptors and oxysterols.
    DeathsExtrinsicCumulative: "deaths_extrinsic_cumulative", "cells", "deaths: extrinsic route (cumulative)";
    /// [cells] Apoptotic deaths since the start credited to autophagic death.
    DeathsAutophagyCumulative: "deaths_autophagy_cumulative", "cells", "deaths: autophagic (cumulative)";
    /// [cells] Apoptotic deaths since the start credited to calcium-phosphate deposits the cell touched.
    DeathsCrystalCumulative: "deaths_crystal_cumulative", "cells", "deaths: calcium-phosphate deposits (cumulative)";
    /// [cells] Divisions since the start.
    DivisionsCumulative: "divisions_cumulative", "cells", "divisions (cumulative)";
    /// [1] Apoptotic cells and bodies over all cells.
    ApoptosisIndex: "apoptosis_index", "1", "apoptosis index";
    /// [1] Osteogenic cells over living cells.
    FractionOsteogenic: "fraction_osteogenic", "1", "fraction osteogenic";
    /// [fold] Mean BiP/GRP78 protein of the living cells.
    Grp78Mean: "grp78_mean", "fold", "GRP78";
    /// [fold] 10th percentile of GRP78.
    Grp78P10: "grp78_p10", "fold", "GRP78 (10th percentile)";
    /// [fold] Median GRP78.
    Grp78P50: "grp78_p50", "fold", "GRP78 (median)";
    /// [fold] 90th percentile of GRP78.
    Grp78P90: "grp78_p90", "fold", "GRP78 (90th percentile)";
    /// [fold] Mean CHOP protein of the living cells.
    ChopMean: "chop_mean", "fold", "CHOP";
    /// [fold] 10th percentile of CHOP.
    ChopP10: "chop_p10", "fold", "CHOP (10th percentile)";
    /// [fold] Median CHOP.
    ChopP50: "chop_p50", "fold", "CHOP (median)";
    /// [fold] 90th percentile of CHOP.
    ChopP90: "chop_p90", "fold", "CHOP (90th percentile)";
    /// [fold] Mean ATF4.
    Atf4Mean: "atf4_mean", "fold", "ATF4";
    /// [fold] Mean spliced XBP1.
    Xbp1sMean: "xbp1s_mean", "fold", "XBP1s";
    /// [fold] Mean phosphorylated eIF2α.
    PEif2aMean: "p_eif2a_mean", "fold", "p-eIF2α";
    /// [fold] Mean cleaved ATF6 (ATF6(N)).
    Atf6CleavedMean: "atf6_cleaved_mean", "fold", "ATF6(N)";
    /// [fold] Mean cleaved caspase-12.
    Caspase12Mean: "caspase12_mean", "fold", "cleaved caspase-12";
    /// [fold] Mean phosphorylated JNK.
    PJnkMean: "p_jnk_mean", "fold", "p-JNK";
    /// [fold] Mean LC3-II (autophagy flux).
    Lc3iiAutophagyMean: "lc3ii_autophagy_mean", "fold", "LC3-II (autophagy flux)";
    /// [fold] Mean mTORC1 activity.
    Mtorc1Mean: "mtorc1_mean", "fold", "mTORC1 activity";
    /// [fold] Mean Runx2.
    Runx2Mean: "runx2_mean", "fold", "Runx2";
    /// [fold] 90th percentile of Runx2.
    Runx2P90: "runx2_p90", "fold", "Runx2 (90th percentile)";
    /// [1] Coefficient of variation of Runx2 across the living cells.
    Runx2Cv: "runx2_cv", "1", "Runx2 (coefficient of variation)";
    /// [fold] Mean ALP per cell.
    AlpMean: "alp_mean", "fold", "ALP activity";
    /// [1] Mean osteocalcin (BGLAP) expression of the living cells, a readout of Runx2
    /// and ATF4 activity (1 = an unstressed cell).
    OsteocalcinMean: "osteocalcin_mean", "fold", "osteocalcin (fold)";
    /// [fold] Mean α-smooth-muscle actin.
    AlphaSmaMean: "alpha_sma_mean", "fold", "α-SMA";
    /// [1] Mean osteogenic index.
    OsteogenicIndexMean: "osteogenic_index_mean", "1", "osteogenic index";
    /// [h⁻¹] Mean apoptosis hazard per living cell.
    ApoptosisHazardPerHMean: "apoptosis_hazard_per_h_mean", "h⁻¹", "apoptosis rate (h⁻¹ per cell)";
    /// [1] Competence-weighted matrix vesicles released by living cells, in the whole wall.
    MatrixVesicles: "matrix_vesicles", "1", "matrix vesicles";
    /// [1] Calcifying vesicle equivalents left by apoptotic bodies, in the whole wall.
    ApoptoticBodyVesicles: "apoptotic_body_vesicles", "1", "apoptotic-body vesicles";
    /// [pmol Ca] Amorphous calcium phosphate of the whole wall.
    MineralAcpPmol: "mineral_acp_pmol", "pmol Ca", "ACP mineral (pmol Ca)";
    /// [pmol Ca] Hydroxyapatite of the whole wall.
    MineralHapPmol: "mineral_hap_pmol", "pmol Ca", "hydroxyapatite (pmol Ca)";
    /// [pmol Ca] All mineral of the whole wall.
    MineralTotalPmol: "mineral_total_pmol", "pmol Ca", "mineral (pmol Ca)";
    /// [pmol Ca] The part of the mineral that nucleated on elastic lamellae and grew
    /// from it (the rest nucleated on matrix vesicles and apoptotic bodies); 0 in a well.
    MineralLamellaPmol: "mineral_lamella_pmol", "pmol Ca", "mineral on elastic lamellae (pmol Ca)";
    /// [µg Ca] Calcium of the whole lattice (a patch of a well, or a vessel segment):
    /// mineral plus the basal calcium of the cells, living and dead.
    CalciumUg: "calcium_ug", "µg Ca", "calcium content (µg)";
    /// [µg Ca/mm] Calcium per mm of lattice length along the axis (per mm of vessel).
    CalciumUgPerMm: "calcium_ug_per_mm", "µg Ca/mm", "calcium content (µg/mm)";
    /// [µg Ca/mg protein] Calcium over the protein of the living cells.
    CalciumUgPerMgProtein: "calcium_ug_per_mg_protein", "µg Ca/mg protein", "calcium content (µg/mg protein)";
    /// [µg Ca/mg protein] Calcium over the protein of all cells, living and dead.
    CalciumUgPerMgTotalProtein: "calcium_ug_per_mg_total_protein", "µg Ca/mg protein", "calcium content (µg/mg total protein)";
    /// [µg Ca/mg dry tissue] Calcium of a vessel segment over the dry mass of its wall
    /// (every site's volume × `mineral.tissue_density` × `mineral.tissue_dry_fraction`,
    /// plus the mineral's own mass as hydroxyapatite), as aortic calcium is reported per
    /// dry weight; empty for a culture well, which has no tissue.
    CalciumUgPerMgDryTissue: "calcium_ug_per_mg_dry_tissue", "µg Ca/mg dry tissue", "calcium content (µg/mg dry tissue)";
    /// [1] Fraction of the sites that stain with Alizarin red.
    AlizarinPositiveAreaFraction: "alizarin_positive_area_fraction", "1", "Alizarin-positive area (fraction)";
    /// [1] Mineral of the site ranked at the top 1% (the `⌈N/100⌉`-th most mineralised of
    /// the `N` sites) over the Alizarin threshold (`mineral.alizarin_threshold`): the
    /// stained area reaches 1% of the sites when it exceeds 1. Below 1 it says how far a
    /// wall or well is from a detectable stain (0.1: the top 1% hold a tenth of the
    /// detectable amount); empty when the threshold is 0.
    AlizarinMargin1Pct: "alizarin_margin_1pct", "1", "top-1% site mineral / stain threshold";
    /// [1] Moran's I of mineral per site over the sites of the cell-holding layers (rook
    /// neighbours of the lattice: in-layer, periodic around the circumference, radial
    /// between cell-holding layers): > 0 when mineral clusters, about 0 when it lies at
    /// random, < 0 when it alternates. Empty when it is not defined (no mineral, or the
    /// same amount on every site). May be negative.
    MineralMoransI: "mineral_morans_i", "1", "Moran's I of mineral per site";
    /// [1] Mean Moran's I of the same per-site mineral values placed on the sites by 20
    /// seeded random permutations (the spatially shuffled control, about −1/(N − 1)).
    /// May be negative.
    MineralMoransIShuffled: "mineral_morans_i_shuffled", "1", "Moran's I of mineral, shuffled control";
    /// [1] One-sided permutation p-value of mineral clustering against the 20 shuffles,
    /// `(1 + #{shuffled ≥ observed}) / 21` (smallest possible value 1/21 ≈ 0.048).
    MineralMoransIP: "mineral_morans_i_p", "1", "Moran's I of mineral, permutation p-value";
    /// [1] Mean degraded share of the elastic lamellae's elastin (0 intact, 1 fully
    /// degraded by the proteases of the osteogenic cells around them, `docs/model.md` §5.3);
    /// empty for a culture well, which has no lamellae.
    LamellaElastinDegraded: "lamella_elastin_degraded", "1", "elastin degraded (share of lamellae)";
    /// [fold × cells] Summed ALP of the living cells.
    AlpActivityTotal: "alp_activity_total", "fold × cells", "ALP activity (total)";
    /// [mM] Free calcium of the medium (site 0's voxel).
    FluidCalciumMM: "fluid_calcium_mM", "mM", "calcium (mM)";
    /// [mM] Inorganic phosphate of the medium.
    FluidPhosphateMM: "fluid_phosphate_mM", "mM", "phosphate (mM)";
    /// [µM] Pyrophosphate of the medium.
    FluidPyrophosphateUM: "fluid_pyrophosphate_uM", "µM", "pyrophosphate (µM)";
    /// [mM] β-glycerophosphate of the medium.
    FluidBetaGlycerophosphateMM: "fluid_beta_glycerophosphate_mM", "mM", "β-glycerophosphate (mM)";
    /// [mM²] Calcium × phosphate ion product of the medium.
    IonProductMM2: "ion_product_mM2", "mM²", "Ca × Pi ion product (mM²)";
}

/// [1] The share of the sites whose threshold crossing `alizarin_margin_1pct` measures:
/// the stained area reaches this share when the margin passes 1.
pub const ALIZARIN_MARGIN_SHARE: f64 = 0.01;

impl Column {
    /// The column named `name` (a `timeseries.csv` header).
    ///
    /// # Errors
    /// [`UnknownColumn`] naming `name`.
    pub fn from_name(name: &str) -> Result<Self, UnknownColumn> {
        Self::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| UnknownColumn(name.to_string()))
    }

    /// The column's position in `timeseries.csv` (0 = `time_h`).
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Whether the column's values may be negative (Moran's I and its control); every
    /// other column holds a quantity of at least 0.
    #[must_use]
    pub const fn may_be_negative(self) -> bool {
        matches!(self, Self::MineralMoransI | Self::MineralMoransIShuffled)
    }

    /// The label of a summary table: [`Column::label`], with `fold` added for fold
    /// changes (`GRP78 (fold)`, `LC3-II (autophagy flux, fold)`).
    #[must_use]
    pub fn summary_label(self) -> String {
        let label = self.label();
        if self.unit() != "fold" {
            label.to_string()
        } else if let Some(open) = label.strip_suffix(')') {
            format!("{open}, fold)")
        } else {
            format!("{label} (fold)")
        }
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Column {
    type Err = UnknownColumn;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s)
    }
}

impl serde::Serialize for Column {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Column {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::from_name(&name).map_err(serde::de::Error::custom)
    }
}

/// A column name that is not a column of `timeseries.csv`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a timeseries.csv column (the columns are time_h, time_days, ..., ion_product_mM2)"
)]
pub struct UnknownColumn(pub String);

/// One recorded time of the population: a value for every [`Column`].
#[derive(Clone, Debug, PartialEq)]
pub struct TimeseriesRow {
    values: [f64; Column::COUNT],
}

impl TimeseriesRow {
    /// The row whose value in column `c` is `value(c)`.
    #[must_use]
    pub fn from_fn(mut value: impl FnMut(Column) -> f64) -> Self {
        Self {
            values: Column::ALL.map(&mut value),
        }
    }

    /// The value of `column`, in [`Column::unit`].
    #[must_use]
    pub const fn get(&self, column: Column) -> f64 {
        self.values[column.index()]
    }

    /// Sets the value of `column`, in [`Column::unit`].
    pub const fn set(&mut self, column: Column, value: f64) {
        self.values[column.index()] = value;
    }

    /// [h] Time of the row.
    #[must_use]
    pub const fn time_h(&self) -> f64 {
        self.get(Column::TimeH)
    }

    /// Every column with its value, in file order.
    pub fn iter(&self) -> impl Iterator<Item = (Column, f64)> + '_ {
        Column::ALL.into_iter().zip(self.values)
    }
}

impl std::ops::Index<Column> for TimeseriesRow {
    type Output = f64;

    fn index(&self, column: Column) -> &f64 {
        &self.values[column.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_file_order_and_names_are_unique() {
        assert_eq!(Column::COUNT, 67);
        for (i, c) in Column::ALL.into_iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(Column::from_name(c.name()), Ok(c));
            assert_eq!(c.name().parse::<Column>(), Ok(c));
            assert!(!c.label().is_empty() && !c.unit().is_empty(), "{c}");
        }
        assert_eq!(Column::ALL[0].name(), "time_h");
        assert_eq!(Column::ALL[Column::COUNT - 1].name(), "ion_product_mM2");
    }

    #[test]
    fn unknown_names_are_errors_that_name_them() {
        let e = Column::from_name("grp87_mean").unwrap_err();
        assert!(e.to_string().contains("`grp87_mean`"), "{e}");
    }

    #[test]
    fn summary_labels_say_fold() {
        assert_eq!(Column::Grp78Mean.summary_label(), "GRP78 (fold)");
        assert_eq!(
            Column::Lc3iiAutophagyMean.summary_label(),
            "LC3-II (autophagy flux, fold)"
        );
        assert_eq!(
            Column::CalciumUgPerMgProtein.summary_label(),
            "calcium content (µg/mg protein)"
        );
    }

    #[test]
    fn rows_are_indexed_by_column() {
        #[expect(clippy::cast_precision_loss, reason = "67 columns")]
        let mut row = TimeseriesRow::from_fn(|c| c.index() as f64);
        assert!(row.time_h().abs() < 1e-12);
        assert!((row[Column::IonProductMM2] - 66.0).abs() < 1e-12);
        row.set(Column::ChopMean, -1.0);
        assert!((row.get(Column::ChopMean) + 1.0).abs() < 1e-12);
    }
}
