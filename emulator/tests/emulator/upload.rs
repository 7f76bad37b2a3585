//! Upload-and-send (multipart `filedata`) and the Attachment Upload API.

use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::common::{TOKEN, config, is_message_id, read, start};

const FILE: &[u8] = b"\x89PNG\r\n\x1a\nnot really an image";

fn file_part() -> Part {
    Part::bytes(FILE.to_vec())
        .file_name("cat.png")
        .mime_str("image/png")
        .unwrap()
}

#[tokio::test]
async fn upload_and_send_with_filedata() {
    let env = start(config()).await;
    // The payload carries only is_reusable: the file is the filedata part.
    let form = Form::new()
        .text("recipient", r#"{"id":"5551"}"#)
        .text("messaging_type", "RESPONSE")
        .text(
            "message",
            r#"{"attachment":{"type":"image","payload":{"is_reusable":true}}}"#,
        )
        .text("access_token", TOKEN)
        .part("filedata", file_part());
    let resp = env
        .http
        .post(env.url("/v26.0/1234/messages"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let reply = read(resp).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let v = reply.json();
    assert_eq!(v["recipient_id"], "5551");
    assert!(is_message_id(v["message_id"].as_str().unwrap_or_default()));
    assert!(v["attachment_id"].is_string(), "{v}");
    assert!(reply.headers.contains_key("x-business-use-case-usage"));

    let recorded = env.emu.requests();
    let r = &recorded[0];
    // The record keeps the body as sent.
    assert_eq!(
        r.body["message"]["attachment"]["payload"],
        json!({"is_reusable": true})
    );
    let file = r.filedata.as_ref().expect("the file is recorded");
    assert_eq!(file.filename.as_deref(), Some("cat.png"));
    assert_eq!(file.content_type.as_deref(), Some("image/png"));
    assert_eq!(file.size, FILE.len());

    // Without a filedata part the same payload has no source at all.
    let form = Form::new()
        .text("recipient", r#"{"id":"5551"}"#)
        .text("messaging_type", "RESPONSE")
        .text(
            "message",
            r#"{"attachment":{"type":"image","payload":{"is_reusable":true}}}"#,
        )
        .text("access_token", TOKEN);
    let resp = env
        .http
        .post(env.url("/v26.0/1234/messages"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let reply = read(resp).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.code(), 100);
    assert!(
        reply.message().contains("media.exactly_one_source"),
        "{}",
        reply.message()
    );
}

/// The filedata part stands for the payload's source: with a url as well,
/// the payload has two; a `filedata` key in the JSON is no source at all.
#[tokio::test]
async fn filedata_is_a_part_not_a_json_key() {
    let env = start(config()).await;
    let send = |message: &'static str, with_file: bool| {
        let mut form = Form::new()
            .text("recipient", r#"{"id":"5551"}"#)
            .text("messaging_type", "RESPONSE")
            .text("message", message)
            .text("access_token", TOKEN);
        if with_file {
            form = form.part("filedata", file_part());
        }
        env.http
            .post(env.url("/v26.0/1234/messages"))
            .multipart(form)
            .send()
    };
    let url_too = r#"{"attachment":{"type":"image","payload":{"url":"https://example.com/a.png","is_reusable":true}}}"#;
    let reply = read(send(url_too, true).await.unwrap()).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert!(
        reply.message().contains("found 2") && reply.message().contains("media.exactly_one_source"),
        "{}",
        reply.message()
    );
    let key_in_json =
        r#"{"attachment":{"type":"image","payload":{"is_reusable":true,"filedata":"cat.png"}}}"#;
    let reply = read(send(key_in_json, false).await.unwrap()).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert!(
        reply.message().contains("body.unknown_field"),
        "{}",
        reply.message()
    );
    assert!(env.emu.requests().is_empty());
}

#[tokio::test]
async fn attachment_upload_api_answers_an_attachment_id() {
    let env = start(config()).await;
    for path in ["/v26.0/1234/message_attachments", "/me/message_attachments"] {
        let reply = env
            .send(
                path,
                json!({
                    "message": {"attachment": {"type": "image", "payload": {
                        "url": "https://example.com/a.png", "is_reusable": true
                    }}}
                }),
            )
            .await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        let v = reply.json();
        let id = v["attachment_id"].as_str().unwrap_or_default();
        assert!(
            !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
            "{v}"
        );
        assert_eq!(v.as_object().map(|o| o.len()), Some(1), "{v}");
        assert!(reply.headers.contains_key("x-business-use-case-usage"));
    }

    // With the file as a part.
    let form = Form::new()
        .text(
            "message",
            r#"{"attachment":{"type":"image","payload":{"is_reusable":true}}}"#,
        )
        .part("filedata", file_part());
    let resp = env
        .http
        .post(env.url("/v26.0/1234/message_attachments"))
        .bearer_auth(TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let reply = read(resp).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(reply.json()["attachment_id"].is_string());

    // Validated against the upload request type: a template is no upload.
    let reply = env
        .send(
            "/v26.0/1234/message_attachments",
            json!({"message": {"attachment": {"type": "template", "payload": {}}}}),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(reply.code(), 100);

    let recorded = env.emu.requests();
    assert_eq!(recorded.len(), 3);
    assert!(recorded.iter().all(|r| r.endpoint == "message_attachments"));
    assert!(recorded[2].filedata.is_some());
}
