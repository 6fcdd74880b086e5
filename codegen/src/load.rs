//! Stage 1: read a YAML or JSON document into a `serde_json::Value`.
//!
//! Maps come out with sorted keys (`serde_json::Map` is a `BTreeMap`), so nothing downstream can
//! depend on the order a document happened to list its keys in.

use crate::error::{Error, Result};
use serde_json::{Map, Number, Value};
use std::path::Path;
use yaml::Node;

mod yaml;

/// Reads and parses the file at `path`. `display` is how errors name it.
pub fn load_file(path: &Path, display: &str) -> Result<Value> {
    let text = std::fs::read(path).map_err(|e| {
        Error::new(
            display,
            "",
            format!("expected a readable file, found {}", io_reason(&e)),
        )
    })?;
    let text = String::from_utf8(text)
        .map_err(|e| Error::new(display, "", format!("expected UTF-8 text, found {e}")))?;
    // A byte-order mark is not part of the document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    parse(text, display, looks_like_json(path, text))
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

fn looks_like_json(path: &Path, text: &str) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        _ => text.trim_start().starts_with('{'),
    }
}

/// Parses document text; `json` picks the JSON parser (exact positions in errors), otherwise YAML.
pub fn parse(text: &str, display: &str, json: bool) -> Result<Value> {
    if json {
        return serde_json::from_str(text)
            .map_err(|e| Error::new(display, "", format!("invalid JSON: {e}")));
    }
    let mut yaml: Node = yaml_serde::from_str(text)
        .map_err(|e| Error::new(display, "", format!("invalid YAML: {e}")))?;
    yaml.apply_merges().map_err(|e| {
        Error::new(
            display,
            "",
            format!("expected valid YAML merge keys (`<<`), found {e}"),
        )
    })?;
    yaml_to_json(yaml, "", display)
}

fn yaml_to_json(node: Node, pointer: &str, display: &str) -> Result<Value> {
    Ok(match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(b),
        Node::Int(i) => Value::Number(i.into()),
        Node::UInt(u) => Value::Number(u.into()),
        Node::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        // JSON has no infinities or NaN; keep YAML's spelling as text.
        Node::Special(text) => Value::String(text),
        Node::Str(s) => Value::String(s),
        Node::Seq(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &format!("{pointer}/{i}"), display))
                .collect::<Result<_>>()?,
        ),
        Node::Map(entries) => {
            let mut map = Map::new();
            for (key, item) in entries {
                let key = yaml_key(&key).ok_or_else(|| {
                    Error::new(
                        display,
                        pointer,
                        "expected scalar mapping keys, found a sequence or mapping used as a key",
                    )
                })?;
                let child = crate::pointer::join(pointer, &key);
                if map.contains_key(&key) {
                    return Err(Error::new(
                        display,
                        &child,
                        format!(
                            "expected each key once, found {key:?} twice (once written as a number or boolean)"
                        ),
                    ));
                }
                let item = yaml_to_json(item, &child, display)?;
                map.insert(key, item);
            }
            Value::Object(map)
        }
    })
}

/// YAML allows `200:` or `true:` as keys; OpenAPI means the string.
fn yaml_key(key: &Node) -> Option<String> {
    match key {
        Node::Str(s) | Node::Special(s) => Some(s.clone()),
        Node::Int(i) => Some(i.to_string()),
        Node::UInt(u) => Some(u.to_string()),
        Node::Float(f) => Some(f.to_string()),
        Node::Bool(b) => Some(b.to_string()),
        Node::Null => Some("null".to_owned()),
        Node::Seq(_) | Node::Map(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_and_json_give_the_same_value() {
        let yaml = "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\nx: 1.5\n";
        let json_text = r#"{"x": 1.5, "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}, "openapi": "3.1.0"}"#;
        assert_eq!(
            parse(yaml, "a.yaml", false).unwrap(),
            parse(json_text, "a.json", true).unwrap()
        );
    }

    #[test]
    fn parse_errors_name_the_file_and_line() {
        let err = parse("a: [1, 2\nb: 3\n", "broken.yaml", false).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("broken.yaml: #: invalid YAML:"), "{text}");
        assert!(text.contains("line"), "{text}");
        let err = parse("{\"a\": }", "broken.json", true).unwrap_err();
        assert!(err.to_string().contains("line 1 column 7"), "{err}");
    }

    #[test]
    fn merge_keys_and_special_floats() {
        let v = parse(
            "base: &b {x: 1}\nderived:\n  <<: *b\n  y: .inf\n",
            "m.yaml",
            false,
        )
        .unwrap();
        assert_eq!(v["derived"], json!({"x": 1, "y": ".inf"}));
    }

    #[test]
    fn keys_that_collide_after_conversion_are_refused() {
        let err = parse("responses:\n  200: a\n  '200': b\n", "d.yaml", false).unwrap_err();
        assert!(err.to_string().contains("found \"200\" twice"), "{err}");
    }

    #[test]
    fn integers_beyond_64_bits_load_as_floats_in_yaml_and_json() {
        let yaml = "a: -9223372036854776000\nb: 18446744073709551616123\nc: [340282366920938463463374607431768211457]\n";
        let json_text = r#"{"a": -9223372036854776000, "b": 18446744073709551616123, "c": [340282366920938463463374607431768211457]}"#;
        let from_yaml = parse(yaml, "n.yaml", false).unwrap();
        assert_eq!(from_yaml, parse(json_text, "n.json", true).unwrap());
        assert_eq!(from_yaml["a"].as_f64(), Some(-9.223372036854776e18));
        assert_eq!(from_yaml["b"].as_f64(), Some(1.8446744073709552e22));
        assert!(from_yaml["c"][0].as_f64().unwrap() > 3.4e38);
        // The 64-bit extremes stay integers.
        let edges = parse(
            "min: -9223372036854775808\nmax: 18446744073709551615\n",
            "e.yaml",
            false,
        )
        .unwrap();
        assert_eq!(edges["min"].as_i64(), Some(i64::MIN));
        assert_eq!(edges["max"].as_u64(), Some(u64::MAX));
    }

    #[test]
    fn tags_are_dropped_and_merge_lists_keep_the_first_value() {
        let v = parse(
            "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  z: 3\nd: !custom {k: v}\n",
            "t.yaml",
            false,
        )
        .unwrap();
        assert_eq!(v["c"], json!({"x": 1, "y": 1, "z": 3}));
        assert_eq!(v["d"], json!({"k": "v"}));
        let err = parse("a:\n  <<: 3\n", "m.yaml", false).unwrap_err();
        assert!(err.to_string().contains("merge"), "{err}");
    }

    #[test]
    fn missing_files_are_named() {
        let err = load_file(Path::new("/nonexistent/x.yaml"), "x.yaml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.yaml: #: expected a readable file, found no such file"
        );
    }
}
