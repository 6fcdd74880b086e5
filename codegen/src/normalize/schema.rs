//! One schema, read into a version-neutral shape.
//!
//! 3.0's `nullable`, 3.1's `type: [T, "null"]`, `null` among `enum` values and Swagger's
//! `x-nullable` all become [`Schema::nullable`]; `const` becomes a one-value enumeration;
//! `example` and `examples` become [`Schema::examples`]. Sub-schemas are kept as pointers and read
//! when the lowering stage reaches them.

use super::{Source, opt_bool, opt_str, ref_of};
use crate::diagnostics::Diagnostics;
use crate::error::{Result, describe};
use crate::pointer::join;
use serde_json::Value;

/// The JSON Schema primitive types, `null` aside (see [`Schema::nullable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Type {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
}

impl Type {
    fn parse(name: &str) -> Option<Type> {
        Some(match name {
            "string" => Type::String,
            "integer" => Type::Integer,
            "number" => Type::Number,
            "boolean" => Type::Boolean,
            "object" => Type::Object,
            "array" => Type::Array,
            _ => return None,
        })
    }
}

/// What `additionalProperties` allows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Additional {
    /// Not said: other properties are allowed and untyped.
    #[default]
    Unspecified,
    /// `true` or `{}`: any other property, untyped.
    Any,
    /// `false`: no other properties (read leniently all the same).
    Forbidden,
    /// A schema for every other property.
    Schema(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discriminator {
    pub property: String,
    /// Tag value -> target schema pointer, in the document's (sorted) order.
    pub mapping: Vec<(String, String)>,
}

/// A schema object, normalized.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub pointer: String,
    /// The local pointer of `$ref`, when the schema is a reference (siblings are kept).
    pub reference: Option<String>,
    /// `true` for the boolean schema `false` (and `not: {}`): no value is valid.
    pub never: bool,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Allowed types other than `null`; empty means unconstrained.
    pub types: Vec<Type>,
    pub nullable: bool,
    pub format: Option<String>,
    /// `enum` without `null`, or `const` as a single value.
    pub enumeration: Option<Vec<Value>>,
    pub is_const: bool,
    /// Descriptions of enum values (`x-enum-descriptions`/`x-enumDescriptions`), by value.
    pub enum_descriptions: Vec<(String, String)>,
    /// Property name and the pointer of its schema, sorted by name.
    pub properties: Vec<(String, String)>,
    pub required: Vec<String>,
    pub additional: Additional,
    pub items: Option<String>,
    pub all_of: Vec<String>,
    pub one_of: Vec<String>,
    pub any_of: Vec<String>,
    pub discriminator: Option<Discriminator>,
    pub default: Option<Value>,
    pub examples: Vec<Value>,
    pub deprecated: bool,
    /// `contentMediaType`: the media type of a string's content (JSON text, for one).
    pub content_media_type: Option<String>,
    /// `contentSchema`: the schema of a string's decoded content.
    pub content_schema: Option<String>,
}

impl Schema {
    /// True when the schema says nothing that constrains a value (`{}` or `true`).
    pub fn is_unconstrained(&self) -> bool {
        self.reference.is_none()
            && !self.never
            && self.types.is_empty()
            && self.enumeration.is_none()
            && self.properties.is_empty()
            && self.items.is_none()
            && self.all_of.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && matches!(self.additional, Additional::Unspecified | Additional::Any)
    }

    /// True for a string whose content is JSON text (`contentMediaType: application/json` or
    /// another `+json` type).
    pub fn is_json_text(&self) -> bool {
        self.types == [Type::String]
            && self.content_media_type.as_deref().is_some_and(|media| {
                let essence = media
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            })
    }

    /// True when the schema lists alternatives (`oneOf` or `anyOf`).
    pub fn is_union(&self) -> bool {
        !self.one_of.is_empty() || !self.any_of.is_empty()
    }

    /// The alternatives the schema is typed by: `oneOf`'s, else `anyOf`'s.
    pub fn alternatives(&self) -> &[String] {
        if self.one_of.is_empty() {
            &self.any_of
        } else {
            &self.one_of
        }
    }

    /// The keyword [`alternatives`](Self::alternatives) come from.
    pub fn alternatives_keyword(&self) -> &'static str {
        if self.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        }
    }

    /// True when `name` is listed in `required`.
    pub fn requires(&self, name: &str) -> bool {
        self.required.iter().any(|r| r == name)
    }
}

/// Reads the schema at `pointer`.
pub fn read(src: &Source<'_>, diag: &mut Diagnostics, pointer: &str) -> Result<Schema> {
    let value = src.at(pointer)?;
    let mut schema = Schema {
        pointer: pointer.to_owned(),
        ..Schema::default()
    };
    let map = match value {
        Value::Bool(true) => return Ok(schema),
        Value::Bool(false) => {
            schema.never = true;
            return Ok(schema);
        }
        Value::Object(map) => map,
        other => {
            diag.warn(
                pointer,
                format!(
                    "expected a schema (an object or a boolean), found {}; typed as any JSON value",
                    describe(other)
                ),
            );
            return Ok(schema);
        }
    };

    if let Some(reference) = ref_of(value) {
        schema.reference = Some(src.ref_target(pointer, reference)?);
    }
    schema.title = opt_str(diag, map, pointer, "title");
    schema.description = opt_str(diag, map, pointer, "description");
    schema.format = opt_str(diag, map, pointer, "format");
    schema.deprecated = opt_bool(diag, map, pointer, "deprecated").unwrap_or(false);
    schema.nullable = opt_bool(diag, map, pointer, "nullable").unwrap_or(false)
        || opt_bool(diag, map, pointer, "x-nullable").unwrap_or(false);
    schema.content_media_type = opt_str(diag, map, pointer, "contentMediaType");
    if let Some(Value::Object(_) | Value::Bool(_)) = map.get("contentSchema") {
        schema.content_schema = Some(join(pointer, "contentSchema"));
    }

    match map.get("type") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => read_type(diag, pointer, name, &mut schema),
        Some(Value::Array(names)) => {
            for (i, name) in names.iter().enumerate() {
                match name.as_str() {
                    Some(name) => read_type(diag, pointer, name, &mut schema),
                    None => diag.warn(
                        &format!("{pointer}/type/{i}"),
                        format!("expected a type name, found {}; ignored", describe(name)),
                    ),
                }
            }
        }
        Some(other) => diag.warn(
            &join(pointer, "type"),
            format!(
                "expected a type name or a list of them, found {}; ignored",
                describe(other)
            ),
        ),
    }
    schema.types.sort();
    schema.types.dedup();

    if let Some(value) = map.get("const") {
        schema.is_const = true;
        if value.is_null() {
            schema.nullable = true;
            schema.enumeration = Some(Vec::new());
        } else {
            schema.enumeration = Some(vec![value.clone()]);
        }
    } else if let Some(values) = map.get("enum") {
        match values {
            Value::Array(values) => {
                if values.iter().any(Value::is_null) {
                    schema.nullable = true;
                }
                let mut kept: Vec<Value> = Vec::new();
                for v in values.iter().filter(|v| !v.is_null()) {
                    if !kept.contains(v) {
                        kept.push(v.clone());
                    }
                }
                schema.enumeration = Some(kept);
            }
            other => diag.warn(
                &join(pointer, "enum"),
                format!(
                    "expected a list of values, found {}; ignored",
                    describe(other)
                ),
            ),
        }
    }

    for key in ["x-enum-descriptions", "x-enumDescriptions"] {
        match map.get(key) {
            Some(Value::Object(by_value)) => {
                schema.enum_descriptions = by_value
                    .iter()
                    .filter_map(|(k, v)| v.as_str().map(|d| (k.clone(), d.to_owned())))
                    .collect();
            }
            Some(Value::Array(in_order)) => {
                let values = schema.enumeration.clone().unwrap_or_default();
                schema.enum_descriptions = values
                    .iter()
                    .zip(in_order)
                    .filter_map(|(v, d)| Some((v.as_str()?.to_owned(), d.as_str()?.to_owned())))
                    .collect();
            }
            _ => continue,
        }
        break;
    }

    if let Some(props) = map.get("properties") {
        match props {
            Value::Object(props) => {
                let base = join(pointer, "properties");
                schema.properties = props.keys().map(|k| (k.clone(), join(&base, k))).collect();
            }
            other => diag.warn(
                &join(pointer, "properties"),
                format!(
                    "expected an object of schemas, found {}; ignored",
                    describe(other)
                ),
            ),
        }
    }
    if let Some(required) = map.get("required") {
        match required {
            Value::Array(names) => {
                schema.required = names
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_owned))
                    .collect();
            }
            // Swagger-style `required: true` on a property schema says nothing about members.
            Value::Bool(_) => {}
            other => diag.warn(
                &join(pointer, "required"),
                format!(
                    "expected a list of property names, found {}; ignored",
                    describe(other)
                ),
            ),
        }
    }
    schema.additional = match map.get("additionalProperties") {
        None | Some(Value::Null) => Additional::Unspecified,
        Some(Value::Bool(true)) => Additional::Any,
        Some(Value::Bool(false)) => Additional::Forbidden,
        Some(Value::Object(inner)) if inner.is_empty() => Additional::Any,
        Some(Value::Object(_)) => Additional::Schema(join(pointer, "additionalProperties")),
        Some(other) => {
            diag.warn(
                &join(pointer, "additionalProperties"),
                format!(
                    "expected a boolean or a schema, found {}; ignored",
                    describe(other)
                ),
            );
            Additional::Unspecified
        }
    };
    match map.get("items") {
        None | Some(Value::Null) => {}
        Some(Value::Object(_) | Value::Bool(_)) => schema.items = Some(join(pointer, "items")),
        Some(Value::Array(_)) => diag.warn(
            &join(pointer, "items"),
            "tuple `items` (a list of schemas) is not typed item by item; items are untyped JSON",
        ),
        Some(other) => diag.warn(
            &join(pointer, "items"),
            format!(
                "expected a schema, found {}; items are untyped JSON",
                describe(other)
            ),
        ),
    }
    if schema.items.is_none() && map.contains_key("prefixItems") {
        diag.warn(
            &join(pointer, "prefixItems"),
            "tuple `prefixItems` is not typed item by item; items are untyped JSON",
        );
    }
    schema.all_of = sub_schemas(diag, map, pointer, "allOf");
    schema.one_of = sub_schemas(diag, map, pointer, "oneOf");
    schema.any_of = sub_schemas(diag, map, pointer, "anyOf");
    if let Some(Value::Object(not)) = map.get("not")
        && not.is_empty()
    {
        schema.never = true;
    }
    schema.discriminator = read_discriminator(src, diag, map, pointer)?;
    schema.default = map.get("default").cloned();
    if let Some(example) = map.get("example") {
        schema.examples.push(example.clone());
    }
    if let Some(Value::Array(examples)) = map.get("examples") {
        schema.examples.extend(examples.iter().cloned());
    }
    Ok(schema)
}

fn read_type(diag: &mut Diagnostics, pointer: &str, name: &str, schema: &mut Schema) {
    if name == "null" {
        schema.nullable = true;
    } else if let Some(t) = Type::parse(name) {
        schema.types.push(t);
    } else {
        diag.warn(
            &join(pointer, "type"),
            format!("expected a JSON Schema type, found {name:?}; ignored"),
        );
    }
}

fn sub_schemas(
    diag: &mut Diagnostics,
    map: &serde_json::Map<String, Value>,
    pointer: &str,
    key: &str,
) -> Vec<String> {
    match map.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            let base = join(pointer, key);
            (0..items.len()).map(|i| format!("{base}/{i}")).collect()
        }
        Some(other) => {
            diag.warn(
                &join(pointer, key),
                format!(
                    "expected a list of schemas, found {}; ignored",
                    describe(other)
                ),
            );
            Vec::new()
        }
    }
}

fn read_discriminator(
    src: &Source<'_>,
    diag: &mut Diagnostics,
    map: &serde_json::Map<String, Value>,
    pointer: &str,
) -> Result<Option<Discriminator>> {
    let Some(value) = map.get("discriminator") else {
        return Ok(None);
    };
    let at = join(pointer, "discriminator");
    let Some(d) = value.as_object() else {
        diag.warn(
            &at,
            format!("expected an object, found {}; ignored", describe(value)),
        );
        return Ok(None);
    };
    let Some(property) = opt_str(diag, d, &at, "propertyName") else {
        diag.warn(
            &at,
            "expected a `propertyName`, found none; the discriminator is ignored",
        );
        return Ok(None);
    };
    let mut mapping = Vec::new();
    if let Some(Value::Object(m)) = d.get("mapping") {
        for (tag, target) in m {
            let Some(text) = target.as_str() else {
                diag.warn(
                    &join(&join(&at, "mapping"), tag),
                    format!(
                        "expected a $ref string or schema name, found {}; ignored",
                        describe(target)
                    ),
                );
                continue;
            };
            // A mapping value is a reference, or a bare schema name in `components/schemas`.
            let reference = if text.contains('#') || text.contains('/') {
                text.to_owned()
            } else {
                format!("#/components/schemas/{text}")
            };
            // A mapping is a hint for decoding: one that leads nowhere is dropped, and the tag
            // falls back to the alternatives' own names.
            let entry = join(&join(&at, "mapping"), tag);
            match src.ref_target(&entry, &Value::String(reference)) {
                Ok(target) => mapping.push((tag.clone(), target)),
                Err(e) => diag.warn(
                    &e.pointer,
                    format!("{}; this mapping is ignored", e.message),
                ),
            }
        }
    }
    Ok(Some(Discriminator { property, mapping }))
}
