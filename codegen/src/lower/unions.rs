//! `oneOf`/`anyOf`: tagged and untagged unions, constant alternatives, several `type`s,
//! `null` alternatives, a value or its JSON text, and a value or its envelope.

use super::enums::{enum_repr, string_enum};
use super::schemas::{integer_type, string_type};
use super::{Lowerer, Naming, Typed};
use crate::error::Result;
use crate::ir::{IntConstant, IntEnum, TypeDef, TypeKind, TypeRef, Union, UnionVariant};
use crate::names::{Namespace, pascal, snake};
use crate::normalize::MAX_REF_HOPS;
use crate::normalize::schema::{Additional, Schema, Type};
use serde_json::Value;
use std::collections::BTreeMap;
use std::rc::Rc;

impl Lowerer<'_, '_> {
    /// `oneOf`/`anyOf`: an enum of the alternatives. Alternatives that are constants make a
    /// plain enum; a value and its JSON text make `EmbeddedJson`; a discriminator makes a
    /// tagged union. Otherwise, where several alternatives are objects, the one that knows most
    /// of a value's properties wins (see `union_keys`), else the first that reads it; a value
    /// none reads is kept as JSON.
    pub(crate) fn union(&mut self, schema: &Rc<Schema>, naming: Naming) -> Result<Typed> {
        if !schema.one_of.is_empty() && !schema.any_of.is_empty() {
            self.diag.warn(
                &schema.pointer,
                "both `oneOf` and `anyOf`: only `oneOf` is typed",
            );
        }
        let listed = schema.alternatives();
        let mut alternatives = Vec::new();
        let mut nullable = false;
        for pointer in listed {
            let alternative = self.schema(pointer)?;
            if is_only_null(&alternative) {
                nullable = true;
            } else {
                alternatives.push(alternative);
            }
        }
        // Properties beside the alternatives hold for each of them (common fields of every
        // variant): they are merged into each alternative that is an object.
        let shared = !schema.properties.is_empty();
        if alternatives.is_empty() {
            return Ok(Typed {
                ty: TypeRef::Value,
                nullable: true,
            });
        }
        if alternatives.len() == 1 {
            let typed = if shared && self.is_object_like(&alternatives[0])? {
                self.with_shared_properties(schema, &alternatives[0], 0, naming)?
            } else {
                self.lower_at(&alternatives[0].pointer, naming)?
            };
            return Ok(Typed {
                ty: typed.ty,
                nullable: nullable || typed.nullable,
            });
        }
        if let Some(ty) = self.constant_alternatives(schema, &alternatives, &naming)? {
            return Ok(Typed { ty, nullable });
        }
        if !shared && let Some(typed) = self.json_or_its_text(&alternatives, &naming)? {
            return Ok(Typed {
                ty: typed.ty,
                nullable: nullable || typed.nullable,
            });
        }
        let name = self.start_type(&naming, &schema.pointer);
        let mut variant_names = Namespace::pascal();
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (i, alternative) in alternatives.iter().enumerate() {
            let base = self.variant_name(alternative, i);
            let hint = format!("{name}{base}");
            let typed = if shared && self.is_object_like(alternative)? {
                self.with_shared_properties(schema, alternative, i, Naming::Hint(hint))?
            } else {
                self.type_of(&alternative.pointer, &hint)?
            };
            nullable |= typed.nullable;
            let ty = typed.ty;
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            variants.push(UnionVariant {
                keys: None,
                name: variant_names.claim(&base),
                ty,
                tags: Vec::new(),
                pointer: alternative
                    .reference
                    .clone()
                    .unwrap_or_else(|| alternative.pointer.clone()),
            });
        }
        let tag = match &schema.discriminator {
            Some(discriminator) => self.tags(schema, discriminator, &mut variants),
            None => None,
        };
        if tag.is_some() && name_by_tags(&mut variants) {
            variant_names = Namespace::pascal();
            for v in &variants {
                variant_names.claim(&v.name);
            }
        }
        let accessor = tag
            .as_ref()
            .filter(|_| variants.iter().all(|v| v.tags.len() == 1))
            .map(|tag| snake(tag, "tag"));
        let other = ["Other", "Unknown", "OtherValue"]
            .into_iter()
            .find(|candidate| !variant_names.is_taken(candidate))
            .map_or_else(|| variant_names.claim("Other"), str::to_owned);
        let kind = TypeKind::Union(Union {
            variants,
            tag,
            other,
            accessor,
        });
        Ok(Typed {
            ty: self.finish_type(name, schema, kind),
            nullable,
        })
    }

    /// Two alternatives, a value and a string holding that value as JSON text (a server that
    /// sends an object or its encoding): `EmbeddedJson` of the value's type. `None` for other
    /// pairs.
    pub(crate) fn json_or_its_text(
        &mut self,
        alternatives: &[Rc<Schema>],
        naming: &Naming,
    ) -> Result<Option<Typed>> {
        let [first, second] = alternatives else {
            return Ok(None);
        };
        let first_resolved = self.resolved(&first.pointer)?;
        let second_resolved = self.resolved(&second.pointer)?;
        let value = match (
            first_resolved.is_json_text(),
            second_resolved.is_json_text(),
        ) {
            (false, true) => first,
            (true, false) => second,
            _ => return Ok(None),
        };
        let value_resolved = self.resolved(&value.pointer)?;
        if value_resolved.types.contains(&Type::String) {
            return Ok(None);
        }
        let typed = self.lower_at(&value.pointer, naming.clone())?;
        let inner = typed.holder();
        Ok(Some(Typed {
            ty: TypeRef::EmbeddedJson(Box::new(inner)),
            nullable: false,
        }))
    }

    /// A body documented as `oneOf`/`anyOf` of a value and an object that wraps that same value
    /// under one required key (`T` or `{"data": T}`, as APIs that dropped or added an envelope
    /// document both): the pointer of the value's schema and the key. The value must be an
    /// object without a property of that name, so the two shapes cannot be confused.
    pub fn envelope_of(&mut self, pointer: &str) -> Result<Option<(String, String)>> {
        let schema = self.resolved(pointer)?;
        if !schema.properties.is_empty()
            || !schema.all_of.is_empty()
            || schema.discriminator.is_some()
            || schema.nullable
        {
            return Ok(None);
        }
        let listed = schema.alternatives().to_vec();
        let [a, b] = listed.as_slice() else {
            return Ok(None);
        };
        for (bare, wrapper) in [(a, b), (b, a)] {
            let wrapper = self.resolved(wrapper)?;
            let bare_schema = self.resolved(bare)?;
            let [(key, inner)] = wrapper.properties.as_slice() else {
                continue;
            };
            let is_plain_object = |s: &Schema| {
                matches!(s.types.as_slice(), [] | [Type::Object])
                    && !s.is_union()
                    && s.all_of.is_empty()
                    && !s.nullable
            };
            if wrapper.required != [key.clone()]
                || !is_plain_object(&wrapper)
                || !is_plain_object(&bare_schema)
                || bare_schema.properties.is_empty()
                || bare_schema.properties.iter().any(|(name, _)| name == key)
                || matches!(wrapper.additional, Additional::Schema(_))
            {
                continue;
            }
            if self.resolved(inner)?.pointer == bare_schema.pointer {
                return Ok(Some((bare.clone(), key.clone())));
            }
        }
        Ok(None)
    }

    /// Whether a union alternative (through its references) is an object that the union's
    /// own properties can be merged into.
    pub(crate) fn is_object_like(&mut self, alternative: &Rc<Schema>) -> Result<bool> {
        let current = self.resolved(&alternative.pointer)?;
        Ok(current.reference.is_none()
            && !current.is_union()
            && current.enumeration.is_none()
            && match current.types.as_slice() {
                [] => !current.properties.is_empty() || !current.all_of.is_empty(),
                types => types.contains(&Type::Object),
            })
    }

    /// The tag values of each variant: from the discriminator's mapping, else the component
    /// name of the variant's schema. `None` (an untagged union) unless every variant has one.
    pub(crate) fn tags(
        &mut self,
        schema: &Schema,
        discriminator: &crate::normalize::schema::Discriminator,
        variants: &mut [UnionVariant],
    ) -> Option<String> {
        for variant in variants.iter_mut() {
            variant.tags = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| *target == variant.pointer)
                .map(|(tag, _)| tag.clone())
                .collect();
            if variant.tags.is_empty()
                && let Some(key) = variant.pointer.strip_prefix("/components/schemas/")
                && !key.contains('/')
            {
                variant.tags.push(crate::pointer::unescape(key));
            }
        }
        let untagged: Vec<&str> = variants
            .iter()
            .filter(|v| v.tags.is_empty())
            .map(|v| v.name.as_str())
            .collect();
        if untagged.is_empty() {
            return Some(discriminator.property.clone());
        }
        self.diag.warn(
            &schema.pointer,
            format!(
                "discriminator `{}` gives no value for {}; the union is read by trying each alternative",
                discriminator.property,
                untagged.join(", ")
            ),
        );
        None
    }

    /// A name for a union variant: the referenced type's, the title, or the JSON type.
    pub(crate) fn variant_name(&self, alternative: &Schema, index: usize) -> String {
        if let Some(target) = &alternative.reference
            && let Some(name) = self.components.get(target)
        {
            return name.clone();
        }
        if let Some(title) = &alternative.title {
            return pascal(title, "Variant");
        }
        match alternative.types.as_slice() {
            [Type::String] => "String".to_owned(),
            [Type::Integer] => "Integer".to_owned(),
            [Type::Number] | [Type::Integer, Type::Number] => "Number".to_owned(),
            [Type::Boolean] => "Boolean".to_owned(),
            [Type::Array] => "Array".to_owned(),
            [Type::Object] => "Object".to_owned(),
            _ => format!("Variant{}", index + 1),
        }
    }

    /// Alternatives that are one constant each (`oneOf: [{const: 1, title: ...}, ...]`): an
    /// enum named by the titles, documented by the descriptions.
    pub(crate) fn constant_alternatives(
        &mut self,
        schema: &Schema,
        alternatives: &[Rc<Schema>],
        naming: &Naming,
    ) -> Result<Option<TypeRef>> {
        let mut values = Vec::new();
        for alternative in alternatives {
            match &alternative.enumeration {
                Some(v) if v.len() == 1 && alternative.reference.is_none() => values.push((
                    v[0].clone(),
                    alternative.title.clone(),
                    alternative.description.clone(),
                )),
                _ => return Ok(None),
            }
        }
        let kind = if values.iter().all(|(v, _, _)| v.is_string()) {
            let strings: Vec<&str> = values.iter().filter_map(|(v, _, _)| v.as_str()).collect();
            let mut kind = string_enum(&strings);
            for (variant, (_, _, description)) in kind.variants.iter_mut().zip(&values) {
                variant.doc = description.clone();
            }
            TypeKind::Enum(kind)
        } else if values.iter().all(|(v, _, _)| v.is_i64()) {
            let plain: Vec<Value> = values.iter().map(|(v, _, _)| v.clone()).collect();
            let repr = enum_repr(schema.format.as_deref(), &plain);
            let mut constants = Namespace::snake();
            let values = values
                .iter()
                .filter_map(|(v, title, description)| {
                    let v = v.as_i64()?;
                    let label = match title {
                        Some(title) => snake(title, "value"),
                        None if v < 0 => format!("minus_{}", v.unsigned_abs()),
                        None => format!("value_{v}"),
                    };
                    Some(IntConstant {
                        name: constants.claim(&label).to_ascii_uppercase(),
                        value: v,
                        doc: description.clone(),
                    })
                })
                .collect();
            TypeKind::IntEnum(IntEnum { repr, values })
        } else {
            return Ok(None);
        };
        let name = self.start_type(naming, &schema.pointer);
        Ok(Some(self.finish_type(name, schema, kind)))
    }

    /// `type: [string, integer, ...]`: an untagged union with a variant per type.
    pub(crate) fn multi_type(
        &mut self,
        schema: &Rc<Schema>,
        types: &[Type],
        naming: Naming,
    ) -> Result<TypeRef> {
        let name = self.start_type(&naming, &schema.pointer);
        let mut variants = Vec::new();
        for t in types {
            let (variant, ty) = match t {
                Type::String => ("String", string_type(schema.format.as_deref())),
                Type::Integer => ("Integer", integer_type(schema.format.as_deref())),
                Type::Number => ("Number", TypeRef::Float),
                Type::Boolean => ("Boolean", TypeRef::Bool),
                Type::Array => (
                    "Array",
                    self.array(schema, &Naming::Hint(format!("{name}Array")))?,
                ),
                Type::Object => (
                    "Object",
                    self.object(schema, Naming::Hint(format!("{name}Object")))?,
                ),
            };
            variants.push(UnionVariant {
                keys: None,
                name: variant.to_owned(),
                ty,
                tags: Vec::new(),
                pointer: schema.pointer.clone(),
            });
        }
        // `object` above may have claimed the pointer for its struct: the union is what it is.
        self.memo
            .insert(schema.pointer.clone(), TypeRef::Named(name.clone()));
        let kind = TypeKind::Union(Union {
            variants,
            tag: None,
            other: "Other".to_owned(),
            accessor: None,
        });
        Ok(self.finish_type(name, schema, kind))
    }
}

/// With `anyOf`/`oneOf` of one schema and `null` (`anyOf: [{$ref: X}, {type: "null"}]`), the
/// pointer of that one schema.
pub(crate) fn null_alternative(
    lowerer: &mut Lowerer<'_, '_>,
    schema: &Schema,
) -> Result<Option<String>> {
    let alternatives = schema.alternatives();
    if alternatives.len() < 2 || !schema.properties.is_empty() {
        return Ok(None);
    }
    let mut others = Vec::new();
    let mut saw_null = false;
    for pointer in alternatives {
        let alternative = lowerer.schema(pointer)?;
        if is_only_null(&alternative) {
            saw_null = true;
        } else {
            others.push(pointer.clone());
        }
    }
    Ok(match (saw_null, others.as_slice()) {
        (true, [single]) => Some(single.clone()),
        _ => None,
    })
}

/// `{type: "null"}` (or `{enum: [null]}`, `{const: null}`): an alternative that only allows null.
pub(crate) fn is_only_null(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema.types.is_empty()
        && schema.nullable
        && schema.properties.is_empty()
        && schema.enumeration.as_ref().is_none_or(Vec::is_empty)
}

/// For untagged unions with several struct variants: the properties each variant knows, so the
/// variant that accounts for most of a value is chosen rather than merely the first that reads it.
pub(crate) fn union_keys(types: &mut [TypeDef]) {
    let by_name: BTreeMap<String, TypeKind> = types
        .iter()
        .map(|t| (t.name.clone(), t.kind.clone()))
        .collect();
    let struct_keys = |ty: &TypeRef| -> Option<Vec<String>> {
        let mut name = ty.named()?.to_owned();
        for _ in 0..MAX_REF_HOPS {
            match by_name.get(&name)? {
                TypeKind::Struct(s) => {
                    return Some(s.fields.iter().map(|f| f.json_name.clone()).collect());
                }
                TypeKind::Alias(target) | TypeKind::Newtype(target) => {
                    name = target.named()?.to_owned()
                }
                _ => return None,
            }
        }
        None
    };
    for def in types.iter_mut() {
        if let TypeKind::Union(union) = &mut def.kind
            && union.tag.is_none()
        {
            for variant in &mut union.variants {
                variant.keys = struct_keys(&variant.ty);
            }
            if union.variants.iter().filter(|v| v.keys.is_some()).count() < 2 {
                for variant in &mut union.variants {
                    variant.keys = None;
                }
            }
        }
    }
}

/// Names a tagged union's variants by their tag values where the schemas' names only repeat
/// them (`Pending`, not `PendingRun`, for the variant tagged `pending`): when every variant's
/// first tag, in PascalCase, is part of its name, and the new names are distinct and not one of
/// the names the variant for unknown tags takes. True when it renamed them.
fn name_by_tags(variants: &mut [UnionVariant]) -> bool {
    let renamed: Option<Vec<String>> = variants
        .iter()
        .map(|v| {
            let tag = v.tags.first()?;
            let candidate = pascal(tag, "");
            let repeats =
                !candidate.is_empty() && v.name.to_lowercase().contains(&candidate.to_lowercase());
            repeats.then_some(candidate)
        })
        .collect();
    let Some(renamed) = renamed else {
        return false;
    };
    let distinct: std::collections::BTreeSet<&str> = renamed.iter().map(String::as_str).collect();
    if distinct.len() != renamed.len()
        || renamed
            .iter()
            .any(|n| matches!(n.as_str(), "Other" | "Unknown" | "OtherValue"))
    {
        return false;
    }
    for (variant, name) in variants.iter_mut().zip(renamed) {
        variant.name = name;
    }
    true
}
