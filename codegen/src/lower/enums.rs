//! Enumerations (open string enums, integer enums) and the `default`s of properties.

use super::schemas::integer_type;
use super::{Lowerer, Naming};
use crate::error::Result;
use crate::ir::{Enum, EnumVariant, IntConstant, IntEnum, Literal, TypeDef, TypeKind, TypeRef};
use crate::names::{Namespace, pascal, snake};
use crate::normalize::schema::{Schema, Type};
use serde_json::Value;
use std::rc::Rc;

impl Lowerer<'_, '_> {
    pub(crate) fn enumeration(
        &mut self,
        schema: &Schema,
        values: &[Value],
        naming: Naming,
    ) -> Result<TypeRef> {
        if values.iter().all(Value::is_string) {
            if schema.is_const {
                return Ok(TypeRef::String);
            }
            let name = self.start_type(&naming, &schema.pointer);
            let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            let mut kind = string_enum(&strings);
            for variant in &mut kind.variants {
                variant.doc = schema
                    .enum_descriptions
                    .iter()
                    .find(|(value, _)| *value == variant.value)
                    .map(|(_, d)| d.clone());
            }
            return Ok(self.finish_type(name, schema, TypeKind::Enum(kind)));
        }
        if values.iter().all(|v| v.is_i64()) {
            let format = match schema.types.as_slice() {
                [Type::Integer] => schema.format.as_deref(),
                _ => None,
            };
            let repr = enum_repr(format, values);
            if schema.is_const {
                return Ok(TypeRef::Integer(repr));
            }
            let name = self.start_type(&naming, &schema.pointer);
            let mut constants = Namespace::snake();
            let values = values
                .iter()
                .filter_map(Value::as_i64)
                .map(|v| {
                    let label = if v < 0 {
                        format!("minus_{}", v.unsigned_abs())
                    } else {
                        format!("value_{v}")
                    };
                    IntConstant {
                        name: constants.claim(&label).to_ascii_uppercase(),
                        value: v,
                        doc: None,
                    }
                })
                .collect();
            let kind = TypeKind::IntEnum(IntEnum { repr, values });
            return Ok(self.finish_type(name, schema, kind));
        }
        if values.iter().all(Value::is_boolean) {
            return Ok(TypeRef::Bool);
        }
        if values.iter().all(Value::is_number) {
            return Ok(TypeRef::Float);
        }
        self.diag.warn(
            &schema.pointer,
            "an enum of values of several JSON types is typed as any JSON value",
        );
        Ok(TypeRef::Value)
    }

    /// The default of an optional property, when it can be written as a Rust constant of the
    /// field's type.
    pub(crate) fn default_literal(
        &mut self,
        owner: &str,
        field: &str,
        ty: &TypeRef,
        default: Option<&Value>,
    ) -> Result<Option<(String, Literal)>> {
        let Some(default) = default else {
            return Ok(None);
        };
        let literal = match (ty, default) {
            (TypeRef::Bool, Value::Bool(b)) => Literal::Bool(*b),
            (TypeRef::Integer(repr), Value::Number(n)) => match n.as_i64() {
                Some(v) if integer_fits(repr, v) => Literal::Int(v),
                _ => return Ok(None),
            },
            (TypeRef::Float, Value::Number(n)) => match n.as_f64() {
                Some(v) => Literal::Float(v),
                None => return Ok(None),
            },
            (TypeRef::String, Value::String(s)) => Literal::Str(s.clone()),
            (TypeRef::Named(name), Value::Number(n)) => match (self.int_enum_of(name)?, n.as_i64())
            {
                (Some(repr), Some(v)) if integer_fits(repr, v) => {
                    Literal::IntValue(name.clone(), repr, v)
                }
                _ => return Ok(None),
            },
            (TypeRef::Named(name), Value::String(s)) => match self.enum_of(name)? {
                Some(e) => match e.variants.iter().find(|v| &v.value == s) {
                    Some(variant) => Literal::Variant(name.clone(), variant.name.clone()),
                    None => return Ok(None),
                },
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        let function = self
            .default_fns
            .claim(&snake(&format!("{owner} {field}"), "default"));
        Ok(Some((function, literal)))
    }

    /// The integer type of the open integer enum a type name stands for, whether or not it has
    /// been defined yet.
    pub(crate) fn int_enum_of(&mut self, name: &str) -> Result<Option<&'static str>> {
        if let Some(TypeDef {
            kind: TypeKind::IntEnum(e),
            ..
        }) = self.types.get(name)
        {
            return Ok(Some(e.repr));
        }
        let Some(schema) = self.component_named(name)? else {
            return Ok(None);
        };
        Ok(match &schema.enumeration {
            Some(values)
                if !schema.is_const && !values.is_empty() && values.iter().all(Value::is_i64) =>
            {
                Some(enum_repr(schema.format.as_deref(), values))
            }
            _ => None,
        })
    }

    /// The schema of the component a type name stands for.
    pub(crate) fn component_named(&mut self, name: &str) -> Result<Option<Rc<Schema>>> {
        let pointer = self
            .components
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(p, _)| p.clone());
        pointer.map(|p| self.schema(&p)).transpose()
    }

    /// The open enum a type name stands for, whether or not it has been defined yet.
    pub(crate) fn enum_of(&mut self, name: &str) -> Result<Option<Enum>> {
        if let Some(TypeDef {
            kind: TypeKind::Enum(e),
            ..
        }) = self.types.get(name)
        {
            return Ok(Some(e.clone()));
        }
        let Some(schema) = self.component_named(name)? else {
            return Ok(None);
        };
        Ok(match &schema.enumeration {
            Some(values)
                if !schema.is_const
                    && !values.is_empty()
                    && values.iter().all(Value::is_string) =>
            {
                let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                Some(string_enum(&strings))
            }
            _ => None,
        })
    }
}

/// The integer type of an enum with these values: the format's, widened to `i64` when a value
/// does not fit it (a negative `uint32`).
pub(crate) fn enum_repr(format: Option<&str>, values: &[Value]) -> &'static str {
    let repr = match integer_type(format) {
        TypeRef::Integer(repr) => repr,
        _ => "i64",
    };
    let fits = values
        .iter()
        .filter_map(Value::as_i64)
        .all(|v| integer_fits(repr, v));
    if fits { repr } else { "i64" }
}

pub(crate) fn integer_fits(repr: &str, v: i64) -> bool {
    match repr {
        "i32" => i32::try_from(v).is_ok(),
        "u32" => u32::try_from(v).is_ok(),
        "u64" => v >= 0,
        "i16" => i16::try_from(v).is_ok(),
        "u16" => u16::try_from(v).is_ok(),
        "i8" => i8::try_from(v).is_ok(),
        "u8" => u8::try_from(v).is_ok(),
        _ => true,
    }
}

/// Variants for string values, plus the name of the variant that keeps unknown ones.
pub(crate) fn string_enum(values: &[&str]) -> Enum {
    let mut names = Namespace::pascal();
    let variants: Vec<EnumVariant> = values
        .iter()
        .map(|value| EnumVariant {
            name: names.claim(&pascal(value, "Empty")),
            value: (*value).to_owned(),
            doc: None,
        })
        .collect();
    let other = ["Unknown", "Other", "UnknownValue"]
        .into_iter()
        .find(|candidate| !names.is_taken(candidate))
        .map_or_else(|| names.claim("Unknown"), str::to_owned);
    Enum { variants, other }
}
