//! The catalog's citations as the law in force on a date numbers them (decision 0203).
//!
//! The catalog cites the Cybersecurity Law in its 2016 numbering; since 2026-01-01 the
//! amended text is in force and old 第二十一条 is 第二十三条. Each duty carries its
//! citations per period (one per in-force date of the laws it cites), computed once when
//! the catalog loads, so an evaluation only picks the period of its date.

use std::sync::{Arc, OnceLock};

use dengbao_corpus::Citer;
use dengbao_types::Citation;
use jiff::civil::Date;

static CITER: OnceLock<Option<Citer>> = OnceLock::new();

/// The versions and alignments shipped in the binary; `None` only if that embedded data
/// is broken, which the corpus tests rule out — then citations stay as the catalog has
/// them (the canonical numbering), labelled with no version.
pub fn citer() -> Option<&'static Citer> {
    CITER.get_or_init(|| Citer::embedded().ok()).as_ref()
}

/// One list of citations, per period.
#[derive(Debug, Clone, Default)]
pub struct Dated {
    /// From each date on (the first from the beginning of time), the citations.
    periods: Vec<(Option<Date>, Arc<[Citation]>)>,
}

impl Dated {
    /// `cites`, written in each law's canonical numbering.
    pub fn new(cites: &[Citation]) -> Dated {
        let Some(c) = citer() else {
            return Dated {
                periods: vec![(None, cites.into())],
            };
        };
        let mut dates: Vec<Date> = cites
            .iter()
            .filter_map(|x| x.law.as_deref())
            .flat_map(|law| {
                c.versions(law)
                    .into_iter()
                    .filter_map(move |v| c.in_force(law, v))
            })
            .collect();
        dates.sort();
        dates.dedup();
        let at = |d: Date| -> Arc<[Citation]> {
            let mut out: Vec<Citation> = Vec::new();
            for x in cites {
                for y in c.cite_at(x, d) {
                    if !out.contains(&y) {
                        out.push(y);
                    }
                }
            }
            out.into()
        };
        let mut periods = vec![(None, at(Date::MIN))];
        for d in dates {
            let cited = at(d);
            if periods.last().is_some_and(|(_, p)| *p != cited) {
                periods.push((Some(d), cited));
            }
        }
        Dated { periods }
    }

    /// The citations as the law in force on `date` numbers them.
    pub fn at(&self, date: Date) -> Arc<[Citation]> {
        self.periods
            .iter()
            .rev()
            .find(|(from, _)| from.is_none_or(|f| f <= date))
            .map(|(_, c)| Arc::clone(c))
            .unwrap_or_else(|| Arc::from(Vec::new()))
    }
}

/// `cites` (each law's canonical numbering) in `version` of `law`, the others as on `date`
/// (`--law-version`).
pub fn in_version(cites: &[Citation], law: &str, version: &str, date: Date) -> Vec<Citation> {
    let Some(c) = citer() else {
        return cites.to_vec();
    };
    let mut out: Vec<Citation> = Vec::new();
    for x in cites {
        let these = match (x.law.as_deref(), c.canonical(law)) {
            (Some(l), Some(canon)) if l == law => c.cite_in(x, canon, version),
            _ => c.cite_at(x, date),
        };
        for y in these {
            if !out.contains(&y) {
                out.push(y);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mlps_duty_of_the_csl_is_renumbered_from_2026() {
        let d = Dated::new(&[Citation::article("csl", 21).with_item(3)]);
        let before = d.at(Date::constant(2025, 12, 31));
        let after = d.at(Date::constant(2026, 1, 1));
        assert_eq!(
            (before[0].article, before[0].version.as_deref()),
            (21, Some("final"))
        );
        assert_eq!((after[0].article, after[0].item), (23, Some(3)));
        assert_eq!(after[0].version.as_deref(), Some("amended-2025"));
    }
}
