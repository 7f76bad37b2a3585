//! Compile-fail cases: the compile errors are sendapi's user interface, so
//! every `.stderr` file here is read as a user would read it. Regenerate
//! with `SENDAPI_BLESS=1 cargo test -p sendapi-tests --test ui` (the
//! workspace's one re-bless variable) and review the diff. The toolchain is
//! pinned (rust-toolchain.toml) so the text is stable.

use std::process::Command;

#[test]
fn ui() {
    if bless_through_trybuild("ui") {
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/request/*.rs");
    t.compile_fail("ui/builder/*.rs");
    t.compile_fail("ui/derive/*.rs");
    t.compile_fail("ui/bindings/*.rs");
}

/// trybuild re-blesses under its own `TRYBUILD=overwrite`, which it reads
/// from the environment, and setting a variable in-process is `unsafe`.
/// So with `SENDAPI_BLESS` set and `TRYBUILD` not, this runs the test
/// `name` of this binary again with `TRYBUILD=overwrite` and returns
/// whether it did (asserting that the run succeeded).
fn bless_through_trybuild(name: &str) -> bool {
    if std::env::var_os("SENDAPI_BLESS").is_none() || std::env::var_os("TRYBUILD").is_some() {
        return false;
    }
    let binary = std::env::current_exe().expect("the test binary knows its path");
    let status = Command::new(binary)
        .args([name, "--exact", "--nocapture"])
        .env("TRYBUILD", "overwrite")
        .status()
        .expect("the test binary runs again");
    assert!(
        status.success(),
        "`{name}` with TRYBUILD=overwrite failed: {status}"
    );
    true
}
