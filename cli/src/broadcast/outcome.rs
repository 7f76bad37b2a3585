//! How one send ended: sent, refused, failed or unknown, from the client's
//! answer.

use sendapi::{Delivery, RetryClass};
use serde_json::Value;

use super::state::Status;

/// How one PSID ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Status,
    pub mid: Option<String>,
    pub error: Option<String>,
    /// The cause concerns the whole broadcast (the token, the app secret,
    /// the page): stop taking permits.
    pub halt: bool,
}

impl Outcome {
    pub fn of(status: Status, e: &sendapi::Error) -> Outcome {
        Outcome {
            status,
            mid: None,
            error: Some(e.to_string()),
            halt: false,
        }
    }
}

/// Sorts an answer into sent, refused, failed or unknown. The client has
/// already retried what proved undelivered, as often as its policy allows.
pub fn classify(result: Result<sendapi::Response<Value>, sendapi::Error>) -> Outcome {
    use sendapi::Error as E;
    let e = match result {
        Ok(sent) => {
            return Outcome {
                status: Status::Sent,
                mid: sent.value["message_id"].as_str().map(str::to_string),
                error: None,
                halt: false,
            };
        }
        Err(e) => e,
    };
    // Page-wide causes fail every further send alike: stop taking permits.
    // Graph refused those (or nothing was sent), so a rerun after the fix
    // sends the PSID.
    let halt = match &e {
        E::Graph(g) => g.retry == RetryClass::Never && page_wide(g),
        E::Config(_) | E::RateBudget { .. } => true,
        _ => false,
    };
    // The error's two answers decide: may it have reached the person, and
    // can a retry help.
    let status = match e.delivery() {
        // A timeout after the body left, a broken connection, a 5xx
        // without Graph's error, an answer that does not read.
        Delivery::Unknown => Status::Unknown,
        Delivery::NotDelivered if halt || e.retryable() => Status::Failed,
        // Graph or the rules refused it for this person: a rerun would get
        // the same answer.
        Delivery::NotDelivered => Status::Refused,
    };
    Outcome {
        halt,
        ..Outcome::of(status, &e)
    }
}

/// Graph errors that are about the page's credentials or standing, not
/// about one person: every further send would get them too. The PSID is
/// recorded `failed` (Graph refused, so nothing was delivered) and a rerun
/// after the fix sends it.
fn page_wide(g: &sendapi::GraphError) -> bool {
    match (g.code, g.subcode) {
        // An access token is missing, or invalid or expired.
        (104 | 190, _) => true,
        // appsecret_proof missing or wrong (GraphMethodException; code 100
        // about a recipient or a body is an OAuthException).
        (100, None) => g.error_type.as_deref() == Some("GraphMethodException"),
        // The page in the URL does not exist: the recipient is in the body,
        // so this is --page-id.
        (100, Some(33)) => true,
        // Action deemed abusive; the page restricted for policy.
        (368, _) | (10, Some(1_893_063)) => true,
        _ => false,
    }
}
