//! A school's turnstiles and tills: each is registered to one school and signs in as its own
//! machine client (client id and secret, the `device` role scoped to the school), so a device
//! only ever acts for its own school.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

use entities::school_device;

use adal_core::audit;
use adal_core::auth::{Actor, Role};
use adal_core::error::{ApiError, ApiResult};
use adal_registers::accounts::service::{ClientDraft, create_client_in};

use crate::roster;
use crate::vocab::DeviceKind;

pub async fn list(
    db: &impl ConnectionTrait,
    school_id: i64,
) -> ApiResult<Vec<school_device::Model>> {
    Ok(school_device::Entity::find()
        .filter(school_device::Column::SchoolId.eq(school_id))
        .order_by_asc(school_device::Column::Id)
        .all(db)
        .await?)
}

/// Registers a device to a school with its own client account; returns the device and the
/// client secret, shown this once.
pub async fn register(
    db: &DatabaseConnection,
    actor_account: i64,
    school_id: i64,
    kind: DeviceKind,
    name: &str,
    client_id: &str,
    secret: Option<String>,
) -> ApiResult<(school_device::Model, String)> {
    let txn = adal_core::db::begin_write(db).await?;
    roster::school(&txn, school_id).await?;
    let (acc, secret) = create_client_in(
        &txn,
        Some(actor_account),
        ClientDraft {
            client_id: client_id.to_owned(),
            display_name: name.to_owned(),
            role: Role::Device,
            organisation_id: Some(school_id),
            allowed_operations: None,
            allowed_fields: None,
            cost_per_minute: None,
            requests_per_minute: None,
            expires_at: None,
            secret,
        },
    )
    .await?;
    let device = school_device::ActiveModel {
        account_id: Set(acc.id),
        school_id: Set(school_id),
        kind: Set(kind.as_str().into()),
        name: Set(acc.display_name.clone().unwrap_or_default()),
        registered_at: Set(Utc::now()),
        last_seq: Set(0),
        last_seen_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor_account),
        "school.device_registered",
        "organisation",
        school_id,
        json!({ "device": device.id, "kind": kind, "account": acc.id }),
    )
    .await?;
    txn.commit().await?;
    Ok((device, secret))
}

/// The device the signed-in machine client is: its account must hold the `device` role for
/// the device's school.
pub async fn of_actor(db: &impl ConnectionTrait, actor: &Actor) -> ApiResult<school_device::Model> {
    let device = school_device::Entity::find()
        .filter(school_device::Column::AccountId.eq(actor.account_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("device"))?;
    if !actor
        .organisations(&[Role::Device])
        .contains(&device.school_id)
    {
        return Err(ApiError::Forbidden);
    }
    Ok(device)
}

/// A device by id.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<school_device::Model> {
    school_device::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("device"))
}
