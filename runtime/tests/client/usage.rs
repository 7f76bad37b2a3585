//! The usage headers (`X-Business-Use-Case-Usage`, `X-App-Usage`) the
//! emulator sends, as `Response::usage` and `GraphError::usage` show them.

use sendapi::latest as api;
use sendapi::{AppUsage, Unchecked};
use sendapi_emulator::ManualClock;
use sendapi_spec::Platform;
use serde_json::json;

use crate::common::{PAGE, PSID, client, config, graph, start};

fn audio() -> api::Request<sendapi::Messenger, api::form::Id, api::kind::Message> {
    api::Request::builder()
        .to_id(PSID)
        .message(api::Message::attachment(api::Attachment::video(
            api::MediaPayload::url("https://cdn.example.org/clip.mp4"),
        )))
        .response()
        .build()
}

#[tokio::test]
async fn responses_carry_the_parsed_usage_headers() {
    // The clock stands still, so every call stays in the window.
    let emu = start(config().clock(ManualClock::new())).await;
    let client = client(&emu);
    for n in 1..=3u32 {
        let sent = client.send(&audio()).await.expect("accepted");
        let usage = &sent.usage;
        let page = &usage.business[PAGE];
        assert_eq!(page.len(), 1, "{usage:?}");
        // 10 calls per second in the audio_video class: 10% each.
        assert_eq!(page[0].use_case, "messenger");
        assert_eq!(page[0].call_count, 10 * n);
        assert_eq!(page[0].total_cputime, 10 * n);
        assert_eq!(page[0].total_time, 10 * n);
        assert_eq!(page[0].estimated_time_to_regain_access, 0);
        let app = usage.app.expect("X-App-Usage");
        assert_eq!(
            (app.call_count, app.total_cputime, app.total_time),
            (10 * n, 10 * n, 10 * n)
        );
        assert_eq!(usage.highest(), 10 * n);
        assert_eq!(usage.regain_access_minutes(), None);
    }
    // A text counts in its own class: 1 of 300 rounds up to 1%.
    let text = api::Request::builder()
        .to_id(PSID)
        .text("hi")
        .response()
        .build();
    let sent = client.send(&text).await.expect("accepted");
    assert_eq!(sent.usage.business[PAGE][0].call_count, 1);
    assert_eq!(sent.usage.app.map(|a: AppUsage| a.call_count), Some(1));
}

#[tokio::test]
async fn graph_errors_carry_the_usage_headers_too() {
    let emu = start(config().clock(ManualClock::new())).await;
    let client = client(&emu);
    client.send(&audio()).await.expect("accepted");
    // Refused by the emulator: the page's usage of the class, uncounted.
    let refused = Unchecked::new(json!({
        "recipient": {"id": PSID},
        "messaging_type": "RESPONSE",
        "message": {"attachment": {"type": "video", "payload": {}}},
    }));
    let err = client.send(&refused).await.expect_err("no media source");
    let g = graph(&err);
    assert_eq!(g.code, 100);
    assert_eq!(g.usage.business[PAGE][0].call_count, 10, "{:?}", g.usage);
    assert_eq!(g.usage.highest(), 10);
}

#[tokio::test]
async fn instagram_usage_names_its_use_case() {
    let emu = start(config().platform(Platform::Instagram)).await;
    let client = client(&emu);
    let request = api::Request::builder()
        .to_id("17841400000000000")
        .text("hi")
        .response()
        .build()
        .on::<sendapi::Instagram>();
    let sent = client.send(&request).await.expect("accepted");
    assert_eq!(sent.usage.business[PAGE][0].use_case, "instagram");
}
