//! The reference of the scenario file format: one row per key with its type, unit,
//! default, allowed values and meaning.
//!
//! Validation reads its limits, defaults and unit conversions from the constants here, so
//! the documentation cannot drift from what is enforced. [`KEYS`] lists every key in file
//! order and [`reference_markdown`] renders it.

use crate::units::{DAY, HOUR};
use Allowed::{Form, OneOf, Range};
use DefaultValue::{Number, Required, Text};
use ValueType::{Float, FloatArray, Integer, TextArray};
use std::fmt::{self, Write as _};

/// Minutes per hour, the factor from `_h` keys to canonical minutes.
const H: f64 = HOUR;
/// Minutes per day, the factor from `_days` keys to canonical minutes.
const D: f64 = DAY;

/// The largest number of cell sites (`axial_sites × circumferential_sites × cell layers`)
/// a scenario may ask for.
pub const MAX_TOTAL_SITES: usize = 20_000_000;

/// The record interval used when `record.every_h` is absent, in hours (or the whole
/// duration, if that is shorter).
pub const DEFAULT_RECORD_EVERY_H: f64 = 12.0;

/// Default `geometry.site_spacing_um` in vitro: a confluent VSMC monolayer of about 400
/// cells per mm² (`docs/model.md` §5.1).
pub const DEFAULT_SPACING_IN_VITRO_UM: f64 = 50.0;

/// Default `geometry.site_spacing_um` in the vessel wall: about 10⁵ SMC per mm³ of media
/// (`docs/model.md` §5.1).
pub const DEFAULT_SPACING_VESSEL_UM: f64 = 20.0;

/// An interval of allowed numbers; each end is open, closed or absent (infinite).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// The lower end (`-inf` for none).
    pub min: f64,
    /// Whether `min` itself is allowed.
    pub min_inclusive: bool,
    /// The upper end (`inf` for none).
    pub max: f64,
    /// Whether `max` itself is allowed.
    pub max_inclusive: bool,
}

impl Bounds {
    /// `[min, max]`.
    #[must_use]
    pub const fn closed(min: f64, max: f64) -> Self {
        Self {
            min,
            min_inclusive: true,
            max,
            max_inclusive: true,
        }
    }

    /// `(min, max]`.
    #[must_use]
    pub const fn above(min: f64, max: f64) -> Self {
        Self {
            min,
            min_inclusive: false,
            max,
            max_inclusive: true,
        }
    }

    /// `>= min`, no upper end.
    #[must_use]
    pub const fn at_least(min: f64) -> Self {
        Self::closed(min, f64::INFINITY)
    }

    /// `> min`, no upper end.
    #[must_use]
    pub const fn greater_than(min: f64) -> Self {
        Self::above(min, f64::INFINITY)
    }

    /// Whether `value` is finite and inside the interval.
    #[must_use]
    pub fn contains(&self, value: f64) -> bool {
        let low_ok = if self.min_inclusive {
            value >= self.min
        } else {
            value > self.min
        };
        let high_ok = if self.max_inclusive {
            value <= self.max
        } else {
            value < self.max
        };
        value.is_finite() && low_ok && high_ok
    }
}

impl fmt::Display for Bounds {
    /// `[0, 10]`, `(0, 3650]`, `>= 1` or `> 0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.max.is_infinite() {
            let op = if self.min_inclusive { ">=" } else { ">" };
            return write!(f, "{op} {}", self.min);
        }
        let open = if self.min_inclusive { '[' } else { '(' };
        let close = if self.max_inclusive { ']' } else { ')' };
        write!(f, "{open}{}, {}{close}", self.min, self.max)
    }
}

/// The TOML type of a key's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// A number (integers are accepted).
    Float,
    /// An integer.
    Integer,
    /// A string.
    Text,
    /// An array of strings.
    TextArray,
    /// An array of numbers.
    FloatArray,
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Float => "number",
            Self::Integer => "integer",
            Self::Text => "string",
            Self::TextArray => "array of strings",
            Self::FloatArray => "array of numbers",
        })
    }
}

/// What values a key accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Allowed {
    /// A number in an interval (each element, for arrays).
    Range(Bounds),
    /// One of a fixed list of strings (each element, for arrays).
    OneOf(&'static [&'static str]),
    /// A string of a described form; the text completes "must be ...".
    Form(&'static str),
}

impl fmt::Display for Allowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Range(bounds) => write!(f, "{bounds}"),
            Self::OneOf(values) => write!(f, "{}", quoted_list(values)),
            Self::Form(text) => f.write_str(text),
        }
    }
}

/// The default of a key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DefaultValue {
    /// The key must be given (when its table, mode or kind applies).
    Required,
    /// A number, in the key's own unit.
    Number(f64),
    /// A default that is not a single number, described in words.
    Text(&'static str),
}

impl fmt::Display for DefaultValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => f.write_str("required"),
            Self::Number(value) => write!(f, "{value}"),
            Self::Text(text) => f.write_str(text),
        }
    }
}

/// A key that is only allowed when another key has a given value, e.g.
/// `geometry.mode = "vessel"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The selecting key, e.g. `geometry.mode`.
    pub key: &'static str,
    /// The value it must have.
    pub value: &'static str,
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = \"{}\"", self.key, self.value)
    }
}

/// The documentation and limits of one key of the scenario file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KeyRef {
    /// The dotted key path, e.g. `environment.phosphate_mM`.
    pub key: &'static str,
    /// The TOML type.
    pub value_type: ValueType,
    /// The unit of the value in the file (`1` for dimensionless, empty for text).
    pub unit: &'static str,
    /// The default.
    pub default: DefaultValue,
    /// The allowed values.
    pub allowed: Allowed,
    /// A constraint involving other keys, e.g. `<= time.duration_days`; empty if none.
    pub also: &'static str,
    /// The key is only allowed under this condition.
    pub only_when: Option<Condition>,
    /// The factor from the file's unit to the canonical unit of the validated
    /// [`Scenario`](super::Scenario) ([`DAY`](crate::units::DAY) for days → minutes, [`HOUR`](crate::units::HOUR) for hours
    /// → minutes).
    pub scale: f64,
    /// What the key means.
    pub meaning: &'static str,
}

impl KeyRef {
    /// The allowed interval, for numeric keys.
    #[must_use]
    pub const fn bounds(&self) -> Option<Bounds> {
        match self.allowed {
            Range(bounds) => Some(bounds),
            OneOf(_) | Form(_) => None,
        }
    }
}

#[expect(clippy::too_many_arguments, reason = "one argument per table column")]
const fn key(
    key: &'static str,
    value_type: ValueType,
    unit: &'static str,
    default: DefaultValue,
    allowed: Allowed,
    only_when: Option<Condition>,
    scale: f64,
    meaning: &'static str,
) -> KeyRef {
    KeyRef {
        key,
        value_type,
        unit,
        default,
        allowed,
        also: "",
        only_when,
        scale,
        meaning,
    }
}

const fn also(mut key: KeyRef, text: &'static str) -> KeyRef {
    key.also = text;
    key
}

const IN_VITRO: Option<Condition> = Some(Condition {
    key: "geometry.mode",
    value: "in_vitro",
});
const VESSEL: Option<Condition> = Some(Condition {
    key: "geometry.mode",
    value: "vessel",
});
const CONSTANT: Option<Condition> = Some(Condition {
    key: "stress.kind",
    value: "constant",
});
const STEP: Option<Condition> = Some(Condition {
    key: "stress.kind",
    value: "step",
});
const SQUARE_WAVE: Option<Condition> = Some(Condition {
    key: "stress.kind",
    value: "square_wave",
});

/// Geometry modes accepted by `geometry.mode`.
pub const GEOMETRY_MODES: &[&str] = &["in_vitro", "vessel"];
/// Stress schedules accepted by `stress.kind`.
pub const STRESS_KINDS: &[&str] = &["constant", "step", "square_wave"];
/// The values of `time.integrator`.
pub const INTEGRATORS: &[&str] = &["adaptive", "rk4"];
/// Knockouts accepted by `genetics.knockouts` (the names of
/// [`CoreKnockout::ALL`](crate::model::upr_core::CoreKnockout::ALL)).
pub const KNOCKOUT_NAMES: &[&str] = &["perk", "ire1", "atf6", "atf4", "gadd34", "chop", "xbp1"];
/// Species accepted by `genetics.species` (the names of
/// [`Species::ALL`](crate::model::species::Species::ALL)).
pub const SPECIES_NAMES: &[&str] = &["human", "rat"];

const STRESS_RANGE: Allowed = Range(Bounds::closed(0.0, 100.0));
const PER_MIN: &str = "min⁻¹";
const DOSE: &str = "1";
const DOSE_RANGE: Allowed = Range(Bounds::closed(0.0, 10.0));

/// `meta.name`.
pub const META_NAME: KeyRef = key(
    "meta.name",
    ValueType::Text,
    "",
    Required,
    Form("1-64 characters from `a-z`, `0-9`, `_` and `-`"),
    None,
    1.0,
    "Name of the scenario; names the output folder.",
);
/// `meta.description`.
pub const META_DESCRIPTION: KeyRef = key(
    "meta.description",
    ValueType::Text,
    "",
    Required,
    Form("non-empty text"),
    None,
    1.0,
    "What the scenario reproduces, in a sentence.",
);
/// `meta.claims`.
pub const META_CLAIMS: KeyRef = key(
    "meta.claims",
    TextArray,
    "",
    Text("[]"),
    Form("a claim ID: 2-3 capital letters, `-` and digits, like `OS-1`"),
    None,
    1.0,
    "Claim IDs of the review the scenario tests.",
);
/// `meta.seed`.
pub const META_SEED: KeyRef = key(
    "meta.seed",
    Integer,
    "",
    Number(1.0),
    Range(Bounds::at_least(0.0)),
    None,
    1.0,
    "Seed of the random streams; `--seed` overrides it.",
);
/// `geometry.mode`.
pub const GEOMETRY_MODE: KeyRef = key(
    "geometry.mode",
    ValueType::Text,
    "",
    Required,
    OneOf(GEOMETRY_MODES),
    None,
    1.0,
    "A monolayer in a well of medium, or a vessel wall bathed by plasma.",
);
/// `geometry.axial_sites`.
pub const GEOMETRY_AXIAL: KeyRef = also(
    key(
        "geometry.axial_sites",
        Integer,
        "1",
        Required,
        Range(Bounds::closed(1.0, 10_000.0)),
        None,
        1.0,
        "Cell sites along the well (in vitro) or the vessel axis.",
    ),
    "axial × circumferential × cell layers <= 20000000",
);
/// `geometry.circumferential_sites`.
pub const GEOMETRY_CIRCUMFERENTIAL: KeyRef = also(
    key(
        "geometry.circumferential_sites",
        Integer,
        "1",
        Required,
        Range(Bounds::closed(1.0, 10_000.0)),
        None,
        1.0,
        "Cell sites across the well (in vitro) or around the vessel (periodic).",
    ),
    "axial × circumferential × cell layers <= 20000000",
);
/// `geometry.site_spacing_um`.
pub const GEOMETRY_SPACING: KeyRef = key(
    "geometry.site_spacing_um",
    Float,
    "µm",
    Text("50 in vitro (confluent VSMC ≈ 400/mm²), 20 in vessel"),
    Range(Bounds::closed(5.0, 200.0)),
    None,
    1.0,
    "Distance between neighbouring cell sites.",
);
/// `geometry.occupancy`.
pub const GEOMETRY_OCCUPANCY: KeyRef = key(
    "geometry.occupancy",
    Float,
    "1",
    Number(1.0),
    Range(Bounds::above(0.0, 1.0)),
    None,
    1.0,
    "Fraction of cell sites seeded with a cell at the start.",
);
/// `geometry.medium_depth_mm`.
pub const GEOMETRY_MEDIUM_DEPTH: KeyRef = key(
    "geometry.medium_depth_mm",
    Float,
    "mm",
    Number(2.1),
    Range(Bounds::closed(0.1, 10.0)),
    IN_VITRO,
    1.0,
    "Depth of the well-mixed medium over the cells (2 mL per 9.5 cm² well ≈ 2.1 mm).",
);
/// `geometry.intima_layers`.
pub const GEOMETRY_INTIMA: KeyRef = key(
    "geometry.intima_layers",
    Integer,
    "1",
    Number(0.0),
    Range(Bounds::closed(0.0, 10.0)),
    VESSEL,
    1.0,
    "Cell layers of the intima, on the lumen side.",
);
/// `geometry.media_layers`.
pub const GEOMETRY_MEDIA: KeyRef = key(
    "geometry.media_layers",
    Integer,
    "1",
    Number(8.0),
    Range(Bounds::closed(1.0, 50.0)),
    VESSEL,
    1.0,
    "VSMC layers of the media (rat aorta: 7-9 lamellar units).",
);
/// `geometry.adventitia_layers`.
pub const GEOMETRY_ADVENTITIA: KeyRef = key(
    "geometry.adventitia_layers",
    Integer,
    "1",
    Number(2.0),
    Range(Bounds::closed(0.0, 20.0)),
    VESSEL,
    1.0,
    "Layers of the adventitia, outside the media: cell-free connective tissue (no VSMCs; fibroblasts are not modelled), drawn shaded in the figures.",
);
/// `geometry.lamella_every`.
pub const GEOMETRY_LAMELLA_EVERY: KeyRef = key(
    "geometry.lamella_every",
    Integer,
    "1",
    Number(1.0),
    Range(Bounds::closed(1.0, 50.0)),
    VESSEL,
    1.0,
    "An elastic lamella after every n media layers.",
);
/// `time.duration_days`.
pub const TIME_DURATION: KeyRef = key(
    "time.duration_days",
    Float,
    "d",
    Required,
    Range(Bounds::above(0.0, 3650.0)),
    None,
    D,
    "Simulated time.",
);
/// [min] The shortest RK4 step a scenario or `vcsim cell --dt-min` may ask for. RK4's
/// error falls as `h⁴`: at 0.01 min it is 10⁸ times below the verified 0.5-min default
/// and at the level of rounding, so a shorter step buys nothing, while its cost grows as
/// `1/h` without bound (`1e-300` never finished: 10³⁰² steps per minute).
pub const MIN_RK4_STEP_MIN: f64 = 0.01;
/// [h] The shortest period of a square-wave stress schedule. The cell integration stops
/// at every half period, so the wave is exact for any period; a period of 0.1 h (3-min
/// halves, twice the fastest relaxation of the model, unfolded protein's ≈1.5 min) is
/// already felt by every state as its mean, and a shorter one only multiplies the stops
/// (a 10⁻⁹-h period would be 7·10¹⁰ stops per hour).
pub const MIN_STRESS_PERIOD_H: f64 = 0.1;
/// `time.dt_min`.
pub const TIME_DT: KeyRef = also(
    key(
        "time.dt_min",
        Float,
        "min",
        Number(0.5),
        Range(Bounds::closed(MIN_RK4_STEP_MIN, 5.0)),
        None,
        1.0,
        "Step of the fixed-step RK4 integration (`time.integrator = \"rk4\"`; split further where the system is stiff).",
    ),
    "<= the duration",
);
/// `time.integrator`.
pub const TIME_INTEGRATOR: KeyRef = key(
    "time.integrator",
    ValueType::Text,
    "",
    Text("\"adaptive\""),
    OneOf(INTEGRATORS),
    None,
    1.0,
    "Intracellular integration: adaptive Rosenbrock-W steps with error control per cell, or fixed-step RK4 (`time.dt_min`) for checking.",
);
/// `environment.calcium_mM`.
pub const ENV_CALCIUM: KeyRef = key(
    "environment.calcium_mM",
    Float,
    "mM",
    Number(1.8),
    Range(Bounds::closed(0.0, 10.0)),
    None,
    1.0,
    "Total calcium of the medium (DMEM 1.8; about 85% ionised) or plasma (2.4; about half ionised: mineral.ionised_calcium_fraction_*).",
);
/// `environment.phosphate_mM`.
pub const ENV_PHOSPHATE: KeyRef = key(
    "environment.phosphate_mM",
    Float,
    "mM",
    Number(0.9),
    Range(Bounds::closed(0.0, 10.0)),
    None,
    1.0,
    "Inorganic phosphate (DMEM 0.9; calcifying 2-3; plasma 0.8-1.45; CKD 2-3).",
);
/// `environment.pyrophosphate_uM`.
pub const ENV_PYROPHOSPHATE: KeyRef = key(
    "environment.pyrophosphate_uM",
    Float,
    "µM",
    Number(0.0),
    Range(Bounds::closed(0.0, 100.0)),
    None,
    1.0,
    "Pyrophosphate (medium ≈ 0; plasma 3.26 normal, 2.26 haemodialysis).",
);
/// `environment.beta_glycerophosphate_mM`.
pub const ENV_BETA_GP: KeyRef = key(
    "environment.beta_glycerophosphate_mM",
    Float,
    "mM",
    Number(0.0),
    Range(Bounds::closed(0.0, 50.0)),
    None,
    1.0,
    "β-glycerophosphate, hydrolysed to phosphate by ALP (calcifying medium: 10).",
);
/// `environment.fetuin_a_uM`.
pub const ENV_FETUIN_A: KeyRef = key(
    "environment.fetuin_a_uM",
    Float,
    "µM",
    Number(1.0),
    Range(Bounds::closed(0.0, 100.0)),
    None,
    1.0,
    "Fetuin-A (assumed ≈ 1 in 10% FBS medium; plasma 10-20, lower in CKD).",
);
/// `environment.magnesium_mM`.
pub const ENV_MAGNESIUM: KeyRef = key(
    "environment.magnesium_mM",
    Float,
    "mM",
    Number(0.8),
    Range(Bounds::closed(0.0, 20.0)),
    None,
    1.0,
    "Magnesium, a nucleation inhibitor (DMEM 0.8; plasma 0.7-1.0).",
);
/// `environment.glucose_mM`.
pub const ENV_GLUCOSE: KeyRef = key(
    "environment.glucose_mM",
    Float,
    "mM",
    Number(5.5),
    Range(Bounds::closed(0.0, 100.0)),
    None,
    1.0,
    "Glucose (low-glucose DMEM 5.5; high glucose 25).",
);
/// `environment.tnf_alpha`.
pub const ENV_TNF_ALPHA: KeyRef = key(
    "environment.tnf_alpha",
    Float,
    DOSE,
    Number(0.0),
    DOSE_RANGE,
    None,
    1.0,
    "TNF-α, relative to a typical experimental dose.",
);
/// `environment.il1_beta`.
pub const ENV_IL1_BETA: KeyRef = key(
    "environment.il1_beta",
    Float,
    DOSE,
    Number(0.0),
    DOSE_RANGE,
    None,
    1.0,
    "IL-1β, relative to a typical experimental dose.",
);
/// `environment.il6`.
pub const ENV_IL6: KeyRef = key(
    "environment.il6",
    Float,
    DOSE,
    Number(0.0),
    DOSE_RANGE,
    None,
    1.0,
    "IL-6, relative to a typical experimental dose.",
);
/// `environment.lps`.
pub const ENV_LPS: KeyRef = key(
    "environment.lps",
    Float,
    DOSE,
    Number(0.0),
    DOSE_RANGE,
    None,
    1.0,
    "Lipopolysaccharide, relative to a typical experimental dose.",
);
/// `environment.ros`.
pub const ENV_ROS: KeyRef = key(
    "environment.ros",
    Float,
    DOSE,
    Number(0.0),
    DOSE_RANGE,
    None,
    1.0,
    "Exogenous oxidative stress (1 = xanthine/xanthine oxidase).",
);
/// `environment.rage`.
pub const ENV_RAGE: KeyRef = key(
    "environment.rage",
    Float,
    DOSE,
    Number(0.0),
    DOSE_RANGE,
    None,
    1.0,
    "RAGE activation by AGEs (1 ≈ 100 µg/mL AGE).",
);
/// `environment.bmp2`.
pub const ENV_BMP2: KeyRef = key(
    "environment.bmp2",
    Float,
    DOSE,
    Number(0.0),
    DOSE_RANGE,
    None,
    1.0,
    "Exogenous BMP-2 (1 ≈ 100 ng/mL).",
);
/// `environment.medium_change_every_days`.
pub const ENV_MEDIUM_CHANGE: KeyRef = key(
    "environment.medium_change_every_days",
    Float,
    "d",
    Text("none (no medium changes)"),
    Range(Bounds::above(0.0, 365.0)),
    IN_VITRO,
    D,
    "Interval between medium changes, which reset the medium to the values above. Also \
     in a vessel bathed by medium (`environment.bath_uL_per_mm2`): the bath is replaced.",
);
/// `environment.bath_uL_per_mm2`.
pub const ENV_BATH: KeyRef = key(
    "environment.bath_uL_per_mm2",
    Float,
    "µL/mm²",
    Text("none (the wall exchanges with plasma)"),
    Range(Bounds::closed(2.0, 10_000.0)),
    VESSEL,
    1.0,
    "A vessel segment in a dish (aortic ring or explant culture): the medium volume per mm² \
     of luminal wall surface that bathes it, with the composition above (its calcium \
     ionised as a medium's, not as plasma's). The bath is \
     finite (what the wall takes up or releases changes it) and is replaced every \
     `environment.medium_change_every_days`; without this key the wall exchanges with \
     plasma of constant composition. At least 2 µL/mm², about ten times the wall's own \
     interstitial fluid.",
);
/// `stress.kind`.
pub const STRESS_KIND: KeyRef = key(
    "stress.kind",
    ValueType::Text,
    "",
    Text("\"constant\""),
    OneOf(STRESS_KINDS),
    None,
    1.0,
    "Time course of the direct ER stress input (thapsigargin or tunicamycin-like).",
);
/// `stress.stress_per_min`.
pub const STRESS_CONSTANT: KeyRef = key(
    "stress.stress_per_min",
    Float,
    PER_MIN,
    Number(0.0),
    STRESS_RANGE,
    CONSTANT,
    1.0,
    "Constant ER stress input S (2 ≈ 2.5 nM, 8 ≈ 10 nM thapsigargin in MEFs).",
);
/// `stress.before_per_min`.
pub const STRESS_BEFORE: KeyRef = key(
    "stress.before_per_min",
    Float,
    PER_MIN,
    Required,
    STRESS_RANGE,
    STEP,
    1.0,
    "Stress input before the step.",
);
/// `stress.after_per_min`.
pub const STRESS_AFTER: KeyRef = key(
    "stress.after_per_min",
    Float,
    PER_MIN,
    Required,
    STRESS_RANGE,
    STEP,
    1.0,
    "Stress input from the step on.",
);
/// `stress.at_h`.
pub const STRESS_AT: KeyRef = also(
    key(
        "stress.at_h",
        Float,
        "h",
        Required,
        Range(Bounds::at_least(0.0)),
        STEP,
        H,
        "Time of the step (exact: the cell integration stops there).",
    ),
    "< the duration",
);
/// `stress.low_per_min`.
pub const STRESS_LOW: KeyRef = also(
    key(
        "stress.low_per_min",
        Float,
        PER_MIN,
        Required,
        STRESS_RANGE,
        SQUARE_WAVE,
        1.0,
        "Stress input in the low half of each period.",
    ),
    "<= stress.high_per_min",
);
/// `stress.high_per_min`.
pub const STRESS_HIGH: KeyRef = key(
    "stress.high_per_min",
    Float,
    PER_MIN,
    Required,
    STRESS_RANGE,
    SQUARE_WAVE,
    1.0,
    "Stress input in the high half of each period; the wave starts high.",
);
/// `stress.period_h`.
pub const STRESS_PERIOD: KeyRef = key(
    "stress.period_h",
    Float,
    "h",
    Required,
    Range(Bounds::at_least(MIN_STRESS_PERIOD_H)),
    SQUARE_WAVE,
    H,
    "Period of the square wave (high for half, low for half; exact: the cell integration stops at every half period).",
);
/// `genetics.species`.
pub const GENETICS_SPECIES: KeyRef = key(
    "genetics.species",
    ValueType::Text,
    "",
    Text("\"human\""),
    OneOf(SPECIES_NAMES),
    None,
    1.0,
    "The species the cells come from. It sets their cell cycle: rat VSMCs spend 3.4 h in G1, human ones 16 h, and in culture each species leaves G0 at its own fitted rate (p_max_rat, p_max; docs/model.md §4.3).",
);
/// `genetics.knockouts`.
pub const GENETICS_KNOCKOUTS: KeyRef = key(
    "genetics.knockouts",
    TextArray,
    "",
    Text("[]"),
    OneOf(KNOCKOUT_NAMES),
    None,
    1.0,
    "Gene deletions of the UPR core (Diedrichs 2018), each listed once.",
);
/// `parameters.<module>.<field>`.
pub const PARAMETERS: KeyRef = key(
    "parameters.<module>.<field>",
    Float,
    "as listed by `vcsim params`",
    Text("the cited value"),
    Form("any module and field listed by `vcsim params`, in the range it lists"),
    None,
    1.0,
    "Overrides one model parameter.",
);
/// `record.every_h`.
pub const RECORD_EVERY: KeyRef = also(
    key(
        "record.every_h",
        Float,
        "h",
        Text("12, or the duration if shorter"),
        Range(Bounds::at_least(1.0)),
        None,
        H,
        "Interval between recorded population summaries.",
    ),
    "<= time.duration_days",
);
/// `record.snapshots_days`.
pub const RECORD_SNAPSHOTS: KeyRef = also(
    key(
        "record.snapshots_days",
        FloatArray,
        "d",
        Text("[0, end]"),
        Range(Bounds::closed(0.0, 3650.0)),
        None,
        D,
        "Times of full snapshots; 0 and the end are always included.",
    ),
    "each <= time.duration_days",
);

/// `treatment.id` (one per `[[treatment]]`).
pub const TREATMENT_ID: KeyRef = key(
    "treatment.id",
    ValueType::Text,
    "",
    Required,
    Form("an id listed by `vcsim catalog`"),
    None,
    1.0,
    "Inducer or intervention from the catalog; one `[[treatment]]` table each.",
);
/// `treatment.dose`.
pub const TREATMENT_DOSE: KeyRef = key(
    "treatment.dose",
    Float,
    "catalog dose unit",
    Text("the entry's typical dose"),
    Range(Bounds::at_least(0.0)),
    None,
    1.0,
    "Dose in the entry's unit (`vcsim catalog`); effects scale with dose / typical dose.",
);
/// `treatment.start_days`.
pub const TREATMENT_START: KeyRef = key(
    "treatment.start_days",
    Float,
    "days",
    Number(0.0),
    Range(Bounds::at_least(0.0)),
    None,
    D,
    "When the treatment starts; gene deletions act for the whole run (0). A change of the medium or plasma, or of model parameters (knockdowns, milieus such as ckd-uremia), takes effect at the first coupling step at or after it (in a well, a medium change to the supplemented medium).",
);
/// `treatment.stop_days`.
pub const TREATMENT_STOP: KeyRef = also(
    key(
        "treatment.stop_days",
        Float,
        "days",
        Text("end of the run"),
        Range(Bounds::greater_than(0.0)),
        None,
        D,
        "When the treatment stops (not for gene deletions); a medium or plasma change is undone then (in a well, by a medium change), a parameter change at the first coupling step at or after it.",
    ),
    "> treatment.start_days",
);
/// `treatment.onset_days`.
pub const TREATMENT_ONSET: KeyRef = key(
    "treatment.onset_days",
    Float,
    "days",
    Number(0.0),
    Range(Bounds::at_least(0.0)),
    VESSEL,
    D,
    "Onset: the dose rises from treatment.start_days to its full value over this many days, in hourly steps at the coupling steps (hour k of n holds (k - 1/2)/n of the dose: a straight line), for a milieu an animal develops (adenine makes renal failure within 10-12 days); state its source beside it. Plasma and parameters change at each step as at a window edge. A whole number of hours (a multiple of 1/24 day); only in a vessel wall fed by plasma (a medium changes at medium changes: give windows); not for gene deletions. 0: the full dose from the start.",
);
/// `treatment.between_animal_cv`.
pub const TREATMENT_BETWEEN_ANIMAL_CV: KeyRef = key(
    "treatment.between_animal_cv",
    Float,
    "1",
    Number(0.0),
    Range(Bounds::closed(0.0, 1.0)),
    None,
    1.0,
    "Between-animal coefficient of variation of the dose's effect: each seed (each replicate of an experiment: one animal) receives the dose times a log-normal factor of mean 1 and this CV, drawn from the seed. For how differently animals of one cohort respond to one regimen (how much renal function an adenine diet removes); state its source beside it. Not for gene deletions. 0: every animal the dose itself.",
);

/// Every key of the scenario file, in file order.
pub const KEYS: &[KeyRef] = &[
    META_NAME,
    META_DESCRIPTION,
    META_CLAIMS,
    META_SEED,
    GEOMETRY_MODE,
    GEOMETRY_AXIAL,
    GEOMETRY_CIRCUMFERENTIAL,
    GEOMETRY_SPACING,
    GEOMETRY_OCCUPANCY,
    GEOMETRY_MEDIUM_DEPTH,
    GEOMETRY_INTIMA,
    GEOMETRY_MEDIA,
    GEOMETRY_ADVENTITIA,
    GEOMETRY_LAMELLA_EVERY,
    TIME_DURATION,
    TIME_DT,
    TIME_INTEGRATOR,
    ENV_CALCIUM,
    ENV_PHOSPHATE,
    ENV_PYROPHOSPHATE,
    ENV_BETA_GP,
    ENV_FETUIN_A,
    ENV_MAGNESIUM,
    ENV_GLUCOSE,
    ENV_TNF_ALPHA,
    ENV_IL1_BETA,
    ENV_IL6,
    ENV_LPS,
    ENV_ROS,
    ENV_RAGE,
    ENV_BMP2,
    ENV_MEDIUM_CHANGE,
    ENV_BATH,
    STRESS_KIND,
    STRESS_CONSTANT,
    STRESS_BEFORE,
    STRESS_AFTER,
    STRESS_AT,
    STRESS_LOW,
    STRESS_HIGH,
    STRESS_PERIOD,
    GENETICS_SPECIES,
    GENETICS_KNOCKOUTS,
    PARAMETERS,
    RECORD_EVERY,
    RECORD_SNAPSHOTS,
    TREATMENT_ID,
    TREATMENT_DOSE,
    TREATMENT_START,
    TREATMENT_STOP,
    TREATMENT_BETWEEN_ANIMAL_CV,
    TREATMENT_ONSET,
];

/// The tables that must be present.
pub const REQUIRED_TABLES: &[&str] = &["meta", "geometry", "time"];

/// `a`, `b`, `c` with each name in backticks.
pub(crate) fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The reference of the scenario format as a markdown table, one row per key.
#[must_use]
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "| key | type | unit | default | allowed | only when | meaning |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for key in KEYS {
        let unit = if key.unit.is_empty() { "–" } else { key.unit };
        let mut allowed = key.allowed.to_string();
        if !key.also.is_empty() {
            allowed.push_str("; ");
            allowed.push_str(key.also);
        }
        let only_when = key
            .only_when
            .map_or_else(|| "–".to_string(), |c| c.to_string());
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} |",
            key.key, key.value_type, unit, key.default, allowed, only_when, key.meaning
        );
    }
    let _ = write!(
        out,
        "\nRequired tables: {}. Integers are accepted where a number is expected. \
         The whole geometry may hold at most {MAX_TOTAL_SITES} cell sites.\n",
        quoted_list(REQUIRED_TABLES)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::species::Species;
    use crate::model::upr_core::CoreKnockout;
    use crate::scenario::file::{
        EnvironmentFile, GeneticsFile, GeometryFile, MetaFile, RecordFile, ScenarioFile,
        StressFile, TimeFile, TreatmentFile,
    };
    use std::collections::BTreeSet;

    #[test]
    fn bounds_render_open_closed_and_unbounded_ends() {
        assert_eq!(Bounds::closed(0.0, 10.0).to_string(), "[0, 10]");
        assert_eq!(Bounds::above(0.0, 3650.0).to_string(), "(0, 3650]");
        assert_eq!(Bounds::at_least(1.0).to_string(), ">= 1");
        assert_eq!(Bounds::greater_than(0.0).to_string(), "> 0");
    }

    #[test]
    fn bounds_reject_the_open_end_and_non_finite_values() {
        let b = Bounds::above(0.0, 5.0);
        assert!(!b.contains(0.0));
        assert!(b.contains(5.0));
        assert!(!b.contains(f64::NAN));
        assert!(!Bounds::at_least(0.0).contains(f64::INFINITY));
    }

    #[test]
    fn knockout_names_are_the_core_knockouts() {
        let names: Vec<&str> = CoreKnockout::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names, KNOCKOUT_NAMES);
    }

    #[test]
    fn species_names_are_the_model_species() {
        let names: Vec<&str> = Species::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(names, SPECIES_NAMES);
    }

    #[test]
    fn every_numeric_default_is_inside_its_range() {
        for key in KEYS {
            if let (Number(value), Some(bounds)) = (key.default, key.bounds()) {
                assert!(bounds.contains(value), "{}", key.key);
            }
        }
    }

    fn sp<T>(value: T) -> toml::Spanned<T> {
        toml::Spanned::new(0..0, value)
    }

    /// A file with every key set. Struct literals without `..Default::default()`, so a
    /// new key in `ScenarioFile` does not compile until it is added here, and then fails
    /// the test below until it is in `KEYS`.
    fn every_key_set() -> ScenarioFile {
        let parameters = [(
            sp("upr_core".to_string()),
            [(sp("bip_folding_rate".to_string()), sp(1.6))].into(),
        )]
        .into();
        ScenarioFile {
            meta: Some(sp(MetaFile {
                name: Some(sp("n".into())),
                description: Some(sp("d".into())),
                claims: Some(vec![sp("OS-1".into())]),
                seed: Some(sp(1)),
            })),
            geometry: Some(sp(GeometryFile {
                mode: Some(sp("vessel".into())),
                axial_sites: Some(sp(1)),
                circumferential_sites: Some(sp(1)),
                site_spacing_um: Some(sp(1.0)),
                occupancy: Some(sp(1.0)),
                medium_depth_mm: Some(sp(1.0)),
                intima_layers: Some(sp(1)),
                media_layers: Some(sp(1)),
                adventitia_layers: Some(sp(1)),
                lamella_every: Some(sp(1)),
            })),
            time: Some(sp(TimeFile {
                duration_days: Some(sp(1.0)),
                dt_min: Some(sp(1.0)),
                integrator: Some(sp("rk4".to_string())),
            })),
            environment: Some(sp(EnvironmentFile {
                calcium_mm: Some(sp(1.0)),
                phosphate_mm: Some(sp(1.0)),
                pyrophosphate_um: Some(sp(1.0)),
                beta_glycerophosphate_mm: Some(sp(1.0)),
                fetuin_a_um: Some(sp(1.0)),
                magnesium_mm: Some(sp(1.0)),
                glucose_mm: Some(sp(1.0)),
                tnf_alpha: Some(sp(1.0)),
                il1_beta: Some(sp(1.0)),
                il6: Some(sp(1.0)),
                lps: Some(sp(1.0)),
                ros: Some(sp(1.0)),
                rage: Some(sp(1.0)),
                bmp2: Some(sp(1.0)),
                medium_change_every_days: Some(sp(1.0)),
                bath_ul_per_mm2: Some(sp(1.0)),
            })),
            stress: Some(sp(StressFile {
                kind: Some(sp("step".into())),
                stress_per_min: Some(sp(1.0)),
                before_per_min: Some(sp(1.0)),
                after_per_min: Some(sp(1.0)),
                at_h: Some(sp(1.0)),
                low_per_min: Some(sp(1.0)),
                high_per_min: Some(sp(1.0)),
                period_h: Some(sp(1.0)),
            })),
            genetics: Some(sp(GeneticsFile {
                species: Some(sp("rat".into())),
                knockouts: Some(vec![sp("atf4".into())]),
            })),
            parameters: Some(parameters),
            record: Some(sp(RecordFile {
                every_h: Some(sp(1.0)),
                snapshots_days: Some(vec![sp(1.0)]),
            })),
            treatment: Some(vec![sp(TreatmentFile {
                id: Some(sp("4-pba".into())),
                dose: Some(sp(5.0)),
                start_days: Some(sp(1.0)),
                stop_days: Some(sp(2.0)),
                between_animal_cv: Some(sp(0.2)),
                onset_days: Some(sp(1.0)),
            })]),
        }
    }

    fn leaf_keys(table: &toml::Table, prefix: &str, out: &mut BTreeSet<String>) {
        for (name, value) in table {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            match value {
                toml::Value::Table(inner) => leaf_keys(inner, &path, out),
                toml::Value::Array(items) if items.iter().all(toml::Value::is_table) => {
                    for item in items {
                        if let toml::Value::Table(inner) = item {
                            leaf_keys(inner, &path, out);
                        }
                    }
                }
                _ => {
                    let generic = if path.starts_with("parameters.") {
                        PARAMETERS.key.to_string()
                    } else {
                        path
                    };
                    out.insert(generic);
                }
            }
        }
    }

    #[test]
    fn every_key_the_file_accepts_is_in_the_reference_table_and_back() {
        let text = toml::to_string(&every_key_set()).unwrap();
        let table: toml::Table = toml::from_str(&text).unwrap();
        let mut accepted = BTreeSet::new();
        leaf_keys(&table, "", &mut accepted);
        let documented: BTreeSet<String> = KEYS.iter().map(|k| k.key.to_string()).collect();
        assert_eq!(accepted, documented);
        // And the serialised file parses back (every documented key is accepted).
        assert_eq!(ScenarioFile::parse(&text, "t").unwrap(), every_key_set());
    }

    #[test]
    fn the_site_limit_in_the_table_is_the_enforced_one() {
        assert!(GEOMETRY_AXIAL.also.ends_with(&MAX_TOTAL_SITES.to_string()));
        assert!(
            GEOMETRY_CIRCUMFERENTIAL
                .also
                .ends_with(&MAX_TOTAL_SITES.to_string())
        );
    }

    #[test]
    fn markdown_has_one_row_per_key() {
        let text = reference_markdown();
        assert_eq!(
            text.lines().filter(|l| l.starts_with("| `")).count(),
            KEYS.len()
        );
        assert!(text.contains("| `environment.phosphate_mM` | number | mM | 0.9 | [0, 10] |"));
    }
}
