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
            RetryClass::Retry => "not delivered; safe to retry after a backoff",
            RetryClass::Never => "retrying cannot help; fix the cause first",
            RetryClass::Ambiguous => {
                "the message may have been delivered; check before sending again"
            }
        };
        write!(f, "; {advice}")?;
        if let Some(m) = self.meaning {
            write!(f, " ({m})")?;
        }
        Ok(())
    }
}

/// Whether a failed request reached Meta.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// The request never left: nothing was sent.
    NotSent,
    /// The request may have been processed: sending it again may duplicate it.
    Unknown,
}

/// Everything that can go wrong building or sending a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Graph answered with an error.
    #[error("{0}")]
    Graph(Box<GraphError>),
    /// The request breaks the snapshot's rules: nothing was sent.
    #[error("{0}; nothing was sent")]
    Invalid(Invalid),
    /// The connection failed or timed out.
    #[error("transport error ({}): {message}", match delivery { Delivery::NotSent => "nothing was sent; safe to retry", Delivery::Unknown => "the request may have been processed; check before sending again" })]
    Transport {
        /// What failed.
        message: String,
        /// Whether the request reached Meta.
        delivery: Delivery,
    },
    /// An HTTP error answer without a Graph error body (a 5xx from a proxy).
    #[error(
        "HTTP {status} without a Graph error (the request may have been processed; check before sending again): {snippet}"
    )]
    Http {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        snippet: String,
    },
    /// A success answer that does not have the expected shape.
    #[error(
        "cannot read Graph's answer (HTTP {status}) at `{path}`: {message}; the request was processed"
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
        "client-side rate limit: the {class} class allows {limit} calls per {per_seconds} s for this page; retry in {retry_after:?} or slow down"
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
    #[error("the rate budget cannot be asked, so nothing was sent: {message}")]
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

    /// Whether the request certainly did not reach Meta's processing.
    pub fn not_delivered(&self) -> bool {
        match self {
            Error::Graph(g) => g.retry == RetryClass::Retry,
            Error::Invalid(_)
            | Error::RateLimited { .. }
            | Error::RateBudget { .. }
            | Error::Config(_) => true,
            // Receiving sends nothing to Meta.
            Error::Webhook(_) => true,
            Error::Transport { delivery, .. } => *delivery == Delivery::NotSent,
            Error::Http { .. } | Error::Decode { .. } => false,
        }
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
