//! Versions of a law and the comparison table (修订对照表) between two of them.
//!
//! A version is a complete snapshot (its own article numbering, 之N suffixes included).
//! How the articles of one version map onto the next is DATA:
//! data/law/<law>/<from>-alignment.toml, one `[[pair]]` per aligned article (or paragraph)
//! with a note a lawyer can check, plus `[[added]]`/`[[removed]]`. An amendment that
//! inserts 第N条之一 and renumbers is one more version and one more alignment file; no
//! schema change (docs/decisions/0201-versions.md).

use std::fmt;

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp};

use crate::fines::{fines_in, Fine};
use crate::numerals::to_chinese;
use crate::{Article, Corpus, CorpusError, Law};

const CSL_DRAFT: &str = include_str!("../../../data/law/csl/draft-alignment.toml");
const CSL_FINAL: &str = include_str!("../../../data/law/csl/final-alignment.toml");
/// Every alignment file (path as a reviewer finds it, text).
pub(crate) const ALIGNMENT_FILES: [(&str, &str); 2] = [
    ("data/law/csl/draft-alignment.toml", CSL_DRAFT),
    ("data/law/csl/final-alignment.toml", CSL_FINAL),
];

/// An article number with its 之N suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ArticleKey {
    pub number: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<u32>,
}

impl fmt::Display for ArticleKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}条", to_chinese(self.number))?;
        if let Some(s) = self.suffix {
            write!(f, "之{}", to_chinese(s))?;
        }
        Ok(())
    }
}

/// One aligned pair: an article (or one paragraph of it) of the old version and the
/// article (or paragraph) of the new version that carries it on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AlignedPair {
    pub from: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_suffix: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_paragraph: Option<u32>,
    pub to: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_suffix: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_paragraph: Option<u32>,
    /// The items (项) of the old article this pair carries; empty: all of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_items: Vec<u32>,
    /// The numbers those items have in the new article, in the same order; empty: they
    /// became the new article's own text (no item to cite).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to_items: Vec<u32>,
    pub note: String,
    /// The note in Chinese (what `law diff` prints in Chinese).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_zh: Option<String>,
}

/// An article present in only one of the two versions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Unpaired {
    pub article: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<u32>,
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_zh: Option<String>,
}

/// The alignment between two versions (data/law/<law>/<from>-alignment.toml).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Alignment {
    pub law: String,
    pub from: String,
    pub to: String,
    /// How the pairs were found and checked.
    pub method: String,
    #[serde(rename = "pair")]
    pub pairs: Vec<AlignedPair>,
    #[serde(default)]
    pub added: Vec<Unpaired>,
    #[serde(default)]
    pub removed: Vec<Unpaired>,
}

/// A changed phrase: old and new wording with a little shared context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextChange {
    pub from: String,
    pub to: String,
}

/// A fine range that moved, appeared or disappeared.
#[derive(Debug, Clone, Serialize)]
pub struct FineChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Fine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Fine>,
}

/// One row of the comparison table.
#[derive(Debug, Clone, Serialize)]
pub struct PairDiff {
    pub from: ArticleKey,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_paragraph: Option<u32>,
    pub to: ArticleKey,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_paragraph: Option<u32>,
    pub note: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note_zh: Option<String>,
    /// Character similarity of the two texts, 0–1 (the proposal the data was checked from).
    pub similarity: f64,
    pub from_text: String,
    pub to_text: String,
    pub changes: Vec<TextChange>,
    pub fines: Vec<FineChange>,
}

/// The comparison table (修订对照表) between two versions.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub law: String,
    pub law_title: String,
    pub from: String,
    pub to: String,
    pub pairs: Vec<PairDiff>,
    pub added: Vec<Unpaired>,
    pub removed: Vec<Unpaired>,
}

/// The alignment files as data, unchecked against the texts ([`load_alignments`] checks).
pub(crate) fn parse_alignments() -> Result<Vec<Alignment>, CorpusError> {
    ALIGNMENT_FILES
        .iter()
        .map(|(file, text)| {
            let a: Alignment = toml::from_str(text).map_err(|e| CorpusError::Data {
                file: (*file).into(),
                message: e.to_string(),
            })?;
            if a.pairs
                .iter()
                .any(|p| !p.to_items.is_empty() && p.to_items.len() != p.from_items.len())
            {
                return Err(CorpusError::Data {
                    file: (*file).into(),
                    message: "a pair's to_items must list one number per from_items entry".into(),
                });
            }
            Ok(a)
        })
        .collect()
}

pub(crate) fn load_alignments(laws: &[Law]) -> Result<Vec<Alignment>, CorpusError> {
    let mut out = Vec::new();
    for (a, (file, _)) in parse_alignments()?.into_iter().zip(ALIGNMENT_FILES) {
        let err = |m: String| CorpusError::Data {
            file: file.into(),
            message: m,
        };
        let law = laws
            .iter()
            .find(|l| l.id == a.law)
            .ok_or_else(|| err(format!("unknown law {}", a.law)))?;
        let from = law
            .version(&a.from)
            .ok_or_else(|| err(format!("unknown version {}", a.from)))?;
        let to = law
            .version(&a.to)
            .ok_or_else(|| err(format!("unknown version {}", a.to)))?;
        let has = |st: &crate::Statute, n: u32, s: Option<u32>| {
            st.articles.iter().any(|x| x.number == n && x.suffix == s)
        };
        for p in &a.pairs {
            if !has(&from.statute, p.from, p.from_suffix) {
                return Err(err(format!(
                    "pair {}→{}: {} has no article {}",
                    p.from, p.to, a.from, p.from
                )));
            }
            if !has(&to.statute, p.to, p.to_suffix) {
                return Err(err(format!(
                    "pair {}→{}: {} has no article {}",
                    p.from, p.to, a.to, p.to
                )));
            }
        }
        for u in &a.added {
            if !has(&to.statute, u.article, u.suffix) {
                return Err(err(format!("added {}: not in {}", u.article, a.to)));
            }
        }
        for u in &a.removed {
            if !has(&from.statute, u.article, u.suffix) {
                return Err(err(format!("removed {}: not in {}", u.article, a.from)));
            }
        }
        out.push(a);
    }
    Ok(out)
}

/// An article's (or one paragraph's) text with item markers, paragraphs on lines.
pub fn article_text(a: &Article, paragraph: Option<u32>) -> String {
    a.paragraphs
        .iter()
        .enumerate()
        .filter(|(i, _)| paragraph.is_none_or(|p| p as usize == i + 1))
        .map(|(_, p)| {
            let mut s = p.text.clone();
            for (k, it) in p.items.iter().enumerate() {
                if !s.is_empty() {
                    s.push('\n');
                }
                s.push_str(&format!("（{}）{}", to_chinese(k as u32 + 1), it));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The old and new ranges of one diff operation as (old start, old end, new start,
/// new end); a deletion has an empty new range, an insertion an empty old range.
pub(crate) fn edit_span(op: &DiffOp) -> (usize, usize, usize, usize) {
    let (old, new) = (op.old_range(), op.new_range());
    (old.start, old.end, new.start, new.end)
}

fn squeeze(s: &str) -> Vec<char> {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Character-level changes between two texts, each widened to two characters of shared
/// context on each side (stopping at punctuation) so a reader sees the words.
pub fn text_changes(a: &str, b: &str) -> Vec<TextChange> {
    let a = squeeze(a);
    let b = squeeze(b);
    let ops = capture_diff_slices(Algorithm::Myers, &a, &b);
    let mut regions: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut gap = usize::MAX;
    for op in ops {
        if let DiffOp::Equal { len, .. } = op {
            gap = len;
            continue;
        }
        let r = edit_span(&op);
        match regions.last_mut() {
            Some(last) if gap < 3 => {
                last.1 = r.1;
                last.3 = r.3;
            }
            _ => regions.push(r),
        }
        gap = 0;
    }
    let punct = |c: char| "，。；：、（）“”《》".contains(c);
    regions
        .into_iter()
        .map(|(a0, a1, b0, b1)| {
            let mut l = a0;
            while l > 0 && a0 - l < 2 && !punct(a[l - 1]) {
                l -= 1;
            }
            let mut r = a1;
            while r < a.len() && r - a1 < 2 && !punct(a[r]) {
                r += 1;
            }
            let left: String = a[l..a0].iter().collect();
            let right: String = a[a1..r].iter().collect();
            TextChange {
                from: format!("{left}{}{right}", a[a0..a1].iter().collect::<String>()),
                to: format!("{left}{}{right}", b[b0..b1].iter().collect::<String>()),
            }
        })
        .collect()
}

fn similarity(a: &str, b: &str) -> f64 {
    let a = squeeze(a);
    let b = squeeze(b);
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let same: usize = capture_diff_slices(Algorithm::Myers, &a, &b)
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    (2 * same) as f64 / (a.len() + b.len()) as f64
}

fn fines_of(a: &Article, paragraph: Option<u32>) -> Vec<Fine> {
    let mut out = Vec::new();
    for (i, p) in a.paragraphs.iter().enumerate() {
        let n = i as u32 + 1;
        if paragraph.is_some_and(|q| q != n) {
            continue;
        }
        let mut t: String = p.text.chars().filter(|c| !c.is_whitespace()).collect();
        for it in &p.items {
            t.push_str(
                &it.chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>(),
            );
        }
        out.extend(fines_in(&t, n));
    }
    out
}

/// Fine ranges that differ between two articles, in order.
pub fn fine_changes(from: &[Fine], to: &[Fine]) -> Vec<FineChange> {
    let fk: Vec<_> = from.iter().map(Fine::key).collect();
    let tk: Vec<_> = to.iter().map(Fine::key).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &fk, &tk) {
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        let (a0, a1, b0, b1) = edit_span(&op);
        let n = (a1 - a0).max(b1 - b0);
        for k in 0..n {
            out.push(FineChange {
                from: from.get(a0 + k).filter(|_| a0 + k < a1).cloned(),
                to: to.get(b0 + k).filter(|_| b0 + k < b1).cloned(),
            });
        }
    }
    out
}

pub(crate) fn compare(
    corpus: &Corpus,
    law_id: &str,
    from: &str,
    to: &str,
) -> Result<Comparison, CorpusError> {
    let law = corpus
        .law(law_id)
        .ok_or_else(|| CorpusError::UnknownLaw(law_id.to_string()))?;
    for v in [from, to] {
        if law.version(v).is_none() {
            return Err(law.unknown_version(v));
        }
    }
    let (al, reversed) = match corpus.alignment(law_id, from, to) {
        Some(a) => (a, false),
        None => match corpus.alignment(law_id, to, from) {
            Some(a) => (a, true),
            None => {
                return Err(CorpusError::NoAlignment {
                    law: law_id.into(),
                    from: from.into(),
                    to: to.into(),
                })
            }
        },
    };
    let fv = law.version(from).map(|v| &v.statute);
    let tv = law.version(to).map(|v| &v.statute);
    let (Some(fv), Some(tv)) = (fv, tv) else {
        return Err(law.unknown_version(from));
    };
    let find = |st: &crate::Statute, n: u32, s: Option<u32>| {
        st.articles
            .iter()
            .find(|a| a.number == n && a.suffix == s)
            .cloned()
    };
    let mut pairs = Vec::new();
    for p in &al.pairs {
        let (fk, fp, tk, tp) = if reversed {
            (
                (p.to, p.to_suffix),
                p.to_paragraph,
                (p.from, p.from_suffix),
                p.from_paragraph,
            )
        } else {
            (
                (p.from, p.from_suffix),
                p.from_paragraph,
                (p.to, p.to_suffix),
                p.to_paragraph,
            )
        };
        let (Some(fa), Some(ta)) = (find(fv, fk.0, fk.1), find(tv, tk.0, tk.1)) else {
            continue;
        };
        let from_text = article_text(&fa, fp);
        let to_text = article_text(&ta, tp);
        pairs.push(PairDiff {
            from: ArticleKey {
                number: fk.0,
                suffix: fk.1,
            },
            from_paragraph: fp,
            to: ArticleKey {
                number: tk.0,
                suffix: tk.1,
            },
            to_paragraph: tp,
            note: p.note.clone(),
            note_zh: p.note_zh.clone(),
            similarity: (similarity(&from_text, &to_text) * 100.0).floor() / 100.0,
            changes: text_changes(&from_text, &to_text),
            fines: fine_changes(&fines_of(&fa, fp), &fines_of(&ta, tp)),
            from_text,
            to_text,
        });
    }
    let (added, removed) = if reversed {
        (al.removed.clone(), al.added.clone())
    } else {
        (al.added.clone(), al.removed.clone())
    };
    Ok(Comparison {
        law: law_id.into(),
        law_title: law.title.clone(),
        from: from.into(),
        to: to.into(),
        pairs,
        added,
        removed,
    })
}
