//! The demo's resource: "Kündelik (demo)", registered by the demo school's admin for the demo
//! school, with its pupils signing in by PIN; a parent's permission for one child under 14.
//! Its client id and secret are fixed and printed in the README (demo only).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use adal_core::error::ApiResult;
use entities::{sso_client, sso_client_school, sso_consent};

use crate::rules;

pub const CLIENT_ID: &str = "demo-kundelik";
pub const CLIENT_SECRET: &str = "demo-kundelik-secret";
pub const REDIRECT_URI: &str = "http://localhost:8090/callback";

/// Who the demo resource involves (found by the server's demo from the other domains' data).
pub struct DemoPeople {
    pub school_id: i64,
    pub school_admin_account: i64,
    pub parent_person: i64,
    pub child_person: i64,
}

pub async fn seed(db: &DatabaseConnection, people: DemoPeople) -> ApiResult<String> {
    let now = Utc::now();
    let txn = adal_core::db::begin_write(db).await?;
    let client = sso_client::ActiveModel {
        client_id: Set(CLIENT_ID.into()),
        name: Set("Kündelik (demo)".into()),
        secret_hash: Set(rules::hash(CLIENT_SECRET)),
        redirect_uris: Set(format!("[\"{REDIRECT_URI}\"]")),
        scopes: Set("openid profile school".into()),
        school_and_class: Set(true),
        created_by: Set(Some(people.school_admin_account)),
        disabled: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    sso_client_school::ActiveModel {
        client_pk: Set(client.id),
        school_id: Set(people.school_id),
        pupil_pin: Set(true),
        pupil_login: Set(true),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    sso_consent::ActiveModel {
        child_person_id: Set(people.child_person),
        client_pk: Set(client.id),
        parent_person_id: Set(people.parent_person),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok("1 single sign-on resource".into())
}
