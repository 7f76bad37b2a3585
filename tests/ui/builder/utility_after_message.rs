// Rule `request.utility.requires_template`: `.utility()` cannot send a text message; UTILITY sends an approved template.
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .text("Your order #5521 has shipped.")
        .utility()
        .build();
}
