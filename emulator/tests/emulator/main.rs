//! The emulator over real HTTP on 127.0.0.1: every route, encoding, check,
//! answer shape, rate class, batch, fault and shutdown; webhooks, stats and
//! the messaging window. One test binary, so
//! that the HTTP stack is linked once.

mod common;

mod answers;
mod batch;
mod faults;
mod rate;
mod send;
mod upload;
mod webhooks;
mod window;
