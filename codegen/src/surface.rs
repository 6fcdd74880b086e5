//! What a generated crate offers its callers, read off the IR: methods and their arguments,
//! setters and results, types with their fields and variants, error bodies, credentials. Two
//! surfaces are compared by [`crate::api_diff`]; one is recorded beside each committed crate.

use crate::ir::{Api, ErrorDecode, Output, SchemeKind, Status, TypeKind, TypeRef};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The public API of one generated crate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// Methods on `Client`, by name.
    pub methods: BTreeMap<String, Method>,
    /// Types the crate defines, by name.
    pub types: BTreeMap<String, TypeSurface>,
    /// The variants of `ErrorBody`: name and type.
    pub error_bodies: BTreeMap<String, String>,
    /// Builder methods that take a credential: setter and what it sends.
    pub credentials: BTreeMap<String, String>,
}

/// A method of the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Method {
    /// `GET /runs/{id}`: where the request goes (`wait for run` methods say what they poll).
    pub request: String,
    /// Its arguments in order.
    pub arguments: Vec<Argument>,
    /// The setters of the request it returns: name and type.
    pub setters: BTreeMap<String, String>,
    /// What `.await` gives on success.
    pub returns: String,
    /// Documented error statuses and the `ErrorBody` variant each decodes to (`-` for none).
    pub errors: BTreeMap<String, String>,
}

/// An argument of a method, written `name: Type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Argument {
    pub name: String,
    pub ty: String,
}

impl Argument {
    fn new(name: &str, ty: String) -> Argument {
        Argument {
            name: name.to_owned(),
            ty,
        }
    }
}

impl From<Argument> for String {
    fn from(argument: Argument) -> String {
        format!("{}: {}", argument.name, argument.ty)
    }
}

impl TryFrom<String> for Argument {
    type Error = String;

    fn try_from(text: String) -> Result<Argument, String> {
        let (name, ty) = text
            .split_once(": ")
            .ok_or_else(|| format!("expected `name: Type`, found {text:?}"))?;
        Ok(Argument::new(name, ty.to_owned()))
    }
}

/// A type the crate defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeSurface {
    Struct {
        /// Field name and type (`Option<..>` for optional ones).
        fields: BTreeMap<String, String>,
        /// Callers build values of it: it is sent, as a body or parameter, or inside one.
        built_by_callers: bool,
    },
    /// A string enum; `#[non_exhaustive]`, with a variant keeping unknown values.
    Enum { variants: BTreeSet<String> },
    /// An integer newtype with a constant per known value.
    IntEnum { constants: BTreeSet<String> },
    /// An enum over types (a union, or an operation's several success types); matches on it
    /// must name every variant.
    Union { variants: BTreeMap<String, String> },
    /// `type Name = Target` or `struct Name(Target)`.
    Alias { target: String },
}

impl TypeSurface {
    /// What kind of item this is, in words.
    pub fn kind(&self) -> &'static str {
        match self {
            TypeSurface::Struct { .. } => "struct",
            TypeSurface::Enum { .. } => "enum",
            TypeSurface::IntEnum { .. } => "integer enum",
            TypeSurface::Union { .. } => "union",
            TypeSurface::Alias { .. } => "alias",
        }
    }
}

/// A stream's item type as written: its payload, or the raw event or JSON value.
fn stream_item(stream: &crate::ir::Stream) -> String {
    match (&stream.item, stream.framing) {
        (Some(ty), _) => spell(ty),
        (None, crate::ir::Framing::ServerSentEvents) => "SseEvent".to_owned(),
        (None, crate::ir::Framing::JsonLines) => "Value".to_owned(),
    }
}

/// The type as callers write it.
pub fn spell(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Integer(name) => (*name).to_owned(),
        TypeRef::Float => "f64".to_owned(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Secret => "Secret".to_owned(),
        TypeRef::DateTime => "DateTime<Utc>".to_owned(),
        TypeRef::Date => "NaiveDate".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Value => "Value".to_owned(),
        TypeRef::Unit => "()".to_owned(),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Vec(inner) => format!("Vec<{}>", spell(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", spell(inner)),
        TypeRef::Option(inner) => format!("Option<{}>", spell(inner)),
        TypeRef::Box(inner) => format!("Box<{}>", spell(inner)),
        TypeRef::EmbeddedJson(inner) => format!("EmbeddedJson<{}>", spell(inner)),
    }
}

fn status_text(status: Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(digit) => format!("{digit}XX"),
        Status::Default => "default".to_owned(),
    }
}

/// The surface of the crate generated from `api`.
pub fn surface(api: &Api) -> Surface {
    let mut methods = BTreeMap::new();
    for op in &api.operations {
        let mut arguments = Vec::new();
        let mut setters = BTreeMap::new();
        for p in &op.params {
            if p.required {
                arguments.push(Argument::new(&p.name, spell(&p.ty)));
            } else {
                setters.insert(p.name.clone(), spell(&p.ty));
            }
        }
        if let Some(body) = &op.body {
            if body.required {
                arguments.push(Argument::new("body", spell(&body.ty)));
            } else {
                setters.insert("body".to_owned(), spell(&body.ty));
            }
        }
        let stream_type = op
            .stream
            .as_ref()
            .map(|stream| format!("EventStream<{}>", stream_item(stream)));
        let returns = match &op.output {
            Output::Single(ty) => spell(ty),
            Output::Several(name) => name.clone(),
            Output::Raw => "Response".to_owned(),
            Output::Stream => stream_type.clone().unwrap_or_default(),
        };
        // Beside a blocking answer, the stream is one more method of the request builder.
        if op.output != Output::Stream
            && let Some(stream_type) = stream_type
        {
            setters.insert("stream()".to_owned(), stream_type);
        }
        // A list that pages: its pages and its items, as streams.
        if let Some(paging) = &op.pagination {
            setters.insert("pages()".to_owned(), format!("Pages<{returns}>"));
            setters.insert(
                "items()".to_owned(),
                format!("Items<{}>", spell(&paging.item)),
            );
        }
        let errors = op
            .errors
            .iter()
            .map(|case| {
                let body = match &case.decode {
                    ErrorDecode::Json(variant) | ErrorDecode::Text(variant) => variant.clone(),
                    ErrorDecode::Untyped => "-".to_owned(),
                };
                (status_text(case.status), body)
            })
            .collect();
        methods.insert(
            op.name.clone(),
            Method {
                request: format!("{} {}", op.method, op.path),
                arguments,
                setters,
                returns,
                errors,
            },
        );
    }
    if let Some(watch) = &api.run_watch
        && let Some(op) = methods.get(&watch.operation).cloned()
    {
        let mut arguments = op.arguments.clone();
        if watch.list.is_some() {
            arguments.push(Argument::new("run_id", "String".to_owned()));
        }
        // The events' own required parameters, which following them takes too.
        let events = watch.events.as_ref().and_then(|events| {
            let follows = methods.get(&events.operation)?;
            for (name, arg) in &events.args {
                if let crate::ir::EventArg::Extra(_) = arg
                    && let Some(taken) = follows.arguments.iter().find(|a| &a.name == name)
                {
                    arguments.push(taken.clone());
                }
            }
            // What following yields beside the run: the events operation's items.
            let stream = api
                .operations
                .iter()
                .find(|op| op.name == events.operation)?
                .stream
                .as_ref()?;
            Some((events.operation.clone(), stream_item(stream)))
        });
        arguments.push(Argument::new("policy", "WaitPolicy".to_owned()));
        let how = match &events {
            Some((operation, _)) => format!("follows {operation}, polls {}", watch.operation),
            None => format!("polls {}", watch.operation),
        };
        let mut watching = vec![
            (
                "wait_for_run",
                format!("Result<{0}, WaitError<{0}>>", watch.run_type),
            ),
            ("watch_run", format!("RunStream<{}>", watch.run_type)),
        ];
        if let Some((_, item)) = &events {
            watching.push((
                "follow_run",
                format!("ProgressStream<{}, {item}>", watch.run_type),
            ));
        }
        for (name, returns) in watching {
            methods.insert(
                name.to_owned(),
                Method {
                    request: how.clone(),
                    arguments: arguments.clone(),
                    setters: BTreeMap::new(),
                    returns,
                    errors: BTreeMap::new(),
                },
            );
        }
    }

    let built = api.built_by_callers();
    let types = api
        .types
        .iter()
        .map(|t| {
            let surface = match &t.kind {
                TypeKind::Struct(s) => {
                    let mut fields: BTreeMap<String, String> = s
                        .fields
                        .iter()
                        .map(|f| (f.name.clone(), spell(&f.ty)))
                        .collect();
                    if let Some((name, ty)) = &s.additional {
                        fields.insert(name.clone(), format!("BTreeMap<String, {}>", spell(ty)));
                    }
                    TypeSurface::Struct {
                        fields,
                        built_by_callers: built.contains(&t.name),
                    }
                }
                TypeKind::Enum(e) => TypeSurface::Enum {
                    variants: e.variants.iter().map(|v| v.name.clone()).collect(),
                },
                TypeKind::IntEnum(e) => TypeSurface::IntEnum {
                    constants: e.values.iter().map(|v| v.name.clone()).collect(),
                },
                TypeKind::Union(u) => TypeSurface::Union {
                    variants: u
                        .variants
                        .iter()
                        .map(|v| (v.name.clone(), spell(&v.ty)))
                        .chain([(u.other.clone(), "Value".to_owned())])
                        .collect(),
                },
                TypeKind::Responses(variants) => TypeSurface::Union {
                    variants: variants
                        .iter()
                        .map(|v| {
                            let ty = v.ty.as_ref().map_or_else(|| "()".to_owned(), spell);
                            (v.name.clone(), ty)
                        })
                        .collect(),
                },
                TypeKind::Alias(target) | TypeKind::Newtype(target) => TypeSurface::Alias {
                    target: spell(target),
                },
            };
            (t.name.clone(), surface)
        })
        .collect();
    let error_bodies = api
        .error_variants
        .iter()
        .map(|v| (v.name.clone(), spell(&v.ty)))
        .collect();
    let credentials = api
        .schemes
        .iter()
        .map(|s| {
            let sends = match &s.kind {
                SchemeKind::ApiKey { location, name } => {
                    format!("an API key in {} `{name}`", location.word())
                }
                SchemeKind::Bearer => "a bearer token".to_owned(),
                SchemeKind::Basic => "a user name and password".to_owned(),
            };
            (s.setter.clone(), sends)
        })
        .collect();
    Surface {
        methods,
        types,
        error_bodies,
        credentials,
    }
}
