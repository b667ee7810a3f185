//! Single sign-on: Adal as an OpenID Connect provider. The resources (clients) with their
//! redirect URIs and schools, the signing keys, the authorization requests kept server-side,
//! the codes and tokens (hashed), the parents' consents for children under 14 and the record
//! of sign-ins.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn id() -> ColumnDef {
    big_integer(a("id")).auto_increment().primary_key().take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("sso_client"))
                    .col(id())
                    .col(string_len(a("client_id"), 64))
                    .col(string_len(a("name"), 200))
                    // sha256 of the secret (a 32-byte random value, shown once).
                    .col(string_len(a("secret_hash"), 64))
                    // JSON array of exact redirect URIs.
                    .col(text(a("redirect_uris")))
                    // The scopes it may ask for, space-separated.
                    .col(string_len(a("scopes"), 200))
                    .col(boolean(a("school_and_class")))
                    .col(big_integer_null(a("created_by")))
                    .col(boolean(a("disabled")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "sso_client_client_id",
            "sso_client",
            &["client_id"],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("sso_client_school"))
                    .col(id())
                    .col(big_integer(a("client_pk")))
                    .col(big_integer(a("school_id")))
                    // The school lets its pupils sign in to this resource with their PIN.
                    .col(boolean(a("pupil_pin")))
                    .foreign_key(&mut fk(
                        "sso_client_school_client",
                        ("sso_client_school", "client_pk"),
                        ("sso_client", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "sso_client_school_school",
                        ("sso_client_school", "school_id"),
                        ("organisation", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "sso_client_school_pair",
            "sso_client_school",
            &["client_pk", "school_id"],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("sso_key"))
                    .col(id())
                    .col(string_len(a("kid"), 64))
                    // The Ed25519 seed, base64 (never leaves the server).
                    .col(text(a("private_key")))
                    // The public key, base64url (the JWK's `x`).
                    .col(string_len(a("public_key"), 64))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone_null(a("retired_at")))
                    .take(),
            )
            .await?;
        index(manager, "sso_key_kid", "sso_key", &["kid"], true).await?;
        manager
            .create_table(
                Table::create()
                    .table(a("sso_request"))
                    // Random, unguessable: the sign-in and consent forms post to it.
                    .col(string_len(a("id"), 64).primary_key().take())
                    // sha256 of the browser cookie bound to the request.
                    .col(string_len(a("browser_hash"), 64))
                    .col(big_integer(a("client_pk")))
                    .col(text(a("redirect_uri")))
                    .col(string_len(a("scope"), 200))
                    .col(text_null(a("state")))
                    .col(text_null(a("nonce")))
                    .col(string_len(a("code_challenge"), 128))
                    .col(string_len_null(a("ui_locales"), 64))
                    .col(big_integer_null(a("person_id")))
                    .col(string_len_null(a("role"), 16))
                    .col(timestamp_with_time_zone_null(a("auth_time")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone(a("expires_at")))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("sso_code"))
                    .col(id())
                    .col(string_len(a("code_hash"), 64))
                    .col(big_integer(a("client_pk")))
                    .col(text(a("redirect_uri")))
                    .col(string_len(a("code_challenge"), 128))
                    .col(big_integer(a("person_id")))
                    .col(string_len(a("role"), 16))
                    .col(string_len(a("scope"), 200))
                    // The consent covered the school and class.
                    .col(boolean(a("school_and_class")))
                    .col(text_null(a("nonce")))
                    .col(timestamp_with_time_zone(a("auth_time")))
                    .col(timestamp_with_time_zone(a("expires_at")))
                    .col(timestamp_with_time_zone_null(a("used_at")))
                    .take(),
            )
            .await?;
        index(manager, "sso_code_hash", "sso_code", &["code_hash"], true).await?;
        manager
            .create_table(
                Table::create()
                    .table(a("sso_token"))
                    .col(id())
                    .col(string_len(a("token_hash"), 64))
                    .col(big_integer(a("code_id")))
                    .col(big_integer(a("client_pk")))
                    .col(big_integer(a("person_id")))
                    .col(string_len(a("role"), 16))
                    .col(string_len(a("scope"), 200))
                    .col(boolean(a("school_and_class")))
                    .col(timestamp_with_time_zone(a("expires_at")))
                    .col(timestamp_with_time_zone_null(a("revoked_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "sso_token_hash",
            "sso_token",
            &["token_hash"],
            true,
        )
        .await?;
        index(manager, "sso_token_code", "sso_token", &["code_id"], false).await?;
        manager
            .create_table(
                Table::create()
                    .table(a("sso_consent"))
                    .col(id())
                    .col(big_integer(a("child_person_id")))
                    .col(big_integer(a("client_pk")))
                    .col(big_integer(a("parent_person_id")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "sso_consent_pair",
            "sso_consent",
            &["child_person_id", "client_pk"],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("sso_sign_in"))
                    .col(id())
                    .col(big_integer(a("person_id")))
                    .col(big_integer(a("client_pk")))
                    .col(string_len(a("role"), 16))
                    .col(timestamp_with_time_zone(a("at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "sso_sign_in_person",
            "sso_sign_in",
            &["person_id", "at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "sso_sign_in",
                "sso_consent",
                "sso_token",
                "sso_code",
                "sso_request",
                "sso_key",
                "sso_client_school",
                "sso_client",
            ],
        )
        .await
    }
}
