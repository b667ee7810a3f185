//! Vouchers for children's clubs (domain brief §3): the akimat's priority tables (versioned,
//! never edited), campaigns with their money, applications with declared vulnerability
//! categories, allocation runs and the vouchers they issue.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, drop_tables, fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("voucher_priority_table"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(string_len(a("region_kato"), 9))
                    .col(integer(a("version")))
                    // JSON: category code -> weight.
                    .col(text(a("weights")))
                    // JSON: the tie rules in order (younger_first, older_first, lottery).
                    .col(text(a("ties")))
                    .col(text(a("note")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(big_integer_null(a("created_by")))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("voucher_priority_table_version")
                    .table(a("voucher_priority_table"))
                    .col(a("region_kato"))
                    .col(a("version"))
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("voucher_campaign"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(string_len(a("region_kato"), 9))
                    .col(string(a("name")))
                    .col(integer(a("first_month")))
                    .col(integer(a("last_month")))
                    .col(timestamp_with_time_zone(a("opens_at")))
                    .col(timestamp_with_time_zone(a("closes_at")))
                    .col(big_integer(a("budget")))
                    .col(big_integer(a("committed")).default(0).take())
                    .col(big_integer(a("paid")).default(0).take())
                    .col(big_integer(a("freed")).default(0).take())
                    .col(integer(a("age_min")))
                    .col(integer(a("age_max")))
                    .col(big_integer(a("priority_table_id")))
                    // Drawn when the campaign opens; only its SHA-256 is shown until the
                    // allocation publishes it.
                    .col(string_len(a("seed"), 64))
                    .col(string_len(a("seed_commitment"), 64))
                    .col(integer(a("unused_days")))
                    .col(integer(a("confirm_days")))
                    .col(integer(a("attendance_threshold_pct")))
                    .col(string_len(a("status"), 16))
                    .col(timestamp_with_time_zone_null(a("allocated_at")))
                    .col(big_integer_null(a("created_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk(
                        "fk_voucher_campaign_table",
                        ("voucher_campaign", "priority_table_id"),
                        ("voucher_priority_table", "id"),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("voucher_direction"))
                    .col(big_integer(a("campaign_id")))
                    .col(string_len(a("direction"), 32))
                    .col(big_integer(a("monthly_value")))
                    .primary_key(Index::create().col(a("campaign_id")).col(a("direction")))
                    .foreign_key(&mut fk(
                        "fk_voucher_direction_campaign",
                        ("voucher_direction", "campaign_id"),
                        ("voucher_campaign", "id"),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("voucher_application"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("campaign_id")))
                    .col(big_integer(a("child_person_id")))
                    .col(big_integer(a("parent_person_id")))
                    .col(string_len(a("direction"), 32))
                    .col(string_len(a("status"), 16))
                    // The receipt's salt and the child's hash under it: the parent finds their
                    // row in the published allocation with them.
                    .col(string_len(a("salt"), 32))
                    .col(string_len(a("child_hash"), 64))
                    .col(text_null(a("guardianship_evidence")))
                    .col(big_integer_null(a("score")))
                    .col(integer_null(a("rank")))
                    .col(integer_null(a("age_months")))
                    .col(text_null(a("reason")))
                    .col(timestamp_with_time_zone(a("submitted_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(&mut fk(
                        "fk_voucher_application_campaign",
                        ("voucher_application", "campaign_id"),
                        ("voucher_campaign", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_voucher_application_child",
                        ("voucher_application", "child_person_id"),
                        ("person", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_voucher_application_parent",
                        ("voucher_application", "parent_person_id"),
                        ("person", "id"),
                    ))
                    .take(),
            )
            .await?;
        // One child, one application per campaign, whichever parent applies.
        manager
            .create_index(
                Index::create()
                    .name("voucher_application_child")
                    .table(a("voucher_application"))
                    .col(a("campaign_id"))
                    .col(a("child_person_id"))
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("voucher_application_queue")
                    .table(a("voucher_application"))
                    .col(a("campaign_id"))
                    .col(a("status"))
                    .col(a("rank"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("voucher_application_category"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("application_id")))
                    .col(string_len(a("category"), 32))
                    .col(text(a("evidence")))
                    .col(string_len(a("status"), 16))
                    .col(text_null(a("reason")))
                    .col(big_integer_null(a("decided_by")))
                    .col(timestamp_with_time_zone_null(a("decided_at")))
                    .foreign_key(&mut fk(
                        "fk_voucher_category_application",
                        ("voucher_application_category", "application_id"),
                        ("voucher_application", "id"),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("voucher_application_category_unique")
                    .table(a("voucher_application_category"))
                    .col(a("application_id"))
                    .col(a("category"))
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("voucher_allocation"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("campaign_id")))
                    // What started it: the window closing, or money freed.
                    .col(string_len(a("trigger"), 16))
                    .col(integer(a("issued")))
                    .col(big_integer_null(a("cutoff_score")))
                    .col(big_integer(a("committed")))
                    // The published file (JSON) and its SHA-256.
                    .col(text(a("file")))
                    .col(string_len(a("sha256"), 64))
                    .col(big_integer_null(a("created_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk(
                        "fk_voucher_allocation_campaign",
                        ("voucher_allocation", "campaign_id"),
                        ("voucher_campaign", "id"),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("voucher"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("campaign_id")))
                    .col(big_integer(a("application_id")))
                    .col(big_integer(a("child_person_id")))
                    .col(big_integer(a("allocation_id")))
                    .col(string_len(a("direction"), 32))
                    .col(big_integer(a("monthly_value")))
                    .col(integer(a("first_month")))
                    .col(integer(a("last_month")))
                    // What this voucher still holds of the campaign's budget.
                    .col(big_integer(a("committed")))
                    .col(string_len(a("status"), 16))
                    .col(timestamp_with_time_zone(a("issued_at")))
                    .col(timestamp_with_time_zone_null(a("ended_at")))
                    .col(text_null(a("end_reason")))
                    .foreign_key(&mut fk(
                        "fk_voucher_campaign",
                        ("voucher", "campaign_id"),
                        ("voucher_campaign", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_voucher_application",
                        ("voucher", "application_id"),
                        ("voucher_application", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_voucher_allocation",
                        ("voucher", "allocation_id"),
                        ("voucher_allocation", "id"),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("voucher_application_unique")
                    .table(a("voucher"))
                    .col(a("application_id"))
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("voucher_child")
                    .table(a("voucher"))
                    .col(a("child_person_id"))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "voucher",
                "voucher_allocation",
                "voucher_application_category",
                "voucher_application",
                "voucher_direction",
                "voucher_campaign",
                "voucher_priority_table",
            ],
        )
        .await
    }
}
