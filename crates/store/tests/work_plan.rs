//! The 2017 work plan's checklist on both engines (decision 1506): a point's record is
//! replaced on update with one audit entry each time; `done` without evidence is refused
//! naming the field and changes nothing; another organisation's year holds nothing.

use dengbao_store::orgs::NewOrganisation;
use dengbao_store::{on_both, Store, WorkPlanStatus, WorkPlanTaskInput};

fn input(status: WorkPlanStatus, evidence: &str) -> WorkPlanTaskInput {
    WorkPlanTaskInput {
        status,
        owner: "法制科 张敏".into(),
        note: "结合国家网络安全宣传周开展".into(),
        evidence: evidence.into(),
    }
}

on_both!(
    a_work_plan_point_is_recorded_and_audited,
    |store: Store| async move {
        let mut orgs = Vec::new();
        for name in ["市人社局", "市卫健委"] {
            orgs.push(
                store
                    .create_org("cli", NewOrganisation { name: name.into() })
                    .await
                    .unwrap()
                    .id,
            );
        }
        let (a, b) = (&orgs[0], &orgs[1]);
        assert!(store.work_plan(a, 2026).await.unwrap().is_empty());
        let before = store.audit_entries(0, 1000).await.unwrap().len();
        store
            .set_work_plan_task(
                "op",
                a,
                2026,
                "001-wp-04",
                &input(WorkPlanStatus::InProgress, ""),
            )
            .await
            .unwrap();
        store
            .set_work_plan_task(
                "op",
                a,
                2026,
                "001-wp-04",
                &input(WorkPlanStatus::Done, "2026年学法用法培训签到表.pdf"),
            )
            .await
            .unwrap();
        let err = store
            .set_work_plan_task(
                "op",
                a,
                2026,
                "001-wp-05",
                &input(WorkPlanStatus::Done, " "),
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("evidence"), "{err}");
        let tasks = store.work_plan(a, 2026).await.unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].point, "001-wp-04");
        assert_eq!(tasks[0].status, WorkPlanStatus::Done);
        assert_eq!(tasks[0].evidence, "2026年学法用法培训签到表.pdf");
        let entries = store.audit_entries(0, 1000).await.unwrap();
        let new: Vec<_> = entries[before..]
            .iter()
            .filter(|e| e.action == "workplan.update")
            .collect();
        assert_eq!(new.len(), 2);
        assert!(store.work_plan(b, 2026).await.unwrap().is_empty());
        assert!(store.work_plan(a, 2025).await.unwrap().is_empty());
        assert!(store.work_plan(a, 1999).await.is_err());
    }
);
