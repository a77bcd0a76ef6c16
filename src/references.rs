//! The literature vcsim rests on, as keys that parameter tables and outputs cite.
//!
//! A parameter's source is one of these references, a claim ID from the project's
//! review (`OS-3`, `AP-1`, ...), a calibration, or `assumed` with the reason.

use std::fmt;

/// A published paper or model that a parameter or rule is taken from.
///
/// Each citation was checked against the publisher's record or a `PubMed` or PMC entry where one
/// could be found; what could not be checked says so in its text ("not verified").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reference {
    /// Diedrichs DR, Gomez JA, Huang C-S, Rutkowski DT, Curtu R. A data-entrained
    /// computational model for testing the regulatory logic of the vertebrate unfolded
    /// protein response. Mol Biol Cell 2018;29:1502-1517. doi:10.1091/mbc.E17-09-0565.
    /// PMID 29668363, PMC6014097. BioModels BIOMD0000000703.
    Diedrichs2018,
    /// Rutkowski DT, Arnold SM, Miller CN, et al. Adaptation to ER stress is mediated by
    /// differential stabilities of pro-survival and pro-apoptotic mRNAs and proteins.
    /// PLoS Biol 2006;4:e374. doi:10.1371/journal.pbio.0040374.
    Rutkowski2006,
    /// Erguler K, Pieri M, Deltas C. A mathematical model of the unfolded protein stress
    /// response reveals the decision mechanism for recovery, adaptation and apoptosis.
    /// BMC Syst Biol 2013;7:16. doi:10.1186/1752-0509-7-16. BioModels BIOMD0000000446.
    Erguler2013,
    /// Jono S et al. Phosphate regulation of vascular smooth muscle
    /// cell calcification. Circ Res 2000;87(7):e10. doi:10.1161/01.RES.87.7.e10.
    Jono2000,
    /// Dai X-Y, Zhao M-M, Cai Y, et al. Phosphate-induced autophagy counteracts vascular
    /// calcification by reducing matrix vesicle release. Kidney Int 2013;83:1042.
    /// doi:10.1038/ki.2012.482 (volume, page and DOI not re-verified).
    Dai2013,
    /// Duan X, ..., Qi Y (first and last authors). Activating transcription factor 4 is involved in endoplasmic
    /// reticulum stress-mediated apoptosis contributing to vascular calcification.
    /// Apoptosis 2013;18:1132 (volume:page not re-verified). PMID 23686245; DOI not
    /// verified.
    Duan2013,
    /// Masuda M, Miyazaki-Anzai S, Keenan AL, et al. Activating transcription factor-4
    /// promotes mineralization in vascular smooth muscle cells. JCI Insight
    /// 2016;1(18):e88646. doi:10.1172/jci.insight.88646. PMID 27812542.
    Masuda2016,
    /// Shiozaki Y, Okamura K, Kohno S, et al. The CDK9-cyclin T1 complex mediates
    /// saturated fatty acid-induced vascular calcification by inducing expression of the
    /// transcription factor CHOP. J Biol Chem 2018;293(44):17008-17020.
    /// doi:10.1074/jbc.RA118.004706. PMID 30209133.
    Shiozaki2018,
    /// Shi Y, Wang S, Peng H, Lv Y, Li W, Cheng S, Liu J. Fibroblast growth factor 21
    /// attenuates vascular calcification by alleviating endoplasmic reticulum stress
    /// mediated apoptosis in rats. Int J Biol Sci 2019;15(1):138-147.
    /// doi:10.7150/ijbs.28873.
    Shi2019,
    /// Yang L, Dai R, Wu H, et al. Unspliced XBP1 counteracts beta-catenin to inhibit
    /// vascular calcification. Circ Res 2022;130(2):213-229.
    /// doi:10.1161/CIRCRESAHA.121.319745. PMID 34870453.
    Yang2022,
    /// Furmanik M, van Gorp R, Whitehead M, et al. Endoplasmic reticulum stress mediates
    /// vascular smooth muscle cell calcification via increased release of Grp78
    /// (glucose-regulated protein, 78 kDa)-loaded extracellular vesicles. Arterioscler
    /// Thromb Vasc Biol 2021 (volume:pages not verified). doi:10.1161/ATVBAHA.120.315506.
    /// PMC7837691.
    Furmanik2021,
    /// Liu H, Li X, Qin F, Huang K. Selenium suppresses oxidative-stress-enhanced vascular
    /// smooth muscle cell calcification by inhibiting the activation of the PI3K/AKT and
    /// ERK signaling pathways and endoplasmic reticulum stress. J Biol Inorg Chem 2014
    /// (volume:pages not verified). doi:10.1007/s00775-013-1078-1.
    Liu2014,
    /// Zeng R, Li A, Liu J (Department of Endocrinology and Metabolism, the First
    /// Affiliated Hospital of University of South China, Hengyang). Research progress of
    /// endoplasmic reticulum stress in vascular smooth muscle cell and vascular
    /// calcification. A review in Chinese (血管平滑肌细胞内质网应激与血管钙化的研究进展),
    /// the project's source review. The copy the project holds carries no journal name,
    /// year, volume, pages or DOI, and none could be verified.
    ZengReview,
    /// Panda DK et al., the review's reference [20]: in CKD mice, RAGE activation and
    /// hyperphosphataemia cause persistent mTORC1 activity, excessive ER stress-UPR and
    /// attenuated Sestrin1/3 feedback; ATF4 -> CHOP cell death, less pyrophosphate,
    /// osteochondrocytic transition; rapamycin or TUDCA normalise aortic calcium. Its
    /// abstract was found; its title, journal, year, volume, pages and DOI were not
    /// verified.
    UremiaMtorc1,
    /// Sigal A, Milo R, Cohen A, et al. Variability and memory of protein levels in human
    /// cells. Nature 2006;444:643-646. doi:10.1038/nature05316. Cell-to-cell protein
    /// CVs of about 0.15-0.3; levels are inherited and mix over one to three generations.
    Sigal2006,
    /// Spencer SL, Gaudet S, Albeck JG, Burke JM, Sorger PK. Non-genetic origins of
    /// cell-to-cell variability in TRAIL-induced apoptosis. Nature 2009;459:428-432.
    /// doi:10.1038/nature08012. Differences in protein levels set which sister cells die.
    Spencer2009,
    /// Owens GK, Kumar MS, Wamhoff BR. Molecular regulation of vascular smooth muscle
    /// cell differentiation in development and disease. Physiol Rev 2004;84:767-801.
    /// doi:10.1152/physrev.00041.2003. Serum mitogens keep cultured SMCs synthetic and
    /// proliferative.
    Owens2004,
    /// Bačáková L, Mareš V, Lisá V, Kocourek F. Cultured aortic smooth muscle cells of
    /// newborn male and female Wistar rats: doubling time 16.4 h (male) in exponential
    /// growth, 30 h after it; ³H-thymidine labels 61% of male cells in 2 h and 99% in
    /// 52 h. 1997; volume 46(5):403-406 of Physiol Res (abstract read; title and DOI not
    /// verified).
    Bacakova1997,
}

impl Reference {
    /// Every reference, in declaration order.
    pub const ALL: [Self; 18] = [
        Self::Diedrichs2018,
        Self::Rutkowski2006,
        Self::Erguler2013,
        Self::Jono2000,
        Self::Dai2013,
        Self::Duan2013,
        Self::Masuda2016,
        Self::Shiozaki2018,
        Self::Shi2019,
        Self::Yang2022,
        Self::Furmanik2021,
        Self::Liu2014,
        Self::ZengReview,
        Self::UremiaMtorc1,
        Self::Sigal2006,
        Self::Spencer2009,
        Self::Owens2004,
        Self::Bacakova1997,
    ];

    /// The citation written into each run's `CITATIONS.md`: authors, year, journal,
    /// volume:pages and a DOI or PMID, or a plain statement of what is not verified.
    #[must_use]
    pub const fn citation(self) -> &'static str {
        match self {
            Self::Diedrichs2018 => {
                "Diedrichs DR, Gomez JA, Huang C-S, Rutkowski DT, Curtu R. 2018. Mol Biol Cell 29:1502-1517. doi:10.1091/mbc.E17-09-0565, PMID 29668363 (BioModels BIOMD0000000703)"
            }
            Self::Rutkowski2006 => {
                "Rutkowski DT, Arnold SM, Miller CN, et al. 2006. PLoS Biol 4:e374. doi:10.1371/journal.pbio.0040374"
            }
            Self::Erguler2013 => {
                "Erguler K, Pieri M, Deltas C. 2013. BMC Syst Biol 7:16. doi:10.1186/1752-0509-7-16 (BioModels BIOMD0000000446)"
            }
            Self::Jono2000 => "Jono S et al. 2000. Circ Res 87:e10. doi:10.1161/01.RES.87.7.e10",
            Self::Dai2013 => {
                "Dai X-Y, Zhao M-M, Cai Y, et al. 2013. Kidney Int 83:1042. doi:10.1038/ki.2012.482 (volume, page and DOI not re-verified)"
            }
            Self::Duan2013 => {
                "Duan X et al. 2013. Apoptosis 18:1132 (volume:page not re-verified). PMID 23686245 (DOI not verified)"
            }
            Self::Masuda2016 => {
                "Masuda M, Miyazaki-Anzai S, Keenan AL, et al. 2016. JCI Insight 1:e88646. doi:10.1172/jci.insight.88646, PMID 27812542"
            }
            Self::Shiozaki2018 => {
                "Shiozaki Y, Okamura K, Kohno S, et al. 2018. J Biol Chem 293:17008-17020. doi:10.1074/jbc.RA118.004706, PMID 30209133"
            }
            Self::Shi2019 => {
                "Shi Y, Wang S, Peng H, et al. 2019. Int J Biol Sci 15:138-147. doi:10.7150/ijbs.28873"
            }
            Self::Yang2022 => {
                "Yang L, Dai R, Wu H, et al. 2022. Circ Res 130:213-229. doi:10.1161/CIRCRESAHA.121.319745, PMID 34870453"
            }
            Self::Furmanik2021 => {
                "Furmanik M, van Gorp R, Whitehead M, et al. 2021. Arterioscler Thromb Vasc Biol (volume:pages not verified). doi:10.1161/ATVBAHA.120.315506, PMC7837691"
            }
            Self::Liu2014 => {
                "Liu H, Li X, Qin F, Huang K. 2014. J Biol Inorg Chem (volume:pages not verified). doi:10.1007/s00775-013-1078-1"
            }
            Self::ZengReview => {
                "Zeng R, Li A, Liu J. Research progress of endoplasmic reticulum stress in vascular smooth muscle cell and vascular calcification (review, in Chinese; journal, year, volume, pages and DOI not verified)"
            }
            Self::UremiaMtorc1 => {
                "Panda DK et al., ref. [20] of the review (uraemia: RAGE + hyperphosphataemia -> persistent mTORC1 -> ER stress in CKD mice; title, journal, year, volume, pages and DOI not verified)"
            }
            Self::Sigal2006 => {
                "Sigal A, Milo R, Cohen A, et al. 2006. Nature 444:643-646. doi:10.1038/nature05316"
            }
            Self::Spencer2009 => {
                "Spencer SL, Gaudet S, Albeck JG, Burke JM, Sorger PK. 2009. Nature 459:428-432. doi:10.1038/nature08012"
            }
            Self::Owens2004 => {
                "Owens GK, Kumar MS, Wamhoff BR. 2004. Physiol Rev 84:767-801. doi:10.1152/physrev.00041.2003"
            }
            Self::Bacakova1997 => {
                "Bacakova L, Mares V, Lisa V, Kocourek F. 1997. Physiol Res 46(5):403-406 (growth of aortic smooth muscle cells from newborn male and female rats; abstract read; title and DOI not verified)"
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
            Self::Sigal2006 => "Sigal2006",
            Self::Spencer2009 => "Spencer2009",
            Self::Owens2004 => "Owens2004",
            Self::Bacakova1997 => "Bacakova1997",
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
    /// Stated by the review as one of its numbered claims (`docs/model.md` §7.2), e.g. `AP-3`.
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

#[cfg(test)]
mod tests {
    use super::Reference;

    #[test]
    fn every_citation_has_a_year_and_an_identifier_or_says_what_is_not_verified() {
        for reference in Reference::ALL {
            let text = reference.citation();
            assert!(
                !text.contains("to be retrieved"),
                "{reference}: placeholder left in {text}"
            );
            let has_id = text.contains("doi:") || text.contains("PMID") || text.contains("PMC");
            assert!(
                has_id || text.contains("not verified"),
                "{reference}: neither a DOI/PMID nor a 'not verified' note in {text}"
            );
            let has_year = text
                .as_bytes()
                .windows(4)
                .any(|w| w.iter().all(u8::is_ascii_digit) && (w[0] == b'1' || w[0] == b'2'));
            assert!(
                has_year || text.contains("not verified"),
                "{reference}: no year in {text}"
            );
        }
    }

    #[test]
    fn keys_are_unique_and_match_the_variant_names() {
        let mut keys: Vec<&str> = Reference::ALL.iter().map(|r| r.key()).collect();
        for (reference, key) in Reference::ALL.iter().zip(&keys) {
            assert_eq!(format!("{reference:?}"), *key);
        }
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Reference::ALL.len());
    }
}
