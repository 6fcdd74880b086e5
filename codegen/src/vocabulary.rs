//! The generated crate's own vocabulary: the names its code defines or uses beside the API's,
//! which lowering keeps free and emission writes.

/// The runtime crate every generated crate depends on.
pub const RUNTIME: &str = "apigen_runtime";

/// The client's constant holding the default `User-Agent`.
pub const USER_AGENT: &str = "USER_AGENT";

/// Prelude names used unqualified as values (tuple structs live in the value namespace too).
pub const VALUE_NAMES: [&str; 4] = ["Some", "None", "Ok", "Err"];

/// Methods of the generated `ClientBuilder`, which scheme setters must not take.
pub const BUILDER_METHODS: [&str; 11] = [
    "base_url",
    "http_client",
    "timeout",
    "connect_timeout",
    "total_timeout",
    "retry_policy",
    "retry_budget",
    "clock",
    "build",
    "new",
    "default",
];

/// Inherent methods of the generated `Client`, which operation methods must not take.
pub const CLIENT_METHODS: [&str; 9] = [
    "new",
    "builder",
    "base_url",
    "transport",
    "clone",
    "fmt",
    "retry_budget",
    "wait_for_run",
    "watch_run",
];

/// Constants of the client module, which scheme constants must not take.
pub const CLIENT_CONSTANTS: [&str; 1] = [USER_AGENT];

/// Fields and methods of every request builder (the generic call's among them), which parameter
/// names must not take.
pub const REQUEST_MEMBERS: [&str; 22] = [
    "client",
    "body",
    "options",
    "send",
    "send_with_meta",
    "request",
    "read",
    "into_future",
    "header",
    "timeout",
    "total_timeout",
    "retry_policy",
    "idempotency_key",
    "max_body_size",
    "pages",
    "pages_from",
    "items",
    "items_from",
    "stream",
    "resuming",
    "max_event_size",
    "idle_timeout",
];

/// Items of the crate itself that `requests.rs` names.
pub mod krate {
    pub const CLIENT: &str = "Client";
    pub const ERROR: &str = "Error";
    pub const ERROR_BODY: &str = "ErrorBody";
    pub const TYPES: &str = "types";
}

/// Items of the runtime that generated code names unqualified.
pub mod runtime {
    pub const BOX_FUTURE: &str = "BoxFuture";
    pub const CALL: &str = "Call";
    pub const METHOD: &str = "Method";
    pub const REQUEST: &str = "Request";
    pub const QUERY_STYLE: &str = "QueryStyle";
    pub const PATH_STYLE: &str = "PathStyle";
    pub const TRANSPORT: &str = "Transport";
    pub const TRANSPORT_BUILDER: &str = "TransportBuilder";
    pub const API_KEY_LOCATION: &str = "ApiKeyLocation";
    pub const CREDENTIAL: &str = "Credential";
    pub const SCHEME_KIND: &str = "SchemeKind";
    pub const SECURITY_SCHEME: &str = "SecurityScheme";
    pub const CALL_OPTIONS: &str = "CallOptions";
    pub const RETRY_POLICY: &str = "RetryPolicy";
    pub const WITH_META: &str = "WithMeta";
    pub const RESPONSE: &str = "Response";
    pub const CLOCK: &str = "Clock";
    pub const WAIT_POLICY: &str = "WaitPolicy";
    pub const WAIT_ERROR: &str = "WaitError";
    pub const WORKFLOW_RUN: &str = "WorkflowRun";
    pub const RUN_STATUS: &str = "RunStatus";
    pub const RUN_STREAM: &str = "RunStream";
}

/// Every name `requests.rs` may use unqualified besides its request builders: request builder
/// types must not take one. (The writer also falls back to a full path on a clash, so this keeps
/// the code readable rather than correct.)
pub const REQUESTS_MODULE_NAMES: [&str; 30] = [
    krate::CLIENT,
    krate::ERROR,
    krate::ERROR_BODY,
    krate::TYPES,
    runtime::REQUEST,
    runtime::RESPONSE,
    runtime::METHOD,
    runtime::BOX_FUTURE,
    runtime::CALL,
    runtime::QUERY_STYLE,
    runtime::PATH_STYLE,
    runtime::CALL_OPTIONS,
    runtime::RETRY_POLICY,
    runtime::WITH_META,
    "Duration",
    "IntoFuture",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Into",
    "From",
    "Send",
    "Sync",
    // What `self` becomes as a type name.
    "Self_",
];
