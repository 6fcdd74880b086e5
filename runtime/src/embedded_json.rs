//! [`EmbeddedJson`]: a value a server sends either as JSON or as a string of JSON text.

use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, MapAccess, SeqAccess};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// A value that arrives either as JSON of type `T` or as a string holding that JSON encoded
/// (`"{\"query\": \"hi\"}"`), as some servers store and return it. The form that arrived is
/// kept, so the value is written back exactly as it came; [`parse`](Self::parse) gives `T`
/// whichever form it was.
#[derive(Debug, Clone, PartialEq)]
pub enum EmbeddedJson<T> {
    /// The value arrived as JSON.
    Json(T),
    /// The value arrived as a string of JSON text, kept as sent.
    Text(String),
}

impl<T> EmbeddedJson<T> {
    /// True when the value arrived as a string of JSON text.
    pub fn is_text(&self) -> bool {
        matches!(self, EmbeddedJson::Text(_))
    }

    /// The string as sent, when the value arrived as text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            EmbeddedJson::Text(text) => Some(text),
            EmbeddedJson::Json(_) => None,
        }
    }
}

impl<T: DeserializeOwned + Clone> EmbeddedJson<T> {
    /// The value as `T`: as it arrived, or decoded from the text. Text that is not JSON of
    /// type `T` is an error that says where it stopped matching.
    pub fn parse(&self) -> Result<T, serde_json::Error> {
        match self {
            EmbeddedJson::Json(value) => Ok(value.clone()),
            EmbeddedJson::Text(text) => serde_json::from_str(text),
        }
    }

    /// Like [`parse`](Self::parse), consuming the value.
    pub fn into_parsed(self) -> Result<T, serde_json::Error> {
        match self {
            EmbeddedJson::Json(value) => Ok(value),
            EmbeddedJson::Text(text) => serde_json::from_str(&text),
        }
    }
}

impl<T: Serialize> EmbeddedJson<T> {
    /// The value as untyped JSON, whichever form it arrived in.
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        match self {
            EmbeddedJson::Json(value) => serde_json::to_value(value),
            EmbeddedJson::Text(text) => serde_json::from_str(text),
        }
    }
}

impl<T> From<T> for EmbeddedJson<T> {
    fn from(value: T) -> Self {
        EmbeddedJson::Json(value)
    }
}

impl<T: Serialize> Serialize for EmbeddedJson<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EmbeddedJson::Json(value) => value.serialize(serializer),
            EmbeddedJson::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for EmbeddedJson<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EmbeddedVisitor(PhantomData))
    }
}

/// Strings become [`EmbeddedJson::Text`]; anything else is read as `T` in place, so a
/// mismatch inside it keeps its path.
struct EmbeddedVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> de::Visitor<'de> for EmbeddedVisitor<T> {
    type Value = EmbeddedJson<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value or a string of JSON text")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(EmbeddedJson::Text(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(EmbeddedJson::Text(text))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(EmbeddedJson::Json)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(EmbeddedJson::Json)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(EmbeddedJson::Json)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(EmbeddedJson::Json)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(EmbeddedJson::Json)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(EmbeddedJson::Json)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        T::deserialize(().into_deserializer()).map(EmbeddedJson::Json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    type Inputs = EmbeddedJson<BTreeMap<String, Value>>;

    #[test]
    fn both_forms_parse_to_the_same_value() {
        let object: Inputs =
            serde_json::from_value(json!({"query": "hi", "sys.files": []})).unwrap();
        let text: Inputs =
            serde_json::from_value(json!("{\"query\": \"hi\", \"sys.files\": []}")).unwrap();
        assert!(!object.is_text());
        assert_eq!(
            text.as_text(),
            Some("{\"query\": \"hi\", \"sys.files\": []}")
        );
        assert_eq!(object.parse().unwrap(), text.parse().unwrap());
        assert_eq!(text.parse().unwrap()["query"], json!("hi"));
        assert_eq!(
            text.to_value().unwrap(),
            json!({"query": "hi", "sys.files": []})
        );
    }

    #[test]
    fn each_form_is_written_back_as_it_came() {
        for sent in [json!({"a": 1}), json!("{\"a\": 1}")] {
            let read: Inputs = serde_json::from_value(sent.clone()).unwrap();
            assert_eq!(serde_json::to_value(&read).unwrap(), sent);
        }
    }

    #[test]
    fn text_that_is_not_json_is_kept_and_fails_only_when_parsed() {
        let read: Inputs = serde_json::from_value(json!("not json")).unwrap();
        assert_eq!(read.as_text(), Some("not json"));
        assert!(read.parse().is_err());
    }

    #[test]
    fn a_mismatch_inside_the_json_form_keeps_its_path() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Run {
            inputs: EmbeddedJson<BTreeMap<String, u32>>,
        }
        let text = r#"{"inputs": {"a": 1, "b": "two"}}"#;
        let mut de = serde_json::Deserializer::from_str(text);
        let err = serde_path_to_error::deserialize::<_, Run>(&mut de).unwrap_err();
        assert_eq!(err.path().to_string(), "inputs.b");
    }
}
