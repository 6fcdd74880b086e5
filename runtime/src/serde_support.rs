//! Serde helpers the generated types call: how many keys an untagged union's alternative
//! knows, and the JSON form of `format: binary` properties.

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serializer};
use serde_json::Value;

/// How many of an object's keys a type knows: untagged unions of objects prefer the
/// alternative that accounts for the most of the value.
pub fn known_keys(value: &Value, known: &[&str]) -> usize {
    value.as_object().map_or(0, |map| {
        map.keys().filter(|k| known.contains(&k.as_str())).count()
    })
}

/// `format: binary` properties in JSON: read from a string (its bytes) or an array of byte
/// values; written as a string when the bytes are printable text (what a JSON server sends),
/// else as an array of byte values, so either form keeps its JSON type on a round trip.
pub mod binary {
    use super::*;

    pub fn serialize<S: Serializer>(data: &Bytes, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(data) {
            Ok(text)
                if text
                    .chars()
                    .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t')) =>
            {
                serializer.serialize_str(text)
            }
            _ => serializer.collect_seq(data.iter()),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Bytes, D::Error> {
        Bytes::deserialize(deserializer)
    }

    /// The same for an optional property.
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(
            data: &Option<Bytes>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match data {
                Some(data) => super::serialize(data, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Bytes>, D::Error> {
            Option::<Bytes>::deserialize(deserializer)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Blob {
        #[serde(with = "binary")]
        data: Bytes,
        #[serde(with = "binary::option", default)]
        more: Option<Bytes>,
    }

    #[test]
    fn binary_keeps_its_json_type() {
        let text = json!({"data": "aGk=", "more": null});
        let blob: Blob = serde_json::from_value(text.clone()).unwrap();
        assert_eq!(blob.data, Bytes::from_static(b"aGk="));
        assert_eq!(serde_json::to_value(&blob).unwrap(), text);
        let raw = json!({"data": [0, 255], "more": [1, 2]});
        let blob: Blob = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(serde_json::to_value(&blob).unwrap(), raw);
        // Bytes that happen to be text are written as text.
        let blob: Blob = serde_json::from_value(json!({"data": [104, 105]})).unwrap();
        assert_eq!(
            serde_json::to_value(&blob).unwrap(),
            json!({"data": "hi", "more": null})
        );
        let absent: Blob = serde_json::from_value(json!({"data": ""})).unwrap();
        assert_eq!(absent.more, None);
    }

    #[test]
    fn known_keys_counts_what_a_type_knows() {
        assert_eq!(
            known_keys(&json!({"a": 1, "b": 2, "z": 3}), &["a", "b", "c"]),
            2
        );
        assert_eq!(known_keys(&json!([1]), &["a"]), 0);
    }
}
