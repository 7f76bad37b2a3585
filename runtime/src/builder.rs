//! Type states of the generated request builders.

use crate::form::Form;

/// A builder slot not filled yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Unset;

/// A builder slot filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Set;

/// A body kind, which decides the response type.
pub trait Kind: 'static {
    /// The response to a request of this kind sent to form `F`.
    type Response<F: Form>: serde::de::DeserializeOwned + std::fmt::Debug;
}

/// Builder state: something to send was chosen.
#[diagnostic::on_unimplemented(
    message = "the request has nothing to send",
    label = "no message or sender action yet",
    note = "call `.text(…)`, `.message(…)` or a sender action such as `.typing_on()` before `.build()`"
)]
pub trait BodyChosen {}

/// Builder state: the messaging type matches the body kind `K`.
#[diagnostic::on_unimplemented(
    message = "a message send needs a messaging type",
    label = "no messaging type yet",
    note = "call `.response()`, `.update()`, `.human_agent()`, `.utility(…)` or `.messaging_type(…)` before `.build()`; sendapi always sends `messaging_type` with a message"
)]
pub trait MessagingTypeFor<K> {}

/// Body kinds that take a messaging type.
#[diagnostic::on_unimplemented(
    message = "a sender action takes no messaging type",
    label = "this request sends a sender action",
    note = "a sender action request carries only the recipient (and a payload for reactions)"
)]
pub trait AllowsMessagingType {}

/// Turns a complete builder into the body.
#[doc(hidden)]
pub trait Assemble<B> {
    /// The body; `None` only if a required slot is empty.
    fn assemble(self) -> Option<B>;
}
