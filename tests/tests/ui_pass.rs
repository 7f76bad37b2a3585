//! The few cases that must compile, in their own `TestCases` so that the
//! compile-fail suite stays a series of quick checks. Pass cases have no
//! expected output, so there is nothing here for `SENDAPI_BLESS` to
//! re-bless.

#[test]
fn ui_pass() {
    let t = trybuild::TestCases::new();
    t.pass("ui-pass/*.rs");
}
