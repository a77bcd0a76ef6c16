//! Births and removals, in cell-id order so that the lattice is updated deterministically:
//! efferocytosis of apoptotic bodies by live neighbours, and division of cells that
//! finished S/G2/M into a free neighbouring site (contact inhibition otherwise).

use crate::model::fate::{efferocytosis_rate, event_probability};
use crate::sim::components::{
    CellId, Cycle, Fate, Intracellular, Released, Sensed, Status, Susceptibility, WallSite,
};
use crate::sim::resources::{Model, NextCellId, Occupant, RunSeed, SimClock, Tally, Wall};
use crate::sim::rng::{KeyedStream, Purpose};
use bevy_ecs::prelude::*;

/// Efferocytosis and division (exclusive: it spawns and despawns entities).
pub fn turnover(world: &mut World) {
    let clock = *world.resource::<SimClock>();
    let seed = world.resource::<RunSeed>().0;
    let step_h = clock.step_min / 60.0;
    let (fate_params, threshold) = {
        let model = world.resource::<Model>();
        (
            model.params.fate.clone(),
            model.params.mineral.alizarin_threshold,
        )
    };
    let mut query = world.query::<(Entity, &CellId, &WallSite, &Fate, &Released)>();
    let mut cells: Vec<(Entity, u64, usize, Fate, bool)> = query
        .iter(world)
        .map(|(entity, id, site, fate, released)| (entity, id.0, site.0, *fate, released.died))
        .collect();
    cells.sort_by_key(|c| c.1);

    let mut removed = Vec::new();
    let mut divide = Vec::new();
    let mut deaths = 0;
    {
        let wall = world.resource::<Wall>();
        for &(entity, id, site, fate, died) in &cells {
            if died {
                deaths += 1;
            }
            match fate.status {
                Status::Body if wall.sites[site].total() < threshold => {
                    let live = wall.live_neighbours(site);
                    let fetuin = wall.fluid_at(site).fetuin_a;
                    let p =
                        event_probability(efferocytosis_rate(&fate_params, live, fetuin), step_h);
                    if KeyedStream::new(seed, id, clock.tick, Purpose::Efferocytosis).uniform() < p
                    {
                        removed.push((entity, site));
                    }
                }
                Status::Alive => {
                    if let Cycle::Sg2m { remaining_h } = fate.cycle
                        && remaining_h <= 1e-9
                    {
                        divide.push((entity, id, site));
                    }
                }
                _ => {}
            }
        }
    }
    world.resource_mut::<Tally>().apoptotic_deaths += deaths;
    for (entity, site) in removed {
        world.despawn(entity);
        world.resource_mut::<Wall>().occupants[site] = Occupant::Empty;
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
        let Some(mother) = world.get::<Intracellular>(entity).copied() else {
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
        let susceptibility = world
            .get::<Susceptibility>(entity)
            .copied()
            .unwrap_or(Susceptibility(1.0));
        world.spawn((
            CellId(new_id),
            WallSite(target),
            Intracellular {
                state: mother.state,
                step_hint_min: mother.step_hint_min,
                failure: None,
            },
            sensed.unwrap_or_else(Sensed::unsensed),
            daughter_fate,
            Released::default(),
            susceptibility,
        ));
        world.resource_mut::<Wall>().occupants[target] = Occupant::Cell(new_id);
        world.resource_mut::<Tally>().divisions += 1;
    }
}
