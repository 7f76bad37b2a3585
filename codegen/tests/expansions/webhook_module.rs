/// A small receive side.
///
/// Decoding is tolerant, because Meta adds fields, values and events without notice: keys a type does not know are kept in its `unknown_fields`, an enum value it does not list decodes as `Unknown`, and an item whose event is unknown as `Event::Other`, the whole item as sent. Ids may be strings or numbers, integers numbers or numeric strings, and a `null` is an absent field. A missing required field is an error naming its path.
///
/// Decode the raw body after checking its signature: `serde_json::from_slice::<webhook::Note>(body)`, then walk `Note::events()`.
///
/// ```
/// use sendapi::v26::webhook::{Event, Note};
///
/// let body = br#"{"entry":[{"events":[{"msg":{"mid":"text"}},{"an_event_from_the_future":{}}],"id":"1"}],"object":"page"}"#;
/// let notification: Note = serde_json::from_slice(body).unwrap();
/// for received in notification.events() {
///     match received.event() {
///         Event::Said(payload) => println!("{payload:?}"),
///         Event::Other(raw) => println!("an event this snapshot does not know, as sent: {raw:?}"),
///         other => println!("{}", other.kind()),
///     }
/// }
/// let kinds: Vec<_> = notification.events().map(|r| r.event().kind()).collect();
/// assert_eq!(kinds, [sendapi::EventKind::Message, sendapi::EventKind::Other]);
/// ```
///
/// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
pub mod webhook {
    /// A POST.
    ///
    /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct Note {
        /// The product.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub object: Product,
        /// The entries.
        ///
        /// Wire name: `entry`.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub entries: ::sendapi::__private::Vec<Page>,
        /// Keys this snapshot does not know, kept as sent.
        pub unknown_fields: ::sendapi::__private::Map<
            ::sendapi::__private::String,
            ::sendapi::__private::Value,
        >,
    }
    impl ::sendapi::__private::webhook::Decode for Note {
        #[inline]
        fn decode(
            __v: ::sendapi::__private::Value,
        ) -> ::sendapi::__private::Result<Self, ::sendapi::__private::webhook::Error> {
            let mut __m = ::sendapi::__private::webhook::object(__v, "Note")?;
            ::sendapi::__private::Ok(Note {
                object: ::sendapi::__private::webhook::required(
                    &mut __m,
                    "object",
                    "Note",
                )?,
                entries: ::sendapi::__private::webhook::required(
                    &mut __m,
                    "entry",
                    "Note",
                )?,
                unknown_fields: __m,
            })
        }
    }
    impl<'de> ::sendapi::__private::de::Deserialize<'de> for Note {
        fn deserialize<__D: ::sendapi::__private::de::Deserializer<'de>>(
            __d: __D,
        ) -> ::sendapi::__private::Result<Self, __D::Error> {
            ::sendapi::__private::webhook::deserialize(__d)
        }
    }
    /// A product.
    ///
    /// A value this snapshot does not list decodes as `Unknown`, with its text.
    ///
    /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum Product {
        /// Messenger.
        ///
        /// Wire value: `page`.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        Page,
        /// A value this snapshot does not list, as sent.
        Unknown(::sendapi::__private::String),
    }
    impl Product {
        /// The wire value.
        pub fn as_str(&self) -> &str {
            match self {
                Product::Page => "page",
                Product::Unknown(__s) => __s,
            }
        }
    }
    impl ::core::fmt::Display for Product {
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::sendapi::__private::webhook::Decode for Product {
        #[inline]
        fn decode(
            __v: ::sendapi::__private::Value,
        ) -> ::sendapi::__private::Result<Self, ::sendapi::__private::webhook::Error> {
            let __s = ::sendapi::__private::webhook::enum_text(__v, "Product")?;
            ::sendapi::__private::Ok(
                match __s.as_str() {
                    "page" | "pages" => Product::Page,
                    _ => Product::Unknown(__s),
                },
            )
        }
    }
    impl<'de> ::sendapi::__private::de::Deserialize<'de> for Product {
        fn deserialize<__D: ::sendapi::__private::de::Deserializer<'de>>(
            __d: __D,
        ) -> ::sendapi::__private::Result<Self, __D::Error> {
            ::sendapi::__private::webhook::deserialize(__d)
        }
    }
    /// An entry.
    ///
    /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct Page {
        /// The page.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub id: ::sendapi::__private::String,
        /// Owned.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub events: ::sendapi::__private::Vec<Item>,
        /// Not owned.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub passive: ::sendapi::__private::Vec<Item>,
        /// Keys this snapshot does not know, kept as sent.
        pub unknown_fields: ::sendapi::__private::Map<
            ::sendapi::__private::String,
            ::sendapi::__private::Value,
        >,
    }
    impl ::sendapi::__private::webhook::Decode for Page {
        #[inline]
        fn decode(
            __v: ::sendapi::__private::Value,
        ) -> ::sendapi::__private::Result<Self, ::sendapi::__private::webhook::Error> {
            let mut __m = ::sendapi::__private::webhook::object(__v, "Page")?;
            ::sendapi::__private::Ok(Page {
                id: ::sendapi::__private::webhook::required(&mut __m, "id", "Page")?,
                events: ::sendapi::__private::webhook::list(&mut __m, "events")?,
                passive: ::sendapi::__private::webhook::list(&mut __m, "passive")?,
                unknown_fields: __m,
            })
        }
    }
    impl<'de> ::sendapi::__private::de::Deserialize<'de> for Page {
        fn deserialize<__D: ::sendapi::__private::de::Deserializer<'de>>(
            __d: __D,
        ) -> ::sendapi::__private::Result<Self, __D::Error> {
            ::sendapi::__private::webhook::deserialize(__d)
        }
    }
    /// An item.
    ///
    /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct Item {
        /// When.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub timestamp: ::sendapi::__private::Option<i64>,
        /// The event the item carries.
        pub event: Event,
        /// Keys this snapshot does not know, kept as sent.
        pub unknown_fields: ::sendapi::__private::Map<
            ::sendapi::__private::String,
            ::sendapi::__private::Value,
        >,
    }
    impl ::sendapi::__private::webhook::Decode for Item {
        #[inline]
        fn decode(
            __v: ::sendapi::__private::Value,
        ) -> ::sendapi::__private::Result<Self, ::sendapi::__private::webhook::Error> {
            let mut __m = ::sendapi::__private::webhook::object(__v, "Item")?;
            let __event = Event::__take(&mut __m)?;
            ::sendapi::__private::Ok(Item {
                timestamp: ::sendapi::__private::webhook::optional(
                    &mut __m,
                    "timestamp",
                )?,
                event: __event,
                unknown_fields: __m,
            })
        }
    }
    impl<'de> ::sendapi::__private::de::Deserialize<'de> for Item {
        fn deserialize<__D: ::sendapi::__private::de::Deserializer<'de>>(
            __d: __D,
        ) -> ::sendapi::__private::Result<Self, __D::Error> {
            ::sendapi::__private::webhook::deserialize(__d)
        }
    }
    /// A message.
    ///
    /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct Msg {
        /// Its id.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub mid: ::sendapi::__private::String,
        /// A copy.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub is_copy: ::sendapi::__private::Option<bool>,
        /// Metadata.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub meta: ::sendapi::__private::Option<Meta>,
        /// A watermark.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub seen: ::sendapi::__private::Option<i64>,
        /// A keyword field.
        ///
        /// Wire name: `type`.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub kind: ::sendapi::__private::Option<::sendapi::__private::String>,
        /// Keys this snapshot does not know, kept as sent.
        pub unknown_fields: ::sendapi::__private::Map<
            ::sendapi::__private::String,
            ::sendapi::__private::Value,
        >,
    }
    impl ::sendapi::__private::webhook::Decode for Msg {
        #[inline]
        fn decode(
            __v: ::sendapi::__private::Value,
        ) -> ::sendapi::__private::Result<Self, ::sendapi::__private::webhook::Error> {
            let mut __m = ::sendapi::__private::webhook::object(__v, "Msg")?;
            ::sendapi::__private::Ok(Msg {
                mid: ::sendapi::__private::webhook::required(&mut __m, "mid", "Msg")?,
                is_copy: ::sendapi::__private::webhook::optional(&mut __m, "is_copy")?,
                meta: ::sendapi::__private::webhook::optional(&mut __m, "meta")?,
                seen: ::sendapi::__private::webhook::optional(&mut __m, "seen")?,
                kind: ::sendapi::__private::webhook::optional(&mut __m, "type")?,
                unknown_fields: __m,
            })
        }
    }
    impl<'de> ::sendapi::__private::de::Deserialize<'de> for Msg {
        fn deserialize<__D: ::sendapi::__private::de::Deserializer<'de>>(
            __d: __D,
        ) -> ::sendapi::__private::Result<Self, __D::Error> {
            ::sendapi::__private::webhook::deserialize(__d)
        }
    }
    /// Metadata.
    ///
    /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct Meta {
        /// A reference.
        ///
        /// Wire name: `ref`.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub reference: ::sendapi::__private::String,
        /// Keys this snapshot does not know, kept as sent.
        pub unknown_fields: ::sendapi::__private::Map<
            ::sendapi::__private::String,
            ::sendapi::__private::Value,
        >,
    }
    impl ::sendapi::__private::webhook::Decode for Meta {
        #[inline]
        fn decode(
            __v: ::sendapi::__private::Value,
        ) -> ::sendapi::__private::Result<Self, ::sendapi::__private::webhook::Error> {
            let mut __m = ::sendapi::__private::webhook::object(__v, "Meta")?;
            ::sendapi::__private::Ok(Meta {
                reference: ::sendapi::__private::webhook::required(
                    &mut __m,
                    "ref",
                    "Meta",
                )?,
                unknown_fields: __m,
            })
        }
    }
    impl<'de> ::sendapi::__private::de::Deserialize<'de> for Meta {
        fn deserialize<__D: ::sendapi::__private::de::Deserializer<'de>>(
            __d: __D,
        ) -> ::sendapi::__private::Result<Self, __D::Error> {
            ::sendapi::__private::webhook::deserialize(__d)
        }
    }
    /// An enforcement.
    ///
    /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct Enforcement {
        /// What.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        pub action: ::sendapi::__private::Option<::sendapi::__private::String>,
        /// Keys this snapshot does not know, kept as sent.
        pub unknown_fields: ::sendapi::__private::Map<
            ::sendapi::__private::String,
            ::sendapi::__private::Value,
        >,
    }
    impl ::sendapi::__private::webhook::Decode for Enforcement {
        #[inline]
        fn decode(
            __v: ::sendapi::__private::Value,
        ) -> ::sendapi::__private::Result<Self, ::sendapi::__private::webhook::Error> {
            let mut __m = ::sendapi::__private::webhook::object(__v, "Enforcement")?;
            ::sendapi::__private::Ok(Enforcement {
                action: ::sendapi::__private::webhook::optional(&mut __m, "action")?,
                unknown_fields: __m,
            })
        }
    }
    impl<'de> ::sendapi::__private::de::Deserialize<'de> for Enforcement {
        fn deserialize<__D: ::sendapi::__private::de::Deserializer<'de>>(
            __d: __D,
        ) -> ::sendapi::__private::Result<Self, __D::Error> {
            ::sendapi::__private::webhook::deserialize(__d)
        }
    }
    /// The event of a messaging or standby item, chosen as the spec classifies items: first an event told apart by a payload field (a flag that is `true`) whose key is present, then the event whose key (or an alias of it) is present.
    ///
    /// An item whose event this snapshot does not know is [`Event::Other`].
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub enum Event {
        /// A copy.
        ///
        /// Item key: `msg`.
        ///
        /// Its payload's `is_copy` is `true`.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        Copy(Msg),
        /// Something said.
        ///
        /// Item key: `msg`.
        ///
        /// Opens (or extends) the standard messaging window.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        Said(Msg),
        /// An enforcement.
        ///
        /// Item key: `policy_enforcement`.
        ///
        /// Also sent as `policy-enforcement`.
        ///
        /// Source: <https://developers.facebook.com/docs/messenger-platform/reference/webhook-events>
        Enforced(Enforcement),
        /// An item whose event this snapshot does not know: the whole
        /// item, as sent.
        Other(
            ::sendapi::__private::Map<
                ::sendapi::__private::String,
                ::sendapi::__private::Value,
            >,
        ),
    }
    /// The events in classification order, for the reader.
    static __EVENTS: &[::sendapi::__private::webhook::EventSpec] = &[
        ::sendapi::__private::webhook::EventSpec {
            keys: &["msg"],
            flag: ::sendapi::__private::Some("is_copy"),
            when: ::sendapi::__private::None,
        },
        ::sendapi::__private::webhook::EventSpec {
            keys: &["msg"],
            flag: ::sendapi::__private::None,
            when: ::sendapi::__private::None,
        },
        ::sendapi::__private::webhook::EventSpec {
            keys: &["policy_enforcement", "policy-enforcement"],
            flag: ::sendapi::__private::None,
            when: ::sendapi::__private::None,
        },
    ];
    impl Event {
        /// The event's kind, the vocabulary every sendapi tool shares.
        pub fn kind(&self) -> ::sendapi::EventKind {
            match self {
                Event::Copy(_) => ::sendapi::EventKind::Echo,
                Event::Said(_) => ::sendapi::EventKind::Message,
                Event::Enforced(_) => ::sendapi::EventKind::PolicyEnforcement,
                Event::Other(_) => ::sendapi::EventKind::Other,
            }
        }
        /// Whether the person's action behind the event opens (or
        /// extends) the standard messaging window.
        pub fn opens_window(&self) -> bool {
            ::core::matches!(self, Event::Said(_))
        }
        /// What tells a retried copy of this event from a new one
        /// (delivery is at least once); `None` when the event has no
        /// such key, or its payload lacks it.
        pub fn dedupe_field(
            &self,
        ) -> ::sendapi::__private::Option<::sendapi::DedupeField<'_>> {
            match self {
                Event::Copy(__e) => {
                    ::sendapi::__private::Some(
                        ::sendapi::DedupeField::Mid(__e.mid.as_str()),
                    )
                }
                Event::Said(__e) => {
                    __e.meta
                        .as_ref()
                        .map(|__v| &__v.reference)
                        .map(|__v| ::sendapi::DedupeField::Mid(__v.as_str()))
                }
                _ => ::sendapi::__private::None,
            }
        }
        /// Reads the event out of an item's map, leaving the common fields.
        #[inline]
        fn __take(
            __m: &mut ::sendapi::__private::Map<
                ::sendapi::__private::String,
                ::sendapi::__private::Value,
            >,
        ) -> ::sendapi::__private::Result<Self, ::sendapi::__private::webhook::Error> {
            ::sendapi::__private::Ok(
                match ::sendapi::__private::webhook::classify(__EVENTS, __m) {
                    ::sendapi::__private::Some((0usize, __k)) => {
                        Event::Copy(
                            ::sendapi::__private::webhook::required(__m, __k, "Item")?,
                        )
                    }
                    ::sendapi::__private::Some((1usize, __k)) => {
                        Event::Said(
                            ::sendapi::__private::webhook::required(__m, __k, "Item")?,
                        )
                    }
                    ::sendapi::__private::Some((2usize, __k)) => {
                        Event::Enforced(
                            ::sendapi::__private::webhook::required(__m, __k, "Item")?,
                        )
                    }
                    _ => Event::Other(::core::clone::Clone::clone(__m)),
                },
            )
        }
    }
    /// One item of a notification, with the entry it came in.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub struct Received<'a> {
        /// The entry the item came in.
        pub entry: &'a Page,
        /// Whether the item came under `passive` (for an app that does not own the thread) rather than `events`.
        pub standby: bool,
        /// The item.
        pub item: &'a Item,
    }
    impl<'a> Received<'a> {
        /// The item's event.
        pub fn event(&self) -> &'a Event {
            &self.item.event
        }
    }
    impl Note {
        /// Every item of every entry, in order: each entry's messaging
        /// items, then its standby items. A notification may batch
        /// several entries and an entry several items; all are yielded.
        pub fn events(
            &self,
        ) -> impl ::sendapi::__private::Iterator<Item = Received<'_>> {
            ::sendapi::__private::Iterator::flat_map(
                self.entries.iter(),
                |__e| {
                    let __m = ::sendapi::__private::Iterator::map(
                        __e.events.iter(),
                        move |__i| Received {
                            entry: __e,
                            standby: false,
                            item: __i,
                        },
                    );
                    let __s = ::sendapi::__private::Iterator::map(
                        __e.passive.iter(),
                        move |__i| Received {
                            entry: __e,
                            standby: true,
                            item: __i,
                        },
                    );
                    ::sendapi::__private::Iterator::chain(__m, __s)
                },
            )
        }
    }
}
