//! The supervisors' statistics: networks by level and by their organisation's industry,
//! filings under review and certified, open rectification orders — over the organisations
//! in scope and, for a supervisor, only the networks it reaches (decision 0939) — and the
//! conclusion of each network's latest concluded assessment (decision 0813).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sqlx::Row;

use crate::error::Result;
use crate::{OrgScope, Store};

/// Networks by level and industry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Statistics {
    pub networks: u64,
    /// Level "1".."5", or "ungraded", → count.
    pub by_level: BTreeMap<String, u64>,
    pub by_industry: Vec<IndustryCount>,
    /// The conclusion of each network's latest concluded engagement — `conforms`,
    /// `basically_conforms`, `not_conforming`, or `not_assessed` when none — → count.
    pub by_conclusion: BTreeMap<String, u64>,
    /// Level (as in `by_level`) → conclusion (as in `by_conclusion`) → count.
    pub conclusions_by_level: BTreeMap<String, BTreeMap<String, u64>>,
    pub filings_under_review: u64,
    pub filings_certified: u64,
    pub open_rectification_orders: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IndustryCount {
    /// The organisation's industry, or "未填写" when not stated.
    pub industry: String,
    pub networks: u64,
    pub by_level: BTreeMap<String, u64>,
    /// Conclusion (as in [`Statistics::by_conclusion`]) → count.
    pub by_conclusion: BTreeMap<String, u64>,
}

/// The key of a network never concluded in an engagement.
pub const NOT_ASSESSED: &str = "not_assessed";

impl Store {
    /// Networks in `scope` by level and by their organisation's industry.
    /// `only`: the networks the caller reaches, when narrower than its organisations (a
    /// supervisor's filed networks, decision 0939).
    pub async fn statistics(
        &self,
        scope: &OrgScope,
        only: Option<&std::collections::HashSet<String>>,
    ) -> Result<Statistics> {
        let reached = |id: &String| only.is_none_or(|o| o.contains(id));
        let rows = sqlx::query(
            "SELECT n.id, n.org_id, n.level, o.industry FROM networks n \
             JOIN organisations o ON o.id = n.org_id WHERE n.deleted_at IS NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        let conclusions = self.latest_conclusions().await?;
        let mut stats = Statistics::default();
        let mut industries: BTreeMap<String, IndustryCount> = BTreeMap::new();
        for row in &rows {
            let org: String = row.try_get("org_id")?;
            let id: String = row.try_get("id")?;
            if !scope.allows(&org) || !reached(&id) {
                continue;
            }
            let level: Option<i64> = row.try_get("level")?;
            let level = level.map_or_else(|| "ungraded".to_string(), |l| l.to_string());
            let industry: Option<String> = row.try_get("industry")?;
            let industry = industry.unwrap_or_else(|| "未填写".to_string());
            let conclusion = conclusions
                .get(&id)
                .map_or(NOT_ASSESSED, |(_, c)| c.as_str())
                .to_string();
            stats.networks += 1;
            *stats.by_level.entry(level.clone()).or_default() += 1;
            *stats.by_conclusion.entry(conclusion.clone()).or_default() += 1;
            *stats
                .conclusions_by_level
                .entry(level.clone())
                .or_default()
                .entry(conclusion.clone())
                .or_default() += 1;
            let e = industries
                .entry(industry.clone())
                .or_insert_with(|| IndustryCount {
                    industry,
                    ..Default::default()
                });
            e.networks += 1;
            *e.by_level.entry(level).or_default() += 1;
            *e.by_conclusion.entry(conclusion).or_default() += 1;
        }
        stats.by_industry = industries.into_values().collect();
        stats.by_industry.sort_by(|a, b| {
            b.networks
                .cmp(&a.networks)
                .then(a.industry.cmp(&b.industry))
        });
        let filings = sqlx::query("SELECT network_id, org_id, state FROM filings")
            .fetch_all(&self.pool)
            .await?;
        for row in &filings {
            let org: String = row.try_get("org_id")?;
            let network: String = row.try_get("network_id")?;
            if scope.allows(&org) && reached(&network) {
                match row.try_get::<String, _>("state")?.as_str() {
                    "submitted" => stats.filings_under_review += 1,
                    "certified" => stats.filings_certified += 1,
                    _ => {}
                }
            }
        }
        stats.open_rectification_orders = self
            .open_orders(scope)
            .await?
            .iter()
            .filter(|o| reached(&o.network_id))
            .count() as u64;
        Ok(stats)
    }

    /// Per network, the conclusion of its latest concluded engagement: the latest
    /// `concluded_on`, the latest concluding on the same day (`updated_at`) breaking a tie.
    async fn latest_conclusions(&self) -> Result<HashMap<String, (String, String)>> {
        let rows = sqlx::query(
            "SELECT network_id, conclusion, concluded_on, updated_at FROM engagements \
             WHERE state = 'concluded' AND conclusion IS NOT NULL AND concluded_on IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<String, (String, String)> = HashMap::new();
        for row in &rows {
            let network: String = row.try_get("network_id")?;
            let on: String = row.try_get("concluded_on")?;
            let at: String = row.try_get("updated_at")?;
            let conclusion: String = row.try_get("conclusion")?;
            let when = format!("{on} {at}");
            if out.get(&network).is_none_or(|(w, _)| *w < when) {
                out.insert(network, (when, conclusion));
            }
        }
        Ok(out)
    }
}
