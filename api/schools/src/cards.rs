//! Identification at a school: cards by UID, blocked when lost and replaced by a new one; a QR
//! code or a PIN only for a pupil whose parent consented in their account (the consent is
//! recorded, and withdrawing it blocks them).

use chrono::Utc;
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use entities::{school_card, school_id_consent};

use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};
use adal_core::sql::conflict_on_unique;

use crate::roster;
use crate::vocab::SchoolRefusal;
use crate::vocab::{CredentialKind, CredentialStatus, MemberKind};

/// What a device presents, normalised: a card UID in upper-case hex, a QR token as given, a
/// PIN as `sha256(school:pin)` (PINs are short and only unique within a school).
pub fn credential_key(school_id: i64, kind: CredentialKind, raw: &str) -> String {
    let raw = raw.trim();
    match kind {
        CredentialKind::Card => raw.to_ascii_uppercase().replace([':', ' ', '-'], ""),
        CredentialKind::Qr => raw.to_owned(),
        CredentialKind::Pin => hex::encode(Sha256::digest(format!("{school_id}:{raw}"))),
    }
}

fn parse_uid(raw: &str) -> ApiResult<String> {
    let uid = credential_key(0, CredentialKind::Card, raw);
    if !(4..=32).contains(&uid.len()) || !uid.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::bad_input(
            "uid",
            "a card UID: 4 to 32 hexadecimal digits",
        ));
    }
    Ok(uid)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<school_card::Model> {
    school_card::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("card"))
}

/// A person's means of identification at a school, newest first.
pub async fn of_person(
    db: &impl ConnectionTrait,
    school_id: Option<i64>,
    person_id: i64,
) -> ApiResult<Vec<school_card::Model>> {
    let mut q = school_card::Entity::find().filter(school_card::Column::PersonId.eq(person_id));
    if let Some(s) = school_id {
        q = q.filter(school_card::Column::SchoolId.eq(s));
    }
    Ok(q.order_by_desc(school_card::Column::Id).all(db).await?)
}

/// Issues a card to a member of the school. A person holds one active card at a school: the
/// previous one is blocked as replaced.
pub async fn issue_card(
    db: &DatabaseConnection,
    actor_account: i64,
    school_id: i64,
    person_id: i64,
    uid: &str,
) -> ApiResult<school_card::Model> {
    let uid = parse_uid(uid)?;
    let txn = adal_core::db::begin_write(db).await?;
    roster::membership(&txn, school_id, person_id)
        .await?
        .ok_or(ApiError::NotFound("member"))?;
    let now = Utc::now();
    for old in of_person(&txn, Some(school_id), person_id).await? {
        if old.kind == CredentialKind::Card.as_str()
            && old.status == CredentialStatus::Active.as_str()
        {
            block_one(&txn, old, "replaced by a new card").await?;
        }
    }
    let card = school_card::ActiveModel {
        school_id: Set(school_id),
        person_id: Set(person_id),
        kind: Set(CredentialKind::Card.as_str().into()),
        credential: Set(uid.clone()),
        status: Set(CredentialStatus::Active.as_str().into()),
        consent_id: Set(None),
        issued_at: Set(now),
        blocked_at: Set(None),
        block_reason: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(conflict_on_unique(
        SchoolRefusal::CardInUse,
        "this card UID was issued before; a card is never issued twice",
    ))?;
    audit::record(
        &txn,
        Some(actor_account),
        "school.card_issued",
        "person",
        person_id,
        json!({ "school": school_id, "card": card.id }),
    )
    .await?;
    txn.commit().await?;
    Ok(card)
}

async fn block_one(
    db: &impl ConnectionTrait,
    card: school_card::Model,
    reason: &str,
) -> ApiResult<school_card::Model> {
    let mut am = card.into_active_model();
    am.status = Set(CredentialStatus::Blocked.as_str().into());
    am.blocked_at = Set(Some(Utc::now()));
    am.block_reason = Set(Some(reason.to_owned()));
    Ok(am.update(db).await?)
}

/// Blocks every active means of identification of a person at a school.
pub async fn block_all(
    db: &impl ConnectionTrait,
    school_id: i64,
    person_id: i64,
    reason: &str,
) -> ApiResult<()> {
    for c in of_person(db, Some(school_id), person_id).await? {
        if c.status == CredentialStatus::Active.as_str() {
            block_one(db, c, reason).await?;
        }
    }
    Ok(())
}

/// Blocks a card (lost, stolen): every device refuses it from now on with `CARD_BLOCKED`.
pub async fn block(
    db: &DatabaseConnection,
    actor_account: i64,
    card: school_card::Model,
    reason: &str,
) -> ApiResult<school_card::Model> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::bad_input("reason", "say why the card is blocked"));
    }
    if card.status == CredentialStatus::Blocked.as_str() {
        return Ok(card);
    }
    let txn = adal_core::db::begin_write(db).await?;
    let (person, school) = (card.person_id, card.school_id);
    let card = block_one(&txn, card, reason).await?;
    audit::record(
        &txn,
        Some(actor_account),
        "school.card_blocked",
        "person",
        person,
        json!({ "school": school, "card": card.id, "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    Ok(card)
}

/// A parent's consent to identify their child otherwise than by card, in force.
pub async fn consent(
    db: &impl ConnectionTrait,
    pupil: i64,
    method: CredentialKind,
) -> ApiResult<Option<school_id_consent::Model>> {
    Ok(school_id_consent::Entity::find()
        .filter(school_id_consent::Column::PupilPersonId.eq(pupil))
        .filter(school_id_consent::Column::Method.eq(method.as_str()))
        .filter(school_id_consent::Column::RevokedAt.is_null())
        .one(db)
        .await?)
}

/// A parent's consents for a child (in force and withdrawn), newest first.
pub async fn consents(
    db: &impl ConnectionTrait,
    pupil: i64,
) -> ApiResult<Vec<school_id_consent::Model>> {
    Ok(school_id_consent::Entity::find()
        .filter(school_id_consent::Column::PupilPersonId.eq(pupil))
        .order_by_desc(school_id_consent::Column::Id)
        .all(db)
        .await?)
}

/// Records (`given`) or withdraws a parent's consent to identify their child by QR code or PIN.
/// Withdrawing blocks the child's codes of that method at every school.
pub async fn set_consent(
    db: &DatabaseConnection,
    actor_account: i64,
    parent: i64,
    pupil: i64,
    method: CredentialKind,
    given: bool,
) -> ApiResult<Option<school_id_consent::Model>> {
    if method == CredentialKind::Card {
        return Err(ApiError::bad_input(
            "method",
            "a card needs no consent: QR or PIN",
        ));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let current = consent(&txn, pupil, method).await?;
    let now = Utc::now();
    let out = match (current, given) {
        (Some(c), true) => Some(c),
        (None, false) => None,
        (None, true) => Some(
            school_id_consent::ActiveModel {
                pupil_person_id: Set(pupil),
                parent_person_id: Set(parent),
                method: Set(method.as_str().into()),
                given_at: Set(now),
                revoked_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?,
        ),
        (Some(c), false) => {
            let mut am = c.into_active_model();
            am.revoked_at = Set(Some(now));
            am.update(&txn).await?;
            for card in of_person(&txn, None, pupil).await? {
                if card.kind == method.as_str() && card.status == CredentialStatus::Active.as_str()
                {
                    block_one(&txn, card, "the parent withdrew consent").await?;
                }
            }
            None
        }
    };
    audit::record(
        &txn,
        Some(actor_account),
        if given {
            "school.id_consent_given"
        } else {
            "school.id_consent_withdrawn"
        },
        "person",
        pupil,
        json!({ "method": method, "parent": parent }),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// Issues a QR code or a PIN to a pupil whose parent consented; returns the code, shown this
/// once (the PIN is stored only as a hash). Without consent: `NO_CONSENT`.
pub async fn issue_alternative(
    db: &DatabaseConnection,
    actor_account: i64,
    school_id: i64,
    pupil: i64,
    method: CredentialKind,
) -> ApiResult<(school_card::Model, String)> {
    let txn = adal_core::db::begin_write(db).await?;
    let member = roster::membership(&txn, school_id, pupil)
        .await?
        .ok_or(ApiError::NotFound("member"))?;
    if member.kind != MemberKind::Pupil.as_str() || method == CredentialKind::Card {
        return Err(ApiError::bad_input(
            "method",
            "QR codes and PINs are for pupils, with their parent's consent",
        ));
    }
    let consent = consent(&txn, pupil, method)
        .await?
        .ok_or(ApiError::ConflictBecause {
            reason: SchoolRefusal::NoConsent.into(),
            message: "the parent has not consented to this way of identification".into(),
        })?;
    for old in of_person(&txn, Some(school_id), pupil).await? {
        if old.kind == method.as_str() && old.status == CredentialStatus::Active.as_str() {
            block_one(&txn, old, "replaced").await?;
        }
    }
    // A PIN is unique within the school: draw until the hash is free.
    let mut secret = String::new();
    let mut key = String::new();
    for _ in 0..20 {
        secret = match method {
            CredentialKind::Pin => format!("{:06}", rand::rng().random_range(0..1_000_000)),
            _ => {
                let bytes: [u8; 16] = rand::rng().random();
                hex::encode(bytes)
            }
        };
        key = credential_key(school_id, method, &secret);
        let taken = school_card::Entity::find()
            .filter(school_card::Column::Kind.eq(method.as_str()))
            .filter(school_card::Column::Credential.eq(&key))
            .one(&txn)
            .await?
            .is_some();
        if !taken {
            break;
        }
    }
    let card = school_card::ActiveModel {
        school_id: Set(school_id),
        person_id: Set(pupil),
        kind: Set(method.as_str().into()),
        credential: Set(key),
        status: Set(CredentialStatus::Active.as_str().into()),
        consent_id: Set(Some(consent.id)),
        issued_at: Set(Utc::now()),
        blocked_at: Set(None),
        block_reason: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor_account),
        "school.alternative_id_issued",
        "person",
        pupil,
        json!({ "school": school_id, "method": method, "consent": consent.id }),
    )
    .await?;
    txn.commit().await?;
    Ok((card, secret))
}

/// A QR code's content drawn as an SVG picture in a `data:` address (black on white, with
/// the standard quiet zone), for the school to print or the family to keep on a phone.
pub fn qr_svg(code: &str) -> ApiResult<String> {
    use base64::Engine as _;
    let qr = qrcode::QrCode::new(code.as_bytes()).map_err(ApiError::internal)?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

/// Who a presented credential identifies at a school, or why not (`UNKNOWN_CARD`,
/// `CARD_BLOCKED`, `NOT_THIS_SCHOOL`).
pub async fn identify(
    db: &impl ConnectionTrait,
    school_id: i64,
    kind: CredentialKind,
    raw: &str,
) -> ApiResult<Result<school_card::Model, (&'static str, Option<school_card::Model>)>> {
    let key = credential_key(school_id, kind, raw);
    let Some(card) = school_card::Entity::find()
        .filter(school_card::Column::Kind.eq(kind.as_str()))
        .filter(school_card::Column::Credential.eq(key))
        .one(db)
        .await?
    else {
        return Ok(Err(("UNKNOWN_CARD", None)));
    };
    if card.status != CredentialStatus::Active.as_str() {
        return Ok(Err(("CARD_BLOCKED", Some(card))));
    }
    if card.school_id != school_id
        || roster::membership(db, school_id, card.person_id)
            .await?
            .is_none()
    {
        return Ok(Err(("NOT_THIS_SCHOOL", Some(card))));
    }
    Ok(Ok(card))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_normalised() {
        assert_eq!(
            credential_key(1, CredentialKind::Card, " 04:a1-b2 c3 "),
            "04A1B2C3"
        );
        assert_ne!(
            credential_key(1, CredentialKind::Pin, "123456"),
            credential_key(2, CredentialKind::Pin, "123456")
        );
        assert!(parse_uid("04A1B2C3").is_ok());
        assert!(parse_uid("XYZ").is_err());
    }
}
