// bindings!: `module` names the module the macro is invoked in; here it names another one.
pub mod send_api {
    sendapi::bindings!(spec = "../../../../tests/fixtures/team-v26.0.toml", module = crate::messages);
}

pub mod messages {}

fn main() {}
