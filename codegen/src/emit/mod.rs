//! Stage 4: IR to Rust source, through `quote!`, `syn` and `prettyplease`.
//!
//! This module alone assembles a crate; each file below it writes one artefact: `manifest`
//! (`Cargo.toml`), `lib_file`, `client`, `requests`, `types` (with `enums` and
//! `unions`), `errors`, `runs`, `readme` and `example`. They share helpers that live below
//! them: `scope` (what a file's code names, and its `use` block), `text` (doc comments and
//! printing), `code_blocks` (no code block in a doc comment is a doctest but the generator's
//! own), `args` and `settings`; `parallel` builds and prints the Rust files on several
//! threads. Nothing here concatenates Rust code as text: every `.rs` file is token streams,
//! parsed into `syn::File`s and printed by prettyplease (a large file in runs of items whose
//! printed texts are joined), after the header line.

mod access;
mod args;
mod client;
mod code_blocks;
mod enums;
mod errors;
mod example;
mod features;
mod lib_file;
mod manifest;
pub use manifest::{RUNTIME_VERSION, RUST_VERSION};
mod pages;
mod parallel;
mod readme;
mod requests;
mod runs;
mod scope;
mod settings;
mod text;
mod types;
mod unions;
mod wire;

pub use settings::{CrateSettings, Provenance, check_crate_name};

use crate::ir::Api;
use parallel::Build;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Time spent on each half of emission, summed over the files (which are emitted on several
/// threads, so the sum may exceed the time the stage took).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EmitTimes {
    /// Building the files' token streams.
    pub tokens: Duration,
    /// Parsing the token streams and printing them with prettyplease.
    pub format: Duration,
}

/// Every file of the crate, by path relative to the crate's directory.
pub fn emit_crate(api: &Api, settings: &CrateSettings) -> Result<BTreeMap<String, String>, String> {
    emit_crate_timed(api, settings).map(|(files, _)| files)
}

/// Like [`emit_crate`], with the time spent building and printing the Rust files.
pub fn emit_crate_timed(
    api: &Api,
    settings: &CrateSettings,
) -> Result<(BTreeMap<String, String>, EmitTimes), String> {
    check_crate_name(&settings.crate_name)?;
    let type_names: BTreeSet<String> = api.types.iter().map(|t| t.name.clone()).collect();
    let names = &type_names;
    let request_names = requests::request_names(api);
    let request_names = &request_names;
    let gates = features::gates(api, settings.provenance.features_by_tag);
    let gates = &gates;
    // The file built whole that takes longest first, so that it does not finish last.
    let mut rust: Vec<(&str, Build<'_>)> = vec![
        (
            "src/client.rs",
            Build::Whole(Box::new(|| {
                client::client_module(api, names, request_names, gates)
            })),
        ),
        (
            "src/requests.rs",
            Build::Pieces(requests::requests_file(api, names, request_names, gates)),
        ),
        (
            "src/types.rs",
            Build::Pieces(types::types_file(api, names, gates)),
        ),
        (
            "src/error.rs",
            Build::Whole(Box::new(|| errors::error_module(api, names))),
        ),
    ];
    if let Some(watch) = &api.run_watch {
        rust.push((
            "src/runs.rs",
            Build::Whole(Box::new(move || runs::runs_module(api, watch, names))),
        ));
    }
    rust.push((
        "src/lib.rs",
        Build::Whole(Box::new(|| lib_file::lib_module(api, settings, gates))),
    ));
    rust.push((
        "examples/quickstart.rs",
        Build::Whole(Box::new(|| example::example_tokens(api, settings))),
    ));
    let (paths, builds): (Vec<&str>, Vec<Build<'_>>) = rust.into_iter().unzip();
    let (texts, times) = parallel::emit_files(&settings.header("//"), &builds)?;

    let mut files: BTreeMap<String, String> =
        paths.into_iter().map(str::to_owned).zip(texts).collect();
    files.insert(
        "Cargo.toml".to_owned(),
        manifest::manifest(api, settings, gates),
    );
    files.insert("README.md".to_owned(), readme::readme(api, settings, gates));
    files.insert(
        "rustfmt.toml".to_owned(),
        format!(
            "{}\n# The sources are formatted by the generator (prettyplease); rustfmt leaves them as they are.\ndisable_all_formatting = true\n",
            settings.header("#")
        ),
    );
    Ok((files, times))
}
