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

on_both!(
    the_verify_history_keeps_failures_the_last_week_and_one_a_day,
    |store: Store| async move {
        // `serve` verifies every ten minutes: 20 days of that, one failure on the third day.
        let start: jiff::Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
        let mut last = None;
        for i in 0..(20 * 24 * 6) {
            let at = start + jiff::SignedDuration::from_mins(10 * i);
            let failed = i == 2 * 24 * 6 + 5;
            let v = LogVerification {
                verified_at: at.to_string(),
                ok: !failed,
                checkpoints: 3,
                head_seq: Some(2),
                tree_size: 31,
                problems: u64::from(failed),
                first_problem: failed.then(|| "检查点链被截断：缺少检查点 #2".to_string()),
            };
            store.record_log_verification(&v).await.unwrap();
            last = Some(v);
        }
        let kept = store.log_verification_history().await.unwrap();
        assert_eq!(kept.first(), last.as_ref());
        // The failure on 2026-03-03 is kept.
        assert_eq!(kept.iter().filter(|v| !v.ok).count(), 1);
        // The last seven days (from the newest, 2026-03-20T23:50Z) whole: 7 × 144 rows,
        // plus the first verify of each of the 13 days before; nothing else.
        let whole = kept
            .iter()
            .filter(|v| v.verified_at.as_str() >= "2026-03-13T23:50:00Z")
            .count();
        assert_eq!(whole, 7 * 144 + 1);
        let older: Vec<&str> = kept
            .iter()
            .filter(|v| v.ok && v.verified_at.as_str() < "2026-03-13T23:50:00Z")
            .map(|v| v.verified_at.as_str())
            .collect();
        assert_eq!(older.len(), 13, "{older:?}");
        assert!(older.iter().all(|t| t.ends_with("T00:00:00Z")), "{older:?}");
    }
);
