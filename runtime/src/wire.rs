//! What the generated types' `Serialize` and `Deserialize` impls share, so that each type's
//! impl is one short match: objects read key by key without copying keys, open enums read
//! through their `From<&str>`, missing properties reported by name, binary fields written in
//! their JSON form. Written out rather than derived, the impls check several times faster.

use bytes::Bytes;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

/// An object's key as the decoder gives it: borrowed from the input where it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key, owned.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl Deref for Key<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A generated struct read from a JSON object: [`read_object`] gives it the object's entries.
pub trait ReadObject: Sized {
    /// The type's name, for "expected ..." messages.
    const NAME: &'static str;

    /// Reads the entries, in any order; unknown keys are skipped (or kept, where the type keeps
    /// other properties).
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads a [`ReadObject`] type: the body of its `Deserialize::deserialize`.
pub fn read_object<'de, D: Deserializer<'de>, T: ReadObject>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(PhantomData<T>);

    impl<'de, T: ReadObject> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an object ({})", T::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::read(map)
        }
    }

    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Reads an entry's value into `Some` of the slot: a property that may be absent.
pub struct Slot<'a, T>(pub &'a mut Option<T>);

impl<'de, T: Deserialize<'de>> de::DeserializeSeed<'de> for Slot<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        *self.0 = Some(T::deserialize(deserializer)?);
        Ok(())
    }
}

/// Reads an entry's value into the place given (an optional property's `Option`).
pub struct Put<'a, T>(pub &'a mut T);

impl<'de, T: Deserialize<'de>> de::DeserializeSeed<'de> for Put<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        *self.0 = T::deserialize(deserializer)?;
        Ok(())
    }
}

/// Skips an entry's value.
pub struct Skip;

impl<'de> de::DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        de::IgnoredAny::deserialize(deserializer).map(drop)
    }
}

/// The error for a required property that is absent.
pub fn missing<E: de::Error>(name: &'static str) -> E {
    E::missing_field(name)
}

/// Reads an open string enum: any string, known values to their variant, others kept.
pub fn read_open_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct EnumVisitor<T>(PhantomData<T>);

    impl<T: for<'a> From<&'a str>> Visitor<'_> for EnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
    }

    deserializer.deserialize_str(EnumVisitor(PhantomData))
}

/// A struct's entries as they are written: each `put` without a `?` to check (what rustc
/// checks per field stays small), the first error kept and returned by [`Entries::end`].
pub struct Entries<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> Entries<M> {
    pub fn new(map: M) -> Self {
        Entries { map, error: None }
    }

    /// Writes an entry (nothing more after an error).
    pub fn put<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if self.error.is_none()
            && let Err(error) = self.map.serialize_entry(key, value)
        {
            self.error = Some(error);
        }
    }

    /// Writes an entry when the value is there: an absent property stays absent.
    pub fn opt<T: Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.put(key, value);
        }
    }

    /// The end of the map, or the first error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }
}

/// A `format: binary` field as it is written in JSON (see [`crate::binary`]).
pub struct AsBinary<'a, T>(pub &'a T);

impl Serialize for AsBinary<'_, Bytes> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::binary::serialize(self.0, serializer)
    }
}

impl Serialize for AsBinary<'_, Option<Bytes>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::binary::option::serialize(self.0, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the generator writes for a struct with a required, an optional and a defaulted
    /// property.
    #[derive(Debug, PartialEq, crate::JsonObject)]
    struct Run {
        id: String,
        note: Option<String>,
        #[json(default = three)]
        tries: i64,
    }

    fn three() -> i64 {
        3
    }

    /// Every field attribute of the derive.
    #[derive(Debug, PartialEq, crate::JsonObject)]
    struct Shapes {
        #[json(rename = "type")]
        kind: String,
        #[json(required)]
        parent: Option<String>,
        #[json(nulls)]
        label: Option<String>,
        #[json(binary)]
        data: Option<Bytes>,
        #[json(others)]
        rest: std::collections::BTreeMap<String, serde_json::Value>,
    }

    #[test]
    fn field_attributes_rename_require_write_nulls_and_keep_others() {
        let read: Shapes =
            serde_json::from_str(r#"{"type": "t", "parent": null, "x": [1], "data": "hi"}"#)
                .unwrap();
        assert_eq!(read.kind, "t");
        assert_eq!(read.parent, None);
        assert_eq!(read.label, None);
        assert_eq!(read.data.as_deref(), Some(&b"hi"[..]));
        assert_eq!(read.rest.get("x"), Some(&serde_json::json!([1])));
        assert_eq!(read.rest.len(), 1);
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"{"type":"t","parent":null,"label":null,"data":"hi","x":[1]}"#
        );
        let without_data = Shapes {
            data: None,
            rest: Default::default(),
            ..read
        };
        assert_eq!(
            serde_json::to_string(&without_data).unwrap(),
            r#"{"type":"t","parent":null,"label":null}"#
        );
        let err = serde_json::from_str::<Shapes>(r#"{"type": "t"}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "missing field `parent` at line 1 column 13"
        );
        let err = serde_json::from_str::<Shapes>(r#"{"parent": "p"}"#).unwrap_err();
        assert_eq!(err.to_string(), "missing field `type` at line 1 column 15");
    }

    #[test]
    fn objects_read_in_any_order_with_defaults_and_unknown_keys() {
        let run: Run =
            serde_json::from_str(r#"{"extra": [1, {"a": 2}], "note": null, "id": "r\"1"}"#)
                .unwrap();
        assert_eq!(
            run,
            Run {
                id: "r\"1".into(),
                note: None,
                tries: 3
            }
        );
        let run: Run = serde_json::from_value(serde_json::json!({"id": "r", "tries": 5})).unwrap();
        assert_eq!(run.tries, 5);
        assert_eq!(
            serde_json::to_string(&run).unwrap(),
            r#"{"id":"r","tries":5}"#
        );
    }

    #[test]
    fn a_missing_property_or_a_wrong_type_is_an_error_with_its_path() {
        let err = serde_json::from_str::<Run>(r#"{"note": "n"}"#).unwrap_err();
        assert_eq!(err.to_string(), "missing field `id` at line 1 column 13");
        let err = serde_json::from_str::<Run>("[1]").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invalid type: sequence, expected an object (Run)")
        );
        let mut track = serde_path_to_error::Track::new();
        let mut json = serde_json::Deserializer::from_str(r#"{"id": "r", "tries": "many"}"#);
        let read = Run::deserialize(serde_path_to_error::Deserializer::new(
            &mut json, &mut track,
        ));
        assert!(read.is_err());
        assert_eq!(track.path().to_string(), "tries");
    }

    #[derive(Debug, PartialEq, crate::OpenEnum)]
    #[json(rename_all = "snake_case")]
    enum Status {
        Done,
        InProgress,
        #[json(rename = "on-hold")]
        OnHold,
        Other(String),
    }

    #[test]
    fn open_enums_keep_unknown_strings_and_refuse_other_types() {
        let read =
            |json: &str| read_open_enum::<_, Status>(&mut serde_json::Deserializer::from_str(json));
        assert_eq!(read(r#""done""#).unwrap(), Status::Done);
        assert_eq!(read(r#""d\u006fne""#).unwrap(), Status::Done);
        assert_eq!(read(r#""new""#).unwrap(), Status::Other("new".into()));
        assert!(read("1").is_err());
        assert_eq!(read(r#""in_progress""#).unwrap(), Status::InProgress);
        assert_eq!(Status::from("on-hold"), Status::OnHold);
        assert_eq!(Status::OnHold.as_str(), "on-hold");
        assert_eq!(Status::Other("x".into()).to_string(), "x");
        assert_eq!(
            serde_json::to_string(&[Status::InProgress, Status::Other("later".into())]).unwrap(),
            r#"["in_progress","later"]"#
        );
    }

    #[test]
    fn keys_borrow_from_the_input_unless_escaped() {
        let key: Key = serde_json::from_str(r#""plain""#).unwrap();
        assert!(matches!(key.0, Cow::Borrowed("plain")));
        let key: Key = serde_json::from_str(r#""a\nb""#).unwrap();
        assert_eq!(&*key, "a\nb");
    }
}
