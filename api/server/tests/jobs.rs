#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Jobs survive their instance: an import whose instance stops is resumed by another; one
//! interrupted too often is failed with a reason; two instances never take the same job.
//! Time is passed in (`run_once_at`, `claim`), so no test waits on the clock.

use crate::common;

use chrono::{Duration, Utc};
use sea_orm::EntityTrait;

use adal_core::jobs::Outcome;
use adal_obligations::import::{ImportKind, Started, start_batch};
use adal_obligations::import_job;
use common::*;
use entities::{import_batch, job, region};

/// A regions file in the test's data folder, registered as a batch with its job queued.
async fn queued_import(app: &adal_testkit::TestApp, rows: &[&str]) -> (i64, i64) {
    let path = app
        .settings
        .data_dir
        .join(format!("regions-{}.csv", uuid::Uuid::new_v4().simple()));
    let mut text = String::from("kato,name_kk,name_ru,name_en\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    let Started::New(batch, _) =
        start_batch(&app.db, ImportKind::Regions, "regions.csv", file, None)
            .await
            .unwrap()
    else {
        panic!("a new file is a new batch")
    };
    let job = import_job::enqueue(&app.db, batch.id, ImportKind::Regions, path, true)
        .await
        .unwrap();
    (batch.id, job)
}

fn runner(app: &adal_testkit::TestApp) -> adal_core::jobs::Runner {
    adal_server::wiring::jobs(app.db.clone(), &app.settings)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_whose_instance_stopped_is_resumed_by_another() {
    let app = spawn_app_with(|s| s.job_runner = false).await;
    let (batch, job_id) = queued_import(
        &app,
        &["100000000,Абай облысы,Абайская область,Abai region"],
    )
    .await;
    let t0 = Utc::now();
    // Instance A takes the job and stops before running it.
    let a = runner(&app);
    let taken = a.claim(t0, None).await.unwrap().unwrap();
    assert_eq!(taken.id, job_id);
    // While A's lease holds, nobody else takes it.
    let b = runner(&app);
    assert!(b.claim(t0, None).await.unwrap().is_none());
    let b_status = import_batch::Entity::find_by_id(batch)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b_status.status, "running");
    // Once the lease has run out, B takes it over and finishes the import.
    let later = t0 + Duration::seconds(app.settings.job_lease_secs + 1);
    let (id, outcome) = b.run_once_at(later).await.unwrap().unwrap();
    assert_eq!((id, outcome), (job_id, Outcome::Completed));
    let done = import_batch::Entity::find_by_id(batch)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((done.status.as_str(), done.accepted), ("completed", 1));
    assert!(
        region::Entity::find_by_id("100000000".to_owned())
            .one(&app.db)
            .await
            .unwrap()
            .is_some()
    );
    let j = job::Entity::find_by_id(job_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((j.status.as_str(), j.attempts), ("completed", 2));
    // A, back too late, cannot report over B's result.
    assert_eq!(a.execute(taken).await.unwrap(), Outcome::Lost);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_interrupted_again_and_again_fails_with_its_reason() {
    let app = spawn_app_with(|s| s.job_runner = false).await;
    let (batch, job_id) = queued_import(&app, &["100000000,Абай,Абай,Abai"]).await;
    let lease = Duration::seconds(app.settings.job_lease_secs + 1);
    let mut now = Utc::now();
    for _ in 0..import_job::MAX_ATTEMPTS {
        // Each instance takes it and stops.
        assert!(runner(&app).claim(now, None).await.unwrap().is_some());
        now += lease;
    }
    let last = runner(&app);
    assert!(
        last.run_once_at(now).await.unwrap().is_none(),
        "nothing left to run"
    );
    let j = job::Entity::find_by_id(job_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(j.status, "failed");
    assert!(
        j.error.as_deref().unwrap().contains("interrupted 3 times"),
        "{:?}",
        j.error
    );
    let b = import_batch::Entity::find_by_id(batch)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.status, "failed");
    assert!(
        b.error.as_deref().unwrap().contains("interrupted"),
        "{:?}",
        b.error
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_never_take_the_same_job() {
    let app = spawn_app_with(|s| s.job_runner = false).await;
    let (_, first) = queued_import(&app, &["100000000,Абай,Абай,Abai"]).await;
    let (_, second) = queued_import(&app, &["110000000,Ақмола,Акмола,Akmola"]).await;
    let now = Utc::now();
    let (a, b) = (runner(&app), runner(&app));
    let (x, y) = tokio::join!(a.claim(now, None), b.claim(now, None));
    let mut ids = vec![x.unwrap().unwrap().id, y.unwrap().unwrap().id];
    ids.sort_unstable();
    assert_eq!(ids, vec![first, second]);
    assert!(runner(&app).claim(now, None).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_uploaded_import_is_kept_until_its_job_has_run() {
    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let admin = token(&app, "admin").await;
    let csv = "kato,name_kk,name_ru,name_en\n100000000,Абай облысы,Абайская область,Abai region\n";
    let r = gql_upload(
        &app,
        &admin,
        "mutation($f: Upload!) { importFile(kind: REGIONS, file: $f) { id status } }",
        serde_json::json!({ "f": null }),
        vec![("variables.f", "regions.csv", csv.as_bytes().to_vec())],
    )
    .await;
    let id = r.ok()["importFile"]["id"].as_str().unwrap().to_owned();
    assert_eq!(r.ok()["importFile"]["status"], "running");
    // The upload waits in the data folder for whichever instance runs the job.
    let imports = app.settings.data_dir.join("imports");
    assert_eq!(std::fs::read_dir(&imports).unwrap().count(), 1);
    let (_, outcome) = runner(&app).run_once_at(Utc::now()).await.unwrap().unwrap();
    assert_eq!(outcome, Outcome::Completed);
    let r = gql(
        &app,
        Some(&admin),
        "query($id: ID!) { importBatch(id: $id) { status accepted } }",
        serde_json::json!({ "id": id }),
    )
    .await;
    assert_eq!(r.ok()["importBatch"]["status"], "completed");
    assert_eq!(r.ok()["importBatch"]["accepted"], 1);
    assert_eq!(
        std::fs::read_dir(&imports).unwrap().count(),
        0,
        "the copy is removed"
    );
}
