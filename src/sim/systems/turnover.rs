//! Births and removals, in cell-id order so that the lattice is updated deterministically:
//! the fate events of the step (deaths are counted, cells that finished S/G2/M divide
//! into a free neighbouring site, or go back to G0 if contact-inhibited; both cells then
//! inherit the mother's heterogeneity multipliers with noise) and efferocytosis of
//! apoptotic bodies by live neighbours (mineralised or not: the mineral stays on the
//! site when the body is cleared; the share `c_AB` of the site's body fragments goes with
//! the body). A body cleared in the step it forms is removed before its fragments reach
//! the site (the extracellular system runs after this one), so its fragments are lost.

use crate::model::apoptosis::DEATH_ROUTES;
use crate::model::cell::{ApoptosisState, AutophagyState};
use crate::model::fate::{
    Cycle, Fate, FateEvent, Released, Status, body_vesicles_after_clearance, efferocytosis_rate,
    event_probability,
};
use crate::model::heterogeneity::CellTraits;
use crate::model::osteogenic::OsteogenicState;
use crate::model::upr_core::UprCoreState;
use crate::sim::components::{
    CellId, Integration, PendingFateEvent, Sensed, Susceptibility, WallSite,
};
use crate::sim::heterogeneity_spread;
use crate::sim::resources::{Model, NextCellId, Occupant, RunSeed, SimClock, Tally, Wall};
use crate::sim::rng::{KeyedStream, Purpose};
use bevy_ecs::prelude::*;
use rand_distr::StandardNormal;

/// Efferocytosis and division (exclusive: it spawns and despawns entities).
pub fn turnover(world: &mut World) {
    let clock = *world.resource::<SimClock>();
    let seed = world.resource::<RunSeed>().0;
    let step_h = clock.step_min / crate::units::HOUR;
    let fate_params = world.resource::<Model>().params.fate.clone();
    let spread = heterogeneity_spread(&fate_params);
    let mut query = world.query::<(Entity, &CellId, &WallSite, &Fate, &PendingFateEvent)>();
    let mut cells: Vec<(Entity, u64, usize, Fate, Option<FateEvent>)> = query
        .iter(world)
        .map(|(entity, id, site, fate, event)| (entity, id.0, site.0, *fate, event.0))
        .collect();
    cells.sort_by_key(|c| c.1);

    let mut removed = Vec::new();
    let mut divide = Vec::new();
    let mut deaths = 0;
    let mut deaths_by_route = [0_u64; DEATH_ROUTES];
    {
        let wall = world.resource::<Wall>();
        for &(entity, id, site, fate, event) in &cells {
            match event {
                Some(FateEvent::CommittedToApoptosis) => {
                    deaths += 1;
                    deaths_by_route[fate.death_route.index()] += 1;
                }
                Some(FateEvent::Divides) => divide.push((entity, id, site)),
                // The body stays on its site until efferocytosis clears it.
                Some(FateEvent::BecameApoptoticBody) | None => {}
            }
            if fate.status == Status::Body {
                let live = wall.live_neighbours(site);
                let fetuin = wall.fluid_at(site).fetuin_a;
                let p = event_probability(efferocytosis_rate(&fate_params, live, fetuin), step_h);
                if KeyedStream::new(seed, id, clock.tick, Purpose::Efferocytosis).uniform() < p {
                    removed.push((entity, site));
                }
            }
        }
    }
    {
        let mut tally = world.resource_mut::<Tally>();
        tally.apoptotic_deaths += deaths;
        for (total, new) in tally.deaths_by_route.iter_mut().zip(deaths_by_route) {
            *total += new;
        }
    }
    for (entity, site) in removed {
        world.despawn(entity);
        let mut wall = world.resource_mut::<Wall>();
        wall.occupants[site] = Occupant::Empty;
        // The phagocyte takes the share `c_AB` of the site's body fragments with the body.
        let fragments = &mut wall.sites[site].body_vesicles;
        *fragments = body_vesicles_after_clearance(&fate_params, *fragments);
    }
    for (entity, id, site) in divide {
        let target = {
            let wall = world.resource::<Wall>();
            let mut out = [0; 6];
            let n = wall.lattice.neighbours(site, &mut out);
            let free: Vec<usize> = out[..n]
                .iter()
                .copied()
                .filter(|&i| {
                    wall.occupants[i] == Occupant::Empty && wall.lattice.layer_of(i).holds_cells()
                })
                .collect();
            (!free.is_empty()).then(|| {
                free[KeyedStream::new(seed, id, clock.tick, Purpose::DaughterSite)
                    .index(free.len())]
            })
        };
        let mother = (|| {
            Some((
                *world.get::<UprCoreState>(entity)?,
                *world.get::<AutophagyState>(entity)?,
                *world.get::<ApoptosisState>(entity)?,
                *world.get::<OsteogenicState>(entity)?,
                world.get::<Integration>(entity)?.step_hint_min,
            ))
        })();
        let Some((upr, autophagy, apoptosis, osteogenic, step_hint_min)) = mother else {
            continue;
        };
        if let Some(mut fate) = world.get_mut::<Fate>(entity) {
            fate.cycle = Cycle::G0;
        }
        let Some(target) = target else {
            continue; // contact-inhibited at the last moment: back to G0
        };
        let phenotype = world.get::<Fate>(entity).map(|f| f.phenotype);
        let new_id = {
            let mut next = world.resource_mut::<NextCellId>();
            let id = next.0;
            next.0 += 1;
            id
        };
        let mut daughter_fate = Fate::new();
        if let Some(phenotype) = phenotype {
            daughter_fate.phenotype = phenotype;
        }
        let sensed = world.get::<Sensed>(entity).copied();
        // Both cells inherit the mother's multipliers with noise (AR(1) in the log, so
        // the population keeps its spread), each from a stream keyed by its own id.
        let mother_traits = world
            .get::<Susceptibility>(entity)
            .map_or(CellTraits::REFERENCE, |s| s.0);
        let inherit = |cell: u64| {
            let mut stream = KeyedStream::new(seed, cell, clock.tick, Purpose::TraitInheritance);
            Susceptibility(spread.inherit(
                &mother_traits,
                std::array::from_fn(|_| stream.sample::<f64>(&StandardNormal)),
            ))
        };
        let susceptibility = inherit(new_id);
        if let Some(mut mother) = world.get_mut::<Susceptibility>(entity) {
            *mother = inherit(id);
        }
        world.spawn((
            CellId(new_id),
            WallSite(target),
            upr,
            autophagy,
            apoptosis,
            osteogenic,
            Integration {
                step_hint_min,
                failure: None,
                rhs_evaluations: 0,
            },
            sensed.unwrap_or_else(Sensed::unsensed),
            daughter_fate,
            Released::default(),
            PendingFateEvent::default(),
            susceptibility,
        ));
        world.resource_mut::<Wall>().occupants[target] = Occupant::Cell(new_id);
        world.resource_mut::<Tally>().divisions += 1;
    }
}
