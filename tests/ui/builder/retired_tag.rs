// The legacy tags (ISSUE_RESOLUTION, …) are retired: `.issue_resolution()` does not compile, and its error says why and what to use instead.
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .text("The double charge on your card was refunded.")
        .issue_resolution()
        .build();
}
