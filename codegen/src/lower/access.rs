//! Paths in settings (`lifecycle.status`, `list_metadata.after`) followed through the generated
//! types: the fields on the way, whether each may be absent, and the kind of value found.

use super::Lowerer;
use crate::ir::{Access, AccessStep, Leaf, TypeKind, TypeRef};

/// A type seen through `Option` and `Box`.
pub(crate) fn plain(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) | TypeRef::Box(inner) => plain(inner),
        other => other,
    }
}

/// Follows `path` (dotted JSON names) from `from`: the way there, and the type found.
pub(crate) fn resolve(
    l: &Lowerer<'_, '_>,
    from: &TypeRef,
    path: &str,
) -> std::result::Result<(Access, TypeRef), String> {
    let mut current = from.clone();
    let mut steps = Vec::new();
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let name = alias_target(l, plain(&current))
            .named()
            .ok_or_else(|| format!("`{path}`: `{segment}` is not in a value of {current:?}"))?
            .to_owned();
        let def = l
            .types
            .get(&name)
            .ok_or_else(|| format!("`{path}`: no type {name}"))?;
        match &def.kind {
            TypeKind::Struct(s) => {
                let field = s
                    .fields
                    .iter()
                    .find(|f| f.json_name == *segment)
                    .ok_or_else(|| format!("`{path}`: {name} has no property `{segment}`"))?;
                steps.push(AccessStep::Field {
                    name: field.name.clone(),
                    optional: matches!(field.ty, TypeRef::Option(_)),
                });
                current = field.ty.clone();
            }
            TypeKind::Union(u) if u.tag.as_deref() == Some(segment) && i + 1 == segments.len() => {
                let method = u.accessor.clone().ok_or_else(|| {
                    format!("`{path}`: the tags of {name} do not name one variant each")
                })?;
                steps.push(AccessStep::Tag { method });
                return Ok((
                    Access {
                        steps,
                        leaf: Leaf::Tag,
                    },
                    TypeRef::String,
                ));
            }
            _ => return Err(format!("`{path}`: `{segment}` is not a property of {name}")),
        }
    }
    let found = alias_target(l, plain(&current)).clone();
    let leaf = match &found {
        TypeRef::String => Leaf::Text,
        TypeRef::Uuid => Leaf::Uuid,
        TypeRef::DateTime => Leaf::DateTime,
        TypeRef::Integer(rust) => Leaf::Integer(rust),
        TypeRef::Bool => Leaf::Bool,
        TypeRef::Vec(item) => {
            return Ok((
                Access {
                    steps,
                    leaf: Leaf::List,
                },
                plain(item).clone(),
            ));
        }
        TypeRef::Named(name)
            if matches!(l.types.get(name).map(|t| &t.kind), Some(TypeKind::Enum(_))) =>
        {
            Leaf::Enum
        }
        other => {
            let what = match other {
                TypeRef::Named(name) => format!("the type `{name}`"),
                _ => "a value".to_owned(),
            };
            return Err(format!(
                "`{path}` holds {what}, not a string, enum, UUID, date-time, integer or boolean that can be read from it"
            ));
        }
    };
    Ok((Access { steps, leaf }, found))
}

/// The type an alias stands for (a component that is another component's name).
pub(crate) fn alias_target<'t>(l: &'t Lowerer<'_, '_>, ty: &'t TypeRef) -> &'t TypeRef {
    let mut current = ty;
    for _ in 0..crate::normalize::MAX_REF_HOPS {
        match current
            .named()
            .and_then(|n| l.types.get(n))
            .map(|t| &t.kind)
        {
            Some(TypeKind::Alias(target)) => current = plain(target),
            _ => break,
        }
    }
    current
}

/// Whether two leaves are of one kind, whatever integer type they name.
pub(crate) fn same_kind(a: Leaf, b: Leaf) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}

pub(crate) fn describe(leaves: &[Leaf]) -> String {
    let words: Vec<&str> = leaves
        .iter()
        .map(|leaf| match leaf {
            Leaf::Text => "a string",
            Leaf::Enum => "an enum",
            Leaf::Tag => "a union's tag",
            Leaf::Uuid => "a UUID",
            Leaf::DateTime => "a date-time",
            Leaf::Integer(_) => "an integer",
            Leaf::Bool => "a boolean",
            Leaf::List => "a list",
        })
        .collect();
    words.join(" or ")
}
