//! The typed model of a spec file, exactly as written in TOML.
//!
//! Names that other parts of the file refer to are [`Spanned`], so that the
//! lint can point at the line and column of a bad reference. Maps are
//! [`IndexMap`]s so that fields, values and variants keep the order the spec
//! writer chose; generated code and documentation follow that order.

use std::fmt;

use indexmap::IndexMap;

/// The model's ordered maps: [`IndexMap`]s (the spec's order is kept)
/// hashed with FxHash. Their keys are a spec's own names; SipHash made
/// building the bundled snapshot and every name lookup several times
/// slower where the `request!` macro runs unoptimized.
pub type Map<K, V> = IndexMap<K, V, rustc_hash::FxBuildHasher>;
pub use sendapi_core::{Platform, RetryClass, Severity};
#[cfg(feature = "load")]
use serde::{Deserialize, Deserializer};
pub use serde_spanned::Spanned;

/// A whole spec file: one snapshot of the Send API.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct SpecFile {
    /// Version of the spec format itself; this crate reads format 1.
    pub format: Spanned<u32>,
    /// Which Graph version and date this snapshot describes.
    pub snapshot: Snapshot,
    /// Source keys (`REF`, `QR`, …) and the links they stand for.
    pub sources: Map<Spanned<String>, String>,
    /// The endpoints whose bodies the spec describes.
    pub endpoints: Map<Spanned<String>, Endpoint>,
    /// Every object, union and enum, by Rust type name.
    pub types: Map<Spanned<String>, TypeDef>,
    /// Every rule as written, in evaluation order; the lint converts them
    /// into the typed [`crate::Rule`]s that [`crate::Spec::rules`] gives.
    #[cfg_attr(feature = "load", serde(default))]
    pub rules: Vec<RawRule>,
    /// The Graph error codes and subcodes, with their retry classes.
    #[cfg_attr(feature = "load", serde(default))]
    pub errors: Vec<ErrorCode>,
    /// Rate classes per message kind.
    #[cfg_attr(feature = "load", serde(default))]
    pub rate_classes: Map<Spanned<String>, RateClass>,
    /// The receive side: the webhook envelope and its events.
    pub webhooks: Option<crate::webhook::Webhooks>,
}

/// The header of a snapshot.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct Snapshot {
    /// Snapshot name, e.g. `v26.0`.
    pub name: Spanned<String>,
    /// The Graph version sent in request paths, e.g. `v26.0`.
    pub graph_version: Spanned<String>,
    /// The date whose rules this snapshot describes. Date-based changes
    /// (refused tags, new templates) apply when their date is on or before it.
    pub as_of: Date,
    /// When Meta released this Graph version.
    pub released: Date,
    /// When Meta stops serving this Graph version, where known.
    pub expires: Option<Date>,
    /// What this snapshot is for.
    pub doc: String,
    /// Where the version calendar comes from.
    pub source: Spanned<String>,
    /// Graph's limit of operations in one batch request, where the snapshot
    /// states one: the emulator refuses a longer batch, and the client splits
    /// its batches into calls of at most this many.
    pub batch_limit: Option<Spanned<u32>>,
    /// The standard messaging window in hours: how long after the person's
    /// last window-opening event (see the webhook events' `opens_window`)
    /// the page may answer with RESPONSE or UPDATE.
    pub window_hours: Option<Spanned<u32>>,
}

/// A calendar date, written as a bare TOML date (`2026-04-27`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`; `None` unless it names a real calendar day.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let days = match date.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if date.year.is_multiple_of(4)
                && (!date.year.is_multiple_of(100) || date.year.is_multiple_of(400)) =>
            {
                29
            }
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&date.day).then_some(date)
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// The date `days` after 1970-01-01 (the civil-from-days algorithm of
    /// Howard Hinnant's date library).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: u16::try_from(year).unwrap_or(u16::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Days since 1970-01-01 (the inverse of [`Date::from_days`]).
    pub fn days(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(feature = "load")]
impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let dt = toml_datetime::Datetime::deserialize(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => Ok(Date {
                year: date.year,
                month: date.month,
                day: date.day,
            }),
            _ => Err(D::Error::custom(format!(
                "expected a bare date like 2026-04-27, found `{dt}`"
            ))),
        }
    }
}

/// One HTTP endpoint whose request body the spec describes.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct Endpoint {
    /// HTTP method.
    pub method: String,
    /// Path template below the version, e.g. `/{page-id}/messages`.
    pub path: String,
    /// Type of the request body.
    pub request: Spanned<String>,
    /// Type of a successful response when it does not depend on the body.
    pub response: Option<Spanned<String>>,
    /// Type of an error response.
    pub error: Spanned<String>,
    /// What the endpoint does.
    pub doc: String,
    /// Source key or link.
    pub source: Spanned<String>,
}

/// What kind of type a [`TypeDef`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(rename_all = "snake_case"))]
pub enum TypeKind {
    /// A JSON object with named fields.
    Object,
    /// A JSON object in which exactly one of the `key = true` fields is
    /// present; the key chooses the variant (recipient forms, message bodies).
    Keyed,
    /// A JSON object whose variant is chosen by the string in its `tag`
    /// field (button `type`, `template_type`, quick reply `content_type`).
    Tagged,
    /// A string from a closed set of values.
    Enum,
}

impl TypeKind {
    /// The spelling used in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            TypeKind::Object => "object",
            TypeKind::Keyed => "keyed",
            TypeKind::Tagged => "tagged",
            TypeKind::Enum => "enum",
        }
    }
}

/// Where an item stands in Meta's documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(rename_all = "snake_case"))]
pub enum Status {
    /// Documented by Meta today.
    #[default]
    Current,
    /// Documented, but announced to go away.
    Deprecated,
    /// Gone from Meta's docs; still sent by older clients.
    Retired,
    /// Documented only by third parties.
    ThirdParty,
    /// In Meta's schema or docs without confirmed semantics.
    Unconfirmed,
    /// A transport parameter (token, proof) that belongs in the request, not the body.
    Transport,
}

impl Status {
    /// The spelling used in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Deprecated => "deprecated",
            Status::Retired => "retired",
            Status::ThirdParty => "third_party",
            Status::Unconfirmed => "unconfirmed",
            Status::Transport => "transport",
        }
    }
}

/// An object, union or enum.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct TypeDef {
    /// What kind of type this is.
    pub kind: Spanned<TypeKind>,
    /// What the type means.
    pub doc: String,
    /// Source key or link.
    pub source: Spanned<String>,
    /// Documentation status.
    #[cfg_attr(feature = "load", serde(default))]
    pub status: Status,
    /// Why the status is what it is.
    pub note: Option<String>,
    /// When the type arrived.
    pub since: Option<Date>,
    /// Unknown keys are warnings, not errors (for payloads whose schema is unconfirmed).
    #[cfg_attr(feature = "load", serde(default))]
    pub open: bool,
    /// Fields, by wire name (`object` and `keyed`).
    #[cfg_attr(feature = "load", serde(default))]
    pub fields: Map<Spanned<String>, Field>,
    /// Name of the field holding the variant's wire name (`tagged`).
    pub tag: Option<Spanned<String>>,
    /// Name of the field holding the variant's body, when the body is not
    /// inline (`tagged`; the attachment's `payload`).
    pub content: Option<Spanned<String>>,
    /// Variants, by tag value (`tagged`).
    #[cfg_attr(feature = "load", serde(default))]
    pub variants: Map<Spanned<String>, Variant>,
    /// Values, by wire value (`enum`).
    #[cfg_attr(feature = "load", serde(default))]
    pub values: Map<Spanned<String>, EnumValue>,
}

/// A field of an object or keyed union.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct Field {
    /// Rust field name.
    pub rust: Spanned<String>,
    /// Type: a builtin (`string`, `id`, `string_or_number`, `bool`, `number`,
    /// `integer`, `json`), a type name, or `[T]` for an array of `T`.
    #[cfg_attr(feature = "load", serde(rename = "type"))]
    pub ty: Spanned<String>,
    /// The field must be present.
    #[cfg_attr(feature = "load", serde(default))]
    pub required: bool,
    /// In a keyed union: this field is one of the keys that choose the variant.
    #[cfg_attr(feature = "load", serde(default))]
    pub key: bool,
    /// In a keyed union: Rust name of the variant a key field chooses.
    pub variant: Option<Spanned<String>>,
    /// A key that is not written in the JSON but travels beside it as the
    /// multipart part of this name (upload-and-send's `filedata`): present
    /// exactly when the transport carries that part.
    pub part: Option<Spanned<String>>,
    /// The value Meta assumes when the field is absent (documentation only).
    pub default: Option<serde_json::Value>,
    /// For recipient key fields: the response type a send to this form gets.
    pub response: Option<Spanned<String>>,
    /// What the item means, in a sentence or two.
    pub doc: String,
    /// Source key (from `[sources]`) or a link.
    pub source: Spanned<String>,
    /// Where the item stands in Meta's documentation.
    #[cfg_attr(feature = "load", serde(default))]
    pub status: Status,
    /// Why the status is what it is, shown in messages and docs.
    pub note: Option<String>,
    /// When the item arrived, where a date is known.
    pub since: Option<Date>,
    /// Platforms on which the item is available; absent means all.
    pub platforms: Option<Vec<Platform>>,
}

/// A variant of a tagged union.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct Variant {
    /// Rust variant name.
    pub rust: Spanned<String>,
    /// The object type holding the variant's fields.
    #[cfg_attr(feature = "load", serde(rename = "type"))]
    pub ty: Spanned<String>,
    /// The date from which Meta refuses this variant, where it does.
    pub refused_since: Option<Date>,
    /// What to use instead once refused.
    pub replacement: Option<String>,
    /// What the item means, in a sentence or two.
    pub doc: String,
    /// Source key (from `[sources]`) or a link.
    pub source: Spanned<String>,
    /// Where the item stands in Meta's documentation.
    #[cfg_attr(feature = "load", serde(default))]
    pub status: Status,
    /// Why the status is what it is, shown in messages and docs.
    pub note: Option<String>,
    /// When the item arrived, where a date is known.
    pub since: Option<Date>,
    /// Platforms on which the item is available; absent means all.
    pub platforms: Option<Vec<Platform>>,
}

/// A value of an enum.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct EnumValue {
    /// Rust variant name.
    pub rust: Spanned<String>,
    /// Other spellings Graph accepts (e.g. upper-case sender actions).
    #[cfg_attr(feature = "load", serde(default))]
    pub aliases: Vec<String>,
    /// A sibling field that exists exactly when this value is chosen; the
    /// Rust enum variant carries it (`MESSAGE_TAG` carries `tag`).
    pub carries: Option<Carries>,
    /// The date from which Meta refuses this value.
    pub refused_since: Option<Date>,
    /// What to use instead once refused.
    pub replacement: Option<String>,
    /// Message-tag policy: uses Meta allows.
    #[cfg_attr(feature = "load", serde(default))]
    pub allowed: Vec<String>,
    /// Message-tag policy: uses Meta does not allow.
    #[cfg_attr(feature = "load", serde(default))]
    pub disallowed: Vec<String>,
    /// Message-tag policy: how long after the person's last message it may be sent.
    pub window: Option<String>,
    /// Message-tag policy: the same window in hours, for tools that enforce
    /// it (the emulator's `--enforce-window`).
    pub window_hours: Option<Spanned<u32>>,
    /// A send with this value (a messaging type) needs the standard
    /// messaging window of the snapshot (`window_hours` in `[snapshot]`):
    /// RESPONSE and UPDATE.
    #[cfg_attr(feature = "load", serde(default))]
    pub standard_window: bool,
    /// Permission or review the value needs.
    pub permission: Option<String>,
    /// What the item means, in a sentence or two.
    pub doc: String,
    /// Source key (from `[sources]`) or a link.
    pub source: Spanned<String>,
    /// Where the item stands in Meta's documentation.
    #[cfg_attr(feature = "load", serde(default))]
    pub status: Status,
    /// Why the status is what it is, shown in messages and docs.
    pub note: Option<String>,
    /// When the item arrived, where a date is known.
    pub since: Option<Date>,
    /// Platforms on which the item is available; absent means all.
    pub platforms: Option<Vec<Platform>>,
}

/// The sibling field an enum value carries.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct Carries {
    /// Wire name of the sibling field.
    pub field: Spanned<String>,
    /// Type of the sibling field under this value, when it differs from the
    /// field's declared type.
    #[cfg_attr(feature = "load", serde(rename = "type"))]
    pub ty: Option<Spanned<String>>,
}

/// The closed vocabulary of rule kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(rename_all = "snake_case"))]
pub enum RuleKind {
    /// Global: a key the type does not have.
    UnknownField,
    /// Global: an extra key in an `open` type.
    OpenField,
    /// Global: a value of the wrong JSON type.
    Type,
    /// Global: a value of the wrong JSON type that Graph is known to coerce.
    Coercion,
    /// Global: a string outside an enum or a tag outside a union.
    EnumValue,
    /// Global: a required field is missing.
    Required,
    /// Global: an item whose status is `status` is used.
    Status,
    /// Exactly one of `fields` is present.
    ExactlyOneOf,
    /// At most one of `fields` is present.
    AtMostOneOf,
    /// At least one of `fields` is present.
    AtLeastOneOf,
    /// When `when` holds, `then` must hold.
    Requires,
    /// When `when` holds, `then` must not hold.
    Forbids,
    /// The string at `path` is at most `max` long (`unit`: chars or bytes).
    MaxLen,
    /// The array at `path` has between `min` and `max` items.
    Items,
    /// The number at `path` lies between `min` and `max`.
    Range,
    /// At most one boolean at `path` (which has a wildcard) is true.
    UniqueTrue,
    /// The string at `path` matches the regular expression `pattern`.
    Pattern,
    /// The field or value at `path` is used on a platform it is not available on.
    PlatformOnly,
    /// The value at `path` is refused since its `refused_since` date.
    RefusedSince,
}

impl RuleKind {
    /// Every kind, for documentation and coverage tests.
    pub const ALL: [RuleKind; 19] = [
        RuleKind::UnknownField,
        RuleKind::OpenField,
        RuleKind::Type,
        RuleKind::Coercion,
        RuleKind::EnumValue,
        RuleKind::Required,
        RuleKind::Status,
        RuleKind::ExactlyOneOf,
        RuleKind::AtMostOneOf,
        RuleKind::AtLeastOneOf,
        RuleKind::Requires,
        RuleKind::Forbids,
        RuleKind::MaxLen,
        RuleKind::Items,
        RuleKind::Range,
        RuleKind::UniqueTrue,
        RuleKind::Pattern,
        RuleKind::PlatformOnly,
        RuleKind::RefusedSince,
    ];

    /// The spelling used in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::UnknownField => "unknown_field",
            RuleKind::OpenField => "open_field",
            RuleKind::Type => "type",
            RuleKind::Coercion => "coercion",
            RuleKind::EnumValue => "enum_value",
            RuleKind::Required => "required",
            RuleKind::Status => "status",
            RuleKind::ExactlyOneOf => "exactly_one_of",
            RuleKind::AtMostOneOf => "at_most_one_of",
            RuleKind::AtLeastOneOf => "at_least_one_of",
            RuleKind::Requires => "requires",
            RuleKind::Forbids => "forbids",
            RuleKind::MaxLen => "max_len",
            RuleKind::Items => "items",
            RuleKind::Range => "range",
            RuleKind::UniqueTrue => "unique_true",
            RuleKind::Pattern => "pattern",
            RuleKind::PlatformOnly => "platform_only",
            RuleKind::RefusedSince => "refused_since",
        }
    }

    /// Global kinds apply to every type and take no `on`.
    pub fn is_global(self) -> bool {
        matches!(
            self,
            RuleKind::UnknownField
                | RuleKind::OpenField
                | RuleKind::Type
                | RuleKind::Coercion
                | RuleKind::EnumValue
                | RuleKind::Required
                | RuleKind::Status
        )
    }
}

impl fmt::Display for RuleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How well a fact is established (the marks of the fact sheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "load", derive(Deserialize))]
pub enum Evidence {
    /// Stated plainly in a Meta document.
    #[cfg_attr(feature = "load", serde(rename = "C"))]
    Confirmed,
    /// Only third-party or inferred evidence.
    #[cfg_attr(feature = "load", serde(rename = "X"))]
    ThirdParty,
    /// Not confirmed.
    #[cfg_attr(feature = "load", serde(rename = "?"))]
    Unconfirmed,
}

impl Evidence {
    /// The mark used in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Confirmed => "C",
            Evidence::ThirdParty => "X",
            Evidence::Unconfirmed => "?",
        }
    }
}

/// Which coercion a `coercion` rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(rename_all = "snake_case"))]
pub enum Coercion {
    /// A JSON number where an id string is expected.
    NumberAsId,
    /// `"true"` or `"false"` where a boolean is expected.
    StringAsBool,
    /// An explicit `null`, read as absent.
    NullAsAbsent,
    /// An enum value written in another accepted spelling.
    EnumAlias,
}

impl Coercion {
    /// The spelling used in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            Coercion::NumberAsId => "number_as_id",
            Coercion::StringAsBool => "string_as_bool",
            Coercion::NullAsAbsent => "null_as_absent",
            Coercion::EnumAlias => "enum_alias",
        }
    }
}

/// Length unit of a `max_len` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(rename_all = "snake_case"))]
pub enum Unit {
    /// Unicode scalar values.
    #[default]
    Chars,
    /// UTF-8 bytes.
    Bytes,
}

impl Unit {
    /// The word used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Chars => "characters",
            Unit::Bytes => "bytes",
        }
    }
}

/// A condition on the value at a path, for `requires` and `forbids`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct Cond {
    /// Path relative to the rule's type.
    pub path: Spanned<String>,
    /// The value equals this string.
    pub equals: Option<String>,
    /// The value is one of these strings.
    #[cfg_attr(feature = "load", serde(rename = "in"))]
    pub one_of: Option<Vec<String>>,
    /// The path is present (`true`) or absent (`false`).
    pub present: Option<bool>,
    /// The string at the path matches this regular expression.
    pub matches: Option<Spanned<String>>,
}

/// One rule exactly as written: every kind's keys, all optional. The lint
/// converts it into a [`crate::Rule`] that holds only its kind's parameters.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct RawRule {
    /// Stable id, e.g. `message.text.max_len`.
    pub id: Spanned<String>,
    /// Rule kind, from the closed vocabulary.
    pub kind: Spanned<RuleKind>,
    /// The type the rule is evaluated on; absent for global kinds.
    pub on: Option<Spanned<String>>,
    /// Path relative to `on` (`message.quick_replies[*].title`).
    pub path: Option<Spanned<String>>,
    /// Field names (`exactly_one_of`, `at_most_one_of`, `at_least_one_of`).
    #[cfg_attr(feature = "load", serde(default))]
    pub fields: Vec<Spanned<String>>,
    /// Restricts `platform_only` and `refused_since` to these values.
    #[cfg_attr(feature = "load", serde(default))]
    pub values: Vec<String>,
    /// Lower bound (`items`, `range`).
    pub min: Option<u64>,
    /// Upper bound (`max_len`, `items`, `range`).
    pub max: Option<u64>,
    /// Length unit (`max_len`).
    pub unit: Option<Unit>,
    /// Regular expression (`pattern`), anchored by the writer.
    pub pattern: Option<Spanned<String>>,
    /// Name of the pattern shown in messages (`pattern`).
    pub pattern_name: Option<String>,
    /// Condition (`requires`, `forbids`).
    pub when: Option<Cond>,
    /// Consequence (`requires`, `forbids`).
    pub then: Option<Cond>,
    /// Which coercion (`coercion`).
    pub coercion: Option<Coercion>,
    /// Which item status (`status`).
    pub status: Option<Status>,
    /// Platforms the rule applies on; absent means all.
    pub applies_to: Option<Vec<Platform>>,
    /// Error or warning.
    pub severity: Spanned<Severity>,
    /// How well the underlying fact is established.
    pub evidence: Evidence,
    /// Why the severity differs from what the evidence gives (the policy of
    /// `spec/README.md` §7).
    pub basis: Option<String>,
    /// What is wrong, with the placeholders of [`crate::PLACEHOLDERS`] that
    /// the rule's kind fills (`spec/README.md` lists them per kind).
    pub message: String,
    /// How to fix it; same placeholders.
    pub fix: String,
    /// Source key or link for the rule.
    pub source: Spanned<String>,
    /// Graph error code the emulator answers with.
    pub code: u32,
    /// Graph error subcode, where Meta has one.
    pub subcode: Option<u64>,
    /// Extra remarks for spec readers.
    pub note: Option<String>,
    /// When Meta added what the rule checks; evaluating the snapshot at an
    /// earlier date (`NAME@DATE`) leaves the rule out.
    pub since: Option<Date>,
}

/// A Graph error code or code/subcode pair.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct ErrorCode {
    /// Graph error code.
    pub code: u32,
    /// Subcode; absent for the code's general meaning.
    pub subcode: Option<u64>,
    /// Rust-style name for the entry (`OutsideWindow`).
    pub rust: Spanned<String>,
    /// Exception type Graph reports (`OAuthException`, …).
    #[cfg_attr(feature = "load", serde(rename = "type"))]
    pub error_type: Option<String>,
    /// Graph's exact `message` text for this answer, where known.
    pub message: Option<String>,
    /// Among entries that are alternatives for one answer (the same `code`
    /// and `message`, told apart only by the subcode), the one Graph gives
    /// today and the emulator answers with.
    #[cfg_attr(feature = "load", serde(default))]
    pub current: bool,
    /// What it means.
    pub doc: String,
    /// Whether a send that got it may be retried.
    pub retry: RetryClass,
    /// Source key or link.
    pub source: Spanned<String>,
    /// How well the meaning is established.
    pub evidence: Evidence,
    /// When Meta added it.
    pub since: Option<Date>,
    /// Remarks.
    pub note: Option<String>,
}

/// A rate class: a per-page limit shared by some kinds of message.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "load", derive(Deserialize))]
#[cfg_attr(feature = "load", serde(deny_unknown_fields))]
pub struct RateClass {
    /// Rust name.
    pub rust: Spanned<String>,
    /// Calls allowed per window.
    pub limit: u32,
    /// Window length in seconds.
    pub per_seconds: u32,
    /// What the limit is counted against (`page`).
    pub scope: String,
    /// The class of every request no other class matches.
    #[cfg_attr(feature = "load", serde(default))]
    pub default: bool,
    /// A request is in this class when any condition holds (paths from the
    /// endpoint's request type).
    #[cfg_attr(feature = "load", serde(default))]
    pub when: Vec<Cond>,
    /// What kinds of message the class covers.
    pub doc: String,
    /// Source key or link.
    pub source: Spanned<String>,
    /// How well the limit is established.
    pub evidence: Evidence,
}
