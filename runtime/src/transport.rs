//! Sending a request: the attempt loop. It orchestrates the modules that each own one concern:
//! credentials (`auth`), redirects and where credentials may go (`redirect`), bounded bodies
//! (`limits`), retry decisions (`retry`), time (`clock`); each attempt within its timeout and the
//! call within its deadline, traced without secrets.

use crate::auth::{self, Credential, Placed, SecurityScheme};
use crate::clock::{Clock, TokioClock};
use crate::error::Error;
use crate::limits::{self, DEFAULT_MAX_BODY_SIZE, ReadFailure};
use crate::options::{CallOptions, IDEMPOTENCY_KEY};
use crate::redirect::{self, Hop, RedirectProblem};
use crate::request::{Body, Request};
use crate::response::{Response, ResponseMeta};
use crate::retry::{
    Attempts, FailedAttempt, Failure, RetryBudget, RetryPolicy, decide, is_idempotent,
    requested_delay_at, seconds,
};
use crate::stream::{
    DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_EVENT_SIZE, EventStream, StreamLimits, StreamSpec,
};
use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// Time allowed for one attempt unless the builder or the call says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed for a whole call, retries and waits included, unless said otherwise.
pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(300);
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
    /// `base_url` parsed once, when paths can be joined to it without parsing it again.
    base: Option<Url>,
    /// `base_url` parsed, whatever its form: the origin credentials belong to.
    origin: Option<Url>,
    credentials: Vec<(SecurityScheme, Credential)>,
    /// Hosts besides the base URL's that may receive the credentials.
    trusted_hosts: Vec<String>,
    /// The largest body a call reads unless it says otherwise.
    max_body_size: u64,
    policy: RetryPolicy,
    budget: RetryBudget,
    timeout: Duration,
    total_timeout: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<&str> = self.inner.credentials.iter().map(|(s, _)| s.name).collect();
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url)
            .field("credentials_for", &schemes)
            .field("trusted_hosts", &self.inner.trusted_hosts)
            .finish_non_exhaustive()
    }
}

fn default_http(
    connect_timeout: Duration,
    user_agent: Option<&str>,
) -> Result<reqwest::Client, reqwest::Error> {
    // The runtime follows redirects itself (see `redirect`): the client must not, nor add a
    // `Referer` that could carry a URL's query to another host.
    let mut builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .referer(false);
    if let Some(agent) = user_agent {
        builder = builder.user_agent(agent);
    }
    builder.build()
}

impl Transport {
    /// A transport with the default HTTP client, no credentials and `base_url` as given.
    /// An unusable base URL is reported by the first request.
    pub fn new(base_url: &str, user_agent: &str) -> Self {
        let http =
            default_http(DEFAULT_CONNECT_TIMEOUT, Some(user_agent)).map_err(|e| e.to_string());
        let base_url = base_url.trim_end_matches('/').to_owned();
        Transport {
            inner: Arc::new(Inner {
                http,
                base: parsed_base(&base_url),
                origin: Url::parse(&base_url).ok(),
                base_url,
                credentials: Vec::new(),
                trusted_hosts: Vec::new(),
                max_body_size: DEFAULT_MAX_BODY_SIZE,
                policy: RetryPolicy::default(),
                budget: RetryBudget::default(),
                timeout: DEFAULT_TIMEOUT,
                total_timeout: DEFAULT_TOTAL_TIMEOUT,
                clock: Arc::new(TokioClock),
            }),
        }
    }

    /// Starts a builder.
    pub fn builder(user_agent: &str) -> TransportBuilder {
        TransportBuilder {
            base_url: None,
            http: None,
            credentials: Vec::new(),
            trusted_hosts: Vec::new(),
            max_body_size: None,
            timeout: None,
            connect_timeout: None,
            total_timeout: None,
            policy: None,
            budget: None,
            clock: None,
            user_agent: user_agent.to_owned(),
        }
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The clock retries and polls wait on.
    pub fn clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.inner.clock)
    }

    /// The retry budget shared by every clone of the client.
    pub fn retry_budget(&self) -> &RetryBudget {
        &self.inner.budget
    }

    /// Sends the request and reads the whole response, retrying as the policy allows. Statuses
    /// are not judged here, beyond whether a retry may help: the generated code knows which
    /// ones its operation documents. The final response carries the attempts it took.
    pub async fn send<E>(
        &self,
        request: Request,
        options: &CallOptions,
    ) -> Result<Response, Error<E>> {
        let span = tracing::info_span!(
            "apigen.call",
            method = %request.method,
            path = request.template,
        );
        match self
            .attempts(&request, options, false)
            .instrument(span)
            .await?
        {
            Outcome::Read(response) => Ok(response),
            // Only asked for by `open`.
            Outcome::Open(..) => Err(Error::InvalidRequest(
                "a stream was opened where a body was expected".to_owned(),
            )),
        }
    }

    /// Opens a stream: the request is sent and retried like any other until a response comes
    /// whose status is a success; that response's body is then read as `spec` says, as it
    /// arrives, by the stream returned. Any other status is read whole and returned as
    /// `Ok(Err(response))`, for the generated code to judge. The stream's span (`apigen.stream`)
    /// lasts as long as the stream.
    pub async fn open<T, E>(
        &self,
        request: Request,
        options: &CallOptions,
        spec: StreamSpec<T>,
    ) -> Result<Result<EventStream<T, E>, Response>, Error<E>> {
        let span = tracing::info_span!(
            "apigen.stream",
            method = %request.method,
            path = request.template,
        );
        let outcome = self
            .attempts(&request, options, true)
            .instrument(span.clone())
            .await?;
        match outcome {
            Outcome::Read(response) => Ok(Err(response)),
            Outcome::Open(response, attempts) => {
                let meta = ResponseMeta {
                    status: response.status(),
                    headers: response.headers().clone(),
                    attempts: attempts.count(),
                    url: Some(response.url().clone()),
                };
                let limits = StreamLimits {
                    max_event_size: options.max_event_size.unwrap_or(DEFAULT_MAX_EVENT_SIZE),
                    idle_timeout: options.idle_timeout.unwrap_or(DEFAULT_IDLE_TIMEOUT),
                };
                Ok(Ok(EventStream::new(
                    response,
                    meta,
                    spec,
                    self.clock(),
                    limits,
                    request.method,
                    request.template,
                    span,
                )))
            }
        }
    }

    /// The attempt loop. With `open`, a success's body is left unread, for a stream.
    async fn attempts<E>(
        &self,
        request: &Request,
        options: &CallOptions,
        open: bool,
    ) -> Result<Outcome, Error<E>> {
        let http = self.inner.http.as_ref().map_err(|e| {
            Error::InvalidRequest(format!("the HTTP client could not be built: {e}"))
        })?;
        let inner = &self.inner;
        let policy = options.retry.as_ref().unwrap_or(&inner.policy);
        let timeout = options.timeout.unwrap_or(inner.timeout);
        let total_timeout = options.total_timeout.unwrap_or(inner.total_timeout);
        let deadline = inner.clock.now() + total_timeout;
        let may_repeat = is_idempotent(&request.method)
            || options.idempotency_key.is_some()
            || policy.retry_non_idempotent;
        let method = &request.method;
        let template = request.template;
        let mut attempts = Attempts::default();
        let mut spent = 0;
        // What every attempt shares: the URL, the credentials and where they go, the limit.
        if let Some(problem) = &request.problem {
            return Err(Error::InvalidRequest(problem.clone()));
        }
        let target = self.target(request)?;
        let placed =
            auth::place(request.security, &inner.credentials).map_err(Error::InvalidRequest)?;
        let max_body = options.max_body_size.unwrap_or(inner.max_body_size);
        loop {
            let attempt = attempts.count();
            // The first attempt starts with the call: all of its time remains.
            let remaining = if attempt == 1 {
                total_timeout
            } else {
                deadline.saturating_duration_since(inner.clock.now())
            };
            let limit = timeout.min(remaining);
            // One reading of the time for the attempt's timer and for the elapsed time traced
            // (computed only when the event is enabled). A limit too far to be represented is
            // never reached, as with `tokio::time::timeout`.
            let started = tokio::time::Instant::now();
            let ends = started
                .checked_add(limit)
                .unwrap_or_else(|| far_future(started));
            let exchange = self.exchange(http, request, options, &placed, &target, max_body, open);
            let outcome = match tokio::time::timeout_at(ends, exchange).await {
                // A redirect not followed, a body over the limit, a header that cannot be sent:
                // no retry changes them.
                Ok(Err(Failed::Final(error))) => {
                    // Its kind only: a redirect's message names URLs, which hold parameters.
                    let reason = match &error {
                        Error::Redirect { .. } => "redirect not followed",
                        Error::TooLarge { .. } => "body over the limit",
                        _ => "invalid request",
                    };
                    tracing::debug!(attempt, reason, "no usable response");
                    return Err(error_with_attempts(error, attempts));
                }
                Ok(Err(Failed::Http(source))) => Ok(Err(source)),
                Ok(Ok(Answer::Open(response))) => {
                    tracing::debug!(attempt, status = response.status().as_u16(), "stream open");
                    inner.budget.on_success(spent);
                    return Ok(Outcome::Open(response, attempts));
                }
                Ok(Ok(Answer::Read(status, headers, body))) => Ok(Ok((status, headers, body))),
                Err(elapsed) => Err(elapsed),
            };
            let elapsed_ms = || started.elapsed().as_millis() as u64;
            // The final answer if no retry follows, and why this attempt failed, if it did.
            let (answer, failure): (Result<Response, Error<E>>, Option<Failure>) = match outcome {
                Ok(Ok((status, headers, body))) => {
                    tracing::debug!(
                        attempt,
                        status = status.as_u16(),
                        elapsed_ms = elapsed_ms(),
                        "response"
                    );
                    let failure = crate::retry::is_retryable_status(status)
                        .then_some(Failure::Status(status));
                    (
                        Ok(Response {
                            status,
                            headers,
                            body,
                            attempts: Attempts::default(),
                            url: None,
                        }),
                        failure,
                    )
                }
                Ok(Err(source)) => {
                    let kind = if source.is_connect() {
                        Failure::Connect
                    } else if source.is_timeout() {
                        Failure::Timeout
                    } else {
                        Failure::Other
                    };
                    tracing::debug!(attempt, elapsed_ms = elapsed_ms(), failure = ?kind, "no response");
                    (
                        Err(Error::Transport {
                            method: method.clone(),
                            path: template.to_owned(),
                            source: source.without_url(),
                            attempts: Box::default(),
                        }),
                        Some(kind),
                    )
                }
                Err(_elapsed) => {
                    tracing::debug!(attempt, elapsed_ms = elapsed_ms(), "timed out");
                    (
                        Err(Error::Timeout {
                            method: method.clone(),
                            path: template.to_owned(),
                            after: limit,
                            attempts: Box::default(),
                        }),
                        Some(Failure::Timeout),
                    )
                }
            };
            let requested = match &answer {
                Ok(response) => requested_delay_at(&response.headers, || inner.clock.system_now()),
                Err(_) => None,
            };
            attempts.retry_after = requested;
            let Some(failure) = failure else {
                inner.budget.on_success(spent);
                return answer.map(|response| Outcome::Read(answered(response, attempts, target)));
            };
            let decision = decide(
                policy,
                attempt - 1,
                may_repeat,
                failure,
                requested,
                fastrand::f64(),
            );
            let stop = match decision {
                Ok(delay) if inner.clock.now() + delay >= deadline => {
                    Some(crate::retry::Stop::Deadline)
                }
                Ok(_) if !inner.budget.try_spend(failure.cost()) => {
                    Some(crate::retry::Stop::BudgetExhausted)
                }
                Ok(delay) => {
                    spent += failure.cost();
                    let cause = cause(&answer);
                    tracing::info!(
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        cause = %cause,
                        "retrying"
                    );
                    attempts.failed.push(FailedAttempt {
                        cause,
                        waited: delay,
                    });
                    inner.clock.sleep(delay).await;
                    continue;
                }
                Err(stop) => stop,
            };
            if let Some(stop) = &stop {
                tracing::debug!(attempt, reason = %stop, "no further attempt");
            }
            attempts.stop = stop;
            return match answer {
                Ok(response) => Ok(Outcome::Read(answered(response, attempts, target))),
                Err(error) => Err(error_with_attempts(error, attempts)),
            };
        }
    }

    /// The URL of `path` under the base URL: the URL the text `base_url + path` parses to.
    /// A plain path (visible ASCII, no query or fragment) is set on the base URL parsed once;
    /// anything else is parsed with the base URL, as it always could be.
    fn url(&self, path: &str) -> Result<Url, String> {
        let plain = path.starts_with('/')
            && path
                .bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'?' | b'#' | b'\\'));
        match &self.inner.base {
            Some(base) if plain => {
                let mut url = base.clone();
                let prefix = match base.path() {
                    "/" => "",
                    other => other,
                };
                let mut full = String::with_capacity(prefix.len() + path.len());
                full.push_str(prefix);
                full.push_str(path);
                url.set_path(&full);
                Ok(url)
            }
            _ => {
                let base_url = &self.inner.base_url;
                let mut address = String::with_capacity(base_url.len() + path.len());
                address.push_str(base_url);
                address.push_str(path);
                Url::parse(&address).map_err(|e| e.to_string())
            }
        }
    }

    /// The URL a call goes to before any redirect: the base URL and the request's path (or the
    /// whole URL an answer named), with the request's query. No credential is in it yet.
    fn target<E>(&self, request: &Request) -> Result<Url, Error<E>> {
        let mut url = match &request.url {
            Some(url) => url.clone(),
            None => self.url(&request.path).map_err(|e| {
                Error::InvalidRequest(format!(
                    "base URL {:?} with path {:?} is not a URL: {e}",
                    self.inner.base_url, request.template
                ))
            })?,
        };
        if let Some(raw) = &request.raw_query {
            url.set_query(Some(raw));
        }
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter());
        }
        Ok(url)
    }

    /// Whether a request to `url` may carry the credentials (see `redirect`).
    fn may_carry_credentials(&self, url: &Url) -> bool {
        self.inner.origin.as_ref().is_some_and(|origin| {
            redirect::may_carry_credentials(url, origin, &self.inner.trusted_hosts)
        })
    }

    /// `url` as a message may show it: no password, no credential in its query.
    fn redact(&self, url: &Url) -> String {
        let (values, query_names) = auth::secrets(&self.inner.credentials);
        crate::secret::redact_url(url, &query_names, &values)
    }

    /// One attempt: the request sent, the redirects it meets followed as `redirect` decides,
    /// each hop carrying the credentials only where they may go, and the final body read
    /// within `max_body` bytes (or, with `open` and a success, left to a stream).
    #[allow(clippy::too_many_arguments)]
    async fn exchange<E>(
        &self,
        http: &reqwest::Client,
        request: &Request,
        options: &CallOptions,
        placed: &Placed<'_>,
        target: &Url,
        max_body: u64,
        open: bool,
    ) -> Result<Answer, Failed<E>> {
        let mut hop = Hop {
            url: target.clone(),
            method: request.method.clone(),
            keeps_body: true,
        };
        let mut chain: Vec<Url> = Vec::new();
        loop {
            let carry = self.may_carry_credentials(&hop.url);
            let builder = self
                .prepare(
                    http,
                    request,
                    options,
                    placed,
                    &hop,
                    carry,
                    chain.is_empty(),
                )
                .map_err(Failed::Final)?;
            let mut response = builder.send().await.map_err(Failed::Http)?;
            // Answered from elsewhere than asked: the HTTP client followed a redirect itself.
            let answered = response.url();
            if answered.path() != hop.url.path() || !redirect::same_origin(answered, &hop.url) {
                let to = self.redact(answered);
                return Err(self.redirect_error(request, RedirectProblem::FollowedByClient { to }));
            }
            let status = response.status();
            let next = redirect::next(
                &hop.method,
                &hop.url,
                status,
                response.headers().get(header::LOCATION),
                &chain,
                &|url| self.redact(url),
            );
            match next {
                Ok(Some(next)) => {
                    tracing::debug!(
                        status = status.as_u16(),
                        to = %redirect::origin(&next.url),
                        same_origin = redirect::same_origin(&hop.url, &next.url),
                        credentials = self.may_carry_credentials(&next.url),
                        "redirect"
                    );
                    chain.push(std::mem::replace(&mut hop, next).url);
                    continue;
                }
                Ok(None) => {}
                Err(problem) => return Err(self.redirect_error(request, problem)),
            }
            if open && status.is_success() {
                return Ok(Answer::Open(response));
            }
            let headers = std::mem::take(response.headers_mut());
            return match limits::read_body(&mut response, max_body).await {
                Ok(body) => Ok(Answer::Read(status, headers, body)),
                Err(ReadFailure::Transport(source)) => Err(Failed::Http(source)),
                Err(ReadFailure::OverLimit(over)) => {
                    tracing::debug!(
                        status = status.as_u16(),
                        limit = max_body,
                        read = over.read,
                        "body over the limit"
                    );
                    Err(Failed::Final(Error::TooLarge {
                        method: request.method.clone(),
                        path: request.template.to_owned(),
                        status,
                        headers: Box::new(headers),
                        limit: max_body,
                        content_length: over.declared,
                        attempts: Box::default(),
                    }))
                }
            };
        }
    }

    fn redirect_error<E>(&self, request: &Request, problem: RedirectProblem) -> Failed<E> {
        Failed::Final(Error::Redirect {
            method: request.method.clone(),
            path: request.template.to_owned(),
            problem,
            attempts: Box::default(),
        })
    }

    /// The HTTP request for one hop, and the URL it goes to. With `carry`, it has everything:
    /// the operation's headers and cookies, the call's extra headers and the credentials. To
    /// another origin it carries only what cannot be a secret: `Accept`, the idempotency key
    /// and, when the redirect keeps it, the body and its type. `first` says it is the hop to
    /// the request's own URL rather than one a redirect named.
    #[allow(clippy::too_many_arguments)]
    fn prepare<E>(
        &self,
        http: &reqwest::Client,
        request: &Request,
        options: &CallOptions,
        placed: &Placed<'_>,
        hop: &Hop,
        carry: bool,
        first: bool,
    ) -> Result<reqwest::RequestBuilder, Error<E>> {
        let mut url = hop.url.clone();
        if carry && !placed.query.is_empty() {
            // A redirect's URL may already name the key's parameter: the key replaces it.
            if !first {
                drop_query_pairs(&mut url, |name, _| placed.is_credential_parameter(name));
            }
            url.query_pairs_mut().extend_pairs(placed.query.iter());
        } else if !carry {
            strip_secrets(&mut url, &self.inner.credentials);
        }

        let mut builder = http.request(hop.method.clone(), url);
        if carry {
            for (name, value) in &request.headers {
                builder = builder.header(header_name(name)?, header_value(name, value, false)?);
            }
            for (name, value) in &options.headers {
                builder = builder.header(header_name(name)?, header_value(name, value, false)?);
            }
            for (name, value) in &placed.headers {
                builder = builder.header(header_name(name)?, header_value(name, value, true)?);
            }
            if let Some(token) = placed.bearer {
                let token = token.expose();
                let mut text = String::with_capacity("Bearer ".len() + token.len());
                text.push_str("Bearer ");
                text.push_str(token);
                let value = header_value("Authorization", &text, true)?;
                builder = builder.header(header::AUTHORIZATION, value);
            }
            if let Some((username, password)) = placed.basic {
                builder = builder.basic_auth(username, Some(password.expose()));
            }
            if !request.cookies.is_empty() || !placed.cookies.is_empty() {
                let line: Vec<String> = request
                    .cookies
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .chain(placed.cookies.iter().map(|(k, v)| format!("{k}={v}")))
                    .collect();
                builder = builder.header(
                    header::COOKIE,
                    header_value("Cookie", &line.join("; "), true)?,
                );
            }
        }
        if let Some(key) = &options.idempotency_key {
            builder = builder.header(IDEMPOTENCY_KEY, header_value(IDEMPOTENCY_KEY, key, false)?);
        }
        if let Some(accept) = request.accept {
            builder = builder.header(header::ACCEPT, HeaderValue::from_static(accept));
        }
        if !hop.keeps_body {
            return Ok(builder);
        }
        // Each attempt sends its own copy of the body.
        builder = match &request.body {
            None => builder,
            Some(Body::Json(bytes)) => builder
                .header(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )
                .body(bytes.clone()),
            Some(Body::Form(text)) => builder
                .header(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                )
                .body(text.clone()),
            Some(Body::Bytes { content_type, data }) => builder
                .header(
                    header::CONTENT_TYPE,
                    header_value("Content-Type", content_type, false)?,
                )
                .body(data.clone()),
            Some(Body::Text { content_type, text }) => builder
                .header(
                    header::CONTENT_TYPE,
                    header_value("Content-Type", content_type, false)?,
                )
                .body(text.clone()),
            Some(Body::Multipart(form)) => {
                builder.multipart(form.clone().into_form().map_err(Error::InvalidRequest)?)
            }
        };
        Ok(builder)
    }
}

/// What an attempt got: a response read whole, or one whose body a stream will read.
enum Answer {
    Read(StatusCode, HeaderMap, Bytes),
    Open(reqwest::Response),
}

/// What the attempt loop ends with.
enum Outcome {
    Read(Response),
    Open(reqwest::Response, Attempts),
}

/// Why an attempt ended without a response to judge: the transport failed (which a retry may
/// mend), or the call cannot go on (which no retry changes).
enum Failed<E> {
    Http(reqwest::Error),
    Final(Error<E>),
}

/// Removes from a URL bound for another origin every query parameter whose value holds one of
/// the client's secrets (a server may have copied a key into the link it redirects to).
fn strip_secrets(url: &mut Url, credentials: &[(SecurityScheme, Credential)]) {
    let (values, _) = auth::secrets(credentials);
    drop_query_pairs(url, |_, value| {
        values.iter().any(|s| !s.is_empty() && value.contains(s))
    });
}

/// Takes out of `url`'s query the pairs `drop` names; a query left empty goes too. A URL with
/// none of them is left exactly as written.
fn drop_query_pairs(url: &mut Url, drop: impl Fn(&str, &str) -> bool) {
    if !url.query_pairs().any(|(k, v)| drop(&k, &v)) {
        return;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, v)| !drop(k, v))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut().clear().extend_pairs(kept);
    if url.query() == Some("") {
        url.set_query(None);
    }
}

/// About thirty years on: what `tokio::time::timeout` waits for when a limit overflows.
fn far_future(now: tokio::time::Instant) -> tokio::time::Instant {
    now + Duration::from_secs(86_400 * 365 * 30)
}

/// `base_url` parsed, when paths can be joined to it by setting the path of the parsed URL:
/// it is in its canonical form (parsing and printing it gives it back, less the root path's
/// `/`), so that `base_url + path` parses to the same URL, and has no query or fragment.
fn parsed_base(base_url: &str) -> Option<Url> {
    let url = Url::parse(base_url).ok()?;
    let printed = url.as_str();
    let canonical =
        printed == base_url || (url.path() == "/" && printed.strip_suffix('/') == Some(base_url));
    (canonical && !url.cannot_be_a_base() && url.query().is_none() && url.fragment().is_none())
        .then_some(url)
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
    trusted_hosts: Vec<String>,
    max_body_size: Option<u64>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    policy: Option<RetryPolicy>,
    budget: Option<u32>,
    clock: Option<Arc<dyn Clock>>,
    user_agent: String,
}

/// The response, now carrying the attempts it took.
/// The response that ends a call: its attempts, and the URL it was asked at (moved in once,
/// not cloned at each attempt).
fn answered(response: Response, attempts: Attempts, url: Url) -> Response {
    Response {
        url: Some(url),
        ..with_attempts(response, attempts)
    }
}

fn with_attempts(mut response: Response, attempts: Attempts) -> Response {
    response.attempts = attempts;
    response
}

/// A transport error or timeout, now carrying the attempts before it.
fn error_with_attempts<E>(error: Error<E>, attempts: Attempts) -> Error<E> {
    match error {
        Error::Transport {
            method,
            path,
            source,
            ..
        } => Error::Transport {
            method,
            path,
            source,
            attempts: Box::new(attempts),
        },
        Error::Timeout {
            method,
            path,
            after,
            ..
        } => Error::Timeout {
            method,
            path,
            after,
            attempts: Box::new(attempts),
        },
        Error::Redirect {
            method,
            path,
            problem,
            ..
        } => Error::Redirect {
            method,
            path,
            problem,
            attempts: Box::new(attempts),
        },
        Error::TooLarge {
            method,
            path,
            status,
            headers,
            limit,
            content_length,
            ..
        } => Error::TooLarge {
            method,
            path,
            status,
            headers,
            limit,
            content_length,
            attempts: Box::new(attempts),
        },
        other => other,
    }
}

/// Why an attempt failed, in a word or two, for the record of attempts.
fn cause<E>(answer: &Result<Response, Error<E>>) -> String {
    match answer {
        Ok(response) => response.status.to_string(),
        Err(Error::Timeout { after, .. }) => format!("no response within {}", seconds(*after)),
        Err(Error::Transport { source, .. }) if source.is_connect() => {
            "connection failed".to_owned()
        }
        Err(Error::Transport { source, .. }) => format!("transport error: {source}"),
        Err(_) => "failed".to_owned(),
    }
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
    /// timeouts and user agent then apply, not the builder's. Build it with
    /// `redirect(reqwest::redirect::Policy::none())`: the runtime follows redirects itself, so
    /// that credentials never follow one to another host; a call that the client redirected on
    /// its own fails with [`RedirectProblem::FollowedByClient`]. Its default headers go with
    /// every request, wherever it goes.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Time allowed for one attempt (60 s unless set).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to open a connection, with the default HTTP client (10 s unless set).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole call, retries and waits included (5 min unless set).
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// How calls are retried ([`RetryPolicy::default`] unless set).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// The size of the retry budget every clone of the client shares (500 tokens unless set; a
    /// retry takes 5, or 10 after a timeout).
    pub fn retry_budget(mut self, tokens: u32) -> Self {
        self.budget = Some(tokens);
        self
    }

    /// Lets `host` receive the credentials too, besides the base URL's origin: a redirect or a
    /// link to it keeps them (never over plain HTTP when the base URL is HTTPS). Any other
    /// origin gets no credential of any kind.
    pub fn trust_host(mut self, host: impl Into<String>) -> Self {
        self.trusted_hosts.push(host.into());
        self
    }

    /// The largest response body a call reads, in bytes (64 MiB unless set); a larger one is
    /// [`Error::TooLarge`], and nothing past the limit is read.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = Some(bytes);
        self
    }

    /// The clock retries and polls wait on (tests give a [`crate::ManualClock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
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
                self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                Some(&self.user_agent),
            )
            .map_err(|e| {
                Error::InvalidRequest(format!("the HTTP client could not be built: {e}"))
            })?,
        };
        let base_url = base_url.trim_end_matches('/').to_owned();
        Ok(Transport {
            inner: Arc::new(Inner {
                http: Ok(http),
                base: parsed_base(&base_url),
                origin: Url::parse(&base_url).ok(),
                base_url,
                credentials: self.credentials,
                trusted_hosts: self.trusted_hosts,
                max_body_size: self.max_body_size.unwrap_or(DEFAULT_MAX_BODY_SIZE),
                policy: self.policy.unwrap_or_default(),
                budget: self.budget.map(RetryBudget::new).unwrap_or_default(),
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                total_timeout: self.total_timeout.unwrap_or(DEFAULT_TOTAL_TIMEOUT),
                clock: self.clock.unwrap_or_else(|| Arc::new(TokioClock)),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{ApiKeyLocation, SchemeKind};

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

    #[test]
    fn a_path_joins_the_base_url_as_if_their_text_were_parsed_together() {
        let bases = [
            "http://127.0.0.1:8080",
            "https://api.example.com/",
            "https://api.example.com/v2",
            "https://api.example.com/v2/",
            "https://user:pw@example.com:8443/a/b",
            "HTTPS://API.Example.com:443/x",
            "https://example.com/api/.",
            "https://example.com/a%20b/",
            "https://example.com/api?key=1",
            "https://example.com/api#top",
            "http://münchen.example/",
        ];
        let paths = [
            "/runs/run_1",
            "/runs/a%2Fb/steps",
            "/",
            "",
            "//double",
            "/a/../b",
            "/./x/./y",
            "/%2E%2E/x",
            "/x?y=1",
            "/x#f",
            "/x\\y",
            "/sp ace",
            "/tab\t",
            "/ü",
            "relative",
            "/trailing ",
        ];
        for base in bases {
            let transport = Transport::new(base, "t");
            for path in paths {
                let expected = Url::parse(&format!("{}{path}", transport.base_url()))
                    .map_err(|e| e.to_string());
                assert_eq!(transport.url(path), expected, "{base:?} + {path:?}");
            }
        }
        // Paths made of the characters that matter to a URL's path: dot segments, escapes.
        let alphabet = b"/./.%2eE~-;=:@a";
        let mut rng = fastrand::Rng::with_seed(7);
        for base in ["http://127.0.0.1:8080", "https://example.com/v1/runs"] {
            let transport = Transport::new(base, "t");
            for _ in 0..5_000 {
                let mut path = String::from("/");
                for _ in 0..rng.usize(0..14) {
                    path.push(alphabet[rng.usize(0..alphabet.len())] as char);
                }
                let expected = Url::parse(&format!("{base}{path}")).map_err(|e| e.to_string());
                assert_eq!(transport.url(&path), expected, "{base:?} + {path:?}");
            }
        }
        // The usual base URL is parsed once, not on every request.
        assert!(
            Transport::new("https://api.example.com", "t")
                .inner
                .base
                .is_some()
        );
        assert!(
            Transport::new("https://example.com/api/.", "t")
                .inner
                .base
                .is_none()
        );
    }
}
