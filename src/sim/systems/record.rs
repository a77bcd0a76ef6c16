//! Recording: population observables at the recording interval and per-site snapshots
//! of the wall. Values are gathered into site-indexed arrays and reduced in site order,
//! so the numbers do not depend on query iteration order or thread count.

use crate::model::apoptosis::DeathRoute;
use crate::model::cell::{ApoptosisState, AutophagyState, CellState};
use crate::model::fate::{Fate, Phenotype, Status};
use crate::model::mineral::{CALCIUM_UG_PER_PMOL, MINERAL_MG_PER_PMOL_CALCIUM, SiteMineral};
use crate::model::osteogenic::OsteogenicState;
use crate::model::upr_core::UprCoreState;
use crate::record::{ALIZARIN_MARGIN_SHARE, Column, LayerRow, TimeseriesRow, WallRow};
use crate::sim::components::{CellId, Sensed, Susceptibility, WallSite};
use crate::sim::grid::{Lattice, LayerKind};
use crate::sim::resources::{Exposure, Model, Recorder, SimClock, SiteSnapshot, Tally, Wall};
use crate::stats::{Adjacency, MoransI, morans_i_with_control, quantile_nearest_rank};
use crate::units::{min_to_days, min_to_h};
use bevy_ecs::prelude::*;

/// One cell's recorded markers.
#[derive(Clone, Copy)]
struct Markers {
    id: u64,
    status: Status,
    phenotype: Phenotype,
    values: [f64; MARKERS],
}

const MARKERS: usize = 16;

/// The population sums of one recorded time, accumulated cell by cell in site order.
#[derive(Default)]
struct Summary {
    alive: u64,
    contractile: u64,
    synthetic: u64,
    osteogenic: u64,
    apoptotic: u64,
    bodies: u64,
    sums: [f64; MARKERS],
    /// GRP78, CHOP and Runx2 of the living cells, for percentiles.
    columns: [Vec<f64>; 3],
    alp_total: f64,
    /// Living cells per radial layer.
    alive_by_layer: Vec<u64>,
    /// Living osteogenic cells per radial layer.
    osteogenic_by_layer: Vec<u64>,
}

impl Summary {
    fn new(layers: usize) -> Self {
        Self {
            alive_by_layer: vec![0; layers],
            osteogenic_by_layer: vec![0; layers],
            ..Self::default()
        }
    }

    fn add(&mut self, m: &Markers, layer: usize) {
        match m.status {
            Status::Alive => {
                self.alive += 1;
                self.alive_by_layer[layer] += 1;
                if m.phenotype == Phenotype::Osteogenic {
                    self.osteogenic_by_layer[layer] += 1;
                }
                match m.phenotype {
                    Phenotype::Contractile => self.contractile += 1,
                    Phenotype::Synthetic => self.synthetic += 1,
                    Phenotype::Osteogenic => self.osteogenic += 1,
                }
                for (sum, v) in self.sums.iter_mut().zip(m.values) {
                    *sum += v;
                }
                self.columns[0].push(m.values[0]);
                self.columns[1].push(m.values[1]);
                self.columns[2].push(m.values[10]);
                self.alp_total += m.values[11];
            }
            Status::Apoptotic { .. } => self.apoptotic += 1,
            Status::Body => self.bodies += 1,
        }
    }
}

/// Records at `time_min` if it is a recording time and takes due snapshots.
///
/// Cells are visited in site order (sums do not depend on storage order or thread
/// count) and each one's markers are reduced at once, so that no per-site copy of the
/// population is held (at a million cells that copy was 190 MB).
pub fn record_at(world: &mut World, time_min: f64) {
    let (every, due_snapshot) = {
        let recorder = world.resource::<Recorder>();
        let due = recorder
            .snapshots_min
            .first()
            .is_some_and(|&s| s <= time_min + 1e-6);
        (recorder.every_min, due)
    };
    let ratio = time_min / every;
    let due_series = (ratio - ratio.round()).abs() < 1e-9;
    if !due_series && !due_snapshot {
        return;
    }
    let (row, rows) = gather(world, time_min, due_series, due_snapshot);
    let mut recorder = world.resource_mut::<Recorder>();
    if let Some((row, mut layers)) = row {
        recorder.timeseries.push(row);
        recorder.layers.append(&mut layers);
    }
    if due_snapshot {
        recorder.wall.push((time_min, rows));
        while recorder
            .snapshots_min
            .first()
            .is_some_and(|&s| s <= time_min + 1e-6)
        {
            recorder.snapshots_min.remove(0);
        }
    }
}

/// The timeseries row and the `layers.csv` rows (if due) and the wall snapshot (empty
/// unless due) at `time_min`.
fn gather(
    world: &mut World,
    time_min: f64,
    due_series: bool,
    due_snapshot: bool,
) -> (Option<(TimeseriesRow, Vec<LayerRow>)>, Vec<SiteSnapshot>) {
    let mut sites = world.query::<(Entity, &WallSite)>();
    let mut cells = world.query::<(
        &CellId,
        &UprCoreState,
        &AutophagyState,
        &ApoptosisState,
        &OsteogenicState,
        &Sensed,
        &Susceptibility,
        &Fate,
    )>();
    let world: &World = world;
    let mut order: Vec<(usize, Entity)> = sites
        .iter(world)
        .map(|(entity, site)| (site.0, entity))
        .collect();
    order.sort_unstable_by_key(|&(site, _)| site);
    let model = world.resource::<Model>();
    let exposure = world.resource::<Exposure>();
    let wall = world.resource::<Wall>();
    // The cells sensed their voxels at the start of the step that ends now.
    let sensed_at = world.resource::<SimClock>().time_min;
    let mut summary = Summary::new(wall.lattice.layers.len());
    let mut rows = Vec::new();
    let mut next_site = 0;
    for (site, entity) in order {
        let Ok((id, upr, autophagy, apoptosis, osteogenic, sensed, susceptibility, fate)) =
            cells.get(world, entity)
        else {
            continue;
        };
        let s = &CellState::from_parts(upr, autophagy, apoptosis, osteogenic);
        let surroundings = exposure.surroundings(sensed_at, sensed, &susceptibility.0);
        let readout = model.cell.readout(s, &model.cell.exposure(&surroundings));
        let markers = Markers {
            id: id.0,
            status: fate.status,
            phenotype: fate.phenotype,
            values: [
                s.upr.bip_protein,
                s.upr.chop_protein,
                s.upr.atf4,
                s.upr.xbp1s,
                s.upr.p_eif2a,
                s.upr.atf6_cleaved,
                s.caspase12,
                s.p_jnk,
                s.autophagy,
                s.mtorc1,
                s.osteogenic.runx2,
                s.osteogenic.alp,
                s.osteogenic.alpha_sma,
                readout.osteogenic.osteogenic_index,
                readout.apoptosis.hazard_per_h,
                readout.osteogenic.osteocalcin,
            ],
        };
        if due_series {
            summary.add(&markers, wall.lattice.coords(site).2);
        }
        if due_snapshot {
            while next_site < site {
                rows.push(site_snapshot(wall, next_site, None));
                next_site += 1;
            }
            rows.push(site_snapshot(wall, site, Some(&markers)));
            next_site = site + 1;
        }
    }
    if due_snapshot {
        while next_site < wall.sites.len() {
            rows.push(site_snapshot(wall, next_site, None));
            next_site += 1;
        }
    }
    let row = due_series.then(|| {
        let layers = layer_rows(wall, &summary, time_min);
        (timeseries_row(world, model, summary, time_min), layers)
    });
    (row, rows)
}

/// Shuffles of the spatially shuffled control of Moran's I at each recorded time.
const MORAN_SHUFFLES: usize = 20;

/// Seed of the control's permutations: fixed, so the control is the same in every run
/// and on every thread count (it shuffles places, not biology).
const MORAN_SEED: u64 = 0x4d6f_7261_6e73_2049;

/// The sites Moran's I of mineral is computed over, those of the cell-holding layers
/// (where cells release vesicles and mineral can form; the cell-free adventitia would
/// add a block of zeros that looks like clustering), and their lattice neighbours among
/// them ([`Lattice::neighbours`]).
fn mineral_sites(lattice: &Lattice) -> (Vec<usize>, Adjacency) {
    let sites: Vec<usize> = (0..lattice.len())
        .filter(|&i| lattice.layer_of(i).holds_cells())
        .collect();
    let mut compact = vec![usize::MAX; lattice.len()];
    for (k, &i) in sites.iter().enumerate() {
        compact[i] = k;
    }
    let mut around = [0; 6];
    let adjacency = Adjacency::from_fn(sites.len(), |k, out| {
        let n = lattice.neighbours(sites[k], &mut around);
        out.extend(around[..n].iter().map(|&j| compact[j]));
    });
    (sites, adjacency)
}

/// Moran's I of mineral per site (ACP + HAP) with its shuffled control
/// ([`mineral_sites`]).
fn mineral_morans_i(wall: &Wall) -> MoransI {
    let (sites, adjacency) = mineral_sites(&wall.lattice);
    let values: Vec<f64> = sites
        .iter()
        .map(|&i| wall.sites[i].acp + wall.sites[i].hap)
        .collect();
    morans_i_with_control(&values, &adjacency, MORAN_SHUFFLES, MORAN_SEED)
}

/// The `layers.csv` rows of one recorded time: mineral and living cells per layer.
#[expect(clippy::cast_precision_loss, reason = "lattice sizes are small")]
fn layer_rows(wall: &Wall, summary: &Summary, time_min: f64) -> Vec<LayerRow> {
    let lattice = &wall.lattice;
    let per_layer = lattice.axial * lattice.circumferential;
    let mineral_ug: Vec<f64> = (0..lattice.layers.len())
        .map(|l| {
            wall.sites[l * per_layer..(l + 1) * per_layer]
                .iter()
                .map(|s| (s.acp + s.hap) * CALCIUM_UG_PER_PMOL)
                .sum()
        })
        .collect();
    let lamella_ug: Vec<f64> = (0..lattice.layers.len())
        .map(|l| {
            wall.sites[l * per_layer..(l + 1) * per_layer]
                .iter()
                .map(|s| s.lamella * CALCIUM_UG_PER_PMOL)
                .sum()
        })
        .collect();
    let total: f64 = mineral_ug.iter().sum();
    let area_mm2 = per_layer as f64 * lattice.site_area_mm2();
    lattice
        .layers
        .iter()
        .enumerate()
        .map(|(l, kind)| LayerRow {
            time_days: min_to_days(time_min),
            layer_index: l,
            layer: kind.name(),
            sites: per_layer,
            cells_alive: summary.alive_by_layer[l],
            osteogenic: summary.osteogenic_by_layer[l],
            mineral_ug: mineral_ug[l],
            mineral_ug_per_mm2: mineral_ug[l] / area_mm2,
            mineral_fraction: if total > 0.0 {
                mineral_ug[l] / total
            } else {
                f64::NAN
            },
            mineral_lamella_ug: lamella_ug[l],
        })
        .collect()
}

/// [1] The mineral of the site ranked `⌈share · N⌉`-th from the top of the `N` sites,
/// over `threshold`: the share of stained sites (mineral above `threshold`) reaches
/// `share` exactly when this exceeds 1. NaN for a threshold of 0 or no sites.
#[expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "site counts are far below 2^52; the rank is a small positive integer"
)]
fn alizarin_margin(sites: &[SiteMineral], threshold: f64, share: f64) -> f64 {
    let n = sites.len();
    if n == 0 || threshold <= 0.0 {
        return f64::NAN;
    }
    let rank_from_top = ((share * n as f64).ceil() as usize).clamp(1, n);
    let mut mineral: Vec<f64> = sites.iter().map(SiteMineral::total).collect();
    let (_, site, _) = mineral.select_nth_unstable_by(n - rank_from_top, f64::total_cmp);
    *site / threshold
}

#[expect(
    clippy::cast_precision_loss,
    reason = "population counts are far below 2^52"
)]
fn timeseries_row(world: &World, model: &Model, summary: Summary, time_min: f64) -> TimeseriesRow {
    let wall = world.resource::<Wall>();
    let tally = world.resource::<Tally>();
    let Summary {
        alive,
        contractile,
        synthetic,
        osteogenic,
        apoptotic,
        bodies,
        sums,
        mut columns,
        alp_total,
        ..
    } = summary;
    let total = alive + apoptotic + bodies;
    let mean = |i: usize| {
        if alive > 0 {
            sums[i] / alive as f64
        } else {
            f64::NAN
        }
    };
    let acp: f64 = wall.sites.iter().map(|s| s.acp).sum();
    let lamella: f64 = wall.sites.iter().map(|s| s.lamella).sum();
    let hap: f64 = wall.sites.iter().map(|s| s.hap).sum();
    let vesicles: f64 = wall.sites.iter().map(|s| s.vesicles).sum();
    let body_vesicles: f64 = wall.sites.iter().map(|s| s.body_vesicles).sum();
    let mineral = &model.params.mineral;
    let stained = wall
        .sites
        .iter()
        .filter(|s| s.total() > mineral.alizarin_threshold)
        .count();
    let protein_mg = (alive.max(1) as f64) * mineral.protein_per_cell * 1e-6;
    // Every cell still on the lattice (living, apoptotic, bodies) holds protein and its
    // basal calcium until it is cleared.
    let total_protein_mg = (total.max(1) as f64) * mineral.protein_per_cell * 1e-6;
    let length_mm = (wall.lattice.axial as f64) * wall.lattice.spacing_um * 1e-3;
    // The calcium an assay finds without mineral: a monolayer's is its cells' (per mg
    // of their protein; a well has no dry tissue mass); a wall's is mostly in its matrix
    // (per mg of dry wall, whatever the cells do), as measured in control aortas.
    let (dry_tissue_mg, basal_calcium_ug) = if wall.lattice.layers.contains(&LayerKind::Monolayer) {
        let basal_ug = model.params.fate.basal_calcium_ug_per_mg_protein
            * (total as f64)
            * mineral.protein_per_cell
            * 1e-6;
        (f64::NAN, basal_ug)
    } else {
        let tissue_mg = wall.tissue_dry_mg(mineral.tissue_density, mineral.tissue_dry_fraction);
        // A calcified wall's dry weight includes its mineral (as in the assays that
        // weigh dried aortas); the basal calcium belongs to the tissue alone.
        let dry_mg = tissue_mg + (acp + hap) * MINERAL_MG_PER_PMOL_CALCIUM;
        (dry_mg, mineral.wall_basal_calcium_ug_per_mg_dry * tissue_mg)
    };
    let calcium_ug = (acp + hap) * CALCIUM_UG_PER_PMOL + basal_calcium_ug;
    let fluid = wall.fluid_at(0);
    let moran = mineral_morans_i(wall);
    let [grp78, chop, runx2] = &mut columns;
    let grp78_p = [0.1, 0.5, 0.9].map(|q| quantile_nearest_rank(grp78, q));
    let chop_p = [0.1, 0.5, 0.9].map(|q| quantile_nearest_rank(chop, q));
    let runx2_p90 = quantile_nearest_rank(runx2, 0.9);
    let runx2_cv = {
        let n = runx2.len() as f64;
        let mean = runx2.iter().sum::<f64>() / n;
        let variance = runx2.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / n;
        variance.sqrt() / mean
    };
    let route_deaths = |route: DeathRoute| tally.deaths_by_route[route.index()] as f64;
    // An exhaustive match: a new column does not compile until it is filled here.
    TimeseriesRow::from_fn(|column| match column {
        Column::TimeH => min_to_h(time_min),
        Column::TimeDays => min_to_days(time_min),
        Column::CellsTotal => total as f64,
        Column::CellsAlive => alive as f64,
        Column::Contractile => contractile as f64,
        Column::Synthetic => synthetic as f64,
        Column::Osteogenic => osteogenic as f64,
        Column::Apoptotic => apoptotic as f64,
        Column::ApoptoticBodies => bodies as f64,
        Column::ApoptoticDeathsCumulative => tally.apoptotic_deaths as f64,
        Column::DeathsBasalCumulative => route_deaths(DeathRoute::Basal),
        Column::DeathsChopCumulative => route_deaths(DeathRoute::Chop),
        Column::DeathsCaspase12Cumulative => route_deaths(DeathRoute::Caspase12),
        Column::DeathsJnkCumulative => route_deaths(DeathRoute::Jnk),
        Column::DeathsExtrinsicCumulative => route_deaths(DeathRoute::Extrinsic),
        Column::DeathsAutophagyCumulative => route_deaths(DeathRoute::Autophagy),
        Column::DeathsCrystalCumulative => route_deaths(DeathRoute::Crystal),
        Column::DivisionsCumulative => tally.divisions as f64,
        // A fraction of no cells does not exist (NaN, an empty field), like the means.
        Column::ApoptosisIndex => {
            if total > 0 {
                (apoptotic + bodies) as f64 / total as f64
            } else {
                f64::NAN
            }
        }
        Column::FractionOsteogenic => {
            if alive > 0 {
                osteogenic as f64 / alive as f64
            } else {
                f64::NAN
            }
        }
        Column::Grp78Mean => mean(0),
        Column::Grp78P10 => grp78_p[0],
        Column::Grp78P50 => grp78_p[1],
        Column::Grp78P90 => grp78_p[2],
        Column::ChopMean => mean(1),
        Column::ChopP10 => chop_p[0],
        Column::ChopP50 => chop_p[1],
        Column::ChopP90 => chop_p[2],
        Column::Atf4Mean => mean(2),
        Column::Xbp1sMean => mean(3),
        Column::PEif2aMean => mean(4),
        Column::Atf6CleavedMean => mean(5),
        Column::Caspase12Mean => mean(6),
        Column::PJnkMean => mean(7),
        Column::Lc3iiAutophagyMean => mean(8),
        Column::Mtorc1Mean => mean(9),
        Column::Runx2Mean => mean(10),
        Column::Runx2P90 => runx2_p90,
        // NaN (an empty field) when no cell is alive, like the means.
        Column::Runx2Cv => runx2_cv,
        Column::AlpMean => mean(11),
        Column::OsteocalcinMean => mean(15),
        Column::AlphaSmaMean => mean(12),
        Column::OsteogenicIndexMean => mean(13),
        Column::ApoptosisHazardPerHMean => mean(14),
        Column::MatrixVesicles => vesicles,
        Column::ApoptoticBodyVesicles => body_vesicles,
        Column::MineralAcpPmol => acp,
        Column::MineralHapPmol => hap,
        Column::MineralTotalPmol => acp + hap,
        Column::MineralLamellaPmol => lamella,
        Column::CalciumUg => calcium_ug,
        Column::CalciumUgPerMm => calcium_ug / length_mm,
        Column::CalciumUgPerMgProtein => calcium_ug / protein_mg,
        Column::CalciumUgPerMgTotalProtein => calcium_ug / total_protein_mg,
        Column::CalciumUgPerMgDryTissue => calcium_ug / dry_tissue_mg,
        Column::AlizarinPositiveAreaFraction => stained as f64 / wall.sites.len().max(1) as f64,
        Column::AlizarinMargin1Pct => alizarin_margin(
            &wall.sites,
            mineral.alizarin_threshold,
            ALIZARIN_MARGIN_SHARE,
        ),
        Column::MineralMoransI => moran.observed,
        Column::MineralMoransIShuffled => moran.shuffled_mean,
        Column::MineralMoransIP => moran.p_value,
        Column::LamellaElastinDegraded => lamella_elastin_degraded(&wall.sites),
        Column::AlpActivityTotal => alp_total,
        Column::FluidCalciumMM => fluid.calcium,
        Column::FluidPhosphateMM => fluid.phosphate,
        Column::FluidPyrophosphateUM => fluid.pyrophosphate,
        Column::FluidBetaGlycerophosphateMM => fluid.beta_glycerophosphate,
        Column::IonProductMM2 => fluid.calcium * fluid.phosphate,
    })
}

/// [1] Mean degraded share of the elastin of the lamella sites; NaN (an empty field)
/// without lamellae.
fn lamella_elastin_degraded(sites: &[SiteMineral]) -> f64 {
    let (sum, count) = sites
        .iter()
        .filter(|s| s.elastin > 0.0)
        .fold((0.0, 0_u32), |(sum, n), s| {
            (sum + s.elastin_degraded, n + 1)
        });
    if count == 0 {
        f64::NAN
    } else {
        sum / f64::from(count)
    }
}

/// Site `i`'s snapshot; `markers` of the cell on it, if any.
fn site_snapshot(wall: &Wall, i: usize, markers: Option<&Markers>) -> SiteSnapshot {
    let site = &wall.sites[i];
    let (occupant, cell_id, values) = match markers {
        None => ("empty", u64::MAX, [0.0; 3]),
        Some(m) => {
            let label = match m.status {
                Status::Alive => m.phenotype.name(),
                Status::Apoptotic { .. } => "apoptotic",
                Status::Body => "apoptotic_body",
            };
            (label, m.id, [m.values[1], m.values[10], m.values[11]])
        }
    };
    SiteSnapshot {
        occupant,
        cell_id,
        markers: values,
        vesicles: site.vesicles,
        acp: site.acp,
        hap: site.hap,
        lamella: site.lamella,
    }
}

/// The `wall.csv` row of site `i` in a snapshot taken at `time_min`.
#[must_use]
#[expect(clippy::cast_precision_loss, reason = "lattice indices are small")]
pub fn wall_row(wall: &Wall, i: usize, time_min: f64, snapshot: &SiteSnapshot) -> WallRow {
    let area = wall.lattice.site_area_mm2();
    let spacing_mm = wall.lattice.spacing_um * 1e-3;
    let (a, c, l) = wall.lattice.coords(i);
    let total = snapshot.acp + snapshot.hap;
    WallRow {
        time_days: min_to_days(time_min),
        axial_index: a,
        circumferential_index: c,
        layer_index: l,
        layer: wall.lattice.layers[l].name(),
        axial_mm: (a as f64 + 0.5) * spacing_mm,
        circumferential_mm: (c as f64 + 0.5) * spacing_mm,
        occupant: snapshot.occupant,
        cell_id: (snapshot.cell_id != u64::MAX).then_some(snapshot.cell_id),
        chop: snapshot.markers[0],
        runx2: snapshot.markers[1],
        alp: snapshot.markers[2],
        vesicles: snapshot.vesicles,
        mineral_acp_pmol: snapshot.acp,
        mineral_hap_pmol: snapshot.hap,
        mineral_ug_per_mm2: total * CALCIUM_UG_PER_PMOL / area,
        mineral_lamella_ug_per_mm2: snapshot.lamella * CALCIUM_UG_PER_PMOL / area,
    }
}

/// The end-of-step recording system.
pub fn record(world: &mut World) {
    let clock = *world.resource::<SimClock>();
    record_at(world, clock.time_min + clock.step_min);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stain_margin_passes_1_exactly_when_the_share_of_stained_sites_is_reached() {
        // 250 sites: the 1% share is the top 3 (⌈2.5⌉).
        let mut sites = vec![SiteMineral::default(); 250];
        for (i, mineral) in [0.5, 0.2, 0.04, 0.03].into_iter().enumerate() {
            sites[i * 7].hap = mineral;
        }
        let threshold = 0.05;
        let stained = |s: &[SiteMineral]| s.iter().filter(|m| m.total() > threshold).count();
        // Two sites stain: short of three; the third is at 0.04 / 0.05 of the threshold.
        assert_eq!(stained(&sites), 2);
        assert!((alizarin_margin(&sites, threshold, 0.01) - 0.8).abs() < 1e-12);
        sites[14].acp = 0.02;
        assert_eq!(stained(&sites), 3);
        assert!(alizarin_margin(&sites, threshold, 0.01) > 1.0);
        assert!(alizarin_margin(&sites, 0.0, 0.01).is_nan());
        assert!(alizarin_margin(&[], threshold, 0.01).is_nan());
    }
}
