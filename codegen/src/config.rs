//! Per-API settings, `codegen.toml`: where the document comes from and which operations to generate.
//!
//! ```toml
//! [source]
//! url = "https://example.com/openapi.json"   # or: hand-written = "from the page <...>"
//! taken = 2026-08-16                          # the day the document was copied or written
//! sha256 = "…"                                # of the vendored file, checked on every regen
//! redirect-hosts = ["cdn.example.com"]         # where fetching the URL may be redirected
//!
//! [operations]                                # all of them when absent
//! ids = ["get_workflow_run"]                  # by operationId
//! paths = ["/v1/workflows/runs"]              # by path prefix
//! tags = ["Workflow Runs"]                    # by tag
//!
//! [refs]
//! extra-root = "../shared"                    # one more folder `$ref`s may read files from
//!
//! [crate]
//! version = "0.2.0"                           # the generated crate's; checked against its API
//!
//! [run]                                       # how to watch a workflow run
//! operation = "get_workflow_run"              # the operationId that answers a run (or a list)
//! list = "workflowRuns"                       # where the runs are in a list answer
//! status = "lifecycle.status"                 # where a run's status is (dotted JSON names)
//! id = "id"                                   # its id, start and end, where it has them
//! started = "timing.started_at"
//! finished = "timing.completed_at"
//!
//! [run.statuses]                              # the API's statuses by common status
//! queued = ["pending"]
//! running = ["running"]
//! waiting = ["awaiting_review"]
//! succeeded = ["completed"]
//! failed = ["error"]
//! cancelled = ["cancelled"]
//!
//! [stream]                                    # the API's event streams
//! terminal = ["workflow_finished", "error"]   # item tags that end a stream properly
//!
//! [stream.mode]                               # the body field that asks for a stream
//! field = "response_mode"
//! blocking = "blocking"
//! streaming = "streaming"
//! ```
//!
//! Each table is one concern, so later settings (a run-status mapping, say) are a new table.
//! Unknown keys are errors naming the file and the key.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::Path;

/// The settings of one API.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the document comes from.
    #[serde(default)]
    pub source: Option<Source>,
    /// Which operations to generate.
    #[serde(default)]
    pub operations: OperationFilter,
    /// Where `$ref`s may read files from.
    #[serde(default)]
    pub refs: RefSettings,
    /// How to watch a workflow run of the API.
    #[serde(default)]
    pub run: Option<RunSettings>,
    /// How the API's event streams end, and how a request asks for one.
    #[serde(default)]
    pub stream: Option<StreamSettings>,
    /// How the API's list operations page.
    #[serde(default)]
    pub pagination: Option<PaginationSettings>,
    /// The generated crate itself.
    #[serde(default, rename = "crate")]
    pub krate: CrateTable,
}

/// The generated crate: its version, which `regen` holds to the changes of its public API (a
/// breaking change needs a major bump, an addition a minor one; before 1.0, one place lower).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateTable {
    #[serde(default)]
    pub version: Option<semver::Version>,
    /// The repository that holds the crate (its manifest's `repository`).
    #[serde(default)]
    pub repository: Option<String>,
    /// A cargo feature per tag of the document (on by default from 100 operations up).
    #[serde(default)]
    pub features_by_tag: Option<bool>,
}

/// Where a workflow run's status, id and times are in the API's answers, and what its statuses
/// mean: enough for the generated client to wait for a run and watch it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSettings {
    /// The `operationId` of the operation that answers a run, or a list holding it.
    pub operation: String,
    /// Where the runs are in the answer, when it is a list of them (dotted JSON names).
    pub list: Option<String>,
    /// Where a run's status is (`lifecycle.status`).
    pub status: String,
    /// Where a run's id is.
    pub id: Option<String>,
    /// Where the time the run started is.
    pub started: Option<String>,
    /// Where the time the run ended is.
    pub finished: Option<String>,
    /// The API's statuses by the status every API shares.
    #[serde(default)]
    pub statuses: StatusMapping,
    /// Where the run's events stream from, so that watching a run follows them as they come
    /// instead of polling.
    pub events: Option<RunEventSettings>,
}

/// The operation that streams a run's events (Dify's `streamWorkflowEvents`): `wait_for_run`,
/// `watch_run` and `follow_run` open it after the first answer, reopen it after a drop, and poll
/// when it cannot be had.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunEventSettings {
    /// Its `operationId`. Its required parameters are the run operation's (matched by name) or
    /// become arguments of the methods that watch.
    pub operation: String,
    /// Optional parameters set on every opening (`include_state_snapshot = true`).
    #[serde(default)]
    pub set: std::collections::BTreeMap<String, toml::Value>,
    /// Tags of the events after which the run is asked for again (its status may have changed);
    /// the stream's `terminal` tags unless given.
    #[serde(default)]
    pub refresh: Vec<String>,
}

/// The API's run statuses that mean each common status. A status in none of the lists is read
/// as unknown (kept as sent), never as an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusMapping {
    #[serde(default)]
    pub queued: Vec<String>,
    #[serde(default)]
    pub running: Vec<String>,
    /// Waiting for a person: an approval, an answer.
    #[serde(default)]
    pub waiting: Vec<String>,
    #[serde(default)]
    pub succeeded: Vec<String>,
    #[serde(default)]
    pub failed: Vec<String>,
    #[serde(default)]
    pub cancelled: Vec<String>,
}

/// The API's event streams: which items end one properly, and which body field chooses between
/// the blocking answer and the stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamSettings {
    /// Values of the stream item's tag (its discriminator) after which the outcome is known; a
    /// stream that ends before one ends with an error.
    #[serde(default)]
    pub terminal: Vec<String>,
    /// The request body field that asks for the stream, and its two values.
    pub mode: Option<StreamMode>,
    /// The `operationId`s whose streams resume when the same request is sent again after a
    /// drop (with `Last-Event-ID` once the server sent ids): their builders gain `.resuming()`.
    /// Every GET or QUERY stream unless given; `[]` for none.
    pub resume: Option<Vec<String>>,
}

/// A request body field that chooses between a blocking answer and a stream (Dify's
/// `response_mode`): the generated request sets it, so the caller never does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamMode {
    pub field: String,
    pub blocking: String,
    pub streaming: String,
}

/// How list operations page: a rule for every operation it fits (the keys of [`PagingRule`]
/// at the top of `[pagination]`), rules per operation (`[pagination.operations.<operationId>]`),
/// and whether the common shapes are recognised where no rule is given (each guess a warning).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationSettings {
    pub items: Option<String>,
    pub cursor: Option<CursorRule>,
    pub page: Option<PageRule>,
    pub offset: Option<OffsetRule>,
    pub next_url: Option<NextUrlRule>,
    /// Rules by `operationId`.
    #[serde(default)]
    pub operations: std::collections::BTreeMap<String, PagingRule>,
    /// Recognise the common shapes where no rule says (`true` unless set).
    pub guess: Option<bool>,
}

impl PaginationSettings {
    /// The rule for the whole API, when the table gives one.
    pub fn api_rule(&self) -> Option<PagingRule> {
        let rule = PagingRule {
            items: self.items.clone(),
            cursor: self.cursor.clone(),
            page: self.page.clone(),
            offset: self.offset.clone(),
            next_url: self.next_url.clone(),
            paginated: None,
        };
        (rule != PagingRule::default()).then_some(rule)
    }
}

/// How one operation pages: where its items are (dotted JSON names; `.` for an answer that is
/// the list) and one of the four ways to the next page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagingRule {
    pub items: Option<String>,
    pub cursor: Option<CursorRule>,
    pub page: Option<PageRule>,
    pub offset: Option<OffsetRule>,
    pub next_url: Option<NextUrlRule>,
    /// `false`: the operation does not page, whatever its shape.
    pub paginated: Option<bool>,
}

/// A cursor: the request parameter that takes it, and where the next one is in the answer
/// (the list ends when it is absent or null).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CursorRule {
    pub param: String,
    pub next: String,
    /// Where the answer says whether more pages follow.
    pub has_more: Option<String>,
}

/// A page number: the parameter, the number of the first page (1 unless set), the page size
/// parameter, and what ends the list: a `has_more` flag, a total, or else a short page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageRule {
    pub param: String,
    pub first: Option<u64>,
    pub size: Option<String>,
    pub has_more: Option<String>,
    pub total: Option<String>,
}

/// An offset and a limit: the parameters, and optionally where the total or `has_more` is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffsetRule {
    pub param: String,
    pub limit: Option<String>,
    pub has_more: Option<String>,
    pub total: Option<String>,
}

/// A next page's URL: in the answer (`field`, dotted JSON names) or in the `Link` header
/// (`header = "link"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextUrlRule {
    pub field: Option<String>,
    pub header: Option<String>,
}

/// Where a document's `$ref`s may read files from, beyond its own folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefSettings {
    /// One more folder, relative to the settings file, for a document split across sibling
    /// folders. It must be inside the repository.
    #[serde(rename = "extra-root")]
    pub extra_root: Option<String>,
}

/// Where an API's document comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The address the vendor publishes the document at; the file is its copy, byte for byte.
    pub url: Option<String>,
    /// For a document written by hand: the page (or pages) it was written from.
    #[serde(rename = "hand-written")]
    pub hand_written: Option<String>,
    /// The day the document was copied (or written), `YYYY-MM-DD`.
    pub taken: Option<toml::value::Datetime>,
    /// The SHA-256 of the vendored file, in hex: regeneration refuses a file that differs.
    pub sha256: Option<String>,
    /// Hosts besides the URL's own that fetching it (`cargo xtask update`) may be redirected to.
    #[serde(default, rename = "redirect-hosts")]
    pub redirect_hosts: Vec<String>,
}

impl Source {
    /// The day the document was taken, as `YYYY-MM-DD`.
    pub fn taken_day(&self) -> Option<String> {
        self.taken
            .as_ref()
            .and_then(|t| t.date)
            .map(|d| d.to_string())
    }
}

/// Which operations of the document to generate. Empty lists select nothing; all empty
/// means every operation. An operation is generated when any list selects it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationFilter {
    /// `operationId`s.
    #[serde(default)]
    pub ids: Vec<String>,
    /// Path prefixes (`/v1/workflows/runs` selects that path and those below it).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

impl OperationFilter {
    /// True when the filter selects every operation.
    pub fn is_everything(&self) -> bool {
        self.ids.is_empty() && self.paths.is_empty() && self.tags.is_empty()
    }
}

impl Config {
    /// Reads the settings file at `path`; `display` is how errors name it.
    pub fn load(path: &Path, display: &str) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                display,
                "",
                format!("expected a readable settings file, found {e}"),
            )
        })?;
        Config::parse(&text, display)
    }

    /// Parses settings text.
    pub fn parse(text: &str, display: &str) -> Result<Config> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| {
                text.as_bytes()[..span.start.min(text.len())]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1
            });
            let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
            Error::new(display, "", format!("invalid TOML{at}: {}", e.message()))
        })?;
        let config: Config =
            serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
                let pointer = pointer_of(&e.path().to_string());
                Error::new(display, &pointer, e.inner().message().to_owned())
            })?;
        config.check(display)?;
        Ok(config)
    }

    fn check(&self, display: &str) -> Result<()> {
        if let Some(source) = &self.source {
            match (&source.url, &source.hand_written) {
                (Some(_), Some(_)) => {
                    return Err(Error::new(
                        display,
                        "/source",
                        "expected either `url` (a vendor's document) or `hand-written` (a document written from docs pages), found both",
                    ));
                }
                (None, None) => {
                    return Err(Error::new(
                        display,
                        "/source",
                        "expected `url` (a vendor's document) or `hand-written` (the pages a document was written from), found neither",
                    ));
                }
                _ => {}
            }
            if let Some(taken) = &source.taken
                && (taken.date.is_none() || taken.time.is_some())
            {
                return Err(Error::new(
                    display,
                    "/source/taken",
                    format!("expected a day such as 2026-08-16, found {taken}"),
                ));
            }
            if let Some(hash) = &source.sha256
                && (hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()))
            {
                return Err(Error::new(
                    display,
                    "/source/sha256",
                    format!("expected 64 hexadecimal digits, found {hash:?}"),
                ));
            }
        }
        Ok(())
    }
}

/// `operations.ids` as `/operations/ids`.
fn pointer_of(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    let mut out = String::new();
    for segment in path.split('.') {
        // Sequence indexes print as `ids[2]`.
        match segment.split_once('[') {
            Some((key, index)) => {
                out.push_str(&crate::pointer::join("", key));
                out.push('/');
                out.push_str(index.trim_end_matches(']'));
            }
            None => out.push_str(&crate::pointer::join("", segment)),
        }
    }
    out
}

/// The SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file_reads() {
        let config = Config::parse(
            r#"
[source]
url = "https://example.com/openapi.json"
taken = 2026-08-16
sha256 = "ab0c8d1fe1b1d0a9b7f5a5a0f6c8e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6"

[operations]
ids = ["get_run"]
paths = ["/v1/runs"]
tags = ["Runs"]
"#,
            "codegen.toml",
        )
        .unwrap();
        let source = config.source.as_ref().unwrap();
        assert_eq!(
            source.url.as_deref(),
            Some("https://example.com/openapi.json")
        );
        assert_eq!(source.taken_day().as_deref(), Some("2026-08-16"));
        assert_eq!(config.operations.ids, ["get_run"]);
        assert_eq!(config.operations.paths, ["/v1/runs"]);
        assert_eq!(config.operations.tags, ["Runs"]);
        assert!(!config.operations.is_everything());
        assert!(
            Config::parse("", "c.toml")
                .unwrap()
                .operations
                .is_everything()
        );
    }

    #[test]
    fn unknown_keys_name_the_file_and_the_key() {
        let err =
            Config::parse("[operations]\nidz = [\"x\"]\n", "specs/a/codegen.toml").unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("specs/a/codegen.toml: #/operations/idz: unknown field `idz`, expected one of `ids`, `paths`, `tags`"),
            "{text}"
        );
        let err = Config::parse("[refs]\nextra = \"../x\"\n", "c.toml").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("c.toml: #/refs/extra: unknown field `extra`, expected `extra-root`"),
            "{err}"
        );
        let config = Config::parse("[refs]\nextra-root = \"../shared\"\n", "c.toml").unwrap();
        assert_eq!(config.refs.extra_root.as_deref(), Some("../shared"));
        let err = Config::parse("[sauce]\nurl = \"x\"\n", "c.toml").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("c.toml: #/sauce: unknown field `sauce`"),
            "{err}"
        );
    }

    #[test]
    fn wrong_values_are_refused() {
        let err = Config::parse("[operations]\nids = \"x\"\n", "c.toml").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("c.toml: #/operations/ids: invalid type"),
            "{err}"
        );
        let err =
            Config::parse("[source]\nurl = \"u\"\nhand-written = \"p\"\n", "c.toml").unwrap_err();
        assert!(err.to_string().contains("found both"), "{err}");
        let err = Config::parse("[source]\nurl = \"u\"\nsha256 = \"abc\"\n", "c.toml").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("c.toml: #/source/sha256: expected 64"),
            "{err}"
        );
        let err = Config::parse(
            "[source]\nurl = \"u\"\ntaken = 2026-08-16T10:00:00Z\n",
            "c.toml",
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with("c.toml: #/source/taken:"),
            "{err}"
        );
        let err = Config::parse("[source\n", "c.toml").unwrap_err();
        assert!(
            err.to_string().starts_with("c.toml: #: invalid TOML"),
            "{err}"
        );
    }

    #[test]
    fn hashes_are_lower_case_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
