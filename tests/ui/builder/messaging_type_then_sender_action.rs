// Rule `request.sender_action.forbids_messaging_type`: once a messaging type is chosen, the request sends a message, not a sender action.
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .response()
        .typing_on()
        .build();
}
