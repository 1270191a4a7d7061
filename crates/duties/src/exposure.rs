//! Penalty exposure: what the unmet duties of a network can cost, by the statutory ranges.
//!
//! Rules (docs/decisions/0501-exposure-totals.md, 0502-aggravation.md):
//! - an item per operator duty that is `overdue`, `breached` or `due` and has a penalty
//!   provision: a prohibition counts only once a breach is recorded, another party's duty
//!   (`expected`, `chase`) never, a duty whose condition does not hold never;
//! - the fine comes from the end of the provision's `refers_to` chain (条例 第六十三条 →
//!   网络安全法 第五十九条第一款); 从重 (`aggravated`) never changes the range;
//! - each item carries that whole chain as its `basis` (decision 0902), and the sentence
//!   a reader expects: 依据……第六十三条第二款、第一款，依照《网络安全法》第五十九条第一款从重处罚;
//! - totals count each fine-source provision once (one violation of one provision is fined
//!   once); `org_fine_total` counts overdue items only, `org_fine_total_if_due_missed`
//!   adds the items that are due but not yet late;
//! - a government network (`network.government`) answers under 网络安全法 第七十二条: no
//!   fine on the organisation.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Catalog, Party};
use crate::engine::{DutyStatus, Status};
use crate::penalty::{Multiple, PenaltyRef};
use crate::profile::Profile;
use dengbao_types::Text;

/// One unmet duty and what it can cost.
#[derive(Debug, Clone, Serialize)]
pub struct ExposureItem {
    pub duty: String,
    pub status: Status,
    /// The provision the duty's breach falls under.
    pub penalty: PenaltyRef,
    /// The provision whose fines apply (after "依照……的规定处罚").
    pub fine_source: PenaltyRef,
    /// The legal basis, in order: the provision the duty breaks, every provision it refers
    /// to, and last the one that sets the range (网络安全法 第七十二条 for a government
    /// network, which replaces the fine).
    pub basis: Vec<PenaltyRef>,
    /// The basis as one Chinese sentence, 从重 included.
    pub basis_text: String,
    /// The same in English.
    pub basis_text_en: String,
    /// Fine on the organisation, yuan: the statutory range.
    pub org_fine: [u64; 2],
    /// Fine on the directly responsible persons, yuan.
    pub person_fine: [u64; 2],
    /// A fine in multiples of an amount the profile does not know (违法所得, 采购金额).
    pub org_fine_multiple: Option<Multiple>,
    pub measures: Vec<String>,
    /// 从重处罚 (条例 第六十三条第二款): the figure is set high within the same range.
    pub aggravated: bool,
    /// When the fine applies (拒不改正或者……).
    pub condition: Option<String>,
    /// The day of the conduct the fine is judged by (decision 0510).
    pub conduct_date: jiff::civil::Date,
    /// The version of the law whose fines apply (`final`, `amended-2025`).
    pub law_version: Option<String>,
    /// Why that version (从旧兼从轻), when the law changed around the conduct.
    pub law_choice: Option<Text>,
    /// A fine the organisation may be given at once, before any refusal (可以处…).
    pub first_fine: Option<[u64; 2]>,
    /// Fines for serious consequences, as the text states them (never counted).
    pub serious: Option<String>,
    /// The conduct is punished under another law, named here; no fine counted.
    pub elsewhere: Option<String>,
    pub notes: Vec<Text>,
    /// Whether this item's fine is counted in the totals (the first item of its provision).
    pub counted: bool,
}

/// The exposure of one network.
#[derive(Debug, Clone, Serialize)]
pub struct Exposure {
    pub items: Vec<ExposureItem>,
    /// Sum over distinct fine-source provisions of overdue duties and breached prohibitions, yuan.
    pub org_fine_total: [u64; 2],
    pub person_fine_total: [u64; 2],
    /// The same, counting duties that are due but not late as if missed.
    pub org_fine_total_if_due_missed: [u64; 2],
    /// Duties whose status is unknown: the exposure may be larger.
    pub unknown: Vec<String>,
    pub notes: Vec<Text>,
}

const AGGRAVATED_NOTE_ZH: &str =
    "从重处罚：在法定罚款幅度内取较重的数额，不突破幅度（条例第六十三条第二款）";
const AGGRAVATED_NOTE_EN: &str =
    "aggravated: the fine is set toward the top of the same statutory range, which does not \
     change (MLPS Regulation art. 63(2))";

/// The exposure of the unmet duties in `statuses` (from [`evaluate`](crate::evaluate)).
pub fn exposure(profile: &Profile, catalog: &Catalog, statuses: &[DutyStatus]) -> Exposure {
    let government = profile.network.government;
    let gov = catalog.penalty("csl.72");
    let mut items = Vec::new();
    let mut unknown = Vec::new();
    // fine source id → the items fined under it
    let mut seen: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // the act each item's breach is (its duty, or the duty it is the same act as)
    let mut acts: Vec<String> = Vec::new();
    let mut total = [0u64; 2];
    let mut person_total = [0u64; 2];
    let mut if_missed = [0u64; 2];
    for s in statuses {
        let duty = &s.duty;
        if duty.party != Party::Operator {
            continue;
        }
        if s.status == Status::Unknown {
            unknown.push(s.duty.id.clone());
            continue;
        }
        if !matches!(s.status, Status::Due | Status::Overdue | Status::Breached) {
            continue;
        }
        let Some(pid) = s.penalty() else {
            continue;
        };
        let conduct = crate::by_date::conduct_date(s);
        if crate::by_date::not_yet_in_force(catalog, pid, conduct) {
            // A provision the amendment added does not reach earlier conduct.
            continue;
        }
        let Some((r, choice, other)) = crate::by_date::resolve_on(catalog, pid, conduct, s.on)
        else {
            continue;
        };
        let src = r.fine_source;
        let mut basis = r.basis();
        let mut punished = true;
        let mut notes: Vec<Text> = r.notes.iter().map(|n| Text::from_joined(n)).collect();
        let law_choice = other.and_then(|o| choice.explain(conduct, src, o));
        if let Some(t) = &law_choice {
            notes.push(t.clone());
        }
        if let Some(law) = &src.elsewhere {
            notes.push(Text::new(
                format!("该行为依照{law}处理、处罚，罚款不在本工具的计算范围"),
                format!("punished under another law ({law}); no fine counted here"),
            ));
        }
        if r.aggravated {
            notes.push(Text::new(AGGRAVATED_NOTE_ZH, AGGRAVATED_NOTE_EN));
        }
        let mut measures = r.measures.clone();
        let (mut org, mut person, mut multiple) = (
            src.org_range().unwrap_or([0, 0]),
            src.person_fine.unwrap_or([0, 0]),
            src.org_fine_multiple.clone(),
        );
        if let Some(m) = &multiple {
            let fallback = match src.org_fine_if_no_income {
                Some([_, hi]) => format!("；没有违法所得的，处{}元以下罚款", hi),
                None => "（金额未知，未计入合计）".to_string(),
            };
            measures.push(format!(
                "处{}{}倍以上{}倍以下罚款{fallback}",
                m.basis, m.min, m.max
            ));
        }
        let key = match (government, src.law.as_str(), gov) {
            (true, "csl", Some(g)) => {
                org = [0, 0];
                person = [0, 0];
                multiple = None;
                measures = g.measures.clone();
                basis.push(in_version(g.reference(), src.version.as_deref()));
                punished = false;
                let g_ref = in_version(g.reference(), src.version.as_deref());
                notes.push(Text::new(
                    format!(
                        "国家机关政务网络：由上级机关或者有关机关责令改正，对责任人员依法给予处分，不处罚款（《网络安全法》第{}条）",
                        crate::basis::to_chinese(g_ref.article)
                    ),
                    format!(
                        "a government network: no fine; correction and discipline instead (Cybersecurity Law art. {})",
                        g_ref.article
                    ),
                ));
                g.id.clone()
            }
            // Versions of one provision (2016 第五十九条第一款, 2025 第六十一条第一款) are one
            // provision for the count; its highest range is counted (decision 0510).
            _ => catalog
                .resolve(pid)
                .map(|c| c.fine_source.id.clone())
                .unwrap_or_else(|| src.id.clone()),
        };
        seen.entry(key).or_default().push(items.len());
        acts.push(s.duty.same_act.clone().unwrap_or_else(|| s.duty.id.clone()));
        let basis_text = crate::basis::basis_zh(&basis, r.aggravated, punished);
        let basis_text_en = crate::basis::basis_en(&basis, r.aggravated, punished);
        items.push(ExposureItem {
            duty: s.duty.id.clone(),
            status: s.status,
            penalty: r.provision.reference(),
            fine_source: src.reference(),
            basis,
            basis_text,
            basis_text_en,
            org_fine: org,
            person_fine: person,
            org_fine_multiple: multiple,
            measures,
            aggravated: r.aggravated,
            condition: r.condition.clone(),
            conduct_date: conduct,
            law_version: src.reference().version,
            law_choice,
            first_fine: src.first_fine,
            serious: src.serious.clone(),
            elsewhere: src.elsewhere.clone(),
            notes,
            counted: false,
        });
    }
    // One act, one fine (行政处罚法 第二十九条): where two duties are the same act, only the
    // one with the higher range can be counted.
    let mut suppressed = vec![false; items.len()];
    for (k, act) in acts.iter().enumerate() {
        let higher = acts.iter().enumerate().any(|(j, other)| {
            j != k
                && other == act
                && (items[j].org_fine[1], std::cmp::Reverse(j))
                    > (items[k].org_fine[1], std::cmp::Reverse(k))
        });
        if higher {
            suppressed[k] = true;
            items[k].notes.push(Text::new(
                "与另一义务的违反为同一违法行为，按罚款数额高的规定处罚，不重复计入（《行政处罚法》第二十九条）",
                "the same act as another duty's breach: fined once, under the higher range, and \
                 not counted twice (Administrative Penalty Law art. 29)",
            ));
        }
    }
    // Each provision once: the highest range among its failures goes into the total (its
    // item is `counted`); among all its items, into the total if due duties are missed.
    for idx in seen.values() {
        let idx: Vec<usize> = idx.iter().copied().filter(|k| !suppressed[*k]).collect();
        let highest = |items: &[ExposureItem], only_failures: bool| {
            idx.iter()
                .copied()
                .filter(|&k| !only_failures || items[k].status.is_operator_failure())
                .max_by_key(|&k| (items[k].org_fine[1], std::cmp::Reverse(k)))
        };
        let (failure, any) = (highest(&items, true), highest(&items, false));
        if let Some(k) = failure {
            add(&mut total, items[k].org_fine);
            add(&mut person_total, items[k].person_fine);
        }
        if let Some(k) = failure.or(any) {
            items[k].counted = true;
        }
        if let Some(k) = any {
            add(&mut if_missed, items[k].org_fine);
        }
    }
    let unresolved: Vec<&str> = statuses
        .iter()
        .filter(|s| matches!(s.status, Status::Due | Status::Overdue))
        .filter(|s| s.duty.penalty_unresolved.is_some())
        .map(|s| s.duty.id.as_str())
        .collect();
    let mut notes = vec![Text::new(
        "罚款为法定幅度；同一罚款条款只计一次（《行政处罚法》：同一违法行为不得给予两次以上罚款）",
        "ranges are statutory; each fining provision is counted once (Administrative Penalty \
         Law: one act is not fined twice)",
    )];
    if !unresolved.is_empty() {
        notes.push(Text::new(
            format!(
                "罚则引用无法确定，待律师确认，未计入：{}",
                unresolved.join("、")
            ),
            format!(
                "penalty reference unresolved, for a lawyer; not counted: {}",
                unresolved.join(", ")
            ),
        ));
    }
    if !unknown.is_empty() {
        notes.push(Text::new(
            format!("{} 项义务无法判断，敞口可能更大", unknown.len()),
            format!(
                "{} duties are unknown; the exposure may be larger",
                unknown.len()
            ),
        ));
    }
    Exposure {
        items,
        org_fine_total: total,
        person_fine_total: person_total,
        org_fine_total_if_due_missed: if_missed,
        unknown,
        notes,
    }
}

fn add(acc: &mut [u64; 2], r: [u64; 2]) {
    acc[0] = acc[0].saturating_add(r[0]);
    acc[1] = acc[1].saturating_add(r[1]);
}

/// A canonical-numbering reference as `version` numbers it (网络安全法 第七十二条 is
/// 第七十四条 in the amended text).
fn in_version(r: PenaltyRef, version: Option<&str>) -> PenaltyRef {
    let (Some(v), Some(c)) = (version, crate::cited::citer()) else {
        return r;
    };
    let Some(canon) = c.canonical(&r.law) else {
        return r;
    };
    let mut cite = dengbao_types::Citation::article(&r.law, r.article);
    cite.paragraph = r.paragraph;
    match c.translate(&cite, canon, v).first() {
        Some(t) => PenaltyRef {
            law: r.law,
            article: t.article,
            paragraph: t.paragraph,
            version: Some(v.to_string()),
        },
        None => r,
    }
}
