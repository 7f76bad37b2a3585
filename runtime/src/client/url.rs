//! Graph URLs; the Send API's is cached per Graph version.

use super::Client;
use crate::error::Error;

impl Client {
    /// `{base}/{version}/{rest}`.
    pub(super) fn url(&self, version: &str, rest: &str) -> Result<reqwest::Url, Error> {
        let url = format!("{}/{}/{}", self.inner.base, version, rest);
        // The base and the page id were checked when the client was built.
        reqwest::Url::parse(&url).map_err(|e| Error::Config(format!("`{url}` is not a URL: {e}")))
    }

    /// The Send API URL of a Graph version; parsing it on every send cost
    /// as much as the rest of the client's own work.
    pub(super) fn messages_url(&self, version: &'static str) -> Result<reqwest::Url, Error> {
        let cached = |urls: &[(&'static str, reqwest::Url)]| {
            urls.iter()
                .find(|(v, _)| *v == version)
                .map(|(_, u)| u.clone())
        };
        if let Some(u) = self
            .inner
            .messages_urls
            .read()
            .ok()
            .and_then(|u| cached(&u))
        {
            return Ok(u);
        }
        let url = self.url(version, &format!("{}/messages", self.inner.page_id))?;
        if let Ok(mut urls) = self.inner.messages_urls.write()
            && cached(&urls).is_none()
        {
            urls.push((version, url.clone()));
        }
        Ok(url)
    }

    /// The Send API URL of a Graph version known only at run time, not
    /// cached: `v` and `MAJOR.MINOR`, or a configuration error.
    pub(super) fn messages_url_of(&self, version: &str) -> Result<reqwest::Url, Error> {
        let well_formed = version
            .strip_prefix('v')
            .and_then(|v| v.split_once('.'))
            .is_some_and(|(major, minor)| {
                !major.is_empty()
                    && !minor.is_empty()
                    && major
                        .bytes()
                        .chain(minor.bytes())
                        .all(|b| b.is_ascii_digit())
            });
        if !well_formed {
            return Err(Error::Config(format!(
                "`{version}` is not a Graph version; expected `v` and MAJOR.MINOR, like v26.0"
            )));
        }
        self.url(version, &format!("{}/messages", self.inner.page_id))
    }

    /// The Attachment Upload API URL.
    pub(super) fn attachments_url(&self) -> Result<reqwest::Url, Error> {
        self.url(
            crate::latest::GRAPH_VERSION,
            &format!("{}/message_attachments", self.inner.page_id),
        )
    }
}
