// Rule `request.utility.requires_template`: a UTILITY message sends an approved template, not text.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "UTILITY",
        "message": { "text": "Your order #5521 has shipped." },
    });
}
