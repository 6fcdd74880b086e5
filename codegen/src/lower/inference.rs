//! Types inferred from example values, for bodies a document gives examples but no schema.

use super::Lowerer;
use crate::ir::{Field, Struct, TypeKind, TypeRef};
use crate::names::{Namespace, pascal, snake};
use serde_json::Value;

/// A type for JSON documented only by example values. Every property is optional: the examples
/// show what a body may hold, not what it must.
pub(crate) fn infer_type(
    l: &mut Lowerer<'_, '_>,
    values: &[&Value],
    hint: &str,
    pointer: &str,
) -> TypeRef {
    let non_null: Vec<&Value> = values.iter().copied().filter(|v| !v.is_null()).collect();
    let Some(first) = non_null.first() else {
        return TypeRef::Value;
    };
    let same_kind = non_null
        .iter()
        .all(|v| std::mem::discriminant(*v) == std::mem::discriminant(*first));
    if !same_kind {
        return TypeRef::Value;
    }
    match first {
        Value::Bool(_) => TypeRef::Bool,
        Value::Number(_) if non_null.iter().all(|v| v.is_i64()) => TypeRef::Integer("i64"),
        Value::Number(_) => TypeRef::Float,
        Value::String(_) => TypeRef::String,
        Value::Array(_) => {
            let items: Vec<&Value> = non_null
                .iter()
                .filter_map(|v| v.as_array())
                .flatten()
                .collect();
            infer_type(l, &items, &format!("{hint}Item"), pointer).vec()
        }
        Value::Object(_) => {
            let mut keys: Vec<&String> = non_null
                .iter()
                .filter_map(|v| v.as_object())
                .flat_map(|m| m.keys())
                .collect();
            keys.sort();
            keys.dedup();
            let name = l.type_names.claim(hint);
            let mut field_names = Namespace::snake();
            let mut fields = Vec::new();
            for key in keys {
                let children: Vec<&Value> = non_null
                    .iter()
                    .filter_map(|v| v.get(key.as_str()))
                    .collect();
                let ty = infer_type(
                    l,
                    &children,
                    &format!("{name}{}", pascal(key, "Field")),
                    pointer,
                );
                fields.push(Field {
                    name: field_names.claim(&snake(key, "field")),
                    json_name: key.clone(),
                    ty: ty.option(),
                    skip_if_none: true,
                    required_nullable: false,
                    default: None,
                    doc: None,
                    deprecated: false,
                });
            }
            let doc = format!(
                "Inferred from the examples under `{pointer}`: the document gives them no schema, so every field is optional."
            );
            let kind = TypeKind::Struct(Struct {
                fields,
                additional: None,
            });
            l.define(name.clone(), Some(doc), pointer, kind);
            TypeRef::Named(name)
        }
        Value::Null => TypeRef::Value,
    }
}
