// bindings!: a spec path that does not exist is an error on the path literal.
pub mod send_api {
    sendapi::bindings!(spec = "../../../../tests/fixtures/send-api-v26.toml", module = crate::send_api);
}

fn main() {}
