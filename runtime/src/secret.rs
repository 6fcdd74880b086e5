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

#[cfg(test)]
mod tests {
    use super::*;

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
