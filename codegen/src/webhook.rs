//! The receive side: a `webhook` module from a spec's `[webhooks]`.
//!
//! Every `[webhooks.types]` entry becomes a type that decodes tolerantly
//! through `::sendapi::__private::webhook` (unknown fields kept in
//! `unknown_fields`, unknown enum values in `Unknown`), the item type gains
//! `event: Event`, and `Event` has one variant per `[webhooks.events]` entry
//! plus `Other` for an item whose event the spec does not know. Keys,
//! flags, kinds, windows and dedupe paths are all read from the spec here.

use proc_macro2::TokenStream;
use quote::quote;
use sendapi_spec::model::{TypeDef, TypeKind};
use sendapi_spec::webhook::{Dedupe, WebhookEvent, Webhooks};
use sendapi_spec::{Prim, Spec, Ty};
use serde_json::{Map, Value};

use crate::shapes::{Docs, RTy};
use crate::util::{doc, doc_attrs, ident, private, rty};
use crate::{Error, Options, RequestMacro};

/// Names the module generates next to the spec's webhook types.
const RESERVED_TYPES: &[&str] = &["Event", "Received"];
/// The field every struct keeps unknown keys in.
const UNKNOWN_FIELDS: &str = "unknown_fields";
/// The field the item type holds its event in.
const EVENT_FIELD: &str = "event";
/// The variant of an open enum that keeps a value the spec does not list.
const UNKNOWN_VALUE: &str = "Unknown";
/// The variant of `Event` that keeps an item whose event is unknown.
const OTHER_EVENT: &str = "Other";

/// A field of a webhook struct, resolved.
struct FieldW<'s> {
    wire: &'s str,
    rust: &'s str,
    ty: RTy,
    required: bool,
    docs: Docs,
}

fn err<T>(msg: String) -> Result<T, Error> {
    Err(Error(format!("[webhooks]: {msg}")))
}

fn docs_of(
    spec: &Spec,
    doc: &str,
    source: &str,
    status: sendapi_spec::model::Status,
    note: &Option<String>,
    platforms: &Option<Vec<sendapi_spec::Platform>>,
) -> Docs {
    Docs {
        doc: doc.to_string(),
        source: spec.source_link(source).to_string(),
        status,
        note: note.clone(),
        since: None,
        platforms: platforms.clone(),
    }
}

fn resolve_ty(w: &Webhooks, ty: &Ty, at: &str) -> Result<RTy, Error> {
    Ok(match ty {
        Ty::Prim(p) => RTy::Prim(*p),
        Ty::Named(n) if w.type_def(n).is_some() => RTy::Named(n.clone()),
        Ty::Named(n) => return err(format!("{at} names `{n}`, which [webhooks.types] lacks")),
        Ty::Array(t) => RTy::Vec(Box::new(resolve_ty(w, t, at)?)),
    })
}

fn fields<'s>(
    spec: &Spec,
    w: &Webhooks,
    name: &str,
    def: &'s TypeDef,
) -> Result<Vec<FieldW<'s>>, Error> {
    let mut out = Vec::new();
    for (wire, f) in &def.fields {
        let at = format!("field `{}` of `{name}`", wire.get_ref());
        let ty = Ty::parse(f.ty.get_ref()).or_else(|e| err(format!("{at}: {e}")))?;
        let rust = f.rust.get_ref().as_str();
        if rust == UNKNOWN_FIELDS {
            return err(format!("{at}: the Rust name `{rust}` is the generator's"));
        }
        out.push(FieldW {
            wire: wire.get_ref(),
            rust,
            ty: resolve_ty(w, &ty, &at)?,
            required: f.required,
            docs: docs_of(
                spec,
                &f.doc,
                f.source.get_ref(),
                f.status,
                &f.note,
                &f.platforms,
            ),
        });
    }
    Ok(out)
}

/// The Rust type of a field: optional arrays are empty when absent.
fn field_ty(f: &FieldW<'_>) -> TokenStream {
    let p = private();
    let t = rty(&f.ty);
    if f.required || matches!(f.ty, RTy::Vec(_)) {
        t
    } else {
        quote!(#p::Option<#t>)
    }
}

/// The reader call for a field, out of the map `__m`.
fn field_read(f: &FieldW<'_>, owner: &str) -> TokenStream {
    let p = private();
    let wire = f.wire;
    if f.required {
        quote!(#p::webhook::required(&mut __m, #wire, #owner)?)
    } else if matches!(f.ty, RTy::Vec(_)) {
        quote!(#p::webhook::list(&mut __m, #wire)?)
    } else {
        quote!(#p::webhook::optional(&mut __m, #wire)?)
    }
}

/// `Deserialize` through the tolerant reader.
fn deserialize_impl(ty: &proc_macro2::Ident) -> TokenStream {
    let p = private();
    quote! {
        impl<'de> #p::de::Deserialize<'de> for #ty {
            fn deserialize<__D: #p::de::Deserializer<'de>>(__d: __D) -> #p::Result<Self, __D::Error> {
                #p::webhook::deserialize(__d)
            }
        }
    }
}

/// A struct, its reader and `Deserialize`. `event` is the item type's
/// extra field and how it is read (before the other fields, from the
/// whole item).
fn struct_def(
    name: &str,
    docs: TokenStream,
    fields: &[FieldW<'_>],
    event: Option<TokenStream>,
) -> TokenStream {
    let p = private();
    let ty = ident(name);
    let defs = fields.iter().map(|f| {
        let mut extra = Vec::new();
        if f.wire != f.rust {
            extra.push(format!("Wire name: `{}`.", f.wire));
        }
        let d = doc_attrs(&f.docs, &extra);
        let i = ident(f.rust);
        let t = field_ty(f);
        quote!(#d pub #i: #t,)
    });
    let reads = fields.iter().map(|f| {
        let i = ident(f.rust);
        let r = field_read(f, name);
        quote!(#i: #r,)
    });
    let (event_def, event_read, event_init) = match event {
        Some(read) => (
            quote! {
                /// The event the item carries.
                pub event: Event,
            },
            quote!(let __event = #read;),
            quote!(event: __event,),
        ),
        None => (quote!(), quote!(), quote!()),
    };
    let de = deserialize_impl(&ty);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #ty {
            #(#defs)*
            #event_def
            /// Keys this snapshot does not know, kept as sent.
            pub unknown_fields: #p::Map<#p::String, #p::Value>,
        }

        impl #p::webhook::Decode for #ty {
            #[inline]
            fn decode(__v: #p::Value) -> #p::Result<Self, #p::webhook::Error> {
                let mut __m = #p::webhook::object(__v, #name)?;
                #event_read
                #p::Ok(#ty {
                    #(#reads)*
                    #event_init
                    unknown_fields: __m,
                })
            }
        }
        #de
    }
}

/// An open enum: the spec's values plus `Unknown(String)`.
fn enum_def(spec: &Spec, name: &str, def: &TypeDef) -> Result<TokenStream, Error> {
    let p = private();
    let ty = ident(name);
    let unknown = ident(UNKNOWN_VALUE);
    let mut variants = Vec::new();
    let mut reads = Vec::new();
    let mut strs = Vec::new();
    for (wire, v) in &def.values {
        let rust = v.rust.get_ref();
        if rust == UNKNOWN_VALUE {
            return err(format!(
                "value `{}` of `{name}`: the Rust name `{rust}` is the generator's",
                wire.get_ref()
            ));
        }
        let vi = ident(rust);
        let w = wire.get_ref();
        let d = docs_of(
            spec,
            &v.doc,
            v.source.get_ref(),
            v.status,
            &v.note,
            &v.platforms,
        );
        let d = doc_attrs(&d, &[format!("Wire value: `{w}`.")]);
        variants.push(quote!(#d #vi,));
        let aliases = v.aliases.iter();
        reads.push(quote!(#w #(| #aliases)* => #ty::#vi,));
        strs.push(quote!(#ty::#vi => #w,));
    }
    let docs = doc_attrs(
        &docs_of(
            spec,
            &def.doc,
            def.source.get_ref(),
            def.status,
            &def.note,
            &None,
        ),
        &["A value this snapshot does not list decodes as `Unknown`, with its text.".into()],
    );
    let de = deserialize_impl(&ty);
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ty {
            #(#variants)*
            /// A value this snapshot does not list, as sent.
            #unknown(#p::String),
        }

        impl #ty {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#strs)*
                    #ty::#unknown(__s) => __s,
                }
            }
        }

        impl ::core::fmt::Display for #ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #p::webhook::Decode for #ty {
            #[inline]
            fn decode(__v: #p::Value) -> #p::Result<Self, #p::webhook::Error> {
                let __s = #p::webhook::enum_text(__v, #name)?;
                #p::Ok(match __s.as_str() {
                    #(#reads)*
                    _ => #ty::#unknown(__s),
                })
            }
        }
        #de
    })
}

/// `policy_enforcement` -> `PolicyEnforcement`: the `EventKind` variant.
fn kind_variant(kind: sendapi_spec::EventKind) -> proc_macro2::Ident {
    let camel: String = kind
        .as_str()
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    ident(&camel)
}

/// An expression of type `Option<DedupeField<'_>>` for one dedupe path into
/// the payload `__e` of type `ty`.
fn dedupe_path(
    spec: &Spec,
    w: &Webhooks,
    event: &str,
    ty: &str,
    path: &str,
    watermark: bool,
) -> Result<TokenStream, Error> {
    let p = private();
    let at = format!("event `{event}`: dedupe path `{path}`");
    let mut expr = quote!(__e);
    let mut optional = false;
    let mut owner = ty.to_string();
    let mut last = None;
    for seg in path.split('.') {
        let Some(def) = w.type_def(&owner) else {
            return err(format!(
                "{at} goes through `{owner}`, which is not an object"
            ));
        };
        let fs = fields(spec, w, &owner, def)?;
        let Some(f) = fs.into_iter().find(|f| f.wire == seg) else {
            return err(format!("{at}: `{owner}` has no field `{seg}`"));
        };
        let i = ident(f.rust);
        let opt_field = !f.required && !matches!(f.ty, RTy::Vec(_));
        expr = match (optional, opt_field) {
            (false, false) => quote!(#expr.#i),
            (false, true) => quote!(#expr.#i.as_ref()),
            (true, false) => quote!(#expr.map(|__v| &__v.#i)),
            (true, true) => quote!(#expr.and_then(|__v| __v.#i.as_ref())),
        };
        optional |= opt_field;
        owner = f.ty.named().unwrap_or_default().to_string();
        last = Some(f.ty);
    }
    let expected = if watermark {
        RTy::Prim(Prim::Integer)
    } else {
        RTy::Prim(Prim::String)
    };
    let fits = match &last {
        Some(RTy::Prim(Prim::String | Prim::Id | Prim::StringOrNumber)) => !watermark,
        Some(t) => *t == expected,
        None => false,
    };
    if !fits {
        let want = if watermark {
            "an integer"
        } else {
            "a string or id"
        };
        return err(format!("{at} must end at {want} field"));
    }
    Ok(match (watermark, optional) {
        (false, false) => quote!(#p::Some(::sendapi::DedupeField::Mid(#expr.as_str()))),
        (false, true) => quote!(#expr.map(|__v| ::sendapi::DedupeField::Mid(__v.as_str()))),
        (true, false) => quote!(#p::Some(::sendapi::DedupeField::Watermark(#expr))),
        (true, true) => quote!(#expr.copied().map(::sendapi::DedupeField::Watermark)),
    })
}

fn dedupe_expr(
    spec: &Spec,
    w: &Webhooks,
    name: &str,
    ev: &WebhookEvent,
    d: &Dedupe,
) -> Result<Option<TokenStream>, Error> {
    let p = private();
    let ty = ev.ty.get_ref();
    let mid = d
        .mid
        .as_ref()
        .map(|m| dedupe_path(spec, w, name, ty, m.get_ref(), false))
        .transpose()?;
    let wm = d
        .watermark
        .as_ref()
        .map(|m| dedupe_path(spec, w, name, ty, m.get_ref(), true))
        .transpose()?;
    Ok(match (mid, wm) {
        (Some(a), Some(b)) => Some(quote!(#p::Option::or(#a, #b))),
        (a, b) => a.or(b),
    })
}

/// The variant of one event with its doc, and its entry in the
/// classification table.
fn event_variant(spec: &Spec, name: &str, ev: &WebhookEvent) -> (TokenStream, TokenStream) {
    let p = private();
    let vi = ident(name);
    // A payload the type system cannot describe (app_roles: a map from app
    // id to roles) is `json`, and the variant holds the raw value.
    let pt = match Ty::parse(ev.ty.get_ref()) {
        Ok(Ty::Prim(Prim::Json)) => quote!(#p::Value),
        _ => {
            let t = ident(ev.ty.get_ref());
            quote!(#t)
        }
    };
    let mut extra = vec![format!("Item key: `{}`.", ev.key.get_ref())];
    if let Some(f) = &ev.flag {
        extra.push(format!("Its payload's `{}` is `true`.", f.get_ref()));
    }
    if !ev.aliases.is_empty() {
        let a: Vec<String> = ev.aliases.iter().map(|a| format!("`{a}`")).collect();
        extra.push(format!("Also sent as {}.", a.join(", ")));
    }
    if ev.opens_window {
        extra.push("Opens (or extends) the standard messaging window.".into());
    }
    match (&ev.field, &ev.instagram_field) {
        (Some(f), Some(i)) if f != i => {
            extra.push(format!("Subscription field: `{f}` (Instagram: `{i}`)."))
        }
        (Some(f), _) => extra.push(format!("Subscription field: `{f}`.")),
        (None, Some(i)) => extra.push(format!("Subscription field on Instagram: `{i}`.")),
        (None, None) => {}
    }
    let d = docs_of(
        spec,
        &ev.doc,
        ev.source.get_ref(),
        ev.status,
        &ev.note,
        &ev.platforms,
    );
    let d = doc_attrs(&d, &extra);
    let keys = std::iter::once(ev.key.get_ref()).chain(&ev.aliases);
    let flag = match &ev.flag {
        Some(f) => {
            let f = f.get_ref();
            quote!(#p::Some(#f))
        }
        None => quote!(#p::None),
    };
    let when = match &ev.when {
        Some(w) => {
            let (field, equals) = (w.field.get_ref(), w.equals.get_ref());
            quote!(#p::Some((#field, #equals)))
        }
        None => quote!(#p::None),
    };
    (
        quote!(#d #vi(#pt),),
        quote!(#p::webhook::EventSpec { keys: &[#(#keys),*], flag: #flag, when: #when },),
    )
}

/// `Event`, its classification table and its methods.
fn event_def(spec: &Spec, w: &Webhooks) -> Result<TokenStream, Error> {
    let item = w.item.get_ref().as_str();
    let p = private();
    let other = ident(OTHER_EVENT);
    let mut variants = Vec::new();
    let mut table = Vec::new();
    let mut kinds = Vec::new();
    let mut windows = Vec::new();
    let mut dedupes = Vec::new();
    for (name, ev) in w.events() {
        let json = matches!(Ty::parse(ev.ty.get_ref()), Ok(Ty::Prim(Prim::Json)));
        if name == OTHER_EVENT || (!json && w.type_def(ev.ty.get_ref()).is_none()) {
            return err(format!(
                "event `{name}`: its name must not be `{OTHER_EVENT}` and its type `{}` must be `json` or in [webhooks.types]",
                ev.ty.get_ref()
            ));
        }
        let (variant, entry) = event_variant(spec, name, ev);
        variants.push(variant);
        table.push(entry);
        let vi = ident(name);
        let k = kind_variant(*ev.kind.get_ref());
        kinds.push(quote!(Event::#vi(_) => ::sendapi::EventKind::#k,));
        if ev.opens_window {
            windows.push(quote!(Event::#vi(_)));
        }
        if let Some(d) = &ev.dedupe
            && let Some(e) = dedupe_expr(spec, w, name, ev, d)?
        {
            dedupes.push(quote!(Event::#vi(__e) => #e,));
        }
    }
    let decode_arms = w.events().enumerate().map(|(i, (name, _))| {
        let vi = ident(name);
        quote!(#p::Some((#i, __k)) => Event::#vi(#p::webhook::required(__m, __k, #item)?),)
    });
    let opens = if windows.is_empty() {
        quote!(false)
    } else {
        quote!(::core::matches!(self, #(#windows)|*))
    };
    let d = doc(
        "The event of a messaging or standby item, chosen as the spec classifies items: first an event told apart by a payload field (a flag that is `true`) whose key is present, then the event whose key (or an alias of it) is present.\n\nAn item whose event this snapshot does not know is [`Event::Other`].",
    );
    Ok(quote! {
        #d
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
            /// An item whose event this snapshot does not know: the whole
            /// item, as sent.
            #other(#p::Map<#p::String, #p::Value>),
        }

        /// The events in classification order, for the reader.
        static __EVENTS: &[#p::webhook::EventSpec] = &[#(#table)*];

        impl Event {
            /// The event's kind, the vocabulary every sendapi tool shares.
            pub fn kind(&self) -> ::sendapi::EventKind {
                match self {
                    #(#kinds)*
                    Event::#other(_) => ::sendapi::EventKind::Other,
                }
            }

            /// Whether the person's action behind the event opens (or
            /// extends) the standard messaging window.
            pub fn opens_window(&self) -> bool {
                #opens
            }

            /// What tells a retried copy of this event from a new one
            /// (delivery is at least once); `None` when the event has no
            /// such key, or its payload lacks it.
            pub fn dedupe_field(&self) -> #p::Option<::sendapi::DedupeField<'_>> {
                match self {
                    #(#dedupes)*
                    _ => #p::None,
                }
            }

            /// Reads the event out of an item's map, leaving the common fields.
            #[inline]
            fn __take(__m: &mut #p::Map<#p::String, #p::Value>) -> #p::Result<Self, #p::webhook::Error> {
                #p::Ok(match #p::webhook::classify(__EVENTS, __m) {
                    #(#decode_arms)*
                    _ => Event::#other(::core::clone::Clone::clone(__m)),
                })
            }
        }
    })
}

/// The envelope's entry list and the entry's messaging and standby fields
/// (Rust names), found from `[webhooks]`'s `item`, `messaging` and
/// `standby`: the entry type is the element of the envelope array whose
/// type has the messaging field.
struct Layout<'s> {
    entries: &'s str,
    entry_ty: String,
    messaging: &'s str,
    standby: &'s str,
}

fn layout<'s>(spec: &Spec, w: &'s Webhooks) -> Result<Layout<'s>, Error> {
    let envelope = w.envelope.get_ref();
    let item = w.item.get_ref();
    let item_list = RTy::Vec(Box::new(RTy::Named(item.clone())));
    let Some(env) = w.type_def(envelope) else {
        return err(format!(
            "the envelope `{envelope}` is not in [webhooks.types]"
        ));
    };
    let field_of = |owner: &str, def: &'s TypeDef, wire: &str| -> Result<Option<&'s str>, Error> {
        let fs = fields(spec, w, owner, def)?;
        Ok(fs
            .into_iter()
            .find(|f| f.wire == wire && f.ty == item_list)
            .map(|f| f.rust))
    };
    for f in fields(spec, w, envelope, env)? {
        let RTy::Vec(inner) = &f.ty else { continue };
        let RTy::Named(entry_ty) = &**inner else {
            continue;
        };
        let Some(entry) = w.type_def(entry_ty) else {
            continue;
        };
        let Some(messaging) = field_of(entry_ty, entry, w.messaging.get_ref())? else {
            continue;
        };
        let Some(standby) = field_of(entry_ty, entry, w.standby.get_ref())? else {
            return err(format!(
                "`{entry_ty}` has no field `{}` of type `[{item}]`",
                w.standby.get_ref()
            ));
        };
        return Ok(Layout {
            entries: f.rust,
            entry_ty: entry_ty.clone(),
            messaging,
            standby,
        });
    }
    err(format!(
        "the envelope `{envelope}` has no array of entries with a field `{}` of type `[{item}]`",
        w.messaging.get_ref()
    ))
}

/// `Received` and the envelope's `events()`.
fn events_iter(w: &Webhooks, l: &Layout<'_>) -> TokenStream {
    let p = private();
    let envelope = ident(w.envelope.get_ref());
    let entry = ident(&l.entry_ty);
    let item = ident(w.item.get_ref());
    let (entries, messaging, standby) = (ident(l.entries), ident(l.messaging), ident(l.standby));
    let standby_doc = doc(&format!(
        "Whether the item came under `{}` (for an app that does not own the thread) rather than `{}`.",
        w.standby.get_ref(),
        w.messaging.get_ref()
    ));
    quote! {
        /// One item of a notification, with the entry it came in.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct Received<'a> {
            /// The entry the item came in.
            pub entry: &'a #entry,
            #standby_doc
            pub standby: bool,
            /// The item.
            pub item: &'a #item,
        }

        impl<'a> Received<'a> {
            /// The item's event.
            pub fn event(&self) -> &'a Event {
                &self.item.event
            }
        }

        impl #envelope {
            /// Every item of every entry, in order: each entry's messaging
            /// items, then its standby items. A notification may batch
            /// several entries and an entry several items; all are yielded.
            pub fn events(&self) -> impl #p::Iterator<Item = Received<'_>> {
                #p::Iterator::flat_map(self.#entries.iter(), |__e| {
                    let __m = #p::Iterator::map(__e.#messaging.iter(), move |__i| Received { entry: __e, standby: false, item: __i });
                    let __s = #p::Iterator::map(__e.#standby.iter(), move |__i| Received { entry: __e, standby: true, item: __i });
                    #p::Iterator::chain(__m, __s)
                })
            }
        }
    }
}

/// A JSON value of type `ty` with only its required fields, for the
/// module's example; `force` adds the given optional fields too.
fn sample(w: &Webhooks, ty: &RTy, force: &Map<String, Value>, depth: u8) -> Value {
    match ty {
        RTy::Prim(Prim::String) => Value::from("text"),
        RTy::Prim(Prim::Id | Prim::StringOrNumber) => Value::from("1"),
        RTy::Prim(Prim::Integer | Prim::Number) => Value::from(1),
        RTy::Prim(Prim::Bool) => Value::Bool(false),
        RTy::Prim(Prim::Json) => Value::Object(Map::new()),
        RTy::Vec(_) => Value::Array(Vec::new()),
        RTy::Named(n) | RTy::Boxed(n) => {
            let Some(def) = w.type_def(n) else {
                return Value::Null;
            };
            if *def.kind.get_ref() == TypeKind::Enum {
                return def
                    .values
                    .keys()
                    .next()
                    .map_or(Value::from("x"), |k| Value::from(k.get_ref().as_str()));
            }
            let mut m = Map::new();
            for (wire, f) in &def.fields {
                let Ok(t) = Ty::parse(f.ty.get_ref()) else {
                    continue;
                };
                let Ok(t) = resolve_ty(w, &t, "") else {
                    continue;
                };
                if f.required && depth < 8 {
                    m.insert(
                        wire.get_ref().clone(),
                        sample(w, &t, &Map::new(), depth + 1),
                    );
                }
            }
            m.extend(force.clone());
            Value::Object(m)
        }
    }
}

/// The module's doc, with an example that decodes a small notification
/// when the module's path is known (a bundled snapshot).
fn module_doc(spec: &Spec, w: &Webhooks, l: &Layout<'_>, options: &Options) -> TokenStream {
    let d = docs_of(
        spec,
        &w.doc,
        w.source.get_ref(),
        Default::default(),
        &None,
        &None,
    );
    let tolerance = format!(
        "Decoding is tolerant, because Meta adds fields, values and events without notice: keys a type does not know are kept in its `unknown_fields`, an enum value it does not list decodes as `Unknown`, and an item whose event is unknown as `Event::Other`, the whole item as sent. Ids may be strings or numbers, integers numbers or numeric strings, and a `null` is an absent field. A missing required field is an error naming its path.\n\nDecode the raw body after checking its signature: `serde_json::from_slice::<webhook::{envelope}>(body)`, then walk `{envelope}::events()`.",
        envelope = w.envelope.get_ref()
    );
    let mut extra = vec![tolerance];
    let module = match &options.request_macro {
        RequestMacro::Bundled { module, .. } => Some(module.to_string().replace(' ', "")),
        _ => None,
    };
    let first = w.events().find(|(_, e)| !e.is_conditional());
    if let (Some(module), Some((name, ev))) = (module, first) {
        let module = module.trim_start_matches("::");
        let item_ty = RTy::Named(w.item.get_ref().clone());
        let payload = sample(w, &RTy::Named(ev.ty.get_ref().clone()), &Map::new(), 0);
        let known = sample(
            w,
            &item_ty,
            &Map::from_iter([(ev.key.get_ref().clone(), payload)]),
            0,
        );
        let mut unknown_key = "an_event_from_the_future".to_string();
        while w
            .events()
            .any(|(_, e)| *e.key.get_ref() == unknown_key || e.aliases.contains(&unknown_key))
        {
            unknown_key.push('_');
        }
        let unknown = sample(
            w,
            &item_ty,
            &Map::from_iter([(unknown_key, Value::Object(Map::new()))]),
            0,
        );
        let entry = sample(
            w,
            &RTy::Named(l.entry_ty.clone()),
            &Map::from_iter([(
                w.messaging.get_ref().clone(),
                Value::Array(vec![known, unknown]),
            )]),
            0,
        );
        let entries_wire = w
            .type_def(w.envelope.get_ref())
            .and_then(|d| d.fields.iter().find(|(_, f)| f.rust.get_ref() == l.entries))
            .map(|(k, _)| k.get_ref().clone())
            .unwrap_or_default();
        let body = sample(
            w,
            &RTy::Named(w.envelope.get_ref().clone()),
            &Map::from_iter([(entries_wire, Value::Array(vec![entry]))]),
            0,
        );
        let kind = kind_variant(*ev.kind.get_ref());
        let envelope = w.envelope.get_ref();
        extra.push(format!(
            "```\nuse {module}::webhook::{{Event, {envelope}}};\n\nlet body = br#\"{body}\"#;\nlet notification: {envelope} = serde_json::from_slice(body).unwrap();\nfor received in notification.events() {{\n    match received.event() {{\n        Event::{name}(payload) => println!(\"{{payload:?}}\"),\n        Event::Other(raw) => println!(\"an event this snapshot does not know, as sent: {{raw:?}}\"),\n        other => println!(\"{{}}\", other.kind()),\n    }}\n}}\nlet kinds: Vec<_> = notification.events().map(|r| r.event().kind()).collect();\nassert_eq!(kinds, [sendapi::EventKind::{kind}, sendapi::EventKind::Other]);\n```"
        ));
    }
    doc_attrs(&d, &extra)
}

/// Refuses a type that holds itself outside an array (directly or through
/// other types): its struct would have no finite size.
fn check_cycles(w: &Webhooks) -> Result<(), Error> {
    fn inline_children(w: &Webhooks, name: &str) -> Vec<String> {
        let Some(def) = w.type_def(name) else {
            return Vec::new();
        };
        def.fields
            .values()
            .filter_map(|f| match Ty::parse(f.ty.get_ref()) {
                Ok(Ty::Named(n)) => Some(n),
                _ => None,
            })
            .collect()
    }
    for start in w.types.keys() {
        let start = start.get_ref();
        let mut seen = vec![start.clone()];
        let mut todo = inline_children(w, start);
        while let Some(n) = todo.pop() {
            if n == *start {
                return err(format!(
                    "`{start}` holds itself outside an array; webhook types may not"
                ));
            }
            if !seen.contains(&n) {
                todo.extend(inline_children(w, &n));
                seen.push(n);
            }
        }
    }
    Ok(())
}

/// The `webhook` module of a spec with `[webhooks]`; nothing without.
pub fn module(spec: &Spec, options: &Options) -> Result<TokenStream, Error> {
    let Some(w) = spec.webhooks() else {
        return Ok(TokenStream::new());
    };
    check_cycles(w)?;
    let item = w.item.get_ref();
    let mut items = TokenStream::new();
    for (name, def) in &w.types {
        let name = name.get_ref();
        if RESERVED_TYPES.contains(&name.as_str()) || name.starts_with("__") {
            return err(format!(
                "the type name `{name}` is the generator's; rename it"
            ));
        }
        let docs = docs_of(
            spec,
            &def.doc,
            def.source.get_ref(),
            def.status,
            &def.note,
            &None,
        );
        items.extend(match def.kind.get_ref() {
            TypeKind::Object => {
                let fs = fields(spec, w, name, def)?;
                let event = (name == item).then(|| quote!(Event::__take(&mut __m)?));
                if event.is_some() && fs.iter().any(|f| f.rust == EVENT_FIELD) {
                    return err(format!(
                        "the item type `{item}` may not have a field named `{EVENT_FIELD}`"
                    ));
                }
                struct_def(name, doc_attrs(&docs, &[]), &fs, event)
            }
            TypeKind::Enum => enum_def(spec, name, def)?,
            other => {
                return err(format!(
                    "`{name}` is a `{}` type; webhook types are `object` or `enum`",
                    other.as_str()
                ));
            }
        });
    }
    if w.type_def(item)
        .is_none_or(|d| *d.kind.get_ref() != TypeKind::Object)
    {
        return err(format!(
            "the item `{item}` must be an object type of [webhooks.types]"
        ));
    }
    let l = layout(spec, w)?;
    let events = event_def(spec, w)?;
    let iter = events_iter(w, &l);
    let docs = module_doc(spec, w, &l, options);
    Ok(quote! {
        #docs
        pub mod webhook {
            #items
            #events
            #iter
        }
    })
}
