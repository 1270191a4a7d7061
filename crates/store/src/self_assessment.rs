//! The operator's own 自查 (decision 0412, "自查 and evidence"): the same per-item results
//! as the assessor's, recorded by the operator's side in one self-assessment per network.
//! It has no engagement, so nothing that reads the assessor's results (the engagement, its
//! conclusion, the duties an assessment meets, rectification tasks) ever sees it: it only
//! predicts what the next assessment may find.

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::item_results::{
    audited, check_results, insert_results, latest_of, result_of_row, ItemResult, ItemResultInput,
};
use crate::Store;

impl Store {
    /// Records `results` in the network's self-assessment, in one transaction with one
    /// audit entry (`assessment.self_items`).
    pub async fn record_self_item_results(
        &self,
        actor: &str,
        network_id: &str,
        results: Vec<ItemResultInput>,
    ) -> Result<()> {
        let rows = check_results(results)?;
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let mut w = WriteTx::begin(self).await?;
        insert_results(&mut w, None, network_id, actor, &rows).await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "assessment.self_items".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({ "items": audited(&rows) }),
        })
        .await?;
        Ok(())
    }

    /// The latest self-assessed result of each item, with its linked evidence as it stands.
    pub async fn self_item_results(&self, network_id: &str) -> Result<Vec<ItemResult>> {
        let evidence = self.list_evidence(network_id).await?;
        let rows = self.self_rows(network_id).await?;
        let all = rows
            .iter()
            .map(|r| result_of_row(r, Some(&evidence)))
            .collect::<Result<Vec<_>>>()?;
        Ok(latest_of(all))
    }

    /// Every recording of the network's self-assessment, oldest first.
    pub async fn self_item_result_history(&self, network_id: &str) -> Result<Vec<ItemResult>> {
        let rows = self.self_rows(network_id).await?;
        rows.iter().map(|r| result_of_row(r, None)).collect()
    }

    async fn self_rows(&self, network_id: &str) -> Result<Vec<sqlx::any::AnyRow>> {
        Ok(sqlx::query(
            "SELECT item_id, result, reason, risk, major_hazard, note, evidence, recorded_by, \
             recorded_at FROM self_item_results WHERE network_id = $1 ORDER BY recorded_at, id",
        )
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
