#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The audit trail as a hash chain: sealed by several sealers at once while several writers
//! record, refused changes by the database, and verified against an edited, a deleted and a
//! reordered event; the day heads published at `/audit/heads` and sent to a witness.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::json;

use crate::common::gql;

use adal_core::audit_chain::{self, Fault};
use adal_testkit::fakes::FakeGateway;
use entities::audit_event;

async fn exec(db: &DatabaseConnection, sql: &str) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared(sql).await.map(|_| ())
}

/// What an administrator of the database would do first: drop the triggers that refuse
/// changes to the trail.
async fn drop_triggers(db: &DatabaseConnection, backend: &str) {
    let sql: &[&str] = if backend == "postgres" {
        &[
            "DROP TRIGGER audit_event_frozen ON audit_event",
            "DROP TRIGGER audit_chain_frozen ON audit_chain",
        ]
    } else {
        &[
            "DROP TRIGGER audit_event_no_update",
            "DROP TRIGGER audit_event_no_delete",
            "DROP TRIGGER audit_chain_no_update",
            "DROP TRIGGER audit_chain_no_delete",
        ]
    };
    for s in sql {
        exec(db, s).await.unwrap();
    }
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_chain_names_an_edited_a_deleted_and_a_reordered_event() {
    // No background sealer: the test seals when it chooses.
    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let db = &app.db;
    let events = audit_event::Entity::find().count(db).await.unwrap();
    assert!(events > 10, "the demo records its decisions: {events}");

    let linked = audit_chain::seal(db, Utc::now()).await.unwrap();
    assert_eq!(linked, events);
    assert_eq!(
        audit_chain::seal(db, Utc::now()).await.unwrap(),
        0,
        "sealed once"
    );
    let v = audit_chain::verify(db, None).await.unwrap();
    assert_eq!((v.fault.clone(), v.links, v.unsealed), (None, events, 0));

    // The database refuses to change or delete an event or a link.
    let ids: Vec<i64> = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    let (a, b, c) = (ids[3], ids[4], ids[7]);
    for sql in [
        format!("UPDATE audit_event SET details = '{{}}' WHERE id = {a}"),
        format!("DELETE FROM audit_event WHERE id = {a}"),
        "UPDATE audit_chain SET hash = prev_hash WHERE seq = 1".to_owned(),
        "DELETE FROM audit_chain WHERE seq = 1".to_owned(),
    ] {
        let refused = exec(db, &sql).await.unwrap_err().to_string();
        assert!(
            refused.contains("audit trail cannot be changed"),
            "{sql}: {refused}"
        );
    }

    drop_triggers(db, app.backend()).await;
    // An event whose details are changed afterwards is named.
    exec(
        db,
        &format!("UPDATE audit_event SET details = '{{\"reason\":\"rewritten\"}}' WHERE id = {c}"),
    )
    .await
    .unwrap();
    let v = audit_chain::verify(db, None).await.unwrap();
    let Some(Fault::EventChanged { event_id, seq }) = v.fault else {
        panic!("{:?}", v.fault)
    };
    assert_eq!(event_id, c);
    assert_eq!(v.links as i64, seq - 1, "every link before it matches");

    // A reordered pair (two events' places swapped in the chain) is named at the first.
    for sql in [
        format!("UPDATE audit_chain SET event_id = -1 WHERE event_id = {a}"),
        format!("UPDATE audit_chain SET event_id = {a} WHERE event_id = {b}"),
        format!("UPDATE audit_chain SET event_id = {b} WHERE event_id = -1"),
    ] {
        exec(db, &sql).await.unwrap();
    }
    let v = audit_chain::verify(db, None).await.unwrap();
    assert!(
        matches!(v.fault, Some(Fault::EventChanged { event_id, .. }) if event_id == b),
        "{:?}",
        v.fault
    );

    // A deleted event is named too (the earliest fault is reported: delete before the rest).
    let first = ids[1];
    exec(db, &format!("DELETE FROM audit_event WHERE id = {first}"))
        .await
        .unwrap();
    let v = audit_chain::verify(db, None).await.unwrap();
    assert_eq!(
        v.fault,
        Some(Fault::EventDeleted {
            seq: 2,
            event_id: first
        })
    );
    assert_eq!(v.links, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn writers_and_sealers_of_several_instances_keep_one_chain() {
    let app = adal_testkit::spawn_app_with(|s| s.job_runner = false).await;
    let db = app.db.clone();
    let before = audit_event::Entity::find().count(&db).await.unwrap();
    let mut tasks = Vec::new();
    // Eight writers record 40 events each, each in its own transaction, while three sealers
    // (as three instances would) seal over and over.
    for w in 0..8 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..40 {
                adal_core::audit::record(&db, None, "test.written", "writer", w, json!({ "n": i }))
                    .await
                    .unwrap();
            }
        }));
    }
    let sealers: Vec<_> = (0..3)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut linked = 0;
                for _ in 0..15 {
                    linked += audit_chain::seal(&db, Utc::now()).await.unwrap();
                    tokio::task::yield_now().await;
                }
                linked
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let mut linked = 0;
    for s in sealers {
        linked += s.await.unwrap();
    }
    linked += audit_chain::seal(&db, Utc::now()).await.unwrap();
    assert_eq!(linked, before + 320, "each event linked once");
    let v = audit_chain::verify(&db, None).await.unwrap();
    assert_eq!((v.fault, v.links, v.unsealed), (None, before + 320, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn day_heads_are_published_sent_to_the_witness_and_verified_from() {
    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let db = &app.db;
    // The demo's events sealed on 30 November (Kazakhstan's time), more on 1 December.
    let nov30 = at("2026-11-30T10:00:00Z");
    audit_chain::seal(db, nov30).await.unwrap();
    adal_core::audit::record(db, None, "test.later", "writer", 1, json!({}))
        .await
        .unwrap();
    let dec1 = at("2026-12-01T10:00:00Z");
    audit_chain::seal(db, dec1).await.unwrap();
    // Sealing on 1 December published 30 November's head; 1 December's follows on the 2nd.
    let heads = audit_chain::heads(db, 10).await.unwrap();
    assert_eq!(heads.len(), 1);
    assert_eq!(heads[0].day.to_string(), "2026-11-30");
    let published = audit_chain::publish_days(db, dec1 + Duration::days(1))
        .await
        .unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(
        (published[0].day.to_string(), published[0].events),
        ("2026-12-01".into(), 1)
    );
    assert_eq!(published[0].seq, heads[0].seq + 1);

    // Anyone reads them, newest first.
    let body: serde_json::Value = reqwest::get(format!("{}/audit/heads", app.address))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body[0]["day"], "2026-12-01");
    assert_eq!(body[1]["day"], "2026-11-30");
    assert_eq!(body[1]["hash"], json!(heads[0].hash));
    // And in GraphQL, for the open figures page.
    let r = gql(
        &app,
        None,
        "{ auditHeads(first: 1) { day seq hash events witnessedAt } }",
        json!({}),
    )
    .await;
    assert_eq!(
        r.ok()["auditHeads"],
        json!([{ "day": "2026-12-01", "seq": published[0].seq, "hash": published[0].hash,
                 "events": 1, "witnessedAt": null }])
    );

    // The witness takes them in order; one that fails is sent again on the next round.
    let witness_server = FakeGateway::start().unwrap();
    witness_server.fail_first(1);
    let mut settings = app.settings.clone();
    settings.audit_witness_url = Some(witness_server.url.clone());
    let witness = adal_server::audit::witness(&settings).unwrap().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap();
    assert_eq!(
        audit_chain::send_to_witness(db, &witness, now)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        audit_chain::send_to_witness(db, &witness, now)
            .await
            .unwrap(),
        2
    );
    let got = witness_server.requests();
    assert_eq!(got.len(), 3);
    assert_eq!(
        (got[1]["day"].clone(), got[1]["hash"].clone()),
        (json!("2026-11-30"), json!(heads[0].hash))
    );
    assert_eq!(got[2]["day"], "2026-12-01");
    assert_eq!(
        audit_chain::send_to_witness(db, &witness, now)
            .await
            .unwrap(),
        0
    );
    witness_server.stop().await;

    // Verified from 1 December's head on: only the links after it are recomputed.
    let v = audit_chain::verify(db, Some(published[0].day))
        .await
        .unwrap();
    assert_eq!((v.fault, v.from_seq, v.links), (None, published[0].seq, 0));

    // A chain rewritten from an edited event on, every hash recomputed so that the chain
    // itself looks whole, no longer matches the head published before the edit.
    drop_triggers(db, app.backend()).await;
    let edited = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    exec(
        db,
        &format!(
            "UPDATE audit_event SET details = '{{\"reason\":\"rewritten\"}}' WHERE id = {}",
            edited.id
        ),
    )
    .await
    .unwrap();
    let mut prev = audit_chain::GENESIS.to_owned();
    for seq in 1..=published[0].seq {
        let link = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                format!("SELECT event_id FROM audit_chain WHERE seq = {seq}"),
            ))
            .await
            .unwrap()
            .unwrap();
        let id: i64 = link.try_get("", "event_id").unwrap();
        let e = audit_event::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let hash = audit_chain::link_hash(seq, &prev, &e);
        exec(
            db,
            &format!(
                "UPDATE audit_chain SET prev_hash = '{prev}', hash = '{hash}' WHERE seq = {seq}"
            ),
        )
        .await
        .unwrap();
        prev = hash;
    }
    let v = audit_chain::verify(db, None).await.unwrap();
    assert_eq!(
        v.fault,
        Some(Fault::HeadMismatch {
            day: heads[0].day,
            seq: heads[0].seq
        })
    );
}
