//! Foundation: territories, organisations, persons, guardianship, accounts, roles, sessions,
//! sign-in throttling and the audit trail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Region {
    Table,
    Kato,
    NameKk,
    NameRu,
    NameEn,
}

#[derive(DeriveIden)]
enum Locality {
    Table,
    Kato,
    RegionKato,
    NameKk,
    NameRu,
    NameEn,
    Rural,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
    Bin,
    Kind,
    NameKk,
    NameRu,
    NameEn,
    LocalityKato,
    RegionKato,
    ParentId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
    Iin,
    LastName,
    FirstName,
    MiddleName,
    BirthDate,
    Phone,
    Email,
    Language,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Guardianship {
    Table,
    Id,
    ParentPersonId,
    ChildPersonId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Login,
    Kind,
    DisplayName,
    PasswordHash,
    Language,
    PersonId,
    Disabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoleAssignment {
    Table,
    Id,
    AccountId,
    Role,
    OrganisationId,
    RegionKato,
    AllowedOperations,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    Id,
    TokenHash,
    Family,
    AccountId,
    ExpiresAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    KeyHash,
    Failures,
    WindowStart,
    LockedUntil,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    At,
    ActorAccountId,
    Action,
    SubjectType,
    SubjectId,
    Details,
}

fn id<T: IntoIden>(col: T) -> ColumnDef {
    big_integer(col).auto_increment().primary_key().take()
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .take()
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for col in cols {
        idx.col(Alias::new(*col));
    }
    idx.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Region::Table)
                    .col(string_len(Region::Kato, 9).primary_key())
                    .col(string(Region::NameKk))
                    .col(string(Region::NameRu))
                    .col(string(Region::NameEn))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Locality::Table)
                    .col(string_len(Locality::Kato, 9).primary_key())
                    .col(string_len(Locality::RegionKato, 9))
                    .col(string(Locality::NameKk))
                    .col(string(Locality::NameRu))
                    .col(string(Locality::NameEn))
                    .col(boolean(Locality::Rural))
                    .foreign_key(&mut fk(
                        "fk_locality_region",
                        (Locality::Table, Locality::RegionKato),
                        (Region::Table, Region::Kato),
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_locality_region",
                Locality::Table,
                &["region_kato"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organisation::Table)
                    .col(id(Organisation::Id))
                    .col(string_len(Organisation::Bin, 12).unique_key())
                    .col(string_len(Organisation::Kind, 32))
                    .col(string(Organisation::NameKk))
                    .col(string(Organisation::NameRu))
                    .col(string(Organisation::NameEn))
                    .col(string_len_null(Organisation::LocalityKato, 9))
                    .col(string_len_null(Organisation::RegionKato, 9))
                    .col(big_integer_null(Organisation::ParentId))
                    .col(timestamp_with_time_zone(Organisation::CreatedAt))
                    .col(timestamp_with_time_zone(Organisation::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_organisation_locality",
                        (Organisation::Table, Organisation::LocalityKato),
                        (Locality::Table, Locality::Kato),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_organisation_region",
                        (Organisation::Table, Organisation::RegionKato),
                        (Region::Table, Region::Kato),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_organisation_parent",
                        (Organisation::Table, Organisation::ParentId),
                        (Organisation::Table, Organisation::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;
        for (name, cols) in [
            ("idx_organisation_kind", &["kind"][..]),
            ("idx_organisation_region", &["region_kato"][..]),
            ("idx_organisation_locality", &["locality_kato"][..]),
            ("idx_organisation_parent", &["parent_id"][..]),
        ] {
            manager
                .create_index(index(name, Organisation::Table, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Person::Table)
                    .col(id(Person::Id))
                    .col(string_len(Person::Iin, 12).unique_key())
                    .col(string(Person::LastName))
                    .col(string(Person::FirstName))
                    .col(string_null(Person::MiddleName))
                    .col(date_null(Person::BirthDate))
                    .col(string_null(Person::Phone))
                    .col(string_null(Person::Email))
                    .col(string_len(Person::Language, 2))
                    .col(timestamp_with_time_zone(Person::CreatedAt))
                    .col(timestamp_with_time_zone(Person::UpdatedAt))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_person_last_name", Person::Table, &["last_name"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Guardianship::Table)
                    .col(id(Guardianship::Id))
                    .col(big_integer(Guardianship::ParentPersonId))
                    .col(big_integer(Guardianship::ChildPersonId))
                    .col(timestamp_with_time_zone(Guardianship::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_guardianship_parent",
                        (Guardianship::Table, Guardianship::ParentPersonId),
                        (Person::Table, Person::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_guardianship_child",
                        (Guardianship::Table, Guardianship::ChildPersonId),
                        (Person::Table, Person::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_guardianship_pair",
                    Guardianship::Table,
                    &["parent_person_id", "child_person_id"],
                )
                .unique()
                .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_guardianship_child",
                Guardianship::Table,
                &["child_person_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .col(id(Account::Id))
                    .col(string_len(Account::Login, 64).unique_key())
                    .col(string_len(Account::Kind, 16))
                    .col(string_null(Account::DisplayName))
                    .col(string(Account::PasswordHash))
                    .col(string_len(Account::Language, 2))
                    .col(big_integer_null(Account::PersonId))
                    .col(boolean(Account::Disabled))
                    .col(timestamp_with_time_zone(Account::CreatedAt))
                    .col(timestamp_with_time_zone(Account::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_account_person",
                        (Account::Table, Account::PersonId),
                        (Person::Table, Person::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_account_person", Account::Table, &["person_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoleAssignment::Table)
                    .col(id(RoleAssignment::Id))
                    .col(big_integer(RoleAssignment::AccountId))
                    .col(string_len(RoleAssignment::Role, 32))
                    .col(big_integer_null(RoleAssignment::OrganisationId))
                    .col(string_len_null(RoleAssignment::RegionKato, 9))
                    .col(text_null(RoleAssignment::AllowedOperations))
                    .col(timestamp_with_time_zone(RoleAssignment::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_role_assignment_account",
                        (RoleAssignment::Table, RoleAssignment::AccountId),
                        (Account::Table, Account::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_role_assignment_organisation",
                        (RoleAssignment::Table, RoleAssignment::OrganisationId),
                        (Organisation::Table, Organisation::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_role_assignment_region",
                        (RoleAssignment::Table, RoleAssignment::RegionKato),
                        (Region::Table, Region::Kato),
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;
        for (name, col) in [
            ("idx_role_assignment_account", "account_id"),
            ("idx_role_assignment_organisation", "organisation_id"),
            ("idx_role_assignment_region", "region_kato"),
            ("idx_role_assignment_role", "role"),
        ] {
            manager
                .create_index(index(name, RoleAssignment::Table, &[col]))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(RefreshToken::Table)
                    .col(id(RefreshToken::Id))
                    .col(string_len(RefreshToken::TokenHash, 64).unique_key())
                    .col(string_len(RefreshToken::Family, 64))
                    .col(big_integer(RefreshToken::AccountId))
                    .col(timestamp_with_time_zone(RefreshToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshToken::RevokedAt))
                    .col(timestamp_with_time_zone(RefreshToken::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_refresh_token_account",
                        (RefreshToken::Table, RefreshToken::AccountId),
                        (Account::Table, Account::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_refresh_token_family",
                RefreshToken::Table,
                &["family"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_refresh_token_account",
                RefreshToken::Table,
                &["account_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .col(string_len(LoginThrottle::KeyHash, 64).primary_key())
                    .col(integer(LoginThrottle::Failures))
                    .col(timestamp_with_time_zone(LoginThrottle::WindowStart))
                    .col(timestamp_with_time_zone_null(LoginThrottle::LockedUntil))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .col(id(AuditEvent::Id))
                    .col(timestamp_with_time_zone(AuditEvent::At))
                    .col(big_integer_null(AuditEvent::ActorAccountId))
                    .col(string_len(AuditEvent::Action, 64))
                    .col(string_len(AuditEvent::SubjectType, 32))
                    .col(string_len(AuditEvent::SubjectId, 64))
                    .col(text(AuditEvent::Details))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_audit_event_actor",
                AuditEvent::Table,
                &["actor_account_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_audit_event_subject",
                AuditEvent::Table,
                &["subject_type", "subject_id"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvent::Table.into_iden(),
            LoginThrottle::Table.into_iden(),
            RefreshToken::Table.into_iden(),
            RoleAssignment::Table.into_iden(),
            Account::Table.into_iden(),
            Guardianship::Table.into_iden(),
            Person::Table.into_iden(),
            Organisation::Table.into_iden(),
            Locality::Table.into_iden(),
            Region::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
