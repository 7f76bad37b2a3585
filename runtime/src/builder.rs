//! Type states of the generated request builders. The traits naming the
//! states a builder must reach (`form::Chosen`, `kind::BodyChosen`,
//! `kind::MessagingTypeFor`, `kind::TakesMessagingType`) belong to each
//! snapshot module, whose compile errors carry that snapshot's rule text.

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
