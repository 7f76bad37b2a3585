//! Platforms, at run time and at the type level.

use std::fmt;

/// A platform the Send API serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    /// Messenger (Facebook Pages).
    Messenger,
    /// Instagram Messaging through the linked Page.
    Instagram,
}

impl Platform {
    /// The spelling used on the command line and in specs.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Messenger => "messenger",
            Platform::Instagram => "instagram",
        }
    }

    /// The name shown to people.
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Messenger => "Messenger",
            Platform::Instagram => "Instagram",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
