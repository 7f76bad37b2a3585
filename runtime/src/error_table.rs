//! The spec's error table, shared by every snapshot module.

pub use sendapi_core::RetryClass;

/// A Graph error code or code/subcode pair from a spec snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    /// Code.
    pub code: u32,
    /// Subcode; `None` for the code's general meaning.
    pub subcode: Option<u64>,
    /// Name, e.g. `OutsideWindow`.
    pub name: &'static str,
    /// What it means.
    pub doc: &'static str,
    /// Whether a send that got it may be retried.
    pub retry: RetryClass,
}

impl ErrorCode {
    /// The entry of `table` for `(code, subcode)`: the exact pair, else the
    /// code's general entry.
    pub fn find(
        table: &'static [ErrorCode],
        code: u32,
        subcode: Option<u64>,
    ) -> Option<&'static ErrorCode> {
        table
            .iter()
            .find(|e| e.code == code && e.subcode == subcode && subcode.is_some())
            .or_else(|| table.iter().find(|e| e.code == code && e.subcode.is_none()))
    }
}
