// `snapshot` names a bundled snapshot: v21.0, v26.0 or latest.
#[derive(sendapi::Message)]
#[sendapi(snapshot = "v27.0", messaging_type = "RESPONSE")]
struct Reply {
    #[sendapi(text)]
    text: String,
}

fn main() {}
