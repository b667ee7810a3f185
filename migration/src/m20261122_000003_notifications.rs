//! Notifications: templates, campaigns, the message outbox, opt-outs, the 511/512 consent flow
//! (requests, inbound SMS) and the graduates' tasks (documents after a refusal).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

use crate::common::{a, drop_tables};

fn index(name: &str, table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    i.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("notification_template"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(string_len(a("code"), 64).unique_key().take())
                    .col(string_len(a("purpose"), 32))
                    .col(string_len(a("subject_kk"), 200))
                    .col(string_len(a("subject_ru"), 200))
                    .col(string_len(a("subject_en"), 200))
                    .col(text(a("body_kk")))
                    .col(text(a("body_ru")))
                    .col(text(a("body_en")))
                    .col(big_integer_null(a("updated_by")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("notification_campaign"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(string_len(a("name"), 200))
                    .col(big_integer(a("template_id")))
                    .col(string_len(a("purpose"), 32))
                    .col(text(a("audience")))
                    .col(string_len(a("channel_1"), 16))
                    .col(string_len_null(a("channel_2"), 16))
                    .col(string_len_null(a("channel_3"), 16))
                    .col(integer(a("fallback_after_secs")))
                    .col(timestamp_with_time_zone(a("scheduled_at")))
                    .col(string_len(a("status"), 16))
                    .col(big_integer(a("enqueued")))
                    .col(big_integer_null(a("created_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_campaign_template_id")
                            .from(a("notification_campaign"), a("template_id"))
                            .to(a("notification_template"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("notification_message"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(string_len(a("idempotency_key"), 120).unique_key().take())
                    .col(big_integer_null(a("person_id")))
                    .col(big_integer_null(a("graduate_id")))
                    .col(string_len(a("purpose"), 32))
                    .col(boolean(a("legal")))
                    .col(string_len(a("language"), 2))
                    .col(string_len(a("channel"), 16))
                    .col(string_len_null(a("recipient"), 320))
                    .col(big_integer_null(a("template_id")))
                    .col(string_len_null(a("subject"), 200))
                    .col(text_null(a("body")))
                    .col(string_len(a("status"), 16))
                    .col(integer(a("attempts")))
                    .col(integer(a("max_attempts")))
                    .col(timestamp_with_time_zone(a("next_attempt_at")))
                    .col(string_len_null(a("last_error"), 500))
                    .col(string_len_null(a("provider_message_id"), 120))
                    .col(string_len_null(a("claimed_by"), 64))
                    .col(timestamp_with_time_zone_null(a("claimed_until")))
                    .col(timestamp_with_time_zone(a("queued_at")))
                    .col(timestamp_with_time_zone_null(a("sent_at")))
                    .col(timestamp_with_time_zone_null(a("delivered_at")))
                    .col(timestamp_with_time_zone_null(a("failed_at")))
                    .col(timestamp_with_time_zone_null(a("replied_at")))
                    .col(big_integer_null(a("campaign_id")))
                    .col(integer(a("step")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_message_person_id")
                            .from(a("notification_message"), a("person_id"))
                            .to(a("person"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_message_campaign_id")
                            .from(a("notification_message"), a("campaign_id"))
                            .to(a("notification_campaign"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        for (name, cols) in [
            ("ix_message_due", &["status", "next_attempt_at"][..]),
            ("ix_message_person", &["person_id"][..]),
            ("ix_message_graduate", &["graduate_id"][..]),
            (
                "ix_message_campaign",
                &["campaign_id", "step", "status"][..],
            ),
            ("ix_message_provider_id", &["provider_message_id"][..]),
        ] {
            manager
                .create_index(index(name, "notification_message", cols, false))
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(a("notification_opt_out"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("person_id")))
                    .col(string_len(a("purpose"), 32))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_opt_out_person_purpose",
                "notification_opt_out",
                &["person_id", "purpose"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("consent_request"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("person_id")))
                    .col(big_integer(a("graduate_id")))
                    .col(big_integer_null(a("message_id")))
                    .col(string_len(a("phone"), 32))
                    .col(string_len(a("status"), 16))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone_null(a("answered_at")))
                    .col(big_integer_null(a("inbound_id")))
                    .col(string_len_null(a("employment_status"), 16))
                    .col(integer(a("employment_attempts")))
                    .col(timestamp_with_time_zone_null(a("employment_next_at")))
                    .col(big_integer_null(a("employment_batch_id")))
                    .col(string_len_null(a("employment_error"), 500))
                    .take(),
            )
            .await?;
        for (name, cols) in [
            ("ix_consent_phone", &["phone", "status"][..]),
            ("ix_consent_graduate", &["graduate_id"][..]),
            ("ix_consent_employment", &["employment_status"][..]),
        ] {
            manager
                .create_index(index(name, "consent_request", cols, false))
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(a("inbound_sms"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(string_len_null(a("provider_id"), 120).unique_key().take())
                    .col(string_len(a("phone"), 32))
                    .col(string_len(a("text"), 500))
                    .col(timestamp_with_time_zone(a("received_at")))
                    .col(big_integer_null(a("person_id")))
                    .col(big_integer_null(a("consent_request_id")))
                    .col(string_len(a("outcome"), 16))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("graduate_task"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("graduate_id")))
                    .col(big_integer(a("person_id")))
                    .col(string_len(a("kind"), 32))
                    .col(string_len(a("status"), 16))
                    .col(big_integer_null(a("consent_request_id")))
                    .col(text(a("note")))
                    .col(text(a("review_note")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone_null(a("submitted_at")))
                    .col(timestamp_with_time_zone_null(a("reviewed_at")))
                    .col(big_integer_null(a("reviewed_by")))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_task_graduate",
                "graduate_task",
                &["graduate_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("graduate_task_document"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("task_id")))
                    .col(string_len(a("file_name"), 200))
                    .col(string_len(a("content_type"), 100))
                    .col(big_integer(a("size")))
                    .col(string_len(a("sha256"), 64))
                    .col(timestamp_with_time_zone(a("uploaded_at")))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_task_document_task",
                "graduate_task_document",
                &["task_id"],
                false,
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "graduate_task_document",
                "graduate_task",
                "inbound_sms",
                "consent_request",
                "notification_opt_out",
                "notification_message",
                "notification_campaign",
                "notification_template",
            ],
        )
        .await
    }
}
