//! The rate-limit usage headers Graph sends with every answer.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `X-App-Usage`: percentages of the app's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct AppUsage {
    /// Calls, in percent of the limit.
    #[serde(default)]
    pub call_count: u32,
    /// CPU time, in percent.
    #[serde(default)]
    pub total_cputime: u32,
    /// Total time, in percent.
    #[serde(default)]
    pub total_time: u32,
}

/// One entry of `X-Business-Use-Case-Usage`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct BusinessUseCaseUsage {
    /// Use case type, e.g. `messenger`.
    #[serde(rename = "type", default)]
    pub use_case: String,
    /// Calls, in percent of the limit.
    #[serde(default)]
    pub call_count: u32,
    /// CPU time, in percent.
    #[serde(default)]
    pub total_cputime: u32,
    /// Total time, in percent.
    #[serde(default)]
    pub total_time: u32,
    /// Minutes until calls are accepted again, when throttled.
    #[serde(default)]
    pub estimated_time_to_regain_access: u32,
}

/// The usage headers of one answer, parsed. Headers that are absent or
/// malformed leave their part empty: they are advice, not data to fail on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Usage {
    /// `X-App-Usage`.
    pub app: Option<AppUsage>,
    /// `X-Business-Use-Case-Usage`, by object (page) id.
    pub business: BTreeMap<String, Vec<BusinessUseCaseUsage>>,
}

impl Usage {
    /// Parses header values: `X-App-Usage` and `X-Business-Use-Case-Usage`.
    pub fn from_values(app: Option<&str>, business: Option<&str>) -> Usage {
        Usage {
            app: app.and_then(|s| serde_json::from_str(s).ok()),
            business: business
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default(),
        }
    }

    /// Parses the headers of an answer.
    #[cfg(feature = "client")]
    #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Usage {
        let parse = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        Usage::from_values(parse("x-app-usage"), parse("x-business-use-case-usage"))
    }

    /// The highest percentage any limit has reached.
    pub fn highest(&self) -> u32 {
        let app = self
            .app
            .map_or(0, |a| a.call_count.max(a.total_cputime).max(a.total_time));
        let buc = self
            .business
            .values()
            .flatten()
            .map(|b| b.call_count.max(b.total_cputime).max(b.total_time))
            .max()
            .unwrap_or(0);
        app.max(buc)
    }

    /// Minutes Graph says to wait before calling again, if any.
    pub fn regain_access_minutes(&self) -> Option<u32> {
        self.business
            .values()
            .flatten()
            .map(|b| b.estimated_time_to_regain_access)
            .filter(|m| *m > 0)
            .max()
    }
}
