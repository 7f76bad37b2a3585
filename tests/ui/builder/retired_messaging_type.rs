// NON_PROMOTIONAL_SUBSCRIPTION is a retired messaging type: its method does not compile and names the current ones.
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .text("Today's headlines")
        .non_promotional_subscription()
        .build();
}
