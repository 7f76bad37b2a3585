// Rule `request.sender_action.forbids_messaging_type`: a sender action takes no messaging type.
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .typing_on()
        .response()
        .build();
}
