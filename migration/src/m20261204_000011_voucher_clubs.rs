//! The voucher follows the child: providers the akimat approves, their sections, the child's
//! enrolment, monthly attendance the parent confirms, and the payouts made from it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("voucher_provider"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("organisation_id")))
                    .col(string_len(a("region_kato"), 9))
                    .col(string_len(a("status"), 16))
                    .col(text_null(a("reason")))
                    .col(big_integer_null(a("registered_by")))
                    .col(timestamp_with_time_zone(a("registered_at")))
                    .col(big_integer_null(a("decided_by")))
                    .col(timestamp_with_time_zone_null(a("decided_at")))
                    .foreign_key(&mut fk(
                        "fk_voucher_provider_organisation",
                        ("voucher_provider", "organisation_id"),
                        ("organisation", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "voucher_provider_region",
            "voucher_provider",
            &["organisation_id", "region_kato"],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("voucher_section"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("organisation_id")))
                    .col(string_len(a("region_kato"), 9))
                    .col(string(a("name")))
                    .col(string_len(a("direction"), 32))
                    .col(integer(a("age_min")))
                    .col(integer(a("age_max")))
                    // JSON: [{"day": 1-7, "start": "HH:MM", "end": "HH:MM"}]
                    .col(text(a("schedule")))
                    .col(integer(a("capacity")))
                    .col(integer(a("enrolled")).default(0).take())
                    .col(string_len_null(a("locality_kato"), 9))
                    .col(string(a("address")))
                    .col(big_integer(a("monthly_price")))
                    .col(boolean(a("active")).default(true).take())
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk(
                        "fk_voucher_section_organisation",
                        ("voucher_section", "organisation_id"),
                        ("organisation", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "voucher_section_org",
            "voucher_section",
            &["organisation_id"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("voucher_enrolment"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("voucher_id")))
                    .col(big_integer(a("section_id")))
                    .col(big_integer(a("child_person_id")))
                    .col(integer(a("first_month")))
                    // The last month in this section, once the voucher moves or ends.
                    .col(integer_null(a("last_month")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk(
                        "fk_voucher_enrolment_voucher",
                        ("voucher_enrolment", "voucher_id"),
                        ("voucher", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_voucher_enrolment_section",
                        ("voucher_enrolment", "section_id"),
                        ("voucher_section", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "voucher_enrolment_voucher",
            "voucher_enrolment",
            &["voucher_id"],
            false,
        )
        .await?;
        index(
            manager,
            "voucher_enrolment_section",
            "voucher_enrolment",
            &["section_id"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("voucher_attendance"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("enrolment_id")))
                    .col(big_integer(a("voucher_id")))
                    .col(big_integer(a("section_id")))
                    .col(big_integer(a("organisation_id")))
                    .col(big_integer(a("campaign_id")))
                    .col(big_integer(a("child_person_id")))
                    .col(integer(a("month")))
                    .col(integer(a("sessions_held")))
                    .col(integer(a("sessions_attended")))
                    .col(string_len(a("status"), 16))
                    .col(big_integer_null(a("recorded_by")))
                    .col(timestamp_with_time_zone(a("recorded_at")))
                    .col(text_null(a("dispute_reason")))
                    .col(text_null(a("resolution")))
                    .col(big_integer_null(a("decided_by")))
                    .col(timestamp_with_time_zone_null(a("decided_at")))
                    .col(big_integer_null(a("payout")))
                    .col(big_integer_null(a("payout_id")))
                    .foreign_key(&mut fk(
                        "fk_voucher_attendance_enrolment",
                        ("voucher_attendance", "enrolment_id"),
                        ("voucher_enrolment", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "voucher_attendance_month",
            "voucher_attendance",
            &["enrolment_id", "month"],
            true,
        )
        .await?;
        index(
            manager,
            "voucher_attendance_campaign",
            "voucher_attendance",
            &["campaign_id", "month", "status"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("voucher_payout"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("campaign_id")))
                    .col(integer(a("month")))
                    .col(big_integer(a("organisation_id")))
                    .col(integer(a("children")))
                    .col(big_integer(a("amount")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(big_integer_null(a("created_by")))
                    .foreign_key(&mut fk(
                        "fk_voucher_payout_campaign",
                        ("voucher_payout", "campaign_id"),
                        ("voucher_campaign", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "voucher_payout_month",
            "voucher_payout",
            &["campaign_id", "month", "organisation_id"],
            true,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "voucher_payout",
                "voucher_attendance",
                "voucher_enrolment",
                "voucher_section",
                "voucher_provider",
            ],
        )
        .await
    }
}
