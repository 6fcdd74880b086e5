//! Turning parameter values into the text OpenAPI's serialization styles ask for.
//!
//! Values arrive as anything `Serialize` and are first turned into JSON, so generated enums,
//! dates, UUIDs and nested objects all follow the same rules as in a body.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;
use std::borrow::Cow;

/// Everything but RFC 3986's unreserved characters is escaped inside a path segment, so a value
/// can never add a segment or a query string of its own.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters a cookie value may not carry unescaped (RFC 6265 `cookie-octet`).
const COOKIE: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// A credential sent as a cookie is passed as the user got it (it is often already
/// percent-encoded by the server that set it); only octets that would break the header are escaped.
const COOKIE_CREDENTIAL: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\');

/// The text of a scalar value; `None` for null.
pub(crate) fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
    }
}

/// `simple` style, used by path and header parameters: arrays and objects are comma-separated.
pub(crate) fn simple(value: &Value, explode: bool) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(scalar)
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .filter_map(|(k, v)| scalar(v).map(|v| (k, v)))
                .map(|(k, v)| {
                    if explode {
                        format!("{k}={v}")
                    } else {
                        format!("{k},{v}")
                    }
                })
                .collect();
            Some(parts.join(","))
        }
        _ => scalar(value),
    }
}

/// One path segment, percent-encoded.
pub(crate) fn path_segment(text: &str) -> String {
    // Borrowed, and copied once, when nothing needs escaping (the common case).
    Cow::from(utf8_percent_encode(text, SEGMENT)).into_owned()
}

/// A cookie value, percent-encoded where RFC 6265 forbids the raw octet.
pub(crate) fn cookie_value(text: &str) -> String {
    utf8_percent_encode(text, COOKIE).to_string()
}

/// How a path parameter is serialized (OpenAPI `style` and `explode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathStyle {
    /// `style: simple` (the default): `a,b`; objects `k,v` or, exploded, `k=v`.
    Simple { explode: bool },
    /// `style: label`: `.a,b` or, exploded, `.a.b`.
    Label { explode: bool },
    /// `style: matrix`: `;name=a,b` or, exploded, `;name=a;name=b`.
    Matrix { explode: bool },
}

impl Default for PathStyle {
    fn default() -> Self {
        PathStyle::Simple { explode: false }
    }
}

/// The text of a path parameter in its style, each value percent-encoded and the separators
/// the style adds left as they are. `None` for null.
pub(crate) fn path_value(name: &str, value: &Value, style: PathStyle) -> Option<String> {
    // The usual case, a string in the default style, is the encoded string alone.
    if let (PathStyle::Simple { .. }, Value::String(text)) = (style, value) {
        return Some(path_segment(text));
    }
    let enc = |text: &str| path_segment(text);
    let name = enc(name);
    // The value as encoded scalars, or encoded key/value pairs for an object.
    let (items, pairs): (Vec<String>, Vec<(String, String)>) = match value {
        Value::Null => return None,
        Value::Array(list) => (
            list.iter().filter_map(scalar).map(|s| enc(&s)).collect(),
            Vec::new(),
        ),
        Value::Object(map) => (
            Vec::new(),
            map.iter()
                .filter_map(|(k, v)| scalar(v).map(|v| (enc(k), enc(&v))))
                .collect(),
        ),
        other => (vec![enc(&scalar(other)?)], Vec::new()),
    };
    let object = value.is_object();
    let joined = |explode: bool, sep: &str| -> String {
        if object {
            let parts: Vec<String> = pairs
                .iter()
                .map(|(k, v)| {
                    if explode {
                        format!("{k}={v}")
                    } else {
                        format!("{k},{v}")
                    }
                })
                .collect();
            parts.join(if explode { sep } else { "," })
        } else {
            items.join(if explode { sep } else { "," })
        }
    };
    Some(match style {
        PathStyle::Simple { explode } => joined(explode, ","),
        PathStyle::Label { explode } => format!(".{}", joined(explode, ".")),
        PathStyle::Matrix { explode: true } if object => {
            pairs.iter().map(|(k, v)| format!(";{k}={v}")).collect()
        }
        PathStyle::Matrix { explode: true } if value.is_array() => {
            items.iter().map(|v| format!(";{name}={v}")).collect()
        }
        PathStyle::Matrix { .. } => {
            let text = joined(false, ",");
            if text.is_empty() {
                format!(";{name}")
            } else {
                format!(";{name}={text}")
            }
        }
    })
}

/// How a query parameter is serialized (OpenAPI `style` and `explode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// `style: form` (the default); `explode` defaults to true.
    Form { explode: bool },
    /// `style: spaceDelimited`: array items joined by spaces.
    SpaceDelimited,
    /// `style: pipeDelimited`: array items joined by `|`.
    PipeDelimited,
    /// `style: deepObject`: `name[key]=value` for each property, nested objects included.
    DeepObject,
}

impl Default for QueryStyle {
    fn default() -> Self {
        QueryStyle::Form { explode: true }
    }
}

/// The `(name, value)` pairs of one query parameter, not yet percent-encoded.
pub(crate) fn query_pairs(name: &str, value: &Value, style: QueryStyle) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match (value, style) {
        (Value::Null, _) => {}
        (Value::Array(items), QueryStyle::Form { explode: true }) => {
            out.extend(
                items
                    .iter()
                    .filter_map(scalar)
                    .map(|v| (name.to_owned(), v)),
            );
        }
        (Value::Array(items), QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited) => {
            let sep = if style == QueryStyle::SpaceDelimited {
                " "
            } else {
                "|"
            };
            let joined: Vec<String> = items.iter().filter_map(scalar).collect();
            out.push((name.to_owned(), joined.join(sep)));
        }
        (Value::Array(_), _) => {
            if let Some(v) = simple(value, false) {
                out.push((name.to_owned(), v));
            }
        }
        (Value::Object(map), QueryStyle::Form { explode: true }) => {
            out.extend(
                map.iter()
                    .filter_map(|(k, v)| scalar(v).map(|v| (k.clone(), v))),
            );
        }
        (Value::Object(_), QueryStyle::DeepObject) => deep_object(name, value, &mut out),
        (Value::Object(_), _) => {
            if let Some(v) = simple(value, false) {
                out.push((name.to_owned(), v));
            }
        }
        (scalar_value, _) => {
            if let Some(v) = scalar(scalar_value) {
                out.push((name.to_owned(), v));
            }
        }
    }
    out
}

fn deep_object(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                deep_object(&format!("{prefix}[{k}]"), v, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                deep_object(&format!("{prefix}[]"), item, out);
            }
        }
        other => {
            if let Some(v) = scalar(other) {
                out.push((prefix.to_owned(), v));
            }
        }
    }
}

/// Everything but `*-._` and alphanumerics is escaped in `application/x-www-form-urlencoded`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// A value that becomes the whole query string (a JSON text): everything that could end or
/// split it is escaped.
pub(crate) const QUERY_VALUE: &AsciiSet = FORM;

/// A query string given as text: only what a query cannot hold is escaped, so its own `&` and
/// `=` keep their meaning.
pub(crate) const QUERY_TEXT: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>');

/// One name or value of an `application/x-www-form-urlencoded` body; spaces become `+`.
pub(crate) fn form_component(text: &str) -> String {
    text.split(' ')
        .map(|part| utf8_percent_encode(part, FORM).to_string())
        .collect::<Vec<_>>()
        .join("+")
}

/// A cookie parameter (`form` style): items and object pairs joined by `,`, each escaped.
pub(crate) fn cookie_form(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(scalar)
                .map(|s| cookie_value(&s))
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Object(map) => Some(
            map.iter()
                .filter_map(|(k, v)| {
                    scalar(v).map(|v| format!("{},{}", cookie_value(k), cookie_value(&v)))
                })
                .collect::<Vec<_>>()
                .join(","),
        ),
        other => scalar(other).map(|s| cookie_value(&s)),
    }
}

/// A credential sent as a cookie value.
pub(crate) fn cookie_credential(text: &str) -> String {
    utf8_percent_encode(text, COOKIE_CREDENTIAL).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(name: &str, value: Value, style: QueryStyle) -> Vec<(String, String)> {
        query_pairs(name, &value, style)
    }

    fn owned(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn path_styles() {
        let simple = PathStyle::Simple { explode: false };
        let exploded = PathStyle::Simple { explode: true };
        let path = |v: Value, s| path_value("id", &v, s).unwrap();
        assert_eq!(path(json!("a b"), simple), "a%20b");
        assert_eq!(path(json!(["a,", "b"]), simple), "a%2C,b");
        assert_eq!(path(json!({"r": 1, "g": 2}), simple), "g,2,r,1");
        assert_eq!(path(json!({"r": 1, "g": 2}), exploded), "g=2,r=1");
        assert_eq!(path(json!(5), PathStyle::Label { explode: false }), ".5");
        assert_eq!(
            path(json!([3, 4]), PathStyle::Label { explode: false }),
            ".3,4"
        );
        assert_eq!(
            path(json!([3, 4]), PathStyle::Label { explode: true }),
            ".3.4"
        );
        assert_eq!(
            path(json!({"r": 1}), PathStyle::Label { explode: true }),
            ".r=1"
        );
        assert_eq!(
            path(json!(5), PathStyle::Matrix { explode: false }),
            ";id=5"
        );
        assert_eq!(
            path(json!([3, 4]), PathStyle::Matrix { explode: false }),
            ";id=3,4"
        );
        assert_eq!(
            path(json!([3, 4]), PathStyle::Matrix { explode: true }),
            ";id=3;id=4"
        );
        assert_eq!(
            path(json!({"r": 1, "g": 2}), PathStyle::Matrix { explode: true }),
            ";g=2;r=1"
        );
        assert_eq!(
            path(json!({"r": 1}), PathStyle::Matrix { explode: false }),
            ";id=r,1"
        );
        assert_eq!(path_value("id", &json!(null), simple), None);
    }

    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(path_segment("../x"), "..%2Fx");
        assert_eq!(path_segment("a b?c#d"), "a%20b%3Fc%23d");
        assert_eq!(path_segment("run_1-a.b~"), "run_1-a.b~");
        assert_eq!(path_segment("é"), "%C3%A9");
    }

    #[test]
    fn form_styles() {
        let explode = QueryStyle::Form { explode: true };
        assert_eq!(
            pairs("t", json!(["a", "b"]), explode),
            owned(&[("t", "a"), ("t", "b")])
        );
        assert_eq!(
            pairs("t", json!(["a", "b"]), QueryStyle::Form { explode: false }),
            owned(&[("t", "a,b")])
        );
        assert_eq!(pairs("t", json!(null), explode), owned(&[]));
        assert_eq!(pairs("n", json!(5), explode), owned(&[("n", "5")]));
        assert_eq!(pairs("b", json!(true), explode), owned(&[("b", "true")]));
        assert_eq!(
            pairs("o", json!({"a": 1, "b": "x"}), explode),
            owned(&[("a", "1"), ("b", "x")])
        );
    }

    #[test]
    fn delimited_and_deep_object_styles() {
        assert_eq!(
            pairs("t", json!([1, 2]), QueryStyle::PipeDelimited),
            owned(&[("t", "1|2")])
        );
        assert_eq!(
            pairs("t", json!([1, 2]), QueryStyle::SpaceDelimited),
            owned(&[("t", "1 2")])
        );
        assert_eq!(
            pairs(
                "f",
                json!({"a": {"b": 1}, "c": "d"}),
                QueryStyle::DeepObject
            ),
            owned(&[("f[a][b]", "1"), ("f[c]", "d")])
        );
    }

    #[test]
    fn simple_style() {
        assert_eq!(simple(&json!(["a", "b"]), false).unwrap(), "a,b");
        assert_eq!(simple(&json!({"a": 1}), true).unwrap(), "a=1");
        assert_eq!(simple(&json!({"a": 1}), false).unwrap(), "a,1");
        assert_eq!(simple(&json!(null), false), None);
    }

    #[test]
    fn cookie_values_are_escaped() {
        assert_eq!(cookie_value("abc.def-_="), "abc.def-_=");
        assert_eq!(cookie_value("a;b c"), "a%3Bb%20c");
        assert_eq!(cookie_value("50%"), "50%25");
        assert_eq!(cookie_credential("tok.sig%3D"), "tok.sig%3D");
        assert_eq!(cookie_credential("tok;x=1"), "tok%3Bx=1");
    }
}
