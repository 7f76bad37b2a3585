//! Recipient forms at the type level. Each snapshot module generates its
//! markers (`v26::form::Id`, `v26::form::UserRef`, …) and implements these
//! traits for them from the spec.

/// A recipient form.
pub trait Form: 'static {
    /// The recipient key (`id`, `user_ref`, …); empty when chosen at run time.
    const KEY: &'static str;
    /// Whether Meta's response to a send to this form carries `recipient_id`.
    const HAS_RECIPIENT_ID: bool;
}

/// Forms whose responses carry `recipient_id`.
#[diagnostic::on_unimplemented(
    message = "Meta leaves `recipient_id` out of the response to a send by `{Self}`",
    label = "this response has no `recipient_id`",
    note = "sends to `user_ref` and `phone_number` answer with `message_id` only (Send API reference); keep the recipient you sent to, or call `recipient_id_if_present()`"
)]
pub trait HasRecipientId: Form {}

/// Forms that may be used on platform `P`.
#[diagnostic::on_unimplemented(
    message = "the recipient form `{Self}` is not available on `{P}`",
    label = "not available on this platform",
    note = "the spec's platform rules limit this recipient form; on Instagram, send to the IGSID with `.to_id(…)` or reply to a comment with `.to_comment_id(…)`"
)]
pub trait AvailableOn<P> {}
