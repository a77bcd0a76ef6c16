//! The hourly extracellular step (`docs/model.md` §5.2-5.5): gather what cells put into
//! their voxels (in site order, so sums are deterministic), share their BMP-2 with their
//! neighbours (`model::paracrine`, read at the next step), then react and transport
//! calcium, phosphate and PPi in every site's fluid (implicit, `model::transport`), form
//! mineral (each site's nuclei a keyed draw, growth on what is there) and mature it,
//! change the medium on schedule.
//!
//! Per step: PPi (ENPP1 source, TNAP sink on the diagonal) is transported first; its
//! hydrolysis and β-glycerophosphate's give phosphate sources; then the ion that limits
//! mineral (the smaller of Ca and `Pi/ν_P` in the fluids) is transported with the mineral
//! as a first-order sink, linearised at the start of the step, and the other ion with the
//! same amount taken (stoichiometry `ν_P`). Transport: a well's pericellular layer diffuses
//! laterally (periodic lines) and exchanges with the bulk medium; a wall's interstitial
//! fluid diffuses axially, around the circumference and radially, the radial lines open
//! to plasma at the lumen and the vasa vasorum at the outer adventitia.

use crate::model::elastin::{degraded_after, elastolytic_activity};
use crate::model::fate::{Fate, Released, Status};
use crate::model::mineral::{
    Fluid, MineralParams, deposit_surface, free_room, growth_rate, hydrolyse_bgp,
    lamella_nucleation_share, lamellar_growth_share, mature, nucleation_events, nucleation_rate,
    propagation_nucleation_rate,
};
use crate::model::paracrine::{bmp2_excess_at_site, neighbour_weight};
use crate::model::transport::{Ends, Exchange, LineScratch, exchange_with_bulk, solve_line};
use crate::sim::components::WallSite;
use crate::sim::parallel::Parallelism;
use crate::sim::resources::{
    Exposure, FluidState, Model, RunSeed, SimClock, SiteFluids, Wall, WallFluid,
};
use crate::sim::rng::{KeyedStream, Purpose};
use crate::units::min_to_h;
use bevy_ecs::prelude::*;
use rayon::iter::IntoParallelIterator;
use rayon::slice::{ParallelSlice, ParallelSliceMut};

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
    elastase: Vec<f64>,
    bmp2: Vec<f64>,
    alive: Vec<bool>,
    sink: Vec<f64>,
    mineral_sink: Vec<f64>,
    phosphate_source: Vec<f64>,
    acp_share: Vec<f64>,
    lamella_share: Vec<f64>,
    formed: Vec<f64>,
    surface: Vec<f64>,
    neighbour_surface: Vec<f64>,
    lines: LineBuffers,
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
            &mut self.elastase,
            &mut self.bmp2,
            &mut self.sink,
            &mut self.mineral_sink,
            &mut self.phosphate_source,
            &mut self.acp_share,
            &mut self.lamella_share,
            &mut self.formed,
            &mut self.surface,
            &mut self.neighbour_surface,
        ] {
            buffer.clear();
            buffer.resize(n, 0.0);
        }
        self.alive.clear();
        self.alive.resize(n, false);
    }
}

/// Gathers cell outputs into site arrays, then updates fluid and mineral.
#[expect(clippy::too_many_lines, reason = "one step of the chemistry, in order")]
#[expect(
    clippy::too_many_arguments,
    reason = "an ECS system: each resource it reads is an argument"
)]
pub fn update_extracellular(
    model: Res<Model>,
    clock: Res<SimClock>,
    seed: Res<RunSeed>,
    exposure: Res<Exposure>,
    parallelism: Res<Parallelism>,
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
        let alive = fate.is_alive();
        g.alive[i] = alive;
        if alive {
            g.elastase[i] = elastolytic_activity(fate.phenotype);
            g.bmp2[i] = released.bmp2;
        }
        if fate.status == Status::Body {
            g.bodies[i] = fate.alp_at_death;
        }
    }
    let step_h = min_to_h(clock.step_min);
    let seed = seed.0;
    let end_min = clock.time_min + clock.step_min;
    let p = &model.params.mineral;
    let fate = &model.params.fate;
    let parallelism = *parallelism;
    let wall = &mut *wall;
    wall.site_alive.clone_from(&g.alive);
    // Templates: vesicles accumulate and turn over; apoptotic bodies present now.
    let vesicle_keep = (-fate.vesicle_clearance_rate_per_h * step_h).exp();
    for (i, site) in wall.sites.iter_mut().enumerate() {
        site.vesicles = site.vesicles * vesicle_keep + g.vesicles[i];
        site.body_vesicles = site.body_vesicles * vesicle_keep + g.body_vesicles[i];
        site.apoptotic_bodies = g.bodies[i];
    }
    // Elastic lamellae: degraded by the proteases of the modulated cells on and next to
    // them (the mean over the site and its cell-holding neighbours).
    let mut neighbours = [0_usize; 6];
    for i in 0..n {
        if wall.sites[i].elastin <= 0.0 {
            continue;
        }
        let count = wall.lattice.neighbours(i, &mut neighbours);
        let around: f64 = neighbours[..count].iter().map(|&j| g.elastase[j]).sum();
        #[expect(clippy::cast_precision_loss, reason = "at most 7 sites")]
        let activity = (g.elastase[i] + around) / (count + 1) as f64;
        let site = &mut wall.sites[i];
        site.elastin_degraded = degraded_after(p, site.elastin_degraded, activity, step_h);
    }
    // Paracrine BMP-2: each cell-holding site's excess from its cell and its neighbours',
    // read by the cells at the next step.
    let weight = neighbour_weight(wall.lattice.spacing_um, p.bmp2_range_um);
    wall.bmp2_paracrine.resize(n, 0.0);
    let mut around = [0.0_f64; 6];
    for i in 0..n {
        wall.bmp2_paracrine[i] = if wall.lattice.layer_of(i).holds_cells() {
            let count = wall.lattice.neighbours(i, &mut neighbours);
            for (value, &j) in around.iter_mut().zip(&neighbours[..count]) {
                *value = g.bmp2[j];
            }
            bmp2_excess_at_site(g.bmp2[i], &around[..count], weight)
        } else {
            0.0
        };
    }
    let v = wall.site_volume_ul;
    let pmol_per_mm = v * 1e3;
    let geometry = Geometry::of(wall, p, step_h);
    let g = &mut *g;
    // Mineral: rates from the fluid at the start of the step (before this step's sources),
    // as a first-order sink on the limiting ion.
    let reservoir_fluid = *reservoir(&wall.fluid);
    let nu = p.phosphate_per_calcium;
    let fraction = wall.ionised_calcium_fraction;
    let calcium_total: f64 = wall.site_fluid.calcium.iter().sum();
    let phosphate_total: f64 = wall.site_fluid.phosphate.iter().sum();
    let calcium_limits = calcium_total <= phosphate_total / nu;
    let room_um3 = wall.mineral_room_um3(p.pericellular_depth_um);
    // Mineral propagates: the surface of each site's neighbouring deposits, from the
    // mineral at the start of the step (only when the propagation template is on).
    if p.propagation_template > 0.0 {
        for (surface, site) in g.surface.iter_mut().zip(&wall.sites) {
            *surface = deposit_surface(site.total());
        }
        for i in 0..n {
            let count = wall.lattice.neighbours(i, &mut neighbours);
            g.neighbour_surface[i] = neighbours[..count].iter().map(|&j| g.surface[j]).sum();
        }
    }
    for (i, site) in wall.sites.iter().enumerate() {
        let f = &wall.site_fluid;
        let fluid = Fluid {
            ionised_calcium: fraction * f.calcium[i],
            phosphate: f.phosphate[i],
            pyrophosphate: f.pyrophosphate[i],
            fetuin_a: reservoir_fluid.fetuin_a,
            magnesium: reservoir_fluid.magnesium,
        };
        // Nuclei are discrete events (a keyed draw per site and step); growth is
        // deterministic on the mineral already there.
        // Nucleation and growth need room: a site full of mineral takes no more.
        let room = free_room(site.total(), room_um3);
        let on_site = nucleation_rate(p, site, &fluid);
        let propagated = propagation_nucleation_rate(p, g.neighbour_surface[i], &fluid);
        let expected = (on_site + propagated) * room;
        // The share of the expected nuclei that forms on the lamella (nuclei seeded by a
        // neighbour's deposit are not lamellar); needed only where a nucleus may form.
        let lamella_share_of_nuclei = || {
            let share = lamella_nucleation_share(p, site, &fluid);
            if propagated > 0.0 {
                share * on_site / (on_site + propagated)
            } else {
                share
            }
        };
        // Nuclei, and those of them on the lamella [pmol Ca h⁻¹].
        let (nucleated, lamellar_nuclei) = if p.nucleus_pmol > 0.0 {
            let mean = expected * step_h / p.nucleus_pmol;
            if mean > 0.0 {
                let mut stream = KeyedStream::new(seed, i as u64, clock.tick, Purpose::Nucleation);
                let events = nucleation_events(mean, stream.uniform());
                // Each event forms on the lamella or on a cell-derived template: the
                // step's events split binomially by the lamella's share (a second draw
                // of the site's stream), so a lamella's deposits start as discrete
                // nuclei however many form on the vesicles beside it.
                let on_lamella = if events > 0.0 {
                    lamellar_events(&mut stream, events, lamella_share_of_nuclei())
                } else {
                    0.0
                };
                // (The coupling step is 1 h, so this is the old `events · m_0 / Δt` bit for bit.)
                let per_h = p.nucleus_pmol / step_h;
                (events * per_h, on_lamella * per_h)
            } else {
                (0.0, 0.0)
            }
        } else if expected > 0.0 {
            (expected, expected * lamella_share_of_nuclei())
        } else {
            (0.0, 0.0)
        };
        let growth = growth_rate(p, site, &fluid) * room;
        let acp = nucleated + p.acp_growth_fraction * growth;
        let hap = (1.0 - p.acp_growth_fraction) * growth;
        let rate = acp + hap; // pmol Ca h⁻¹
        g.acp_share[i] = if rate > 0.0 { acp / rate } else { 1.0 };
        // Where the new mineral lies: the lamella's nuclei (above), and growth by the
        // lamellar share of the mineral that grows.
        let lamellar_growth = lamellar_growth_share(p, site);
        g.lamella_share[i] = if rate > 0.0 {
            (lamellar_nuclei + growth * lamellar_growth) / rate
        } else {
            0.0
        };
        let (limiting, per_calcium) = if calcium_limits {
            (f.calcium[i], 1.0)
        } else {
            (f.phosphate[i], nu)
        };
        g.mineral_sink[i] = if limiting > 0.0 {
            rate * per_calcium * step_h / (limiting * pmol_per_mm)
        } else {
            0.0
        };
    }
    // PPi: ENPP1 adds, TNAP (and an enzyme added to the medium) clears (first order,
    // implicit), transport.
    let mut produced = 0.0;
    for i in 0..n {
        let made = p.ppi_production_per_h * g.enpp1[i] * 1e-3 * step_h; // pmol
        produced += made;
        wall.site_fluid.pyrophosphate[i] += made / v;
        g.sink[i] = (p.ppi_hydrolysis_clearance_per_h * g.alp[i] / v
            + p.exogenous_ppi_hydrolysis_rate_per_h)
            * step_h;
    }
    wall.cell_phosphorus_pmol += 2.0 * produced;
    // An enzyme added to the medium hydrolyses the bulk medium's PPi too (2 Pi each).
    if p.exogenous_ppi_hydrolysis_rate_per_h > 0.0
        && let WallFluid::Medium { current, .. } | WallFluid::Bath { current, .. } = &mut wall.fluid
    {
        let before = current.pyrophosphate;
        current.pyrophosphate = before * (-p.exogenous_ppi_hydrolysis_rate_per_h * step_h).exp();
        current.phosphate += 2.0 * (before - current.pyrophosphate) * 1e-3;
    }
    let ppi_reservoir = reservoir(&wall.fluid).pyrophosphate;
    let ppi_entered = geometry.transport(
        parallelism,
        &mut wall.site_fluid.pyrophosphate,
        &mut g.lines,
        Species::Pyrophosphate,
        &g.sink,
        ppi_reservoir,
        &mut wall.fluid,
    );
    // Phosphate sources: PPi hydrolysed here (2 Pi each) and β-glycerophosphate.
    for i in 0..n {
        let hydrolysed = g.sink[i] * wall.site_fluid.pyrophosphate[i] * v; // pmol PPi
        g.phosphate_source[i] = 2.0 * hydrolysed * 1e-3 / v; // mM
    }
    if let WallFluid::Medium {
        current, volume_ul, ..
    } = &mut wall.fluid
    {
        // The cells' TNAP and the serum's ALP share the bulk's β-glycerophosphate (one
        // Michaelis-Menten law, both with K_β); each enzyme's Pi goes where it acts: the
        // cells' to their sites, in proportion to their ALP, the serum's to the bulk.
        let alp_total: f64 = g.alp.iter().sum();
        let hydrolysis = hydrolyse_bgp(
            current.beta_glycerophosphate,
            p.bgp_hydrolysis_vmax_per_h * alp_total * 1e-6 / *volume_ul,
            p.serum_bgp_hydrolysis_vmax_per_h,
            p.bgp_half_saturation,
            step_h,
        );
        current.beta_glycerophosphate = hydrolysis.left;
        current.phosphate += hydrolysis.by_serum;
        if alp_total > 0.0 {
            let by_cells_nmol = hydrolysis.by_cells * *volume_ul;
            for i in 0..n {
                g.phosphate_source[i] += by_cells_nmol * g.alp[i] / alp_total / v;
            }
        }
    }
    for i in 0..n {
        wall.site_fluid.phosphate[i] += g.phosphate_source[i];
    }
    // The limiting ion, with the mineral sink; then the other, losing the same mineral.
    let (first, second) = if calcium_limits {
        (Species::Calcium, Species::Phosphate)
    } else {
        (Species::Phosphate, Species::Calcium)
    };
    let per_calcium = |species: Species| {
        if species == Species::Phosphate {
            nu
        } else {
            1.0
        }
    };
    let mut exchanged = [0.0; 2];
    let limiting_reservoir = first.of(&reservoir_fluid);
    exchanged[first.slot()] = geometry.transport(
        parallelism,
        wall.site_fluid.of_mut(first),
        &mut g.lines,
        first,
        &g.mineral_sink,
        limiting_reservoir,
        &mut wall.fluid,
    ) * pmol_per_mm;
    for i in 0..n {
        g.formed[i] =
            g.mineral_sink[i] * wall.site_fluid.of(first)[i] * pmol_per_mm / per_calcium(first);
        wall.site_fluid.of_mut(second)[i] -= g.formed[i] * per_calcium(second) / pmol_per_mm;
        g.sink[i] = 0.0;
    }
    let other_reservoir = second.of(&reservoir_fluid);
    exchanged[second.slot()] = geometry.transport(
        parallelism,
        wall.site_fluid.of_mut(second),
        &mut g.lines,
        second,
        &g.sink,
        other_reservoir,
        &mut wall.fluid,
    ) * pmol_per_mm;
    // Where the other ion ran short, less mineral formed: give the limiting ion back.
    for i in 0..n {
        let other = &mut wall.site_fluid.of_mut(second)[i];
        if *other < 0.0 {
            let short = -*other * pmol_per_mm / per_calcium(second); // pmol Ca
            *other = 0.0;
            g.formed[i] -= short;
            wall.site_fluid.of_mut(first)[i] += short * per_calcium(first) / pmol_per_mm;
        }
    }
    for (i, site) in wall.sites.iter_mut().enumerate() {
        let formed = g.formed[i].max(0.0);
        site.acp += formed * g.acp_share[i];
        site.hap += formed * (1.0 - g.acp_share[i]);
        site.lamella += formed * g.lamella_share[i];
    }
    if matches!(wall.fluid, WallFluid::Plasma { .. }) {
        wall.plasma_exchange_pmol[0] += exchanged[Species::Calcium.slot()];
        // PPi from plasma: 2 P each (µM × µL = pmol).
        wall.plasma_exchange_pmol[1] +=
            exchanged[Species::Phosphate.slot()] + 2.0 * ppi_entered * v;
    }
    for site in &mut wall.sites {
        mature(p, site, step_h);
    }
    // A well's pericellular fluid is refilled with the medium; a wall's own fluid in a
    // bath is not (it exchanges with the new bath).
    let refill_sites = matches!(wall.fluid, WallFluid::Medium { .. });
    match &mut wall.fluid {
        WallFluid::Medium {
            current,
            fresh,
            change_every_min,
            ..
        }
        | WallFluid::Bath {
            current,
            fresh,
            change_every_min,
            ..
        } => {
            // A medium change in this step; or a treatment's window on the medium opened
            // or closed during it: the cells get the new medium now (a medium change),
            // and later changes bring it.
            let changed = change_every_min.is_some_and(|every| {
                let changes_before = (clock.time_min / every + 1e-9).floor();
                let changes_after = (end_min / every + 1e-9).floor();
                changes_after > changes_before
            });
            let switched = switched_composition(&exposure, clock.time_min, end_min);
            if let Some(composition) = switched {
                *fresh = composition;
            }
            if changed || switched.is_some() {
                *current = *fresh;
                if refill_sites {
                    wall.site_fluid.fill(fresh);
                    wall.cell_phosphorus_pmol = 0.0;
                }
            }
        }
        WallFluid::Plasma { plasma } => {
            // A treatment's window on the plasma opened or closed during this step: the
            // wall's fluid exchanges with the new plasma from the next step on.
            if let Some(composition) = switched_composition(&exposure, clock.time_min, end_min) {
                *plasma = composition;
            }
        }
    }
}

/// The bulk medium or plasma.
const fn reservoir(fluid: &WallFluid) -> &FluidState {
    match fluid {
        WallFluid::Medium { current, .. } | WallFluid::Bath { current, .. } => current,
        WallFluid::Plasma { plasma } => plasma,
    }
}

/// A transported solute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Species {
    Calcium,
    Phosphate,
    Pyrophosphate,
}

impl Species {
    /// The reservoir's value.
    const fn of(self, fluid: &FluidState) -> f64 {
        match self {
            Self::Calcium => fluid.calcium,
            Self::Phosphate => fluid.phosphate,
            Self::Pyrophosphate => fluid.pyrophosphate,
        }
    }

    /// The reservoir's value, to change.
    const fn of_mut(self, fluid: &mut FluidState) -> &mut f64 {
        match self {
            Self::Calcium => &mut fluid.calcium,
            Self::Phosphate => &mut fluid.phosphate,
            Self::Pyrophosphate => &mut fluid.pyrophosphate,
        }
    }

    /// Index in the exchange tallies.
    const fn slot(self) -> usize {
        match self {
            Self::Calcium | Self::Pyrophosphate => 0,
            Self::Phosphate => 1,
        }
    }
}

impl SiteFluids {
    fn of(&self, species: Species) -> &[f64] {
        match species {
            Species::Calcium => &self.calcium,
            Species::Phosphate => &self.phosphate,
            Species::Pyrophosphate => &self.pyrophosphate,
        }
    }

    fn of_mut(&mut self, species: Species) -> &mut [f64] {
        match species {
            Species::Calcium => &mut self.calcium,
            Species::Phosphate => &mut self.phosphate,
            Species::Pyrophosphate => &mut self.pyrophosphate,
        }
    }
}

/// One direction of lines through the lattice: `count` lines of `length` sites; site
/// `j` of line `m` is `offset(m) + j · stride`.
#[derive(Clone, Copy, Debug)]
struct Direction {
    length: usize,
    count: usize,
    stride: usize,
    /// Lines whose first index is `(m / inner) · outer_step + (m % inner)`.
    inner: usize,
    outer_step: usize,
    ends: DirectionEnds,
}

/// What the ends of a direction's lines are.
#[derive(Clone, Copy, Debug, PartialEq)]
enum DirectionEnds {
    Periodic,
    Closed,
    /// Radial: lumen at the start, vasa vasorum at the end (couplings, × step).
    Plasma {
        lumen: f64,
        adventitia: f64,
    },
}

impl Direction {
    fn index(&self, line: usize, j: usize) -> usize {
        (line / self.inner) * self.outer_step + line % self.inner + j * self.stride
    }
}

/// How a step transports: the lattice's directions and the well's bulk exchange.
struct Geometry {
    directions: Vec<Direction>,
    /// Diffusion numbers `D_eff Δt / h²` of Ca, Pi and PPi.
    diffusion_number: [f64; 3],
    /// Exchange with the bulk medium × step of Ca, Pi and PPi (well only).
    bulk_exchange: Option<[f64; 3]>,
    site_volume_ul: f64,
}

/// Sites per parallel task of a sweep (a line solve costs a few ns a site).
const SITES_PER_TASK: usize = 4096;

/// The work buffers of a sweep, kept between steps.
#[derive(Default)]
pub struct LineBuffers {
    values: Vec<f64>,
    sink: Vec<f64>,
    entered: Vec<f64>,
}

impl Geometry {
    fn of(wall: &Wall, p: &MineralParams, step_h: f64) -> Self {
        let lattice = &wall.lattice;
        let (a, c, layers) = (lattice.axial, lattice.circumferential, lattice.layers.len());
        let h = lattice.spacing_um;
        let step_s = step_h * 3600.0;
        let axial_ends = if lattice.periodic_axial {
            DirectionEnds::Periodic
        } else {
            DirectionEnds::Closed
        };
        let mut directions = vec![
            Direction {
                length: a,
                count: c * layers,
                stride: 1,
                inner: 1,
                outer_step: a,
                ends: axial_ends,
            },
            Direction {
                length: c,
                count: a * layers,
                stride: a,
                inner: a,
                outer_step: a * c,
                ends: DirectionEnds::Periodic,
            },
        ];
        let in_vitro = matches!(wall.fluid, WallFluid::Medium { .. });
        if !in_vitro {
            // Exchange through a face of a site: P A Δt / (φ h³) = P Δt / (φ h).
            let per_face = step_s / (p.extracellular_fraction * h);
            directions.push(Direction {
                length: layers,
                count: a * c,
                stride: a * c,
                inner: a * c,
                outer_step: 0,
                ends: DirectionEnds::Plasma {
                    lumen: p.lumen_permeability * per_face,
                    adventitia: p.vasa_vasorum_permeability * per_face,
                },
            });
        }
        let diffusivities = [
            p.calcium_diffusivity,
            p.phosphate_diffusivity,
            p.pyrophosphate_diffusivity,
        ];
        // A well's pericellular fluid is free medium; a wall's is tortuous.
        let factor = if in_vitro {
            1.0
        } else {
            p.tissue_diffusivity_factor
        };
        Self {
            directions,
            diffusion_number: diffusivities.map(|d| factor * d * step_s / (h * h)),
            bulk_exchange: in_vitro.then(|| {
                diffusivities.map(|d| d * step_s / (p.pericellular_depth_um * p.unstirred_layer_um))
            }),
            site_volume_ul: wall.site_volume_ul,
        }
    }

    /// One step of a species: diffusion by direction (Lie splitting), the sink on the
    /// last solve (the radial lines of a wall, the bulk exchange of a well). Returns what
    /// entered the site fluids from plasma (concentration × sites).
    #[expect(clippy::too_many_arguments, reason = "one species' step")]
    fn transport(
        &self,
        parallelism: Parallelism,
        values: &mut [f64],
        buffers: &mut LineBuffers,
        species: Species,
        sink: &[f64],
        reservoir_value: f64,
        fluid: &mut WallFluid,
    ) -> f64 {
        let k = species as usize;
        let r = self.diffusion_number[k];
        let last = self.directions.len() - 1;
        let mut entered = 0.0;
        for (d, direction) in self.directions.iter().enumerate() {
            let with_sink = d == last && self.bulk_exchange.is_none();
            entered += sweep(
                parallelism,
                values,
                buffers,
                direction,
                r,
                with_sink.then_some(sink),
                reservoir_value,
            );
        }
        match (self.bulk_exchange, fluid) {
            (
                Some(q),
                WallFluid::Medium {
                    current, volume_ul, ..
                },
            ) => exchange_with_bulk(
                values,
                sink,
                species.of_mut(current),
                q[k],
                self.site_volume_ul,
                *volume_ul,
            ),
            // A segment in a dish: what entered the wall left the bath (and the reverse).
            (
                None,
                WallFluid::Bath {
                    current, volume_ul, ..
                },
            ) => *species.of_mut(current) -= entered * self.site_volume_ul / *volume_ul,
            _ => {}
        }
        entered
    }
}

/// Solves every line of one direction (independent lines in parallel; each line's
/// result does not depend on how they are split). Returns what entered through the
/// lines' ends.
fn sweep(
    parallelism: Parallelism,
    values: &mut [f64],
    buffers: &mut LineBuffers,
    direction: &Direction,
    r: f64,
    sink: Option<&[f64]>,
    reservoir_value: f64,
) -> f64 {
    let (len, count) = (direction.length, direction.count);
    if len == 0 || count == 0 {
        return 0.0;
    }
    let b = buffers;
    b.values.clear();
    b.values.resize(len * count, 0.0);
    b.sink.clear();
    b.sink.resize(len * count, 0.0);
    b.entered.clear();
    b.entered.resize(count, 0.0);
    for line in 0..count {
        for j in 0..len {
            let i = direction.index(line, j);
            b.values[line * len + j] = values[i];
            if let Some(sink) = sink {
                b.sink[line * len + j] = sink[i];
            }
        }
    }
    let ends = match direction.ends {
        DirectionEnds::Periodic => Ends::Periodic,
        DirectionEnds::Closed => Ends::Bounded {
            start: Exchange::CLOSED,
            end: Exchange::CLOSED,
        },
        DirectionEnds::Plasma { lumen, adventitia } => Ends::Bounded {
            start: Exchange {
                coupling: lumen,
                value: reservoir_value,
            },
            end: Exchange {
                coupling: adventitia,
                value: reservoir_value,
            },
        },
    };
    let lines_per_task = (SITES_PER_TASK / len).max(1);
    let chunk = lines_per_task * len;
    parallelism.for_each_chunk(
        (&mut b.values[..], &b.sink[..], &mut b.entered[..]),
        |(values, sink, entered)| {
            (
                values.par_chunks_mut(chunk),
                sink.par_chunks(chunk),
                entered.par_chunks_mut(lines_per_task),
            )
                .into_par_iter()
        },
        |(values, sink, entered)| {
            let mut scratch = LineScratch::default();
            for ((line, sink), entered) in values
                .chunks_mut(len)
                .zip(sink.chunks(len))
                .zip(entered.iter_mut())
            {
                *entered = solve_line(line, r, sink, ends, &mut scratch);
            }
        },
    );
    for line in 0..count {
        for j in 0..len {
            values[direction.index(line, j)] = b.values[line * len + j];
        }
    }
    b.entered.iter().sum()
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

/// How many of a step's `events` nuclei at a site form on its lamella: a binomial draw
/// with the lamella's `share` of the expected nucleation, from the site's keyed stream
/// (so independent of the thread count). All or none at a share of 1 or 0.
fn lamellar_events(stream: &mut KeyedStream, events: f64, share: f64) -> f64 {
    if share <= 0.0 {
        return 0.0;
    }
    if share >= 1.0 {
        return events;
    }
    debug_assert!(!share.is_nan(), "the lamella's share of nuclei is NaN");
    // `events` is a whole count (`nucleation_events`); far below u64's range.
    let trials = events as u64;
    match rand_distr::Binomial::new(trials, share) {
        Ok(binomial) => stream.sample(&binomial) as f64,
        // Only a NaN share fails here (the bounds are handled above): no lamellar nuclei.
        Err(_) => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(site: u64) -> KeyedStream {
        KeyedStream::new(7, site, 3, Purpose::Nucleation)
    }

    #[test]
    fn a_steps_nuclei_split_binomially_between_lamella_and_cells() {
        // All or none at the ends, whatever the draw.
        assert!((lamellar_events(&mut stream(0), 12.0, 1.0) - 12.0).abs() < f64::EPSILON);
        assert!(lamellar_events(&mut stream(0), 12.0, 0.0).abs() < f64::EPSILON);
        // A whole count between 0 and the events.
        let mut total = 0.0;
        let sites = 4000_u32;
        for site in 0..sites {
            let on_lamella = lamellar_events(&mut stream(u64::from(site)), 10.0, 0.3);
            assert!((0.0..=10.0).contains(&on_lamella) && on_lamella.fract().abs() < f64::EPSILON);
            total += on_lamella;
        }
        // Its mean is the lamella's share of the events (binomial sd of the mean 0.023).
        let mean = total / f64::from(sites);
        assert!((mean - 3.0).abs() < 0.1, "{mean}");
        // A single event lands on one template or the other, never split.
        let singles: Vec<f64> = (0..200)
            .map(|site| lamellar_events(&mut stream(site), 1.0, 0.5))
            .collect();
        let ones = singles
            .iter()
            .filter(|&&x| (x - 1.0).abs() < f64::EPSILON)
            .count();
        let zeros = singles.iter().filter(|&&x| x.abs() < f64::EPSILON).count();
        assert_eq!(ones + zeros, singles.len());
        assert!(ones > 0 && zeros > 0);
    }
}
