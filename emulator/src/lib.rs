//! A local Messenger Send API for tests: it validates every request against
//! a sendapi spec snapshot and answers the way Graph does.
//!
//! ```no_run
//! # async fn demo() -> Result<(), sendapi_emulator::Error> {
//! use sendapi_emulator::{Emulator, EmulatorConfig};
//!
//! let config = EmulatorConfig::new().spec("v26.0").token("TEST_TOKEN");
//! let emulator = Emulator::start(config, "127.0.0.1:0".parse().unwrap()).await?;
//! let url = format!("{}/v26.0/me/messages", emulator.base_url());
//! // ... POST bodies to `url` with any HTTP client ...
//! for request in emulator.requests() {
//!     println!("{} got {}", request.page_id, request.body);
//! }
//! emulator.shutdown().await?;
//! # Ok(()) }
//! ```
//!
//! # What it serves
//!
//! | route | what |
//! |---|---|
//! | `POST /{vN.M}/{page-id\|me}/messages`, `POST /{page-id\|me}/messages` | the Send API |
//! | `POST /{vN.M}/{page-id\|me}/message_attachments` (also without version) | the Attachment Upload API |
//! | `POST /{vN.M}/`, `POST /{vN.M}`, `POST /` | Graph batch requests |
//! | `GET /__emulator/messages`, `DELETE /__emulator/messages` | the accepted requests, in order; clear them |
//! | `GET /__emulator/faults`, `POST /__emulator/faults` | the injected faults ([`Faults`] as JSON) |
//! | `GET /__emulator/stats` | the counters ([`Stats`] as JSON), since start or the last `DELETE /__emulator/messages` |
//! | `GET /__emulator/clock`, `POST /__emulator/clock` | the emulator's time `{"time": epoch-ms}`; a POST `{"advance_seconds": N}` moves it forward |
//! | `POST /__emulator/users/{psid}/messages` | the person writes: `{"text"}`, optional `"quick_reply": {"payload"}`, `"attachments"`; answers `{"mid"}` |
//! | `POST /__emulator/users/{psid}/postbacks` | the person taps a postback: `{"title", "payload"}`; answers `{"mid"}` |
//! | `POST /__emulator/users/{psid}/reactions` | the person reacts: `{"mid", "reaction", "action"}`; answers `{}` |
//! | `POST /__emulator/users/{psid}/reads` | the person reads the thread (a watermark of now); answers `{}` |
//! | anything else | 404 with a Graph error naming the method and path |
//!
//! The snapshot given in [`EmulatorConfig::spec`] decides the rules; the
//! version in the path does not.
//!
//! # Requests
//!
//! - **Encodings.** A JSON object; a form (`application/x-www-form-urlencoded`)
//!   whose values are JSON texts (`recipient={"id":"1"}`), where a value that
//!   does not parse as JSON stays a string (`messaging_type=RESPONSE`); or
//!   `multipart/form-data` whose `filedata` part is a file and whose other
//!   parts are form values. Query parameters are read the same way; the body
//!   wins over the query. A request without a `Content-Type` is read as JSON
//!   when it starts with `{`, as a form otherwise. Other content types, bodies
//!   over [`EmulatorConfig::max_body_bytes`] (4 MiB by default), JSON that does
//!   not parse and JSON nested deeper than [`sendapi_spec::MAX_DEPTH`] get a
//!   code 100 error.
//! - **Token.** `access_token` from the query, else the body, else
//!   `Authorization: Bearer` (or `OAuth`). None: code 104. Another than the
//!   configured one: code 190. With an app secret configured, `appsecret_proof`
//!   (lower-case hex HMAC-SHA256 of the token keyed with the secret) must be
//!   present (else code 100) and right (else code 100), both
//!   `GraphMethodException`. (The codes are those of the bundled snapshots;
//!   see "Error answers".)
//! - **Validation.** The body without its transport parameters goes through
//!   [`sendapi_spec::Engine`] for the configured platform; the first
//!   error-severity violation is answered with its rule's code and subcode,
//!   the message `(#code) message; fix [rule at pointer]`.
//! - **Rate classes.** Each accepted Send API call counts against its rate
//!   class ([`sendapi_spec::Engine::rate_class`]) for its page; over the limit
//!   the answer is code 613. See [`EmulatorConfig::rate_limits`] for the window.
//!
//! Every error is HTTP 400 with Graph's envelope `{"error": {"message",
//! "type", "code", "error_subcode"?, "fbtrace_id"}}`, except the catch-all
//! (404) and injected 5xx faults.
//!
//! # Error answers
//!
//! The code, subcode, type and message of the emulator's own answers come
//! from the spec's `[[errors]]` entries, found by name when the emulator
//! starts: `AccessTokenRequired`, `InvalidToken`, `AppSecretProofMissing`,
//! `AppSecretProofInvalid`, `RateLimited`, `BatchTooLarge`, `ObjectNotFound`
//! (a page segment that is neither an id nor `me`), `UnknownPath` (the
//! catch-all, followed by what the emulator serves), `ServiceUnavailable`
//! (an injected 500 with a Graph body, plus `"is_transient": true`),
//! `OutsideWindow` (see "The messaging window") and `InvalidParameter` (a
//! request it cannot read: `(#code) ` and what is wrong). An entry's `message` is used with `{id}`, `{path}` and `{max}`
//! filled in; without one, its `doc`. A spec that lacks one of these entries
//! still starts: that case is answered with code 1 and a message naming the
//! missing entry.
//!
//! # Answers
//!
//! The fields of a success answer come from the spec: the response type of
//! the request's form (`SenderActionResponse` for a sender action, else the
//! `response` of the recipient's key field), of which the emulator answers
//! the required fields: `recipient_id` (the recipient's `id`, or for other
//! forms a PSID-like number derived from the form's value) and `message_id`
//! (`m_` and 40 base64url characters, unique per answer). A message whose
//! `attachment.payload.is_reusable` is `true` (or `"true"`) also gets an
//! `attachment_id` when its response type declares one. Every Send API answer
//! carries `X-Business-Use-Case-Usage` for the page and `X-App-Usage`.
//!
//! `/me/...` stands for the token's Page: the emulator derives a stable
//! numeric page id from the token, which the usage header and the record use.
//!
//! # The emulator plays the people (webhooks)
//!
//! With [`EmulatorConfig::webhook_url`], each `/__emulator/users/{psid}/...`
//! call becomes the notification Meta would POST to the bot:
//! `{"object": "page"|"instagram", "entry": [{"id": PAGE, "time": ms,
//! "messaging": [{"sender": {"id": PSID}, "recipient": {"id": PAGE},
//! "timestamp": ms, "message"|"postback"|"reaction"|"read": {...}}]}]}`,
//! with the envelope field and the event keys taken from the spec's
//! `[webhooks]` (an event the spec does not offer on the platform is answered
//! with code 100). Messages and postbacks get an `m_...` id unless the call
//! gives one, and any further field of the call's body (`reply_to`, ...) is
//! passed on as it is. `PAGE` is [`EmulatorConfig::page_id`].
//!
//! - **Bytes and signatures.** The body is compact JSON in the ASCII-only
//!   form Meta sends: every non-ASCII character as `\uXXXX` (lower-case hex,
//!   surrogate pairs beyond the BMP) and `/` as `\/`. With an app secret,
//!   `X-Hub-Signature-256: sha256=<hex>` is the HMAC-SHA256 of exactly those
//!   bytes, and `X-Hub-Signature: sha1=<hex>` the HMAC-SHA1 (unless
//!   [`EmulatorConfig::sha1_signature`] is off). A bot that checks the
//!   signature over its re-serialized JSON fails here as it would with Meta.
//! - **Handshake.** With a verify token, the emulator makes Meta's GET
//!   (`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge`) when it
//!   starts and expects a 200 with the challenge as the body;
//!   [`RunningEmulator::webhook_handshake`] tells how it went.
//! - **Order and retries.** Notifications go out one at a time, in order,
//!   after the call that caused them was answered. One that does not get a
//!   200 is sent again [`EmulatorConfig::webhook_retries`] times with a
//!   doubling wait; each copy keeps its event (and `mid`) and carries a
//!   later `entry.time`, as Meta's retries do, so deduplication must use
//!   the event, not the body.
//! - **Echoes and deliveries.** With [`EmulatorConfig::echo`], each accepted
//!   message send is echoed (`is_echo`, `app_id`, `mid` = the answered
//!   `message_id`, from the page to the person); with
//!   [`EmulatorConfig::deliveries`], a delivery event (`mids`, `watermark`)
//!   follows, on platforms whose webhooks have one.
//!
//! # The messaging window
//!
//! With [`EmulatorConfig::enforce_window`], a message send with messaging
//! type RESPONSE or UPDATE is refused unless the person's last
//! window-opening event (one the spec marks `opens_window`: a message, a
//! postback, a reaction; not a read) lies within the snapshot's
//! `window_hours`; a tagged send is held to its tag's `window_hours` where
//! the spec gives one (HUMAN_AGENT, CUSTOMER_FEEDBACK). The refusal is the
//! spec's `OutsideWindow` entry, or the alternative of it marked `current`.
//! Time is the emulator's clock ([`EmulatorConfig::clock`] plus what
//! `POST /__emulator/clock` or [`RunningEmulator::advance_clock`] added).

#![deny(missing_docs)]

mod answers;
mod auth;
mod batch;
mod call;
mod clock;
mod config;
mod error;
mod faults;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod graph;
mod handlers;
mod listen;
mod model;
mod params;
mod rate;
mod record;
mod respond;
mod route;
mod start;
mod state;
mod stats;
mod users;
mod webhook;
mod window;
mod wire;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{
    DEFAULT_MAX_BODY_BYTES, DEFAULT_RECORD_LIMIT, DEFAULT_WEBHOOK_BACKOFF, DEFAULT_WEBHOOK_RETRIES,
    EmulatorConfig,
};
pub use error::Error;
pub use faults::{Faults, Status5xx};
pub use record::{FileInfo, RecordedRequest};
pub use start::{Emulator, Person, RunningEmulator};
pub use stats::Stats;
