//! Which text's fines apply: the version in force on the day of the conduct, unless a
//! later version in force when the case is judged is lighter (从旧兼从轻, 立法法
//! 第一百零四条). Decision 0510.
//!
//! The day of the conduct is the day a duty became overdue (the day after its deadline),
//! the first recorded breach of a prohibition, or — for a duty that is only due — the day
//! it would become overdue; a duty with no deadline is judged on the evaluation date.

use jiff::civil::Date;

use crate::catalog::Catalog;
use crate::engine::{Due, DutyStatus};
use crate::penalty::{Penalty, Resolved};
use crate::profile::date_of;
use dengbao_types::Text;

/// How the applicable text was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The law has one text for this conduct.
    Only,
    /// The version in force on the day of the conduct (a later one than the canonical).
    InForce { version: String, since: Date },
    /// The conduct predates a later version that is not lighter: the old text applies.
    Older { newer: String, since: Date },
    /// The conduct predates a later version that is lighter: the later text applies.
    Lighter { newer: String, since: Date },
}

impl Choice {
    /// The reasoning as a sentence in each language, or `None` when there is no choice.
    /// `applied` is the fine source chosen, `other` the one set aside.
    pub fn explain(&self, conduct: Date, applied: &Penalty, other: &Penalty) -> Option<Text> {
        let (old, new) = match self {
            Choice::Older { .. } => (applied, other),
            _ => (other, applied),
        };
        let (o, n) = (cite_zh(old), cite_zh(new));
        let (oe, ne) = (cite_en(old), cite_en(new));
        Some(match self {
            Choice::Only => return None,
            Choice::InForce { since, .. } => Text::new(
                format!("违法行为发生于 {conduct}（逾期之日），在 {since} 施行的修正文本生效之后：适用{n}"),
                format!("the conduct ({conduct}, the day the duty became overdue) falls after the amended text took effect on {since}: {ne} applies"),
            ),
            Choice::Older { since, .. } => Text::new(
                format!(
                    "违法行为发生于 {conduct}，早于修正文本施行日 {since}：依照《立法法》第一百零四条从旧，\
                     修正后的{n}不轻于{o}，适用{o}"
                ),
                format!(
                    "the conduct ({conduct}) predates the amended text ({since}), which is not \
                     lighter: the old {oe} applies (Legislation Law art. 104)"
                ),
            ),
            Choice::Lighter { since, .. } => Text::new(
                format!(
                    "违法行为发生于 {conduct}，早于修正文本施行日 {since}，但修正后的{n}较轻：依照\
                     《立法法》第一百零四条从轻，适用{n}"
                ),
                format!(
                    "the conduct ({conduct}) predates the amended text ({since}), which is \
                     lighter: {ne} applies (Legislation Law art. 104)"
                ),
            ),
        })
    }
}

/// Cybersecurity Law (2016) art. 59(1).
fn cite_en(p: &Penalty) -> String {
    let era = match p.version.as_deref() {
        Some("amended-2025") => " (as amended in 2025)",
        _ if p.law == "csl" => " (2016)",
        _ => "",
    };
    let mut s = format!(
        "{}{era} art. {}",
        crate::basis::law_title_en(&p.law),
        p.article
    );
    if let Some(k) = p.paragraph {
        s.push_str(&format!("({k})"));
    }
    s
}

/// 《网络安全法》（修正前）第五十九条第一款.
fn cite_zh(p: &Penalty) -> String {
    let law = crate::basis::law_title_zh(&p.law);
    let era = match p.version.as_deref() {
        Some("amended-2025") => "（2025年修正）",
        _ if p.law == "csl" => "（2016年）",
        _ => "",
    };
    let mut s = format!(
        "{law}{era}第{}条",
        dengbao_corpus::numerals::to_chinese(p.article)
    );
    if let Some(k) = p.paragraph {
        s.push_str(&format!("第{}款", dengbao_corpus::numerals::to_chinese(k)));
    }
    s
}

/// The day of the conduct for this status (see the module docs).
pub fn conduct_date(s: &DutyStatus) -> Date {
    if let Some(b) = s.breaches.first() {
        return b.when.date();
    }
    match s.due {
        Some(Due::Date(d)) => d.tomorrow().unwrap_or(d),
        Some(Due::Time(t)) => date_of(t),
        None => s.on,
    }
}

/// `id` is a provision a later version added (`added`) that was not yet in force on
/// `conduct` (立法法 第一百零四条: no retroactivity).
pub fn not_yet_in_force(catalog: &Catalog, id: &str, conduct: Date) -> bool {
    let Some(p) = catalog.penalty(id).filter(|p| p.added) else {
        return false;
    };
    let since = p
        .version
        .as_deref()
        .and_then(|v| crate::cited::citer()?.in_force(&p.law, v));
    since.is_none_or(|d| conduct < d)
}

/// The provision in force for `id`'s conduct on `date`, when a later version takes it over.
fn successor<'c>(catalog: &'c Catalog, id: &str, date: Date) -> Option<&'c Penalty> {
    let citer = crate::cited::citer()?;
    catalog.penalties().find(|p| {
        p.succeeds.iter().any(|s| s == id)
            && p.version
                .as_deref()
                .is_some_and(|v| citer.in_force(&p.law, v).is_some_and(|f| f <= date))
    })
}

/// Lighter: no range of `new` above `old`'s (a fine `old` does not have counts as above),
/// at least one below, and `new` fines under this law at all (a provision that sends the
/// case to another law is not compared: the old text stays).
fn lighter(new: &Penalty, old: &Penalty) -> bool {
    if new.elsewhere.is_some() || new.org_fine_multiple.is_some() {
        return false;
    }
    let pairs = [
        (new.org_fine, old.org_range()),
        (new.person_fine, old.person_fine),
        (new.first_fine, old.first_fine),
    ];
    let mut strictly = false;
    for (n, o) in pairs {
        match (n, o) {
            (None, _) => {}
            (Some(_), None) => return false,
            (Some(n), Some(o)) => {
                if n[0] > o[0] || n[1] > o[1] {
                    return false;
                }
                strictly |= n[0] < o[0] || n[1] < o[1];
            }
        }
    }
    strictly || (old.first_fine.is_some() && new.first_fine.is_none())
}

/// The penalty chain for `id` as it applies to conduct on `conduct`, judged on `judged`,
/// how it was chosen, and the fine source set aside (if there was a choice).
pub fn resolve_on<'c>(
    catalog: &'c Catalog,
    id: &str,
    conduct: Date,
    judged: Date,
) -> Option<(Resolved<'c>, Choice, Option<&'c Penalty>)> {
    let base = catalog.chain_of(id)?;
    for (k, p) in base.iter().enumerate() {
        let swap = |next: &Penalty| -> Option<Resolved<'c>> {
            let mut chain = base[..k].to_vec();
            chain.extend(catalog.chain_of(&next.id)?);
            Resolved::of(chain)
        };
        let since = |next: &Penalty| {
            next.version
                .as_deref()
                .and_then(|v| crate::cited::citer()?.in_force(&next.law, v))
        };
        if let Some(next) = successor(catalog, &p.id, conduct) {
            let (r, d) = (swap(next)?, since(next)?);
            let version = next.version.clone().unwrap_or_default();
            let old = base.last().copied();
            return Some((r, Choice::InForce { version, since: d }, old));
        }
        if let Some(next) = successor(catalog, &p.id, judged.max(conduct)) {
            let old = Resolved::of(base.clone())?;
            let new = swap(next)?;
            let d = since(next)?;
            let newer = next.version.clone().unwrap_or_default();
            let (o, n) = (old.fine_source, new.fine_source);
            return Some(if lighter(n, o) {
                (new, Choice::Lighter { newer, since: d }, Some(o))
            } else {
                (old, Choice::Older { newer, since: d }, Some(n))
            });
        }
    }
    Some((Resolved::of(base)?, Choice::Only, None))
}
