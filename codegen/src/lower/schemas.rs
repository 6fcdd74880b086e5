//! Schemas to Rust types: the dispatch by kind, references, objects, arrays and scalars.

use super::unions::null_alternative;
use super::{Lowerer, Naming, Typed};
use crate::error::Result;
use crate::ir::{Field, Struct, TypeKind, TypeRef};
use crate::names::{Namespace, pascal, snake};
use crate::normalize::MAX_REF_HOPS;
use crate::normalize::schema::{Additional, Schema, Type};
use std::rc::Rc;

/// Inline schemas nested deeper than this are refused: a document cannot make the generator
/// recurse without bound.
const MAX_DEPTH: usize = 200;

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
            self.finish_type(name, &schema, TypeKind::Alias(typed.holder()));
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

    pub(crate) fn lower_inner(&mut self, pointer: &str, naming: Naming) -> Result<Typed> {
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
    pub(crate) fn reference(&mut self, target: &str, naming: &Naming) -> Result<Typed> {
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
    pub(crate) fn component_nullable(&mut self, pointer: &str) -> Result<bool> {
        let mut current = pointer.to_owned();
        for _ in 0..MAX_REF_HOPS {
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

    pub(crate) fn shape(&mut self, schema: &Rc<Schema>, naming: Naming) -> Result<Typed> {
        let plain = |ty| Ok(Typed::plain(ty));
        if schema.never {
            self.diag.warn(
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
        if schema.is_union() {
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

    /// `apigen_runtime::EmbeddedJson<T>` for a string of JSON text, `T` from `contentSchema`
    /// (named from `naming`) or any JSON value.
    pub(crate) fn embedded_json(
        &mut self,
        content: Option<&str>,
        naming: &Naming,
    ) -> Result<TypeRef> {
        let inner = match content {
            Some(pointer) => {
                let typed = self.type_of(pointer, &format!("{}Content", naming.base()))?;
                typed.holder()
            }
            None => TypeRef::Value,
        };
        Ok(TypeRef::EmbeddedJson(Box::new(inner)))
    }

    pub(crate) fn array(&mut self, schema: &Schema, naming: &Naming) -> Result<TypeRef> {
        match &schema.items {
            Some(items) => {
                let typed = self.type_of(items, &format!("{}Item", naming.base()))?;
                let item = typed.holder();
                Ok(item.vec())
            }
            None => Ok(TypeRef::Value.vec()),
        }
    }

    pub(crate) fn object(&mut self, schema: &Schema, naming: Naming) -> Result<TypeRef> {
        let additional = match &schema.additional {
            Additional::Schema(pointer) => {
                let typed = self.type_of(pointer, &format!("{}Value", naming.base()))?;
                Some(typed.holder())
            }
            Additional::Any => Some(TypeRef::Value),
            Additional::Unspecified | Additional::Forbidden => None,
        };
        if schema.properties.is_empty() {
            return Ok(additional.unwrap_or(TypeRef::Value).map());
        }
        let name = self.start_type(&naming, &schema.pointer);
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
            let required_nullable = required && typed.nullable;
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
                required_nullable,
                default,
                doc: doc_of(&property),
                deprecated: property.deprecated,
            });
        }
        let additional = additional.map(|ty| (field_names.claim("additional_properties"), ty));
        let kind = TypeKind::Struct(Struct { fields, additional });
        Ok(self.finish_type(name, schema, kind))
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
