//! Redirects, decided by the runtime rather than by the HTTP client: which answers are followed,
//! with which method and body, what stops the chain, and which URLs may receive credentials.
//!
//! The rule for credentials is one for every URL a call goes to, whether a server redirected
//! there or an answer named it (a next page, a resume URL): the call's credentials (API keys in
//! headers, the query or cookies, bearer and basic authorization) go only to the base URL's
//! origin (scheme, host and port) and to the hosts the client names as trusted, never from HTTPS
//! down to HTTP. A redirect to any other origin is followed without them.

use reqwest::header::HeaderValue;
use reqwest::{Method, StatusCode, Url};
use std::fmt;

/// How many redirects one attempt follows before it stops with [`RedirectProblem::TooMany`].
pub const MAX_REDIRECTS: usize = 10;

/// Why a redirect was not followed: the call stops with [`crate::Error::Redirect`]. URLs here are
/// redacted: no password, and no credential in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectProblem {
    /// From HTTPS down to HTTP: never followed, and nothing was sent to the HTTP URL.
    Downgrade { from: String, to: String },
    /// More than [`MAX_REDIRECTS`] redirects; `chain` holds every URL visited, in order, and the
    /// one the last redirect pointed to.
    TooMany { chain: Vec<String> },
    /// A `Location` that is not a URL, or not an http(s) one.
    BadLocation { from: String, location: String },
    /// The `reqwest::Client` given to the builder followed a redirect itself, to `to`: the
    /// runtime cannot have chosen what that request carried. Build it with
    /// `redirect(reqwest::redirect::Policy::none())`.
    FollowedByClient { to: String },
}

impl fmt::Display for RedirectProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedirectProblem::Downgrade { from, to } => write!(
                f,
                "redirected from {from} to {to}, from HTTPS down to HTTP, which is never followed"
            ),
            RedirectProblem::TooMany { chain } => write!(
                f,
                "more than {MAX_REDIRECTS} redirects: {}",
                chain.join(" -> ")
            ),
            RedirectProblem::BadLocation { from, location } => write!(
                f,
                "{from} redirected to {location:?}, which is not an http(s) URL"
            ),
            RedirectProblem::FollowedByClient { to } => write!(
                f,
                "the reqwest::Client given to the builder followed a redirect to {to} itself; \
                 build it with `redirect(reqwest::redirect::Policy::none())` so that the client \
                 decides what a redirect may carry"
            ),
        }
    }
}

/// The next request of a chain: where, with which method, and whether the body goes along.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hop {
    pub url: Url,
    pub method: Method,
    pub keeps_body: bool,
}

/// Whether `status` asks the client to repeat the request elsewhere.
pub(crate) fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// What follows an answer with `status` to a request for `from` with `method`: `Ok(None)` when
/// it is the final answer (not a redirect, or a redirect without a `Location`), the next hop,
/// or why the chain stops. `chain` is every URL visited before `from`, for the count and the
/// report of a chain too long; `redact` prepares a URL for a message.
pub(crate) fn next(
    method: &Method,
    from: &Url,
    status: StatusCode,
    location: Option<&HeaderValue>,
    chain: &[Url],
    redact: &dyn Fn(&Url) -> String,
) -> Result<Option<Hop>, RedirectProblem> {
    if !is_redirect(status) {
        return Ok(None);
    }
    let Some(location) = location else {
        return Ok(None);
    };
    let bad = || RedirectProblem::BadLocation {
        from: redact(from),
        location: String::from_utf8_lossy(location.as_bytes()).into_owned(),
    };
    let text = location.to_str().map_err(|_| bad())?;
    let mut url = from.join(text).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(bad());
    }
    // A fragment of the redirect wins; otherwise the request's own is kept (RFC 9110, 10.2.2).
    if url.fragment().is_none() {
        url.set_fragment(from.fragment());
    }
    if from.scheme() == "https" && url.scheme() == "http" {
        return Err(RedirectProblem::Downgrade {
            from: redact(from),
            to: redact(&url),
        });
    }
    if chain.len() >= MAX_REDIRECTS {
        let mut visited: Vec<String> = chain.iter().map(redact).collect();
        visited.push(redact(from));
        visited.push(redact(&url));
        return Err(RedirectProblem::TooMany { chain: visited });
    }
    // 303 asks for a GET of the new URL; 301 and 302 turn a POST into a GET, as every HTTP
    // client does (RFC 9110, 15.4.2 and 15.4.3); 307 and 308 keep the method and the body.
    let next_method = match status.as_u16() {
        303 if *method != Method::HEAD => Method::GET,
        301 | 302 if *method == Method::POST => Method::GET,
        _ => method.clone(),
    };
    Ok(Some(Hop {
        keeps_body: next_method == *method,
        method: next_method,
        url,
    }))
}

/// Scheme, host and port (the default port of the scheme when none is written) are the same.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Whether a request to `url` may carry the call's credentials: the base URL's origin, or a host
/// the client trusts, reached without going from HTTPS down to HTTP.
pub(crate) fn may_carry_credentials(url: &Url, base: &Url, trusted_hosts: &[String]) -> bool {
    if same_origin(url, base) {
        return true;
    }
    let downgrade = base.scheme() == "https" && url.scheme() != "https";
    !downgrade
        && url
            .host_str()
            .is_some_and(|host| trusted_hosts.iter().any(|t| t.eq_ignore_ascii_case(host)))
}

/// The origin of `url` as people write it (`https://api.example.com`), for traces: no path, no
/// query, no user information.
pub(crate) fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn plain(u: &Url) -> String {
        u.to_string()
    }

    fn follow(
        method: Method,
        from: &str,
        status: u16,
        to: &str,
    ) -> Result<Option<Hop>, RedirectProblem> {
        let from = url(from);
        next(
            &method,
            &from,
            StatusCode::from_u16(status).unwrap(),
            Some(&HeaderValue::from_str(to).unwrap()),
            &[],
            &plain,
        )
    }

    #[test]
    fn methods_and_bodies_follow_the_usual_rules() {
        let cases = [
            (301, Method::POST, Method::GET, false),
            (302, Method::POST, Method::GET, false),
            (303, Method::POST, Method::GET, false),
            (303, Method::PUT, Method::GET, false),
            (303, Method::HEAD, Method::HEAD, true),
            (307, Method::POST, Method::POST, true),
            (308, Method::POST, Method::POST, true),
            (301, Method::PUT, Method::PUT, true),
            (302, Method::DELETE, Method::DELETE, true),
            (308, Method::PATCH, Method::PATCH, true),
        ];
        for (status, method, expected, keeps_body) in cases {
            let hop = follow(method.clone(), "http://a.test/x", status, "/y")
                .unwrap()
                .unwrap();
            assert_eq!(hop.method, expected, "{status} {method}");
            assert_eq!(hop.keeps_body, keeps_body, "{status} {method}");
            assert_eq!(hop.url.as_str(), "http://a.test/y");
        }
    }

    #[test]
    fn only_redirect_statuses_with_a_location_are_followed() {
        for status in [200, 300, 304, 305, 404] {
            assert_eq!(
                follow(Method::GET, "http://a.test/", status, "/y"),
                Ok(None)
            );
        }
        let from = url("http://a.test/");
        let no_location = next(&Method::GET, &from, StatusCode::FOUND, None, &[], &plain);
        assert_eq!(no_location, Ok(None));
    }

    #[test]
    fn https_to_http_is_never_followed() {
        let problem = follow(Method::GET, "https://a.test/x", 302, "http://a.test/x").unwrap_err();
        assert_eq!(
            problem,
            RedirectProblem::Downgrade {
                from: "https://a.test/x".into(),
                to: "http://a.test/x".into()
            }
        );
        assert!(problem.to_string().contains("from HTTPS down to HTTP"));
        // Up is fine.
        assert!(follow(Method::GET, "http://a.test/x", 302, "https://a.test/x").is_ok());
    }

    #[test]
    fn unusable_locations_are_named() {
        for to in ["ftp://a.test/x", "mailto:x@a.test", "http://[::1"] {
            let problem = follow(Method::GET, "http://a.test/x", 302, to).unwrap_err();
            assert!(
                matches!(&problem, RedirectProblem::BadLocation { location, .. } if location == to),
                "{to}: {problem:?}"
            );
        }
    }

    #[test]
    fn the_eleventh_redirect_stops_and_names_the_chain() {
        // The start and the ten URLs ten redirects led to.
        let chain: Vec<Url> = (0..=MAX_REDIRECTS)
            .map(|i| url(&format!("http://a.test/{i}")))
            .collect();
        let (last, before) = chain.split_last().unwrap();
        let location = HeaderValue::from_static("/next");
        let problem = next(
            &Method::GET,
            last,
            StatusCode::FOUND,
            Some(&location),
            before,
            &plain,
        )
        .unwrap_err();
        let RedirectProblem::TooMany { chain: named } = &problem else {
            panic!("{problem:?}")
        };
        assert_eq!(named.len(), MAX_REDIRECTS + 2);
        assert_eq!(named[0], "http://a.test/0");
        assert_eq!(named[MAX_REDIRECTS + 1], "http://a.test/next");
        assert!(
            problem
                .to_string()
                .contains("http://a.test/0 -> http://a.test/1")
        );
        // The tenth is still followed.
        let hop = next(
            &Method::GET,
            last,
            StatusCode::FOUND,
            Some(&location),
            &before[1..],
            &plain,
        );
        assert!(hop.unwrap().is_some());
    }

    #[test]
    fn credentials_stay_with_the_base_origin_and_trusted_hosts() {
        let base = url("https://api.example.com/v1");
        let trusted = vec!["files.example.com".to_owned()];
        let yes = [
            "https://api.example.com/other",
            "https://api.example.com:443/x",
            "https://API.example.com/x",
            "https://files.example.com/blob",
            "https://files.example.com:8443/blob",
        ];
        let no = [
            "http://api.example.com/x",
            "https://api.example.com:8443/x",
            "https://evil.example.com/x",
            "https://api.example.com.evil.test/x",
            "http://files.example.com/blob",
        ];
        for u in yes {
            assert!(may_carry_credentials(&url(u), &base, &trusted), "{u}");
        }
        for u in no {
            assert!(!may_carry_credentials(&url(u), &base, &trusted), "{u}");
        }
        assert_eq!(
            origin(&url("https://u:p@api.example.com/x?k=1")),
            "https://api.example.com"
        );
    }
}
