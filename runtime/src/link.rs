//! The `Link` response header (RFC 8288): the target of the link whose relation is `next`, as
//! GitHub and others name the next page.
//!
//! Written here rather than taken from a crate: `parse_link_header` builds a regex engine into
//! every generated client for this one lookup, and `http-link` is unmaintained since 2021.

use reqwest::header::{HeaderMap, LINK};

/// The target of the first link with relation `rel` (case-insensitive, among the relations a
/// link lists) in every `Link` header of `headers`, resolved against `base` when relative.
pub(crate) fn target(headers: &HeaderMap, rel: &str, base: &reqwest::Url) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| find(value, rel))
        .and_then(|target| base.join(&target).ok())
        .map(String::from)
}

/// The target of the first link in one header value whose `rel` lists `rel`.
fn find(value: &str, rel: &str) -> Option<String> {
    let mut rest = value;
    loop {
        // `<target>` then `; param=value` pairs, up to a comma outside quotes.
        let open = rest.find('<')?;
        let after = &rest[open + 1..];
        let close = after.find('>')?;
        let target = after[..close].trim();
        let (params, next) = params_of(&after[close + 1..]);
        let matches = params.iter().any(|(name, value)| {
            name.eq_ignore_ascii_case("rel")
                && value
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case(rel))
        });
        if matches {
            return Some(target.to_owned());
        }
        rest = next?;
    }
}

/// The parameters after a link's target, and what follows the comma that ends the link.
fn params_of(text: &str) -> (Vec<(String, String)>, Option<&str>) {
    let mut params = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut name = String::new();
    let mut value = String::new();
    let mut in_value = false;
    let mut quoted = false;
    let push = |params: &mut Vec<(String, String)>, name: &mut String, value: &mut String| {
        let key = name.trim().to_owned();
        if !key.is_empty() {
            params.push((key, value.trim().to_owned()));
        }
        name.clear();
        value.clear();
    };
    while let Some((i, c)) = chars.next() {
        match c {
            '"' if in_value => quoted = !quoted,
            '\\' if quoted => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            ';' if !quoted => {
                push(&mut params, &mut name, &mut value);
                in_value = false;
            }
            ',' if !quoted => {
                push(&mut params, &mut name, &mut value);
                return (params, Some(&text[i + 1..]));
            }
            '=' if !in_value => in_value = true,
            c if in_value => value.push(c),
            c => name.push(c),
        }
    }
    push(&mut params, &mut name, &mut value);
    (params, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn next(values: &[&str]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(LINK, HeaderValue::from_str(value).unwrap());
        }
        let base = reqwest::Url::parse("https://api.example.com/v1/items?page=1").unwrap();
        target(&headers, "next", &base)
    }

    #[test]
    fn finds_the_next_link_among_others() {
        assert_eq!(
            next(&[
                r#"<https://api.example.com/v1/items?page=2>; rel="next", <https://api.example.com/v1/items?page=9>; rel="last""#
            ]),
            Some("https://api.example.com/v1/items?page=2".to_owned())
        );
        assert_eq!(next(&[r#"<https://a.example/?page=9>; rel="last""#]), None);
        assert_eq!(next(&[]), None);
    }

    #[test]
    fn reads_relation_lists_quotes_case_and_relative_targets() {
        // A title holding a comma and a semicolon does not end the link early.
        assert_eq!(
            next(&[r#"</v1/items?page=3>; title="a, b; c"; REL="Next prefetch""#]),
            Some("https://api.example.com/v1/items?page=3".to_owned())
        );
        assert_eq!(
            next(&[r#"<?page=4>; rel=next"#]),
            Some("https://api.example.com/v1/items?page=4".to_owned())
        );
        // In a second header, after one without it.
        assert_eq!(
            next(&[r#"<x>; rel="prev""#, r#"<y>; rel="next""#]),
            Some("https://api.example.com/v1/y".to_owned())
        );
        assert_eq!(next(&["garbage"]), None);
        assert_eq!(next(&["<unterminated; rel=next"]), None);
    }
}
