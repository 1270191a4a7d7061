//! The supervisor's statistics of assessment conclusions (decision 0813): each network in
//! reach counted by the conclusion of its latest concluded assessment, as a chart and as a
//! table per level and per industry. The conclusions are shown by their names in the page's
//! language (the Chinese terms in zh), never by the API's keys.

use dengbao_store::statistics::{Statistics, NOT_ASSESSED};

use crate::ctx::Ctx;
use crate::svg::{bar_chart, Bar};

/// The API's conclusion keys, in the order a reader expects (best first, then never assessed).
pub const CONCLUSIONS: [&str; 4] = [
    "conforms",
    "basically_conforms",
    "not_conforming",
    NOT_ASSESSED,
];

/// One row of the table: a level or an industry and its count per conclusion.
pub struct ConclusionRow {
    pub label: String,
    pub counts: Vec<u64>,
}

/// The conclusions' names, in `CONCLUSIONS` order.
pub fn headings(c: &Ctx) -> Vec<String> {
    CONCLUSIONS.iter().map(|k| name(c, k)).collect()
}

fn name(c: &Ctx, key: &str) -> String {
    if key == NOT_ASSESSED {
        c.t.s("supervisor.not_assessed").to_string()
    } else {
        c.t.s(&format!("assessor.conclusion.{key}")).to_string()
    }
}

fn counts(of: Option<&std::collections::BTreeMap<String, u64>>) -> Vec<u64> {
    CONCLUSIONS
        .iter()
        .map(|k| of.and_then(|m| m.get(*k)).copied().unwrap_or(0))
        .collect()
}

/// The chart of networks by conclusion.
pub fn chart(c: &Ctx, stats: &Statistics) -> String {
    let bars: Vec<Bar> = CONCLUSIONS
        .iter()
        .map(|k| Bar {
            label: name(c, k),
            value: stats.by_conclusion.get(*k).copied().unwrap_or(0),
            class: if *k == NOT_ASSESSED {
                "bar-none"
            } else {
                "bar-level"
            },
        })
        .collect();
    bar_chart("chart-conclusion", c.t.s("supervisor.by_conclusion"), &bars)
}

/// The rows per level (those with networks), then per industry.
pub fn rows(c: &Ctx, stats: &Statistics) -> (Vec<ConclusionRow>, Vec<ConclusionRow>) {
    let levels = ["1", "2", "3", "4", "5", "ungraded"]
        .iter()
        .filter_map(|l| {
            let of = stats.conclusions_by_level.get(*l)?;
            let label = if *l == "ungraded" {
                "level.none".to_string()
            } else {
                format!("level.{l}")
            };
            Some(ConclusionRow {
                label: c.t.s(&label).to_string(),
                counts: counts(Some(of)),
            })
        })
        .collect();
    let industries = stats
        .by_industry
        .iter()
        .map(|i| ConclusionRow {
            label: if i.industry == "未填写" {
                c.t.s("supervisor.no_industry").to_string()
            } else {
                i.industry.clone()
            },
            counts: counts(Some(&i.by_conclusion)),
        })
        .collect();
    (levels, industries)
}
