//! Fuzz test over the documented ranges: thousands of tiny random scenarios, each drawn
//! within what the reference (`docs/reference.md`), the parameter tables (`vcsim params`)
//! and the catalog (`vcsim catalog`, doses) allow, are validated and run through the
//! library exactly as `vcsim run` runs them. Every one must be accepted, finish without a
//! non-finite state, and cost at most a fixed number of evaluations of the cell rates per
//! cell-hour (counted, not timed, so the bound holds on any machine).
//!
//! The seed is new on every run and printed; reproduce a failure with
//! `VCSIM_FUZZ_SEED=<seed> cargo test --release --test it fuzz::`. `VCSIM_FUZZ_CASES`
//! changes the number of scenarios (default [`DEFAULT_CASES`]).

use std::fmt::Write as _;
use vcsim::model::integrate::MAX_RHS_EVALUATIONS_PER_HOUR;
use vcsim::model::parameter_set::ModelParams;
use vcsim::scenario::Scenario;
use vcsim::scenario::reference::{self as r, Bounds, KEYS, MIN_RK4_STEP_MIN, MIN_STRESS_PERIOD_H};
use vcsim::sim::{Simulation, Threads};
use vcsim::treatment::CATALOG;

/// Scenarios per run: about a minute in release on 2 cores.
const DEFAULT_CASES: u64 = 2000;

/// [1] Slack on [`MAX_RHS_EVALUATIONS_PER_HOUR`] for the pieces a coupling step is cut
/// into at the switches of the schedules (each piece has a small budget of its own) and
/// for the cells' initial transients.
const COST_SLACK: f64 = 3.0;

/// `SplitMix64`: a small, seedable generator, so that a printed seed replays the case.
struct Draws(u64);

impl Draws {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        #[expect(clippy::cast_precision_loss, reason = "53 bits")]
        let u = (self.next() >> 11) as f64 / (1_u64 << 53) as f64;
        u
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn below(&mut self, n: usize) -> usize {
        #[expect(clippy::cast_possible_truncation, reason = "n is small")]
        let k = (self.next() % n as u64) as usize;
        k
    }

    /// In `[min, max]`: log-uniform where the range is positive and spans more than a
    /// factor of 10, uniform otherwise; an open upper end is capped at `cap`.
    fn within(&mut self, min: f64, max: f64, cap: f64) -> f64 {
        let max = if max.is_finite() { max } else { cap.max(min) };
        let u = self.unit();
        let value = if min > 0.0 && max / min > 10.0 {
            (min.ln() + u * (max.ln() - min.ln())).exp()
        } else {
            min + u * (max - min)
        };
        value.clamp(min, max)
    }

    fn in_bounds(&mut self, bounds: Bounds, cap: f64) -> f64 {
        let value = self.within(bounds.min, bounds.max, cap);
        // An open lower end: step inside it.
        if !bounds.min_inclusive && value <= bounds.min {
            bounds.min + (bounds.max.min(cap) - bounds.min) * 0.5
        } else {
            value
        }
    }
}

/// A number as TOML reads it back exactly.
fn num(value: f64) -> String {
    format!("{value:?}")
}

/// One random scenario within the documented ranges, as TOML text.
fn scenario_text(draws: &mut Draws, case: u64) -> String {
    let mut t = String::new();
    let duration_days = draws.within(0.25, 3.0, 3.0);
    let duration_h = duration_days * 24.0;
    let axial = 1 + draws.below(3);
    let circumferential = 1 + draws.below(3);
    writeln!(
        t,
        "[meta]\nname = \"fuzz-{case}\"\ndescription = \"fuzz\"\nseed = {}\n\n\
         [geometry]\nmode = \"in_vitro\"\naxial_sites = {axial}\ncircumferential_sites = {circumferential}\n\n\
         [time]\nduration_days = {}",
        draws.below(1000),
        num(duration_days)
    )
    .unwrap_or_default();
    if draws.chance(0.1) {
        let dt = draws.within(MIN_RK4_STEP_MIN, 5.0, 5.0);
        writeln!(t, "integrator = \"rk4\"\ndt_min = {}", num(dt)).unwrap_or_default();
    }
    t.push_str("\n[environment]\n");
    for key in KEYS {
        let Some(name) = key.key.strip_prefix("environment.") else {
            continue;
        };
        if key.only_when.is_some() || !draws.chance(0.3) {
            continue;
        }
        if let Some(bounds) = key.bounds() {
            writeln!(t, "{name} = {}", num(draws.in_bounds(bounds, 30.0))).unwrap_or_default();
        }
    }
    let stress = r::STRESS_CONSTANT
        .bounds()
        .unwrap_or(Bounds::closed(0.0, 20.0));
    let level = |draws: &mut Draws| {
        if draws.chance(0.3) {
            0.0
        } else {
            draws.in_bounds(stress, 20.0)
        }
    };
    match draws.below(3) {
        0 => {
            let s = level(draws);
            writeln!(t, "\n[stress]\nstress_per_min = {}", num(s)).unwrap_or_default();
        }
        1 => {
            let (before, after) = (level(draws), level(draws));
            let at_h = draws.unit() * duration_h;
            writeln!(
                t,
                "\n[stress]\nkind = \"step\"\nbefore_per_min = {}\nafter_per_min = {}\nat_h = {}",
                num(before),
                num(after),
                num(at_h)
            )
            .unwrap_or_default();
        }
        _ => {
            let (a, b) = (level(draws), level(draws));
            let period = draws.within(MIN_STRESS_PERIOD_H, 48.0, 48.0);
            writeln!(
                t,
                "\n[stress]\nkind = \"square_wave\"\nlow_per_min = {}\nhigh_per_min = {}\nperiod_h = {}",
                num(a.min(b)),
                num(a.max(b)),
                num(period)
            )
            .unwrap_or_default();
        }
    }
    // Parameters: each drawn over its range with a small probability.
    let mut by_module: Vec<(&str, Vec<String>)> = Vec::new();
    for row in ModelParams::default().rows() {
        if !draws.chance(0.04) {
            continue;
        }
        let value = draws.within(row.min, row.max, row.max);
        let line = format!("{} = {}", row.field, num(value));
        match by_module.iter_mut().find(|(m, _)| *m == row.module) {
            Some((_, lines)) => lines.push(line),
            None => by_module.push((row.module, vec![line])),
        }
    }
    for (module, lines) in by_module {
        writeln!(t, "\n[parameters.{module}]\n{}", lines.join("\n")).unwrap_or_default();
    }
    // Treatments: up to three catalog entries at doses within their ranges, some with a
    // time window (whole hours for those that change the medium).
    let mut used = Vec::new();
    for _ in 0..draws.below(4) {
        let entry = &CATALOG[draws.below(CATALOG.len())];
        if used.contains(&entry.id) {
            continue;
        }
        used.push(entry.id);
        let dose = draws.within(entry.doses.min, entry.doses.max, entry.doses.max);
        write!(
            t,
            "\n[[treatment]]\nid = \"{}\"\ndose = {}\n",
            entry.id,
            num(dose)
        )
        .unwrap_or_default();
        if entry.changes_genes_or_parameters() || !draws.chance(0.5) {
            continue;
        }
        let mut start_h = draws.unit() * duration_h;
        let mut stop_h = start_h + draws.within(0.05, 48.0, 48.0);
        if entry.changes_solutes() {
            start_h = start_h.floor();
            stop_h = stop_h.ceil().max(start_h + 1.0);
        }
        writeln!(t, "start_days = {}", num(start_h / 24.0)).unwrap_or_default();
        if draws.chance(0.7) {
            writeln!(t, "stop_days = {}", num(stop_h / 24.0)).unwrap_or_default();
        }
    }
    t
}

fn seed() -> u64 {
    std::env::var("VCSIM_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            #[expect(clippy::cast_possible_truncation, reason = "any 64 bits will do")]
            let seed = (now ^ (now >> 64)) as u64;
            seed
        })
}

#[test]
fn random_scenarios_within_the_documented_ranges_run_finite_and_cheap() {
    let seed = seed();
    let cases: u64 = std::env::var("VCSIM_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    println!("fuzz seed {seed} ({cases} scenarios): reproduce with VCSIM_FUZZ_SEED={seed}");
    let mut worst = 0.0_f64;
    let mut joint_refusals = 0;
    let mut failures = Vec::new();
    for case in 0..cases {
        let mut draws = Draws(seed ^ case.wrapping_mul(0xA076_1D64_78BD_642F));
        let text = scenario_text(&mut draws, case);
        let scenario = match Scenario::from_toml(&text, "fuzz.toml") {
            Ok(scenario) => scenario,
            // A treatment that scales a parameter already overridden (or scaled by another
            // treatment) can take it out of its range: a joint limit, refused by name.
            Err(e)
                if e.to_string()
                    .lines()
                    .skip(1)
                    .all(|l| l.contains(": at this dose: ")) =>
            {
                joint_refusals += 1;
                continue;
            }
            Err(e) => {
                failures.push(format!("case {case}: refused: {e}\n{text}"));
                continue;
            }
        };
        let mut sim = match Simulation::new(&scenario, Threads::Serial) {
            Ok(sim) => sim,
            Err(e) => {
                failures.push(format!("case {case}: {e}\n{text}"));
                continue;
            }
        };
        let sites = sim.wall().occupants.len().max(1);
        #[expect(clippy::cast_precision_loss, reason = "small counts")]
        let cell_hours = sites as f64 * sim.steps() as f64;
        // The whole run's budget of rate evaluations, checked after every step: the count
        // only grows, so a run that spends it before its end fails the bound below anyway,
        // and stops here (with its seed and scenario) instead of running on for minutes.
        let budget = COST_SLACK * MAX_RHS_EVALUATIONS_PER_HOUR * cell_hours;
        let mut result = Ok(());
        for step in 0..sim.steps() {
            result = sim.step();
            #[expect(clippy::cast_precision_loss, reason = "below 2^52")]
            let spent = sim.rhs_evaluations() as f64;
            if result.is_err() || (spent > budget && step + 1 < sim.steps()) {
                break;
            }
        }
        if let Err(e) = result {
            failures.push(format!("case {case}: {e}\n{text}"));
            continue;
        }
        #[expect(clippy::cast_precision_loss, reason = "below 2^52")]
        let per_cell_hour = sim.rhs_evaluations() as f64 / cell_hours;
        worst = worst.max(per_cell_hour);
        if per_cell_hour > COST_SLACK * MAX_RHS_EVALUATIONS_PER_HOUR {
            failures.push(format!(
                "case {case}: {per_cell_hour:.0} rate evaluations per cell-hour (at most {})\n{text}",
                COST_SLACK * MAX_RHS_EVALUATIONS_PER_HOUR
            ));
        }
        if failures.len() >= 5 {
            break;
        }
    }
    println!(
        "fuzz seed {seed}: worst cost {worst:.0} rate evaluations per cell-hour (a cell at \
         steady state: 7; bound {}); {joint_refusals} refused for a treatment's dose on top \
         of an override",
        COST_SLACK * MAX_RHS_EVALUATIONS_PER_HOUR
    );
    assert!(
        failures.is_empty(),
        "fuzz seed {seed} (VCSIM_FUZZ_SEED={seed}): {} failing scenario(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
