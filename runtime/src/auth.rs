//! Security schemes and credentials: which credentials a request needs, and where each goes.

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

/// Where the credentials chosen for a request go on it. Borrowed from the client's settings: a
/// request copies nothing until it is built.
#[derive(Default)]
pub(crate) struct Placed<'c> {
    /// API keys sent as query parameters: name and value.
    pub query: Vec<(&'static str, &'c str)>,
    /// API keys sent as headers: name and value.
    pub headers: Vec<(&'static str, &'c str)>,
    /// API keys sent as cookies: name and value, encoded for the `Cookie` header.
    pub cookies: Vec<(&'static str, String)>,
    pub bearer: Option<&'c Secret>,
    pub basic: Option<(&'c str, &'c Secret)>,
}

impl Placed<'_> {
    /// The names of the query parameters that hold a credential.
    pub(crate) fn is_credential_parameter(&self, name: &str) -> bool {
        self.query.iter().any(|(n, _)| *n == name)
    }
}

/// The credentials for a request whose operation requires `requirements`, placed where their
/// schemes say; an error names a scheme given a credential of the wrong kind.
pub(crate) fn place<'c>(
    requirements: &[&[&str]],
    configured: &'c [(SecurityScheme, Credential)],
) -> Result<Placed<'c>, String> {
    let mut placed = Placed::default();
    for (scheme, credential) in select(requirements, configured).unwrap_or_default() {
        match (scheme.kind, credential) {
            (SchemeKind::ApiKey { location, name }, Credential::Token(token)) => match location {
                ApiKeyLocation::Header => placed.headers.push((name, token.expose())),
                ApiKeyLocation::Query => placed.query.push((name, token.expose())),
                ApiKeyLocation::Cookie => placed
                    .cookies
                    .push((name, crate::encode::cookie_credential(token.expose()))),
            },
            (SchemeKind::Bearer, Credential::Token(token)) => placed.bearer = Some(token),
            (SchemeKind::Basic, Credential::Basic { username, password }) => {
                placed.basic = Some((username, password))
            }
            (_, _) => {
                return Err(format!(
                    "the credential given for security scheme `{}` is of the wrong kind",
                    scheme.name
                ));
            }
        }
    }
    Ok(placed)
}

/// Every secret value among the configured credentials, and the names of the query parameters
/// API keys travel in: what a URL shown in a message must not reveal.
pub(crate) fn secrets(configured: &[(SecurityScheme, Credential)]) -> (Vec<&str>, Vec<&str>) {
    let mut values = Vec::new();
    let mut query_names = Vec::new();
    for (scheme, credential) in configured {
        if let SchemeKind::ApiKey {
            location: ApiKeyLocation::Query,
            name,
        } = scheme.kind
        {
            query_names.push(name);
        }
        match credential {
            Credential::Token(token) => values.push(token.expose()),
            Credential::Basic { password, .. } => values.push(password.expose()),
        }
    }
    (values, query_names)
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
