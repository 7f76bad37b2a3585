//! The receive side: what Meta POSTs to a webhook endpoint, as data.
//!
//! A spec's `[webhooks]` table names the envelope type, the common item type
//! and every event an item can carry. Its types live in their own namespace
//! (`[webhooks.types]`), apart from the request types: they are decoded
//! tolerantly (unknown fields and unknown events are kept, never refused),
//! while request types are validated strictly.

#[cfg(feature = "load")]
use serde::Deserialize;
use serde_json::{Map, Value};

pub use sendapi_core::EventKind;

use crate::model::{Date, Platform, Spanned, Status, TypeDef};

/// The `[webhooks]` table.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct Webhooks {
    /// What the receive side covers.
    pub doc: String,
    /// Source key or link.
    pub source: Spanned<String>,
    /// The type of a whole POST body (`object`, `entry[]`).
    pub envelope: Spanned<String>,
    /// The type of one `messaging[]` or `standby[]` item: the fields every
    /// event shares (`sender`, `recipient`, `timestamp`). The event itself
    /// is the one further key the item carries.
    pub item: Spanned<String>,
    /// The envelope field holding each entry's messaging items.
    pub messaging: Spanned<String>,
    /// The envelope field holding each entry's standby items (events for an
    /// app that does not own the thread).
    pub standby: Spanned<String>,
    /// Every event an item can carry, by Rust variant name, in the order
    /// items are classified.
    pub events: crate::model::Map<Spanned<String>, WebhookEvent>,
    /// The types events and the envelope use, by Rust type name.
    #[cfg_attr(feature = "load", serde(default))]
    pub types: crate::model::Map<Spanned<String>, TypeDef>,
}

/// One event: the key an item carries and what the event means.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct WebhookEvent {
    /// The item key that carries the event (`message`, `postback`).
    pub key: Spanned<String>,
    /// Other spellings of the key Meta has sent (`policy-enforcement`).
    #[cfg_attr(feature = "load", serde(default))]
    pub aliases: Vec<String>,
    /// A boolean field of the payload that must be `true` for this event
    /// (`is_echo` tells an echo from a message under the same key). Events
    /// with a flag are tried before the event without one.
    pub flag: Option<Spanned<String>>,
    /// A string field of the payload that must hold a given value for this
    /// event (an opt-in's `type` tells a marketing-messages opt-in from a
    /// plugin opt-in). Like a flag, it makes the event tried before the
    /// event of the same key without one.
    pub when: Option<EventWhen>,
    /// The payload type, from `[webhooks.types]`.
    #[cfg_attr(feature = "load", serde(rename = "type"))]
    pub ty: Spanned<String>,
    /// The event's kind, a closed vocabulary shared by the tools.
    pub kind: Spanned<EventKind>,
    /// The subscription field that delivers it on Messenger, where it does.
    pub field: Option<String>,
    /// The subscription field that delivers it on Instagram, where it differs.
    pub instagram_field: Option<String>,
    /// Whether the person's action behind this event opens (or extends) the
    /// standard messaging window.
    #[cfg_attr(feature = "load", serde(default))]
    pub opens_window: bool,
    /// Whether the event can also arrive under `standby[]`.
    #[cfg_attr(feature = "load", serde(default))]
    pub standby: bool,
    /// How retried copies of the event are recognised.
    pub dedupe: Option<Dedupe>,
    /// What the event means.
    pub doc: String,
    /// Source key (from `[sources]`) or a link.
    pub source: Spanned<String>,
    /// Where the event stands in Meta's documentation.
    #[cfg_attr(feature = "load", serde(default))]
    pub status: Status,
    /// Why the status is what it is.
    pub note: Option<String>,
    /// When the event arrived, where a date is known.
    pub since: Option<Date>,
    /// Platforms that deliver the event; absent means all.
    pub platforms: Option<Vec<Platform>>,
}

/// A payload field and the string it must equal.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct EventWhen {
    /// Wire name of a string or enum field of the payload.
    pub field: Spanned<String>,
    /// The value that field holds for this event.
    pub equals: Spanned<String>,
}

impl WebhookEvent {
    /// Whether the event is told apart from others of its key by a payload
    /// field (`flag` or `when`) rather than by its key alone.
    pub fn is_conditional(&self) -> bool {
        self.flag.is_some() || self.when.is_some()
    }

    /// Whether `payload` meets the event's `flag` and `when`, where given.
    pub fn condition_holds(&self, payload: &Value) -> bool {
        let flag = self
            .flag
            .as_ref()
            .is_none_or(|f| payload.get(f.get_ref()) == Some(&Value::Bool(true)));
        let when = self.when.as_ref().is_none_or(|w| {
            payload.get(w.field.get_ref()).and_then(Value::as_str)
                == Some(w.equals.get_ref().as_str())
        });
        flag && when
    }
}

/// How retried copies of an event are recognised: delivery is at least
/// once, and a retried copy carries new times, so the key is a field of the
/// payload that stays the same.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct Dedupe {
    /// Path in the payload of a message id that is the same in every copy.
    pub mid: Option<Spanned<String>>,
    /// Path in the payload of a watermark: a copy whose watermark is not
    /// above the highest seen for the same page, person and event is a
    /// duplicate.
    pub watermark: Option<Spanned<String>>,
}

impl Webhooks {
    /// Every event, with its Rust variant name, in classification order.
    pub fn events(&self) -> impl Iterator<Item = (&str, &WebhookEvent)> {
        self.events.iter().map(|(k, v)| (k.get_ref().as_str(), v))
    }

    /// The event of the given kind, the first in file order.
    pub fn event_of_kind(&self, kind: EventKind) -> Option<(&str, &WebhookEvent)> {
        self.events().find(|(_, e)| *e.kind.get_ref() == kind)
    }

    /// A webhook type by name.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// Which event a `messaging[]` or `standby[]` item carries: the first
    /// conditional event (with a `flag` or `when`) whose key is present and
    /// whose condition holds, else the first event without a condition whose
    /// key (or alias) is present. `None` for an item whose event the spec
    /// does not know.
    pub fn classify(&self, item: &Map<String, Value>) -> Option<(&str, &WebhookEvent)> {
        let payload = |e: &WebhookEvent| {
            std::iter::once(e.key.get_ref().as_str())
                .chain(e.aliases.iter().map(String::as_str))
                .find_map(|k| item.get(k))
        };
        let conditional = self
            .events()
            .find(|(_, e)| e.is_conditional() && payload(e).is_some_and(|p| e.condition_holds(p)));
        conditional.or_else(|| {
            self.events()
                .find(|(_, e)| !e.is_conditional() && payload(e).is_some())
        })
    }

    /// The kind of an item's event; [`EventKind::Other`] when the spec does
    /// not know it (or the item is not an object).
    pub fn kind_of(&self, item: &Value) -> EventKind {
        item.as_object()
            .and_then(|o| self.classify(o))
            .map_or(EventKind::Other, |(_, e)| *e.kind.get_ref())
    }

    /// Whether an item's event opens the standard messaging window.
    pub fn opens_window(&self, item: &Value) -> bool {
        item.as_object()
            .and_then(|o| self.classify(o))
            .is_some_and(|(_, e)| e.opens_window)
    }
}
