use crate::auth::{self, ApiKeyLocation, Credential, SchemeKind, SecurityScheme};
use crate::encode;
use crate::error::Error;
use crate::request::{Body, Request};
use crate::response::Response;
use reqwest::Url;
use reqwest::header::{self, HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Time allowed for a whole request unless the builder says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed to open a connection unless the builder says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends requests for one generated client: base URL, HTTP client and credentials.
/// Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    /// `Err` holds why the default HTTP client could not be built; every request reports it.
    http: Result<reqwest::Client, String>,
    base_url: String,
    credentials: Vec<(SecurityScheme, Credential)>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<&str> = self.inner.credentials.iter().map(|(s, _)| s.name).collect();
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url)
            .field("credentials_for", &schemes)
            .finish_non_exhaustive()
    }
}

fn default_http(
    timeout: Duration,
    user_agent: Option<&str>,
) -> Result<reqwest::Client, reqwest::Error> {
    let mut builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT);
    if let Some(agent) = user_agent {
        builder = builder.user_agent(agent);
    }
    builder.build()
}

impl Transport {
    /// A transport with the default HTTP client, no credentials and `base_url` as given.
    /// An unusable base URL is reported by the first request.
    pub fn new(base_url: &str, user_agent: &str) -> Self {
        let http = default_http(DEFAULT_TIMEOUT, Some(user_agent)).map_err(|e| e.to_string());
        Transport {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.trim_end_matches('/').to_owned(),
                credentials: Vec::new(),
            }),
        }
    }

    /// Starts a builder.
    pub fn builder(user_agent: &str) -> TransportBuilder {
        TransportBuilder {
            base_url: None,
            http: None,
            credentials: Vec::new(),
            timeout: None,
            user_agent: user_agent.to_owned(),
        }
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends the request and reads the whole response. Statuses are not judged here: the
    /// generated code knows which ones its operation documents.
    pub async fn send<E>(&self, request: Request) -> Result<Response, Error<E>> {
        let method = request.method.clone();
        let path = request.path.clone();
        let http = self.inner.http.as_ref().map_err(|e| {
            Error::InvalidRequest(format!("the HTTP client could not be built: {e}"))
        })?;
        let builder = self.prepare(http, request)?;
        let transport_error = |source: reqwest::Error| Error::Transport {
            method: method.clone(),
            path: path.clone(),
            source: source.without_url(),
        };
        let response = builder.send().await.map_err(transport_error)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport_error)?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    fn prepare<E>(
        &self,
        http: &reqwest::Client,
        request: Request,
    ) -> Result<reqwest::RequestBuilder, Error<E>> {
        if let Some(problem) = request.problem {
            return Err(Error::InvalidRequest(problem));
        }
        let mut url =
            Url::parse(&format!("{}{}", self.inner.base_url, request.path)).map_err(|e| {
                Error::InvalidRequest(format!(
                    "base URL {:?} with path {:?} is not a URL: {e}",
                    self.inner.base_url, request.template
                ))
            })?;
        let chosen = auth::select(request.security, &self.inner.credentials).unwrap_or_default();

        let mut query = request.query;
        let mut cookies = request.cookies;
        let mut secret_headers: Vec<(&str, &str)> = Vec::new();
        let mut bearer = None;
        let mut basic = None;
        for (scheme, credential) in chosen {
            match (scheme.kind, credential) {
                (SchemeKind::ApiKey { location, name }, Credential::Token(token)) => {
                    match location {
                        ApiKeyLocation::Header => secret_headers.push((name, token.expose())),
                        ApiKeyLocation::Query => {
                            query.push((name.to_owned(), token.expose().to_owned()))
                        }
                        ApiKeyLocation::Cookie => cookies
                            .push((name.to_owned(), encode::cookie_credential(token.expose()))),
                    }
                }
                (SchemeKind::Bearer, Credential::Token(token)) => bearer = Some(token),
                (SchemeKind::Basic, Credential::Basic { username, password }) => {
                    basic = Some((username, password))
                }
                (_, _) => {
                    return Err(Error::InvalidRequest(format!(
                        "the credential given for security scheme `{}` is of the wrong kind",
                        scheme.name
                    )));
                }
            }
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter());
        }

        let mut builder = http.request(request.method, url);
        for (name, value) in &request.headers {
            builder = builder.header(header_name(name)?, header_value(name, value, false)?);
        }
        for (name, value) in secret_headers {
            builder = builder.header(header_name(name)?, header_value(name, value, true)?);
        }
        if let Some(token) = bearer {
            let value = header_value("Authorization", &format!("Bearer {}", token.expose()), true)?;
            builder = builder.header(header::AUTHORIZATION, value);
        }
        if let Some((username, password)) = basic {
            builder = builder.basic_auth(username, Some(password.expose()));
        }
        if !cookies.is_empty() {
            let line: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            builder = builder.header(
                header::COOKIE,
                header_value("Cookie", &line.join("; "), true)?,
            );
        }
        if let Some(accept) = request.accept {
            builder = builder.header(header::ACCEPT, HeaderValue::from_static(accept));
        }
        builder = match request.body {
            None => builder,
            Some(Body::Json(bytes)) => builder
                .header(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )
                .body(bytes),
            Some(Body::Form(text)) => builder
                .header(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                )
                .body(text),
            Some(Body::Bytes { content_type, data }) => builder
                .header(
                    header::CONTENT_TYPE,
                    header_value("Content-Type", &content_type, false)?,
                )
                .body(data),
            Some(Body::Text { content_type, text }) => builder
                .header(
                    header::CONTENT_TYPE,
                    header_value("Content-Type", &content_type, false)?,
                )
                .body(text),
            Some(Body::Multipart(form)) => {
                builder.multipart(form.into_form().map_err(Error::InvalidRequest)?)
            }
        };
        Ok(builder)
    }
}

fn header_name<E>(name: &str) -> Result<HeaderName, Error<E>> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidRequest(format!("{name:?} is not a valid header name")))
}

fn header_value<E>(name: &str, value: &str, sensitive: bool) -> Result<HeaderValue, Error<E>> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        // The value itself is not quoted: it may be a credential.
        Error::InvalidRequest(format!(
            "the value for header `{name}` is not a valid header value"
        ))
    })?;
    header.set_sensitive(sensitive);
    Ok(header)
}

/// Configures a [`Transport`].
pub struct TransportBuilder {
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    credentials: Vec<(SecurityScheme, Credential)>,
    timeout: Option<Duration>,
    user_agent: String,
}

impl fmt::Debug for TransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<&str> = self.credentials.iter().map(|(s, _)| s.name).collect();
        f.debug_struct("TransportBuilder")
            .field("base_url", &self.base_url)
            .field("credentials_for", &schemes)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl TransportBuilder {
    /// The base URL; without it, `build` uses the API document's default.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Your own `reqwest::Client` (proxies, TLS, cookie store, middleware-free tuning). Its own
    /// timeouts and user agent then apply, not the builder's.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Time allowed for a whole request with the default HTTP client (60 s unless set).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The credential for one security scheme; a second call for the same scheme replaces it.
    pub fn credential(mut self, scheme: SecurityScheme, credential: Credential) -> Self {
        self.credentials.retain(|(s, _)| s.name != scheme.name);
        self.credentials.push((scheme, credential));
        self
    }

    /// Builds the transport. `default_base_url` is the API document's first server, if it
    /// names an absolute URL.
    pub fn build<E>(self, default_base_url: Option<&str>) -> Result<Transport, Error<E>> {
        let base_url = match (self.base_url, default_base_url) {
            (Some(url), _) => url,
            (None, Some(url)) => url.to_owned(),
            (None, None) => {
                return Err(Error::InvalidRequest(
                    "no base URL: the API document names no absolute server, set one with `base_url`"
                        .to_owned(),
                ));
            }
        };
        match Url::parse(&base_url) {
            Ok(url) if url.scheme() == "http" || url.scheme() == "https" => {}
            Ok(url) => {
                return Err(Error::InvalidRequest(format!(
                    "base URL {base_url:?} has scheme {:?}; expected http or https",
                    url.scheme()
                )));
            }
            Err(e) => {
                return Err(Error::InvalidRequest(format!(
                    "base URL {base_url:?} is not a URL: {e}"
                )));
            }
        }
        let http = match self.http {
            Some(client) => client,
            None => default_http(
                self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                Some(&self.user_agent),
            )
            .map_err(|e| {
                Error::InvalidRequest(format!("the HTTP client could not be built: {e}"))
            })?,
        };
        Ok(Transport {
            inner: Arc::new(Inner {
                http: Ok(http),
                base_url: base_url.trim_end_matches('/').to_owned(),
                credentials: self.credentials,
            }),
        })
    }
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

    #[test]
    fn debug_output_never_shows_credentials() {
        let transport = Transport::builder("test/1")
            .base_url("https://example.com/api/")
            .credential(KEY, Credential::token("super-secret-key"))
            .build::<()>(None)
            .unwrap();
        let debug = format!("{transport:?}");
        assert!(!debug.contains("super-secret-key"), "{debug}");
        assert!(debug.contains("\"key\""), "{debug}");
        assert_eq!(transport.base_url(), "https://example.com/api");
    }

    #[test]
    fn base_urls_are_checked() {
        let err = Transport::builder("t")
            .base_url("ftp://x")
            .build::<()>(None)
            .unwrap_err();
        assert!(err.to_string().contains("expected http or https"), "{err}");
        let err = Transport::builder("t").build::<()>(None).unwrap_err();
        assert!(err.to_string().contains("no base URL"), "{err}");
        let err = Transport::builder("t")
            .base_url("not a url")
            .build::<()>(None)
            .unwrap_err();
        assert!(err.to_string().contains("is not a URL"), "{err}");
    }
}
