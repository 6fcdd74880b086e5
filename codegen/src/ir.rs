//! The intermediate representation: everything the emitter needs, every name already decided.

/// A client crate to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server, when it is an absolute URL.
    pub default_base_url: Option<String>,
    pub schemes: Vec<Scheme>,
    pub operations: Vec<Operation>,
    /// Sorted by name.
    pub types: Vec<TypeDef>,
    /// Variants of the crate's `ErrorBody`, sorted by name.
    pub error_variants: Vec<ErrorVariant>,
    /// How the client waits for and watches a workflow run, when the settings say.
    pub run_watch: Option<RunWatch>,
}

impl Api {
    /// The types callers build: those sent as a body or parameter, and those inside them.
    pub fn built_by_callers(&self) -> std::collections::BTreeSet<String> {
        self.type_index()
            .reached(self.operations.iter().flat_map(|op| {
                op.params
                    .iter()
                    .map(|p| &p.ty)
                    .chain(op.body.iter().map(|b| &b.ty))
            }))
    }

    /// The types by name, to follow what each holds ([`TypeIndex::reached`]).
    pub fn type_index(&self) -> TypeIndex<'_> {
        TypeIndex(
            self.types
                .iter()
                .map(|t| (t.name.as_str(), &t.kind))
                .collect(),
        )
    }
}

/// The types of an [`Api`] by name.
pub struct TypeIndex<'a>(std::collections::BTreeMap<&'a str, &'a TypeKind>);

impl TypeIndex<'_> {
    /// The generated types `start` names, and every type those hold, by name.
    pub fn reached<'t>(
        &self,
        start: impl IntoIterator<Item = &'t TypeRef>,
    ) -> std::collections::BTreeSet<String>
    where
        Self: 't,
    {
        let mut pending: Vec<&TypeRef> = start.into_iter().collect();
        let mut seen = std::collections::BTreeSet::new();
        while let Some(ty) = pending.pop() {
            if let Some(inner) = ty.wrapped() {
                pending.push(inner);
                continue;
            }
            if let TypeRef::Named(name) = ty
                && seen.insert(name.clone())
                && let Some(kind) = self.0.get(name.as_str())
            {
                pending.extend(kind.members());
            }
        }
        seen
    }
}

/// How a workflow run is read from the API's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct RunWatch {
    /// The run's type.
    pub run_type: String,
    /// The client method that answers a run (or a list of them).
    pub operation: String,
    /// From that answer to the list of runs, when it answers a list.
    pub list: Option<Access>,
    pub status: Access,
    pub id: Option<Access>,
    pub started: Option<Access>,
    pub finished: Option<Access>,
    /// The API's status values and what each means.
    pub statuses: Vec<(String, RunState)>,
    /// Where the run's events stream from, when the API streams them (`[run.events]`).
    pub events: Option<RunEvents>,
}

/// The operation that streams a run's events, given the run's id, and how it is followed.
#[derive(Debug, Clone, PartialEq)]
pub struct RunEvents {
    /// The client method.
    pub operation: String,
    /// Its required parameters in order, each from the watching methods' arguments.
    pub args: Vec<(String, EventArg)>,
    /// Optional parameters set on every opening, as builder setters and their values.
    pub set: Vec<(String, SetValue)>,
    /// The item union's method that reads the tag, and the tags after which the run is asked
    /// for again.
    pub refresh: (String, Vec<String>),
}

/// Where a required parameter of the events operation comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum EventArg {
    /// The run operation's argument of the same name and type.
    Same,
    /// The run operation's argument of the same name, a string, parsed (a UUID, a number).
    Parse(TypeRef),
    /// The run operation's argument of the same name, written as a string.
    Display,
    /// An argument of its own (Dify's `user`).
    Extra(TypeRef),
}

/// A value a setting gives a parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum SetValue {
    Bool(bool),
    Integer(i64),
    Text(String),
}

/// The status every API shares (the runtime's `RunStatus`, unknown aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    Queued,
    Running,
    WaitingForInput,
    Succeeded,
    Failed,
    Cancelled,
}

/// A way from a value to one inside it, and what is found there.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    pub steps: Vec<AccessStep>,
    pub leaf: Leaf,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AccessStep {
    /// A struct field (its Rust name), which may be absent.
    Field { name: String, optional: bool },
    /// A tagged union's tag, through its accessor method.
    Tag { method: String },
}

/// What an [`Access`] finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    /// A `String`.
    Text,
    /// An open string enum (`as_str`).
    Enum,
    /// The `&str` a union's tag accessor gives.
    Tag,
    Uuid,
    DateTime,
    /// An integer of the named Rust type: a number, or Unix seconds where a time is wanted.
    Integer(&'static str),
    Bool,
    /// A list (of runs, of a page's items).
    List,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    ApiKey {
        /// The header, query parameter or cookie that carries the key.
        location: Location,
        name: String,
    },
    Bearer,
    Basic,
}

/// A security scheme the client can apply, with its builder setter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// The name in the document (`components/securitySchemes`).
    pub name: String,
    /// The builder method that sets its credential.
    pub setter: String,
    /// The name of the constant describing it.
    pub constant: String,
    pub kind: SchemeKind,
    pub description: Option<String>,
}

/// A Rust type as used in a field, parameter or response.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Bool,
    /// A primitive integer type by its Rust name (`i64`, `u32`, ...).
    Integer(&'static str),
    Float,
    String,
    /// A sensitive string (`format: password`): redacted in `Debug` output.
    Secret,
    DateTime,
    Date,
    Uuid,
    /// Raw bytes (binary bodies).
    Bytes,
    /// Any JSON value.
    Value,
    /// No content.
    Unit,
    Named(String),
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    Option(Box<TypeRef>),
    Box(Box<TypeRef>),
    /// A value sent as JSON or as a string of that JSON encoded (`contentMediaType:
    /// application/json` on a string): `apigen_runtime::EmbeddedJson<T>`.
    EmbeddedJson(Box<TypeRef>),
}

impl TypeRef {
    pub fn option(self) -> TypeRef {
        match self {
            TypeRef::Option(_) => self,
            other => TypeRef::Option(Box::new(other)),
        }
    }

    pub fn vec(self) -> TypeRef {
        TypeRef::Vec(Box::new(self))
    }

    pub fn map(self) -> TypeRef {
        TypeRef::Map(Box::new(self))
    }

    /// The type a wrapper holds: `Vec`, map, `Option`, `Box` or `EmbeddedJson`.
    pub fn wrapped(&self) -> Option<&TypeRef> {
        match self {
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Box(inner)
            | TypeRef::EmbeddedJson(inner) => Some(inner),
            _ => None,
        }
    }

    /// True when `test` holds for this type or one it wraps, at any depth.
    pub fn any(&self, test: &dyn Fn(&TypeRef) -> bool) -> bool {
        test(self) || self.wrapped().is_some_and(|inner| inner.any(test))
    }

    /// True when a generated type appears anywhere in this one.
    pub fn mentions_named(&self) -> bool {
        self.any(&|t| matches!(t, TypeRef::Named(_)))
    }

    /// The named type this is, seen through `Option` and `Box`.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Option(inner) | TypeRef::Box(inner) => inner.named(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// Where the schema is in the document.
    pub pointer: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// An open string enum: known values plus a variant that keeps any other.
    Enum(Enum),
    /// An open integer enum: a newtype with a constant per known value.
    IntEnum(IntEnum),
    /// A value that is one of several types (`oneOf`, `anyOf`, several `type`s).
    Union(Union),
    /// `pub type Name = Target;`
    Alias(TypeRef),
    /// `pub struct Name(pub Target);`, serialized as the target (breaks cycles of aliases).
    Newtype(TypeRef),
    /// What an operation returns when its successes have different types: a variant per status.
    Responses(Vec<ResponseVariant>),
}

impl TypeKind {
    /// Every type a value of this kind holds: fields (the map of other properties included),
    /// variants, the target of an alias or newtype.
    pub fn members(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(s.additional.iter().map(|(_, ty)| ty))
                .collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::Responses(variants) => {
                variants.iter().filter_map(|v| v.ty.as_ref()).collect()
            }
            TypeKind::Enum(_) | TypeKind::IntEnum(_) => Vec::new(),
        }
    }
}

/// One success of an operation with several: its status and what it holds (`None`: nothing).
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseVariant {
    pub name: String,
    pub status: Status,
    pub ty: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties`: the type of the values of other properties, kept in a map.
    pub additional: Option<(String, TypeRef)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub json_name: String,
    /// The full field type, `Option` included.
    pub ty: TypeRef,
    /// Absent from the JSON when `None` (the property is not required).
    pub skip_if_none: bool,
    /// Required but nullable: `null` is `None`, absence is an error.
    pub required_nullable: bool,
    /// A default used when the property is absent: the name of its function and its value.
    pub default: Option<(String, Literal)>,
    pub doc: Option<String>,
    pub deprecated: bool,
}

/// A constant value written into generated code.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A variant of an open enum: type and variant name.
    Variant(String, String),
    /// A value of an open integer enum (a newtype): type, its integer type and the value.
    IntValue(String, &'static str, i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
    /// The name of the variant that keeps unknown values.
    pub other: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntEnum {
    pub repr: &'static str,
    pub values: Vec<IntConstant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntConstant {
    pub name: String,
    pub value: i64,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The discriminator property, when every variant has tag values.
    pub tag: Option<String>,
    /// The variant that keeps, as JSON, a value no other variant reads.
    pub other: String,
    /// With a tag that names one variant per value: the method that returns the tag.
    pub accessor: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// With a tag: the tag values that select this variant.
    pub tags: Vec<String>,
    /// Without a tag, for a struct variant: the properties it knows. The alternative that knows
    /// most of a value's keys is chosen.
    pub keys: Option<Vec<String>>,
    /// The schema the variant comes from (a reference's target).
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorVariant {
    pub name: String,
    pub ty: TypeRef,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
    /// OpenAPI 3.2: the whole query string, serialized by the parameter's media type.
    QueryString,
}

impl Location {
    /// The word for the location in prose: `path`, `query`, `header` or `cookie`.
    pub fn word(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
            Location::QueryString => "query string",
        }
    }
}

/// How a parameter is serialized (OpenAPI `style` and `explode`), already resolved against the
/// defaults of its location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Query and cookie default.
    Form {
        explode: bool,
    },
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    /// Path and header default.
    Simple {
        explode: bool,
    },
    Label {
        explode: bool,
    },
    Matrix {
        explode: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The Rust name (argument, field and setter).
    pub name: String,
    /// The name on the wire.
    pub wire: String,
    pub location: Location,
    /// The value type, without the `Option` an optional parameter is stored in.
    pub ty: TypeRef,
    pub required: bool,
    pub style: Style,
    pub doc: Option<String>,
    /// The media type of a parameter described by `content` (a query string's, say).
    pub media_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
    /// `multipart/form-data`: the parts of a struct body, or `None` for one part per property.
    Multipart(Option<Vec<FormPart>>),
    Bytes,
    Text,
}

/// One part of a multipart body made from a struct field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    /// The part's name (the property name).
    pub name: String,
    /// The struct field holding the value.
    pub field: String,
    /// Binary content, sent as a file part.
    pub file: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    pub kind: BodyKind,
    pub content_type: String,
    pub required: bool,
    pub doc: Option<String>,
}

/// Which statuses a response case covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `4XX`: the first digit.
    Range(u16),
    Default,
}

/// How the body of a response is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decode {
    Json(TypeRef),
    Text,
    Bytes,
    Empty,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuccessCase {
    pub status: Status,
    pub decode: Decode,
    /// With several success types: the variant of the operation's response enum.
    pub variant: Option<String>,
    /// JSON that may also come wrapped in an object under this key (`T` or `{"data": T}`).
    pub within: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorDecode {
    /// JSON of the `ErrorBody` variant's type.
    Json(String),
    /// Text kept in an `ErrorBody` variant.
    Text(String),
    /// Documented without a body type: an `Error::UnexpectedStatus` that keeps the text.
    Untyped,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCase {
    pub status: Status,
    pub decode: ErrorDecode,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// One type for every success status.
    Single(TypeRef),
    /// An enum (`Named`) over several success types.
    Several(String),
    /// Nothing documented: the raw response.
    Raw,
    /// Only a sequence (`text/event-stream`, JSON lines): the method returns the operation's
    /// [`Stream`] of items.
    Stream,
}

/// How a sequence's records are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    ServerSentEvents,
    JsonLines,
}

/// A success that comes as a sequence of items, read as they arrive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    pub framing: Framing,
    /// The media type asked for in `Accept`.
    pub media_type: String,
    /// The type of each item's payload (JSON); `None`: raw events, or JSON values for lines.
    pub item: Option<TypeRef>,
    /// The values of the item's tag that end the stream properly, and the union's method that
    /// reads the tag (settings `[stream] terminal`).
    pub terminal: Option<(String, Vec<String>)>,
    /// The request body field that asks for the stream rather than the blocking answer, and
    /// its two values (settings `[stream.mode]`): (field, blocking, streaming).
    pub mode: Option<(String, String, String)>,
    /// Whether the same request, sent again after a drop (with `Last-Event-ID` once the server
    /// sent ids), resumes the stream: GET and QUERY streams unless `[stream] resume` lists
    /// which.
    pub resumable: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The method on `Client`.
    pub name: String,
    /// The request builder type.
    pub builder: String,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The document's tags for the operation (a cargo feature each, in large crates).
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub output: Output,
    pub accept: Option<String>,
    pub success: Vec<SuccessCase>,
    pub errors: Vec<ErrorCase>,
    /// Alternatives of scheme names.
    pub security: Vec<Vec<String>>,
    /// A success that comes as a sequence: the method's answer when `output` is
    /// [`Output::Stream`], otherwise the request builder's `stream()` beside the blocking one.
    pub stream: Option<Stream>,
    /// How the operation's answer pages, when it is a page of a list.
    pub pagination: Option<Pagination>,
}

/// A list operation's paging: the builder's `pages()` and `items()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub kind: PageKind,
    /// From the answer to its list of items (no steps: the answer is the list).
    pub items: Access,
    /// The type of each item.
    pub item: TypeRef,
    pub has_more: Option<Access>,
    pub total: Option<Access>,
    /// The page size parameter and its documented default.
    pub size: Option<(PageParam, Option<u64>)>,
}

/// A request parameter a listing sets or reads: its Rust name (the builder's field), type, and
/// whether it is required (a field without `Option`).
#[derive(Debug, Clone, PartialEq)]
pub struct PageParam {
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
}

/// Where a list's next page is.
#[derive(Debug, Clone, PartialEq)]
pub enum PageKind {
    /// The parameter that takes the cursor, and where the next is.
    Cursor { param: PageParam, next: Access },
    /// The page number parameter, and the first page's number.
    Page { param: PageParam, first: u64 },
    /// The offset parameter.
    Offset { param: PageParam },
    /// The next page's URL in the answer, or (`None`) in the `Link` header.
    NextUrl { next: Option<Access> },
}
