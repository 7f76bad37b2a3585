//! The GET handshake: the challenge echoed byte for byte, refusals for a
//! wrong mode or token.

use sendapi::webhook::{HandshakeQuery, VerifyToken, WebhookError, handshake};

fn token() -> VerifyToken {
    VerifyToken::new("my-verify-token")
}

fn query(mode: &str, token: &str, challenge: &str) -> String {
    format!("hub.mode={mode}&hub.verify_token={token}&hub.challenge={challenge}")
}

#[test]
fn numeric_challenge_is_echoed_as_text() {
    // Leading zeros and a value beyond i64 survive: never parsed.
    for challenge in ["1158201444", "0012", "99999999999999999999999"] {
        let q = query("subscribe", "my-verify-token", challenge);
        assert_eq!(handshake(&q, &token()).unwrap(), challenge);
    }
}

#[test]
fn non_numeric_challenge_is_echoed_byte_for_byte() {
    let q = query("subscribe", "my-verify-token", "CHALLENGE_ACCEPTED");
    assert_eq!(handshake(&q, &token()).unwrap(), "CHALLENGE_ACCEPTED");
    // Percent-encoding is undone once; everything else is kept as is.
    let q = query("subscribe", "my-verify-token", "a%2Bb+c%C3%A9-_.~%25");
    assert_eq!(handshake(&q, &token()).unwrap(), "a+b c\u{e9}-_.~%");
    // An encoded token matches its decoded form.
    let q = query("subscribe", "my%2Dverify%2Dtoken", "x");
    assert_eq!(handshake(&q, &token()).unwrap(), "x");
}

#[test]
fn php_style_names_are_read() {
    let q = "hub_mode=subscribe&hub_verify_token=my-verify-token&hub_challenge=42";
    assert_eq!(handshake(q, &token()).unwrap(), "42");
    let decoded = HandshakeQuery::from_pairs([
        ("hub_mode", "subscribe"),
        ("hub_verify_token", "my-verify-token"),
        ("hub_challenge", "abc"),
    ]);
    assert_eq!(decoded.answer(&token()), Ok("abc"));
}

#[test]
fn wrong_token_is_refused() {
    for t in [
        "wrong",
        "",
        "my-verify-token ",
        "MY-VERIFY-TOKEN",
        "my-verify-toke",
    ] {
        let e = handshake(&query("subscribe", t, "1"), &token()).unwrap_err();
        assert_eq!(e, WebhookError::HandshakeToken, "{t:?}");
        assert_eq!(e.http_status(), 403);
    }
    let no_token = "hub.mode=subscribe&hub.challenge=1";
    assert_eq!(
        handshake(no_token, &token()),
        Err(WebhookError::HandshakeToken)
    );
    // An unset (empty) expected token never matches, not even an empty one.
    let empty = VerifyToken::new("");
    assert_eq!(
        handshake(&query("subscribe", "", "1"), &empty),
        Err(WebhookError::HandshakeToken)
    );
}

#[test]
fn wrong_mode_is_refused() {
    let e = handshake(&query("unsubscribe", "my-verify-token", "1"), &token()).unwrap_err();
    assert_eq!(e, WebhookError::HandshakeMode(Some("unsubscribe".into())));
    assert_eq!(e.http_status(), 403);
    let e = handshake("hub.verify_token=my-verify-token&hub.challenge=1", &token()).unwrap_err();
    assert_eq!(e, WebhookError::HandshakeMode(None));
    assert_eq!(
        handshake(&query("Subscribe", "my-verify-token", "1"), &token()),
        Err(WebhookError::HandshakeMode(Some("Subscribe".into())))
    );
}

#[test]
fn missing_challenge_is_a_bad_request() {
    let q = "hub.mode=subscribe&hub.verify_token=my-verify-token";
    let e = handshake(q, &token()).unwrap_err();
    assert_eq!(e, WebhookError::HandshakeChallenge);
    assert_eq!(e.http_status(), 400);
}

#[test]
fn the_token_is_never_printed() {
    let e = handshake(&query("subscribe", "guess", "1"), &token()).unwrap_err();
    let q = HandshakeQuery::from_query(&query("subscribe", "my-verify-token", "1"));
    let shown = format!("{e} {e:?} {q:?} {:?} {}", token(), token());
    assert!(!shown.contains("my-verify-token"), "{shown}");
    assert!(!shown.contains("guess"), "{shown}");
}
