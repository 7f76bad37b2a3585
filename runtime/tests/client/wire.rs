//! The wire format: the token and `appsecret_proof` travel in the JSON body,
//! never in the URL; the emulator's token and proof checks reach the caller
//! as typed Graph errors.

use sendapi::latest as api;
use sendapi::{Error, RetryClass};
use serde_json::json;

use crate::common::{
    Capture, PAGE, PSID, SECRET, TOKEN, assert_no_secret, assert_no_secret_in, builder, client,
    config, graph, proof, sent_answer, start,
};

fn text() -> api::Request<sendapi::Messenger, api::form::Id, api::kind::Message> {
    api::Request::builder()
        .to_id(PSID)
        .text("hello")
        .response()
        .build()
}

#[tokio::test]
async fn token_and_proof_are_in_the_json_body_not_the_url() {
    let capture = Capture::start(|_| (200, sent_answer()));
    let client = builder(&capture.base_url).build().unwrap();
    let sent = client.send(&text()).await.expect("the canned answer");
    assert_eq!(sent.message_id(), "m_captured");

    let seen = capture.requests();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!(
        r.request_line,
        format!("POST /v26.0/{PAGE}/messages HTTP/1.1")
    );
    assert!(!r.target().contains('?'), "a query: {}", r.target());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("authorization"), None);
    // No header carries a secret either.
    for (name, value) in &r.headers {
        assert_no_secret_in(&format!("{name}: {value}"));
    }
    let mut body = r.json();
    assert_eq!(body["access_token"], TOKEN);
    assert_eq!(body["appsecret_proof"], proof());
    let map = body.as_object_mut().unwrap();
    map.remove("access_token");
    map.remove("appsecret_proof");
    assert_eq!(
        body,
        json!({
            "recipient": {"id": PSID},
            "messaging_type": "RESPONSE",
            "message": {"text": "hello"},
        })
    );
}

#[tokio::test]
async fn without_a_secret_no_proof_is_sent() {
    let capture = Capture::start(|_| (200, sent_answer()));
    for secret in [None, Some("")] {
        let mut b = sendapi::Client::builder()
            .base_url(format!("{}/", capture.base_url)) // a trailing slash is dropped
            .page_id("me")
            .page_token(TOKEN);
        if let Some(s) = secret {
            b = b.app_secret(s);
        }
        b.build().unwrap().send(&text()).await.expect("canned");
    }
    let seen = capture.requests();
    assert_eq!(seen.len(), 2);
    for r in &seen {
        assert_eq!(r.target(), "/v26.0/me/messages");
        let body = r.json();
        assert_eq!(body["access_token"], TOKEN);
        assert!(body.get("appsecret_proof").is_none(), "{body}");
    }
}

#[tokio::test]
async fn the_emulator_checks_token_and_proof() {
    let emu = start(config()).await;

    // The right token and secret.
    let ok = client(&emu).send(&text()).await.expect("accepted");
    assert_eq!(ok.recipient_id(), PSID);
    let recorded = emu.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].path, format!("/v26.0/{PAGE}/messages"));
    assert_no_secret_in(&recorded[0].path);

    // A wrong secret: the proof does not match.
    let wrong_secret = builder(&emu.base_url())
        .app_secret("not-the-app-secret")
        .build()
        .unwrap();
    let err = wrong_secret.send(&text()).await.expect_err("refused");
    let g = graph(&err);
    assert_eq!((g.status, g.code, g.subcode), (400, 100, None));
    assert_eq!(g.error_type.as_deref(), Some("GraphMethodException"));
    assert_eq!(
        g.message,
        "Invalid appsecret_proof provided in the API argument"
    );
    assert_eq!(g.retry, RetryClass::Never);
    assert!(g.fbtrace_id.as_deref().is_some_and(|t| !t.is_empty()));
    // Regression (issue 12): a refusal of class `never` was reported as
    // possibly delivered. Graph refused it: not delivered, and a retry
    // cannot help.
    assert_eq!(err.delivery(), sendapi::Delivery::NotDelivered);
    assert!(!err.may_have_reached_user(), "Graph refused it");
    assert!(!err.retryable(), "a retry gets the same refusal");
    assert!(
        err.to_string()
            .ends_with("; not delivered; a retry cannot help: fix the cause first"),
        "{err}"
    );
    assert_no_secret(&err);

    // No secret at all, while the app requires one.
    let no_secret = sendapi::Client::builder()
        .base_url(emu.base_url())
        .page_id(PAGE)
        .page_token(TOKEN)
        .build()
        .unwrap();
    let err = no_secret.send(&text()).await.expect_err("refused");
    let g = graph(&err);
    assert_eq!(g.code, 100);
    assert_eq!(g.error_type.as_deref(), Some("GraphMethodException"));
    assert!(g.message.contains("require an appsecret_proof"), "{g:?}");
    assert_no_secret(&err);

    // A wrong token (with its own, matching proof).
    let wrong_token = builder(&emu.base_url())
        .page_token("EAAB-some-other-token")
        .build()
        .unwrap();
    let err = wrong_token.send(&text()).await.expect_err("refused");
    let g = graph(&err);
    assert_eq!((g.status, g.code), (400, 190));
    assert_eq!(g.error_type.as_deref(), Some("OAuthException"));
    assert_eq!(g.retry, RetryClass::Never);
    assert!(err.to_string().contains("Graph error 190"), "{err}");
    assert_no_secret(&err);
    assert!(!format!("{err:?}").contains("EAAB-some-other-token"));

    // Only the first send was accepted.
    assert_eq!(emu.requests().len(), 1);
}

#[tokio::test]
async fn the_builder_refuses_a_bad_configuration() {
    let cases: [(sendapi::ClientBuilder, &str); 6] = [
        (sendapi::Client::builder().page_token(TOKEN), "page id"),
        (
            sendapi::Client::builder().page_id(PAGE).page_token(""),
            "access token",
        ),
        (
            sendapi::Client::builder()
                .page_id("12/../34")
                .page_token(TOKEN),
            "is not an id",
        ),
        (
            sendapi::Client::builder()
                .page_id(PAGE)
                .page_token(TOKEN)
                .app_secret(SECRET)
                .base_url("graph.facebook.com"),
            "http:// or https://",
        ),
        (
            sendapi::Client::builder()
                .page_id(PAGE)
                .page_token(TOKEN)
                .base_url("http://graph.facebook.com"),
            "would travel in clear",
        ),
        (
            sendapi::Client::builder()
                .page_id(PAGE)
                .page_token(TOKEN)
                .base_url("http://127.0.0.1.example.com:8080"),
            "would travel in clear",
        ),
    ];
    for (b, expected) in cases {
        let err = b.build().expect_err("refused");
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(err.to_string().contains(expected), "{err}");
        assert!(!err.may_have_reached_user());
        assert!(!err.retryable());
        assert_no_secret(&err);
    }
}

/// Regression: an error answer to a request of an older snapshot used to be
/// read with the latest snapshot's error table (the retry decision already
/// used the request's). Code 10 subcode 1893063 is only in the latest table;
/// the older one (a delta through `bindings!`) knows code 10.
#[tokio::test]
async fn an_error_is_read_with_the_error_table_of_the_requests_snapshot() {
    let capture = Capture::start(|_| {
        let body = json!({"error": {
            "message": "(#10) This message is sent outside of allowed window.",
            "type": "OAuthException",
            "code": 10,
            "error_subcode": 1_893_063,
            "fbtrace_id": "AbCdEfGhIjKlMnOpQrStUv",
        }});
        (400, body.to_string())
    });
    let client = builder(&capture.base_url).build().unwrap();
    let older = crate::older::Request::builder()
        .to_id(PSID)
        .text("hello")
        .response()
        .build();
    let err = client.send(&older).await.expect_err("an error answer");
    let g = graph(&err);
    assert_eq!((g.code, g.subcode), (10, Some(1_893_063)));
    assert_eq!(g.name, Some("PermissionDenied"));
    assert_eq!(g.retry, RetryClass::Never);
    assert_eq!(g.fbtrace_id.as_deref(), Some("AbCdEfGhIjKlMnOpQrStUv"));

    let err = client.send(&text()).await.expect_err("an error answer");
    assert_eq!(graph(&err).name, Some("PageRestrictedPolicy"));
    assert_eq!(capture.requests().len(), 2, "no retry of a `never` code");
}

#[test]
fn plain_http_is_taken_only_to_this_machine() {
    for base in [
        "http://127.0.0.1:9",
        "http://127.1.2.3:9",
        "http://localhost:9",
        "http://LOCALHOST:9/graph",
        "http://[::1]:9",
        "https://graph.facebook.com",
        "https://graph.example.org:8443",
    ] {
        let built = sendapi::Client::builder()
            .page_id(PAGE)
            .page_token(TOKEN)
            .base_url(base)
            .build();
        assert!(built.is_ok(), "{base}: {:?}", built.err());
    }
}
