// The legacy tags (ISSUE_RESOLUTION, …) are retired and unsourced, so the builder has no method for them.
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .text("The double charge on your card was refunded.")
        .issue_resolution()
        .build();
}
