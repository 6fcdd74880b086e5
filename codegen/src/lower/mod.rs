//! Stage 3: resolve references and build the IR. Every name is decided here, once.
//!
//! Component schemas are named after their keys and reserved before anything else, so an inline
//! schema can never take a component's name. Inline schemas are named from where they sit
//! (`WorkflowRunState` + `pendingInteraction` -> `WorkflowRunStatePendingInteraction`).
//! Traversal follows the document's sorted keys, so names do not depend on key order.

mod cycles;
mod operations;
mod schemas;

use crate::error::Result;
use crate::ir::{Api, TypeDef, TypeKind, TypeRef};
use crate::names::Namespace;
use crate::normalize::Source;
use crate::normalize::document::Document;
use crate::normalize::schema::{self, Schema};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Lowers a normalized document into the IR.
pub fn lower(src: &mut Source<'_>, doc: &Document) -> Result<Api> {
    let mut lowerer = Lowerer::new(src);
    for (key, pointer) in &doc.schemas {
        let name = lowerer
            .type_names
            .claim(&crate::names::pascal(key, "Schema"));
        lowerer.components.insert(pointer.clone(), name);
    }
    for (_, pointer) in &doc.schemas {
        lowerer.define_component(pointer)?;
    }
    let lowered = operations::lower_operations(&mut lowerer, doc)?;
    for hook in &doc.webhooks {
        operations::lower_webhook(&mut lowerer, hook)?;
    }
    let mut types: Vec<TypeDef> = lowerer.types.into_values().collect();
    cycles::break_cycles(&mut types, lowerer.src);
    union_keys(&mut types);
    types.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Api {
        title: doc.title.clone(),
        version: doc.version.clone(),
        description: doc.description.clone(),
        default_base_url: doc.servers.first().map(|s| s.url.clone()).filter(|url| {
            (url.starts_with("http://") || url.starts_with("https://")) && !url.contains('{')
        }),
        schemes: lowered.schemes,
        operations: lowered.operations,
        types,
        error_variants: lowered.error_variants,
    })
}

/// For untagged unions with several struct variants: the properties each variant knows, so the
/// variant that accounts for most of a value is chosen rather than merely the first that reads it.
fn union_keys(types: &mut [TypeDef]) {
    let by_name: BTreeMap<String, TypeKind> = types
        .iter()
        .map(|t| (t.name.clone(), t.kind.clone()))
        .collect();
    let struct_keys = |ty: &TypeRef| -> Option<Vec<String>> {
        let mut name = ty.named()?.to_owned();
        for _ in 0..16 {
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

/// How a type created for a schema is named.
#[derive(Debug, Clone)]
pub(crate) enum Naming {
    /// A component schema: the name is already reserved.
    Exact(String),
    /// An inline schema: a name to claim (numbered if taken).
    Hint(String),
}

impl Naming {
    /// The base for names of nested inline schemas.
    fn base(&self) -> &str {
        match self {
            Naming::Exact(name) | Naming::Hint(name) => name,
        }
    }
}

pub(crate) struct Lowerer<'s, 'a> {
    pub src: &'s mut Source<'a>,
    /// Component schema pointer -> type name.
    pub components: BTreeMap<String, String>,
    pub type_names: Namespace,
    /// Names of `serde(default)` functions.
    pub default_fns: Namespace,
    /// Types defined so far, by name.
    pub types: BTreeMap<String, TypeDef>,
    /// Inline schema pointer -> the named type made for it.
    memo: HashMap<String, crate::ir::TypeRef>,
    schemas: HashMap<String, Rc<Schema>>,
    depth: usize,
}

impl<'s, 'a> Lowerer<'s, 'a> {
    fn new(src: &'s mut Source<'a>) -> Self {
        Lowerer {
            src,
            components: BTreeMap::new(),
            // Tuple structs (newtypes, integer enums) live in the value namespace too, where
            // these prelude names are used unqualified.
            type_names: {
                let mut names = Namespace::pascal();
                names.reserve(["Some", "None", "Ok", "Err"]);
                names
            },
            default_fns: Namespace::snake(),
            types: BTreeMap::new(),
            memo: HashMap::new(),
            schemas: HashMap::new(),
            depth: 0,
        }
    }

    /// The normalized schema at `pointer`, read once.
    pub fn schema(&mut self, pointer: &str) -> Result<Rc<Schema>> {
        if let Some(found) = self.schemas.get(pointer) {
            return Ok(found.clone());
        }
        let read = Rc::new(schema::read(self.src, pointer)?);
        self.schemas.insert(pointer.to_owned(), read.clone());
        Ok(read)
    }
}
