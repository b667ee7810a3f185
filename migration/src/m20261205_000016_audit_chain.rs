//! The audit trail made tamper-evident: each event, once sealed, is a link of one hash chain
//! (`audit_chain`: the event, the previous link's hash and its own hash over both), each day's
//! last link is published (`audit_day_head`) and may be sent to a witness, and the database
//! refuses to update or delete audit events and links (triggers on PostgreSQL and SQLite).

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The triggers that refuse changes to the trail, per backend.
const PG_TRIGGERS: &str = r"
CREATE FUNCTION adal_audit_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail cannot be changed (% on %)', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_frozen BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION adal_audit_refuse();
CREATE TRIGGER audit_chain_frozen BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION adal_audit_refuse();
CREATE TRIGGER audit_day_head_kept BEFORE DELETE ON audit_day_head
    FOR EACH ROW EXECUTE FUNCTION adal_audit_refuse();
CREATE TRIGGER audit_day_head_frozen BEFORE UPDATE OF day, seq, hash, events ON audit_day_head
    FOR EACH ROW EXECUTE FUNCTION adal_audit_refuse();
";

const SQLITE_TRIGGERS: [&str; 6] = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event \
     BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed (UPDATE on audit_event)'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event \
     BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed (DELETE on audit_event)'); END",
    "CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain \
     BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed (UPDATE on audit_chain)'); END",
    "CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain \
     BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed (DELETE on audit_chain)'); END",
    "CREATE TRIGGER audit_day_head_no_delete BEFORE DELETE ON audit_day_head \
     BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed (DELETE on audit_day_head)'); END",
    "CREATE TRIGGER audit_day_head_no_update BEFORE UPDATE OF day, seq, hash, events ON audit_day_head \
     BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed (UPDATE on audit_day_head)'); END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("audit_chain"))
                    // The link's place in the chain: 1, 2, 3, ... in the order links were sealed.
                    .col(big_integer(a("seq")).primary_key().take())
                    .col(big_integer(a("event_id")))
                    .col(string_len(a("prev_hash"), 64))
                    .col(string_len(a("hash"), 64))
                    .col(timestamp_with_time_zone(a("sealed_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "audit_chain_event",
            "audit_chain",
            &["event_id"],
            true,
        )
        .await?;
        // The chain's last link, one row: the sealers of every instance take turns on it.
        manager
            .create_table(
                Table::create()
                    .table(a("audit_chain_head"))
                    .col(integer(a("id")).primary_key().take())
                    .col(big_integer(a("seq")))
                    .col(string_len(a("hash"), 64))
                    .take(),
            )
            .await?;
        let mut head = Query::insert();
        head.into_table(a("audit_chain_head"))
            .columns([a("id"), a("seq"), a("hash")])
            .values([1.into(), 0i64.into(), "0".repeat(64).into()])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        manager.exec_stmt(head).await?;
        manager
            .create_table(
                Table::create()
                    .table(a("audit_day_head"))
                    // The day (Kazakhstan's time, UTC+5) whose last link this is.
                    .col(date(a("day")).primary_key().take())
                    .col(big_integer(a("seq")))
                    .col(string_len(a("hash"), 64))
                    // Links sealed that day.
                    .col(big_integer(a("events")))
                    .col(timestamp_with_time_zone(a("published_at")))
                    .col(timestamp_with_time_zone_null(a("witnessed_at")))
                    // What the witness answered (its receipt), as it came.
                    .col(text_null(a("witness_receipt")))
                    .take(),
            )
            .await?;
        // The sealer looks for unsealed events among the recent ones only.
        index(manager, "audit_event_at", "audit_event", &["at"], false).await?;
        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(PG_TRIGGERS).await?;
        } else {
            for t in SQLITE_TRIGGERS {
                db.execute_unprepared(t).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(
                "DROP TRIGGER IF EXISTS audit_event_frozen ON audit_event; \
                 DROP FUNCTION IF EXISTS adal_audit_refuse() CASCADE;",
            )
            .await?;
        } else {
            for t in ["audit_event_no_update", "audit_event_no_delete"] {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {t}"))
                    .await?;
            }
        }
        manager
            .drop_index(
                Index::drop()
                    .name("audit_event_at")
                    .table(a("audit_event"))
                    .to_owned(),
            )
            .await?;
        drop_tables(
            manager,
            &["audit_day_head", "audit_chain_head", "audit_chain"],
        )
        .await
    }
}
