//! The 2017 law-popularisation work plan (2017年全国普法依法治理工作要点, seed 001) as a
//! checklist (issue 15, decision 1506): its 13 numbered points, read from the reviewed file
//! `data/law/commentary/work-plan.toml` (each point's text is checked against the seed by the
//! corpus's tests), for an organisation to record each as a task with its evidence.

use serde::{Deserialize, Serialize};

const WORK_PLAN_TOML: &str = include_str!("../../../data/law/commentary/work-plan.toml");

/// One point of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    /// `001-wp-04`.
    pub id: String,
    /// The point's number in the plan (1–13).
    #[serde(default)]
    pub number: u32,
    /// Its heading sentence, as the seed writes it.
    pub title: String,
    /// The whole point.
    pub text: String,
    /// Articles of the CSL (2016 numbering) and of the MLPS regulation it relates to.
    pub csl: Vec<u32>,
    pub mlps: Vec<u32>,
    /// Its line in seed 001.
    pub line: u32,
}

#[derive(Deserialize)]
struct File {
    item: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    id: String,
    line: u32,
    title: String,
    text: String,
    csl: Vec<u32>,
    mlps: Vec<u32>,
}

/// The plan's points in order, or why the shipped file does not read.
pub fn points() -> Result<Vec<Point>, String> {
    let f: File = toml::from_str(WORK_PLAN_TOML)
        .map_err(|e| format!("data/law/commentary/work-plan.toml: {e}"))?;
    f.item
        .into_iter()
        .map(|i| {
            let number =
                i.id.rsplit('-')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| format!("work-plan.toml: id {:?} has no point number", i.id))?;
            Ok(Point {
                id: i.id,
                number,
                title: i.title,
                text: i.text,
                csl: i.csl,
                mlps: i.mlps,
                line: i.line,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_plan_has_its_thirteen_points_in_order() {
        let p = super::points().unwrap();
        assert_eq!(p.len(), 13);
        for (n, x) in p.iter().enumerate() {
            assert_eq!(x.number as usize, n + 1, "{}", x.id);
            // The heading is the seed's numbered sentence and opens the point's text.
            let head = x.title.split_once(". ").map(|(_, h)| h).unwrap_or(&x.title);
            assert!(x.text.starts_with(head), "{}: {head}", x.id);
        }
    }
}
