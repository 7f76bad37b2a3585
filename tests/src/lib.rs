//! Test-only crate; see `tests/`. `redis` starts a real redis-server for
//! the tests that share a rate budget through it.

pub mod redis;
