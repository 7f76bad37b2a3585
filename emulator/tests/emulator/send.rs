//! The Send API route: encodings, tokens, proofs, validation and answers.

use serde_json::{Value, json};

use sendapi_emulator::EmulatorConfig;
use sendapi_spec::Platform;

use crate::common::{SECRET, TOKEN, assert_envelope, config, is_message_id, start, text_to};

#[tokio::test]
async fn json_send_answers_ids_and_usage_headers() {
    let env = start(config()).await;
    let reply = env.send("/v26.0/1234/messages", text_to("5551")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let v = reply.json();
    assert_eq!(v["recipient_id"], "5551");
    let mid = v["message_id"].as_str().unwrap_or_default();
    assert!(is_message_id(mid), "{mid}");
    assert_eq!(v.as_object().map(|o| o.len()), Some(2), "{v}");

    // X-Business-Use-Case-Usage: keyed by the page, one messenger entry.
    let buc = reply.header_json("x-business-use-case-usage");
    let entries = buc["1234"].as_array().expect("an array for the page");
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e["type"], "messenger");
    for key in [
        "call_count",
        "total_cputime",
        "total_time",
        "estimated_time_to_regain_access",
    ] {
        assert!(e[key].is_u64(), "{key} in {e}");
    }
    // One text send of 300 per second is 1 %, rounded up.
    assert_eq!(e["call_count"], 1);
    assert_eq!(e["estimated_time_to_regain_access"], 0);
    let app = reply.header_json("x-app-usage");
    for key in ["call_count", "total_cputime", "total_time"] {
        assert!(app[key].is_u64(), "{key} in {app}");
    }

    let second = env.send("/v26.0/1234/messages", text_to("5551")).await;
    assert_ne!(second.json()["message_id"], v["message_id"]);
    assert_eq!(second.page_call_count("1234"), 1);
}

#[tokio::test]
async fn the_snapshot_decides_not_the_path_version() {
    // The snapshot as of the day before the tag was refused.
    let env = start(config().spec("v26.0@2026-04-26")).await;
    assert_eq!(env.emu.snapshot(), "v26.0@2026-04-26");
    let tagged = json!({
        "recipient": {"id": "5551"},
        "messaging_type": "MESSAGE_TAG",
        "tag": "ACCOUNT_UPDATE",
        "message": {"text": "Your card was declined"}
    });
    // Its rules accept the tag, whatever version the path names.
    for path in [
        "/v26.0/1234/messages",
        "/v21.0/1234/messages",
        "/1234/messages",
    ] {
        let reply = env.send(path, tagged.clone()).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    }

    let latest = start(config().spec("v26.0")).await;
    let reply = latest.send("/v21.0/1234/messages", tagged).await;
    assert_eq!(reply.status, 400);
    assert_envelope(&reply);
    assert_eq!(reply.code(), 100);
    assert_eq!(reply.subcode(), None);
    let msg = reply.message();
    assert!(msg.starts_with("(#100) "), "{msg}");
    assert!(msg.contains("2026-04-27"), "{msg}");
    assert!(msg.contains("request.tag.refused_since"), "{msg}");
    assert_eq!(reply.json()["error"]["type"], "OAuthException");
}

#[tokio::test]
async fn message_with_sender_action_gets_subcode_2018014() {
    let env = start(config()).await;
    let body = json!({
        "recipient": {"id": "5551"},
        "sender_action": "typing_on",
        "message": {"text": "hi"}
    });
    let reply = env.send("/v26.0/me/messages", body).await;
    assert_eq!(reply.status, 400);
    assert_envelope(&reply);
    assert_eq!(reply.code(), 100);
    assert_eq!(reply.subcode(), Some(2018014));
    assert!(
        reply
            .message()
            .contains("request.message_xor_sender_action"),
        "{}",
        reply.message()
    );
    // Refused requests are not recorded, yet carry the usage header.
    assert!(env.emu.requests().is_empty());
    let buc = reply.header_json("x-business-use-case-usage");
    assert_eq!(buc.as_object().map(|o| o.len()), Some(1), "{buc}");
}

#[tokio::test]
async fn form_body_with_json_string_values() {
    let env = start(config()).await;
    // Meta's curl sample: values are JSON texts, plain words stay strings.
    let reply = env
        .post_form(
            "/v26.0/1234/messages",
            &[
                ("recipient", r#"{"id":"5551"}"#),
                ("messaging_type", "RESPONSE"),
                ("message", r#"{"text":"hello, world"}"#),
                ("access_token", TOKEN),
            ],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["recipient_id"], "5551");
    let recorded = env.emu.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0].body,
        json!({
            "recipient": {"id": "5551"},
            "messaging_type": "RESPONSE",
            "message": {"text": "hello, world"}
        })
    );

    // A sender action with a reaction payload, the SA sample's form.
    let reply = env
        .post_form(
            "/v26.0/1234/messages",
            &[
                ("recipient", r#"{"id":"5551"}"#),
                ("sender_action", "react"),
                ("payload", r#"{"message_id":"m_abc","reaction":"love"}"#),
                ("access_token", TOKEN),
            ],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json(), json!({"recipient_id": "5551"}));
}

#[tokio::test]
async fn parameters_in_the_query_and_token_in_the_header() {
    let env = start(config()).await;
    let q = format!(
        "/v26.0/1234/messages?recipient=%7B%22id%22%3A%225551%22%7D&messaging_type=RESPONSE&message=%7B%22text%22%3A%22q%22%7D&access_token={TOKEN}"
    );
    let reply = env.post_form(&q, &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    let resp = env
        .http
        .post(env.url("/v26.0/1234/messages"))
        .bearer_auth(TOKEN)
        .json(&text_to("5551"))
        .send()
        .await
        .unwrap();
    let reply = crate::common::read(resp).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn missing_token_is_104_and_another_token_is_190() {
    let env = start(config()).await;
    let reply = env
        .post_json("/v26.0/1234/messages", &text_to("5551"))
        .await;
    assert_eq!(reply.status, 400);
    assert_envelope(&reply);
    assert_eq!(reply.code(), 104);
    assert_eq!(reply.json()["error"]["type"], "OAuthException");
    assert_eq!(
        reply.message(),
        "An access token is required to request this resource."
    );

    let mut body = text_to("5551");
    body["access_token"] = json!("NOT_THE_TOKEN");
    let reply = env.post_json("/v26.0/1234/messages", &body).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.code(), 190);
    assert_eq!(reply.json()["error"]["type"], "OAuthException");

    // Without a configured token any token goes, but one is still needed.
    let open = start(EmulatorConfig::new()).await;
    assert_eq!(open.post_json("/me/messages", &body).await.status, 200);
    assert_eq!(
        open.post_json("/me/messages", &text_to("5551"))
            .await
            .code(),
        104
    );
}

// The proofs were computed outside Rust, with
//   printf %s 'TEST_PAGE_TOKEN' | openssl dgst -sha256 -hmac 'TEST_APP_SECRET'
const PROOF: &str = "196a866b7a3f9cf5f8f29fcb36c3f651d9a203b52b92031656884d44c1bf1f6b";
//   printf %s 'OTHER_TOKEN' | openssl dgst -sha256 -hmac 'TEST_APP_SECRET'
const OTHER_PROOF: &str = "28cfc2893021258b38e8d4f720ea3e42ba6a07a8b5707a936d723c8d91737aae";

#[tokio::test]
async fn appsecret_proof_missing_wrong_and_right() {
    let env = start(config().app_secret(SECRET)).await;
    let reply = env.send("/v26.0/1234/messages", text_to("5551")).await;
    assert_eq!(reply.status, 400);
    assert_envelope(&reply);
    assert_eq!(reply.code(), 100);
    assert_eq!(reply.json()["error"]["type"], "GraphMethodException");
    assert_eq!(
        reply.message(),
        "API calls from the server require an appsecret_proof argument"
    );

    for wrong in [OTHER_PROOF, "zz", &PROOF.to_uppercase(), &PROOF[..63]] {
        let mut body = text_to("5551");
        body["appsecret_proof"] = json!(wrong);
        let reply = env.send("/v26.0/1234/messages", body).await;
        assert_eq!(reply.status, 400, "{wrong}");
        assert_eq!(reply.code(), 100);
        assert_eq!(reply.json()["error"]["type"], "GraphMethodException");
        assert_eq!(
            reply.message(),
            "Invalid appsecret_proof provided in the API argument"
        );
    }

    let mut body = text_to("5551");
    body["appsecret_proof"] = json!(PROOF);
    let reply = env.send("/v26.0/1234/messages", body).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // The proof is a transport parameter: not part of the recorded body.
    let recorded = env.emu.requests();
    assert_eq!(recorded[0].body, text_to("5551"));

    // In the query too.
    let path = format!("/v26.0/1234/messages?appsecret_proof={PROOF}");
    let reply = env.send(&path, text_to("5551")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn answer_shapes_follow_the_recipient_form() {
    let env = start(config()).await;
    let send = |recipient: Value| {
        json!({
            "recipient": recipient,
            "messaging_type": "RESPONSE",
            "message": {"text": "hi"}
        })
    };
    // user_ref and phone_number: Meta leaves recipient_id out.
    for recipient in [
        json!({"user_ref": "ref-1"}),
        json!({"phone_number": "+15551234567"}),
    ] {
        let reply = env
            .send("/v26.0/1234/messages", send(recipient.clone()))
            .await;
        assert_eq!(reply.status, 200, "{recipient}: {}", reply.text);
        let v = reply.json();
        assert!(v.get("recipient_id").is_none(), "{v}");
        assert!(is_message_id(v["message_id"].as_str().unwrap_or_default()));
    }
    // A comment reply answers a PSID-like id for the commenter.
    let reply = env
        .send("/v26.0/1234/messages", send(json!({"comment_id": "1_2"})))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let rid = reply.json()["recipient_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        !rid.is_empty() && rid.bytes().all(|b| b.is_ascii_digit()),
        "{rid}"
    );

    // A sender action answers the recipient only.
    let reply = env
        .send(
            "/v26.0/1234/messages",
            json!({"recipient": {"id": "5551"}, "sender_action": "typing_on"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json(), json!({"recipient_id": "5551"}));
}

#[tokio::test]
async fn reusable_attachments_get_an_attachment_id() {
    let env = start(config()).await;
    let image = |payload: Value| {
        json!({
            "recipient": {"id": "5551"},
            "messaging_type": "RESPONSE",
            "message": {"attachment": {"type": "image", "payload": payload}}
        })
    };
    for reusable in [json!(true), json!("true")] {
        let reply = env
            .send(
                "/v26.0/1234/messages",
                image(json!({"url": "https://example.com/a.png", "is_reusable": reusable})),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let id = reply.json()["attachment_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
            "{id}"
        );
    }
    let reply = env
        .send(
            "/v26.0/1234/messages",
            image(json!({"url": "https://example.com/a.png"})),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert!(reply.json().get("attachment_id").is_none());
}

#[tokio::test]
async fn the_platform_decides_platform_rules() {
    // The heart sticker is an Instagram-only attachment type.
    let body = json!({
        "recipient": {"id": "5551"},
        "messaging_type": "RESPONSE",
        "message": {"attachment": {"type": "like_heart"}}
    });
    let instagram = start(config().platform(Platform::Instagram)).await;
    let reply = instagram.send("/v26.0/1234/messages", body.clone()).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let buc = reply.header_json("x-business-use-case-usage");
    assert_eq!(buc["1234"][0]["type"], "instagram");

    let messenger = start(config()).await;
    let reply = messenger.send("/v26.0/1234/messages", body).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(reply.code(), 100);
    assert!(
        reply.message().contains("attachment.platform"),
        "{}",
        reply.message()
    );
}

#[tokio::test]
async fn me_stands_for_the_tokens_page() {
    let env = start(config()).await;
    let reply = env.send("/me/messages", text_to("5551")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let recorded = env.emu.requests();
    let page = recorded[0].page_id.clone();
    assert!(page.bytes().all(|b| b.is_ascii_digit()), "{page}");
    assert_eq!(recorded[0].path, "/me/messages");
    // The header names the same page.
    assert_eq!(reply.page_call_count(&page), 1);
    // The same token maps to the same page.
    env.send("/v26.0/me/messages", text_to("5551")).await;
    assert_eq!(env.emu.requests()[1].page_id, page);
}

#[tokio::test]
async fn an_unknown_object_is_code_100_subcode_33() {
    let env = start(config()).await;
    let reply = env
        .send("/v26.0/not-a-page/messages", text_to("5551"))
        .await;
    assert_eq!(reply.status, 400);
    assert_envelope(&reply);
    assert_eq!(reply.code(), 100);
    assert_eq!(reply.subcode(), Some(33));
    assert!(
        reply.message().contains("'not-a-page'"),
        "{}",
        reply.message()
    );
}

#[tokio::test]
async fn bad_bodies_get_graph_errors() {
    let env = start(config().max_body_bytes(64 * 1024)).await;
    let url = env.url(&format!("/v26.0/1234/messages?access_token={TOKEN}"));
    let post = |body: Vec<u8>, content_type: &'static str| {
        let req = env.http.post(&url).body(body);
        let req = if content_type.is_empty() {
            req
        } else {
            req.header("content-type", content_type)
        };
        async move { crate::common::read(req.send().await.unwrap()).await }
    };
    let deep = format!("{{\"message\":{}{}}}", "[".repeat(100), "]".repeat(100));
    let deep_form = format!("message={}{}", "[".repeat(100), "]".repeat(100));
    let huge = format!("{{\"x\":\"{}\"}}", "a".repeat(100 * 1024));
    let cases: Vec<(Vec<u8>, &'static str, &str)> = vec![
        (
            b"{\"recipient\":".to_vec(),
            "application/json",
            "not valid JSON",
        ),
        (b"[1,2]".to_vec(), "application/json", "JSON object"),
        (b"\"text\"".to_vec(), "application/json", "JSON object"),
        (deep.into_bytes(), "application/json", "nested"),
        (
            deep_form.into_bytes(),
            "application/x-www-form-urlencoded",
            "nested",
        ),
        (b"<xml/>".to_vec(), "text/xml", "Content-Type"),
        (huge.into_bytes(), "application/json", "65536"),
        (vec![0xff, 0xfe, 0x00], "application/json", "not valid JSON"),
        (
            b"--x\r\nbroken".to_vec(),
            "multipart/form-data",
            "multipart",
        ),
        (
            b"{}".to_vec(),
            "multipart/form-data; boundary=zz",
            "multipart",
        ),
    ];
    for (body, ct, needle) in cases {
        let reply = post(body, ct).await;
        assert_eq!(reply.status, 400, "{ct}: {}", reply.text);
        assert_envelope(&reply);
        assert_eq!(reply.code(), 100, "{ct}: {}", reply.text);
        assert!(
            reply.message().contains(needle),
            "{needle}: {}",
            reply.message()
        );
    }
    // No content type: sniffed as JSON or form.
    let reply = post(serde_json::to_vec(&text_to("5551")).unwrap(), "").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // An empty body is an empty set of parameters: the body is incomplete.
    let reply = post(Vec::new(), "application/json").await;
    assert_eq!(reply.status, 400);
    assert!(
        reply.message().contains("body.required"),
        "{}",
        reply.message()
    );
    assert!(env.emu.requests().len() == 1);
}

#[tokio::test]
async fn the_catch_all_names_what_it_did_not_expect() {
    let env = start(config()).await;
    let get = env.get("/v26.0/1234/messages?access_token=secret").await;
    assert_eq!(get.status, 404);
    assert_envelope(&get);
    assert!(
        get.message().contains("GET /v26.0/1234/messages"),
        "{}",
        get.message()
    );
    assert!(!get.message().contains("secret"), "{}", get.message());

    for path in ["/v26.0/1234/feed", "/v26.0/messages", "/a/b/c/d"] {
        let reply = env.post_form(path, &[]).await;
        assert_eq!(reply.status, 404, "{path}");
        assert!(
            reply.message().contains(&format!("POST {path}")),
            "{}",
            reply.message()
        );
    }
    // A wrong method on a control route is unexpected too.
    let reply = env.post_form("/__emulator/messages", &[]).await;
    assert_eq!(reply.status, 404);
    assert!(reply.message().contains("POST /__emulator/messages"));
}

#[tokio::test]
async fn the_record_lists_accepted_requests_in_order() {
    let env = start(config()).await;
    for psid in ["1", "2", "3"] {
        assert_eq!(
            env.send("/v26.0/1234/messages", text_to(psid)).await.status,
            200
        );
    }
    // Refused: not recorded.
    env.post_json("/v26.0/1234/messages", &text_to("4")).await;

    let reply = env.get("/__emulator/messages").await;
    assert_eq!(reply.status, 200);
    let list = reply.json();
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), 3);
    for (entry, psid) in list.iter().zip(["1", "2", "3"]) {
        assert_eq!(entry["page_id"], "1234");
        assert_eq!(entry["path"], "/v26.0/1234/messages");
        assert_eq!(entry["endpoint"], "messages");
        assert_eq!(entry["body"], text_to(psid));
        assert_eq!(entry["response"]["recipient_id"], psid);
        assert_eq!(entry["batch"], false);
        assert!(entry["body"].get("access_token").is_none());
    }
    // The handle sees the same.
    let recorded = env.emu.requests();
    assert_eq!(recorded.len(), 3);
    assert_eq!(recorded[2].response, list[2]["response"]);

    let cleared = env
        .http
        .delete(env.url("/__emulator/messages"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status().as_u16(), 200);
    assert_eq!(env.get("/__emulator/messages").await.json(), json!([]));
    assert!(env.emu.requests().is_empty());
}

#[tokio::test]
async fn an_unloadable_spec_fails_to_start() {
    let err = sendapi_emulator::Emulator::start(
        EmulatorConfig::new().spec("/nonexistent/spec.toml"),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect_err("no emulator without a spec");
    assert!(matches!(err, sendapi_emulator::Error::Spec(_)), "{err}");

    // A spec loaded by the caller works like a bundled one.
    let spec = sendapi_spec::resolve("v21.0").unwrap();
    let env = start(config().loaded_spec(spec)).await;
    assert_eq!(env.emu.snapshot(), "v21.0");
}
