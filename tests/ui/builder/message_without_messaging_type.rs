// A message built without a messaging type does not compile: sendapi always sends `messaging_type`.
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .text("We received your return.")
        .build();
}
