//! The single-cell model as SBML Level 3 Version 2 (`vcsim export-sbml`).
//!
//! The 22 states of [`CellModel`] become species of one dimensionless compartment (each
//! a fold change over the unstressed cell, initial value as `vcsim cell` starts them);
//! every parameter of the seven cell modules becomes a constant parameter with its value
//! (knockouts applied), SBML unit, an SBO term and a note with its symbol, meaning,
//! range and source (paper, claim ID, `calibrated` or `assumed` with the reason); the
//! surroundings at export time (ER-stress input, ions, glucose, cytokines, drugs, the
//! cell's heterogeneity multipliers) become constant parameters `env_*`. The equations,
//! written once as expressions in [`equations`], become assignment rules (sensors,
//! stress signals, readouts, hazard, survival) and rate rules (the 22 states and the
//! cumulative hazard of apoptosis). Time is in minutes.
//!
//! The tests below evaluate the same expressions against [`CellModel::rates`] and
//! [`CellModel::readout`]; `tests/sbml_export_check.py` simulates the written file in
//! `libRoadRunner` and compares it with `vcsim cell`. The module returns text: writing it
//! to a file is the command line's business.

pub mod equations;
pub mod expr;

use crate::model::cell::{CellModel, CellState, ModelVariant};
use crate::model::parameter_set::ModelParams;
use crate::model::surroundings::Surroundings;
use crate::model::upr_core::CoreKnockout;
use crate::references::Source;
use equations::{CUMULATIVE_HAZARD, Definition, MINUTES_PER_HOUR};
use expr::{Expr, number};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The SBML unit definitions: id and the `<unit>` elements.
const UNITS: [(&str, &str); 9] = [
    (
        "minute",
        r#"<unit kind="second" exponent="1" scale="0" multiplier="60"/>"#,
    ),
    (
        "hour",
        r#"<unit kind="second" exponent="1" scale="0" multiplier="3600"/>"#,
    ),
    (
        "per_minute",
        r#"<unit kind="second" exponent="-1" scale="0" multiplier="60"/>"#,
    ),
    (
        "per_hour",
        r#"<unit kind="second" exponent="-1" scale="0" multiplier="3600"/>"#,
    ),
    (
        "minute_per_hour",
        r#"<unit kind="second" exponent="1" scale="0" multiplier="60"/><unit kind="second" exponent="-1" scale="0" multiplier="3600"/>"#,
    ),
    (
        "mM",
        r#"<unit kind="mole" exponent="1" scale="-3" multiplier="1"/><unit kind="litre" exponent="-1" scale="0" multiplier="1"/>"#,
    ),
    (
        "mM_squared",
        r#"<unit kind="mole" exponent="2" scale="-3" multiplier="1"/><unit kind="litre" exponent="-2" scale="0" multiplier="1"/>"#,
    ),
    (
        "uM",
        r#"<unit kind="mole" exponent="1" scale="-6" multiplier="1"/><unit kind="litre" exponent="-1" scale="0" multiplier="1"/>"#,
    ),
    (
        "nM",
        r#"<unit kind="mole" exponent="1" scale="-9" multiplier="1"/><unit kind="litre" exponent="-1" scale="0" multiplier="1"/>"#,
    ),
];

/// The SBML unit id of a parameter-table unit.
fn unit_id(table_unit: &str) -> &'static str {
    match table_unit {
        "min⁻¹" => "per_minute",
        "h⁻¹" => "per_hour",
        "mM" => "mM",
        "mM²" => "mM_squared",
        "µM" => "uM",
        "nM" => "nM",
        _ => "dimensionless",
    }
}

/// SBO term of a parameter by its unit: a rate constant or another quantitative parameter.
fn sbo_term(unit: &str) -> &'static str {
    if unit.starts_with("per_") {
        "SBO:0000009"
    } else {
        "SBO:0000002"
    }
}

/// The surroundings' inputs: name in [`Surroundings::named_values`], unit, meaning.
const ENVIRONMENT: [(&str, &str, &str); 26] = [
    (
        "er_stress",
        "per_minute",
        "direct ER-stress input (SBML Stress of Diedrichs 2018; 2 = about 2.5 nM, 8 = about 10 nM thapsigargin in MEFs)",
    ),
    ("calcium", "mM", "extracellular calcium"),
    ("phosphate", "mM", "extracellular inorganic phosphate"),
    (
        "pyrophosphate",
        "uM",
        "extracellular pyrophosphate (not read by the cell model)",
    ),
    ("fetuin_a", "uM", "fetuin-A (not read by the cell model)"),
    ("glucose", "mM", "glucose"),
    ("tnf_alpha", "dimensionless", "TNF-alpha, 1 = typical dose"),
    ("il1_beta", "dimensionless", "IL-1beta, 1 = typical dose"),
    ("il6", "dimensionless", "IL-6, 1 = typical dose"),
    (
        "lps",
        "dimensionless",
        "lipopolysaccharide, 1 = typical dose",
    ),
    (
        "ros",
        "dimensionless",
        "oxidative stress, 1 = xanthine/xanthine oxidase",
    ),
    (
        "rage",
        "dimensionless",
        "RAGE activation, 1 = AGEs 100 ug/mL",
    ),
    ("bmp2", "dimensionless", "exogenous BMP-2, 1 = 100 ng/mL"),
    (
        "growth_factors",
        "dimensionless",
        "growth-factor drive on mTORC1",
    ),
    (
        "extrinsic_death",
        "dimensionless",
        "death-receptor signals other than TNF-alpha",
    ),
    (
        "client_load_scale",
        "dimensionless",
        "cell multiplier on the external ER client load (1 = reference cell)",
    ),
    (
        "folding_capacity_scale",
        "dimensionless",
        "cell multiplier on BiP-assisted folding (1 = reference cell)",
    ),
    (
        "osteogenic_sensitivity",
        "dimensionless",
        "cell multiplier on the Runx2 drive above rest (1 = reference cell)",
    ),
    (
        "death_threshold_scale",
        "dimensionless",
        "cell multiplier on the drive at half-maximal hazard (1 = reference cell)",
    ),
    (
        "ros_scale",
        "dimensionless",
        "factor on all reactive oxygen species (antioxidants < 1)",
    ),
    ("rapamycin", "nM", "rapamycin"),
    (
        "chaperone_folding_gain",
        "dimensionless",
        "chemical-chaperone gain in BiP-assisted folding, phi_chap",
    ),
    (
        "chaperone_load_relief",
        "dimensionless",
        "chemical-chaperone relief of client load, psi_chap",
    ),
    (
        "autophagy_block",
        "dimensionless",
        "fraction of autophagy initiation blocked (3-MA)",
    ),
    (
        "autophagy_induction",
        "dimensionless",
        "extra autophagy drive (valproate: 1 doubles it)",
    ),
    (
        "phosphate_transport_block",
        "dimensionless",
        "fraction of PiT-mediated phosphate uptake blocked (phosphonoformic acid)",
    ),
];

/// Readable names of the 22 states, in [`CellState::NAMES`] order.
const STATE_TITLES: [&str; CellState::LEN] = [
    "unfolded ER client protein (U)",
    "cleaved ATF6, ATF6(N) (A6)",
    "Bip/GRP78 mRNA (b)",
    "total BiP/GRP78 protein (Btot)",
    "ATF4 protein (A4)",
    "Chop mRNA (c)",
    "CHOP protein (C)",
    "Gadd34 mRNA (g)",
    "GADD34 protein (G)",
    "phosphorylated eIF2alpha (Ep)",
    "spliced Xbp1 mRNA (x)",
    "mTORC1 activity",
    "Sestrin1/3",
    "autophagy flux (LC3-II / Beclin-1 proxy)",
    "phosphorylated JNK",
    "cleaved caspase-12",
    "Bcl-2",
    "Runx2",
    "alkaline phosphatase (TNAP) activity",
    "phosphate transporters PiT-1/2",
    "autocrine BMP-2",
    "contractile markers alpha-SMA / SM22alpha",
];

/// A constant parameter of the export: id, value, unit id, display name, note.
#[derive(Clone, Debug, PartialEq)]
pub struct Constant {
    /// SBML id.
    pub id: String,
    /// Value.
    pub value: f64,
    /// SBML unit id.
    pub unit: &'static str,
    /// SBML name (the symbol of the paper or of `docs/model.md`).
    pub name: String,
    /// The note: meaning, range, source.
    pub note: String,
}

/// Every constant of the export: the parameter table of the seven cell modules (with
/// knockouts applied), the surroundings as `env_*`, and the minutes in an hour.
#[must_use]
pub fn constants(model: &CellModel, surroundings: &Surroundings) -> Vec<Constant> {
    let mut out: Vec<Constant> = model
        .params()
        .rows()
        .into_iter()
        .map(|row| Constant {
            id: row.field.to_string(),
            value: row.value,
            unit: unit_id(row.unit),
            name: row.symbol.to_string(),
            note: format!(
                "{} ({}, module {}; unit {}; allowed range [{}, {}]). Source: {}.",
                row.meaning,
                row.symbol,
                row.module,
                row.unit,
                number(row.min),
                number(row.max),
                value_source_text(row.module, row.field, row.value, &row.source),
            ),
        })
        .collect();
    for (name, value) in surroundings.named_values() {
        let (unit, meaning) = ENVIRONMENT
            .iter()
            .find(|(n, _, _)| *n == name)
            .map_or(("dimensionless", ""), |(_, unit, meaning)| {
                (*unit, *meaning)
            });
        out.push(Constant {
            id: format!("env_{name}"),
            value,
            unit,
            name: name.to_string(),
            note: format!(
                "Surroundings at export time: {meaning}. Source: the export's conditions \
                 (vcsim export-sbml flags)."
            ),
        });
    }
    out.push(Constant {
        id: MINUTES_PER_HOUR.to_string(),
        value: crate::units::HOUR,
        unit: "minute_per_hour",
        name: "minutes per hour".to_string(),
        note: "Converts the per-hour rates of the VSMC modules to the model's minutes. \
               Source: definition."
            .to_string(),
    });
    out
}

/// A parameter's source as a sentence: the full citation for a paper.
/// The source of a parameter's exported value: the shipped calibration's row when the
/// value is the shipped one, the table's source when it is the built-in one, and otherwise
/// a value set by a knockout or a parameter file (both named in the model's notes), with
/// the built-in value's source.
fn value_source_text(module: &str, field: &str, value: f64, built_in: &Source) -> String {
    match ModelParams::source_of_value(module, field, value) {
        Some(source) => source_text(&source),
        None => format!(
            "set by a knockout or by a parameter file laid over the shipped values (the \
             model's notes name them); the built-in value's source: {}",
            source_text(built_in)
        ),
    }
}

fn source_text(source: &Source) -> String {
    match source {
        Source::Paper(reference) => format!("{} ({})", reference.key(), reference.citation()),
        other => other.to_string(),
    }
}

/// What the export holds, for its notes.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportInfo<'a> {
    /// The knockouts applied (already in the model's parameters).
    pub knockouts: &'a [CoreKnockout],
    /// The program that wrote it, e.g. `vcsim 0.1.0`.
    pub generator: &'a str,
    /// The parameter file laid over the shipped values (`--parameters`), if any.
    pub parameters_file: Option<&'a str>,
}

/// The XML-escaped text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

fn notes(out: &mut String, indent: &str, paragraphs: &[String]) {
    let _ = write!(
        out,
        "{indent}<notes>\n{indent}  <body xmlns=\"http://www.w3.org/1999/xhtml\">\n"
    );
    for p in paragraphs {
        let _ = writeln!(out, "{indent}    <p>{}</p>", escape(p));
    }
    let _ = write!(out, "{indent}  </body>\n{indent}</notes>\n");
}

fn math(out: &mut String, indent: &str, e: &Expr) {
    let _ = writeln!(
        out,
        "{indent}<math xmlns=\"http://www.w3.org/1998/Math/MathML\">{}</math>",
        e.mathml()
    );
}

/// The model id: `vcsim_vsmc_cell` or `vcsim_published_cell`.
const fn model_id(variant: ModelVariant) -> &'static str {
    match variant {
        ModelVariant::PublishedCore => "vcsim_published_cell",
        ModelVariant::Vsmc => "vcsim_vsmc_cell",
    }
}

/// Symbols an expression of the export reads that the export does not declare (empty
/// for a consistent model).
#[must_use]
pub fn undeclared_symbols(model: &CellModel, surroundings: &Surroundings) -> BTreeSet<String> {
    let mut declared: BTreeSet<String> = constants(model, surroundings)
        .into_iter()
        .map(|c| c.id)
        .collect();
    declared.extend(CellState::NAMES.iter().map(|s| (*s).to_string()));
    declared.insert(CUMULATIVE_HAZARD.to_string());
    let derived = equations::derived(model.variant());
    declared.extend(derived.iter().map(|d| d.id.to_string()));
    let mut read = Vec::new();
    for d in &derived {
        if let Definition::Rule(e) = &d.definition {
            e.symbols(&mut read);
        }
    }
    let rates = equations::rates();
    for (_, e) in &rates {
        e.symbols(&mut read);
    }
    read.into_iter()
        .filter(|s| !declared.contains(*s))
        .map(str::to_string)
        .collect()
}

/// The SBML Level 3 Version 2 document of `model` under `surroundings`.
#[must_use]
#[expect(
    clippy::too_many_lines,
    reason = "one document, written top to bottom in SBML's element order"
)]
pub fn cell_model_sbml(
    model: &CellModel,
    surroundings: &Surroundings,
    info: &ExportInfo<'_>,
) -> String {
    let variant = model.variant();
    let id = model_id(variant);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" \
         xmlns:sbml=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n",
    );
    let title = match variant {
        ModelVariant::Vsmc => {
            "vcsim VSMC cell model: the Diedrichs 2018 UPR core with mTORC1 and autophagy \
             feedback, and the VSMC extensions (22 states)"
        }
        ModelVariant::PublishedCore => {
            "vcsim published-core cell model: the Diedrichs 2018 UPR core unmodified, with \
             the VSMC extensions driven by it (22 states)"
        }
    };
    let _ = writeln!(
        out,
        "  <model metaid=\"{id}\" id=\"{id}\" name=\"{}\" substanceUnits=\"dimensionless\" \
         timeUnits=\"minute\" volumeUnits=\"dimensionless\" extentUnits=\"dimensionless\">",
        escape(title)
    );
    let knockouts = if info.knockouts.is_empty() {
        "none".to_string()
    } else {
        info.knockouts
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let conditions: Vec<String> = surroundings
        .named_values()
        .iter()
        .map(|(name, value)| format!("{name} = {}", number(*value)))
        .collect();
    notes(
        &mut out,
        "    ",
        &[
            format!(
                "{title}. Written by {} (vcsim export-sbml); the equations are those \
                 `vcsim cell --model {}` integrates (docs/model.md, sections 3.1-3.3).",
                info.generator,
                match variant {
                    ModelVariant::Vsmc => "vsmc",
                    ModelVariant::PublishedCore => "published",
                }
            ),
            "Time is in minutes. Every species is a fold change over the unstressed cell \
             (dimensionless, 1 at rest) in one compartment of size 1. Free BiP, active PERK \
             and IRE1, the stress signals, the readouts and the hazard of apoptosis are \
             assignment rules; each state has a rate rule. The cumulative hazard \
             integrates apoptosis_hazard_per_h and survival = exp(-cumulative_hazard)."
                .to_string(),
            format!("Knockouts applied to the parameters: {knockouts}."),
            match info.parameters_file {
                Some(file) => format!(
                    "Parameter values: the shipped values (built-in values with the shipped \
                     calibration laid over them) with the parameter file {file} laid over them."
                ),
                None => "Parameter values: the shipped values (built-in values with the \
                         shipped calibration laid over them)."
                    .to_string(),
            },
            format!(
                "Surroundings at export time (parameters env_*): {}.",
                conditions.join(", ")
            ),
            "Every parameter's note names its source: a paper, a claim ID of the review \
             (docs/model.md section 7.2), calibrated (with its target) or assumed (with \
             the reason)."
                .to_string(),
        ],
    );
    let _ = writeln!(
        out,
        "    <annotation>\n      <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
         xmlns:bqmodel=\"http://biomodels.net/model-qualifiers/\">\n        \
         <rdf:Description rdf:about=\"#{id}\">\n          <bqmodel:isDerivedFrom>\n            \
         <rdf:Bag>\n              \
         <rdf:li rdf:resource=\"http://identifiers.org/biomodels.db/BIOMD0000000703\"/>\n            \
         </rdf:Bag>\n          </bqmodel:isDerivedFrom>\n        </rdf:Description>\n      \
         </rdf:RDF>\n    </annotation>"
    );

    out.push_str("    <listOfUnitDefinitions>\n");
    for (unit, body) in UNITS {
        let _ = writeln!(
            out,
            "      <unitDefinition id=\"{unit}\"><listOfUnits>{body}</listOfUnits></unitDefinition>"
        );
    }
    out.push_str("    </listOfUnitDefinitions>\n");

    out.push_str(
        "    <listOfCompartments>\n      <compartment id=\"cell\" name=\"one VSMC\" \
         sboTerm=\"SBO:0000290\" spatialDimensions=\"3\" size=\"1\" units=\"dimensionless\" \
         constant=\"true\"/>\n    </listOfCompartments>\n",
    );

    out.push_str("    <listOfSpecies>\n");
    let initial = model.initial_state().to_array();
    for ((name, title), value) in CellState::NAMES.iter().zip(STATE_TITLES).zip(initial) {
        let _ = writeln!(
            out,
            "      <species id=\"{name}\" name=\"{}\" sboTerm=\"SBO:0000240\" compartment=\"cell\" \
             initialConcentration=\"{}\" substanceUnits=\"dimensionless\" \
             hasOnlySubstanceUnits=\"false\" boundaryCondition=\"false\" constant=\"false\"/>",
            escape(title),
            number(value)
        );
    }
    out.push_str("    </listOfSpecies>\n");

    out.push_str("    <listOfParameters>\n");
    for c in constants(model, surroundings) {
        let _ = writeln!(
            out,
            "      <parameter id=\"{}\" name=\"{}\" sboTerm=\"{}\" value=\"{}\" units=\"{}\" \
             constant=\"true\">",
            c.id,
            escape(&c.name),
            sbo_term(c.unit),
            number(c.value),
            c.unit
        );
        notes(&mut out, "        ", &[c.note]);
        out.push_str("      </parameter>\n");
    }
    let derived = equations::derived(variant);
    for d in &derived {
        let (value, constant) = match d.definition {
            Definition::Rule(_) => (String::new(), "false"),
            Definition::Constant(v) => (format!(" value=\"{}\"", number(v)), "true"),
        };
        let _ = writeln!(
            out,
            "      <parameter id=\"{}\" name=\"{}\" sboTerm=\"SBO:0000002\"{value} units=\"{}\" \
             constant=\"{constant}\"/>",
            d.id,
            escape(d.meaning),
            d.unit
        );
    }
    let _ = writeln!(
        out,
        "      <parameter id=\"{CUMULATIVE_HAZARD}\" name=\"cumulative hazard of apoptosis\" \
         sboTerm=\"SBO:0000002\" value=\"0\" units=\"dimensionless\" constant=\"false\"/>"
    );
    out.push_str("    </listOfParameters>\n");

    out.push_str("    <listOfRules>\n");
    for d in &derived {
        if let Definition::Rule(e) = &d.definition {
            let _ = writeln!(out, "      <assignmentRule variable=\"{}\">", d.id);
            math(&mut out, "        ", e);
            out.push_str("      </assignmentRule>\n");
        }
    }
    for (state, e) in equations::rates() {
        let _ = writeln!(out, "      <rateRule variable=\"{state}\">");
        math(&mut out, "        ", &e);
        out.push_str("      </rateRule>\n");
    }
    out.push_str("    </listOfRules>\n");
    out.push_str("  </model>\n</sbml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cell::CellParams;
    use std::collections::BTreeMap;

    /// The values of every constant, state and derived quantity of the export at `state`.
    fn evaluate(
        model: &CellModel,
        surroundings: &Surroundings,
        state: &CellState,
    ) -> BTreeMap<String, f64> {
        let mut values: BTreeMap<String, f64> = constants(model, surroundings)
            .into_iter()
            .map(|c| (c.id, c.value))
            .collect();
        for (name, value) in CellState::NAMES.iter().zip(state.to_array()) {
            values.insert((*name).to_string(), value);
        }
        values.insert(CUMULATIVE_HAZARD.to_string(), 0.25);
        for d in equations::derived(model.variant()) {
            let value = match &d.definition {
                Definition::Rule(e) => e
                    .eval(&|id: &str| values.get(id).copied())
                    .unwrap_or_else(|id| panic!("{} reads undefined {id}", d.id)),
                Definition::Constant(v) => *v,
            };
            values.insert(d.id.to_string(), value);
        }
        for (id, e) in equations::rates() {
            let rate = e
                .eval(&|id: &str| values.get(id).copied())
                .unwrap_or_else(|missing| panic!("d{id}/dt reads undefined {missing}"));
            values.insert(format!("d_{id}"), rate);
        }
        values
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-9)
    }

    /// States away from rest: each state scaled by its own factor in [0.3, 4.5].
    fn states(model: &CellModel) -> Vec<CellState> {
        let rest = model.initial_state().to_array();
        let mut out = vec![CellState::from_array(rest)];
        for k in 0..4_u32 {
            let mut a = rest;
            for (i, v) in a.iter_mut().enumerate() {
                let i = f64::from(u32::try_from(i).unwrap());
                let phase = (i * 0.7 + f64::from(k) * 1.3).sin();
                *v = (*v).max(0.05) * (2.4 + 2.1 * phase);
            }
            out.push(CellState::from_array(a));
        }
        out
    }

    fn conditions() -> Vec<(Vec<CoreKnockout>, Surroundings)> {
        let mut stressed = Surroundings::with_er_stress(2.0);
        stressed.phosphate = 2.6;
        stressed.calcium = 2.7;
        stressed.glucose = 25.0;
        stressed.tnf_alpha = 0.5;
        stressed.rage = 0.4;
        stressed.bmp2 = 0.3;
        stressed.ros = 0.2;
        stressed.growth_factors = 0.5;
        stressed.extrinsic_death = 0.1;
        let mut drugs = Surroundings::with_er_stress(8.0);
        drugs.drugs.rapamycin = 10.0;
        drugs.drugs.chaperone_folding_gain = 0.5;
        drugs.drugs.chaperone_load_relief = 0.3;
        drugs.drugs.autophagy_block = 0.2;
        drugs.drugs.autophagy_induction = 0.4;
        drugs.drugs.phosphate_transport_block = 0.3;
        drugs.client_load_scale = 1.2;
        drugs.folding_capacity_scale = 0.8;
        drugs.osteogenic_sensitivity = 1.3;
        drugs.death_threshold_scale = 0.9;
        drugs.ros_scale = 0.7;
        let mut conditions = vec![
            (vec![], Surroundings::reference()),
            (vec![], stressed),
            (vec![], drugs),
        ];
        for knockout in CoreKnockout::ALL {
            conditions.push((vec![knockout], Surroundings::with_er_stress(8.0)));
        }
        conditions
    }

    #[test]
    fn expressions_reproduce_the_rates_and_readouts_of_the_cell_model() {
        // The built-in values and the shipped ones (the fitted Runx2 saturation θR is not
        // 0 there, so its term is checked too).
        let shipped = ModelParams::default().cell;
        assert!(shipped.osteogenic.runx2_drive_saturation > 0.0);
        for (variant, params) in [
            (ModelVariant::Vsmc, CellParams::default()),
            (ModelVariant::PublishedCore, CellParams::default()),
            (ModelVariant::Vsmc, shipped),
        ] {
            for (knockouts, surroundings) in conditions() {
                let model = CellModel::new(params.clone(), &knockouts, variant);
                let exposure = model.exposure(&surroundings);
                for state in states(&model) {
                    let values = evaluate(&model, &surroundings, &state);
                    let rates = model.rates(&state, &exposure).to_array();
                    for (name, rate) in CellState::NAMES.iter().zip(rates) {
                        let exported = values[&format!("d_{name}")];
                        assert!(
                            close(exported, rate),
                            "{variant:?} {knockouts:?}: d{name}/dt = {exported} in SBML, {rate} in vcsim"
                        );
                    }
                    let readout = model.readout(&state, &exposure);
                    for (name, value) in CellReadout::NAMES.iter().zip(readout.values()) {
                        let exported = values[*name];
                        assert!(
                            close(exported, value),
                            "{variant:?} {knockouts:?}: {name} = {exported} in SBML, {value} in vcsim"
                        );
                    }
                    let hazard = values["d_cumulative_hazard"];
                    assert!(close(hazard, readout.apoptosis.hazard_per_h / 60.0));
                }
            }
        }
    }

    use crate::model::cell::CellReadout;

    #[test]
    fn every_symbol_is_declared_and_every_state_has_a_rate_rule() {
        for variant in [ModelVariant::Vsmc, ModelVariant::PublishedCore] {
            let model = CellModel::new(CellParams::default(), &[], variant);
            let surroundings = Surroundings::reference();
            assert!(undeclared_symbols(&model, &surroundings).is_empty());
            let rules: Vec<&str> = equations::rates().iter().map(|(id, _)| *id).collect();
            assert_eq!(&rules[..CellState::LEN], &CellState::NAMES[..]);
        }
    }

    #[test]
    fn the_document_declares_every_species_parameter_and_rule_once() {
        let model = CellModel::new(
            CellParams::default(),
            &[CoreKnockout::Atf4],
            ModelVariant::Vsmc,
        );
        let text = cell_model_sbml(
            &model,
            &Surroundings::with_er_stress(2.0),
            &ExportInfo {
                knockouts: &[CoreKnockout::Atf4],
                generator: "vcsim test",
                parameters_file: None,
            },
        );
        assert_eq!(text.matches("<species ").count(), CellState::LEN);
        assert_eq!(text.matches("<rateRule ").count(), CellState::LEN + 1);
        let parameters = model.params().rows().len() + ENVIRONMENT.len() + 1;
        assert!(text.matches("<parameter ").count() > parameters);
        // The ATF4 deletion starts ATF4 at 0 and says so.
        assert!(text.contains(
            "<species id=\"atf4\" name=\"ATF4 protein (A4)\" sboTerm=\"SBO:0000240\" \
             compartment=\"cell\" initialConcentration=\"0\""
        ));
        assert!(text.contains("Knockouts applied to the parameters: atf4."));
        assert!(text.contains(
            "id=\"env_er_stress\" name=\"er_stress\" sboTerm=\"SBO:0000009\" value=\"2\""
        ));
        // Sources reach the notes: a paper, a claim and an assumption.
        assert!(text.contains("Source: Diedrichs2018 (Diedrichs DR"));
        assert!(text.contains("Source: claim AU-4."));
        assert!(text.contains("Source: assumed: "));
        // Every id is unique.
        let mut ids = BTreeSet::new();
        for piece in text.split(" id=\"").skip(1) {
            let id = piece.split('"').next().unwrap_or_default();
            assert!(ids.insert(id.to_string()), "id {id} twice");
        }
    }

    #[test]
    fn every_surroundings_input_has_a_unit_and_meaning() {
        let names: Vec<&str> = Surroundings::reference()
            .named_values()
            .iter()
            .map(|(n, _)| *n)
            .collect();
        let table: Vec<&str> = ENVIRONMENT.iter().map(|(n, _, _)| *n).collect();
        assert_eq!(names, table);
    }
}
