//! `multipart/form-data` bodies, built part by part by the generated code.

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone)]
pub(crate) enum PartBody {
    Text(String),
    Json(String),
    File(Bytes),
}

/// A `multipart/form-data` body. Values become text parts (objects and arrays of objects become
/// `application/json` parts); binary fields become file parts. Absent (`None`) values add nothing.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    pub(crate) parts: Vec<(String, PartBody)>,
    pub(crate) problem: Option<String>,
}

/// Values a file part can be made of: bytes, optional bytes, lists of them.
pub trait FileParts {
    fn file_parts(&self) -> Vec<Bytes>;
}

impl FileParts for Bytes {
    fn file_parts(&self) -> Vec<Bytes> {
        vec![self.clone()]
    }
}

impl FileParts for Vec<u8> {
    fn file_parts(&self) -> Vec<Bytes> {
        vec![Bytes::from(self.clone())]
    }
}

impl<T: FileParts> FileParts for Option<T> {
    fn file_parts(&self) -> Vec<Bytes> {
        self.as_ref().map(FileParts::file_parts).unwrap_or_default()
    }
}

impl<T: FileParts> FileParts for Vec<T> {
    fn file_parts(&self) -> Vec<Bytes> {
        self.iter().flat_map(FileParts::file_parts).collect()
    }
}

impl<T: FileParts> FileParts for Box<T> {
    fn file_parts(&self) -> Vec<Bytes> {
        (**self).file_parts()
    }
}

impl Multipart {
    pub fn new() -> Self {
        Multipart::default()
    }

    /// A field: text for scalars, one part per item for lists, JSON for objects.
    pub fn field(mut self, name: &str, value: &impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => self.push_value(name, value),
            Err(e) => {
                if self.problem.is_none() {
                    self.problem = Some(format!(
                        "multipart field `{name}` cannot be serialized: {e}"
                    ));
                }
            }
        }
        self
    }

    /// A file field: one file part per value.
    pub fn file(mut self, name: &str, value: &impl FileParts) -> Self {
        for data in value.file_parts() {
            self.parts.push((name.to_owned(), PartBody::File(data)));
        }
        self
    }

    /// Every property of an untyped object as a field.
    pub fn fields_of(value: &impl Serialize) -> Self {
        let mut form = Multipart::new();
        match serde_json::to_value(value) {
            Ok(Value::Object(map)) => {
                for (name, value) in map {
                    form.push_value(&name, value);
                }
            }
            Ok(Value::Null) => {}
            Ok(_) => form.problem = Some("a multipart body must be an object".to_owned()),
            Err(e) => form.problem = Some(format!("the multipart body cannot be serialized: {e}")),
        }
        form
    }

    fn push_value(&mut self, name: &str, value: Value) {
        match value {
            Value::Null => {}
            Value::String(text) => self.parts.push((name.to_owned(), PartBody::Text(text))),
            Value::Bool(_) | Value::Number(_) => self
                .parts
                .push((name.to_owned(), PartBody::Text(value.to_string()))),
            Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                for item in items {
                    self.push_value(name, item);
                }
            }
            other => self
                .parts
                .push((name.to_owned(), PartBody::Json(other.to_string()))),
        }
    }

    /// The names of the parts, in order (for tests and logs; values are not shown).
    pub fn part_names(&self) -> Vec<&str> {
        self.parts.iter().map(|(name, _)| name.as_str()).collect()
    }

    pub(crate) fn into_form(self) -> Result<reqwest::multipart::Form, String> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        let mut form = reqwest::multipart::Form::new();
        for (name, body) in self.parts {
            let part = match body {
                PartBody::Text(text) => reqwest::multipart::Part::text(text),
                PartBody::Json(json) => reqwest::multipart::Part::text(json)
                    .mime_str("application/json")
                    .map_err(|e| e.to_string())?,
                PartBody::File(data) => {
                    reqwest::multipart::Part::stream(data).file_name(name.clone())
                }
            };
            form = form.part(name, part);
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_become_parts() {
        let form = Multipart::new()
            .field("name", &"report")
            .field("count", &3)
            .field("tags", &["a", "b"])
            .field("meta", &json!({"k": 1}))
            .field("absent", &Option::<String>::None)
            .file("file", &Bytes::from_static(b"\x00\x01"))
            .file("more", &Option::<Bytes>::None);
        assert_eq!(
            form.part_names(),
            vec!["name", "count", "tags", "tags", "meta", "file"]
        );
        assert!(matches!(&form.parts[4].1, PartBody::Json(text) if text == "{\"k\":1}"));
        assert!(form.into_form().is_ok());
    }

    #[test]
    fn untyped_bodies_give_one_part_per_property() {
        let form = Multipart::fields_of(&json!({"a": "x", "b": null, "c": [1, 2]}));
        assert_eq!(form.part_names(), vec!["a", "c", "c"]);
        assert!(Multipart::fields_of(&json!(5)).into_form().is_err());
    }
}
