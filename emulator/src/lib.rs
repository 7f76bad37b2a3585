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
//! (an injected 500 with a Graph body, plus `"is_transient": true`) and
//! `InvalidParameter` (a request it cannot read: `(#code) ` and what is
//! wrong). An entry's `message` is used with `{id}`, `{path}` and `{max}`
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

#![deny(missing_docs)]

mod answers;
mod auth;
mod batch;
mod call;
mod clock;
mod config;
mod error;
mod faults;
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
pub use start::{Emulator, RunningEmulator};
pub use stats::Stats;
