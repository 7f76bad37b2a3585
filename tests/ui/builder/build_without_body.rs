// `.build()` without a message or a sender action does not compile (rule request.message_xor_sender_action).
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder().to_id("6047783085279281").build();
}
