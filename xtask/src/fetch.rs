//! Fetching a vendor's document as untrusted input: size and time capped, redirects only within
//! the source's host (or hosts the settings name) and never down to plain HTTP; and taking the
//! document out of a docs page that embeds it in a fenced yaml block.

use reqwest::Url;
use reqwest::blocking::Client;
use reqwest::redirect::{Attempt, Policy};
use std::io::Read;
use std::time::Duration;

/// The limits of a fetch.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest document accepted.
    pub max_bytes: u64,
    /// The time allowed for the whole fetch.
    pub timeout: Duration,
    /// Hosts besides the URL's own that a redirect may lead to.
    pub redirect_hosts: Vec<String>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 * 1024 * 1024,
            timeout: Duration::from_secs(60),
            redirect_hosts: Vec::new(),
        }
    }
}

/// Fetches `url`; the body is at most `limits.max_bytes`.
pub fn fetch(url: &str, limits: &Limits) -> Result<Vec<u8>, String> {
    let start = Url::parse(url).map_err(|e| format!("{url}: not a URL: {e}"))?;
    if !matches!(start.scheme(), "https" | "http") {
        return Err(format!("{url}: expected an https:// (or http://) URL"));
    }
    let client = Client::builder()
        .timeout(limits.timeout)
        .redirect(redirect_policy(&start, &limits.redirect_hosts))
        .user_agent(concat!("apigen-xtask/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("{url}: {e}"))?;
    let response = client.get(start.clone()).send().map_err(|e| {
        let why = if e.is_redirect() {
            // The policy's own words: where it would have gone, and why not.
            std::error::Error::source(&e)
                .map(ToString::to_string)
                .unwrap_or_else(|| e.to_string())
        } else if e.is_timeout() {
            format!("no answer within {}s", limits.timeout.as_secs_f64())
        } else {
            let e = e.without_url();
            let mut cause: &dyn std::error::Error = &e;
            while let Some(inner) = cause.source() {
                cause = inner;
            }
            format!("{e}: {cause}")
        };
        format!("{url}: {why}")
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("{url}: the server answered {status}"));
    }
    if let Some(length) = response.content_length()
        && length > limits.max_bytes
    {
        return Err(too_large(url, limits));
    }
    let mut body = Vec::new();
    response
        .take(limits.max_bytes + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("{url}: reading the answer: {e}"))?;
    if body.len() as u64 > limits.max_bytes {
        return Err(too_large(url, limits));
    }
    Ok(body)
}

fn too_large(url: &str, limits: &Limits) -> String {
    format!(
        "{url}: the document is larger than {} bytes, the most a fetch accepts",
        limits.max_bytes
    )
}

/// Redirects stay on the starting host (or one the settings name), at most ten of them, and
/// never leave HTTPS for plain HTTP.
fn redirect_policy(start: &Url, extra_hosts: &[String]) -> Policy {
    let host = start.host_str().unwrap_or_default().to_owned();
    let secure = start.scheme() == "https";
    let allowed: Vec<String> = std::iter::once(host)
        .chain(extra_hosts.iter().cloned())
        .collect();
    Policy::custom(move |attempt: Attempt| {
        let next = attempt.url().clone();
        let to_host = next.host_str().unwrap_or_default().to_owned();
        if attempt.previous().len() >= 10 {
            attempt.error(format!("more than 10 redirects, the last to {next}"))
        } else if next.scheme() != "https" && (secure || next.scheme() != "http") {
            attempt.error(format!("refused a redirect to {next}: it leaves HTTPS"))
        } else if !allowed.contains(&to_host) {
            attempt.error(format!(
                "refused a redirect to {next}: another host (the settings' `source.redirect-hosts` may name it)"
            ))
        } else {
            attempt.follow()
        }
    })
}

/// The document in what was fetched: the text itself when it is a JSON or YAML document, else
/// the one fenced yaml (or json) block of a docs page that holds an `openapi:` document, byte
/// for byte.
pub fn document_in(url: &str, fetched: &[u8]) -> Result<Vec<u8>, String> {
    let text =
        std::str::from_utf8(fetched).map_err(|_| format!("{url}: the answer is not UTF-8 text"))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with("openapi") || trimmed.starts_with("---") {
        return Ok(fetched.to_vec());
    }
    let blocks: Vec<String> = fenced_blocks(text)
        .into_iter()
        .filter(|(info, body)| {
            let lang = info.split_whitespace().next().unwrap_or_default();
            matches!(lang, "yaml" | "yml" | "json")
                && body
                    .lines()
                    .any(|l| l.starts_with("openapi:") || l.trim_start().starts_with("\"openapi\""))
        })
        .map(|(_, body)| body)
        .collect();
    match blocks.len() {
        1 => Ok(blocks[0].clone().into_bytes()),
        0 => Err(format!(
            "{url}: expected a JSON or YAML document, or a page with a fenced yaml block holding one, found neither"
        )),
        n => Err(format!(
            "{url}: expected one fenced block holding an OpenAPI document, found {n}"
        )),
    }
}

/// The fenced code blocks of a Markdown text: info string and content (lines joined with a
/// newline after each). A fence is three or more backticks or tildes; it closes at a line of
/// the same character, at least as long, and nothing else.
fn fenced_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = text.split('\n');
    while let Some(line) = lines.next() {
        let Some((fence, info)) = opening_fence(line) else {
            continue;
        };
        let mut body = String::new();
        for inner in lines.by_ref() {
            let candidate = inner.trim_end_matches('\r');
            let closes = candidate.len() >= fence.len()
                && candidate
                    .chars()
                    .all(|c| c == fence.chars().next().unwrap_or('`'));
            if closes {
                break;
            }
            body.push_str(inner);
            body.push('\n');
        }
        blocks.push((info.to_owned(), body));
    }
    blocks
}

/// `(fence, info string)` of a line that opens a fenced block.
fn opening_fence(line: &str) -> Option<(&str, &str)> {
    let first = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = line.chars().take_while(|c| *c == first).count();
    (length >= 3).then(|| (&line[..length], line[length..].trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_openapi_block_of_a_page_is_taken_byte_for_byte() {
        let page = "# Get a run\n\n```bash\ncurl x\n```\n\n````yaml /openapi.yaml get /runs\nopenapi: 3.1.0\ninfo:\n  title: \"```\"\n````\n\nMore text.\n";
        let document = document_in("p", page.as_bytes()).unwrap();
        assert_eq!(
            String::from_utf8(document).unwrap(),
            "openapi: 3.1.0\ninfo:\n  title: \"```\"\n"
        );
    }

    #[test]
    fn a_bare_document_is_kept_as_it_came() {
        let yaml = b"openapi: 3.0.0\ninfo: {}\n";
        assert_eq!(document_in("u", yaml).unwrap(), yaml);
        let json = b"  {\"openapi\": \"3.1.0\"}";
        assert_eq!(document_in("u", json).unwrap(), json);
    }

    #[test]
    fn a_page_without_a_document_or_with_two_is_refused() {
        let none = "# Title\n```yaml\nkey: value\n```\n";
        assert!(
            document_in("p", none.as_bytes())
                .unwrap_err()
                .contains("found neither")
        );
        let two = "```yaml\nopenapi: 3.1.0\n```\n```yaml\nopenapi: 3.0.0\n```\n";
        assert!(
            document_in("p", two.as_bytes())
                .unwrap_err()
                .ends_with("found 2")
        );
        assert!(document_in("p", &[0xff, 0xfe]).is_err());
    }
}
