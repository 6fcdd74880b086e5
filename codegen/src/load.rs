//! Stage 1: read a YAML or JSON document into a `serde_json::Value`.
//!
//! Maps come out with sorted keys (`serde_json::Map` is a `BTreeMap`), so nothing downstream can
//! depend on the order a document happened to list its keys in.

use crate::error::{Error, Result};
use serde_json::{Map, Number, Value};
use std::path::Path;

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
    let mut yaml: yaml_serde::Value = yaml_serde::from_str(text)
        .map_err(|e| Error::new(display, "", format!("invalid YAML: {e}")))?;
    yaml.apply_merge().map_err(|e| {
        Error::new(
            display,
            "",
            format!("expected valid YAML merge keys (`<<`), found {e}"),
        )
    })?;
    yaml_to_json(yaml, "", display)
}

fn yaml_to_json(value: yaml_serde::Value, pointer: &str, display: &str) -> Result<Value> {
    use yaml_serde::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => yaml_number(&n),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &format!("{pointer}/{i}"), display))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut map = Map::new();
            for (key, item) in mapping {
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
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer, display)?,
    })
}

/// YAML allows `200:` or `true:` as keys; OpenAPI means the string.
fn yaml_key(key: &yaml_serde::Value) -> Option<String> {
    use yaml_serde::Value as Y;
    match key {
        Y::String(s) => Some(s.clone()),
        Y::Number(n) => Some(n.to_string()),
        Y::Bool(b) => Some(b.to_string()),
        Y::Null => Some("null".to_owned()),
        Y::Tagged(tagged) => yaml_key(&tagged.value),
        Y::Sequence(_) | Y::Mapping(_) => None,
    }
}

fn yaml_number(n: &yaml_serde::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::Number(i.into())
    } else if let Some(u) = n.as_u64() {
        Value::Number(u.into())
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        // JSON has no infinities or NaN; keep YAML's spelling as text.
        Number::from_f64(f).map_or_else(|| Value::String(n.to_string()), Value::Number)
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
    fn missing_files_are_named() {
        let err = load_file(Path::new("/nonexistent/x.yaml"), "x.yaml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.yaml: #: expected a readable file, found no such file"
        );
    }
}
