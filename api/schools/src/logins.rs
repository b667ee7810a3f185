//! A pupil's login: issued by the school's administrator for the educational resources the
//! school lets its pupils reach by single sign-on with a login (`docs/sso.md`). It is an
//! account of the role `pupil`, linked to the pupil, that opens no portal. The password is
//! drawn here and shown once; issuing again gives a new password to the same login (a
//! forgotten one) and ends the sessions of the old; withdrawing disables the login.

use rand::Rng;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use adal_core::auth::Role;
use adal_core::error::{ApiError, ApiResult};
use adal_core::vocab::Language;
use adal_registers::accounts::service::{
    self as accounts, AccountChanges, AccountDraft, AssignmentDraft,
};
use entities::{account, person, role_assignment};

use crate::roster;
use crate::vocab::MemberKind;

/// A login and its password, shown this once.
#[derive(Debug, Clone)]
pub struct Issued {
    pub login: String,
    pub password: String,
    /// The login existed: only its password is new.
    pub reissued: bool,
}

/// Letters and digits a child reads off a slip without mistaking one for another (no `0`/`o`,
/// `1`/`l`/`i`).
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const PASSWORD_LEN: usize = 10;

fn draw_password() -> String {
    let mut rng = rand::rng();
    (0..PASSWORD_LEN)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A login to draw: `pupil.` and six digits (short to type, says nothing of the child).
fn draw_login() -> String {
    format!("pupil.{:06}", rand::rng().random_range(0..1_000_000))
}

/// The pupils' login accounts, of those of these persons that were issued one.
pub async fn logins_of(
    db: &impl ConnectionTrait,
    pupils: &[i64],
) -> ApiResult<Vec<account::Model>> {
    let accounts = account::Entity::find()
        .filter(account::Column::PersonId.is_in(pupils.to_vec()))
        .all(db)
        .await?;
    let ids: Vec<i64> = accounts.iter().map(|a| a.id).collect();
    let pupil_roles: Vec<i64> = role_assignment::Entity::find()
        .filter(role_assignment::Column::AccountId.is_in(ids))
        .filter(role_assignment::Column::Role.eq(Role::Pupil.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.account_id)
        .collect();
    Ok(accounts
        .into_iter()
        .filter(|a| pupil_roles.contains(&a.id))
        .collect())
}

/// The pupil's login account, if one was issued.
async fn login_of(db: &impl ConnectionTrait, pupil: i64) -> ApiResult<Option<account::Model>> {
    Ok(logins_of(db, &[pupil]).await?.pop())
}

/// A pupil's login account as it is created: the role `pupil`, linked to the pupil, in their
/// language.
pub fn draft(login: String, password: String, pupil: &person::Model) -> AccountDraft {
    AccountDraft {
        login,
        password,
        language: Language::from_db_or_default(&pupil.language),
        person_id: Some(pupil.id),
        roles: vec![AssignmentDraft {
            role: Role::Pupil,
            organisation_id: None,
            region_kato: None,
            allowed_operations: None,
            allowed_fields: None,
        }],
    }
}

/// The person, if an active pupil of the school.
async fn pupil_of(
    db: &impl ConnectionTrait,
    school_id: i64,
    pupil: i64,
) -> ApiResult<person::Model> {
    let member = roster::membership(db, school_id, pupil)
        .await?
        .filter(|m| m.kind == MemberKind::Pupil.as_str())
        .ok_or(ApiError::NotFound("pupil"))?;
    person::Entity::find_by_id(member.person_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("pupil"))
}

/// Issues the pupil a login with a new password, or a new password to the login they hold
/// (enabling it again if it was withdrawn). In the pupil's language.
pub async fn issue(
    db: &DatabaseConnection,
    actor_account: i64,
    school_id: i64,
    pupil: i64,
) -> ApiResult<Issued> {
    let p = pupil_of(db, school_id, pupil).await?;
    let password = draw_password();
    if let Some(held) = login_of(db, p.id).await? {
        let changes = AccountChanges {
            password: Some(password.clone()),
            disabled: Some(false),
            ..Default::default()
        };
        accounts::update_account(db, actor_account, held.id, changes).await?;
        return Ok(Issued {
            login: held.login,
            password,
            reissued: true,
        });
    }
    // A million logins to draw from: a taken one is drawn again.
    for _ in 0..20 {
        let draft = draft(draw_login(), password.clone(), &p);
        match accounts::create_account(db, Some(actor_account), draft).await {
            Ok(acc) => {
                return Ok(Issued {
                    login: acc.login,
                    password,
                    reissued: false,
                });
            }
            Err(ApiError::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(ApiError::internal(anyhow::anyhow!(
        "no free pupil login in 20 draws"
    )))
}

/// Withdraws the pupil's login (disabled, its sessions ended); false when none was issued.
pub async fn withdraw(
    db: &DatabaseConnection,
    actor_account: i64,
    school_id: i64,
    pupil: i64,
) -> ApiResult<bool> {
    let p = pupil_of(db, school_id, pupil).await?;
    let Some(held) = login_of(db, p.id).await? else {
        return Ok(false);
    };
    let changes = AccountChanges {
        disabled: Some(true),
        ..Default::default()
    };
    accounts::update_account(db, actor_account, held.id, changes).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_passwords_are_long_enough_and_unambiguous() {
        for _ in 0..100 {
            let p = draw_password();
            assert!(adal_core::auth::password::check_strength("password", &p).is_ok());
            assert!(!p.contains(['0', 'o', '1', 'l', 'i']));
        }
        assert!(accounts::parse_login("login", &draw_login()).is_ok());
    }
}
