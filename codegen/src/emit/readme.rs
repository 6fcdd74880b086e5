//! `README.md` of a generated crate: what it is, where its document comes from, how to
//! authenticate, its example, operations and errors.

use super::example::{body_example, body_section};
use super::features::{Gates, features_text};
use super::settings::{CrateSettings, title_line};
use crate::ir::{Api, SchemeKind};

pub(crate) fn readme(api: &Api, settings: &CrateSettings, gates: &Gates) -> String {
    let mut out = vec![
        settings.header("<!--"),
        format!("# {}", settings.crate_name),
        String::new(),
        title_line(api),
        String::new(),
    ];
    match &api.default_base_url {
        Some(url) => out.push(format!(
            "Requests go to `{url}` unless `ClientBuilder::base_url` says otherwise."
        )),
        None => out.push(
            "The document names no absolute server: set one with `ClientBuilder::base_url`."
                .to_owned(),
        ),
    }
    out.push(String::new());
    out.extend(provenance_lines(settings));
    out.push("## Authentication".to_owned());
    out.push(String::new());
    if api.schemes.is_empty() {
        out.push(
            "The API document declares no security scheme: the client sends no credentials."
                .to_owned(),
        );
    } else {
        out.push("Set a credential per security scheme on the builder. Each call sends the credentials of the first alternative its operation accepts that you have set; credentials never appear in `Debug` output.".to_owned());
        out.push(String::new());
        out.push("| Scheme | Builder method | Sent as | What it is |".to_owned());
        out.push("|---|---|---|---|".to_owned());
        for scheme in &api.schemes {
            let (call, how) = match &scheme.kind {
                SchemeKind::ApiKey { location, name } => (
                    format!("`.{}(key)`", scheme.setter),
                    format!("API key in the `{name}` {}", location.word()),
                ),
                SchemeKind::Bearer => (
                    format!("`.{}(token)`", scheme.setter),
                    "`Authorization: Bearer <token>`".to_owned(),
                ),
                SchemeKind::Basic => (
                    format!("`.{}(user, password)`", scheme.setter),
                    "HTTP basic authentication".to_owned(),
                ),
            };
            let what = scheme
                .description
                .as_deref()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace('|', "\\|");
            out.push(format!("| `{}` | {call} | {how} | {what} |", scheme.name));
        }
    }
    out.push(String::new());
    out.push("## Example".to_owned());
    out.push(String::new());
    out.push(format!(
        "[`examples/quickstart.rs`](examples/quickstart.rs) builds a client with a credential and makes a call; it is also the example of the crate documentation (`cargo doc -p {name} --open`). Run it with `cargo run -p {name} --example {name}-quickstart`.",
        name = settings.crate_name
    ));
    out.push(String::new());
    if let Some(lines) = body_example(api, settings) {
        out.extend(body_section(lines));
        out.push(String::new());
    }
    if !gates.is_empty() {
        out.extend(features_text(gates));
        out.push(String::new());
    }
    if !api.operations.is_empty() {
        out.push("## Operations".to_owned());
        out.push(String::new());
        out.push("| Method | Request | Summary |".to_owned());
        out.push("|---|---|---|".to_owned());
        for op in &api.operations {
            let summary = op
                .summary
                .as_deref()
                .or(op.description.as_deref())
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace('|', "\\|");
            out.push(format!(
                "| `{}` | `{} {}` | {summary} |",
                op.name, op.method, op.path
            ));
        }
        out.push(String::new());
    }
    let streaming: Vec<_> = api
        .operations
        .iter()
        .filter(|op| op.stream.is_some())
        .collect();
    if !streaming.is_empty() {
        out.push("## Event streams".to_owned());
        out.push(String::new());
        out.push(format!(
            "These operations answer with a stream of events, read as they arrive (`{}::StreamExt` gives `next()`): each item is `Result<Event<T>, Error>`, an event that does not decode is an `Err` item and the stream goes on, and a stream cut off, silent for 60 s, with an event over 16 MiB or ended before its terminal event ends with `Error::Stream`.",
            settings.lib_name()
        ));
        out.push(String::new());
        for op in streaming {
            let how = if op.output == crate::ir::Output::Stream {
                if op.stream.as_ref().is_some_and(|s| s.resumable) {
                    "`.await` opens the stream; `.resuming()` also reopens it after a drop, skipping events already seen"
                } else {
                    "`.await` opens the stream"
                }
            } else {
                match op.stream.as_ref().and_then(|s| s.mode.as_ref()) {
                    Some((field, _, _)) => {
                        out.push(format!(
                            "- `{}`: `.await` gives the blocking answer, `.stream()` the events (the call sets `{field}`)",
                            op.name
                        ));
                        continue;
                    }
                    None => "`.await` gives the blocking answer, `.stream()` the events",
                }
            };
            out.push(format!("- `{}`: {how}", op.name));
        }
        out.push(String::new());
    }
    let listing: Vec<_> = api
        .operations
        .iter()
        .filter(|op| op.pagination.is_some())
        .collect();
    if let Some(first) = listing.first() {
        out.push("## Every page in one loop".to_owned());
        out.push(String::new());
        out.push("These list operations page; their request builders have `.items()`, a stream of the items across every page, and `.pages()`, a stream of whole pages. Both keep every parameter set on the builder, ask for nothing until polled and hold one page at a time; each page is a call like any other (credentials, retries, `Retry-After`). A failure yields the items read so far, then `Error::Page`, whose `resume_from()` gives the position for `.items_from(at)`; a server that sends the same cursor or page again ends the listing with that error rather than looping.".to_owned());
        out.push(String::new());
        for op in &listing {
            let how = match op.pagination.as_ref().map(|p| &p.kind) {
                Some(crate::ir::PageKind::Cursor { param, .. }) => {
                    format!("by cursor (`{}`)", param.name)
                }
                Some(crate::ir::PageKind::Page { param, .. }) => {
                    format!("by page number (`{}`)", param.name)
                }
                Some(crate::ir::PageKind::Offset { param }) => {
                    format!("by offset (`{}`)", param.name)
                }
                Some(crate::ir::PageKind::NextUrl { next: Some(_) }) => {
                    "by the next page's URL in the answer".to_owned()
                }
                _ => "by the `Link` header".to_owned(),
            };
            out.push(format!("- `{}`: {how}", op.name));
        }
        out.push(String::new());
        out.push("```rust,ignore".to_owned());
        out.push(format!("use {}::StreamExt;", settings.lib_name()));
        let args = first
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        out.push(format!(
            "let mut items = client.{}({args}).items();",
            first.name
        ));
        out.push("while let Some(item) = items.next().await {".to_owned());
        out.push(
            "    let item = item?; // on an error, `error.resume_from()` says where to go on"
                .to_owned(),
        );
        out.push("}".to_owned());
        out.push("```".to_owned());
        out.push(String::new());
    }
    if let Some(watch) = &api.run_watch {
        out.push("## Waiting for a run".to_owned());
        out.push(String::new());
        match &watch.events {
            Some(events) => out.push(format!(
                "`wait_for_run` returns the run once it ends (or waits for input), `watch_run` yields it each time its status changes, and `follow_run` yields those changes and each event of `{}` as it comes (`RunProgress::Run`, `RunProgress::Event`). They ask `{}` for the run, then follow its events, asking again after those that change its status; the stream is reopened after a drop, and polling takes over where it cannot be had. Each takes a `WaitPolicy`, whose deadline is required.",
                events.operation, watch.operation
            )),
            None => out.push(format!(
                "`wait_for_run` polls `{}` until the run ends (or waits for input) and returns it; `watch_run` yields it each time its status changes. Each takes a `WaitPolicy`, whose deadline is required; polls honour `Retry-After`.",
                watch.operation
            )),
        }
        out.push(String::new());
    }
    out.push("## Depending on it".to_owned());
    out.push(String::new());
    out.push(format!(
        "From another repository, until the crate is on a registry, depend on it by git: cargo finds `{name}`, and the `apigen-runtime` it needs, by name in the repository that holds them.",
        name = settings.crate_name
    ));
    out.push(String::new());
    out.push("```toml".to_owned());
    out.push("[dependencies]".to_owned());
    out.push(format!(
        "{} = {{ git = \"{}\" }}",
        settings.crate_name,
        settings
            .provenance
            .repository
            .as_deref()
            .unwrap_or("<the URL of the repository holding this crate>")
    ));
    out.push("```".to_owned());
    out.push(String::new());
    out.push(format!(
        "Once published, `{} = \"{}\"` is enough.",
        settings.crate_name,
        settings
            .provenance
            .version
            .as_ref()
            .map_or_else(|| "0.1.0".to_owned(), ToString::to_string)
    ));
    out.push(String::new());
    out.push("## Errors".to_owned());
    out.push(String::new());
    out.push(format!(
        "Every call returns `Result<T, {}::Error>`. A documented error response decodes into `Error::Api` with its status and an `ErrorBody`; any other status is `Error::UnexpectedStatus` with the body text; a body that does not match its documented type is `Error::Decode`, with status, text, the path of the first mismatch and the decoder's reason; network failures are `Error::Transport`. Nothing panics on a server's answer.",
        settings.lib_name()
    ));
    out.push(String::new());
    out.join("\n")
}

/// The README's section on where the document comes from, how it was corrected and which of
/// its operations the crate covers.
fn provenance_lines(settings: &CrateSettings) -> Vec<String> {
    let provenance = &settings.provenance;
    let spec = &settings.spec_display;
    let mut out = vec!["## The API document".to_owned(), String::new()];
    let source = provenance.source.as_ref();
    let day = source
        .and_then(|s| s.taken_day())
        .map(|day| format!(" on {day}"))
        .unwrap_or_default();
    let taken = source
        .and_then(|s| s.taken_day())
        .map(|day| format!(" (taken on {day})"))
        .unwrap_or_default();
    match source {
        Some(crate::config::Source { url: Some(url), .. }) => out.push(format!(
            "`{spec}` is the vendor's own document as published at <{url}>{taken}, kept byte for byte: corrections are overlays, never edits."
        )),
        Some(crate::config::Source {
            hand_written: Some(pages),
            ..
        }) => out.push(format!(
            "`{spec}` was written by hand{day} (the vendor publishes no document), from {}. Its opening comment lists every guess it makes.",
            pages.split_whitespace().collect::<Vec<_>>().join(" ")
        )),
        _ => out.push(format!("Generated from `{spec}`.")),
    }
    if !provenance.overlays.is_empty() {
        out.push(String::new());
        out.push("Where the document and the server disagree, overlays correct it, applied in this order (each file says what it fixes and the evidence):".to_owned());
        out.push(String::new());
        for (file, title) in &provenance.overlays {
            out.push(format!(
                "- `{file}`: {}",
                title.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
    }
    let filter = &provenance.operations;
    if !filter.is_everything() {
        let list = |items: &[String]| {
            items
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !filter.ids.is_empty() {
            parts.push(format!("operations {}", list(&filter.ids)));
        }
        if !filter.paths.is_empty() {
            parts.push(format!("paths under {}", list(&filter.paths)));
        }
        if !filter.tags.is_empty() {
            parts.push(format!("operations tagged {}", list(&filter.tags)));
        }
        out.push(String::new());
        out.push(format!(
            "The crate covers part of the document: {} (the `[operations]` settings), and the types they use.",
            parts.join("; ")
        ));
    }
    out.push(String::new());
    out
}
