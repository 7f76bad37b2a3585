//! The token and the app secret never show in Debug or Display. (Every
//! error the other tests get goes through `assert_no_secret` too.)

use sendapi::latest as api;
use sendapi::{AppSecret, PageToken};

use crate::common::{
    PAGE, PSID, SECRET, TOKEN, assert_no_secret, assert_no_secret_in, builder, client, config,
    proof, start,
};

#[test]
fn page_token_and_app_secret_hide_themselves() {
    let token = PageToken::new(TOKEN);
    let secret = AppSecret::new(SECRET);
    assert_eq!(format!("{token:?}"), "PageToken(***)");
    assert_eq!(token.to_string(), "***");
    assert_eq!(format!("{secret:?}"), "AppSecret(***)");
    assert_eq!(secret.to_string(), "***");
    assert_no_secret(&token);
    assert_no_secret(&secret);
    // Alternate forms too.
    assert_no_secret_in(&format!("{token:#?} {secret:#?}"));
    // The one way to read the token is explicit.
    assert_eq!(token.expose(), TOKEN);
    assert_eq!(secret.proof(&token), proof());
}

#[test]
fn client_and_builder_debug_show_no_secret() {
    let b = builder("http://127.0.0.1:9");
    let shown = format!("{b:?} {b:#?}");
    assert_no_secret_in(&shown);
    assert!(shown.contains("PageToken(***)"), "{shown}");
    assert!(shown.contains("AppSecret(***)"), "{shown}");
    assert!(shown.contains(PAGE), "{shown}");

    let client = b.build().unwrap();
    let shown = format!("{client:?} {client:#?}");
    assert_no_secret_in(&shown);
    assert!(shown.contains("PageToken(***)"), "{shown}");
    assert!(shown.contains("http://127.0.0.1:9"), "{shown}");
    assert_eq!(client.page_id(), PAGE);
}

#[tokio::test]
async fn responses_show_no_secret() {
    let emu = start(config()).await;
    let client = client(&emu);
    let sent = client
        .send(&api::Request::builder().to_id(PSID).typing_on().build())
        .await
        .expect("accepted");
    assert_no_secret_in(&format!("{sent:?}"));
    // Nor does the emulator's record: the transport parameters are gone.
    let recorded = format!("{:?}", emu.requests());
    assert_no_secret_in(&recorded);
}

/// Regression: an answer that echoes the request (a proxy's error page, a
/// misbehaving server) used to carry the token and the proof into
/// `Error::Http` snippets and Graph error messages, which get logged.
#[tokio::test]
async fn an_echoing_server_cannot_put_secrets_into_errors() {
    let capture = crate::common::Capture::start(|c| {
        let echoed = String::from_utf8_lossy(&c.body).into_owned();
        if c.json()["message"]["text"] == "html" {
            (
                502,
                format!("<html><body>Bad gateway for {echoed}</body></html>"),
            )
        } else {
            let envelope = serde_json::json!({"error": {
                "message": format!("(#100) cannot use {echoed}"),
                "type": "OAuthException",
                "code": 100,
                "fbtrace_id": "AbCdEfGhIjKlMnOpQrSt",
            }});
            (400, envelope.to_string())
        }
    });
    let client = builder(&capture.base_url).build().unwrap();
    for text in ["html", "graph"] {
        let request = api::Request::builder()
            .to_id(PSID)
            .text(text)
            .response()
            .build();
        let err = client.send(&request).await.expect_err("an error answer");
        assert_no_secret(&err);
        let shown = err.to_string();
        // The echo arrived, with the secrets blanked out.
        assert!(shown.contains(r#""access_token":"***""#), "{shown}");
        assert!(shown.contains(r#""appsecret_proof":"***""#), "{shown}");
    }
    assert_eq!(capture.requests().len(), 2);
}
