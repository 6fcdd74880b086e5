use crate::secret::Secret;

/// Where an API key travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// How a security scheme of the API document puts a credential on a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    /// `type: apiKey`: the credential is sent as-is in a header, query parameter or cookie.
    ApiKey {
        location: ApiKeyLocation,
        name: &'static str,
    },
    /// `type: http, scheme: bearer`, OAuth 2 and OpenID Connect: `Authorization: Bearer <token>`.
    Bearer,
    /// `type: http, scheme: basic`: `Authorization: Basic <base64(user:password)>`.
    Basic,
}

/// A security scheme declared by the API document, identified by its name there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecurityScheme {
    pub name: &'static str,
    pub kind: SchemeKind,
}

/// The credential configured for one security scheme.
#[derive(Clone, Debug)]
pub enum Credential {
    /// An API key or a bearer token.
    Token(Secret),
    /// A user name and password for HTTP basic authentication.
    Basic { username: String, password: Secret },
}

impl Credential {
    /// A token credential (API key, bearer token).
    pub fn token(value: impl Into<String>) -> Self {
        Credential::Token(Secret::new(value))
    }

    /// A basic-authentication credential.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credential::Basic {
            username: username.into(),
            password: Secret::new(password),
        }
    }
}

/// Picks the first alternative of an operation's security requirements whose schemes all have a
/// credential. `None` when no alternative can be met: the request then goes out without
/// credentials and the server decides (the `reqwest::Client` may carry them itself, as a cookie
/// store or default headers).
pub(crate) fn select<'c>(
    requirements: &[&[&str]],
    configured: &'c [(SecurityScheme, Credential)],
) -> Option<Vec<&'c (SecurityScheme, Credential)>> {
    requirements.iter().find_map(|alternative| {
        alternative
            .iter()
            .map(|name| configured.iter().find(|(scheme, _)| scheme.name == *name))
            .collect::<Option<Vec<_>>>()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: SecurityScheme = SecurityScheme {
        name: "key",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            name: "X-Key",
        },
    };
    const BEARER: SecurityScheme = SecurityScheme {
        name: "bearer",
        kind: SchemeKind::Bearer,
    };

    #[test]
    fn first_satisfiable_alternative_wins() {
        let configured = vec![(BEARER, Credential::token("t"))];
        let chosen = select(&[&["key"], &["bearer"]], &configured).unwrap();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].0.name, "bearer");

        let both = vec![
            (KEY, Credential::token("k")),
            (BEARER, Credential::token("t")),
        ];
        let chosen = select(&[&["key", "bearer"]], &both).unwrap();
        assert_eq!(chosen.len(), 2);
    }

    #[test]
    fn nothing_configured_means_no_credentials() {
        assert!(select(&[&["key"]], &[]).is_none());
        // An empty alternative (`{}`) is always satisfiable and applies nothing.
        assert_eq!(select(&[&["key"], &[]], &[]).unwrap().len(), 0);
    }
}
