// bindings!: a spec that fails the lint is an error on the path literal, with the file, line and column.
pub mod send_api {
    sendapi::bindings!(spec = "../../../../tests/fixtures/lint-error.toml", module = crate::send_api);
}

fn main() {}
