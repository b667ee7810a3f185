//! Vocabularies of notifications: channels and states. Purposes are declared by the domains
//! ([`crate::purposes`]).

use adal_core::vocab::stored_enum;

stored_enum! {
    /// How a message travels.
    Channel {
        Sms = "sms",
        Push = "push",
        Email = "email",
        /// A registered letter through the post operator's hybrid mail: sent electronically,
        /// printed, and handed over against a signature at the person's registered address
        /// (addressed by IIN); its receipt is the signature.
        Post = "post",
    }
}

impl Channel {
    /// SMS and push wait for the end of quiet hours; e-mail does not disturb.
    pub fn respects_quiet_hours(self) -> bool {
        matches!(self, Channel::Sms | Channel::Push)
    }
}

stored_enum! {
    /// Where a message stands. `sent`: accepted by the provider; `delivered`: the provider's
    /// receipt says it reached the person (a registered letter: handed over against a
    /// signature; e-mail: accepted by the SMTP server, the only proof SMTP gives); `failed`: final failure (no contact, refused, undeliverable);
    /// `dead`: retries exhausted or the channel is not configured, waiting for an operator;
    /// `suppressed`: the person opted out of this optional purpose; `cancelled`: its campaign was.
    MessageStatus {
        Queued = "queued",
        Sending = "sending",
        Sent = "sent",
        Delivered = "delivered",
        Failed = "failed",
        Dead = "dead",
        Suppressed = "suppressed",
        Cancelled = "cancelled",
    }
}

stored_enum! {
    /// A campaign's state.
    CampaignStatus {
        Running = "running",
        Paused = "paused",
        Cancelled = "cancelled",
    }
}

/// Why the notifications service refused a template (`extensions.reason` of a
/// `BAD_USER_INPUT` error, with the value at fault in `extensions.value`); the schema lists
/// every one, so a client explains each.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationRefusal {
    /// The template names a variable its purpose does not offer.
    UnknownVariable,
    /// The SMS text is longer than the gateway delivers.
    SmsTooLong,
}

impl adal_core::error::Refusal for NotificationRefusal {}
