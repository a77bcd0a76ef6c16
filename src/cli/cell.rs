//! `vcsim cell`: one cell's time course as CSV.

use super::output::{Sink, preflight, write_with};
use super::{CliError, ResultExt};
use clap::{Args, ValueEnum};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use vcsim::model::cell::{CellModel, CellParams, CellReadout, CellState, ModelVariant};
use vcsim::model::integrate::{DEFAULT_MAX_STEP, Integrator};
use vcsim::model::parameter_set::ModelParams;
use vcsim::model::surroundings::Surroundings;
use vcsim::model::trajectory::{Constant, TimePoint, simulate};
use vcsim::model::upr_core::CoreKnockout;
use vcsim::scenario::reference::{self as r, Bounds, KeyRef};
use vcsim::units::{HOUR, YEAR, min_to_h};

/// Arguments of `vcsim cell`.
#[derive(Debug, Args)]
pub struct CellArgs {
    #[command(flatten)]
    condition: ConditionArgs,
    #[command(flatten)]
    values: ParameterArgs,
    /// Simulated time in hours.
    #[arg(
        long,
        value_name = "H",
        default_value_t = 48.0,
        allow_negative_numbers = true
    )]
    hours: f64,
    /// Minutes between output rows (rows start at 0).
    #[arg(
        long = "every-min",
        value_name = "M",
        default_value_t = 30.0,
        allow_negative_numbers = true
    )]
    every_min: f64,
    /// Integration: adaptive Rosenbrock-W steps with error control, or fixed-step RK4
    /// (`--dt-min`) for checking.
    #[arg(long, value_enum, default_value_t = IntegratorArg::Adaptive)]
    integrator: IntegratorArg,
    /// Step of the RK4 integration in minutes (split further where the system is stiff;
    /// default 0.5). Only with `--integrator rk4`: the adaptive integrator chooses its
    /// own steps.
    #[arg(long = "dt-min", value_name = "DT", allow_negative_numbers = true)]
    dt_min: Option<f64>,
    /// Which model: the published Diedrichs 2018 core with the VSMC modules as readouts
    /// (`published`), or the VSMC model with mTORC1 and autophagy feedback on the core
    /// (`vsmc`).
    #[arg(long, value_enum, default_value_t = VariantArg::Published)]
    model: VariantArg,
    /// Write the CSV to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace --out if it exists.
    #[arg(long)]
    force: bool,
}

/// The parameter values of one cell, shared by `vcsim cell` and `vcsim export-sbml`.
#[derive(Debug, Args)]
pub struct ParameterArgs {
    /// Parameter values laid over the shipped ones: a file of `[parameters.<module>]`
    /// tables (as in scenario files), e.g. the `parameters.toml` of `vcsim calibrate`.
    /// Only the cell's modules change a single cell; `fate` and `mineral` values are
    /// checked and act on populations and the wall only.
    #[arg(long, value_name = "FILE")]
    parameters: Option<PathBuf>,
}

impl ParameterArgs {
    /// The cell's parameters: the shipped values (the built-in values with
    /// `data/calibration/shipped.toml` laid over them, as every population run uses) with
    /// `--parameters` laid over them.
    ///
    /// # Errors
    /// The file cannot be read (exit 2), or is not a valid parameter file (exit 1, every
    /// problem with its line and key).
    pub fn cell_params(&self) -> Result<CellParams, CliError> {
        cell_params(self.parameters.as_deref())
    }

    /// The `--parameters` path as given, for a file's notes.
    pub fn file(&self) -> Option<String> {
        self.parameters.as_ref().map(|p| p.display().to_string())
    }
}

/// The shipped parameters with the file at `path` (if any) laid over them; the cell's
/// part.
fn cell_params(path: Option<&Path>) -> Result<CellParams, CliError> {
    let mut values = ModelParams::default();
    if let Some(path) = path {
        // Every module, field and range was checked as the file was read (with its line),
        // so setting the values cannot fail; a failure would name the file anyway.
        for (module, field, value) in super::load_parameter_file(path)?.iter() {
            values.set(module, field, value).map_err(|e| {
                CliError::invalid(format!(
                    "--parameters {}: [parameters.{module}] {field} = {value}: {e}",
                    path.display()
                ))
            })?;
        }
    }
    Ok(values.cell)
}

/// The conditions of one cell, shared by `vcsim cell` and `vcsim export-sbml`: the ER
/// stress input, the medium, drugs at the level the model acts on, and gene deletions.
#[derive(Debug, Args)]
pub struct ConditionArgs {
    /// ER stress input S in min⁻¹ (2 ≈ 2.5 nM, 8 ≈ 10 nM thapsigargin; Diedrichs 2018).
    #[arg(
        long,
        value_name = "S_PER_MIN",
        default_value_t = 0.0,
        allow_negative_numbers = true
    )]
    stress: f64,
    /// Gene deletion (repeatable), as in Diedrichs 2018.
    #[arg(long, value_name = "GENE")]
    knockout: Vec<KnockoutArg>,
    /// Extracellular phosphate in mM (1.0 = reference medium).
    #[arg(long = "pi-mm", value_name = "MM", allow_negative_numbers = true)]
    pi_mm: Option<f64>,
    /// Extracellular calcium in mM (1.8 = reference medium).
    #[arg(long = "ca-mm", value_name = "MM", allow_negative_numbers = true)]
    ca_mm: Option<f64>,
    /// Glucose in mM (5.5 = reference medium).
    #[arg(long = "glucose-mm", value_name = "MM", allow_negative_numbers = true)]
    glucose_mm: Option<f64>,
    /// Rapamycin in nM (mTORC1 inhibitor; 10-100 nM is saturating).
    #[arg(
        long = "rapamycin-nm",
        value_name = "NM",
        allow_negative_numbers = true
    )]
    rapamycin_nm: Option<f64>,
    /// Chemical-chaperone gain in BiP-assisted folding, `phi_chap` (4-PBA 5 mM, TUDCA:
    /// 0.5-1).
    #[arg(
        long = "chaperone-folding-gain",
        value_name = "X",
        allow_negative_numbers = true
    )]
    chaperone_folding_gain: Option<f64>,
    /// Chemical-chaperone relief of client load, `psi_chap` (4-PBA, TUDCA: 0.3).
    #[arg(
        long = "chaperone-load-relief",
        value_name = "X",
        allow_negative_numbers = true
    )]
    chaperone_load_relief: Option<f64>,
    /// Fraction of autophagy initiation blocked (3-MA 5 mM: 0.7).
    #[arg(
        long = "autophagy-block",
        value_name = "X",
        allow_negative_numbers = true
    )]
    autophagy_block: Option<f64>,
    /// Extra autophagy drive (valproate: 1 doubles it).
    #[arg(
        long = "autophagy-induction",
        value_name = "X",
        allow_negative_numbers = true
    )]
    autophagy_induction: Option<f64>,
    /// Fraction of PiT-mediated phosphate uptake blocked (phosphonoformic acid).
    #[arg(
        long = "phosphate-transport-block",
        value_name = "X",
        allow_negative_numbers = true
    )]
    phosphate_transport_block: Option<f64>,
}

/// [nM] The most rapamycin a flag accepts (1000 times the saturating dose).
const MAX_RAPAMYCIN_NM: f64 = 1e4;
/// [1] The largest chaperone folding gain or autophagy induction a flag accepts (ten
/// times the strongest dose of the catalog).
const MAX_DRUG_GAIN: f64 = 10.0;

impl ConditionArgs {
    /// Adds a sentence to `problems` for every flag out of its range or repeated gene.
    pub fn check(&self, problems: &mut Vec<String>) {
        let mut check = |r: Result<(), String>| {
            if let Err(p) = r {
                problems.push(p);
            }
        };
        check(check_as_key("--stress", self.stress, &r::STRESS_CONSTANT));
        for (flag, value, key) in [
            ("--pi-mm", self.pi_mm, &r::ENV_PHOSPHATE),
            ("--ca-mm", self.ca_mm, &r::ENV_CALCIUM),
            ("--glucose-mm", self.glucose_mm, &r::ENV_GLUCOSE),
        ] {
            if let Some(v) = value {
                check(check_as_key(flag, v, key));
            }
        }
        for (flag, value, max) in [
            ("--rapamycin-nm", self.rapamycin_nm, MAX_RAPAMYCIN_NM),
            (
                "--chaperone-folding-gain",
                self.chaperone_folding_gain,
                MAX_DRUG_GAIN,
            ),
            ("--chaperone-load-relief", self.chaperone_load_relief, 0.99),
            ("--autophagy-block", self.autophagy_block, 1.0),
            (
                "--autophagy-induction",
                self.autophagy_induction,
                MAX_DRUG_GAIN,
            ),
            (
                "--phosphate-transport-block",
                self.phosphate_transport_block,
                1.0,
            ),
        ] {
            if let Some(v) = value {
                check(check_range(flag, v, 0.0, max, false));
            }
        }
        // Each gene once, as in a scenario's `genetics.knockouts`.
        let mut seen: Vec<CoreKnockout> = Vec::new();
        let mut repeated: Vec<CoreKnockout> = Vec::new();
        for gene in self.knockout.iter().map(|&k| CoreKnockout::from(k)) {
            if !seen.contains(&gene) {
                seen.push(gene);
            } else if !repeated.contains(&gene) {
                repeated.push(gene);
                problems.push(format!(
                    "--knockout {} is given more than once: delete each gene once",
                    gene.name()
                ));
            }
        }
    }

    /// The surroundings the flags describe (checked by [`Self::check`]).
    #[must_use]
    pub fn surroundings(&self) -> Surroundings {
        let mut env = Surroundings::with_er_stress(self.stress);
        let set = |field: &mut f64, value: Option<f64>| {
            if let Some(v) = value {
                *field = v;
            }
        };
        set(&mut env.phosphate, self.pi_mm);
        set(&mut env.calcium, self.ca_mm);
        set(&mut env.glucose, self.glucose_mm);
        set(&mut env.drugs.rapamycin, self.rapamycin_nm);
        set(
            &mut env.drugs.chaperone_folding_gain,
            self.chaperone_folding_gain,
        );
        set(
            &mut env.drugs.chaperone_load_relief,
            self.chaperone_load_relief,
        );
        set(&mut env.drugs.autophagy_block, self.autophagy_block);
        set(&mut env.drugs.autophagy_induction, self.autophagy_induction);
        set(
            &mut env.drugs.phosphate_transport_block,
            self.phosphate_transport_block,
        );
        env
    }

    /// The gene deletions.
    #[must_use]
    pub fn knockouts(&self) -> Vec<CoreKnockout> {
        self.knockout.iter().map(|&k| k.into()).collect()
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum KnockoutArg {
    Perk,
    Ire1,
    Atf6,
    Atf4,
    Gadd34,
    Chop,
    Xbp1,
}

impl From<KnockoutArg> for CoreKnockout {
    fn from(k: KnockoutArg) -> Self {
        match k {
            KnockoutArg::Perk => Self::Perk,
            KnockoutArg::Ire1 => Self::Ire1,
            KnockoutArg::Atf6 => Self::Atf6,
            KnockoutArg::Atf4 => Self::Atf4,
            KnockoutArg::Gadd34 => Self::Gadd34,
            KnockoutArg::Chop => Self::Chop,
            KnockoutArg::Xbp1 => Self::Xbp1,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum IntegratorArg {
    Adaptive,
    Rk4,
}

/// The model variant, as `--model` names it.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VariantArg {
    /// The published core; the VSMC modules are readouts.
    Published,
    /// The VSMC model.
    Vsmc,
}

impl From<VariantArg> for ModelVariant {
    fn from(v: VariantArg) -> Self {
        match v {
            VariantArg::Published => Self::PublishedCore,
            VariantArg::Vsmc => Self::Vsmc,
        }
    }
}

/// [h] The longest simulation `vcsim cell` accepts (one year).
const MAX_H: f64 = min_to_h(YEAR);
/// The most output rows `vcsim cell` writes.
const MAX_ROWS: f64 = 1e7;

fn check_range(flag: &str, value: f64, min: f64, max: f64, open_min: bool) -> Result<(), String> {
    let bounds = if open_min {
        Bounds::above(min, max)
    } else {
        Bounds::closed(min, max)
    };
    check_bounds(flag, value, bounds, "")
}

/// Checks a flag that means the same as a scenario key against that key's bounds (the
/// one table of bounds, `scenario::reference`).
fn check_as_key(flag: &str, value: f64, key: &KeyRef) -> Result<(), String> {
    match key.bounds() {
        Some(bounds) => check_bounds(flag, value, bounds, key.key),
        None => Ok(()),
    }
}

fn check_bounds(flag: &str, value: f64, bounds: Bounds, like: &str) -> Result<(), String> {
    if bounds.contains(value) {
        Ok(())
    } else if like.is_empty() {
        Err(format!(
            "{flag} must be in {bounds} (got {})",
            readable(value)
        ))
    } else {
        Err(format!(
            "{flag} must be in {bounds}, like {like} in a scenario (got {})",
            readable(value)
        ))
    }
}

/// A number as a person would write it: plain, or in scientific notation when tiny or huge.
fn readable(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-4..1e9).contains(&magnitude) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

fn validate(args: &CellArgs) -> Result<Surroundings, CliError> {
    let mut problems = Vec::new();
    args.condition.check(&mut problems);
    let mut check = |r: Result<(), String>| {
        if let Err(p) = r {
            problems.push(p);
        }
    };
    check(check_range("--hours", args.hours, 0.0, MAX_H, true));
    check(check_range(
        "--every-min",
        args.every_min,
        0.0,
        MAX_H * HOUR,
        true,
    ));
    if let Some(dt_min) = args.dt_min {
        check(check_as_key("--dt-min", dt_min, &r::TIME_DT));
        // An error, not a warning: a step given for checking that is silently not used
        // would leave the user believing the output was checked with it.
        if matches!(args.integrator, IntegratorArg::Adaptive) {
            check(Err(format!(
                "--dt-min {}: sets the step of --integrator rk4; the adaptive integrator \
                 (the default) chooses its own steps: add --integrator rk4 or leave \
                 --dt-min out",
                readable(dt_min)
            )));
        }
    }
    if problems.is_empty() && args.hours * HOUR / args.every_min > MAX_ROWS {
        problems.push(format!(
            "--hours {} with --every-min {} gives more than {MAX_ROWS} rows",
            readable(args.hours),
            readable(args.every_min)
        ));
    }
    if !problems.is_empty() {
        return Err(CliError::invalid(problems.join("; ")));
    }
    Ok(args.condition.surroundings())
}

/// Runs `vcsim cell`.
///
/// # Errors
/// Invalid flags (exit 1); a non-finite state or an I/O failure (exit 2).
pub fn run(args: &CellArgs) -> Result<(), CliError> {
    let env = validate(args)?;
    let params = args.values.cell_params()?;
    let sink = args.out.as_ref().map_or(Sink::Stdout, |path| Sink::File {
        path: path.clone(),
        force: args.force,
    });
    let _lock = preflight(&sink)?;
    let knockouts = args.condition.knockouts();
    let variant = args.model.into();
    let model = CellModel::new(params, &knockouts, variant);
    let integrator = match args.integrator {
        IntegratorArg::Adaptive => Integrator::ADAPTIVE,
        IntegratorArg::Rk4 => Integrator::rk4(args.dt_min.unwrap_or(DEFAULT_MAX_STEP)),
    };
    let course = simulate(
        &model,
        &Constant(env),
        args.hours * HOUR,
        args.every_min,
        &integrator,
    )
    .runtime()?;
    let written = write_with(&sink, |out| write_csv(out, &course));
    match (super::received_signal(), &args.out) {
        (Some(signal), Some(path)) => Err(super::interrupted(
            signal,
            &format!(
                "removed the partial file; nothing was written to {}",
                path.display()
            ),
        )),
        (Some(signal), None) => Err(super::interrupted(signal, "the output stopped")),
        (None, _) => written,
    }
}

/// The CSV header: time, the 11 core states, the core sensors, the extension states,
/// the other readouts, survival and the dominant death route.
#[must_use]
pub fn header() -> Vec<&'static str> {
    let mut columns = vec!["time_min"];
    columns.extend(&CellState::NAMES[..11]);
    columns.extend(&CellReadout::NAMES[..3]);
    columns.extend(&CellState::NAMES[11..]);
    columns.extend(&CellReadout::NAMES[3..13]);
    columns.push("survival");
    columns.push(CellReadout::NAMES[13]);
    columns
}

fn write_csv(out: &mut dyn Write, course: &[TimePoint]) -> io::Result<()> {
    writeln!(out, "{}", header().join(","))?;
    for point in course {
        if vcsim::sim::interrupt::requested() {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        let states = point.state.to_array();
        let readouts = point.readout.values();
        let mut row = vec![point.time_min];
        row.extend(&states[..11]);
        row.extend(&readouts[..3]);
        row.extend(&states[11..]);
        row.extend(&readouts[3..]);
        row.push(point.survival);
        let numbers: Vec<String> = row.iter().map(f64::to_string).collect();
        writeln!(
            out,
            "{},{}",
            numbers.join(","),
            point.readout.apoptosis.dominant_route.name()
        )?;
    }
    Ok(())
}
