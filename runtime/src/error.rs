//! The crate's one error type.

use std::fmt;
use std::time::Duration;

use crate::{Invalid, RetryClass};

/// A Graph error answer, with what the spec says about its code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GraphError {
    /// HTTP status of the answer.
    pub status: u16,
    /// Graph error code.
    pub code: u32,
    /// Graph error subcode.
    pub subcode: Option<u64>,
    /// Exception type, e.g. `OAuthException`.
    pub error_type: Option<String>,
    /// Developer message.
    pub message: String,
    /// Title to show the person.
    pub user_title: Option<String>,
    /// Message to show the person.
    pub user_message: Option<String>,
    /// Support id.
    pub fbtrace_id: Option<String>,
    /// The spec's name for the code (e.g. `OutsideWindow`), when known.
    pub name: Option<&'static str>,
    /// The spec's meaning of the code, when known.
    pub meaning: Option<&'static str>,
    /// Whether the send may be retried, per the spec (`Ambiguous` for codes
    /// the spec does not know).
    pub retry: RetryClass,
    /// The answer's usage headers.
    pub usage: crate::Usage,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Graph error {}", self.code)?;
        if let Some(s) = self.subcode {
            write!(f, "/{s}")?;
        }
        if let Some(n) = self.name {
            write!(f, " ({n})")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(t) = &self.fbtrace_id {
            write!(f, " [fbtrace_id {t}]")?;
        }
        let advice = match self.retry {
            RetryClass::Retry => words::RETRY,
            RetryClass::Never => words::NEVER,
            RetryClass::Ambiguous => words::UNKNOWN,
        };
        if let Some(m) = self.meaning {
            write!(f, " ({m})")?;
        }
        // The outcome last, in the words of `Error::delivery` and
        // `Error::retryable`.
        write!(f, "; {advice}")
    }
}

/// Whether the message of a failed send may have reached the user: the
/// first of an [`Error`]'s two answers (see [`Error::delivery`]); the other,
/// whether sending again can help, is [`Error::retryable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// Certainly not delivered: the request never left, or Graph refused
    /// it. Whether sending it again can help is a separate answer
    /// ([`Error::retryable`]).
    NotDelivered,
    /// The request may have been processed, so the message may have reached
    /// the user: sending it again may deliver it twice.
    Unknown,
}

impl Delivery {
    /// The outcome word: `not delivered` or `unknown` (a send that
    /// succeeded is `delivered`).
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::NotDelivered => "not delivered",
            Delivery::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome phrases of the errors' `Display`, so that a log line says
/// the same as [`Error::delivery`] and [`Error::retryable`].
mod words {
    pub(super) const RETRY: &str = "not delivered; a retry can help after a backoff";
    pub(super) const NEVER: &str = "not delivered; a retry cannot help: fix the cause first";
    pub(super) const UNKNOWN: &str =
        "delivery unknown: the message may have reached the user; check before sending again";
}

/// Everything that can go wrong building or sending a request.
///
/// Every error of a send answers two separate questions, both also spelled
/// out in its `Display`:
///
/// - [`Error::delivery`]: may the message have reached the user?
///   [`Delivery::NotDelivered`] or [`Delivery::Unknown`];
/// - [`Error::retryable`]: can sending the same request again help, without
///   risking a second delivery? Per the spec's retry classes
///   ([`Error::retry_class`]).
///
/// A message Graph refused with code 100 is not delivered *and* not worth
/// retrying; a 613 is not delivered and worth retrying; a timeout after the
/// body left is unknown, and never retried.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Graph answered with an error.
    #[error("{0}")]
    Graph(Box<GraphError>),
    /// The request breaks the snapshot's rules: nothing was sent.
    #[error("{0}; nothing was sent: not delivered; a retry cannot help: fix the request")]
    Invalid(Invalid),
    /// The connection failed or timed out.
    #[error("transport error ({}): {message}", match delivery { Delivery::NotDelivered => "nothing was sent: not delivered; a retry can help", Delivery::Unknown => words::UNKNOWN })]
    Transport {
        /// What failed.
        message: String,
        /// Whether the request may have reached Meta.
        delivery: Delivery,
    },
    /// An HTTP error answer without a Graph error body (a 5xx from a proxy,
    /// or a 429).
    #[error(
        "HTTP {status} without a Graph error ({}): {snippet}",
        if *status == 429 { words::RETRY } else { words::UNKNOWN }
    )]
    Http {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        snippet: String,
    },
    /// A success answer that does not have the expected shape.
    #[error(
        "cannot read Graph's answer (HTTP {status}) at `{path}`: {message}; Graph processed the request, so {}",
        words::UNKNOWN
    )]
    Decode {
        /// HTTP status of the answer.
        status: u16,
        /// JSON path of the problem.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The client's own rate limit for the request's rate class is used up.
    #[error(
        "client-side rate limit: the {class} class allows {limit} calls per {per_seconds} s for this page; nothing was sent: not delivered; a retry can help in {retry_after:?}, or slow down"
    )]
    RateLimited {
        /// Rate class.
        class: &'static str,
        /// Calls allowed per window.
        limit: u32,
        /// Window, in seconds.
        per_seconds: u32,
        /// When a call will be allowed again.
        retry_after: Duration,
    },
    /// The rate budget could not be asked (a shared budget's Redis is
    /// unreachable or answered an error): nothing was sent.
    #[error(
        "the rate budget cannot be asked, so nothing was sent: {message}; not delivered; a retry can help once the budget answers"
    )]
    RateBudget {
        /// What failed.
        message: String,
    },
    /// The client is misconfigured, or a file to upload cannot be read.
    #[error("{0}")]
    Config(String),
    /// An incoming webhook was refused: its signature, its handshake or
    /// its body.
    #[error("{0}")]
    Webhook(WebhookError),
}

impl Error {
    /// The Graph error, when Graph answered with one.
    pub fn graph(&self) -> Option<&GraphError> {
        match self {
            Error::Graph(g) => Some(g),
            _ => None,
        }
    }

    /// May the message have reached the user?
    ///
    /// [`Delivery::NotDelivered`] when the request never left (an invalid
    /// request, a rate limit or budget, a failed connect, a misconfigured
    /// client) or Graph refused it with a code the spec classes `retry` or
    /// `never`, or HTTP 429. [`Delivery::Unknown`] when Graph may have
    /// processed it: a timeout or broken connection after the body left, a
    /// 5xx without a Graph error, an answer that does not read, a Graph code
    /// the spec classes `ambiguous` or does not know.
    ///
    /// Errors that are not about a send (a refused webhook) answer
    /// `NotDelivered`: nothing was sent.
    pub fn delivery(&self) -> Delivery {
        match self.retry_class() {
            RetryClass::Retry | RetryClass::Never => Delivery::NotDelivered,
            RetryClass::Ambiguous => Delivery::Unknown,
        }
    }

    /// Whether the message may have reached the user: `delivery()` is
    /// [`Delivery::Unknown`].
    pub fn may_have_reached_user(&self) -> bool {
        self.delivery() == Delivery::Unknown
    }

    /// Can sending the same request again help, without risking a second
    /// delivery? True only for the spec's `retry` class: Graph codes the
    /// spec classes `retry` (throttling such as 613, transient failures),
    /// HTTP 429, a connection that failed before the body left, and the
    /// client's own rate limit or budget. A refusal of class `never`
    /// (code 100, an invalid request) is not delivered but not retryable;
    /// an unknown delivery is never retryable.
    ///
    /// The client has already retried these as often as its `RetryPolicy`
    /// allows; a caller that gets one may send again later.
    pub fn retryable(&self) -> bool {
        self.retry_class() == RetryClass::Retry
    }

    /// The spec's retry class of this error: a Graph error's class from the
    /// snapshot's error table (`ambiguous` for codes it does not know), and
    /// for the other errors the class their cause has. [`Error::delivery`]
    /// and [`Error::retryable`] are read from it.
    pub fn retry_class(&self) -> RetryClass {
        match self {
            Error::Graph(g) => g.retry,
            Error::Invalid(_) | Error::Config(_) | Error::Webhook(_) => RetryClass::Never,
            Error::RateLimited { .. } | Error::RateBudget { .. } => RetryClass::Retry,
            Error::Transport { delivery, .. } => match delivery {
                Delivery::NotDelivered => RetryClass::Retry,
                Delivery::Unknown => RetryClass::Ambiguous,
            },
            // Too Many Requests is answered before anything is processed.
            Error::Http { status: 429, .. } => RetryClass::Retry,
            Error::Http { .. } | Error::Decode { .. } => RetryClass::Ambiguous,
        }
    }

    /// Whether the message certainly did not reach the user: `delivery()`
    /// is [`Delivery::NotDelivered`].
    ///
    /// Before 0.2 this also answered false for a refusal that is not worth
    /// retrying (code 100, say), so callers used it to decide a retry; it
    /// now answers delivery only, and a retry is [`Error::retryable`]'s
    /// question.
    #[deprecated(
        since = "0.2.0",
        note = "ask `delivery()` (or `may_have_reached_user()`) whether the message may have reached the user, and `retryable()` whether to send again"
    )]
    pub fn not_delivered(&self) -> bool {
        self.delivery() == Delivery::NotDelivered
    }
}

impl From<WebhookError> for Error {
    fn from(e: WebhookError) -> Self {
        Error::Webhook(e)
    }
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e)
    }
}

/// Why an incoming webhook request was refused. Signature failures come
/// before anything is decoded; none of them prints the secret, the
/// verify token or the signature received.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The POST has no `X-Hub-Signature-256` header (nor the SHA-1 one).
    #[error("no X-Hub-Signature-256 header: the request was not signed by Meta")]
    MissingSignature,
    /// The POST carries only the SHA-1 `X-Hub-Signature` header, which is
    /// never accepted on its own.
    #[error(
        "only the SHA-1 X-Hub-Signature header was sent; X-Hub-Signature-256 is required (SHA-1 alone is never accepted)"
    )]
    Sha1Only,
    /// The `X-Hub-Signature-256` header is not `sha256=` and 64 hex digits.
    #[error("malformed X-Hub-Signature-256 header: {0}")]
    MalformedSignature(Malformed),
    /// The signature is well formed but does not match the body: a wrong
    /// app secret (Instagram Login apps sign with the Instagram app
    /// secret), or a body changed on the way.
    #[error(
        "X-Hub-Signature-256 does not match the body: wrong app secret, or the body was altered"
    )]
    SignatureMismatch,
    /// The body was verified but is not the expected notification.
    #[error(
        "cannot decode the verified notification at `{path}` (line {line}, column {column}): {message}"
    )]
    Decode {
        /// JSON path of the problem (`.` for the root).
        path: String,
        /// 1-based line of the body.
        line: usize,
        /// 1-based column of the body.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// The handshake's `hub.mode` is missing or not `subscribe`.
    #[error("webhook handshake refused: hub.mode is {}, not `subscribe`", .0.as_deref().map_or("missing".to_string(), |m| format!("`{m}`")))]
    HandshakeMode(Option<String>),
    /// The handshake's `hub.verify_token` is missing or not the expected
    /// token.
    #[error("webhook handshake refused: hub.verify_token is missing or wrong")]
    HandshakeToken,
    /// The handshake has the right mode and token but no `hub.challenge`
    /// to echo.
    #[error("webhook handshake refused: no hub.challenge to echo")]
    HandshakeChallenge,
}

impl WebhookError {
    /// The HTTP status to answer with: 403 for a signature or handshake
    /// refusal, 400 for a verified body that does not decode or a
    /// handshake without a challenge. Meta resends anything but a 200.
    pub fn http_status(&self) -> u16 {
        match self {
            WebhookError::Decode { .. } | WebhookError::HandshakeChallenge => 400,
            WebhookError::MissingSignature
            | WebhookError::Sha1Only
            | WebhookError::MalformedSignature(_)
            | WebhookError::SignatureMismatch
            | WebhookError::HandshakeMode(_)
            | WebhookError::HandshakeToken => 403,
        }
    }

    /// Whether the signature check refused the request (as opposed to the
    /// handshake or decoding).
    pub fn is_signature(&self) -> bool {
        matches!(
            self,
            WebhookError::MissingSignature
                | WebhookError::Sha1Only
                | WebhookError::MalformedSignature(_)
                | WebhookError::SignatureMismatch
        )
    }
}

/// What is wrong with a malformed `X-Hub-Signature-256` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Malformed {
    /// The value has bytes outside printable ASCII.
    #[error("the value is not ASCII")]
    NotAscii,
    /// The value does not start with `sha256=`.
    #[error("the value does not start with `sha256=`")]
    BadPrefix,
    /// An odd number of hex digits.
    #[error("an odd number of hex digits")]
    OddLength,
    /// A character that is not a hex digit.
    #[error("a character that is not a hex digit")]
    NotHex,
    /// Hex digits, but not the 32 bytes of an HMAC-SHA256.
    #[error("{0} bytes instead of the 32 of an HMAC-SHA256")]
    Length(usize),
    /// The header appears more than once.
    #[error("the header appears more than once")]
    Repeated,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(code: u32, retry: RetryClass) -> Error {
        Error::Graph(Box::new(GraphError {
            status: 400,
            code,
            subcode: None,
            error_type: Some("OAuthException".into()),
            message: "refused".into(),
            user_title: None,
            user_message: None,
            fbtrace_id: None,
            name: None,
            meaning: None,
            retry,
            usage: crate::Usage::default(),
        }))
    }

    fn transport(delivery: Delivery) -> Error {
        Error::Transport {
            message: "connection reset".into(),
            delivery,
        }
    }

    /// (error, may have reached the user, a retry can help): one row per
    /// kind, and per class where the kind has several.
    fn table() -> Vec<(Error, bool, bool)> {
        use Delivery::{NotDelivered, Unknown};
        vec![
            (graph(613, RetryClass::Retry), false, true),
            // Regression (issue 12): code 100 was "not not-delivered".
            (graph(100, RetryClass::Never), false, false),
            (graph(1, RetryClass::Ambiguous), true, false),
            (
                Error::Invalid(Invalid {
                    snapshot: "v26.0",
                    violations: Vec::new(),
                }),
                false,
                false,
            ),
            (transport(NotDelivered), false, true),
            (transport(Unknown), true, false),
            (
                Error::Http {
                    status: 429,
                    snippet: String::new(),
                },
                false,
                true,
            ),
            (
                Error::Http {
                    status: 502,
                    snippet: "<html>".into(),
                },
                true,
                false,
            ),
            (
                Error::Decode {
                    status: 200,
                    path: "$".into(),
                    message: "not JSON".into(),
                },
                true,
                false,
            ),
            (
                Error::RateLimited {
                    class: "text",
                    limit: 300,
                    per_seconds: 1,
                    retry_after: Duration::from_millis(3),
                },
                false,
                true,
            ),
            (
                Error::RateBudget {
                    message: "Redis is down".into(),
                },
                false,
                true,
            ),
            (Error::Config("no page id".into()), false, false),
            (
                Error::Webhook(WebhookError::SignatureMismatch),
                false,
                false,
            ),
        ]
    }

    #[test]
    fn every_kind_answers_delivery_and_retry_separately() {
        for (e, reached, retry) in table() {
            assert_eq!(e.may_have_reached_user(), reached, "{e:?}");
            let delivery = if reached {
                Delivery::Unknown
            } else {
                Delivery::NotDelivered
            };
            assert_eq!(e.delivery(), delivery, "{e:?}");
            assert_eq!(e.retryable(), retry, "{e:?}");
            // Retrying is only ever offered for what was not delivered.
            assert!(!(retry && reached), "{e:?}");
            #[allow(deprecated, reason = "the old answer must stay correct")]
            let old = e.not_delivered();
            assert_eq!(old, !reached, "{e:?}");
        }
    }

    #[test]
    fn display_says_the_same_words_as_the_answers() {
        for (e, reached, retry) in table() {
            if matches!(e, Error::Config(_) | Error::Webhook(_)) {
                continue; // not about a send: no outcome to state
            }
            let shown = e.to_string();
            if reached {
                assert!(shown.contains(words::UNKNOWN), "{shown}");
                assert!(!shown.contains("not delivered"), "{shown}");
            } else {
                assert!(shown.contains("not delivered"), "{shown}");
                let can = if retry {
                    "a retry can help"
                } else {
                    "a retry cannot help"
                };
                assert!(shown.contains(can), "{shown}");
            }
        }
    }

    #[test]
    fn a_never_refusal_reads_not_delivered_not_worth_retrying() {
        let shown = graph(100, RetryClass::Never).to_string();
        assert_eq!(
            shown,
            "Graph error 100: refused; not delivered; a retry cannot help: fix the cause first"
        );
    }
}
