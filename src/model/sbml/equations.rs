//! The 22-state cell model (`crate::model::cell`) written once more as expressions: the
//! assignment rules (derived quantities, in an order where each reads only earlier ones)
//! and the rate rules (one per state). The tests of `super` evaluate them against
//! [`crate::model::cell::CellModel::rates`] and `readout`, so that the two cannot drift
//! apart unnoticed; every line below names the Rust function it mirrors.

use super::expr::{
    Expr, abs, exp, if_positive, max, num, positive, positive_in, pow, ratio_or_zero, sym,
};
use crate::model::cell::ModelVariant;
use crate::model::upr_core::MIN_IRE1_MODULATION;

/// How a derived quantity is defined.
#[derive(Clone, Debug, PartialEq)]
pub enum Definition {
    /// An assignment rule.
    Rule(Expr),
    /// A constant (the published variant's couplings that the VSMC model makes dynamic).
    Constant(f64),
}

/// A derived quantity: an SBML parameter set by an assignment rule (or a constant).
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    /// SBML id (the `vcsim cell` CSV column where there is one).
    pub id: &'static str,
    /// The unit id (see `super::UNITS`).
    pub unit: &'static str,
    /// What it is.
    pub meaning: &'static str,
    /// Its definition.
    pub definition: Definition,
}

/// The id of the conversion constant from hours to minutes (a parameter of 60 min/h).
pub const MINUTES_PER_HOUR: &str = "minutes_per_hour";

/// The id of the cumulative hazard of apoptosis (a parameter with a rate rule).
pub const CUMULATIVE_HAZARD: &str = "cumulative_hazard";

fn rule(id: &'static str, unit: &'static str, meaning: &'static str, e: Expr) -> Derived {
    Derived {
        id,
        unit,
        meaning,
        definition: Definition::Rule(e),
    }
}

/// A rate given per hour, per minute (`units::per_h_to_per_min`).
fn per_min(rate_per_h: &str) -> Expr {
    sym(rate_per_h) / sym(MINUTES_PER_HOUR)
}

/// `(z)+ / (K + (z)+)` (`stress_input::saturating_excess`), for `z` in `unit`.
fn saturating_excess(excess: Expr, half: &str, unit: &'static str) -> Expr {
    positive_in(excess.clone(), unit) / (sym(half) + positive_in(excess, unit))
}

/// The derived quantities in evaluation order.
#[must_use]
#[expect(
    clippy::too_many_lines,
    reason = "the whole model's algebra, one quantity per statement, in model order"
)]
pub fn derived(variant: ModelVariant) -> Vec<Derived> {
    let s = sym;
    let mut d = vec![
        // UprCoreDerived::new
        rule(
            "bip_bound_share_ref",
            "dimensionless",
            "share of BiP bound at rest, 1/(1 + U*/KBU)",
            1.0 / (1.0 + s("unfolded_protein_ref") / s("bip_unfolded_dissociation")),
        ),
        rule(
            "perk_unfolded_affinity",
            "dimensionless",
            "KUP, chosen so that Pp* = 1",
            (1.0 / s("perk_basal_active_fraction") - 1.0) * s("unfolded_protein_ref")
                / (1.0
                    + s("bip_protein_ref") / s("bip_perk_dissociation") * s("bip_bound_share_ref")),
        ),
        rule(
            "ire1_unfolded_affinity",
            "dimensionless",
            "KUI, chosen so that Ip* = 1",
            (1.0 / s("ire1_basal_active_fraction") - 1.0) * s("unfolded_protein_ref")
                / (1.0
                    + s("bip_protein_ref") / s("bip_ire1_dissociation") * s("bip_bound_share_ref")),
        ),
        // upr_core::sensors
        rule(
            "free_bip",
            "dimensionless",
            "free (unbound) BiP, B",
            s("bip_protein") / (1.0 + s("unfolded_protein") / s("bip_unfolded_dissociation")),
        ),
        rule(
            "p_perk",
            "dimensionless",
            "active PERK, Pp",
            s("perk_present") * (1.0 / s("perk_basal_active_fraction")) * s("unfolded_protein")
                / (s("perk_unfolded_affinity")
                    + s("perk_unfolded_affinity") / s("bip_perk_dissociation") * s("free_bip")
                    + s("unfolded_protein")),
        ),
        rule(
            "p_ire1",
            "dimensionless",
            "active IRE1, Ip",
            s("ire1_present") * (1.0 / s("ire1_basal_active_fraction")) * s("unfolded_protein")
                / (s("ire1_unfolded_affinity")
                    + s("ire1_unfolded_affinity") / s("bip_ire1_dissociation") * s("free_bip")
                    + s("unfolded_protein")),
        ),
        rule(
            "ire1_excess",
            "dimensionless",
            "Ip - Ip*",
            s("p_ire1") - s("p_ire1_ref"),
        ),
        // stress_input::stress_signals
        rule(
            "ion_product_drive",
            "dimensionless",
            "saturating Ca x Pi excess over the reference medium",
            saturating_excess(
                s("env_calcium") * s("env_phosphate") / s("resting_ion_product") - 1.0,
                "ion_product_stress_half",
                "dimensionless",
            ),
        ),
        rule(
            "glucose_drive",
            "dimensionless",
            "saturating glucose excess over G0",
            saturating_excess(
                s("env_glucose") - s("basal_glucose"),
                "glucose_half_saturation",
                "mM",
            ),
        ),
        rule(
            "ros_total",
            "dimensionless",
            "total oxidative stress",
            s("env_ros_scale")
                * (s("env_ros")
                    + s("glucose_ros_gain") * s("glucose_drive")
                    + s("bmp2_ros_gain") * s("env_bmp2")
                    + s("rage_ros_gain") * s("env_rage")),
        ),
        rule(
            "nfkb",
            "dimensionless",
            "NF-kB (inflammatory) drive",
            s("env_tnf_alpha")
                + s("env_il1_beta")
                + s("env_il6")
                + s("env_lps")
                + s("rage_nfkb_gain") * s("env_rage"),
        ),
        rule(
            "external_er_stress",
            "per_minute",
            "S_ext, the external ER client load before chaperone and mTORC1 scaling",
            s("env_client_load_scale")
                * (s("env_er_stress")
                    + s("ion_product_stress_gain") * s("ion_product_drive")
                    + s("glucose_stress_gain") * s("glucose_drive")
                    + s("ros_stress_gain") * s("ros_total")
                    + s("inflammation_stress_gain") * s("nfkb")),
        ),
        rule(
            "extrinsic_death",
            "dimensionless",
            "extrinsic death signal Xext",
            s("env_extrinsic_death") + s("tnf_extrinsic_death_gain") * s("env_tnf_alpha"),
        ),
        rule(
            "glucose_survival",
            "dimensionless",
            "F_surv, high glucose's factor on the apoptosis hazard",
            num(1.0) / (num(1.0) + s("glucose_survival_gain") * s("glucose_drive")),
        ),
        // OsteogenicParams::phosphate_uptake_factor
        rule(
            "phosphate_uptake",
            "dimensionless",
            "extracellular phosphate uptake factor relative to the reference medium",
            (1.0 - s("env_phosphate_transport_block"))
                * (s("env_phosphate") / (s("pit_half_saturation") + s("env_phosphate")))
                / (s("reference_phosphate")
                    / (s("pit_half_saturation") + s("reference_phosphate"))),
        ),
        // CellModel::intermediates
        rule(
            "folding_gain",
            "dimensionless",
            "multiplier on BiP-assisted folding (chemical chaperones, cell capacity)",
            (1.0 + s("env_chaperone_folding_gain")) * s("env_folding_capacity_scale"),
        ),
    ];
    match variant {
        ModelVariant::PublishedCore => {
            d.push(Derived {
                id: "client_synthesis_scale",
                unit: "dimensionless",
                meaning: "multiplier on basal client synthesis (1: the published core)",
                definition: Definition::Constant(1.0),
            });
            d.push(rule(
                "effective_stress_per_min",
                "per_minute",
                "S, the stress input the core sees: S_ext (1 - psi_chap)",
                s("external_er_stress") * (1.0 - s("env_chaperone_load_relief")),
            ));
            d.push(Derived {
                id: "autophagic_clearance",
                unit: "per_minute",
                meaning: "ER-phagy clearance coefficient (0: the published core)",
                definition: Definition::Constant(0.0),
            });
        }
        ModelVariant::Vsmc => {
            d.push(rule(
                "client_synthesis_scale",
                "dimensionless",
                "translation relative to rest, T(M) = 1 - fM + fM M",
                1.0 - s("mtorc1_translation_share") + s("mtorc1_translation_share") * s("mtorc1"),
            ));
            d.push(rule(
                "effective_stress_per_min",
                "per_minute",
                "S, the stress input the core sees: S_ext (1 - psi_chap) T(M)",
                s("external_er_stress")
                    * (1.0 - s("env_chaperone_load_relief"))
                    * s("client_synthesis_scale"),
            ));
            // autophagy::erphagy_clearance
            d.push(rule(
                "autophagic_clearance",
                "per_minute",
                "ER-phagy clearance coefficient kAU (Aut - 1)",
                s("erphagy_clearance_rate") * (s("autophagy_flux") - 1.0),
            ));
        }
    }
    d.extend([
        // OsteogenicParams::atf4_activity
        rule(
            "atf4_activity",
            "dimensionless",
            "ATF4 transcriptional activity A4eff",
            s("atf4") * (1.0 + s("cdk9_cyclin_t1_activity")) / (1.0 + s("cyclin_t2k_activity")),
        ),
        rule(
            "phosphate_intracellular",
            "dimensionless",
            "intracellular phosphate load Pi_in",
            s("pit") * s("phosphate_uptake"),
        ),
        rule(
            "xbp1u_fraction",
            "dimensionless",
            "unspliced XBP1 relative to rest (0 without an Xbp1 gene)",
            if_positive(
                s("xbp1_total") - s("xbp1s_ref"),
                (s("xbp1_total") - s("xbp1s")) / (s("xbp1_total") - s("xbp1s_ref")),
                num(0.0),
            ),
        ),
        // upr_core::rates: RIDD turnover factor
        rule(
            "ridd_turnover",
            "dimensionless",
            "rho, IRE1 (RIDD) factor on Bip mRNA turnover",
            positive(1.0 + s("ire1_bip_mrna_turnover_gain") * s("ire1_excess"))
                / max(
                    1.0 + s("ire1_bip_mrna_turnover_saturation") * s("ire1_excess"),
                    num(MIN_IRE1_MODULATION),
                ),
        ),
        // OsteogenicParams::readout
        rule(
            "osteocalcin",
            "dimensionless",
            "osteocalcin (readout)",
            1.0 + s("atf4_osteocalcin_gain") * positive(s("atf4_activity") - 1.0)
                + s("runx2_osteocalcin_gain") * positive(s("runx2") - 1.0),
        ),
        rule(
            "osteopontin",
            "dimensionless",
            "osteopontin (readout)",
            1.0 + s("runx2_osteopontin_gain") * positive(s("runx2") - 1.0),
        ),
        rule(
            "enpp1_capacity",
            "dimensionless",
            "PPi production capacity, ENPP1 + ANK (readout)",
            s("enpp1_expression")
                / (1.0 + s("atf4_enpp1_suppression") * positive(s("atf4_activity") - 1.0)),
        ),
        rule(
            "osteogenic_index",
            "dimensionless",
            "osteogenic index in [0, 1) (readout)",
            positive(s("runx2") - 1.0) / (positive(s("runx2") - 1.0) + s("osteogenic_index_half")),
        ),
        // apoptosis::drive
        rule(
            "bh3",
            "dimensionless",
            "BH3-only protein level (Bim, DR5)",
            1.0 + s("chop_bh3_gain") * positive(s("chop_protein") - 1.0)
                / (s("chop_bh3_half_activation") + positive(s("chop_protein") - 1.0)),
        ),
        rule(
            "apoptotic_drive",
            "dimensionless",
            "pro-apoptotic drive D",
            s("chop_route_weight") * (s("bh3") / max(s("bcl2"), num(1e-9)) - 1.0)
                + s("caspase12_route_weight") * positive(s("caspase12_cleaved") - 1.0)
                + s("jnk_route_weight") * positive(s("p_jnk") - 1.0)
                + s("extrinsic_route_weight") * s("extrinsic_death")
                + s("autophagy_route_weight") * (s("autophagy_flux") - 1.0),
        ),
        rule(
            "apoptosis_hazard_per_h",
            "per_hour",
            "hazard of apoptosis",
            s("glucose_survival")
                * (s("basal_hazard_per_h")
                    + s("maximal_stress_hazard_per_h")
                        * pow(positive(s("apoptotic_drive")), s("drive_hill"))
                        / (pow(
                            s("drive_half_hazard") * s("env_death_threshold_scale"),
                            s("drive_hill"),
                        ) + pow(positive(s("apoptotic_drive")), s("drive_hill")))),
        ),
        // trajectory: survival exp(-cumulative hazard)
        rule(
            "survival",
            "dimensionless",
            "probability of not having died of apoptosis, exp(-cumulative hazard)",
            exp(-s(CUMULATIVE_HAZARD)),
        ),
    ]);
    d
}

/// The rate rules, `(state id, d/dt)`, in `CellState::NAMES` order, then the cumulative
/// hazard.
#[must_use]
#[expect(
    clippy::too_many_lines,
    reason = "the whole model's right-hand side, one state per statement, in model order"
)]
pub fn rates() -> Vec<(&'static str, Expr)> {
    let s = sym;
    let u = || s("unfolded_protein");
    let a6 = || s("atf6_cleaved");
    let a4 = || s("atf4");
    let ep = || s("p_eif2a");
    let floor = |e: Expr| max(e, num(MIN_IRE1_MODULATION));
    // upr_core::unfolded_protein_rate
    let synthesis = (s("client_synthesis_rate") * s("client_synthesis_scale")
        / floor(1.0 + s("ire1_client_synthesis_modulation") * s("ire1_excess"))
        + s("effective_stress_per_min"))
        / (1.0
            + ep() / s("translation_attenuation")
            + pow(
                abs(u()) / s("unfolded_synthesis_saturation"),
                s("unfolded_synthesis_hill"),
            ));
    let clearance = s("bip_folding_rate") * s("folding_gain") * u() * s("free_bip")
        / floor(1.0 + s("ire1_clearance_modulation") * s("ire1_excess"));
    let erphagy = s("autophagic_clearance") * u() / (1.0 + u() / s("bip_unfolded_dissociation"))
        * (1.0 + 1.0 / s("bip_unfolded_dissociation"));
    let d_unfolded = synthesis - clearance - erphagy;

    let d_atf6 = s("atf6_degradation_rate") * s("atf6_cleaved_ref")
        + s("atf6_cleavage_rate") * (u() - s("unfolded_protein_ref")) * (s("atf6_total") - a6())
            / (1.0 + s("free_bip") / s("bip_atf6_dissociation"))
        - s("atf6_degradation_rate") * a6();

    let a6_excess = || pow(abs(a6() - s("atf6_cleaved_ref")), s("atf6_bip_hill"));
    let a4_excess_bip = || pow(abs(a4() - s("atf4_ref")), s("atf4_bip_hill"));
    let x_excess = || {
        max(
            s("xbp1s") - s("xbp1s_ref"),
            -0.5 * s("xbp1s_bip_half_activation"),
        )
    };
    let bip_mrna_synthesis =
        s("bip_mrna_degradation_rate") * s("ridd_turnover") * s("bip_mrna_ref")
            + s("atf6_bip_transcription_rate")
                * (1.0 + s("atf4_coactivation_of_atf6_bip") * a4())
                * a6_excess()
                / (a6_excess()
                    + pow(s("atf6_bip_half_activation"), s("atf6_bip_hill"))
                        * (1.0
                            + s("atf4_threshold_shift_of_atf6_bip")
                                * pow(a4(), s("atf4_threshold_shift_hill"))))
            + s("atf4_bip_transcription_rate")
                * (1.0 + s("atf6_coactivation_of_atf4_bip") * a6())
                * a4_excess_bip()
                / (a4_excess_bip()
                    + pow(s("atf4_bip_half_activation"), s("atf4_bip_hill"))
                        * pow(
                            1.0 + s("atf6_threshold_shift_of_atf4_bip") * a6(),
                            s("atf4_bip_hill"),
                        ))
            + s("xbp1s_bip_transcription_rate") * x_excess()
                / (x_excess() + s("xbp1s_bip_half_activation"));
    let d_bip_mrna =
        bip_mrna_synthesis - s("bip_mrna_degradation_rate") * s("ridd_turnover") * s("bip_mrna");

    let d_bip_protein = s("bip_protein_degradation_rate")
        * ratio_or_zero(s("bip_protein_ref"), s("bip_mrna_ref"))
        * s("bip_mrna")
        - s("bip_protein_degradation_rate") * s("bip_protein");

    let d_atf4 = s("atf4_degradation_rate") * s("atf4_ref")
        + s("atf4_translation_rate") * (u() - s("unfolded_protein_ref")) * ep()
        - s("atf4_degradation_rate") * a4();

    let a4_excess_chop = || pow(abs(a4() - s("atf4_ref")), s("chop_hill"));
    let d_chop_mrna = s("chop_mrna_degradation_rate") * s("chop_mrna_ref")
        + s("chop_transcription_rate")
            * (1.0 + s("atf6_coactivation_of_chop") * a6())
            * a4_excess_chop()
            / (a4_excess_chop()
                + pow(s("atf4_chop_half_activation"), s("chop_hill"))
                    * pow(
                        1.0 + s("atf6_threshold_shift_of_chop") * a6(),
                        s("chop_hill"),
                    ))
        - s("chop_mrna_degradation_rate") * s("chop_mrna");

    let ep_excess = || ep() - s("p_eif2a_ref");
    let d_chop_protein = (s("chop_protein_degradation_rate")
        * ratio_or_zero(s("chop_protein_ref"), s("chop_mrna_ref"))
        + s("chop_translation_gain") * ep_excess())
        * s("chop_mrna")
        - s("chop_protein_degradation_rate") * s("chop_protein");

    let a4_shift = || a4() - s("atf4_ref");
    let chop_shift = || s("chop_protein") - s("chop_protein_ref");
    let d_gadd34_mrna = positive_in(
        s("gadd34_mrna_degradation_rate") * s("gadd34_mrna_ref")
            + s("gadd34_transcription_rate")
                * (a4_shift() + s("chop_gadd34_coactivation") * a4_shift() * chop_shift())
                / max(
                    a4_shift()
                        + s("chop_gadd34_threshold_shift") * a4_shift() * chop_shift()
                        + s("gadd34_transcription_saturation"),
                    0.5 * s("gadd34_transcription_saturation"),
                ),
        "per_minute",
    ) - s("gadd34_mrna_degradation_rate") * s("gadd34_mrna");

    let d_gadd34_protein = positive_in(
        s("gadd34_protein_degradation_rate")
            * ratio_or_zero(s("gadd34_protein_ref"), s("gadd34_mrna_ref"))
            + s("gadd34_translation_gain") * ep_excess(),
        "per_minute",
    ) * s("gadd34_mrna")
        - s("gadd34_protein_degradation_rate") * s("gadd34_protein");

    let unphosphorylated = || positive(s("eif2a_total") - ep());
    let d_p_eif2a = s("eif2a_phosphorylation_rate") * unphosphorylated() * s("p_perk")
        / (s("eif2a_phosphorylation_saturation") + unphosphorylated())
        - (s("basal_dephosphorylation_rate")
            + s("gadd34_dephosphorylation_rate") * (s("gadd34_protein") - s("gadd34_protein_ref")))
            * ep()
            / (s("dephosphorylation_saturation") + ep());

    let unspliced = || positive(s("xbp1_total") - s("xbp1s"));
    let d_xbp1s = s("xbp1_splicing_rate") * s("p_ire1") * unspliced()
        / (s("xbp1_splicing_saturation") + unspliced())
        - s("xbp1s_degradation_rate") * s("xbp1s");

    // mtorc1::rates
    let pi_excess = || positive(s("phosphate_intracellular") - 1.0);
    let atf4_excess = || positive(s("atf4_activity") - 1.0);
    let mtorc1_drive = (1.0
        + s("phosphate_mtorc1_gain") * pi_excess()
        + s("rage_mtorc1_gain") * s("env_rage")
        + s("growth_factor_mtorc1_gain") * s("env_growth_factors"))
        / ((1.0 + s("sestrin_mtorc1_inhibition") * positive(s("sestrin") - 1.0))
            * (1.0 + s("env_rapamycin") / s("rapamycin_ic50")));
    let d_mtorc1 = per_min("mtorc1_relaxation_rate_per_h") * (mtorc1_drive - s("mtorc1"));
    let sestrin_drive =
        1.0 + s("atf4_sestrin_gain") * s("ckd_sestrin_responsiveness") * atf4_excess();
    let d_sestrin = per_min("sestrin_relaxation_rate_per_h") * (sestrin_drive - s("sestrin"));

    // autophagy::rate
    let autophagy_drive = (1.0
        + s("unfolded_autophagy_gain") * positive(u() - 1.0)
        + s("phosphate_autophagy_gain") * pi_excess())
        * (1.0 - s("env_autophagy_block"))
        * (1.0 + s("env_autophagy_induction"))
        * (1.0 + s("mtorc1_autophagy_inhibition"))
        / (1.0 + s("mtorc1_autophagy_inhibition") * s("mtorc1"));
    let d_autophagy =
        per_min("autophagy_relaxation_rate_per_h") * (autophagy_drive - s("autophagy_flux"));

    // jnk_caspase12::rates
    let ire1_over_rest = || positive(s("p_ire1") - 1.0);
    let jnk_drive = 1.0
        + s("ire1_jnk_gain") * ire1_over_rest()
            / (s("ire1_jnk_half_activation") + ire1_over_rest());
    let d_jnk = per_min("jnk_relaxation_rate_per_h") * (jnk_drive - s("p_jnk"));
    let unresolved = || positive(u() - s("caspase12_unfolded_threshold"));
    let caspase_drive =
        1.0 + s("caspase12_gain") * unresolved() / (s("caspase12_half_activation") + unresolved());
    let d_caspase12 =
        per_min("caspase12_relaxation_rate_per_h") * (caspase_drive - s("caspase12_cleaved"));

    // apoptosis::bcl2_rate
    let d_bcl2 = per_min("bcl2_relaxation_rate_per_h")
        * (1.0 / (1.0 + s("chop_bcl2_repression") * positive(s("chop_protein") - 1.0)) - s("bcl2"));

    // osteogenic::rates
    let xbp1s_over_rest = || positive(s("xbp1s") - 1.0);
    let bmp_excess = || positive(s("bmp2") + s("env_bmp2") - 1.0);
    let runx2_drive_unit = (1.0
        + s("xbp1s_runx2_gain") * xbp1s_over_rest()
            / (s("xbp1s_runx2_half_activation") + xbp1s_over_rest())
        + s("bmp2_runx2_gain") * bmp_excess() / (s("bmp2_runx2_half_activation") + bmp_excess())
        + s("phosphate_runx2_gain") * pi_excess()
            / (s("phosphate_runx2_half_activation") + pi_excess())
        + s("nfkb_runx2_gain") * s("nfkb")
        + s("ros_runx2_gain") * s("ros_total"))
        * (1.0 + s("xbp1u_beta_catenin_gain") * positive(1.0 - s("xbp1u_fraction")));
    let runx2_drive = 1.0
        + s("env_osteogenic_sensitivity") * (runx2_drive_unit.clone() - 1.0)
            / (1.0 + s("runx2_drive_saturation") * (runx2_drive_unit - 1.0));
    let runx2_excess = || positive(s("runx2") - 1.0);
    let d_runx2 = per_min("runx2_relaxation_rate_per_h") * (runx2_drive - s("runx2"));
    let d_alp = per_min("alp_relaxation_rate_per_h")
        * (1.0 + s("runx2_alp_gain") * runx2_excess() + s("atf4_alp_gain") * atf4_excess()
            - s("alp"));
    let d_pit = per_min("pit_relaxation_rate_per_h")
        * (1.0 + s("atf4_pit_gain") * atf4_excess() - s("pit"));
    let d_bmp2 = per_min("bmp2_relaxation_rate_per_h")
        * (1.0 + s("runx2_bmp2_gain") * runx2_excess() + s("nfkb_bmp2_gain") * s("nfkb")
            - s("bmp2"));
    let d_alpha_sma = per_min("contractile_relaxation_rate_per_h")
        * (1.0 / (1.0 + s("runx2_contractile_repression") * runx2_excess()) - s("alpha_sma"));

    // trajectory: the cumulative hazard, per hour of hazard per minute of time
    let d_hazard = s("apoptosis_hazard_per_h") / s(MINUTES_PER_HOUR);

    vec![
        ("unfolded_protein", d_unfolded),
        ("atf6_cleaved", d_atf6),
        ("bip_mrna", d_bip_mrna),
        ("bip_protein", d_bip_protein),
        ("atf4", d_atf4),
        ("chop_mrna", d_chop_mrna),
        ("chop_protein", d_chop_protein),
        ("gadd34_mrna", d_gadd34_mrna),
        ("gadd34_protein", d_gadd34_protein),
        ("p_eif2a", d_p_eif2a),
        ("xbp1s", d_xbp1s),
        ("mtorc1", d_mtorc1),
        ("sestrin", d_sestrin),
        ("autophagy_flux", d_autophagy),
        ("p_jnk", d_jnk),
        ("caspase12_cleaved", d_caspase12),
        ("bcl2", d_bcl2),
        ("runx2", d_runx2),
        ("alp", d_alp),
        ("pit", d_pit),
        ("bmp2", d_bmp2),
        ("alpha_sma", d_alpha_sma),
        (CUMULATIVE_HAZARD, d_hazard),
    ]
}
