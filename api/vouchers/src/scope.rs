//! Who sees which voucher rows: an akimat officer the campaigns of their regions; a parent
//! their own children's applications and vouchers. Rows outside the scope are not found.

use adal_core::auth::scope::Scope;
use adal_core::auth::{Actor, Role};

/// Regions whose campaigns the caller runs (akimat officers only: the operator's staff have
/// no business with vouchers).
pub fn campaign_regions(actor: &Actor) -> Scope<String> {
    Scope::Only(actor.regions(Role::AkimatOfficer))
}

/// Children whose applications and vouchers the caller may see as a parent.
pub fn children(actor: &Actor) -> Scope<i64> {
    if actor.has_role(Role::Parent) {
        Scope::Only(actor.children.clone())
    } else {
        Scope::Only(Vec::new())
    }
}
