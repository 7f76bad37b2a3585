//! The few cases that must compile, in their own `TestCases` so that the
//! compile-fail suite stays a series of quick checks.

#[test]
fn ui_pass() {
    let t = trybuild::TestCases::new();
    t.pass("ui-pass/*.rs");
}
