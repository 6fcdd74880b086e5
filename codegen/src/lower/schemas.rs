//! Schemas to Rust types.

use super::{Lowerer, Naming};
use crate::error::Result;
use crate::ir::{
    Enum, EnumVariant, Field, IntConstant, IntEnum, Literal, Struct, TypeDef, TypeKind, TypeRef,
    Union, UnionVariant,
};
use crate::names::{Namespace, pascal, snake};
use crate::normalize::schema::{Additional, Schema, Type};
use serde_json::Value;
use std::rc::Rc;

/// Inline schemas nested deeper than this are refused: a document cannot make the generator
/// recurse without bound.
const MAX_DEPTH: usize = 200;

/// A lowered schema: its type, and whether `null` is allowed on top of it.
#[derive(Debug, Clone)]
pub(crate) struct Typed {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Lowerer<'_, '_> {
    /// The type of the schema at `pointer`; inline types are named from `hint`.
    pub fn type_of(&mut self, pointer: &str, hint: &str) -> Result<Typed> {
        self.lower_at(pointer, Naming::Hint(hint.to_owned()))
    }

    /// Defines the type of a component schema under its reserved name.
    pub fn define_component(&mut self, pointer: &str) -> Result<()> {
        let name = self.components[pointer].clone();
        let typed = self.lower_at(pointer, Naming::Exact(name.clone()))?;
        if typed.ty != TypeRef::Named(name.clone()) || !self.types.contains_key(&name) {
            let schema = self.schema(pointer)?;
            let target = if typed.nullable {
                typed.ty.option()
            } else {
                typed.ty
            };
            self.types.insert(
                name.clone(),
                TypeDef {
                    name,
                    doc: doc_of(&schema),
                    pointer: pointer.to_owned(),
                    kind: TypeKind::Alias(target),
                },
            );
        }
        Ok(())
    }

    pub(crate) fn lower_at(&mut self, pointer: &str, naming: Naming) -> Result<Typed> {
        if self.depth >= MAX_DEPTH {
            return Err(self.src.error(
                pointer,
                format!(
                    "expected schemas nested at most {MAX_DEPTH} levels deep, found deeper nesting"
                ),
            ));
        }
        self.depth += 1;
        let result = self.lower_inner(pointer, naming);
        self.depth -= 1;
        result
    }

    fn lower_inner(&mut self, pointer: &str, naming: Naming) -> Result<Typed> {
        let schema = self.schema(pointer)?;
        let nullable = schema.nullable;
        if let Some(target) = &schema.reference {
            let typed = self.reference(target, &naming)?;
            return Ok(Typed {
                ty: typed.ty,
                nullable: nullable || typed.nullable,
            });
        }
        if let Some(ty) = self.memo.get(pointer) {
            return Ok(Typed {
                ty: ty.clone(),
                nullable,
            });
        }
        let typed = self.shape(&schema, naming)?;
        Ok(Typed {
            ty: typed.ty,
            nullable: nullable || typed.nullable,
        })
    }

    /// The type a `$ref` designates: a component's name, or the type of the inline schema.
    fn reference(&mut self, target: &str, naming: &Naming) -> Result<Typed> {
        if let Some(name) = self.components.get(target).cloned() {
            let nullable = self.component_nullable(target)?;
            return Ok(Typed {
                ty: TypeRef::Named(name),
                nullable,
            });
        }
        self.lower_at(target, Naming::Hint(naming.base().to_owned()))
    }

    /// Whether a component schema itself admits `null` (through its own references too).
    fn component_nullable(&mut self, pointer: &str) -> Result<bool> {
        let mut current = pointer.to_owned();
        for _ in 0..64 {
            let schema = self.schema(&current)?;
            if schema.nullable || null_alternative(self, &schema)?.is_some() {
                return Ok(true);
            }
            match &schema.reference {
                Some(next) => current = next.clone(),
                None => return Ok(false),
            }
        }
        Ok(false)
    }

    fn shape(&mut self, schema: &Rc<Schema>, naming: Naming) -> Result<Typed> {
        let plain = |ty| {
            Ok(Typed {
                ty,
                nullable: false,
            })
        };
        if schema.never {
            self.src.warn(
                &schema.pointer,
                "a schema that admits no value (`false` or `not: {}`) is typed as any JSON value",
            );
            return plain(TypeRef::Value);
        }
        if let Some(inner) = null_alternative(self, schema)? {
            let typed = self.lower_at(&inner, naming)?;
            return Ok(Typed {
                ty: typed.ty,
                nullable: true,
            });
        }
        if !schema.all_of.is_empty() {
            return self.all_of(schema, naming);
        }
        if !schema.one_of.is_empty() || !schema.any_of.is_empty() {
            return self.union(schema, naming);
        }
        if let Some(values) = &schema.enumeration
            && !values.is_empty()
        {
            return plain(self.enumeration(schema, values, naming)?);
        }
        if schema.is_json_text() {
            return plain(self.embedded_json(schema.content_schema.as_deref(), &naming)?);
        }
        let ty = match schema.types.as_slice() {
            [] if !schema.properties.is_empty()
                || matches!(schema.additional, Additional::Schema(_)) =>
            {
                self.object(schema, naming)?
            }
            [] if schema.items.is_some() => self.array(schema, &naming)?,
            [] => TypeRef::Value,
            [Type::String] => string_type(schema.format.as_deref()),
            [Type::Integer] => integer_type(schema.format.as_deref()),
            [Type::Number] | [Type::Integer, Type::Number] => TypeRef::Float,
            [Type::Boolean] => TypeRef::Bool,
            [Type::Array] => self.array(schema, &naming)?,
            [Type::Object] => self.object(schema, naming)?,
            several => self.multi_type(schema, several, naming)?,
        };
        plain(ty)
    }

    /// `oneOf`/`anyOf`: an enum of the alternatives. Alternatives that are constants make a
    /// plain enum; a discriminator makes a tagged union; otherwise the first alternative that
    /// reads the value wins, and a value none reads is kept as JSON.
    fn union(&mut self, schema: &Rc<Schema>, naming: Naming) -> Result<Typed> {
        if !schema.one_of.is_empty() && !schema.any_of.is_empty() {
            self.src.warn(
                &schema.pointer,
                "both `oneOf` and `anyOf`: only `oneOf` is typed",
            );
        }
        let listed = if schema.one_of.is_empty() {
            &schema.any_of
        } else {
            &schema.one_of
        };
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
        let name = self.new_type_name(&naming);
        let named = TypeRef::Named(name.clone());
        self.memo.insert(schema.pointer.clone(), named.clone());
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
        let accessor = tag
            .as_ref()
            .filter(|_| variants.iter().all(|v| v.tags.len() == 1))
            .map(|tag| snake(tag, "tag"));
        let other = ["Other", "Unknown", "OtherValue"]
            .into_iter()
            .find(|candidate| !variant_names.is_taken(candidate))
            .map_or_else(|| variant_names.claim("Other"), str::to_owned);
        self.types.insert(
            name.clone(),
            TypeDef {
                name,
                doc: doc_of(schema),
                pointer: schema.pointer.clone(),
                kind: TypeKind::Union(Union {
                    variants,
                    tag,
                    other,
                    accessor,
                }),
            },
        );
        Ok(Typed {
            ty: named,
            nullable,
        })
    }

    /// `apigen_runtime::EmbeddedJson<T>` for a string of JSON text, `T` from `contentSchema`
    /// (named from `naming`) or any JSON value.
    fn embedded_json(&mut self, content: Option<&str>, naming: &Naming) -> Result<TypeRef> {
        let inner = match content {
            Some(pointer) => {
                let typed = self.type_of(pointer, &format!("{}Content", naming.base()))?;
                if typed.nullable {
                    typed.ty.option()
                } else {
                    typed.ty
                }
            }
            None => TypeRef::Value,
        };
        Ok(TypeRef::EmbeddedJson(Box::new(inner)))
    }

    /// Two alternatives, a value and a string holding that value as JSON text (a server that
    /// sends an object or its encoding): `EmbeddedJson` of the value's type. `None` for other
    /// pairs.
    fn json_or_its_text(
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
        let inner = if typed.nullable {
            typed.ty.option()
        } else {
            typed.ty
        };
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
        let listed = if schema.one_of.is_empty() {
            schema.any_of.clone()
        } else {
            schema.one_of.clone()
        };
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
                    && s.one_of.is_empty()
                    && s.any_of.is_empty()
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
    fn is_object_like(&mut self, alternative: &Rc<Schema>) -> Result<bool> {
        let mut current = Rc::clone(alternative);
        for _ in 0..64 {
            if let Some(target) = current.reference.clone() {
                current = self.schema(&target)?;
                continue;
            }
            return Ok(current.one_of.is_empty()
                && current.any_of.is_empty()
                && current.enumeration.is_none()
                && match current.types.as_slice() {
                    [] => !current.properties.is_empty() || !current.all_of.is_empty(),
                    types => types.contains(&Type::Object),
                });
        }
        Ok(false)
    }

    /// A union alternative with the properties written beside `oneOf`/`anyOf` merged in (the
    /// alternative's own win a conflict): one struct per alternative.
    fn with_shared_properties(
        &mut self,
        union: &Rc<Schema>,
        alternative: &Rc<Schema>,
        index: usize,
        naming: Naming,
    ) -> Result<Typed> {
        // The merged type is the union's own: it is keyed by a pointer under the union, not by
        // the alternative's, which may belong to a schema used elsewhere as it is.
        let pointer = if alternative
            .pointer
            .starts_with(&format!("{}/", union.pointer))
        {
            alternative.pointer.clone()
        } else {
            let key = if union.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            format!("{}/{key}/{index}", union.pointer)
        };
        let shared = Schema {
            one_of: Vec::new(),
            any_of: Vec::new(),
            discriminator: None,
            description: None,
            ..(**union).clone()
        };
        let description = match &alternative.reference {
            Some(target) => self.schema(target)?.description.clone(),
            None => alternative.description.clone(),
        };
        let mut merged = Schema {
            pointer,
            title: alternative.title.clone(),
            description,
            ..Schema::default()
        };
        let mut seen = Vec::new();
        self.merge_into(&mut merged, &shared, &mut seen)?;
        self.merge_into(&mut merged, alternative, &mut seen)?;
        merged.types = vec![Type::Object];
        self.shape(&Rc::new(merged), naming)
    }

    /// The tag values of each variant: from the discriminator's mapping, else the component
    /// name of the variant's schema. `None` (an untagged union) unless every variant has one.
    fn tags(
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
        self.src.warn(
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
    fn variant_name(&self, alternative: &Schema, index: usize) -> String {
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
    fn constant_alternatives(
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
        let name = self.new_type_name(naming);
        self.memo
            .insert(schema.pointer.clone(), TypeRef::Named(name.clone()));
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc: doc_of(schema),
                pointer: schema.pointer.clone(),
                kind,
            },
        );
        Ok(Some(TypeRef::Named(name)))
    }

    /// `type: [string, integer, ...]`: an untagged union with a variant per type.
    fn multi_type(
        &mut self,
        schema: &Rc<Schema>,
        types: &[Type],
        naming: Naming,
    ) -> Result<TypeRef> {
        let name = self.new_type_name(&naming);
        let named = TypeRef::Named(name.clone());
        self.memo.insert(schema.pointer.clone(), named.clone());
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
        self.memo.insert(schema.pointer.clone(), named.clone());
        self.types.insert(
            name.clone(),
            TypeDef {
                name,
                doc: doc_of(schema),
                pointer: schema.pointer.clone(),
                kind: TypeKind::Union(Union {
                    variants,
                    tag: None,
                    other: "Other".to_owned(),
                    accessor: None,
                }),
            },
        );
        Ok(named)
    }

    fn new_type_name(&mut self, naming: &Naming) -> String {
        match naming {
            Naming::Exact(name) => name.clone(),
            Naming::Hint(hint) => self.type_names.claim(hint),
        }
    }

    fn array(&mut self, schema: &Schema, naming: &Naming) -> Result<TypeRef> {
        match &schema.items {
            Some(items) => {
                let typed = self.type_of(items, &format!("{}Item", naming.base()))?;
                let item = if typed.nullable {
                    typed.ty.option()
                } else {
                    typed.ty
                };
                Ok(item.vec())
            }
            None => Ok(TypeRef::Value.vec()),
        }
    }

    fn object(&mut self, schema: &Schema, naming: Naming) -> Result<TypeRef> {
        let additional = match &schema.additional {
            Additional::Schema(pointer) => {
                let typed = self.type_of(pointer, &format!("{}Value", naming.base()))?;
                Some(if typed.nullable {
                    typed.ty.option()
                } else {
                    typed.ty
                })
            }
            Additional::Any => Some(TypeRef::Value),
            Additional::Unspecified | Additional::Forbidden => None,
        };
        if schema.properties.is_empty() {
            return Ok(additional.unwrap_or(TypeRef::Value).map());
        }
        let name = self.new_type_name(&naming);
        let named = TypeRef::Named(name.clone());
        self.memo.insert(schema.pointer.clone(), named.clone());

        let mut field_names = Namespace::snake();
        let mut fields = Vec::new();
        for (json_name, pointer) in &schema.properties {
            let hint = format!("{name}{}", pascal(json_name, "Field"));
            let typed = self.type_of(pointer, &hint)?;
            let property = self.schema(pointer)?;
            let required = schema.requires(json_name);
            let field_name = field_names.claim(&snake(json_name, "field"));
            let default = if !required && !typed.nullable {
                self.default_literal(&name, &field_name, &typed.ty, property.default.as_ref())?
            } else {
                None
            };
            let ty = if default.is_some() || (required && !typed.nullable) {
                typed.ty
            } else {
                typed.ty.option()
            };
            fields.push(Field {
                name: field_name,
                json_name: json_name.clone(),
                ty,
                skip_if_none: !required && default.is_none(),
                required_nullable: required && typed.nullable,
                default,
                doc: doc_of(&property),
                deprecated: property.deprecated,
            });
        }
        let additional = additional.map(|ty| (field_names.claim("additional_properties"), ty));
        self.types.insert(
            name.clone(),
            TypeDef {
                name,
                doc: doc_of(schema),
                pointer: schema.pointer.clone(),
                kind: TypeKind::Struct(Struct { fields, additional }),
            },
        );
        Ok(named)
    }

    /// `allOf`: one part alone stands for that part; several are merged into one object.
    fn all_of(&mut self, schema: &Rc<Schema>, naming: Naming) -> Result<Typed> {
        if schema.all_of.len() == 1 && schema.properties.is_empty() {
            return self.lower_at(&schema.all_of[0], naming);
        }
        if let Some(typed) = self.all_of_with_a_union(schema, &naming)? {
            return Ok(typed);
        }
        let mut merged = Schema {
            pointer: schema.pointer.clone(),
            description: schema.description.clone(),
            title: schema.title.clone(),
            nullable: schema.nullable,
            ..Schema::default()
        };
        let mut seen = Vec::new();
        self.merge_into(&mut merged, schema, &mut seen)?;
        if merged.properties.is_empty() && merged.types.iter().any(|t| *t != Type::Object) {
            // A merge of non-object parts (e.g. a string with extra constraints): the first
            // typed part says what it is.
            merged.types.retain(|t| *t != Type::Object);
        } else if merged.properties.is_empty()
            && !matches!(merged.additional, Additional::Schema(_))
        {
            return Ok(Typed {
                ty: TypeRef::Value.map(),
                nullable: schema.nullable,
            });
        } else {
            merged.types = vec![Type::Object];
        }
        let merged = Rc::new(merged);
        self.shape(&merged, naming)
    }

    /// The schema at `pointer`, its references followed.
    fn resolved(&mut self, pointer: &str) -> Result<Rc<Schema>> {
        let mut current = self.schema(pointer)?;
        for _ in 0..64 {
            match current.reference.clone() {
                Some(target) => current = self.schema(&target)?,
                None => break,
            }
        }
        Ok(current)
    }

    /// `allOf` of object parts and one `oneOf`/`anyOf` part whose alternatives are objects
    /// (a base and its variants): the union, each alternative merged with the other parts.
    /// `None` when the `allOf` is not of that shape.
    fn all_of_with_a_union(
        &mut self,
        schema: &Rc<Schema>,
        naming: &Naming,
    ) -> Result<Option<Typed>> {
        if !schema.one_of.is_empty() || !schema.any_of.is_empty() {
            return Ok(None);
        }
        let mut union_part = None;
        let mut others = Vec::new();
        for pointer in &schema.all_of {
            let part = self.resolved(pointer)?;
            if part.one_of.is_empty() && part.any_of.is_empty() {
                others.push(part);
            } else if union_part.is_some() {
                return Ok(None);
            } else {
                union_part = Some(part);
            }
        }
        let Some(union_part) = union_part else {
            return Ok(None);
        };
        let listed = if union_part.one_of.is_empty() {
            &union_part.any_of
        } else {
            &union_part.one_of
        };
        let mut any_object = false;
        for pointer in listed {
            let alternative = self.schema(pointer)?;
            any_object |= self.is_object_like(&alternative)?;
        }
        if !any_object {
            // Alternatives that only constrain (`required: [a]` or `[b]`) add no type.
            return Ok(None);
        }
        let mut union = Schema {
            pointer: schema.pointer.clone(),
            title: schema.title.clone(),
            description: schema
                .description
                .clone()
                .or_else(|| union_part.description.clone()),
            nullable: schema.nullable,
            one_of: union_part.one_of.clone(),
            any_of: union_part.any_of.clone(),
            discriminator: union_part.discriminator.clone(),
            ..Schema::default()
        };
        let mut seen = Vec::new();
        let own = Schema {
            all_of: Vec::new(),
            ..(**schema).clone()
        };
        let union_own = Schema {
            one_of: Vec::new(),
            any_of: Vec::new(),
            ..(*union_part).clone()
        };
        self.merge_into(&mut union, &union_own, &mut seen)?;
        for part in &others {
            self.merge_into(&mut union, part, &mut seen)?;
        }
        self.merge_into(&mut union, &own, &mut seen)?;
        Ok(Some(self.union(&Rc::new(union), naming.clone())?))
    }

    /// Adds the properties of `part` (and of its references and `allOf` parts) to `merged`.
    fn merge_into(
        &mut self,
        merged: &mut Schema,
        part: &Schema,
        seen: &mut Vec<String>,
    ) -> Result<()> {
        if seen.contains(&part.pointer) {
            return Ok(());
        }
        seen.push(part.pointer.clone());
        if let Some(target) = &part.reference {
            let target = self.schema(target)?;
            return self.merge_into(merged, &target, seen);
        }
        for pointer in &part.all_of {
            let sub = self.schema(pointer)?;
            self.merge_into(merged, &sub, seen)?;
        }
        if !part.one_of.is_empty() || !part.any_of.is_empty() {
            self.src.warn(
                &part.pointer,
                "`oneOf`/`anyOf` inside `allOf` is not merged; only the listed properties are typed",
            );
        }
        for (name, pointer) in &part.properties {
            if let Some(existing) = merged.properties.iter_mut().find(|(n, _)| n == name) {
                existing.1 = pointer.clone();
            } else {
                merged.properties.push((name.clone(), pointer.clone()));
            }
        }
        for name in &part.required {
            if !merged.required.contains(name) {
                merged.required.push(name.clone());
            }
        }
        if merged.additional == Additional::Unspecified {
            merged.additional = part.additional.clone();
        }
        for t in &part.types {
            if !merged.types.contains(t) {
                merged.types.push(*t);
            }
        }
        if merged.format.is_none() {
            merged.format = part.format.clone();
        }
        if merged.description.is_none() {
            merged.description = part.description.clone();
        }
        merged.properties.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(())
    }

    fn enumeration(
        &mut self,
        schema: &Schema,
        values: &[Value],
        naming: Naming,
    ) -> Result<TypeRef> {
        if values.iter().all(Value::is_string) {
            if schema.is_const {
                return Ok(TypeRef::String);
            }
            let name = self.new_type_name(&naming);
            self.memo
                .insert(schema.pointer.clone(), TypeRef::Named(name.clone()));
            let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            let mut kind = string_enum(&strings);
            for variant in &mut kind.variants {
                variant.doc = schema
                    .enum_descriptions
                    .iter()
                    .find(|(value, _)| *value == variant.value)
                    .map(|(_, d)| d.clone());
            }
            let kind = TypeKind::Enum(kind);
            self.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    doc: doc_of(schema),
                    pointer: schema.pointer.clone(),
                    kind,
                },
            );
            return Ok(TypeRef::Named(name));
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
            let name = self.new_type_name(&naming);
            self.memo
                .insert(schema.pointer.clone(), TypeRef::Named(name.clone()));
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
            self.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    doc: doc_of(schema),
                    pointer: schema.pointer.clone(),
                    kind: TypeKind::IntEnum(IntEnum { repr, values }),
                },
            );
            return Ok(TypeRef::Named(name));
        }
        if values.iter().all(Value::is_boolean) {
            return Ok(TypeRef::Bool);
        }
        if values.iter().all(Value::is_number) {
            return Ok(TypeRef::Float);
        }
        self.src.warn(
            &schema.pointer,
            "an enum of values of several JSON types is typed as any JSON value",
        );
        Ok(TypeRef::Value)
    }

    /// The default of an optional property, when it can be written as a Rust constant of the
    /// field's type.
    fn default_literal(
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
    fn int_enum_of(&mut self, name: &str) -> Result<Option<&'static str>> {
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
    fn component_named(&mut self, name: &str) -> Result<Option<Rc<Schema>>> {
        let pointer = self
            .components
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(p, _)| p.clone());
        pointer.map(|p| self.schema(&p)).transpose()
    }

    /// The open enum a type name stands for, whether or not it has been defined yet.
    fn enum_of(&mut self, name: &str) -> Result<Option<Enum>> {
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

/// With `anyOf`/`oneOf` of one schema and `null` (`anyOf: [{$ref: X}, {type: "null"}]`), the
/// pointer of that one schema.
fn null_alternative(lowerer: &mut Lowerer<'_, '_>, schema: &Schema) -> Result<Option<String>> {
    let alternatives = if schema.one_of.is_empty() {
        &schema.any_of
    } else {
        &schema.one_of
    };
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
fn is_only_null(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema.types.is_empty()
        && schema.nullable
        && schema.properties.is_empty()
        && schema.enumeration.as_ref().is_none_or(Vec::is_empty)
}

/// The integer type of an enum with these values: the format's, widened to `i64` when a value
/// does not fit it (a negative `uint32`).
fn enum_repr(format: Option<&str>, values: &[Value]) -> &'static str {
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

fn integer_fits(repr: &str, v: i64) -> bool {
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

/// The Rust type of a `type: string` schema with this `format`.
pub(crate) fn string_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("date-time") => TypeRef::DateTime,
        Some("date") => TypeRef::Date,
        Some("uuid") => TypeRef::Uuid,
        Some("password") => TypeRef::Secret,
        Some("binary") => TypeRef::Bytes,
        _ => TypeRef::String,
    }
}

/// The Rust type of a `type: integer` schema with this `format`.
pub(crate) fn integer_type(format: Option<&str>) -> TypeRef {
    TypeRef::Integer(match format {
        Some("int32") => "i32",
        Some("int16") => "i16",
        Some("int8") => "i8",
        Some("uint8") => "u8",
        Some("uint16") => "u16",
        Some("uint32") => "u32",
        Some("uint64" | "uint") => "u64",
        _ => "i64",
    })
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

/// Rustdoc text for a schema: its title and description.
pub(crate) fn doc_of(schema: &Schema) -> Option<String> {
    // A title that is only an identifier (`title: WorkflowRunState`) repeats the type name.
    let title = schema
        .title
        .as_ref()
        .filter(|t| t.contains(char::is_whitespace));
    match (title, &schema.description) {
        (Some(title), Some(description)) if !description.starts_with(title.as_str()) => {
            Some(format!("{title}\n\n{description}"))
        }
        (_, Some(description)) => Some(description.clone()),
        (Some(title), None) => Some(title.clone()),
        (None, None) => None,
    }
}
