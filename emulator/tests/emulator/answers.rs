//! The emulator's own answers (token, proof, rate, batch, catch-all, 5xx)
//! come from the spec's `[[errors]]` entries, found by name: a spec whose
//! entries say otherwise is answered with what it says.

use serde_json::{Value, json};

use sendapi_emulator::{Faults, ManualClock};
use sendapi_spec::{Spec, V26_TOML, load_str};

use crate::common::{Reply, SECRET, TOKEN, audio_to, config, start, text_to};

/// Replaces the one occurrence of `from`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from}");
    text.replacen(from, to, 1)
}

/// `text` without the `[[errors]]` entry named `name`.
fn without_error(text: &str, name: &str) -> String {
    let at = text.find(&format!("rust = \"{name}\"\n")).unwrap();
    let start = text[..at].rfind("[[errors]]").unwrap();
    let end = at + text[at..].find("\n\n").unwrap() + 2;
    format!("{}{}", &text[..start], &text[end..])
}

/// v26.0 with every answer of the emulator reworded, and two retyped.
fn reworded() -> Spec {
    let mut text = V26_TOML.to_string();
    for (from, to) in [
        (
            "message = \"An access token is required to request this resource.\"",
            "message = \"TOKEN REQUIRED\"",
        ),
        (
            "message = \"Invalid OAuth access token - Cannot parse access token\"",
            "message = \"TOKEN INVALID\"",
        ),
        (
            "message = \"API calls from the server require an appsecret_proof argument\"",
            "message = \"PROOF MISSING\"",
        ),
        (
            "message = \"Invalid appsecret_proof provided in the API argument\"",
            "message = \"PROOF INVALID\"",
        ),
        (
            "message = \"(#613) Calls to this api have exceeded the rate limit.\"",
            "message = \"RATE LIMITED\"",
        ),
        (
            "message = \"(#100) Too many requests in batch message. Maximum batch size is {max}\"",
            "message = \"AT MOST {max}\"",
        ),
        (
            "message = \"Unknown path components: {path}\"",
            "message = \"NO PATH {path}\"",
        ),
        (
            "message = \"An unexpected error has occurred. Please retry your request later.\"",
            "message = \"TRY AGAIN\"",
        ),
        (
            "type = \"GraphMethodException\"\nmessage = \"Unsupported post request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation\"",
            "type = \"ObjectException\"\nmessage = \"NO OBJECT {id}\"",
        ),
        (
            "rust = \"AccessTokenRequired\"\ntype = \"OAuthException\"",
            "rust = \"AccessTokenRequired\"\ntype = \"TokenException\"",
        ),
    ] {
        text = edit(&text, from, to);
    }
    load_str("reworded.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

/// Code, type and message of an error answer.
fn said(reply: &Reply) -> (u64, String, String) {
    let v = reply.json();
    let e = &v["error"];
    (
        e["code"].as_u64().unwrap_or(0),
        e["type"].as_str().unwrap_or_default().to_string(),
        e["message"].as_str().unwrap_or_default().to_string(),
    )
}

fn expect(reply: &Reply, code: u64, ty: &str, message: &str) {
    assert_eq!(
        said(reply),
        (code, ty.to_string(), message.to_string()),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn token_and_proof_answers_come_from_the_spec() {
    let env = start(config().loaded_spec(reworded()).app_secret(SECRET)).await;
    let reply = env.post_json("/v26.0/1234/messages", &text_to("1")).await;
    expect(&reply, 104, "TokenException", "TOKEN REQUIRED");

    let mut body = text_to("1");
    body["access_token"] = json!("OTHER");
    let reply = env.post_json("/v26.0/1234/messages", &body).await;
    expect(&reply, 190, "OAuthException", "TOKEN INVALID");

    let reply = env.send("/v26.0/1234/messages", text_to("1")).await;
    expect(&reply, 100, "GraphMethodException", "PROOF MISSING");

    let mut body = text_to("1");
    body["appsecret_proof"] = json!("00");
    let reply = env.send("/v26.0/1234/messages", body).await;
    expect(&reply, 100, "GraphMethodException", "PROOF INVALID");
}

#[tokio::test]
async fn rate_batch_object_path_and_5xx_answers_come_from_the_spec() {
    let clock = ManualClock::new();
    let env = start(config().loaded_spec(reworded()).clock(clock)).await;

    for _ in 0..10 {
        assert_eq!(
            env.send("/v26.0/1234/messages", audio_to("1")).await.status,
            200
        );
    }
    let reply = env.send("/v26.0/1234/messages", audio_to("1")).await;
    expect(&reply, 613, "OAuthException", "RATE LIMITED");

    let ops: Vec<Value> = (0..51)
        .map(|_| json!({"method": "POST", "relative_url": "1234/messages"}))
        .collect();
    let reply = env
        .post_json("/v26.0/", &json!({"access_token": TOKEN, "batch": ops}))
        .await;
    expect(&reply, 100, "OAuthException", "AT MOST 50");

    let reply = env.send("/v26.0/abc/messages", text_to("1")).await;
    expect(&reply, 100, "ObjectException", "NO OBJECT abc");
    assert_eq!(reply.json()["error"]["error_subcode"], 33);

    let reply = env.post_form("/v26.0/1234/feed", &[]).await;
    assert_eq!(reply.status, 404);
    let (code, _, message) = said(&reply);
    assert_eq!(code, 2500);
    assert!(
        message.starts_with(
            "NO PATH /v26.0/1234/feed (the sendapi emulator did not expect POST /v26.0/1234/feed;"
        ),
        "{message}"
    );

    env.emu.set_faults(Faults::none().fail_5xx(500, 1)).unwrap();
    let reply = env.send("/v26.0/1234/messages", text_to("1")).await;
    assert_eq!(reply.status, 500);
    expect(&reply, 2, "OAuthException", "TRY AGAIN");
    assert_eq!(reply.json()["error"]["is_transient"], true);
}

#[tokio::test]
async fn a_spec_without_an_entry_gets_an_answer_naming_it() {
    let text = without_error(V26_TOML, "AppSecretProofMissing");
    let spec = load_str("partial.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let env = start(config().loaded_spec(spec).app_secret(SECRET)).await;

    let reply = env.send("/v26.0/1234/messages", text_to("1")).await;
    assert_eq!(reply.status, 400);
    let (code, ty, message) = said(&reply);
    assert_eq!((code, ty.as_str()), (1, "OAuthException"));
    assert!(
        message.contains("the spec v26.0 has no [[errors]] entry named `AppSecretProofMissing`"),
        "{message}"
    );

    // The other answers are unaffected.
    let mut body = text_to("1");
    body["appsecret_proof"] = json!("00");
    let reply = env.send("/v26.0/1234/messages", body).await;
    expect(
        &reply,
        100,
        "GraphMethodException",
        "Invalid appsecret_proof provided in the API argument",
    );
}
