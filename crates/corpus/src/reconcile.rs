//! Reconciliation: every witness copy of an article is compared with the base text at the
//! character level; each difference that is not noise becomes a [`Discrepancy`].
//!
//! Rule (docs/decisions/0200-reconciliation.md): the base source's reading is canonical;
//! witnesses vote, and a place where a witness reading has more sources than the base is
//! flagged `outvoted` for a lawyer to check — it is reported, never merged.

use std::collections::BTreeMap;

use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};

use crate::text::{Ch, Copy};
use crate::versions::edit_span;

/// Equal runs shorter than this do not separate two changes.
const MERGE_GAP: usize = 2;
/// Equal runs at least this long anchor a copy to the base.
const ANCHOR: usize = 4;
/// A change longer than this (characters) is page layout, not wording.
const LAYOUT: usize = 30;
/// Changes this close (characters) to a layout change belong to it.
const NEAR_LAYOUT: usize = 8;

/// A source file and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    pub source: String,
    pub line: u32,
}

/// One reading of a place, and every copy that has it.
#[derive(Debug, Clone, Serialize)]
pub struct Reading {
    pub text: String,
    pub sources: Vec<Place>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiscrepancyKind {
    /// Words differ.
    Wording,
    /// Only punctuation differs (a missing 。, 、 for ，).
    Punctuation,
}

/// A place where the sources of a law disagree.
#[derive(Debug, Clone, Serialize)]
pub struct Discrepancy {
    pub law: String,
    pub article: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suffix: Option<u32>,
    /// 1-based paragraph (款) of the canonical article.
    pub paragraph: u32,
    /// 1-based item (项) within the paragraph, when the place is in an item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<u32>,
    pub kind: DiscrepancyKind,
    /// The canonical reading first, then each variant; each names its sources.
    pub readings: Vec<Reading>,
    /// True when a variant has more distinct source files than the canonical reading.
    pub outvoted: bool,
    /// Character offset in the normalised canonical article (for ordering).
    #[serde(skip)]
    pub offset: usize,
}

/// How well one witness source covers the articles of a law.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    pub source: String,
    pub copies: usize,
    /// Articles with at least one copy covering the whole canonical text.
    pub full: Vec<u32>,
    /// Articles witnessed only in part (copies cut by page breaks).
    pub partial: Vec<u32>,
    /// Articles the source does not carry.
    pub missing: Vec<u32>,
    /// Changes longer than 30 characters, treated as page layout (text of another page
    /// inside a copy, or a gap).
    pub layout_changes: usize,
}

/// The base text of one article, normalised, with each character's paragraph.
pub struct BaseArticle {
    pub number: u32,
    pub suffix: Option<u32>,
    pub chars: Vec<Ch>,
    pub para: Vec<u32>,
    /// Item (项) of each character, 0 outside items.
    pub item: Vec<u32>,
    pub source: String,
}

impl BaseArticle {
    pub fn from_copy(c: &Copy, source: &str) -> BaseArticle {
        let mut chars = Vec::new();
        let mut para = Vec::new();
        let mut item = Vec::new();
        let mut p = 0u32;
        let mut k = 0u32;
        for (i, (n, l)) in c.lines.iter().enumerate() {
            let t = l.trim_start().trim_start_matches("- ");
            let is_item = i > 0 && (t.starts_with('（') || t.starts_with('('));
            if is_item {
                k += 1;
            } else {
                p += 1;
                k = 0;
            }
            let before = chars.len();
            crate::text::normalize_line(l, *n, &mut chars);
            para.extend(std::iter::repeat_n(p.max(1), chars.len() - before));
            item.extend(std::iter::repeat_n(k, chars.len() - before));
        }
        BaseArticle {
            number: c.number,
            suffix: c.suffix,
            chars,
            para,
            item,
            source: source.to_string(),
        }
    }

    pub fn text(&self) -> String {
        self.chars.iter().map(|c| c.c).collect()
    }
}

struct Change {
    a: usize,
    b: usize,
    c: usize,
    d: usize,
}

fn is_punct(c: char) -> bool {
    "，。；：、）（“”《》？！,.;:()".contains(c)
}

/// The changes of one witness copy against the base, and the base range it covers.
fn changes(base: &[char], wit: &[char]) -> (Vec<Change>, Option<(usize, usize)>, usize) {
    let ops = capture_diff_slices(Algorithm::Myers, base, wit);
    let mut regions: Vec<Change> = Vec::new();
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    let mut last_equal_len = usize::MAX;
    for op in &ops {
        if let DiffOp::Equal { old_index, len, .. } = *op {
            if len >= ANCHOR {
                anchors.push((old_index, old_index + len));
            }
            last_equal_len = len;
            continue;
        }
        let (a, b, c, d) = edit_span(op);
        match regions.last_mut() {
            Some(r) if last_equal_len < MERGE_GAP || (r.b == a && r.d == c) => {
                r.b = b;
                r.d = d;
            }
            _ => regions.push(Change { a, b, c, d }),
        }
        last_equal_len = 0;
    }
    let span = match (anchors.first(), anchors.last()) {
        (Some(f), Some(l)) => Some((f.0, l.1)),
        _ => None,
    };
    let Some((s, e)) = span else {
        return (Vec::new(), None, 0);
    };
    // The copy reaches the article's end when its last characters match the base's last
    // characters; otherwise what follows the last anchor is a page cut (the copy stops
    // early or runs into another page's text).
    let reaches_end = matches!(ops.last(), Some(DiffOp::Equal { old_index, len, .. })
        if old_index + len == base.len());
    let mut layout_regions: Vec<(usize, usize)> = Vec::new();
    let mut kept = Vec::new();
    for r in regions {
        // A copy that stops one or two characters short (a missing 。) is a reading.
        let short_tail = r.d == wit.len() && r.b == base.len() && r.b - r.a <= 2 && r.c == r.d;
        let trailing = r.a >= e && !reaches_end && !short_tail;
        if trailing {
            continue;
        }
        if r.b - r.a > LAYOUT || r.d - r.c > LAYOUT {
            layout_regions.push((r.a, r.b));
            continue;
        }
        kept.push(r);
    }
    // Small changes right next to a layout change are part of it (Myers pairs a few
    // shared characters across the foreign text).
    let before = kept.len();
    kept.retain(|r| {
        !layout_regions
            .iter()
            .any(|&(x, y)| r.a <= y + NEAR_LAYOUT && x <= r.b + NEAR_LAYOUT)
    });
    let layout = layout_regions.len() + (before - kept.len());
    let e = if reaches_end || kept.iter().any(|r| r.b == base.len()) {
        base.len()
    } else {
        e
    };
    let s = if kept.iter().any(|r| r.a < s) { 0 } else { s };
    (kept, Some((s, e)), layout)
}

fn context(base: &[char], a: usize, b: usize) -> (String, String) {
    let mut l = String::new();
    let mut i = a;
    while i > 0 && a - i < 2 && !is_punct(base[i - 1]) {
        i -= 1;
    }
    l.extend(&base[i..a]);
    let mut r = String::new();
    let mut j = b;
    while j < base.len() && j - b < 2 && !is_punct(base[j]) {
        j += 1;
    }
    r.extend(&base[b..j]);
    (l, r)
}

struct CopyRecord {
    source: String,
    line: u32,
    span: (usize, usize),
    changed: Vec<(usize, usize)>,
}

/// Compares every witness copy with the base and returns the discrepancies (ordered by
/// article, then position) and each witness's coverage.
pub fn reconcile(
    law: &str,
    base: &[BaseArticle],
    witnesses: &[(String, Vec<Copy>)],
) -> (Vec<Discrepancy>, Vec<Coverage>) {
    // (article index, a, b) → (base reading, variant text → places)
    type Key = (usize, usize, usize);
    let mut found: BTreeMap<Key, BTreeMap<String, Vec<Place>>> = BTreeMap::new();
    let mut base_text: BTreeMap<Key, String> = BTreeMap::new();
    let mut records: Vec<Vec<CopyRecord>> = base.iter().map(|_| Vec::new()).collect();
    let mut coverage = Vec::new();
    for (source, copies) in witnesses {
        let mut cov = Coverage {
            source: source.clone(),
            copies: copies.len(),
            ..Coverage::default()
        };
        let mut best: BTreeMap<usize, usize> = BTreeMap::new();
        for copy in copies {
            let Some(ai) = base
                .iter()
                .position(|b| b.number == copy.number && b.suffix == copy.suffix)
            else {
                continue;
            };
            let art = &base[ai];
            let bchars: Vec<char> = art.chars.iter().map(|c| c.c).collect();
            let wch = copy.chars();
            let wchars: Vec<char> = wch.iter().map(|c| c.c).collect();
            let (regions, span, layout) = changes(&bchars, &wchars);
            cov.layout_changes += layout;
            let Some(span) = span else { continue };
            let covered = span.1 - span.0;
            let e = best.entry(ai).or_insert(0);
            *e = (*e).max(if span.0 == 0 && span.1 == bchars.len() {
                usize::MAX
            } else {
                covered
            });
            let mut changed = Vec::new();
            for r in &regions {
                let (l, rc) = context(&bchars, r.a, r.b);
                let variant: String =
                    format!("{l}{}{rc}", wchars[r.c..r.d].iter().collect::<String>());
                let reading: String =
                    format!("{l}{}{rc}", bchars[r.a..r.b].iter().collect::<String>());
                let line = wch
                    .get(r.c)
                    .or_else(|| wch.get(r.c.saturating_sub(1)))
                    .map(|c| c.line)
                    .unwrap_or(copy.line);
                found
                    .entry((ai, r.a, r.b))
                    .or_default()
                    .entry(variant)
                    .or_default()
                    .push(Place {
                        source: source.clone(),
                        line,
                    });
                base_text.insert((ai, r.a, r.b), reading);
                changed.push((r.a, r.b));
            }
            records[ai].push(CopyRecord {
                source: source.clone(),
                line: copy.line,
                span,
                changed,
            });
        }
        for (ai, art) in base.iter().enumerate() {
            match best.get(&ai) {
                Some(&usize::MAX) => cov.full.push(art.number),
                Some(_) => cov.partial.push(art.number),
                None => cov.missing.push(art.number),
            }
        }
        coverage.push(cov);
    }
    let mut out = Vec::new();
    for ((ai, a, b), variants) in found {
        let art = &base[ai];
        let bchars: Vec<char> = art.chars.iter().map(|c| c.c).collect();
        let line = art
            .chars
            .get(a)
            .or_else(|| art.chars.get(a.saturating_sub(1)))
            .map(|c| c.line)
            .unwrap_or(0);
        let mut base_places = vec![Place {
            source: art.source.clone(),
            line,
        }];
        // Witness copies that cover this place without changing it vote for the base.
        let (lo, hi) = if a == b {
            (a.saturating_sub(1), (b + 1).min(bchars.len()))
        } else {
            (a, b)
        };
        for rec in &records[ai] {
            let covers = rec.span.0 <= lo && hi <= rec.span.1;
            let touched = rec.changed.iter().any(|&(x, y)| x <= hi && lo <= y);
            if covers && !touched {
                base_places.push(Place {
                    source: rec.source.clone(),
                    line: rec.line,
                });
            }
        }
        let distinct = |ps: &[Place]| {
            let mut s: Vec<&str> = ps.iter().map(|p| p.source.as_str()).collect();
            s.sort();
            s.dedup();
            s.len()
        };
        let base_n = distinct(&base_places);
        let mut readings = vec![Reading {
            text: base_text.get(&(ai, a, b)).cloned().unwrap_or_default(),
            sources: base_places,
        }];
        let mut outvoted = false;
        let mut only_punct = bchars[a..b].iter().all(|c| is_punct(*c));
        for (text, mut places) in variants {
            places.sort();
            places.dedup();
            if distinct(&places) > base_n {
                outvoted = true;
            }
            readings.push(Reading {
                text,
                sources: places,
            });
        }
        for r in &readings[1..] {
            let (l, rc) = context(&bchars, a, b);
            let mid = r
                .text
                .strip_prefix(l.as_str())
                .and_then(|s| s.strip_suffix(rc.as_str()))
                .unwrap_or(&r.text);
            only_punct &= mid.chars().all(is_punct);
        }
        out.push(Discrepancy {
            law: law.to_string(),
            article: art.number,
            suffix: art.suffix,
            paragraph: art
                .para
                .get(a.min(art.para.len().saturating_sub(1)))
                .copied()
                .unwrap_or(1),
            item: art
                .item
                .get(a.min(art.item.len().saturating_sub(1)))
                .copied()
                .filter(|k| *k > 0),
            kind: if only_punct {
                DiscrepancyKind::Punctuation
            } else {
                DiscrepancyKind::Wording
            },
            readings,
            outvoted,
            offset: a,
        });
    }
    out.sort_by_key(|d| (d.article, d.suffix, d.offset));
    (out, coverage)
}
