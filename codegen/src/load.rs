//! Stage 1: read a YAML or JSON document into a `serde_json::Value`.
//!
//! Maps come out with sorted keys (`serde_json::Map` is a `BTreeMap`), so nothing downstream can
//! depend on the order a document happened to list its keys in.

use crate::error::{Error, Result};
use crate::pointer::RefTarget;
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

fn io_reason(e: &std::io::Error) -> String {
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

/// Where documents referenced from other files are kept inside the root document.
pub const EXTERNAL: &str = "x-apigen-external";

/// Keys whose values are data, not API description: `$ref` keys inside them are left alone.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Brings every local file a `$ref` points to into the document, under `/x-apigen-external`,
/// and rewrites those references (and the references inside the brought files) to point there.
/// A reference to a URL, or to a file that cannot be read, is an error naming the referring
/// file and pointer. Files are read once each, cycles between files included.
pub fn bundle(root: &mut Value, path: &Path, display: &str) -> Result<()> {
    let mut bundler = Bundler::default();
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    bundler.rewrite(root, &base, None, String::new(), display)?;
    let mut done = 0;
    while done < bundler.loaded.len() {
        let (key, file, file_display) = bundler.loaded[done].clone();
        let mut doc = bundler.documents.remove(&key).unwrap_or(Value::Null);
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        bundler.rewrite(&mut doc, &dir, Some(&key), String::new(), &file_display)?;
        bundler.documents.insert(key, doc);
        done += 1;
    }
    if !bundler.documents.is_empty() {
        let Value::Object(map) = root else {
            return Ok(());
        };
        let externals: Map<String, Value> =
            std::mem::take(&mut bundler.documents).into_iter().collect();
        map.insert(EXTERNAL.to_owned(), Value::Object(externals));
    }
    Ok(())
}

#[derive(Default)]
struct Bundler {
    /// Canonical path -> key under `/x-apigen-external`.
    keys: BTreeMap<PathBuf, String>,
    /// Key -> the document read from that file.
    documents: BTreeMap<String, Value>,
    /// (key, path, display) in the order files were found.
    loaded: Vec<(String, PathBuf, String)>,
}

/// More files than this referenced from one document is refused.
const MAX_FILES: usize = 1000;

impl Bundler {
    fn rewrite(
        &mut self,
        value: &mut Value,
        dir: &Path,
        own: Option<&str>,
        at: String,
        display: &str,
    ) -> Result<()> {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    if let Some(rewritten) = self.target(&reference, dir, own, &at, display)? {
                        map.insert("$ref".to_owned(), Value::String(rewritten));
                    }
                }
                for (key, child) in map.iter_mut() {
                    if key != "$ref" && !is_data_key(key) {
                        self.rewrite(child, dir, own, crate::pointer::join(&at, key), display)?;
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.rewrite(item, dir, own, format!("{at}/{i}"), display)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The reference rewritten to point inside the bundled document, if it has to change.
    fn target(
        &mut self,
        reference: &str,
        dir: &Path,
        own: Option<&str>,
        at: &str,
        display: &str,
    ) -> Result<Option<String>> {
        let Ok(target) = crate::pointer::parse_ref(reference) else {
            return Ok(None); // normalize reports malformed references with their pointer
        };
        let at_ref = format!("{at}/$ref");
        let (key, pointer) = match target {
            RefTarget::Local(pointer) => match own {
                Some(key) => (key.to_owned(), pointer),
                None => return Ok(None),
            },
            RefTarget::External { document, pointer } => {
                if document.contains("://") || document.starts_with("//") {
                    return Err(Error::new(
                        display,
                        &at_ref,
                        format!(
                            "$ref {reference:?}: expected a reference within the document or to a readable local file, found a URL"
                        ),
                    ));
                }
                let file = dir.join(&document);
                let canonical = std::fs::canonicalize(&file).map_err(|e| {
                    Error::new(
                        display,
                        &at_ref,
                        format!(
                            "$ref {reference:?}: expected a readable local file, found {} ({})",
                            io_reason(&e),
                            file.display()
                        ),
                    )
                })?;
                let key = match self.keys.get(&canonical) {
                    Some(key) => key.clone(),
                    None => {
                        if self.keys.len() >= MAX_FILES {
                            return Err(Error::new(
                                display,
                                &at_ref,
                                format!(
                                    "expected at most {MAX_FILES} referenced files, found more"
                                ),
                            ));
                        }
                        let key = format!("{}:{}", self.keys.len(), document.replace('\\', "/"));
                        let file_display = file.display().to_string();
                        let doc = load_file(&canonical, &file_display)?;
                        self.keys.insert(canonical.clone(), key.clone());
                        self.documents.insert(key.clone(), doc);
                        self.loaded.push((key.clone(), canonical, file_display));
                        key
                    }
                };
                (key, pointer)
            }
        };
        Ok(Some(format!(
            "#/{EXTERNAL}/{}{pointer}",
            crate::pointer::escape(&key)
        )))
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
