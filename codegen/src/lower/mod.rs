//! Stage 3: resolve references and build the IR. Every name is decided here, once.
//!
//! Component schemas are named after their keys and reserved before anything else, so an inline
//! schema can never take a component's name. Inline schemas are named from where they sit
//! (`WorkflowRunState` + `pendingInteraction` -> `WorkflowRunStatePendingInteraction`).
//! Traversal follows the document's sorted keys, so names do not depend on key order.
//!
//! One file a job: `schemas` dispatches a schema to the file for its kind (objects and arrays
//! are there too), `unions`, `all_of` merging, `enums` and defaults, `inference` from
//! examples; `operations` assembles each operation from `naming`, `security`,
//! `parameters`, `bodies` and `responses`; `cycles` boxes recursive types last.

mod access;
mod all_of;
mod bodies;
mod cycles;
mod enums;
mod inference;
mod naming;
mod operations;
mod pagination;
mod parameters;
mod responses;
mod runs;
mod schemas;
mod security;
mod streams;
mod unions;

use crate::diagnostics::Diagnostics;
use crate::error::Result;
use crate::ir::{Api, TypeDef, TypeKind, TypeRef};
use crate::names::Namespace;
use crate::normalize::document::{self, Document};
use crate::normalize::schema::{self, Schema};
use crate::normalize::{MAX_REF_HOPS, Source};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Lowers a normalized document into the IR.
pub fn lower(
    src: &Source<'_>,
    doc: &Document,
    diag: &mut Diagnostics,
    settings: Option<(&crate::config::Config, &str)>,
) -> Result<Api> {
    let mut lowerer = Lowerer::new(src, diag);
    lowerer.define_components(&doc.schemas)?;
    finish(lowerer, doc, settings)
}

/// Reads and lowers a document: like [`document::read`] then [`lower`], with the document
/// read on another thread while this one lowers the component schemas, which need only their
/// list. The outcome is the same: the reading's error first, warnings kept in pointer order.
pub fn read_and_lower(
    src: &Source<'_>,
    diag: &mut Diagnostics,
    settings: Option<(&crate::config::Config, &str)>,
) -> Result<Api> {
    let read = |src: &Source<'_>| {
        let mut read_diag = Diagnostics::new();
        let doc = document::read(src, &mut read_diag);
        (doc, read_diag)
    };
    std::thread::scope(|scope| {
        // The reading under way on a thread or, where no thread can be had, done here first.
        let reading = std::thread::Builder::new()
            .stack_size(crate::STACK)
            .spawn_scoped(scope, || read(src))
            .map_err(|_| read(src));
        let mut lowerer = Lowerer::new(src, diag);
        let components = document::schemas(src).and_then(|s| lowerer.define_components(&s));
        let (doc, read_diag) = match reading {
            Ok(reader) => reader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(done) => done,
        };
        let doc = doc?;
        lowerer.diag.absorb(read_diag);
        components?;
        finish(lowerer, &doc, settings)
    })
}

impl Lowerer<'_, '_> {
    /// Names the component schemas (before anything else, so that an inline schema never
    /// takes one's name), then defines their types.
    fn define_components(&mut self, schemas: &[(String, String)]) -> Result<()> {
        for (key, pointer) in schemas {
            let name = self.type_names.claim(&crate::names::pascal(key, "Schema"));
            self.components.insert(pointer.clone(), name);
        }
        for (_, pointer) in schemas {
            self.define_component(pointer)?;
        }
        Ok(())
    }
}

/// Lowers the operations (after the components) and assembles the IR.
fn finish(
    mut lowerer: Lowerer<'_, '_>,
    doc: &Document,
    settings: Option<(&crate::config::Config, &str)>,
) -> Result<Api> {
    let mut lowered = operations::lower_operations(&mut lowerer, doc)?;
    let run = settings.and_then(|(config, shown)| config.run.as_ref().map(|run| (run, shown)));
    if let Some((config, shown)) = settings
        && let Some(stream) = &config.stream
    {
        streams::apply_stream_settings(
            &mut lowerer,
            stream,
            shown,
            &doc.operations,
            &mut lowered.operations,
        )?;
    }
    let paging =
        settings.and_then(|(config, shown)| config.pagination.as_ref().map(|table| (table, shown)));
    pagination::apply_pagination(
        &mut lowerer,
        paging,
        &doc.operations,
        &mut lowered.operations,
    )?;
    for hook in &doc.webhooks {
        operations::lower_webhook(&mut lowerer, hook)?;
    }
    let run_watch = run
        .map(|(settings, config)| {
            runs::lower_run_watch(
                &mut lowerer,
                settings,
                config,
                &doc.operations,
                &lowered.operations,
            )
        })
        .transpose()?;
    let mut types: Vec<TypeDef> = lowerer.types.into_values().collect();
    cycles::break_cycles(&mut types, lowerer.diag);
    unions::union_keys(&mut types);
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
        run_watch,
    })
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

/// A lowered schema: its type, and whether `null` is allowed on top of it.
#[derive(Debug, Clone)]
pub(crate) struct Typed {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Typed {
    /// A type that admits no `null` of its own.
    fn plain(ty: TypeRef) -> Typed {
        Typed {
            ty,
            nullable: false,
        }
    }

    /// The type a value of the schema is held in: `Option<T>` where `null` is allowed.
    pub fn holder(self) -> TypeRef {
        if self.nullable {
            self.ty.option()
        } else {
            self.ty
        }
    }
}

pub(crate) struct Lowerer<'s, 'a> {
    pub src: &'s Source<'a>,
    pub diag: &'s mut Diagnostics,
    /// Component schema pointer -> type name.
    pub components: BTreeMap<String, String>,
    pub type_names: Namespace,
    /// Names of `serde(default)` functions.
    pub default_fns: Namespace,
    /// Types defined so far, by name.
    pub types: BTreeMap<String, TypeDef>,
    /// Inline schema pointer -> the named type made for it.
    memo: HashMap<String, TypeRef>,
    schemas: HashMap<String, Rc<Schema>>,
    depth: usize,
}

impl<'s, 'a> Lowerer<'s, 'a> {
    fn new(src: &'s Source<'a>, diag: &'s mut Diagnostics) -> Self {
        Lowerer {
            src,
            diag,
            components: BTreeMap::new(),
            // Tuple structs (newtypes, integer enums) live in the value namespace too, where
            // these prelude names are used unqualified.
            type_names: {
                let mut names = Namespace::pascal();
                names.reserve(crate::vocabulary::VALUE_NAMES);
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
        let read = Rc::new(schema::read(self.src, self.diag, pointer)?);
        self.schemas.insert(pointer.to_owned(), read.clone());
        Ok(read)
    }

    /// The schema at `pointer` with its references followed (as far as `normalize` follows a
    /// chain; a longer one stops where it is).
    fn resolved(&mut self, pointer: &str) -> Result<Rc<Schema>> {
        let mut current = self.schema(pointer)?;
        for _ in 0..MAX_REF_HOPS {
            match current.reference.clone() {
                Some(target) => current = self.schema(&target)?,
                None => break,
            }
        }
        Ok(current)
    }

    /// The name a new type takes: a component's reserved name, or a claimed inline one.
    fn new_type_name(&mut self, naming: &Naming) -> String {
        match naming {
            Naming::Exact(name) => name.clone(),
            Naming::Hint(hint) => self.type_names.claim(hint),
        }
    }

    /// Starts a type for the schema at `pointer`: claims its name and remembers it, so that a
    /// reference back to the schema while its members are lowered finds the type.
    fn start_type(&mut self, naming: &Naming, pointer: &str) -> String {
        let name = self.new_type_name(naming);
        self.memo
            .insert(pointer.to_owned(), TypeRef::Named(name.clone()));
        name
    }

    /// Registers a finished type, documented from `schema`, and returns a reference to it.
    fn finish_type(&mut self, name: String, schema: &Schema, kind: TypeKind) -> TypeRef {
        self.define(name, schemas::doc_of(schema), &schema.pointer, kind)
    }

    /// Registers a type and returns a reference to it.
    fn define(
        &mut self,
        name: String,
        doc: Option<String>,
        pointer: &str,
        kind: TypeKind,
    ) -> TypeRef {
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc,
                pointer: pointer.to_owned(),
                kind,
            },
        );
        TypeRef::Named(name)
    }
}

/// Where the settings' `operationId` `id` is among the document's selected operations, or the
/// message saying it names none.
pub(crate) fn operation_named(
    documented: &[document::Operation],
    id: &str,
) -> std::result::Result<usize, String> {
    documented
        .iter()
        .position(|op| op.operation_id.as_deref() == Some(id))
        .ok_or_else(|| format!("operationId {id:?} names no selected operation of the document"))
}
