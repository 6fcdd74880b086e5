//! `allOf`: parts merged into one object, a base merged into each variant of a union, and the
//! properties written beside `oneOf`/`anyOf` merged into each alternative.

use super::{Lowerer, Naming, Typed};
use crate::error::Result;
use crate::ir::TypeRef;
use crate::normalize::schema::{Additional, Schema, Type};
use std::rc::Rc;

impl Lowerer<'_, '_> {
    /// `allOf`: one part alone stands for that part; several are merged into one object.
    pub(crate) fn all_of(&mut self, schema: &Rc<Schema>, naming: Naming) -> Result<Typed> {
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

    /// `allOf` of object parts and one `oneOf`/`anyOf` part whose alternatives are objects
    /// (a base and its variants): the union, each alternative merged with the other parts.
    /// `None` when the `allOf` is not of that shape.
    pub(crate) fn all_of_with_a_union(
        &mut self,
        schema: &Rc<Schema>,
        naming: &Naming,
    ) -> Result<Option<Typed>> {
        if schema.is_union() {
            return Ok(None);
        }
        let mut union_part = None;
        let mut others = Vec::new();
        for pointer in &schema.all_of {
            let part = self.resolved(pointer)?;
            if !part.is_union() {
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
        let listed = union_part.alternatives();
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

    /// A union alternative with the properties written beside `oneOf`/`anyOf` merged in (the
    /// alternative's own win a conflict): one struct per alternative.
    pub(crate) fn with_shared_properties(
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
            let key = union.alternatives_keyword();
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

    /// Adds the properties of `part` (and of its references and `allOf` parts) to `merged`.
    pub(crate) fn merge_into(
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
        if part.is_union() {
            self.diag.warn(
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
}
