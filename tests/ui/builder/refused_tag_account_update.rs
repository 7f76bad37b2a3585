// Rule `request.tag.refused_since`: `.account_update()` does not compile in latest (ACCOUNT_UPDATE refused since 2026-04-27).
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .text("A new device signed in to your account.")
        .account_update()
        .build();
}
