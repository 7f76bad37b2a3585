//! The vocabulary every sendapi crate shares, in one place and without the
//! spec loader's dependencies: the runtime, the generated code, the engine
//! and the emulator speak these words.
//!
//! - [`Platform`], [`Severity`] and [`RetryClass`];
//! - [`EventKind`] and [`DedupeField`], for webhook events;
//! - [`pointer`](mod@pointer): JSON pointer (RFC 6901) segments;
//! - [`closest`]: the "did you mean" suggestion;
//! - [`list`]: `` `a`, `b` or `c` `` in messages;
//! - [`template`]: message templates with `{placeholders}`;
//! - [`RUST_KEYWORDS`]: names a generated identifier must avoid, and
//!   [`is_keyword`], a quick test for one.

#![deny(missing_docs)]

pub mod pointer;
mod suggest;
pub mod template;
mod words;

pub use suggest::{Candidates, closest};
pub use words::{RUST_KEYWORDS, article, count, is_keyword, list, quoted, singular};

use std::fmt;

/// A platform the Send API serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Platform {
    /// Messenger (Facebook Pages).
    Messenger,
    /// Instagram Messaging through the linked Page.
    Instagram,
}

impl Platform {
    /// Every platform, in a fixed order.
    pub const ALL: [Platform; 2] = [Platform::Messenger, Platform::Instagram];

    /// The spelling used in spec files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Messenger => "messenger",
            Platform::Instagram => "instagram",
        }
    }

    /// The name shown to people.
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Messenger => "Messenger",
            Platform::Instagram => "Instagram",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "messenger" => Ok(Platform::Messenger),
            "instagram" => Ok(Platform::Instagram),
            other => Err(format!(
                "unknown platform `{other}`; expected `messenger` or `instagram`"
            )),
        }
    }
}

/// How bad a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Severity {
    /// Graph may accept it, but it is unusual, deprecated or unconfirmed.
    Warning,
    /// Graph refuses it; the body is invalid.
    Error,
}

impl Severity {
    /// The spelling used in spec files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a failed send may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RetryClass {
    /// Not delivered: safe to send again after a backoff.
    Retry,
    /// Retrying cannot help.
    Never,
    /// The message may have been delivered: sending again may duplicate it.
    Ambiguous,
}

impl RetryClass {
    /// The spelling used in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryClass::Retry => "retry",
            RetryClass::Never => "never",
            RetryClass::Ambiguous => "ambiguous",
        }
    }
}

impl fmt::Display for RetryClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of a webhook event, a closed vocabulary: spec files name it,
/// generated event types report it and `sendapi listen` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum EventKind {
    /// A message from the person.
    Message,
    /// A copy of a message the page sent.
    Echo,
    /// A tap on a postback button, Get Started or a menu item.
    Postback,
    /// A reaction to a message, or its removal.
    Reaction,
    /// A read receipt.
    Read,
    /// A delivery receipt.
    Delivery,
    /// A referral (m.me link, ad) into an existing thread.
    Referral,
    /// An opt-in from a plugin or for marketing messages.
    Optin,
    /// A thread-control (handover) event.
    Handover,
    /// A policy enforcement on the page.
    PolicyEnforcement,
    /// An edited message.
    Edit,
    /// Any other event.
    Other,
}

impl EventKind {
    /// Every kind, in the order the tools list them.
    pub const ALL: [EventKind; 12] = [
        EventKind::Message,
        EventKind::Echo,
        EventKind::Postback,
        EventKind::Reaction,
        EventKind::Read,
        EventKind::Delivery,
        EventKind::Referral,
        EventKind::Optin,
        EventKind::Handover,
        EventKind::PolicyEnforcement,
        EventKind::Edit,
        EventKind::Other,
    ];

    /// The spelling used in spec files and in `sendapi listen`'s output.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Message => "message",
            EventKind::Echo => "echo",
            EventKind::Postback => "postback",
            EventKind::Reaction => "reaction",
            EventKind::Read => "read",
            EventKind::Delivery => "delivery",
            EventKind::Referral => "referral",
            EventKind::Optin => "optin",
            EventKind::Handover => "handover",
            EventKind::PolicyEnforcement => "policy_enforcement",
            EventKind::Edit => "edit",
            EventKind::Other => "other",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The payload field that tells a retried copy of a webhook event from a
/// new one. Delivery is at least once and a retried copy carries new times,
/// so the field is one that every copy repeats. The runtime's
/// `sendapi::webhook::DedupeKey::of_event` turns it into a key for its
/// `Dedupe` helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DedupeField<'a> {
    /// A message id: a second event with the same kind and mid is a copy.
    Mid(&'a str),
    /// A watermark: an event whose watermark is not above the highest seen
    /// for the same page, person and kind is a copy.
    Watermark(i64),
}
