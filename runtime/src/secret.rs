//! [`Secret`]: a sensitive string held by `secrecy` (zeroized on drop, redacted in `Debug`), for
//! credentials and `format: password` values.

use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// A credential or other sensitive value, held by [`secrecy::SecretString`]: wiped from memory
/// when dropped and shown as `[REDACTED]` by `Debug`. Serializing it sends the value (a password
/// in a request body has to be sent); nothing else shows it.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a sensitive value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    /// The value itself, for the one place that has to send it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(")?;
        fmt::Debug::fmt(&self.0, f)?;
        f.write_str(")")
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

/// Sent as the plain string it holds: only `Debug` hides it.
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

/// What a URL looks like in a message: no password, and `[REDACTED]` for the value of every
/// query parameter that carries a credential, by its name (`query_names`) or by its value
/// (`secrets`, should a server have copied a key into a link).
pub(crate) fn redact_url(url: &reqwest::Url, query_names: &[&str], secrets: &[&str]) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some("[REDACTED]"));
    }
    let hides = |name: &str, value: &str| {
        query_names.contains(&name) || secrets.iter().any(|s| !s.is_empty() && value.contains(s))
    };
    let Some(query) = url.query() else {
        return shown.to_string();
    };
    // Each `name=value` of the query as it was written, or with its value hidden.
    let segments: Vec<String> = query
        .split('&')
        .map(|segment| {
            let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
            let decode = |text: &str| {
                let spaced = text.replace('+', " ");
                percent_encoding::percent_decode_str(&spaced)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            if hides(&decode(name), &decode(value)) {
                format!("{name}=[REDACTED]")
            } else {
                segment.to_owned()
            }
        })
        .collect();
    shown.set_query(None);
    let fragment = shown.fragment().map(str::to_owned);
    shown.set_fragment(None);
    let mut text = shown.to_string();
    text.push('?');
    text.push_str(&segments.join("&"));
    if let Some(fragment) = fragment {
        text.push('#');
        text.push_str(&fragment);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_messages_hide_credentials() {
        let url = reqwest::Url::parse(
            "https://ops:pw@api.example.com/runs?api_key=k-123&page=2&copy=xx-k-123-yy",
        )
        .unwrap();
        let shown = redact_url(&url, &["api_key"], &["k-123"]);
        assert!(!shown.contains("k-123"), "{shown}");
        assert!(!shown.contains("pw"), "{shown}");
        assert!(shown.contains("page=2"), "{shown}");
        assert!(
            shown.contains("?api_key=[REDACTED]&page=2&copy=[REDACTED]"),
            "{shown}"
        );
        // Nothing to hide: the URL as it was.
        let plain = reqwest::Url::parse("https://api.example.com/runs?page=2").unwrap();
        assert_eq!(redact_url(&plain, &["api_key"], &["k-123"]), plain.as_str());
    }

    #[test]
    fn debug_hides_the_value() {
        let secret = Secret::new("sk-live-123");
        let debug = format!("{secret:?}");
        assert!(!debug.contains("sk-live-123"), "{debug}");
        assert!(debug.contains("REDACTED"), "{debug}");
        assert_eq!(secret.expose(), "sk-live-123");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"sk-live-123\"");
        let back: Secret = serde_json::from_str("\"sk-live-123\"").unwrap();
        assert_eq!(back, secret);
    }
}
