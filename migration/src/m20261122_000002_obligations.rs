//! Work-off obligations: graduates, obligations, qualification rules, contributions, imports,
//! exemptions with commission votes, reimbursement claims. Also classifies organisations.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

use crate::common::{a, drop_tables};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (col, def) in [
            ("activity_code", string_len_null(a("activity_code"), 16)),
            ("address", string_null(a("address"))),
            (
                "needs_classification",
                boolean(a("needs_classification")).default(false).take(),
            ),
        ] {
            let _ = col;
            manager
                .alter_table(
                    Table::alter()
                        .table(a("organisation"))
                        .add_column(def)
                        .take(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(a("graduate"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("person_id")))
                    .col(big_integer(a("university_id")))
                    .col(string(a("specialty_code")))
                    .col(string(a("specialty_name")))
                    .col(string_len(a("specialty_group"), 32))
                    .col(string_len(a("level"), 32))
                    .col(string_len(a("funding_category"), 32))
                    .col(string_len_null(a("home_region_kato"), 9))
                    .col(date(a("study_start")))
                    .col(date(a("graduation_date")))
                    .col(integer(a("grant_months")))
                    .col(integer(a("programme_months")))
                    .col(big_integer(a("budget_cost")))
                    .col(big_integer_null(a("referral_employer_id")))
                    .col(date_null(a("referral_date")))
                    .col(big_integer_null(a("batch_id")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_graduate_person_id")
                            .from(a("graduate"), a("person_id"))
                            .to(a("person"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_graduate_university_id")
                            .from(a("graduate"), a("university_id"))
                            .to(a("organisation"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_graduate_referral_employer_id")
                            .from(a("graduate"), a("referral_employer_id"))
                            .to(a("organisation"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("obligation"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("graduate_id")))
                    .col(integer(a("required_months")))
                    .col(date(a("start_date")))
                    .col(string_len(a("status"), 32))
                    .col(integer(a("credited_months")))
                    .col(date_null(a("projected_completion")))
                    .col(integer(a("rule_version")))
                    .col(text(a("explanation")))
                    .col(timestamp_with_time_zone(a("evaluated_at")))
                    .col(integer_null(a("horizon")))
                    .col(big_integer_null(a("last_employer_id")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_obligation_graduate_id")
                            .from(a("obligation"), a("graduate_id"))
                            .to(a("graduate"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("rule_set"))
                    .col(integer(a("version")).primary_key().take())
                    .col(text(a("rules")))
                    .col(text(a("note")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(big_integer_null(a("created_by")))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("contribution"))
                    .col(string_len(a("iin"), 12))
                    .col(integer(a("period")))
                    .col(string_len(a("employer_bin"), 12))
                    .col(string_len(a("payment_code"), 3))
                    .col(date_null(a("payment_date")))
                    .col(big_integer_null(a("amount")))
                    // The batch that first brought the record (not indexed: an import keeps
                    // the IINs it touched in memory).
                    .col(big_integer(a("batch_id")))
                    // One record per graduate, month, employer and payment code: the key
                    // makes duplicates count once and serves the ledger's reads by IIN. No
                    // surrogate id: on 5 million rows each index costs import time.
                    .primary_key(
                        Index::create()
                            .col(a("iin"))
                            .col(a("period"))
                            .col(a("employer_bin"))
                            .col(a("payment_code")),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("import_batch"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(string_len(a("kind"), 32))
                    .col(string(a("file_name")))
                    .col(string_len(a("sha256"), 64))
                    .col(string_len(a("status"), 32))
                    .col(big_integer(a("total_rows")))
                    .col(big_integer(a("accepted")))
                    .col(big_integer(a("duplicates")))
                    .col(big_integer(a("rejected")))
                    .col(timestamp_with_time_zone(a("started_at")))
                    .col(timestamp_with_time_zone_null(a("finished_at")))
                    .col(big_integer_null(a("created_by")))
                    .col(text_null(a("error")))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("import_rejection"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("batch_id")))
                    .col(big_integer(a("line")))
                    .col(string_null(a("field")))
                    .col(text(a("reason")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_rejection_batch_id")
                            .from(a("import_rejection"), a("batch_id"))
                            .to(a("import_batch"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("activity_code"))
                    .col(string_len(a("code"), 16).primary_key().take())
                    .col(string(a("name_kk")))
                    .col(string(a("name_ru")))
                    .col(string(a("name_en")))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("exemption"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("graduate_id")))
                    .col(string_len(a("kind"), 32))
                    .col(string_len(a("ground"), 64))
                    .col(date_null(a("period_start")))
                    .col(date_null(a("period_end")))
                    .col(string_len(a("status"), 32))
                    .col(text(a("statement")))
                    .col(big_integer_null(a("applied_by")))
                    .col(timestamp_with_time_zone(a("applied_at")))
                    .col(timestamp_with_time_zone_null(a("decided_at")))
                    .col(text_null(a("decision_reason")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_exemption_graduate_id")
                            .from(a("exemption"), a("graduate_id"))
                            .to(a("graduate"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("exemption_document"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("exemption_id")))
                    .col(string(a("file_name")))
                    .col(string(a("content_type")))
                    .col(big_integer(a("size")))
                    .col(string_len(a("sha256"), 64))
                    .col(timestamp_with_time_zone(a("uploaded_at")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_exemption_document_exemption_id")
                            .from(a("exemption_document"), a("exemption_id"))
                            .to(a("exemption"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("commission_vote"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("exemption_id")))
                    .col(big_integer(a("member_account_id")))
                    .col(boolean(a("approve")))
                    .col(text(a("reason")))
                    .col(timestamp_with_time_zone(a("at")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_commission_vote_exemption_id")
                            .from(a("commission_vote"), a("exemption_id"))
                            .to(a("exemption"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_commission_vote_member_account_id")
                            .from(a("commission_vote"), a("member_account_id"))
                            .to(a("account"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("claim"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("obligation_id")))
                    .col(big_integer(a("amount")))
                    .col(text(a("computation")))
                    .col(string_len(a("status"), 32))
                    .col(big_integer_null(a("created_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_claim_obligation_id")
                            .from(a("claim"), a("obligation_id"))
                            .to(a("obligation"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("claim_payment"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("claim_id")))
                    .col(big_integer(a("amount")))
                    .col(date(a("paid_on")))
                    .col(string(a("reference")))
                    .col(big_integer_null(a("recorded_by")))
                    .col(timestamp_with_time_zone(a("recorded_at")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_claim_payment_claim_id")
                            .from(a("claim_payment"), a("claim_id"))
                            .to(a("claim"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("claim_contact"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("claim_id")))
                    .col(string_len(a("channel"), 32))
                    .col(string(a("outcome")))
                    .col(text(a("note")))
                    .col(big_integer_null(a("by_account")))
                    .col(timestamp_with_time_zone(a("at")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_claim_contact_claim_id")
                            .from(a("claim_contact"), a("claim_id"))
                            .to(a("claim"), a("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        for (name, table, cols, unique) in [
            (
                "uq_graduate_grant",
                "graduate",
                &[
                    "person_id",
                    "university_id",
                    "specialty_code",
                    "graduation_date",
                ][..],
                true,
            ),
            (
                "idx_graduate_university",
                "graduate",
                &["university_id"][..],
                false,
            ),
            (
                "idx_graduate_category",
                "graduate",
                &["funding_category"][..],
                false,
            ),
            (
                "idx_graduate_region",
                "graduate",
                &["home_region_kato"][..],
                false,
            ),
            (
                "idx_graduate_graduation",
                "graduate",
                &["graduation_date"][..],
                false,
            ),
            (
                "uq_obligation_graduate",
                "obligation",
                &["graduate_id"][..],
                true,
            ),
            (
                "idx_obligation_status",
                "obligation",
                &["status"][..],
                false,
            ),
            (
                "idx_obligation_last_employer",
                "obligation",
                &["last_employer_id"][..],
                false,
            ),
            (
                "idx_contribution_employer",
                "contribution",
                &["employer_bin"][..],
                false,
            ),
            (
                "idx_import_batch_sha",
                "import_batch",
                &["kind", "sha256"][..],
                false,
            ),
            (
                "idx_import_rejection_batch",
                "import_rejection",
                &["batch_id", "line"][..],
                false,
            ),
            (
                "idx_exemption_graduate",
                "exemption",
                &["graduate_id"][..],
                false,
            ),
            ("idx_exemption_status", "exemption", &["status"][..], false),
            (
                "idx_exemption_document_exemption",
                "exemption_document",
                &["exemption_id"][..],
                false,
            ),
            (
                "uq_commission_vote",
                "commission_vote",
                &["exemption_id", "member_account_id"][..],
                true,
            ),
            (
                "idx_claim_obligation",
                "claim",
                &["obligation_id"][..],
                false,
            ),
            ("idx_claim_status", "claim", &["status"][..], false),
            (
                "idx_claim_payment_claim",
                "claim_payment",
                &["claim_id"][..],
                false,
            ),
            (
                "idx_claim_contact_claim",
                "claim_contact",
                &["claim_id"][..],
                false,
            ),
            (
                "idx_organisation_needs_classification",
                "organisation",
                &["needs_classification"][..],
                false,
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(a(table));
            for c in cols {
                idx.col(a(c));
            }
            if unique {
                idx.unique();
            }
            manager.create_index(idx.take()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "claim_contact",
                "claim_payment",
                "claim",
                "commission_vote",
                "exemption_document",
                "exemption",
                "activity_code",
                "import_rejection",
                "import_batch",
                "contribution",
                "rule_set",
                "obligation",
                "graduate",
            ],
        )
        .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_organisation_needs_classification")
                    .table(a("organisation"))
                    .to_owned(),
            )
            .await?;
        for col in ["activity_code", "address", "needs_classification"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(a("organisation"))
                        .drop_column(a(col))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
