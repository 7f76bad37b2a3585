//! Graph batch requests.

use serde_json::{Value, json};

use sendapi_emulator::ManualClock;

use crate::common::{SECRET, TOKEN, config, is_message_id, read, start};

/// A batch operation sending `body` (form-encoded, JSON-text values).
fn op(relative_url: &str, pairs: &[(&str, Value)]) -> Value {
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        match v {
            Value::String(s) => form.append_pair(k, s),
            other => form.append_pair(k, &other.to_string()),
        };
    }
    json!({"method": "POST", "relative_url": relative_url, "body": form.finish()})
}

fn text_op(relative_url: &str, psid: &str) -> Value {
    op(
        relative_url,
        &[
            ("recipient", json!({"id": psid})),
            ("messaging_type", json!("RESPONSE")),
            ("message", json!({"text": "hi"})),
        ],
    )
}

/// Reads the answer array: (code, body) per operation.
fn slots(reply: &crate::common::Reply) -> Vec<(u64, Value)> {
    let v = reply.json();
    let items = v.as_array().unwrap_or_else(|| panic!("not an array: {v}"));
    items
        .iter()
        .map(|item| {
            assert_eq!(item["headers"][0]["name"], "Content-Type", "{item}");
            assert_eq!(item["headers"][0]["value"], "application/json", "{item}");
            let body = item["body"].as_str().unwrap_or_else(|| panic!("{item}"));
            let body: Value = serde_json::from_str(body).unwrap();
            (item["code"].as_u64().unwrap_or(0), body)
        })
        .collect()
}

#[tokio::test]
async fn operations_are_answered_in_order_with_their_own_errors() {
    let env = start(config()).await;
    let batch = json!([
        text_op("1234/messages", "1"),
        op(
            "1234/messages",
            &[
                ("recipient", json!({"id": "2"})),
                ("sender_action", json!("typing_on")),
                ("message", json!({"text": "both"})),
            ]
        ),
        text_op("v26.0/me/messages", "3"),
        json!({"method": "GET", "relative_url": "1234/conversations"}),
        text_op("/777/messages", "5"),
    ]);
    let reply = env
        .post_form(
            "/v26.0/",
            &[("access_token", TOKEN), ("batch", &batch.to_string())],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let slots = slots(&reply);
    assert_eq!(slots.len(), 5);
    assert_eq!(slots[0].0, 200);
    assert_eq!(slots[0].1["recipient_id"], "1");
    assert!(is_message_id(
        slots[0].1["message_id"].as_str().unwrap_or_default()
    ));
    assert_eq!(slots[1].0, 400);
    assert_eq!(slots[1].1["error"]["code"], 100);
    assert_eq!(slots[1].1["error"]["error_subcode"], 2018014);
    assert!(slots[1].1["error"]["fbtrace_id"].is_string());
    assert_eq!(slots[2].0, 200);
    assert_eq!(slots[2].1["recipient_id"], "3");
    assert_eq!(slots[3].0, 404);
    assert!(
        slots[3].1["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("GET /1234/conversations")),
        "{}",
        slots[3].1
    );
    assert_eq!(slots[4].0, 200);

    // Usage for every page the batch touched.
    let buc = reply.header_json("x-business-use-case-usage");
    assert!(
        buc.get("1234").is_some() && buc.get("777").is_some(),
        "{buc}"
    );
    assert!(reply.headers.contains_key("x-app-usage"));

    let recorded = env.emu.requests();
    assert_eq!(recorded.len(), 3);
    assert!(recorded.iter().all(|r| r.batch));
    assert_eq!(recorded[0].path, "/1234/messages");
    assert_eq!(recorded[1].path, "/v26.0/me/messages");
    assert_eq!(recorded[2].page_id, "777");
}

#[tokio::test]
async fn json_batches_and_per_operation_tokens() {
    let env = start(config()).await;
    // No top-level token: each operation brings its own or gets 104.
    let batch = json!([
        text_op(&format!("1234/messages?access_token={TOKEN}"), "1"),
        text_op("1234/messages", "2"),
        op(
            "1234/messages",
            &[
                ("recipient", json!({"id": "3"})),
                ("messaging_type", json!("RESPONSE")),
                ("message", json!({"text": "hi"})),
                ("access_token", json!("WRONG")),
            ]
        ),
    ]);
    for path in ["/", "/v26.0"] {
        let reply = env.post_json(path, &json!({"batch": batch})).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let codes: Vec<(u64, u64)> = slots(&reply)
            .iter()
            .map(|(c, b)| (*c, b["error"]["code"].as_u64().unwrap_or(0)))
            .collect();
        assert_eq!(codes, vec![(200, 0), (400, 104), (400, 190)], "{path}");
    }
    // A top-level token serves the operations without one; the batch as a
    // JSON text works like the array.
    let reply = env
        .post_json(
            "/v26.0/",
            &json!({"access_token": TOKEN, "batch": batch.to_string()}),
        )
        .await;
    let codes: Vec<u64> = slots(&reply).iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, vec![200, 200, 400]);
}

// printf %s 'TEST_PAGE_TOKEN' | openssl dgst -sha256 -hmac 'TEST_APP_SECRET'
const PROOF: &str = "196a866b7a3f9cf5f8f29fcb36c3f651d9a203b52b92031656884d44c1bf1f6b";

#[tokio::test]
async fn appsecret_proof_at_the_top_or_per_operation() {
    let env = start(config().app_secret(SECRET)).await;
    let batch = json!([
        text_op("1234/messages", "1"),
        text_op(&format!("1234/messages?appsecret_proof={PROOF}"), "2"),
        text_op("1234/messages?appsecret_proof=00", "3"),
    ]);
    let reply = env
        .post_form(
            "/v26.0/",
            &[("access_token", TOKEN), ("batch", &batch.to_string())],
        )
        .await;
    let slots_without = slots(&reply);
    assert_eq!(slots_without[0].0, 400);
    assert!(
        slots_without[0].1["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("require an appsecret_proof")),
        "{}",
        slots_without[0].1
    );
    assert_eq!(slots_without[1].0, 200);
    assert_eq!(slots_without[2].0, 400);

    let reply = env
        .post_form(
            "/v26.0/",
            &[
                ("access_token", TOKEN),
                ("appsecret_proof", PROOF),
                ("batch", &batch.to_string()),
            ],
        )
        .await;
    let codes: Vec<u64> = slots(&reply).iter().map(|(c, _)| *c).collect();
    // The operation's own (wrong) proof wins over the top-level one.
    assert_eq!(codes, vec![200, 200, 400]);
}

#[tokio::test]
async fn at_most_fifty_operations() {
    let env = start(config()).await;
    let ops: Vec<Value> = (0..51)
        .map(|i| text_op("1234/messages", &i.to_string()))
        .collect();
    let reply = env
        .post_json("/v26.0/", &json!({"access_token": TOKEN, "batch": ops}))
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.code(), 100);
    assert_eq!(
        reply.message(),
        "(#100) Too many requests in batch message. Maximum batch size is 50"
    );
    assert!(env.emu.requests().is_empty());

    let reply = env
        .post_json(
            "/v26.0/",
            &json!({"access_token": TOKEN, "batch": ops[..50]}),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(slots(&reply).len(), 50);
    assert_eq!(env.emu.requests().len(), 50);

    // No batch at all, or not an array.
    for body in [
        json!({"access_token": TOKEN}),
        json!({"batch": {"a": 1}}),
        json!({"batch": "[1,"}),
    ] {
        let reply = env.post_json("/v26.0/", &body).await;
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(reply.code(), 100);
    }
}

#[tokio::test]
async fn operations_count_against_rate_classes() {
    let clock = ManualClock::new();
    let env = start(config().clock(clock)).await;
    let audio = op(
        "1234/messages",
        &[
            ("recipient", json!({"id": "1"})),
            ("messaging_type", json!("RESPONSE")),
            (
                "message",
                json!({"attachment": {"type": "video", "payload": {"url": "https://example.com/v.mp4"}}}),
            ),
        ],
    );
    let batch = Value::Array(vec![audio; 11]);
    let resp = env
        .http
        .post(env.url("/v26.0/"))
        .bearer_auth(TOKEN)
        .form(&[("batch", batch.to_string())])
        .send()
        .await
        .unwrap();
    let reply = read(resp).await;
    let slots = slots(&reply);
    assert!(slots[..10].iter().all(|(c, _)| *c == 200));
    assert_eq!(slots[10].0, 400);
    assert_eq!(slots[10].1["error"]["code"], 613);
    assert_eq!(reply.page_call_count("1234"), 100);
}

/// The limit is the snapshot's `batch_limit`, not a constant: a spec that
/// says 3 refuses a fourth operation, and a spec that states no limit
/// takes more than Graph's 50.
#[tokio::test]
async fn the_batch_limit_comes_from_the_spec() {
    let ops: Vec<Value> = (0..51)
        .map(|i| text_op("1234/messages", &i.to_string()))
        .collect();
    let three = sendapi_spec::V26_TOML.replace("batch_limit = 50", "batch_limit = 3");
    let spec = sendapi_spec::load_str("three.toml", &three).expect("the edited spec loads");
    let env = start(config().loaded_spec(spec)).await;
    let reply = env
        .post_json(
            "/v26.0/",
            &json!({"access_token": TOKEN, "batch": ops[..4]}),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.message(),
        "(#100) Too many requests in batch message. Maximum batch size is 3"
    );
    let reply = env
        .post_json(
            "/v26.0/",
            &json!({"access_token": TOKEN, "batch": ops[..3]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    let unlimited = sendapi_spec::V26_TOML.replace("batch_limit = 50\n", "");
    let spec = sendapi_spec::load_str("unlimited.toml", &unlimited).expect("the edited spec loads");
    let env = start(config().loaded_spec(spec)).await;
    let reply = env
        .post_json("/v26.0/", &json!({"access_token": TOKEN, "batch": ops}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(slots(&reply).len(), 51);
}
