//! Schools (domain brief §4): classes, pupils and staff, identification cards, devices and the
//! events they upload, meal eligibility with its grounds, menus and dishes with allergens, the
//! meals served and the pupils' balances, the parents' allergen blocks and the staff's
//! overrides, ratings, and what each parent wants to be told.
//!
//! The two tables that grow with every pass and every meal (`school_event`, `school_meal`: about
//! 2.5 billion rows a school year at national scale) are partitioned by month on PostgreSQL
//! (declarative range partitioning on `day`, a default partition for stray dates; the server
//! creates the months ahead). Their primary key there is `(id, day)`, as PostgreSQL requires the
//! partition key in every unique index; on SQLite they are plain tables.

use sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A table created with its `id` first: an auto-increment primary key on SQLite; on PostgreSQL
/// with `partitioned`, a `bigserial` in the key `(id, day)` of a table partitioned by `day`.
fn table(name: &str, pg: bool, partitioned: bool) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(a(name));
    if pg && partitioned {
        t.col(big_integer(a("id")).auto_increment().take())
            .primary_key(Index::create().col(a("id")).col(a("day")))
            .extra("PARTITION BY RANGE (day)");
    } else {
        t.col(big_integer(a("id")).auto_increment().primary_key().take());
    }
    t
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let pg = manager.get_database_backend() == DatabaseBackend::Postgres;
        manager
            .create_table(
                Table::create()
                    .table(a("school_profile"))
                    .col(big_integer(a("organisation_id")).primary_key().take())
                    // "HH:MM", local time: lessons start; a first entry later than this plus
                    // the grace is late.
                    .col(string_len(a("lessons_start"), 5))
                    .col(integer(a("late_grace_minutes")))
                    .col(boolean(a("allow_credit")))
                    .col(big_integer(a("credit_limit")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(&mut fk(
                        "fk_school_profile_organisation",
                        ("school_profile", "organisation_id"),
                        ("organisation", "id"),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                table("school_class", pg, false)
                    .col(big_integer(a("school_id")))
                    .col(string_len(a("name"), 16))
                    .col(integer(a("grade")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk(
                        "fk_school_class_school",
                        ("school_class", "school_id"),
                        ("organisation", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_class_name",
            "school_class",
            &["school_id", "name"],
            true,
        )
        .await?;
        manager
            .create_table(
                table("school_member", pg, false)
                    .col(big_integer(a("school_id")))
                    .col(big_integer(a("person_id")))
                    .col(string_len(a("kind"), 8))
                    .col(big_integer_null(a("class_id")))
                    .col(string_null(a("position")))
                    .col(boolean(a("active")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(&mut fk(
                        "fk_school_member_school",
                        ("school_member", "school_id"),
                        ("organisation", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_school_member_person",
                        ("school_member", "person_id"),
                        ("person", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_school_member_class",
                        ("school_member", "class_id"),
                        ("school_class", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_member_person",
            "school_member",
            &["school_id", "person_id"],
            true,
        )
        .await?;
        index(
            manager,
            "school_member_of_person",
            "school_member",
            &["person_id"],
            false,
        )
        .await?;
        manager
            .create_table(
                table("school_id_consent", pg, false)
                    .col(big_integer(a("pupil_person_id")))
                    .col(big_integer(a("parent_person_id")))
                    .col(string_len(a("method"), 8))
                    .col(timestamp_with_time_zone(a("given_at")))
                    .col(timestamp_with_time_zone_null(a("revoked_at")))
                    .foreign_key(&mut fk(
                        "fk_school_id_consent_pupil",
                        ("school_id_consent", "pupil_person_id"),
                        ("person", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_id_consent_pupil",
            "school_id_consent",
            &["pupil_person_id"],
            false,
        )
        .await?;
        manager
            .create_table(
                table("school_card", pg, false)
                    .col(big_integer(a("school_id")))
                    .col(big_integer(a("person_id")))
                    .col(string_len(a("kind"), 8))
                    // A card's UID; for a QR code its token; for a PIN sha256(school:pin).
                    .col(string_len(a("credential"), 64))
                    .col(string_len(a("status"), 8))
                    .col(big_integer_null(a("consent_id")))
                    .col(timestamp_with_time_zone(a("issued_at")))
                    .col(timestamp_with_time_zone_null(a("blocked_at")))
                    .col(text_null(a("block_reason")))
                    .foreign_key(&mut fk(
                        "fk_school_card_person",
                        ("school_card", "person_id"),
                        ("person", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_school_card_school",
                        ("school_card", "school_id"),
                        ("organisation", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_card_credential",
            "school_card",
            &["kind", "credential"],
            true,
        )
        .await?;
        index(
            manager,
            "school_card_person",
            "school_card",
            &["person_id"],
            false,
        )
        .await?;
        manager
            .create_table(
                table("school_device", pg, false)
                    .col(big_integer(a("account_id")))
                    .col(big_integer(a("school_id")))
                    .col(string_len(a("kind"), 16))
                    .col(string(a("name")))
                    .col(timestamp_with_time_zone(a("registered_at")))
                    .col(big_integer(a("last_seq")))
                    .col(timestamp_with_time_zone_null(a("last_seen_at")))
                    .foreign_key(&mut fk(
                        "fk_school_device_account",
                        ("school_device", "account_id"),
                        ("account", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_school_device_school",
                        ("school_device", "school_id"),
                        ("organisation", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_device_account",
            "school_device",
            &["account_id"],
            true,
        )
        .await?;
        manager
            .create_table(
                table("school_event", pg, true)
                    .col(big_integer(a("school_id")))
                    .col(big_integer(a("device_id")))
                    .col(big_integer(a("seq")))
                    .col(string_len(a("kind"), 8))
                    .col(big_integer_null(a("person_id")))
                    .col(big_integer_null(a("card_id")))
                    // The local date (UTC+5) of `happened_at`: the partition key.
                    .col(date(a("day")))
                    .col(timestamp_with_time_zone(a("happened_at")))
                    .col(timestamp_with_time_zone(a("received_at")))
                    .col(boolean(a("late")))
                    // The device's clock was wrong: the time is in the future or before the
                    // device was registered. Kept, flagged, left out of attendance.
                    .col(boolean(a("clock_suspect")))
                    // Why the person was not let through (UNKNOWN_CARD, CARD_BLOCKED, ...).
                    .col(string_len_null(a("refused"), 32))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_event_person_day",
            "school_event",
            &["person_id", "day"],
            false,
        )
        .await?;
        index(
            manager,
            "school_event_device_seq",
            "school_event",
            &["device_id", "seq"],
            false,
        )
        .await?;
        index(
            manager,
            "school_event_school_day",
            "school_event",
            &["school_id", "day"],
            false,
        )
        .await?;
        manager
            .create_table(
                table("school_meal_policy", pg, false)
                    .col(string_len(a("region_kato"), 9))
                    .col(integer(a("version")))
                    .col(date(a("valid_from")))
                    // JSON: the categories the region adds to the law's free-meal grounds.
                    .col(text(a("free_categories")))
                    // JSON: [{"category": .., "price": tenge}] reduced prices the region sets.
                    .col(text(a("reduced")))
                    // What the budget pays for one free meal, in tenge.
                    .col(big_integer(a("meal_cost")))
                    .col(big_integer_null(a("created_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_meal_policy_version",
            "school_meal_policy",
            &["region_kato", "version"],
            true,
        )
        .await?;
        manager
            .create_table(
                table("school_meal_ground", pg, false)
                    .col(big_integer(a("person_id")))
                    .col(string_len(a("category"), 32))
                    .col(date(a("valid_from")))
                    .col(date_null(a("valid_to")))
                    .col(text(a("evidence")))
                    .col(big_integer_null(a("recorded_by")))
                    .col(timestamp_with_time_zone(a("recorded_at")))
                    .foreign_key(&mut fk(
                        "fk_school_meal_ground_person",
                        ("school_meal_ground", "person_id"),
                        ("person", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_meal_ground_person",
            "school_meal_ground",
            &["person_id"],
            false,
        )
        .await?;
        manager
            .create_table(
                table("school_dish", pg, false)
                    .col(big_integer(a("school_id")))
                    .col(string(a("name_kk")))
                    .col(string(a("name_ru")))
                    .col(string(a("name_en")))
                    .col(text_null(a("photo_url")))
                    .col(big_integer(a("price")))
                    .col(string_len(a("portion"), 32))
                    // Comma-separated allergen codes, sorted.
                    .col(string(a("allergens")))
                    .col(boolean(a("active")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk(
                        "fk_school_dish_school",
                        ("school_dish", "school_id"),
                        ("organisation", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_dish_school",
            "school_dish",
            &["school_id"],
            false,
        )
        .await?;
        manager
            .create_table(
                table("school_menu_item", pg, false)
                    .col(big_integer(a("school_id")))
                    .col(date(a("day")))
                    .col(big_integer(a("dish_id")))
                    .foreign_key(&mut fk(
                        "fk_school_menu_item_dish",
                        ("school_menu_item", "dish_id"),
                        ("school_dish", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_menu_item_day",
            "school_menu_item",
            &["school_id", "day", "dish_id"],
            true,
        )
        .await?;
        manager
            .create_table(
                table("school_meal", pg, true)
                    .col(big_integer(a("school_id")))
                    .col(big_integer(a("device_id")))
                    .col(big_integer(a("event_id")))
                    .col(big_integer(a("person_id")))
                    .col(date(a("day")))
                    .col(timestamp_with_time_zone(a("served_at")))
                    // JSON: the dish ids served.
                    .col(text(a("dishes")))
                    .col(string_len(a("charge"), 8))
                    .col(string_len_null(a("ground"), 32))
                    // What the pupil paid, and what the budget pays (free and reduced meals).
                    .col(big_integer(a("price")))
                    .col(big_integer(a("cost")))
                    // `day` for the day's free meal, else empty: one free meal a day.
                    .col(date_null(a("free_day")))
                    .col(boolean(a("late")))
                    // Allergens served against the parent's block (an override, or a late
                    // upload the till could not refuse).
                    .col(string_null(a("allergens_served")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_meal_free_day",
            "school_meal",
            &["person_id", "free_day", "day"],
            true,
        )
        .await?;
        index(
            manager,
            "school_meal_person_day",
            "school_meal",
            &["person_id", "day"],
            false,
        )
        .await?;
        index(
            manager,
            "school_meal_school_day",
            "school_meal",
            &["school_id", "day"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("school_balance"))
                    .col(big_integer(a("person_id")).primary_key().take())
                    .col(big_integer(a("amount")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(&mut fk(
                        "fk_school_balance_person",
                        ("school_balance", "person_id"),
                        ("person", "id"),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                table("school_balance_entry", pg, false)
                    .col(big_integer(a("person_id")))
                    .col(big_integer(a("amount")))
                    .col(big_integer(a("balance_after")))
                    .col(string_len(a("kind"), 8))
                    // The payment's reference for a top-up, `meal:<id>` for a meal: unique, so
                    // a record sent twice counts once.
                    .col(string_len(a("reference"), 80))
                    .col(timestamp_with_time_zone(a("at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_balance_entry_reference",
            "school_balance_entry",
            &["reference"],
            true,
        )
        .await?;
        index(
            manager,
            "school_balance_entry_person",
            "school_balance_entry",
            &["person_id", "at"],
            false,
        )
        .await?;
        manager
            .create_table(
                table("school_allergen_block", pg, false)
                    .col(big_integer(a("child_person_id")))
                    .col(string_len(a("allergen"), 16))
                    .col(big_integer(a("set_by_person_id")))
                    .col(timestamp_with_time_zone(a("set_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_allergen_block_child",
            "school_allergen_block",
            &["child_person_id", "allergen"],
            true,
        )
        .await?;
        manager
            .create_table(
                table("school_allergen_override", pg, false)
                    .col(big_integer(a("child_person_id")))
                    .col(big_integer(a("school_id")))
                    .col(string_len(a("allergen"), 16))
                    .col(text(a("reason")))
                    .col(big_integer(a("by_account")))
                    .col(timestamp_with_time_zone(a("at")))
                    .col(date_null(a("valid_to")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_allergen_override_child",
            "school_allergen_override",
            &["child_person_id"],
            false,
        )
        .await?;
        manager
            .create_table(
                table("school_meal_rating", pg, false)
                    .col(big_integer(a("meal_id")))
                    .col(big_integer(a("school_id")))
                    .col(big_integer(a("pupil_person_id")))
                    .col(date(a("day")))
                    // JSON: the dish ids of the meal.
                    .col(text(a("dishes")))
                    .col(big_integer(a("rater_person_id")))
                    .col(integer(a("score")))
                    .col(text_null(a("comment")))
                    .col(timestamp_with_time_zone(a("at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_meal_rating_meal",
            "school_meal_rating",
            &["meal_id"],
            true,
        )
        .await?;
        index(
            manager,
            "school_meal_rating_school",
            "school_meal_rating",
            &["school_id", "day"],
            false,
        )
        .await?;
        manager
            .create_table(
                table("school_notice_pref", pg, false)
                    .col(big_integer(a("parent_person_id")))
                    .col(big_integer(a("child_person_id")))
                    // Comma-separated event kinds the parent wants, and those also by SMS.
                    .col(string_len(a("kinds"), 32))
                    .col(string_len(a("sms_kinds"), 32))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_notice_pref_pair",
            "school_notice_pref",
            &["parent_person_id", "child_person_id"],
            true,
        )
        .await?;
        if pg {
            for t in ["school_event", "school_meal"] {
                manager
                    .get_connection()
                    .execute_unprepared(&format!(
                        "CREATE TABLE {t}_default PARTITION OF {t} DEFAULT"
                    ))
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "school_notice_pref",
                "school_meal_rating",
                "school_allergen_override",
                "school_allergen_block",
                "school_balance_entry",
                "school_balance",
                "school_meal",
                "school_menu_item",
                "school_dish",
                "school_meal_ground",
                "school_meal_policy",
                "school_event",
                "school_device",
                "school_card",
                "school_id_consent",
                "school_member",
                "school_class",
                "school_profile",
            ],
        )
        .await
    }
}
