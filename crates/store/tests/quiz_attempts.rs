//! Quiz attempts on both engines (decision 1503): an attempt is stored with its questions,
//! submitted once with the verdicts the caller scored, audited as `training.quiz`, and
//! invisible to another organisation; a person of another organisation is refused.

use dengbao_store::orgs::NewOrganisation;
use dengbao_store::{QuizStart, StaffInput, Store, StoreError};
use sqlx::Row;

use dengbao_store::on_both;

async fn org(store: &Store, name: &str) -> String {
    store
        .create_org("cli", NewOrganisation { name: name.into() })
        .await
        .unwrap()
        .id
}

fn start(staff: Option<&str>) -> QuizStart {
    QuizStart {
        staff_id: staff.map(str::to_string),
        law: Some("csl".into()),
        seed: 20260301,
        bank_date: "2026-03-01".into(),
        question_ids: vec![
            "which.csl.amended-2025.21".into(),
            "cloze.csl.amended-2025.23.1.3.0".into(),
            "duty.csl.cii.training".into(),
        ],
    }
}

on_both!(started_submitted_listed, |store: Store| async move {
    let a = org(&store, "华东电力调度中心").await;
    let b = org(&store, "西南城市商业银行").await;
    let li = store
        .add_staff(
            "user:1",
            &a,
            StaffInput {
                name: "李娜".into(),
                position: "安全管理员".into(),
                key_post: true,
            },
        )
        .await
        .unwrap()
        .id;
    let t = store
        .start_quiz("user:1", &a, start(Some(&li)))
        .await
        .unwrap();
    assert_eq!(t.questions, 3);
    assert_eq!(t.correct, None);
    assert_eq!(t.staff_name.as_deref(), Some("李娜"));
    assert_eq!(t.answers[1].question_id, "cloze.csl.amended-2025.23.1.3.0");

    // Another organisation neither sees nor submits it.
    assert!(matches!(
        store.quiz_attempt(&b, &t.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(store
        .submit_quiz("user:2", &b, &t.id, &[(Some(0), true); 3])
        .await
        .is_err());
    assert!(store.list_quiz_attempts(&b).await.unwrap().is_empty());

    // Answers must cover the questions asked.
    let short = store
        .submit_quiz("user:1", &a, &t.id, &[(Some(1), true)])
        .await;
    assert!(
        matches!(
            short,
            Err(StoreError::Invalid {
                field: "answers",
                ..
            })
        ),
        "{short:?}"
    );

    let done = store
        .submit_quiz(
            "user:1",
            &a,
            &t.id,
            &[(Some(2), true), (None, false), (Some(1), true)],
        )
        .await
        .unwrap();
    assert_eq!(done.correct, Some(2));
    assert!(done.submitted_at.is_some());
    assert_eq!(done.answers[1].chosen, None);
    assert_eq!(done.answers[1].correct, Some(false));
    assert_eq!(done.answers[2].chosen, Some(1));

    // Submitted once.
    let again = store
        .submit_quiz("user:1", &a, &t.id, &[(Some(0), true); 3])
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "{again:?}"
    );
    assert_eq!(
        store.quiz_attempt(&a, &t.id).await.unwrap().correct,
        Some(2)
    );

    // The signed-in user alone, no person named.
    let own = store.start_quiz("user:7", &a, start(None)).await.unwrap();
    let list = store.list_quiz_attempts(&a).await.unwrap();
    assert_eq!(list.len(), 2);
    assert!(list
        .iter()
        .any(|x| x.id == own.id && x.staff_id.is_none() && x.actor == "user:7"));

    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'training.quiz' AND org_id = $1",
    )
    .bind(&a)
    .fetch_one(store.pool())
    .await
    .unwrap()
    .try_get("n")
    .unwrap();
    assert_eq!(audited, 3, "start, submit, start");
});

on_both!(refused_starts_write_nothing, |store: Store| async move {
    let a = org(&store, "华东电力调度中心").await;
    let b = org(&store, "西南城市商业银行").await;
    let stranger = store
        .add_staff(
            "user:1",
            &b,
            StaffInput {
                name: "王强".into(),
                position: "运维".into(),
                key_post: false,
            },
        )
        .await
        .unwrap()
        .id;
    let r = store.start_quiz("user:1", &a, start(Some(&stranger))).await;
    assert!(
        matches!(
            r,
            Err(StoreError::Invalid {
                field: "staff_id",
                ..
            })
        ),
        "{r:?}"
    );
    let mut empty = start(None);
    empty.question_ids.clear();
    let r = store.start_quiz("user:1", &a, empty).await;
    assert!(
        matches!(
            r,
            Err(StoreError::Invalid {
                field: "question_ids",
                ..
            })
        ),
        "{r:?}"
    );
    let mut bad_date = start(None);
    bad_date.bank_date = "2026-13-01".into();
    let r = store.start_quiz("user:1", &a, bad_date).await;
    assert!(
        matches!(
            r,
            Err(StoreError::Invalid {
                field: "bank_date",
                ..
            })
        ),
        "{r:?}"
    );
    assert!(store.list_quiz_attempts(&a).await.unwrap().is_empty());
});
