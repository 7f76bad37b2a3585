// Rule `recipient.post_id.platform`: Instagram has no private replies to a post; `.to_post_id(…)` does not compile there.
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .instagram()
        .to_post_id("17895695668004550")
        .text("Thanks for your comment! It comes in navy too.")
        .response()
        .build();
}
