//! Recording: population observables at the recording interval and per-site snapshots
//! of the wall. Values are gathered into site-indexed arrays and reduced in site order,
//! so the numbers do not depend on query iteration order or thread count.

use crate::model::fate::Phenotype;
use crate::model::mineral::CALCIUM_UG_PER_PMOL;
use crate::record::{TIMESERIES_COLUMNS, TimeseriesRow, WallRow};
use crate::sim::components::{CellId, Fate, Intracellular, Sensed, Status, WallSite};
use crate::sim::resources::{Model, Recorder, SimClock, Tally, Wall};
use bevy_ecs::prelude::*;

/// One cell's recorded markers.
#[derive(Clone, Copy)]
struct Markers {
    id: u64,
    status: Status,
    phenotype: Phenotype,
    values: [f64; 15],
}

const MARKERS: usize = 15;

/// Records at `time_min` if it is a recording time and takes due snapshots.
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
    let model = world.resource::<Model>().clone();
    let sites = world.resource::<Wall>().lattice.len();
    let mut by_site: Vec<Option<Markers>> = vec![None; sites];
    let mut query = world.query::<(&CellId, &WallSite, &Intracellular, &Sensed, &Fate)>();
    for (id, site, cell, sensed, fate) in query.iter(world) {
        let s = &cell.state;
        let exposure = model.cell.exposure(&sensed.0);
        let readout = model.cell.readout(s, &exposure);
        by_site[site.0] = Some(Markers {
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
                readout.apoptosis.hazard_per_hour,
            ],
        });
    }
    if due_series {
        let row = timeseries_row(world, &model, &by_site, time_min);
        world.resource_mut::<Recorder>().timeseries.push(row);
    }
    if due_snapshot {
        let rows = snapshot_rows(world.resource::<Wall>(), &by_site, time_min);
        let mut recorder = world.resource_mut::<Recorder>();
        recorder.wall.extend(rows);
        while recorder
            .snapshots_min
            .first()
            .is_some_and(|&s| s <= time_min + 1e-6)
        {
            recorder.snapshots_min.remove(0);
        }
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    #[expect(clippy::cast_possible_truncation, reason = "index within the slice")]
    #[expect(clippy::cast_sign_loss, reason = "non-negative")]
    #[expect(clippy::cast_precision_loss, reason = "population sizes")]
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[expect(
    clippy::cast_precision_loss,
    reason = "population counts are far below 2^52"
)]
fn timeseries_row(
    world: &World,
    model: &Model,
    by_site: &[Option<Markers>],
    time_min: f64,
) -> TimeseriesRow {
    let wall = world.resource::<Wall>();
    let tally = world.resource::<Tally>();
    let (mut alive, mut contractile, mut synthetic, mut osteogenic) = (0_u64, 0_u64, 0_u64, 0_u64);
    let (mut apoptotic, mut bodies) = (0_u64, 0_u64);
    let mut sums = [0.0; MARKERS];
    let mut columns: [Vec<f64>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut alp_total = 0.0;
    for m in by_site.iter().flatten() {
        match m.status {
            Status::Alive => {
                alive += 1;
                match m.phenotype {
                    Phenotype::Contractile => contractile += 1,
                    Phenotype::Synthetic => synthetic += 1,
                    Phenotype::Osteogenic => osteogenic += 1,
                }
                for (sum, v) in sums.iter_mut().zip(m.values) {
                    *sum += v;
                }
                columns[0].push(m.values[0]);
                columns[1].push(m.values[1]);
                columns[2].push(m.values[10]);
                alp_total += m.values[11];
            }
            Status::Apoptotic { .. } => apoptotic += 1,
            Status::Body => bodies += 1,
        }
    }
    for column in &mut columns {
        column.sort_by(f64::total_cmp);
    }
    let total = alive + apoptotic + bodies;
    let mean = |i: usize| {
        if alive > 0 {
            sums[i] / alive as f64
        } else {
            f64::NAN
        }
    };
    let acp: f64 = wall.sites.iter().map(|s| s.acp).sum();
    let hap: f64 = wall.sites.iter().map(|s| s.hap).sum();
    let vesicles: f64 = wall.sites.iter().map(|s| s.vesicles).sum();
    let mineral = &model.params.mineral;
    let stained = wall
        .sites
        .iter()
        .filter(|s| s.total() > mineral.alizarin_threshold)
        .count();
    let protein_mg = (alive.max(1) as f64) * mineral.protein_per_cell * 1e-6;
    let fluid = wall.fluid_at(0);
    let values = vec![
        time_min / (24.0 * 60.0),
        total as f64,
        alive as f64,
        contractile as f64,
        synthetic as f64,
        osteogenic as f64,
        apoptotic as f64,
        bodies as f64,
        tally.apoptotic_deaths as f64,
        tally.divisions as f64,
        if total > 0 {
            (apoptotic + bodies) as f64 / total as f64
        } else {
            0.0
        },
        if alive > 0 {
            osteogenic as f64 / alive as f64
        } else {
            0.0
        },
        mean(0),
        quantile(&columns[0], 0.1),
        quantile(&columns[0], 0.5),
        quantile(&columns[0], 0.9),
        mean(1),
        quantile(&columns[1], 0.1),
        quantile(&columns[1], 0.5),
        quantile(&columns[1], 0.9),
        mean(2),
        mean(3),
        mean(4),
        mean(5),
        mean(6),
        mean(7),
        mean(8),
        mean(9),
        mean(10),
        quantile(&columns[2], 0.9),
        mean(11),
        mean(12),
        mean(13),
        mean(14),
        vesicles,
        acp,
        hap,
        acp + hap,
        (acp + hap) * CALCIUM_UG_PER_PMOL / protein_mg,
        stained as f64 / wall.sites.len().max(1) as f64,
        alp_total,
        fluid.calcium,
        fluid.phosphate,
        fluid.pyrophosphate,
        fluid.beta_glycerophosphate,
        fluid.calcium * fluid.phosphate,
    ];
    debug_assert_eq!(values.len(), TIMESERIES_COLUMNS.len());
    TimeseriesRow {
        time_h: time_min / 60.0,
        values,
    }
}

#[expect(clippy::cast_precision_loss, reason = "lattice indices are small")]
fn snapshot_rows(wall: &Wall, by_site: &[Option<Markers>], time_min: f64) -> Vec<WallRow> {
    let area = wall.lattice.site_area_mm2();
    let spacing_mm = wall.lattice.spacing_um * 1e-3;
    wall.sites
        .iter()
        .enumerate()
        .map(|(i, site)| {
            let (a, c, l) = wall.lattice.coords(i);
            let (occupant, id, chop, runx2, alp) = match by_site[i] {
                None => ("empty", None, 0.0, 0.0, 0.0),
                Some(m) => {
                    let label = match m.status {
                        Status::Alive => m.phenotype.name(),
                        Status::Apoptotic { .. } => "apoptotic",
                        Status::Body => "apoptotic_body",
                    };
                    (label, Some(m.id), m.values[1], m.values[10], m.values[11])
                }
            };
            WallRow {
                time_days: time_min / (24.0 * 60.0),
                axial_index: a,
                circumferential_index: c,
                layer_index: l,
                layer: wall.lattice.layers[l].name(),
                axial_mm: (a as f64 + 0.5) * spacing_mm,
                circumferential_mm: (c as f64 + 0.5) * spacing_mm,
                occupant,
                cell_id: id,
                chop,
                runx2,
                alp,
                vesicles: site.vesicles,
                mineral_acp_pmol: site.acp,
                mineral_hap_pmol: site.hap,
                mineral_ug_per_mm2: site.total() * CALCIUM_UG_PER_PMOL / area,
            }
        })
        .collect()
}

/// The end-of-step recording system.
pub fn record(world: &mut World) {
    let clock = *world.resource::<SimClock>();
    record_at(world, clock.time_min + clock.step_min);
}
