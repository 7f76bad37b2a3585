// Rule `request.tag.refused_since`: `.confirmed_event_update()` does not compile in latest (refused since 2026-04-27).
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .text("Reminder: your yoga class starts at 18:00 today.")
        .confirmed_event_update()
        .build();
}
