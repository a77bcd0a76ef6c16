//! The literature vcsim rests on, as keys that parameter tables and outputs cite.
//!
//! A parameter's source is one of these references, a claim ID from the project's
//! review (`OS-3`, `AP-1`, ...), a calibration, or `assumed` with the reason.

use std::fmt;

/// A published paper or model that a parameter or rule is taken from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reference {
    /// Diedrichs DR, Gomez JA, Huang C-S, Rutkowski DT, Curtu R. A data-entrained
    /// computational model for testing the regulatory logic of the vertebrate unfolded
    /// protein response. Mol Biol Cell 2018;29:1502-1517. BioModels BIOMD0000000703.
    Diedrichs2018,
    /// Rutkowski DT et al. Adaptation to ER stress is mediated by differential
    /// stabilities of pro-survival and pro-apoptotic mRNAs and proteins. PLoS Biol
    /// 2006;4:e374.
    Rutkowski2006,
    /// Erguler K, Pieri M, Deltas C. A mathematical model of the unfolded protein stress
    /// response reveals the decision mechanism for recovery, adaptation and apoptosis.
    /// BMC Syst Biol 2013;7:16. BioModels BIOMD0000000446.
    Erguler2013,
    /// Jono S et al. Phosphate regulation of vascular smooth muscle cell calcification.
    /// Circ Res 2000;87:e10.
    Jono2000,
    /// Dai X-Y et al. Phosphate-induced autophagy counteracts vascular calcification by
    /// reducing matrix vesicle release. Kidney Int 2013;83:1042.
    Dai2013,
    /// Duan XH et al. Activating transcription factor 4 is involved in endoplasmic
    /// reticulum stress-mediated apoptosis contributing to vascular calcification.
    /// Apoptosis 2013;18:1132.
    Duan2013,
    /// Masuda M et al. Activating transcription factor-4 promotes mineralization in
    /// vascular smooth muscle cells. JCI Insight 2016;1:e88646.
    Masuda2016,
    /// Shiozaki Y et al. The CDK9-cyclin T1 complex mediates saturated fatty
    /// acid-induced vascular calcification by inducing expression of the transcription
    /// factor CHOP. J Biol Chem 2018;293:17008.
    Shiozaki2018,
    /// Shi Y et al. FGF21 attenuates vascular calcification by alleviating endoplasmic
    /// reticulum stress mediated apoptosis in rats. Int J Biol Sci 2019;15:138.
    Shi2019,
    /// Yang L et al. Unspliced XBP1 restrains beta-catenin in smooth muscle and vascular
    /// calcification. Circ Res 2022.
    Yang2022,
    /// Furmanik M et al. Endoplasmic reticulum stress mediates vascular smooth muscle
    /// cell calcification via increased release of Grp78-loaded extracellular vesicles.
    /// Arterioscler Thromb Vasc Biol 2021.
    Furmanik2021,
    /// Liu H et al. Selenite protects against oxidative stress-induced vascular
    /// calcification. J Biol Inorg Chem 2014.
    Liu2014,
    /// Zeng R, Li A, Liu J. Research progress of endoplasmic reticulum stress in vascular
    /// smooth muscle cell and vascular calcification (the project's source review).
    ZengReview,
    /// The uremia / mTORC1 paper cited by the review (RAGE + hyperphosphataemia,
    /// persistent mTORC1, Sestrin1/3, reduced PPi); full citation to be retrieved.
    UremiaMtorc1,
}

impl Reference {
    /// A short citation: first author, year and the DOI or database identifier.
    #[must_use]
    pub const fn citation(self) -> &'static str {
        match self {
            Self::Diedrichs2018 => {
                "Diedrichs et al. 2018, Mol Biol Cell 29:1502, doi:10.1091/mbc.E17-09-0565 (BIOMD0000000703)"
            }
            Self::Rutkowski2006 => {
                "Rutkowski et al. 2006, PLoS Biol 4:e374, doi:10.1371/journal.pbio.0040374"
            }
            Self::Erguler2013 => {
                "Erguler et al. 2013, BMC Syst Biol 7:16, doi:10.1186/1752-0509-7-16 (BIOMD0000000446)"
            }
            Self::Jono2000 => "Jono et al. 2000, Circ Res 87:e10, doi:10.1161/01.RES.87.7.e10",
            Self::Dai2013 => "Dai et al. 2013, Kidney Int 83:1042, doi:10.1038/ki.2012.482",
            Self::Duan2013 => "Duan et al. 2013, Apoptosis 18:1132",
            Self::Masuda2016 => {
                "Masuda et al. 2016, JCI Insight 1:e88646, doi:10.1172/jci.insight.88646"
            }
            Self::Shiozaki2018 => {
                "Shiozaki et al. 2018, J Biol Chem 293:17008, doi:10.1074/jbc.RA118.004706"
            }
            Self::Shi2019 => "Shi et al. 2019, Int J Biol Sci 15:138, doi:10.7150/ijbs.28873",
            Self::Yang2022 => "Yang et al. 2022, Circ Res, doi:10.1161/CIRCRESAHA.121.319745",
            Self::Furmanik2021 => {
                "Furmanik et al. 2021, Arterioscler Thromb Vasc Biol, doi:10.1161/ATVBAHA.120.315506"
            }
            Self::Liu2014 => "Liu et al. 2014, J Biol Inorg Chem, doi:10.1007/s00775-013-1078-1",
            Self::ZengReview => {
                "Zeng, Li, Liu. Research progress of ER stress in VSMC and vascular calcification (review)"
            }
            Self::UremiaMtorc1 => {
                "uremia/mTORC1/ER-stress paper cited by the review (citation to be retrieved)"
            }
        }
    }

    /// The short key used in tables, e.g. `Diedrichs2018`.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Diedrichs2018 => "Diedrichs2018",
            Self::Rutkowski2006 => "Rutkowski2006",
            Self::Erguler2013 => "Erguler2013",
            Self::Jono2000 => "Jono2000",
            Self::Dai2013 => "Dai2013",
            Self::Duan2013 => "Duan2013",
            Self::Masuda2016 => "Masuda2016",
            Self::Shiozaki2018 => "Shiozaki2018",
            Self::Shi2019 => "Shi2019",
            Self::Yang2022 => "Yang2022",
            Self::Furmanik2021 => "Furmanik2021",
            Self::Liu2014 => "Liu2014",
            Self::ZengReview => "ZengReview",
            Self::UremiaMtorc1 => "UremiaMtorc1",
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Where a parameter value comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Source {
    /// Taken from a published paper or model.
    Paper(Reference),
    /// Stated by the review as one of its numbered claims (`claims.md`), e.g. `AP-3`.
    Claim(&'static str),
    /// Chosen by vcsim to reproduce a claim or paper; the string names the target.
    Calibrated(&'static str),
    /// Assumed by vcsim; the string says why this value.
    Assumed(&'static str),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Paper(reference) => write!(f, "{reference}"),
            Self::Claim(id) => write!(f, "claim {id}"),
            Self::Calibrated(target) => write!(f, "calibrated: {target}"),
            Self::Assumed(why) => write!(f, "assumed: {why}"),
        }
    }
}
