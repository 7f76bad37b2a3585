//! What a method and path ask for: a Send API or upload call on a page, a
//! batch, or nothing the emulator serves.

/// The edge a call posts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// `/{page}/messages`: the Send API.
    Messages,
    /// `/{page}/message_attachments`: the Attachment Upload API.
    Attachments,
}

impl Endpoint {
    pub(crate) fn from_edge(edge: &str) -> Option<Endpoint> {
        match edge {
            "messages" => Some(Endpoint::Messages),
            "message_attachments" => Some(Endpoint::Attachments),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Endpoint::Messages => "messages",
            Endpoint::Attachments => "message_attachments",
        }
    }
}

/// What a method and path ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    Call { endpoint: Endpoint, page: String },
    Batch,
    Unknown,
}

/// `v` then digits, a dot, digits: `v26.0`.
fn is_version(s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    s.strip_prefix('v')
        .and_then(|r| r.split_once('.'))
        .is_some_and(|(a, b)| digits(a) && digits(b))
}

/// Routes an API request (not `/__emulator/...`).
pub(crate) fn route(method: &str, path: &str) -> Route {
    if method != "POST" {
        return Route::Unknown;
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Route::Unknown;
    };
    let segs: Vec<&str> = rest.split('/').collect();
    let call = |page: &str, edge: &str| match Endpoint::from_edge(edge) {
        Some(endpoint) => Route::Call {
            endpoint,
            page: page.to_string(),
        },
        None => Route::Unknown,
    };
    match segs.as_slice() {
        [""] => Route::Batch,
        [v] | [v, ""] if is_version(v) => Route::Batch,
        [page, edge] if !is_version(page) => call(page, edge),
        [v, page, edge] if is_version(v) => call(page, edge),
        _ => Route::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let call = |page: &str, endpoint| Route::Call {
            endpoint,
            page: page.to_string(),
        };
        assert_eq!(
            route("POST", "/v26.0/123/messages"),
            call("123", Endpoint::Messages)
        );
        assert_eq!(
            route("POST", "/me/messages"),
            call("me", Endpoint::Messages)
        );
        assert_eq!(
            route("POST", "/v21.0/me/message_attachments"),
            call("me", Endpoint::Attachments)
        );
        assert_eq!(route("POST", "/"), Route::Batch);
        assert_eq!(route("POST", "/v26.0"), Route::Batch);
        assert_eq!(route("POST", "/v26.0/"), Route::Batch);
        assert_eq!(route("GET", "/me/messages"), Route::Unknown);
        assert_eq!(route("POST", "/v26.0/messages"), Route::Unknown);
        assert_eq!(route("POST", "/x/123/messages"), Route::Unknown);
        assert_eq!(route("POST", "/me/feed"), Route::Unknown);
        assert_eq!(route("POST", "/v26/me/messages/"), Route::Unknown);
    }
}
