//! The yearly training plan on both engines (decision 1505): saved whole with its approval and
//! one audit entry; items held by a session of their month and topic, or of that network for
//! its key posts, or by a linked session; each session holds one item at most; a second save
//! replaces the first.

use dengbao_store::orgs::NewOrganisation;
use dengbao_store::profile::NetworkProfile;
use dengbao_store::{
    on_both, SessionInput, StaffInput, Store, TrainingAudience, TrainingPlanInput,
    TrainingPlanItemInput,
};

fn item(month: u8, topic: &str, audience: TrainingAudience) -> TrainingPlanItemInput {
    TrainingPlanItemInput {
        month: Some(month),
        planned_on: None,
        topic: topic.into(),
        audience,
        network_id: None,
        role: None,
        hours: 2.0,
        trainer: "省网络安全协会 王工".into(),
        session_id: None,
    }
}

on_both!(
    a_plan_is_held_by_the_sessions_of_its_months_and_topics,
    |store: Store| async move {
        let org = store
            .create_org(
                "cli",
                NewOrganisation {
                    name: "市人社局".into(),
                },
            )
            .await
            .unwrap()
            .id;
        let mut nets = Vec::new();
        for name in ["社保业务系统", "门户网站"] {
            let profile: NetworkProfile = serde_json::from_value(
                serde_json::json!({"name": name, "level": 3, "stage": "running"}),
            )
            .unwrap();
            nets.push(store.create_network("cli", &org, profile).await.unwrap().id);
        }
        let person = store
            .add_staff(
                "user:1",
                &org,
                StaffInput {
                    name: "李明".into(),
                    position: "系统管理员".into(),
                    key_post: true,
                },
            )
            .await
            .unwrap()
            .id;
        let mut sessions = Vec::new();
        for (net, held_on, topic) in [
            (&nets[1], "2026-03-05", "等级保护制度培训"),
            (&nets[0], "2026-03-20", "等级保护制度培训"),
            (&nets[1], "2026-07-08", "应急响应培训"),
        ] {
            let s = store
                .add_training_session(
                    "user:1",
                    net,
                    SessionInput {
                        held_on: held_on.into(),
                        topic: topic.into(),
                        hours: 2.0,
                        trainer: "王工".into(),
                        attendees: vec![person.clone()],
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            sessions.push(s.id);
        }
        let mut key_posts = item(3, "等级保护制度培训", TrainingAudience::KeyPosts);
        key_posts.network_id = Some(nets[0].clone());
        let mut linked = item(6, "应急预案演练与培训", TrainingAudience::All);
        linked.session_id = Some(sessions[2].clone());
        let input = TrainingPlanInput {
            items: vec![
                // The March session of the portal holds this one …
                item(3, "等级保护制度培训", TrainingAudience::All),
                // … and the one of 社保业务系统 this: the key posts of that network.
                key_posts,
                // A third on the same topic and month: no session is left for it.
                item(3, "等级保护制度培训", TrainingAudience::All),
                // Planned for June, held in July and linked: held.
                linked,
            ],
            approved_by: Some("信息中心主任 刘强".into()),
            approved_on: Some("2026-01-10".into()),
        };
        let plan = store
            .save_training_plan("user:1", &org, 2026, input)
            .await
            .unwrap();
        let held: Vec<Option<&str>> = plan.items.iter().map(|i| i.held_by.as_deref()).collect();
        assert_eq!(
            held,
            vec![
                Some(sessions[0].as_str()),
                Some(sessions[1].as_str()),
                None,
                Some(sessions[2].as_str()),
            ]
        );
        assert_eq!((plan.held, plan.planned), (3, 4));
        assert_eq!(store.training_plan(&org, 2026).await.unwrap(), plan);
        // Another year is empty; a second save replaces the first.
        assert_eq!(store.training_plan(&org, 2027).await.unwrap().planned, 0);
        let again = store
            .save_training_plan(
                "user:1",
                &org,
                2026,
                TrainingPlanInput {
                    items: vec![item(11, "数据安全法解读", TrainingAudience::All)],
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!((again.held, again.planned), (0, 1));
        assert_eq!(again.approved_by, None);
        let audited = store
            .audit_entries(0, 100_000)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.action == "training.plan")
            .count();
        assert_eq!(audited, 2);
    }
);
