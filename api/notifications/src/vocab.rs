//! Vocabularies of notifications: purposes (legal or optional), channels and states.

use adal_core::vocab::stored_enum;

stored_enum! {
    /// Why a message is sent. Legal notices (`is_legal`) go to everyone whatever their
    /// preferences; the others may be opted out of.
    NotificationPurpose {
        ObligationNotice = "obligation_notice",
        BreachNotice = "breach_notice",
        ClaimNotice = "claim_notice",
        ConsentRequest = "consent_request",
        ConsentAnswer = "consent_answer",
        Reminder = "reminder",
        Information = "information",
    }
}

impl NotificationPurpose {
    /// Notices the law requires (art. 47 p. 17, Rules No. 403): the obligation and its terms,
    /// non-compliance before a claim, the claim itself, the 511/512 request and the answers to
    /// replies. Reminders and general information are optional.
    pub fn is_legal(self) -> bool {
        !matches!(
            self,
            NotificationPurpose::Reminder | NotificationPurpose::Information
        )
    }

    /// Notices that prove a graduate was told before a reimbursement claim.
    pub fn proves_notice(self) -> bool {
        matches!(
            self,
            NotificationPurpose::ObligationNotice | NotificationPurpose::BreachNotice
        )
    }
}

stored_enum! {
    /// How a message travels.
    Channel {
        Sms = "sms",
        Push = "push",
        Email = "email",
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
    /// receipt says it reached the person (e-mail: accepted by the SMTP server, the only proof
    /// SMTP gives); `failed`: final failure (no contact, refused, undeliverable);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_reminders_and_information_are_optional() {
        let optional: Vec<_> = NotificationPurpose::ALL
            .iter()
            .filter(|p| !p.is_legal())
            .collect();
        assert_eq!(
            optional,
            vec![
                &NotificationPurpose::Reminder,
                &NotificationPurpose::Information
            ]
        );
    }
}
