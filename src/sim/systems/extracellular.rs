//! The hourly extracellular step (`docs/model.md` §5.5): gather what cells put into their
//! voxels (in site order, so sums are deterministic), update the fluid (culture medium or
//! plasma-exchanged wall fluid), form and mature mineral, change the medium on schedule.

use crate::model::fate::{Fate, Released, Status};
use crate::model::mineral::{Fluid, bgp_after, mature, mineral_formation, ppi_after};
use crate::sim::components::WallSite;
use crate::sim::resources::{Exposure, FluidState, Model, SimClock, Wall, WallFluid};
use crate::units::min_to_h;
use bevy_ecs::prelude::*;

/// Per-site inputs from cells for one step. The buffers are kept by the system from one
/// step to the next: allocating them afresh every hour (33 bytes a site) was about a
/// third of the system (page-fault) time of a million-cell wall (6.5 s to 4.4 s over
/// two simulated days).
#[derive(Default)]
pub struct Gathered {
    alp: Vec<f64>,
    enpp1: Vec<f64>,
    vesicles: Vec<f64>,
    body_vesicles: Vec<f64>,
    bodies: Vec<f64>,
    alive: Vec<bool>,
}

impl Gathered {
    /// Zeroes the buffers for `n` sites.
    fn reset(&mut self, n: usize) {
        for buffer in [
            &mut self.alp,
            &mut self.enpp1,
            &mut self.vesicles,
            &mut self.body_vesicles,
            &mut self.bodies,
        ] {
            buffer.clear();
            buffer.resize(n, 0.0);
        }
        self.alive.clear();
        self.alive.resize(n, false);
    }
}

/// Gathers cell outputs into site arrays, then updates fluid and mineral.
pub fn update_extracellular(
    model: Res<Model>,
    clock: Res<SimClock>,
    exposure: Res<Exposure>,
    mut wall: ResMut<Wall>,
    cells: Query<(&WallSite, &Fate, &Released)>,
    mut g: Local<Gathered>,
) {
    let n = wall.lattice.len();
    g.reset(n);
    for (site, fate, released) in &cells {
        let i = site.0;
        g.alp[i] = released.alp;
        g.enpp1[i] = released.enpp1;
        g.vesicles[i] = released.vesicles;
        g.body_vesicles[i] = released.body_vesicles;
        g.alive[i] = fate.is_alive();
        if fate.status == Status::Body {
            g.bodies[i] = fate.alp_at_death;
        }
    }
    let step_h = min_to_h(clock.step_min);
    let end_min = clock.time_min + clock.step_min;
    let mineral = &model.params.mineral;
    let fate = &model.params.fate;
    let wall = &mut *wall;
    wall.site_alive.clone_from(&g.alive);
    // Templates: vesicles accumulate and turn over; apoptotic bodies present now.
    let vesicle_keep = (-fate.vesicle_clearance_rate_per_h * step_h).exp();
    for (i, site) in wall.sites.iter_mut().enumerate() {
        site.vesicles = site.vesicles * vesicle_keep + g.vesicles[i];
        site.body_vesicles = site.body_vesicles * vesicle_keep + g.body_vesicles[i];
        site.apoptotic_bodies = g.bodies[i];
    }
    let alp_total: f64 = g.alp.iter().sum();
    let enpp1_total: f64 = g.enpp1.iter().sum();
    match &mut wall.fluid {
        WallFluid::Medium {
            current,
            fresh,
            volume_ul,
            change_every_min,
        } => {
            let volume = *volume_ul;
            // TNAP: beta-glycerophosphate -> Pi (Michaelis-Menten, exact over the step).
            let vmax = mineral.bgp_hydrolysis_vmax_per_h * alp_total * 1e-6 / volume;
            let bgp = bgp_after(
                current.beta_glycerophosphate,
                vmax,
                mineral.bgp_half_saturation,
                step_h,
            );
            current.phosphate += current.beta_glycerophosphate - bgp;
            current.beta_glycerophosphate = bgp;
            // ENPP1 makes PPi; TNAP hydrolyses it to 2 Pi (exact over the step).
            let production = mineral.ppi_production_per_h * enpp1_total * 1e-3 / volume;
            let clearance = mineral.ppi_hydrolysis_clearance_per_h * alp_total / volume;
            let ppi = ppi_after(current.pyrophosphate, production, clearance, step_h);
            let hydrolysed = current.pyrophosphate + production * step_h - ppi;
            current.pyrophosphate = ppi;
            current.phosphate += 2.0 * hydrolysed * 1e-3;
            wall.cell_phosphorus_pmol += 2.0 * production * step_h * volume;
            // Mineral from the well-mixed medium, limited so the medium never runs dry.
            let fluid = Fluid {
                calcium: current.calcium,
                phosphate: current.phosphate,
                pyrophosphate: current.pyrophosphate,
                fetuin_a: current.fetuin_a,
            };
            let formed: Vec<(f64, f64)> = wall
                .sites
                .iter()
                .map(|site| {
                    let (acp, hap) = mineral_formation(mineral, site, &fluid);
                    (acp * step_h, hap * step_h)
                })
                .collect();
            let demand: f64 = formed.iter().map(|(a, h)| a + h).sum();
            let calcium_pmol = current.calcium * volume * 1e3;
            let phosphate_pmol = current.phosphate * volume * 1e3;
            let scale = if demand > 0.0 {
                (0.5 * calcium_pmol / demand)
                    .min(0.5 * phosphate_pmol / (mineral.phosphate_per_calcium * demand))
                    .min(1.0)
            } else {
                1.0
            };
            let mut taken = 0.0;
            for (site, (acp, hap)) in wall.sites.iter_mut().zip(&formed) {
                site.acp += acp * scale;
                site.hap += hap * scale;
                taken += (acp + hap) * scale;
            }
            current.calcium -= taken / (volume * 1e3);
            current.phosphate -= mineral.phosphate_per_calcium * taken / (volume * 1e3);
            if let Some(every) = *change_every_min {
                let changes_before = (clock.time_min / every + 1e-9).floor();
                let changes_after = (end_min / every + 1e-9).floor();
                if changes_after > changes_before {
                    *current = *fresh;
                    wall.cell_phosphorus_pmol = 0.0;
                }
            }
            // A treatment's window on the medium opened or closed during this step: the
            // cells get the new medium now (a medium change), and later changes bring it.
            if let Some(composition) = switched_composition(&exposure, clock.time_min, end_min) {
                *fresh = composition;
                *current = composition;
                wall.cell_phosphorus_pmol = 0.0;
            }
        }
        WallFluid::Plasma {
            plasma,
            site_pyrophosphate,
        } => {
            // Each site's fluid exchanges with plasma fast (about 30 s across the media):
            // quasi-steady PPi from plasma exchange, local ENPP1 and local TNAP.
            let site_volume_ul = (wall.lattice.spacing_um).powi(3) * 1e-9;
            let quasi_steady_ppi = |plasma: &FluidState, site_pyrophosphate: &mut [f64]| {
                for (i, ppi) in site_pyrophosphate.iter_mut().enumerate() {
                    let production =
                        mineral.ppi_production_per_h * g.enpp1[i] * 1e-3 / site_volume_ul;
                    let clearance =
                        mineral.ppi_hydrolysis_clearance_per_h * g.alp[i] / site_volume_ul;
                    *ppi = (mineral.tissue_exchange_rate_per_h * plasma.pyrophosphate + production)
                        / (mineral.tissue_exchange_rate_per_h + clearance);
                }
            };
            quasi_steady_ppi(plasma, site_pyrophosphate);
            for (i, site) in wall.sites.iter_mut().enumerate() {
                let fluid = Fluid {
                    calcium: plasma.calcium,
                    phosphate: plasma.phosphate,
                    pyrophosphate: site_pyrophosphate[i],
                    fetuin_a: plasma.fetuin_a,
                };
                let (acp, hap) = mineral_formation(mineral, site, &fluid);
                site.acp += acp * step_h;
                site.hap += hap * step_h;
            }
            // A treatment's window on the plasma opened or closed during this step: the
            // wall's fluid sees the new plasma from the next step on.
            if let Some(composition) = switched_composition(&exposure, clock.time_min, end_min) {
                *plasma = composition;
                quasi_steady_ppi(plasma, site_pyrophosphate);
            }
        }
    }
    for site in &mut wall.sites {
        mature(mineral, site, step_h);
    }
}

/// The new medium or plasma if a treatment's window on it opened or closed during the
/// step from `start_min` to `end_min` (a window edge `t` with `start_min < t ≤ end_min`,
/// the same rule as [`Treatment::active_at`](crate::scenario::Treatment::active_at) for
/// the next step) and changed the fluid (a window on glucose alone does not).
fn switched_composition(exposure: &Exposure, start_min: f64, end_min: f64) -> Option<FluidState> {
    let before = FluidState::from_environment(exposure.environment_at(start_min));
    let after = FluidState::from_environment(exposure.environment_at(end_min));
    (exposure.composition_index(end_min) != exposure.composition_index(start_min)
        && after != before)
        .then_some(after)
}
