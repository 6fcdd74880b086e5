//! Stage 2: one shape for OpenAPI 3.0 and 3.1.
//!
//! [`document`] reads the parts of a document a client needs (servers, security, operations,
//! parameters, bodies, responses) and [`schema`] reads one schema at a time, on demand, so that
//! a `$ref` to any place in the document, not only `components`, reads the same way. After this
//! stage nothing asks which OpenAPI version a document was written in.

pub mod document;
pub mod operations;
pub mod schema;
pub mod security;

use crate::diagnostics::Diagnostics;
use crate::error::{Error, Result, describe};
use crate::pointer::{self, RefTarget};
use serde_json::{Map, Value};

/// How many `$ref` hops in a row are followed before a chain is declared cyclic.
pub(crate) const MAX_REF_HOPS: usize = 64;

/// The document being read: how errors name it, and its root value.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub file: &'a str,
    pub root: &'a Value,
}

impl<'a> Source<'a> {
    pub fn new(file: &'a str, root: &'a Value) -> Self {
        Source { file, root }
    }

    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::new(self.file, pointer, message)
    }

    /// The value at `pointer`, which must exist.
    pub fn at(&self, pointer: &str) -> Result<&'a Value> {
        pointer::get(self.root, pointer)
            .ok_or_else(|| self.error(pointer, "expected a value here, found nothing"))
    }

    /// Follows `$ref` from the object at `pointer` until a value without one, returning its
    /// pointer and value. Errors name the place of the bad reference.
    pub fn resolve(&self, pointer: &str) -> Result<(String, &'a Value)> {
        let mut current = pointer.to_owned();
        let mut value = self.at(pointer)?;
        for _ in 0..MAX_REF_HOPS {
            match ref_of(value) {
                None => return Ok((current, value)),
                Some(reference) => {
                    let target = self.ref_target(&current, reference)?;
                    value = pointer::get(self.root, &target).ok_or_else(|| {
                        self.error(
                            &format!("{current}/$ref"),
                            format!(
                                "$ref {reference}: expected a value at that pointer, found nothing"
                            ),
                        )
                    })?;
                    current = target;
                }
            }
        }
        Err(self.error(
            pointer,
            format!(
                "expected a $ref chain to end, found a cycle of more than {MAX_REF_HOPS} references"
            ),
        ))
    }

    /// The local pointer a `$ref` found at `at` designates; external references are refused.
    pub fn ref_target(&self, at: &str, reference: &Value) -> Result<String> {
        let at_ref = format!("{at}/$ref");
        let Some(text) = reference.as_str() else {
            return Err(self.error(
                &at_ref,
                format!("expected a $ref string, found {}", describe(reference)),
            ));
        };
        match pointer::parse_ref(text) {
            Ok(RefTarget::Local(target)) => {
                if pointer::get(self.root, &target).is_none() {
                    return Err(self.error(
                        &at_ref,
                        format!("$ref {text:?}: expected a value at that pointer, found nothing"),
                    ));
                }
                Ok(target)
            }
            Ok(RefTarget::External { document, .. }) => Err(self.error(
                &at_ref,
                format!(
                    "$ref {text:?}: expected a reference within the document or to a readable local file, found a reference into {document} (other files are read when generating from a file)"
                ),
            )),
            Err(message) => Err(self.error(&at_ref, message)),
        }
    }
}

/// The `$ref` of an object, if it has one.
pub fn ref_of(value: &Value) -> Option<&Value> {
    value.as_object().and_then(|m| m.get("$ref"))
}

/// The object at `value`, or an error naming what was found instead.
pub fn expect_object<'v>(
    src: &Source<'_>,
    pointer: &str,
    value: &'v Value,
) -> Result<&'v Map<String, Value>> {
    value.as_object().ok_or_else(|| {
        src.error(
            pointer,
            format!("expected an object, found {}", describe(value)),
        )
    })
}

/// The object at `value`; anything else is skipped with a warning naming `what`.
pub fn object_or_skip<'v>(
    diag: &mut Diagnostics,
    pointer: &str,
    value: &'v Value,
    what: &str,
) -> Option<&'v Map<String, Value>> {
    let map = value.as_object();
    if map.is_none() {
        diag.warn(
            pointer,
            format!(
                "expected an object, found {}; {what} skipped",
                describe(value)
            ),
        );
    }
    map
}

/// The items of the list at `value` (none when it is absent); anything else is ignored with a
/// warning naming `what` the list should hold.
pub fn list_or_skip<'v>(
    diag: &mut Diagnostics,
    value: Option<&'v Value>,
    pointer: &str,
    what: &str,
) -> &'v [Value] {
    match value {
        None => &[],
        Some(Value::Array(items)) => items,
        Some(other) => {
            diag.warn(
                pointer,
                format!(
                    "expected a list of {what}, found {}; ignored",
                    describe(other)
                ),
            );
            &[]
        }
    }
}

/// How an optional field's value reads in "expected X, found Y" messages.
pub fn found(value: Option<&Value>) -> String {
    value.map_or_else(|| "nothing".to_owned(), describe)
}

/// A string field; a field of another type is ignored with a warning.
pub fn opt_str(
    diag: &mut Diagnostics,
    map: &Map<String, Value>,
    pointer: &str,
    key: &str,
) -> Option<String> {
    match map.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            diag.warn(
                &pointer::join(pointer, key),
                format!("expected a string, found {}; ignored", describe(other)),
            );
            None
        }
    }
}

/// A boolean field; a field of another type is ignored with a warning.
pub fn opt_bool(
    diag: &mut Diagnostics,
    map: &Map<String, Value>,
    pointer: &str,
    key: &str,
) -> Option<bool> {
    match map.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            diag.warn(
                &pointer::join(pointer, key),
                format!("expected a boolean, found {}; ignored", describe(other)),
            );
            None
        }
    }
}
