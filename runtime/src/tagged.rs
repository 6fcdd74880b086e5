//! Unions told apart by a tag property, read in one pass: the object's entries up to the tag are
//! held as JSON values, then the variant the tag names reads them and the rest of the object
//! straight from the decoder, so a mismatch keeps its path and nothing is parsed twice. A tag
//! the client does not know, a missing one, or a value that is not an object is kept as JSON.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;

/// A union told apart by the property [`Tagged::TAG`]; generated code implements it and reads
/// the union with [`read_tagged`].
pub trait Tagged: Sized {
    /// The discriminator property.
    const TAG: &'static str;

    /// Whether a variant has the tag `tag`.
    fn knows(tag: &str) -> bool;

    /// Reads the variant `tag` selects (one [`Tagged::knows`]) from `deserializer`, a map
    /// holding every property, the tag among them.
    fn variant<'de, D: Deserializer<'de>>(tag: &str, deserializer: D) -> Result<Self, D::Error>;

    /// The union holding a value whose tag no variant knows.
    fn other(value: Value) -> Self;
}

/// Reads a [`Tagged`] union in one pass.
pub fn read_tagged<'de, D: Deserializer<'de>, U: Tagged>(deserializer: D) -> Result<U, D::Error> {
    deserializer.deserialize_any(TaggedVisitor(PhantomData))
}

struct TaggedVisitor<U>(PhantomData<U>);

impl<'de, U: Tagged> Visitor<'de> for TaggedVisitor<U> {
    type Value = U;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with a `{}` property", U::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<U, A::Error> {
        let mut before: Vec<(String, Value)> = Vec::new();
        loop {
            let Some(key) = map.next_key::<String>()? else {
                // No tag at all: kept whole.
                return Ok(U::other(Value::Object(before.into_iter().collect())));
            };
            let value: Value = map.next_value()?;
            let is_tag = key == U::TAG;
            before.push((key, value));
            if !is_tag {
                continue;
            }
            let tag = match before.last() {
                Some((_, Value::String(tag))) if U::knows(tag) => tag.clone(),
                // An unknown tag: the whole object, as JSON.
                _ => return rest_as_value(before, map).map(U::other),
            };
            let chained = Chained {
                before: before.into_iter(),
                pending: None,
                live: map,
            };
            return U::variant(&tag, de::value::MapAccessDeserializer::new(chained));
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<U, E> {
        Ok(U::other(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<U, E> {
        Ok(U::other(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<U, E> {
        Ok(U::other(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<U, E> {
        Ok(U::other(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<U, E> {
        Ok(U::other(Value::from(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<U, E> {
        Ok(U::other(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<U, E> {
        Ok(U::other(Value::Null))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<U, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(U::other)
    }
}

/// The entries read before the tag, then the rest of the object as the decoder reads it.
struct Chained<A> {
    before: std::vec::IntoIter<(String, Value)>,
    /// The value of the entry before the tag whose key was just read, and that key.
    pending: Option<(String, Value)>,
    live: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Chained<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.before.next() {
            Some((key, value)) => {
                let shown: de::value::StringDeserializer<A::Error> =
                    key.clone().into_deserializer();
                self.pending = Some((key, value));
                seed.deserialize(shown).map(Some)
            }
            None => self.live.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.pending.take() {
            // Read from the value held, where the decoder's path does not reach: the message
            // says where, and the decode error joins it to its path.
            Some((key, value)) => {
                let mut track = serde_path_to_error::Track::new();
                let tracked = serde_path_to_error::Deserializer::new(value, &mut track);
                seed.deserialize(tracked).map_err(|error| {
                    let inner = track.path().to_string();
                    let path = match inner.as_str() {
                        "." => key,
                        nested if nested.starts_with('[') => format!("{key}{nested}"),
                        nested => format!("{key}.{nested}"),
                    };
                    de::Error::custom(format!("{error} at `{path}`"))
                })
            }
            None => self.live.next_value_seed(seed),
        }
    }
}

/// Keeps the object whole for a tag no variant knows: the entries before the tag and the rest.
fn rest_as_value<'de, A: MapAccess<'de>>(
    before: Vec<(String, Value)>,
    mut live: A,
) -> Result<Value, A::Error> {
    let mut object: Map<String, Value> = before.into_iter().collect();
    while let Some((key, value)) = live.next_entry::<String, Value>()? {
        object.insert(key, value);
    }
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Started {
        event: String,
        at: u64,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Finished {
        event: String,
        data: Outcome,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Outcome {
        status: String,
    }

    #[derive(Debug, PartialEq)]
    enum Run {
        Started(Started),
        Finished(Finished),
        Other(Value),
    }

    impl Tagged for Run {
        const TAG: &'static str = "event";

        fn knows(tag: &str) -> bool {
            matches!(tag, "started" | "finished")
        }

        fn variant<'de, D: Deserializer<'de>>(tag: &str, d: D) -> Result<Self, D::Error> {
            match tag {
                "started" => Started::deserialize(d).map(Run::Started),
                "finished" => Finished::deserialize(d).map(Run::Finished),
                other => Err(de::Error::unknown_variant(other, &[])),
            }
        }

        fn other(value: Value) -> Self {
            Run::Other(value)
        }
    }

    impl<'de> Deserialize<'de> for Run {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            read_tagged(d)
        }
    }

    /// The path and message of a text that does not decode, as a response's decode error says.
    fn mismatch(text: &str) -> (String, String) {
        let mut de = serde_json::Deserializer::from_str(text);
        let error = serde_path_to_error::deserialize::<_, Run>(&mut de).unwrap_err();
        (error.path().to_string(), error.inner().to_string())
    }

    #[test]
    fn the_tag_chooses_the_variant_wherever_it_stands() {
        for text in [
            r#"{"event": "started", "at": 7}"#,
            r#"{"at": 7, "event": "started"}"#,
        ] {
            let run: Run = serde_json::from_str(text).unwrap();
            assert_eq!(
                run,
                Run::Started(Started {
                    event: "started".into(),
                    at: 7
                }),
                "{text}"
            );
        }
        // From a value already parsed, too.
        let run: Run =
            serde_json::from_value(json!({"data": {"status": "ok"}, "event": "finished"})).unwrap();
        assert!(matches!(run, Run::Finished(f) if f.data.status == "ok"));
    }

    #[test]
    fn unknown_tags_no_tag_and_other_values_are_kept_whole() {
        let text = r#"{"id": 1, "event": "paused", "data": {"why": "review"}}"#;
        let run: Run = serde_json::from_str(text).unwrap();
        assert_eq!(
            run,
            Run::Other(json!({"id": 1, "event": "paused", "data": {"why": "review"}}))
        );
        let run: Run = serde_json::from_str(r#"{"id": 1}"#).unwrap();
        assert_eq!(run, Run::Other(json!({"id": 1})));
        let run: Run = serde_json::from_str(r#"{"event": 3, "at": 1}"#).unwrap();
        assert_eq!(run, Run::Other(json!({"event": 3, "at": 1})));
        for text in [r#""started""#, "42", "[1, 2]", "null", "true"] {
            let run: Run = serde_json::from_str(text).unwrap();
            assert!(matches!(run, Run::Other(_)), "{text}");
        }
    }

    #[test]
    fn a_mismatch_says_where_before_and_after_the_tag() {
        // After the tag: the decoder's own path.
        let (path, _) = mismatch(r#"{"event": "finished", "data": {"status": 5}}"#);
        assert_eq!(path, "data.status");
        // Before it: held as a value, the message says where.
        let (path, message) = mismatch(r#"{"data": {"status": 5}, "event": "finished"}"#);
        assert_eq!(path, ".");
        assert!(message.contains("at `data.status`"), "{message}");
    }
}
