//! Platforms, at run time and at the type level.

pub use sendapi_core::Platform;

/// A platform as a type, so that a request carries the platform whose
/// rules apply to it.
pub trait PlatformMarker: 'static {
    /// The platform.
    const PLATFORM: Platform;
}

/// Messenger, as a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Messenger;

/// Instagram, as a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Instagram;

impl PlatformMarker for Messenger {
    const PLATFORM: Platform = Platform::Messenger;
}

impl PlatformMarker for Instagram {
    const PLATFORM: Platform = Platform::Instagram;
}
