//! The log store's checkpoint heads and verify results kept in the database on both engines
//! (issue 14, decision 0926): the newest head is what a wiped log directory is compared
//! with, a checkpoint already kept is never overwritten by a rewritten chain, an operator's
//! reset removes only the heads above the chain kept, and the last verify is the newest.

use dengbao_store::log_heads::{LogHead, LogVerification};
use dengbao_store::Store;

use dengbao_store::on_both;

fn head(seq: u64, sig: &str, tree_size: u64) -> LogHead {
    LogHead {
        seq,
        sig: sig.to_string(),
        tree_size,
        time: format!("2026-03-0{}T08:00:00Z", seq + 1),
        mac: format!("mac-of-{sig}"),
    }
}

on_both!(
    the_newest_head_is_kept_and_never_rewritten,
    |store: Store| async move {
        assert_eq!(store.latest_log_head().await.unwrap(), None);
        for (seq, sig, size) in [(0, "a0", 6), (1, "b1", 17), (2, "c2", 31)] {
            store.record_log_head(&head(seq, sig, size)).await.unwrap();
        }
        assert_eq!(
            store.latest_log_head().await.unwrap(),
            Some(head(2, "c2", 31))
        );
        // A chain cut back and written on again offers another checkpoint #2: the database
        // keeps the one it saw first, so verify still finds the rewrite.
        store.record_log_head(&head(2, "forged", 40)).await.unwrap();
        assert_eq!(
            store.latest_log_head().await.unwrap(),
            Some(head(2, "c2", 31))
        );
        // An operator's reset keeps the heads through the chain as it is.
        assert_eq!(store.reset_log_heads(Some(1)).await.unwrap(), 1);
        assert_eq!(
            store.latest_log_head().await.unwrap(),
            Some(head(1, "b1", 17))
        );
        assert_eq!(store.reset_log_heads(None).await.unwrap(), 2);
        assert_eq!(store.latest_log_head().await.unwrap(), None);
    }
);

on_both!(
    the_last_verification_is_the_newest,
    |store: Store| async move {
        assert_eq!(store.last_log_verification().await.unwrap(), None);
        let ok = LogVerification {
            verified_at: "2026-03-01T02:00:00Z".into(),
            ok: true,
            checkpoints: 3,
            head_seq: Some(2),
            tree_size: 31,
            problems: 0,
            first_problem: None,
        };
        let failed = LogVerification {
            verified_at: "2026-03-02T02:00:00Z".into(),
            ok: false,
            checkpoints: 0,
            head_seq: None,
            tree_size: 0,
            problems: 1,
            first_problem: Some("检查点链被截断：缺少检查点 #0–#2".into()),
        };
        store.record_log_verification(&ok).await.unwrap();
        store.record_log_verification(&failed).await.unwrap();
        assert_eq!(store.last_log_verification().await.unwrap(), Some(failed));
    }
);
