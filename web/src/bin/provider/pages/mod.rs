//! The provider portal's pages, and what they share: the organisation's own sections, months,
//! directions, the states of a child's month, and the API's refusals in the person's language.

pub mod payouts;
pub mod sections;
pub mod sheet;

use leptos::prelude::*;

use crate::api::{ApiError, ErrorCode};
use crate::gql::{self, ProviderStatus};
use crate::i18n::{Key, Lang};
use crate::ui::{fill, lang};
pub use adal_web::vouchers::{attendance_status, day_key, direction_key};

/// A month as the API writes it: `YYYYMM`.
pub type Month = i64;

pub use adal_web::days::this_month;

/// The month `n` months before `m`.
pub fn months_before(m: Month, n: i64) -> Month {
    let index = (m / 100) * 12 + (m % 100 - 1) - n;
    (index / 12) * 100 + index % 12 + 1
}

/// A month as people write it: 12.2026 (kk, ru) or 2026-12 (en).
pub fn month_label(l: Lang, m: Month) -> String {
    match l {
        Lang::Kk | Lang::Ru => format!("{:02}.{}", m % 100, m / 100),
        Lang::En => format!("{}-{:02}", m / 100, m % 100),
    }
}

/// The months a provider works with: this month and the eleven before, newest first.
pub fn recent_months() -> Vec<Month> {
    let now = this_month();
    (0..12).map(|n| months_before(now, n)).collect()
}

/// The explanation, in the person's language, of a refusal the API states by its field;
/// `None` for errors the shared box explains (a refusal's reason among them).
pub fn refusal(e: &ApiError) -> Option<Key> {
    if e.reason.is_some() {
        return None;
    }
    match e.code {
        ErrorCode::BadUserInput if e.is_about("month") => Some(Key::SheetErrMonth),
        ErrorCode::BadUserInput if e.is_about("rows") => Some(Key::SheetInvalidRow),
        ErrorCode::BadUserInput => e.field.as_deref().and_then(section_field_key),
        ErrorCode::NotFound => Some(Key::SheetErrNotYours),
        _ => None,
    }
}

/// The explanation of a section form's field the API refused.
pub fn section_field_key(field: &str) -> Option<Key> {
    match field.rsplit('.').next().unwrap_or(field) {
        "name" => Some(Key::ProviderErrName),
        "ageMin" | "ageMax" => Some(Key::ProviderErrAges),
        "schedule" => Some(Key::ProviderErrSchedule),
        "capacity" => Some(Key::ProviderErrCapacity),
        "monthlyPrice" => Some(Key::ProviderErrPrice),
        "address" => Some(Key::ProviderErrAddress),
        "localityKato" => Some(Key::ProviderErrLocality),
        _ => None,
    }
}

/// An error of the provider's pages: a known refusal in the person's language, else the
/// shared error box.
pub fn refusal_view(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    adal_web::ui::explained_error_view(error, refusal)
}

/// The caller's organisation as a voucher provider, and its sections.
pub struct Own {
    pub providers: Vec<gql::provider_sections::ProviderSectionsVoucherProviders>,
    pub sections: Vec<gql::provider_sections::ProviderSectionsVoucherSections>,
}

impl Own {
    /// Keeps the sections of the caller's own organisation (the list is public).
    pub fn of(d: gql::provider_sections::ResponseData) -> Self {
        let orgs: Vec<String> = d
            .voucher_providers
            .iter()
            .filter_map(|p| p.organisation.as_ref().map(|o| o.id.clone()))
            .collect();
        let sections = d
            .voucher_sections
            .into_iter()
            .filter(|s| {
                s.organisation
                    .as_ref()
                    .is_some_and(|o| orgs.contains(&o.id))
            })
            .collect();
        Self {
            providers: d.voucher_providers,
            sections,
        }
    }

    /// What the page says about the registration when it is not approved (or absent).
    pub fn standing(&self) -> Option<impl IntoView + use<>> {
        if self
            .providers
            .iter()
            .any(|p| p.status == Some(ProviderStatus::Approved))
        {
            return None;
        }
        let (key, reason) = match self.providers.first() {
            None => (Key::ProviderNotRegistered, String::new()),
            Some(p) if p.status == Some(ProviderStatus::Rejected) => (
                Key::ProviderStatusRejected,
                p.reason.clone().unwrap_or_default(),
            ),
            Some(_) => (Key::ProviderStatusPending, String::new()),
        };
        Some(view! {
            <p class="alert info" id="provider-standing" role="status">
                {move || fill(lang().text(key), &[("reason", reason.clone())])}
            </p>
        })
    }
}
