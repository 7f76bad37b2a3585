// Rule `request.tag.platform`: in v21.0, CONFIRMED_EVENT_UPDATE exists on Messenger only, not on Instagram.
use sendapi::v21::Request;

fn main() {
    let _ = Request::builder()
        .instagram()
        .to_id("17841400123456789")
        .text("Your workshop moved to room B.")
        .confirmed_event_update()
        .build();
}
