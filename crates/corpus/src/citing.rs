//! Citations by date (decision 0203).
//!
//! The catalogs cite each law in the numbering of its canonical version (the
//! Cybersecurity Law: the 2016 text). A reader asking about a day needs the numbering of
//! the version in force that day — old 第二十一条 is 第二十三条 since 2026-01-01. [`Citer`]
//! translates a citation through the alignment files (data/law/<law>/*-alignment.toml),
//! reading only the manifest and those files: cheap enough for every process that prints
//! a citation, with no statute parsed.

use dengbao_types::Citation;
use jiff::civil::Date;

use crate::load::{manifest, LawEntry};
use crate::versions::{parse_alignments, AlignedPair, Alignment};
use crate::CorpusError;

/// The versions of each law with their in-force dates, and the alignments between them.
#[derive(Debug, Clone)]
pub struct Citer {
    laws: Vec<LawEntry>,
    alignments: Vec<Alignment>,
}

/// One pair seen from the side a citation is translated from.
struct Oriented<'a> {
    src: (u32, Option<u32>, Option<u32>, &'a [u32]),
    dst: (u32, Option<u32>, Option<u32>, &'a [u32]),
}

impl<'a> Oriented<'a> {
    fn of(p: &'a AlignedPair, reversed: bool) -> Oriented<'a> {
        let a = (
            p.from,
            p.from_suffix,
            p.from_paragraph,
            p.from_items.as_slice(),
        );
        let b = (p.to, p.to_suffix, p.to_paragraph, p.to_items.as_slice());
        if reversed {
            Oriented { src: b, dst: a }
        } else {
            Oriented { src: a, dst: b }
        }
    }

    /// The citation's counterpart through this pair, if the pair carries it.
    fn carry(&self, c: &Citation) -> Option<Citation> {
        let (art, suffix, par, items) = self.src;
        let (to_art, to_suffix, to_par, to_items) = self.dst;
        if c.article != art || c.suffix != suffix {
            return None;
        }
        if let (Some(q), Some(p)) = (c.paragraph, par) {
            if q != p {
                return None;
            }
        }
        let item = match c.item {
            None => None,
            Some(i) if items.is_empty() => Some(i),
            Some(i) => {
                let k = items.iter().position(|x| *x == i)?;
                to_items.get(k).copied()
            }
        };
        // A whole-article citation through a paragraph-level pair names the whole new
        // article; through a pair into one paragraph, that paragraph.
        let paragraph = match (c.paragraph, par) {
            (Some(q), _) => to_par.or(Some(q)),
            (None, Some(_)) => None,
            (None, None) => to_par,
        };
        Some(Citation {
            law: c.law.clone(),
            article: to_art,
            suffix: to_suffix,
            paragraph,
            item: if c.item.is_some() { item } else { None },
            version: None,
        })
    }
}

impl Citer {
    /// The embedded manifest and alignment files.
    pub fn embedded() -> Result<Citer, CorpusError> {
        Ok(Citer {
            laws: manifest()?.law,
            alignments: parse_alignments()?,
        })
    }

    fn law(&self, id: &str) -> Option<&LawEntry> {
        self.laws.iter().find(|l| l.id == id)
    }

    /// The law's title as published (中华人民共和国网络安全法).
    pub fn title(&self, law: &str) -> Option<&str> {
        self.law(law).map(|l| l.title.as_str())
    }

    /// The law's name in English text (data/law/sources.toml `title_en`).
    pub fn title_en(&self, law: &str) -> Option<&str> {
        self.law(law).and_then(|l| l.title_en.as_deref())
    }

    /// The version the catalogs' citations of `law` are written in.
    pub fn canonical(&self, law: &str) -> Option<&str> {
        self.law(law).map(|l| l.canonical.as_str())
    }

    /// Whether `law` has a version called `name`.
    pub fn has_version(&self, law: &str, name: &str) -> bool {
        self.law(law)
            .is_some_and(|l| l.versions.iter().any(|v| v.name == name))
    }

    /// The names of `law`'s versions, oldest first.
    pub fn versions(&self, law: &str) -> Vec<&str> {
        self.law(law)
            .map(|l| l.versions.iter().map(|v| v.name.as_str()).collect())
            .unwrap_or_default()
    }

    /// The version of `law` in force on `date` (see [`crate::Law::version_at`]); `None` for
    /// a law this build does not carry.
    pub fn version_at(&self, law: &str, date: Date) -> Option<&str> {
        let l = self.law(law)?;
        l.versions
            .iter()
            .filter(|v| v.in_force.is_some_and(|d| d <= date))
            .max_by_key(|v| v.in_force)
            .map(|v| v.name.as_str())
            .or(Some(l.canonical.as_str()))
    }

    /// The day `version` of `law` took effect, if it did.
    pub fn in_force(&self, law: &str, version: &str) -> Option<Date> {
        self.law(law)?
            .versions
            .iter()
            .find(|v| v.name == version)?
            .in_force
    }

    /// `c` (in `from`'s numbering) in `to`'s numbering: none when the provision has no
    /// counterpart (a deleted paragraph), several when it was split. Each result carries
    /// `to` as its version. Versions are chained through the alignment files.
    pub fn translate(&self, c: &Citation, from: &str, to: &str) -> Vec<Citation> {
        let Some(law) = c.law.as_deref() else {
            return vec![c.clone()];
        };
        let mut current = vec![Citation {
            version: None,
            ..c.clone()
        }];
        for (al, reversed) in self.path(law, from, to) {
            let mut next: Vec<Citation> = Vec::new();
            for c in &current {
                for p in &al.pairs {
                    if let Some(n) = Oriented::of(p, reversed).carry(c) {
                        if !next.contains(&n) {
                            next.push(n);
                        }
                    }
                }
            }
            current = next;
        }
        for c in &mut current {
            c.version = Some(to.to_string());
        }
        current
    }

    /// The alignment steps from one version to another (empty when they are the same or
    /// no chain joins them — then nothing translates; see [`Citer::translate`]).
    fn path(&self, law: &str, from: &str, to: &str) -> Vec<(&Alignment, bool)> {
        // Breadth-first over the (few) alignment files of one law.
        let mut frontier: Vec<(String, Vec<(&Alignment, bool)>)> = vec![(from.into(), vec![])];
        let mut seen = vec![from.to_string()];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for (at, steps) in frontier {
                if at == to {
                    return steps;
                }
                for a in self.alignments.iter().filter(|a| a.law == law) {
                    for (side, other, rev) in [(&a.from, &a.to, false), (&a.to, &a.from, true)] {
                        if *side == at && !seen.contains(other) {
                            seen.push(other.clone());
                            let mut s = steps.clone();
                            s.push((a, rev));
                            next.push((other.clone(), s));
                        }
                    }
                }
            }
            frontier = next;
        }
        Vec::new()
    }

    /// Whether `from` and `to` of `law` are joined by alignment data (or are the same).
    pub fn joined(&self, law: &str, from: &str, to: &str) -> bool {
        from == to || !self.path(law, from, to).is_empty()
    }

    /// `c`, written in its law's canonical numbering, as the version in force on `date`
    /// cites it. A citation of a law this build does not carry comes back unchanged.
    pub fn cite_at(&self, c: &Citation, date: Date) -> Vec<Citation> {
        let Some(law) = c.law.as_deref() else {
            return vec![c.clone()];
        };
        match (self.canonical(law), self.version_at(law, date)) {
            (Some(canon), Some(v)) => self.cite_in(c, canon, v),
            _ => vec![c.clone()],
        }
    }

    /// `c` (in `from`'s numbering) in version `to`; the same as [`Citer::translate`] except
    /// that a provision with no counterpart stays as it was, labelled with `from`, so no
    /// citation silently disappears from an output.
    pub fn cite_in(&self, c: &Citation, from: &str, to: &str) -> Vec<Citation> {
        let law = c.law.as_deref().unwrap_or_default();
        if from == to || !self.joined(law, from, to) {
            return vec![Citation {
                version: Some(from.to_string()),
                ..c.clone()
            }];
        }
        let out = self.translate(c, from, to);
        if out.is_empty() {
            vec![Citation {
                version: Some(from.to_string()),
                ..c.clone()
            }]
        } else {
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite(article: u32, paragraph: Option<u32>, item: Option<u32>) -> Citation {
        Citation {
            law: Some("csl".into()),
            article,
            suffix: None,
            paragraph,
            item,
            version: None,
        }
    }

    #[test]
    fn deleted_paragraph_has_no_counterpart_and_split_items_follow_their_article() {
        let c = Citer::embedded().expect("embedded data");
        assert!(c
            .translate(&cite(18, Some(2), None), "final", "amended-2025")
            .is_empty());
        let moved = c.translate(&cite(69, None, Some(3)), "final", "amended-2025");
        assert_eq!(moved.len(), 1);
        assert_eq!((moved[0].article, moved[0].item), (70, Some(2)));
        let back = c.translate(&cite(70, Some(1), Some(2)), "amended-2025", "final");
        assert_eq!((back[0].article, back[0].item), (69, Some(3)));
    }
}
