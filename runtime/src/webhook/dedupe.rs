//! Dropping Meta's retried copies of an event.
//!
//! Delivery is at least once, and a retried copy is not byte-identical:
//! `entry.time` and the item's `timestamp` change, attachment URLs are
//! signed again. So copies are matched on what stays: the message id, and
//! for reads and deliveries the watermark.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::fmt;

/// What identifies one webhook event across Meta's retried copies. Build
/// it with a constructor for the event's kind and hand it to
/// [`Dedupe::insert`].
///
/// Ids are the strings of the notification (`message.mid`,
/// `recipient.id`, `sender.id`); `page` is the Page (or Instagram
/// account) and `user` the person (PSID or IGSID).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DedupeKey {
    slot: Slot,
    mark: Mark,
}

/// What one remembered entry is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Slot {
    /// An event that happens once: its kind, its id, and a number that
    /// tells apart events sharing the id (`num_edit`).
    Once {
        kind: Cow<'static, str>,
        id: Box<str>,
        n: u64,
    },
    /// A person's current reaction to one message.
    Reaction {
        page: Box<str>,
        user: Box<str>,
        mid: Box<str>,
    },
    /// A person's watermark of one kind (read, delivery) on one page.
    Watermark {
        kind: Cow<'static, str>,
        page: Box<str>,
        user: Box<str>,
    },
}

/// What is known about the slot.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Mark {
    Seen,
    Reaction {
        action: Box<str>,
        reaction: Option<Box<str>>,
    },
    Watermark(i64),
}

impl DedupeKey {
    /// A message, an echo of the Page's own message, or a standby copy of
    /// either: `message.mid`, which Meta keeps on retries.
    pub fn message(mid: impl Into<String>) -> DedupeKey {
        DedupeKey::once("message", mid.into(), 0)
    }

    /// A postback: `postback.mid`, sent since Graph v11.0. Older postbacks
    /// have no id that survives a retry; leave them undeduplicated.
    pub fn postback(mid: impl Into<String>) -> DedupeKey {
        DedupeKey::once("postback", mid.into(), 0)
    }

    /// A message edit: `message_edit.mid` and `num_edit`, so that each
    /// edit of one message is new once.
    pub fn edit(mid: impl Into<String>, num_edit: u64) -> DedupeKey {
        DedupeKey::once("message_edit", mid.into(), num_edit)
    }

    /// A reaction to the message `mid` (`reaction.mid`): a copy is a
    /// duplicate when it equals the person's last reaction to that message
    /// (`action` `react` or `unreact`, and the emoji, or else the reaction
    /// name; Instagram leaves both out on `unreact`). Reacting, unreacting
    /// and reacting again with the same emoji are three events.
    pub fn reaction(
        page: impl Into<String>,
        user: impl Into<String>,
        mid: impl Into<String>,
        action: impl Into<String>,
        reaction: Option<&str>,
    ) -> DedupeKey {
        DedupeKey {
            slot: Slot::Reaction {
                page: page.into().into(),
                user: user.into().into(),
                mid: mid.into().into(),
            },
            mark: Mark::Reaction {
                action: action.into().into(),
                reaction: reaction.map(Box::from),
            },
        }
    }

    /// A read receipt (`read.watermark`): a watermark at or below the
    /// highest seen for the same page and person says nothing new.
    pub fn read(page: impl Into<String>, user: impl Into<String>, watermark: i64) -> DedupeKey {
        DedupeKey::watermark("read".into(), page.into(), user.into(), watermark)
    }

    /// A delivery receipt (`delivery.watermark`), as [`DedupeKey::read`]
    /// but tracked apart from reads.
    pub fn delivery(page: impl Into<String>, user: impl Into<String>, watermark: i64) -> DedupeKey {
        DedupeKey::watermark("delivery".into(), page.into(), user.into(), watermark)
    }

    /// Any other event with an id that survives retries (Instagram's
    /// `messaging_seen` `read.mid`, an application's own id): new once per
    /// `kind` and `id`.
    pub fn other(kind: impl Into<Cow<'static, str>>, id: impl Into<String>) -> DedupeKey {
        DedupeKey::once_cow(kind.into(), id.into(), 0)
    }

    /// The key of a typed event from its `dedupe_field()`, which the spec
    /// decides: a message id is new once per event kind; a watermark is new
    /// when it is above the highest seen for the same kind, page and person.
    /// `page` is the entry's id, `user` the sender's id.
    ///
    /// ```
    /// use sendapi::latest::webhook::Notification;
    /// use sendapi::webhook::{Dedupe, DedupeKey};
    ///
    /// let body = br#"{"object":"page","entry":[{"id":"1","time":5,"messaging":[
    ///     {"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":4,"read":{"watermark":3}}]}]}"#;
    /// let notification: Notification = serde_json::from_slice(body).unwrap();
    /// let mut seen = Dedupe::new(1_000);
    /// for received in notification.events() {
    ///     let event = received.event();
    ///     let user = received.item.sender.as_ref().and_then(|s| s.id.as_deref()).unwrap_or("");
    ///     if let Some(field) = event.dedupe_field() {
    ///         let key = DedupeKey::of_event(event.kind(), &received.entry.id, user, field);
    ///         assert!(seen.insert(key.clone()), "new");
    ///         assert!(!seen.insert(key), "Meta's retried copy");
    ///     }
    /// }
    /// ```
    pub fn of_event(
        kind: sendapi_core::EventKind,
        page: &str,
        user: &str,
        field: sendapi_core::DedupeField<'_>,
    ) -> DedupeKey {
        let kind = Cow::Borrowed(kind.as_str());
        match field {
            sendapi_core::DedupeField::Mid(mid) => DedupeKey::once_cow(kind, mid.into(), 0),
            sendapi_core::DedupeField::Watermark(w) => {
                DedupeKey::watermark(kind, page.into(), user.into(), w)
            }
        }
    }

    fn once(kind: &'static str, id: String, n: u64) -> DedupeKey {
        DedupeKey::once_cow(Cow::Borrowed(kind), id, n)
    }

    fn once_cow(kind: Cow<'static, str>, id: String, n: u64) -> DedupeKey {
        DedupeKey {
            slot: Slot::Once {
                kind,
                id: id.into(),
                n,
            },
            mark: Mark::Seen,
        }
    }

    fn watermark(kind: Cow<'static, str>, page: String, user: String, watermark: i64) -> DedupeKey {
        DedupeKey {
            slot: Slot::Watermark {
                kind,
                page: page.into(),
                user: user.into(),
            },
            mark: Mark::Watermark(watermark),
        }
    }
}

/// Whether `new` tells nothing beyond `old`, recorded for the same slot.
fn adds_nothing(new: &Mark, old: &Mark) -> bool {
    match (new, old) {
        (Mark::Watermark(new), Mark::Watermark(old)) => new <= old,
        (new, old) => new == old,
    }
}

/// Remembers recent events and tells retried copies apart from new events.
///
/// Memory is bounded: at most `capacity` entries (one per message id, per
/// person's current reaction to a message, or per page, person and receipt
/// kind), and when a new one would exceed it, the entry recorded or
/// updated longest ago is forgotten. A copy arriving after its entry was
/// forgotten counts as new, so choose a capacity above the events received
/// while Meta may still retry (it retries for about an hour before
/// disabling the webhook). The order queue holds at most twice `capacity`
/// items between compactions.
///
/// Not synchronized: share one behind a `Mutex`.
///
/// ```
/// use sendapi::webhook::{Dedupe, DedupeKey};
///
/// let mut seen = Dedupe::new(10_000);
/// assert!(seen.insert(DedupeKey::message("m_1")));   // new
/// assert!(!seen.insert(DedupeKey::message("m_1")));  // Meta's retry
/// assert!(seen.insert(DedupeKey::read("page", "psid", 1_700_000_000_500)));
/// assert!(!seen.insert(DedupeKey::read("page", "psid", 1_700_000_000_000)));
/// ```
#[derive(Clone)]
pub struct Dedupe {
    capacity: usize,
    entries: HashMap<Slot, Entry>,
    /// Slots in the order they were recorded; an item whose stamp is not
    /// its entry's current stamp is stale and skipped.
    order: VecDeque<(Slot, u64)>,
    next_stamp: u64,
}

#[derive(Clone)]
struct Entry {
    mark: Mark,
    stamp: u64,
}

impl Dedupe {
    /// The capacity of [`Dedupe::default`].
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// Remembers at most `capacity` entries (at least 1).
    pub fn new(capacity: usize) -> Dedupe {
        Dedupe {
            capacity: capacity.max(1),
            entries: HashMap::new(),
            order: VecDeque::new(),
            next_stamp: 0,
        }
    }

    /// Records the event: `true` when it is new, `false` when it is a
    /// duplicate of one remembered (as `HashSet::insert`).
    pub fn insert(&mut self, key: DedupeKey) -> bool {
        let stamp = self.next_stamp;
        if let Some(entry) = self.entries.get_mut(&key.slot) {
            if adds_nothing(&key.mark, &entry.mark) {
                return false;
            }
            *entry = Entry {
                mark: key.mark,
                stamp,
            };
        } else {
            while self.entries.len() >= self.capacity {
                self.evict_oldest();
            }
            let entry = Entry {
                mark: key.mark,
                stamp,
            };
            self.entries.insert(key.slot.clone(), entry);
        }
        self.order.push_back((key.slot, stamp));
        self.next_stamp += 1;
        if self.order.len() > 2 * self.capacity {
            let entries = &self.entries;
            self.order
                .retain(|(slot, stamp)| entries.get(slot).is_some_and(|e| e.stamp == *stamp));
        }
        true
    }

    /// Whether [`Dedupe::insert`] would call the event a duplicate,
    /// without recording it.
    pub fn is_duplicate(&self, key: &DedupeKey) -> bool {
        self.entries
            .get(&key.slot)
            .is_some_and(|e| adds_nothing(&key.mark, &e.mark))
    }

    /// How many entries are remembered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The most entries remembered at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
    }

    fn evict_oldest(&mut self) {
        while let Some((slot, stamp)) = self.order.pop_front() {
            if self.entries.get(&slot).is_some_and(|e| e.stamp == stamp) {
                self.entries.remove(&slot);
                return;
            }
        }
    }
}

impl Default for Dedupe {
    fn default() -> Dedupe {
        Dedupe::new(Dedupe::DEFAULT_CAPACITY)
    }
}

impl fmt::Debug for Dedupe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dedupe")
            .field("len", &self.entries.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retried_message_is_a_duplicate() {
        let mut d = Dedupe::new(8);
        assert!(d.insert(DedupeKey::message("m_1")));
        assert!(d.is_duplicate(&DedupeKey::message("m_1")));
        assert!(!d.insert(DedupeKey::message("m_1")));
        // Same id, other kinds: other events.
        assert!(d.insert(DedupeKey::postback("m_1")));
        assert!(d.insert(DedupeKey::edit("m_1", 1)));
        assert!(d.insert(DedupeKey::edit("m_1", 2)));
        assert!(!d.insert(DedupeKey::edit("m_1", 2)));
        assert!(d.insert(DedupeKey::other("messaging_seen", "m_1")));
        assert!(!d.insert(DedupeKey::other(String::from("messaging_seen"), "m_1")));
    }

    #[test]
    fn watermarks_only_move_forward() {
        let mut d = Dedupe::new(8);
        assert!(d.insert(DedupeKey::read("p", "u", 100)));
        assert!(!d.insert(DedupeKey::read("p", "u", 100)));
        assert!(!d.insert(DedupeKey::read("p", "u", 99)));
        assert!(d.insert(DedupeKey::read("p", "u", 101)));
        assert!(!d.insert(DedupeKey::read("p", "u", 100)));
        // Deliveries, other people and other pages are tracked apart.
        assert!(d.insert(DedupeKey::delivery("p", "u", 50)));
        assert!(d.insert(DedupeKey::read("p", "v", 50)));
        assert!(d.insert(DedupeKey::read("q", "u", 50)));
        assert_eq!(d.len(), 4);
    }

    #[test]
    fn reactions_follow_the_last_state() {
        let mut d = Dedupe::new(8);
        let react = || DedupeKey::reaction("p", "u", "m_1", "react", Some("\u{2764}\u{fe0f}"));
        let unreact = || DedupeKey::reaction("p", "u", "m_1", "unreact", None);
        assert!(d.insert(react()));
        assert!(!d.insert(react()));
        assert!(d.insert(unreact()));
        assert!(!d.insert(unreact()));
        assert!(d.insert(react()));
        assert!(d.insert(DedupeKey::reaction("p", "u", "m_1", "react", Some("like"))));
    }

    #[test]
    fn capacity_evicts_the_oldest() {
        let mut d = Dedupe::new(3);
        for mid in ["a", "b", "c"] {
            assert!(d.insert(DedupeKey::message(mid)));
        }
        assert!(d.insert(DedupeKey::message("d")));
        assert_eq!(d.len(), 3);
        // "a" was forgotten, so its late copy counts as new (evicting "b").
        assert!(!d.is_duplicate(&DedupeKey::message("a")));
        assert!(d.insert(DedupeKey::message("a")));
        assert!(!d.is_duplicate(&DedupeKey::message("b")));
        for mid in ["c", "d", "a"] {
            assert!(d.is_duplicate(&DedupeKey::message(mid)), "{mid}");
        }
    }

    #[test]
    fn an_update_refreshes_the_entry() {
        let mut d = Dedupe::new(2);
        assert!(d.insert(DedupeKey::read("p", "u", 1)));
        assert!(d.insert(DedupeKey::message("m")));
        assert!(d.insert(DedupeKey::read("p", "u", 2)));
        // The message is now the oldest entry.
        assert!(d.insert(DedupeKey::message("n")));
        assert!(d.is_duplicate(&DedupeKey::read("p", "u", 2)));
        assert!(!d.is_duplicate(&DedupeKey::message("m")));
    }

    #[test]
    fn order_queue_stays_bounded() {
        let mut d = Dedupe::new(4);
        for w in 0..1000 {
            assert!(d.insert(DedupeKey::read("p", "u", w)));
        }
        assert!(d.order.len() <= 8);
        assert_eq!(d.len(), 1);
        d.clear();
        assert!(d.is_empty());
        assert_eq!(format!("{d:?}"), "Dedupe { len: 0, capacity: 4 }");
    }
}
