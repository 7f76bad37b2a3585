//! Injected faults and graceful shutdown.

use std::time::Duration;

use serde_json::json;

use sendapi_emulator::{Faults, Status5xx};

use crate::common::{config, start, text_to};

#[tokio::test]
async fn status_5xx_with_and_without_a_graph_error() {
    let env = start(config()).await;
    let set = env
        .http
        .post(env.url("/__emulator/faults"))
        .json(&json!({"status_5xx": {"status": 503, "count": 2}}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status().as_u16(), 200);
    let shown = env.get("/__emulator/faults").await.json();
    assert_eq!(shown["status_5xx"]["count"], 2);

    for left in [1, 0] {
        let reply = env.send("/v26.0/1234/messages", text_to("1")).await;
        assert_eq!(reply.status, 503);
        // A proxy's page, not a Graph envelope.
        assert!(serde_json::from_str::<serde_json::Value>(&reply.text).is_err());
        let shown = env.get("/__emulator/faults").await.json();
        if left > 0 {
            assert_eq!(shown["status_5xx"]["count"], left);
        } else {
            assert!(shown["status_5xx"].is_null(), "{shown}");
        }
    }
    assert_eq!(
        env.send("/v26.0/1234/messages", text_to("1")).await.status,
        200
    );

    // 500 carries Graph's transient code 2 by default.
    env.emu.set_faults(Faults::none().fail_5xx(500, 1)).unwrap();
    let reply = env.send("/v26.0/1234/messages", text_to("1")).await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.code(), 2);
    assert_eq!(reply.json()["error"]["is_transient"], true);
    // 502 with an envelope, when asked.
    env.emu
        .set_faults(Faults::none().status_5xx(Status5xx::new(502, 1).graph_error(true)))
        .unwrap();
    let reply = env.send("/v26.0/1234/messages", text_to("1")).await;
    assert_eq!(reply.status, 502);
    assert_eq!(reply.code(), 2);
    // Faulted requests were not processed.
    assert_eq!(env.emu.requests().len(), 1);
}

#[tokio::test]
async fn dropped_connections_get_no_answer() {
    let env = start(config().faults(Faults::none().drop_connections(1))).await;
    let result = env
        .http
        .post(env.url("/v26.0/1234/messages"))
        .json(&text_to("1"))
        .send()
        .await;
    let err = result.expect_err("the connection is closed without an answer");
    assert!(!err.is_status() && !err.is_timeout(), "{err:?}");
    assert!(env.emu.requests().is_empty());
    assert_eq!(env.emu.faults().drop_connections, 0);
    // The next request is served.
    assert_eq!(
        env.send("/v26.0/1234/messages", text_to("1")).await.status,
        200
    );
}

#[tokio::test]
async fn rate_limited_faults_are_graphs_613_and_not_processed() {
    let env = start(config()).await;
    let set = env
        .http
        .post(env.url("/__emulator/faults"))
        .json(&json!({"rate_limited": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status().as_u16(), 200);
    for left in [1, 0] {
        let reply = env.send("/v26.0/1234/messages", text_to("1")).await;
        assert_eq!(reply.status, 400);
        assert_eq!(reply.code(), 613);
        assert_eq!(
            env.get("/__emulator/faults").await.json()["rate_limited"],
            left
        );
    }
    assert_eq!(
        env.send("/v26.0/1234/messages", text_to("1")).await.status,
        200
    );
    // Not processed: only the third is recorded; the two count as rate
    // limited, not as refused.
    assert_eq!(env.emu.requests().len(), 1);
    let stats = env.emu.stats();
    assert_eq!(
        (
            stats.requests,
            stats.accepted,
            stats.rate_limited,
            stats.refused
        ),
        (3, 1, 2, 0)
    );
}

#[tokio::test]
async fn malformed_bodies_are_200_and_not_json() {
    let env = start(config()).await;
    let set = env
        .http
        .post(env.url("/__emulator/faults"))
        .json(&json!({"malformed_bodies": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status().as_u16(), 200);
    let reply = env.send("/v26.0/1234/messages", text_to("1")).await;
    assert_eq!(reply.status, 200);
    assert!(
        serde_json::from_str::<serde_json::Value>(&reply.text).is_err(),
        "{}",
        reply.text
    );
    // The send itself went through: a client must not send it again.
    assert_eq!(env.emu.requests().len(), 1);
    let reply = env.send("/v26.0/1234/messages", text_to("1")).await;
    assert_eq!(reply.json()["recipient_id"], "1");
}

#[tokio::test]
async fn bad_fault_settings_are_refused() {
    let env = start(config()).await;
    for body in [
        json!({"status_5xx": {"status": 404, "count": 1}}),
        json!({"latency": 5}),
        json!({"drop_connections": -1}),
    ] {
        let resp = env
            .http
            .post(env.url("/__emulator/faults"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let reply = crate::common::read(resp).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        assert_eq!(reply.code(), 100);
    }
    assert!(env.emu.set_faults(Faults::none().fail_5xx(200, 1)).is_err());
    assert_eq!(env.emu.faults(), Faults::none());
    // `{}` clears.
    env.emu
        .set_faults(Faults::none().malformed_bodies(3))
        .unwrap();
    let resp = env
        .http
        .post(env.url("/__emulator/faults"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(env.emu.faults(), Faults::none());
}

#[tokio::test]
async fn latency_holds_requests_then_answers() {
    let env = start(config()).await;
    let set = env
        .http
        .post(env.url("/__emulator/faults"))
        .json(&json!({"latency_ms": 150}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status().as_u16(), 200);
    assert_eq!(
        env.get("/__emulator/faults").await.json()["latency_ms"],
        150
    );
    let body = {
        let mut b = text_to("1");
        b["access_token"] = json!(crate::common::TOKEN);
        b
    };
    let pending = tokio::spawn(env.http.post(env.url("/me/messages")).json(&body).send());
    let mut seen_waiting = false;
    for _ in 0..1000 {
        if env.emu.in_flight() == 1 {
            seen_waiting = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(seen_waiting, "the request was never held");
    let resp = pending.await.unwrap().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    // Latency stays until changed; control routes are never delayed.
    assert_eq!(env.emu.faults().latency_ms, 150);
    assert_eq!(env.emu.in_flight(), 0);
}

#[tokio::test]
async fn shutdown_lets_the_request_in_flight_finish() {
    let env = start(config()).await;
    // Long enough that the request is surely still waiting when shutdown
    // starts; nothing below measures time.
    env.emu
        .set_faults(Faults::none().latency(Duration::from_millis(400)))
        .unwrap();
    let addr = env.emu.local_addr();
    let request = env
        .http
        .post(env.url("/v26.0/1234/messages"))
        .json(&{
            let mut b = text_to("1");
            b["access_token"] = json!(crate::common::TOKEN);
            b
        })
        .send();
    let pending = tokio::spawn(request);
    // Wait until the emulator holds the request (bounded: 5 s at most).
    let mut waited = 0;
    while env.emu.in_flight() == 0 {
        assert!(waited < 1000, "the request never arrived");
        tokio::time::sleep(Duration::from_millis(5)).await;
        waited += 1;
    }
    env.emu.shutdown().await.expect("a clean shutdown");
    let resp = pending
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap()["recipient_id"],
        "1"
    );
    // The port no longer accepts connections.
    assert!(std::net::TcpStream::connect(addr).is_err());
}
