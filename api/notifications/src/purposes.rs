//! Why a message is sent. The notification service knows no domain, so it does not list the
//! purposes: each domain declares its own ([`PurposeDef`] statics, returned by
//! [`crate::subjects::Subjects::purposes`]) and the service declares only the general ones
//! ([`REMINDER`], [`INFORMATION`]). [`crate::subjects::Domains::new`] registers them once per
//! process; from then on the GraphQL enum `NotificationPurpose` lists every registered purpose,
//! and a stored code is read back with [`Purpose::from_db`].

use std::borrow::Cow;
use std::sync::OnceLock;

use async_graphql::parser::types::Field;
use async_graphql::registry::{MetaEnumValue, MetaType, MetaTypeId, Registry};
use async_graphql::resolver_utils::{EnumItem, EnumType, enum_value, parse_enum};
use async_graphql::{
    ContextSelectionSet, InputType, InputValueResult, OutputType, Positioned, ServerResult, Value,
};

/// Whether (and how) campaigns may send a purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InCampaigns {
    /// By any channel.
    Any,
    /// By SMS only (the person answers by SMS).
    SmsOnly,
    /// Never: the purpose is sent one by one, as an answer or a decision's notice.
    Never,
}

/// A purpose as its domain declares it.
#[derive(Debug)]
pub struct PurposeDef {
    /// The stored code (`snake_case`); its GraphQL name is the code in capitals.
    pub code: &'static str,
    /// A notice the law requires: sent whatever the person's preferences, no opt-out.
    pub legal: bool,
    pub campaigns: InCampaigns,
    /// Where it stands in lists (the GraphQL enum, the person's settings).
    pub order: u16,
    pub description: &'static str,
    /// Sent at any hour, quiet hours or not: a real-time notice the person chose to get (their
    /// child entered school at 07:45), stale an hour later.
    pub any_hour: bool,
}

/// A purpose: a reference to its declaration. Equal when the codes are.
#[derive(Debug, Clone, Copy)]
pub struct Purpose(&'static PurposeDef);

impl PartialEq for Purpose {
    fn eq(&self, other: &Self) -> bool {
        self.0.code == other.0.code
    }
}
impl Eq for Purpose {}

/// Serialized as its stored code (in audit details).
impl serde::Serialize for Purpose {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.code)
    }
}

impl std::fmt::Display for Purpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.code)
    }
}

/// Reminders of what a person is expected to do: optional.
pub static REMINDER: PurposeDef = PurposeDef {
    code: "reminder",
    legal: false,
    campaigns: InCampaigns::Any,
    order: 900,
    description: "a reminder (optional: the person may opt out)",
    any_hour: false,
};

/// General information: optional.
pub static INFORMATION: PurposeDef = PurposeDef {
    code: "information",
    legal: false,
    campaigns: InCampaigns::Any,
    order: 910,
    description: "general information (optional: the person may opt out)",
    any_hour: false,
};

/// The purposes the service itself declares, whatever the domains.
pub const GENERAL: &[&PurposeDef] = &[&REMINDER, &INFORMATION];

struct Registered {
    all: Vec<Purpose>,
    items: Vec<EnumItem<Purpose>>,
}

static REGISTERED: OnceLock<Registered> = OnceLock::new();

/// Registers the purposes of every domain (with [`GENERAL`]). The first call wins; a later
/// call may name the same purposes or fewer (a worker for some domains only), but one that
/// adds a purpose is refused: the GraphQL enum is fixed once a schema exists.
pub fn register(defs: impl IntoIterator<Item = &'static PurposeDef>) -> Result<(), String> {
    let mut all: Vec<Purpose> = GENERAL.iter().copied().chain(defs).map(Purpose).collect();
    all.sort_by_key(|p| (p.0.order, p.0.code));
    all.dedup();
    let codes = |v: &[Purpose]| v.iter().map(|p| p.0.code).collect::<Vec<_>>();
    let wanted = codes(&all);
    let got = REGISTERED.get_or_init(|| Registered {
        items: all
            .iter()
            .map(|p| EnumItem {
                name: Box::leak(p.0.code.to_uppercase().into_boxed_str()),
                value: *p,
            })
            .collect(),
        all,
    });
    let known = codes(&got.all);
    if wanted.iter().all(|c| known.contains(c)) {
        Ok(())
    } else {
        Err(format!(
            "notification purposes registered twice, the second time with new ones: {known:?}, then {wanted:?}"
        ))
    }
}

fn registered() -> &'static [Purpose] {
    REGISTERED.get().map_or(&[], |r| r.all.as_slice())
}

impl Purpose {
    /// The purpose a domain declared.
    pub const fn of(def: &'static PurposeDef) -> Self {
        Purpose(def)
    }

    pub fn as_str(self) -> &'static str {
        self.0.code
    }

    /// Sent at any hour, quiet hours or not.
    pub fn any_hour(self) -> bool {
        self.0.any_hour
    }

    pub fn is_legal(self) -> bool {
        self.0.legal
    }

    pub fn campaigns(self) -> InCampaigns {
        self.0.campaigns
    }

    pub fn is(self, def: &'static PurposeDef) -> bool {
        self.0.code == def.code
    }

    /// The registered purpose with this stored code.
    pub fn from_db(code: &str) -> Option<Self> {
        registered().iter().copied().find(|p| p.0.code == code)
    }

    /// Every registered purpose, in order.
    pub fn all() -> &'static [Purpose] {
        registered()
    }
}

impl EnumType for Purpose {
    fn items() -> &'static [EnumItem<Self>] {
        REGISTERED.get().map_or(&[], |r| r.items.as_slice())
    }
}

const TYPE_NAME: &str = "NotificationPurpose";

fn type_info(registry: &mut Registry) -> String {
    registry.create_input_type::<Purpose, _>(MetaTypeId::Enum, |_| MetaType::Enum {
        name: TYPE_NAME.to_owned(),
        description: Some(
            "Why a message is sent. Each domain declares its purposes; legal notices are sent whatever the person's preferences, the others may be opted out of."
                .to_owned(),
        ),
        enum_values: Purpose::items()
            .iter()
            .map(|i| {
                (
                    i.name.to_owned(),
                    MetaEnumValue {
                        name: i.name.to_owned(),
                        description: Some(i.value.0.description.to_owned()),
                        deprecation: Default::default(),
                        visible: None,
                        inaccessible: false,
                        tags: Vec::new(),
                        directive_invocations: Vec::new(),
                    },
                )
            })
            .collect(),
        visible: None,
        inaccessible: false,
        tags: Vec::new(),
        rust_typename: Some(std::any::type_name::<Purpose>()),
        directive_invocations: Vec::new(),
        requires_scopes: Vec::new(),
    })
}

impl InputType for Purpose {
    type RawValueType = Self;

    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(TYPE_NAME)
    }

    fn create_type_info(registry: &mut Registry) -> String {
        type_info(registry)
    }

    fn parse(value: Option<Value>) -> InputValueResult<Self> {
        parse_enum(value.unwrap_or_default())
    }

    fn to_value(&self) -> Value {
        enum_value(*self)
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }
}

impl OutputType for Purpose {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(TYPE_NAME)
    }

    fn create_type_info(registry: &mut Registry) -> String {
        type_info(registry)
    }

    async fn resolve(
        &self,
        _: &ContextSelectionSet<'_>,
        _: &Positioned<Field>,
    ) -> ServerResult<Value> {
        Ok(enum_value(*self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static NOTICE: PurposeDef = PurposeDef {
        code: "test_notice",
        legal: true,
        campaigns: InCampaigns::Any,
        order: 10,
        description: "a legal notice of a test domain",
        any_hour: false,
    };

    #[test]
    fn a_domain_registers_its_purposes_once_and_they_read_back_from_their_codes() {
        register([&NOTICE]).unwrap();
        assert_eq!(
            Purpose::all()
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>(),
            ["test_notice", "reminder", "information"]
        );
        assert_eq!(Purpose::from_db("test_notice"), Some(Purpose::of(&NOTICE)));
        assert_eq!(Purpose::from_db("claim_notice"), None);
        assert!(Purpose::of(&NOTICE).is_legal());
        assert!(!Purpose::of(&REMINDER).is_legal());
        // The same set again is fine (every test app registers it), so is a part of it; a
        // set with a new purpose is refused.
        register([&NOTICE]).unwrap();
        register([]).unwrap();
        static OTHER: PurposeDef = PurposeDef {
            code: "other_notice",
            legal: true,
            campaigns: InCampaigns::Never,
            order: 20,
            description: "a purpose registered too late",
            any_hour: false,
        };
        assert!(register([&OTHER]).is_err());
        assert_eq!(Purpose::from_db("other_notice"), None);
        // The GraphQL names are the codes in capitals.
        assert_eq!(
            parse_enum::<Purpose>(Value::Enum(async_graphql::Name::new("TEST_NOTICE"))).ok(),
            Some(Purpose::of(&NOTICE))
        );
        assert_eq!(
            enum_value(Purpose::of(&REMINDER)),
            Value::Enum(async_graphql::Name::new("REMINDER"))
        );
    }
}
