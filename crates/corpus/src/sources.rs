//! The embedded seed files and their manifest (data/law/sources.toml).

use serde::{Deserialize, Serialize};

use crate::CorpusError;

pub(crate) const MANIFEST: &str = include_str!("../../../data/law/sources.toml");

/// The text of an embedded seed file, by file name.
pub(crate) fn embedded(file: &str) -> Option<&'static str> {
    Some(match file {
        "000_792d93181b0ac754.txt" => {
            include_str!("../../../data/law/sources/000_792d93181b0ac754.txt")
        }
        "001_c834ab8c02491189.txt" => {
            include_str!("../../../data/law/sources/001_c834ab8c02491189.txt")
        }
        "002_f8938e401812a256.txt" => {
            include_str!("../../../data/law/sources/002_f8938e401812a256.txt")
        }
        "003_e2e588962d440251.txt" => {
            include_str!("../../../data/law/sources/003_e2e588962d440251.txt")
        }
        "004_3eec16215bacfc3b.txt" => {
            include_str!("../../../data/law/sources/004_3eec16215bacfc3b.txt")
        }
        "005_csl_amended_2025.txt" => {
            include_str!("../../../data/law/sources/005_csl_amended_2025.txt")
        }
        "006_csl_amended_2025_gazette.txt" => {
            include_str!("../../../data/law/sources/006_csl_amended_2025_gazette.txt")
        }
        "007_csl_amendment_decision_2025.txt" => {
            include_str!("../../../data/law/sources/007_csl_amendment_decision_2025.txt")
        }
        "008_dsl_2021.txt" => include_str!("../../../data/law/sources/008_dsl_2021.txt"),
        "009_pipl_2021.txt" => include_str!("../../../data/law/sources/009_pipl_2021.txt"),
        "010_ciipr_2021.txt" => include_str!("../../../data/law/sources/010_ciipr_2021.txt"),
        "011_ndsr_2024.txt" => include_str!("../../../data/law/sources/011_ndsr_2024.txt"),
        "012_cryptolaw_2019.txt" => {
            include_str!("../../../data/law/sources/012_cryptolaw_2019.txt")
        }
        "013_ccr_2023.txt" => include_str!("../../../data/law/sources/013_ccr_2023.txt"),
        "014_pipl_2021_lawrefbook.txt" => {
            include_str!("../../../data/law/sources/014_pipl_2021_lawrefbook.txt")
        }
        "015_cryptolaw_2019_lawrefbook.txt" => {
            include_str!("../../../data/law/sources/015_cryptolaw_2019_lawrefbook.txt")
        }
        "016_ciipr_2021_lawrefbook.txt" => {
            include_str!("../../../data/law/sources/016_ciipr_2021_lawrefbook.txt")
        }
        "017_dsl_2021_chinese_laws.txt" => {
            include_str!("../../../data/law/sources/017_dsl_2021_chinese_laws.txt")
        }
        "018_ndsr_2024_lawrefbook.txt" => {
            include_str!("../../../data/law/sources/018_ndsr_2024_lawrefbook.txt")
        }
        "019_ccr_2023_lawrefbook.txt" => {
            include_str!("../../../data/law/sources/019_ccr_2023_lawrefbook.txt")
        }
        "020_mlps2007_excerpts.txt" => {
            include_str!("../../../data/law/sources/020_mlps2007_excerpts.txt")
        }
        _ => return None,
    })
}

#[derive(Debug, Clone, Deserialize)]
struct Manifest {
    source: Vec<Source>,
}

/// One seed file as described in data/law/sources.toml.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    /// `000` … `020`.
    pub id: String,
    pub file: String,
    /// What the document is.
    pub what: String,
    /// The same in Chinese (what `law sources` prints in Chinese).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_zh: Option<String>,
    /// What in it is noise.
    #[serde(default)]
    pub noise: Vec<String>,
    pub parts: Vec<SourcePart>,
    /// The file's text (not serialised).
    #[serde(skip)]
    pub text: &'static str,
}

/// A part of a source file with one role for one law.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourcePart {
    pub law: String,
    /// The law version this part carries (base and witness parts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `base`, `witness`, `commentary` or `proof` (a copy a test proof-reads the base against).
    pub role: String,
    /// For commentary: `interpretation`, `compliance-advice`, `role-checklist`, `work-plan`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub covers: String,
    /// First and last line (1-based, inclusive) of the part in the file.
    pub lines: [u32; 2],
    /// Slide-deck layout (hard wraps, page debris lines): segment with the slide rules.
    #[serde(default)]
    pub slides: bool,
}

impl Source {
    /// The lines `[from, to]` of the file, joined with `\n`.
    pub fn slice(&self, lines: [u32; 2]) -> String {
        self.text
            .lines()
            .enumerate()
            .filter(|(i, _)| {
                let n = *i as u32 + 1;
                n >= lines[0] && n <= lines[1]
            })
            .map(|(_, l)| l)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

pub(crate) fn load() -> Result<Vec<Source>, CorpusError> {
    let m: Manifest = toml::from_str(MANIFEST).map_err(|e| CorpusError::Data {
        file: "data/law/sources.toml".into(),
        message: e.to_string(),
    })?;
    let mut out = Vec::new();
    for mut s in m.source {
        s.text = embedded(&s.file).ok_or_else(|| CorpusError::Data {
            file: "data/law/sources.toml".into(),
            message: format!(
                "source {} names file {} which is not embedded",
                s.id, s.file
            ),
        })?;
        let n = s.text.lines().count() as u32;
        for p in &s.parts {
            if p.lines[0] == 0 || p.lines[0] > p.lines[1] || p.lines[1] > n {
                return Err(CorpusError::Data {
                    file: "data/law/sources.toml".into(),
                    message: format!(
                        "source {} part '{}': lines {:?} outside the file's {n} lines",
                        s.id, p.covers, p.lines
                    ),
                });
            }
        }
        out.push(s);
    }
    Ok(out)
}
