// request! grammar: the macro needs a body.
fn main() {
    let _ = sendapi::latest::request!();
}
