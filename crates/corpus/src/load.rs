//! Building the corpus from the embedded data.

use serde::Deserialize;

use crate::reconcile::{reconcile, BaseArticle};
use crate::sources::{self, Source, MANIFEST};
use crate::text::{segment, Copy};
use crate::{commentary, structure, versions, Corpus, CorpusError, Law, LawVersion};

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct LawsManifest {
    pub(crate) law: Vec<LawEntry>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct LawEntry {
    pub(crate) id: String,
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) title_en: Option<String>,
    pub(crate) canonical: String,
    pub(crate) versions: Vec<VersionEntry>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct VersionEntry {
    pub(crate) name: String,
    #[serde(default)]
    partial: bool,
    #[serde(default)]
    previous: Option<String>,
    #[serde(default)]
    pub(crate) in_force: Option<jiff::civil::Date>,
}

/// The embedded manifest's laws and versions.
pub(crate) fn manifest() -> Result<LawsManifest, CorpusError> {
    toml::from_str(MANIFEST).map_err(|e| data_err("data/law/sources.toml", e.to_string()))
}

/// The laws and versions the manifest lists, read without parsing any text (what
/// `dengbao --version` prints; tested equal to what [`load`] builds).
pub(crate) fn listing() -> Result<Vec<crate::LawListing>, CorpusError> {
    Ok(manifest()?
        .law
        .into_iter()
        .map(|l| crate::LawListing {
            id: l.id,
            title: l.title,
            canonical_version: l.canonical,
            versions: l
                .versions
                .into_iter()
                .map(|v| crate::VersionListing {
                    name: v.name,
                    partial: v.partial,
                })
                .collect(),
        })
        .collect())
}

fn data_err(file: &str, message: impl Into<String>) -> CorpusError {
    CorpusError::Data {
        file: file.into(),
        message: message.into(),
    }
}

/// Parses a base text with the statute parser; falls back to the plain structure reader
/// when the parser finds no articles.
fn parse_base(
    text: &str,
    title: &str,
) -> (dengbao_statute::Statute, Vec<dengbao_statute::Diagnostic>) {
    let (mut st, mut diags) = dengbao_statute::parse(text);
    if st.articles.is_empty() {
        st = structure::read(text, title);
        diags.push(dengbao_statute::Diagnostic {
            line: 0,
            message:
                "statute parser returned no articles; structure read by the corpus's plain reader"
                    .into(),
            message_zh: "法规解析器未找到条文；由语料库的简易读取器读取结构".into(),
        });
    }
    if st.title.is_empty() {
        st.title = title.to_string();
    }
    (st, diags)
}

/// Article copies of one part of a source.
pub(crate) fn copies(src: &Source, lines: [u32; 2], slides: bool) -> Vec<Copy> {
    segment(src.text, lines[0], lines[1], slides)
}

pub(crate) fn load() -> Result<Corpus, CorpusError> {
    let sources = sources::load()?;
    let manifest = manifest()?;
    let mut laws = Vec::new();
    let mut discrepancies = Vec::new();
    let mut coverage = Vec::new();
    for entry in manifest.law {
        let mut versions = Vec::new();
        for v in &entry.versions {
            let (src, part) = sources
                .iter()
                .flat_map(|s| s.parts.iter().map(move |p| (s, p)))
                .find(|(_, p)| {
                    p.law == entry.id && p.role == "base" && p.version.as_deref() == Some(&v.name)
                })
                .ok_or_else(|| {
                    data_err(
                        "data/law/sources.toml",
                        format!("{} version {} has no base part", entry.id, v.name),
                    )
                })?;
            let text = src.slice(part.lines);
            let (mut statute, mut diagnostics) = parse_base(&text, &entry.title);
            // Lines in the file, not in the slice.
            let offset = part.lines[0] - 1;
            for a in &mut statute.articles {
                if a.line > 0 {
                    a.line += offset;
                }
            }
            for d in &mut diagnostics {
                if d.line > 0 {
                    d.line += offset;
                }
            }
            versions.push(LawVersion {
                name: v.name.clone(),
                source: src.id.clone(),
                partial: v.partial,
                previous: v.previous.clone(),
                in_force: v.in_force,
                statute,
                diagnostics,
            });
        }
        if !versions.iter().any(|v| v.name == entry.canonical) {
            return Err(data_err(
                "data/law/sources.toml",
                format!(
                    "{}: canonical version {} is not listed",
                    entry.id, entry.canonical
                ),
            ));
        }
        // Reconciliation of the canonical version: base copies against witness copies.
        let (bsrc, bpart) = sources
            .iter()
            .flat_map(|s| s.parts.iter().map(move |p| (s, p)))
            .find(|(_, p)| {
                p.law == entry.id
                    && p.role == "base"
                    && p.version.as_deref() == Some(&entry.canonical)
            })
            .ok_or_else(|| data_err("data/law/sources.toml", format!("{}: no base", entry.id)))?;
        let base: Vec<BaseArticle> = copies(bsrc, bpart.lines, false)
            .iter()
            .map(|c| BaseArticle::from_copy(c, &bsrc.id))
            .collect();
        let mut witnesses: Vec<(String, Vec<Copy>)> = Vec::new();
        for s in &sources {
            for p in &s.parts {
                if p.law == entry.id
                    && p.role == "witness"
                    && p.version.as_deref() == Some(&entry.canonical)
                {
                    let c = copies(s, p.lines, p.slides);
                    match witnesses.iter_mut().find(|(id, _)| *id == s.id) {
                        Some((_, v)) => v.extend(c),
                        None => witnesses.push((s.id.clone(), c)),
                    }
                }
            }
        }
        let (d, c) = reconcile(&entry.id, &base, &witnesses);
        discrepancies.extend(d);
        coverage.push((entry.id.clone(), c));
        laws.push(Law {
            id: entry.id,
            title: entry.title,
            versions,
            canonical_version: entry.canonical,
        });
    }
    let alignments = versions::load_alignments(&laws)?;
    let mut corpus = Corpus {
        laws,
        sources,
        commentary: Vec::new(),
        discrepancies,
        coverage,
        alignments,
    };
    corpus.commentary = commentary::load(&corpus)?;
    Ok(corpus)
}

/// The base text of each canonical article, normalised (for the acceptance test).
pub fn base_texts(corpus: &Corpus, law: &str) -> Vec<(u32, Option<u32>, String)> {
    let Some(l) = corpus.law(law) else {
        return Vec::new();
    };
    let Some(v) = l.version(&l.canonical_version) else {
        return Vec::new();
    };
    let Some(src) = corpus.sources.iter().find(|s| s.id == v.source) else {
        return Vec::new();
    };
    let Some(part) = src
        .parts
        .iter()
        .find(|p| p.law == law && p.role == "base" && p.version.as_deref() == Some(&v.name))
    else {
        return Vec::new();
    };
    copies(src, part.lines, false)
        .iter()
        .map(|c| {
            let b = BaseArticle::from_copy(c, &src.id);
            (c.number, c.suffix, b.text())
        })
        .collect()
}
