// Rule `request.tag.refused_since`: Meta refuses ACCOUNT_UPDATE on every Graph version since 2026-04-27, so v21.0's builder has no way to send it either.
use sendapi::v21::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .text("A new device signed in.")
        .account_update()
        .build();
}
