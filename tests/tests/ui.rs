//! Compile-fail cases: the compile errors are sendapi's user interface, so
//! every `.stderr` file here is read as a user would read it. Regenerate
//! with `TRYBUILD=overwrite cargo test -p sendapi-tests --test ui` and review
//! the diff. The toolchain is pinned (rust-toolchain.toml) so the text is
//! stable.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/request/*.rs");
    t.compile_fail("ui/builder/*.rs");
    t.compile_fail("ui/derive/*.rs");
    t.compile_fail("ui/bindings/*.rs");
}
