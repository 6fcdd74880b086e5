//! Stage 4: IR to Rust source, through `quote!`, `syn` and `prettyplease`.
//!
//! This module alone assembles a crate; each file below it writes one artefact: `manifest`
//! (`Cargo.toml`), `lib_file`, `client`, `requests`, `types` (with `enums` and
//! `unions`), `errors`, `runs`, `readme` and `example`. They share helpers that live below
//! them: `scope` (what a file's code names, and its `use` block), `text` (doc comments and
//! printing), `args` and `settings`. Nothing here concatenates Rust code as text: every
//! `.rs` file is a token stream, parsed into a `syn::File` and printed by prettyplease, after
//! the header line.

mod args;
mod client;
mod enums;
mod errors;
mod example;
mod lib_file;
mod manifest;
mod readme;
mod requests;
mod runs;
mod scope;
mod settings;
mod text;
mod types;
mod unions;

pub use settings::{CrateSettings, Provenance, check_crate_name};

use crate::ir::Api;
use std::collections::{BTreeMap, BTreeSet};
use text::render;

/// Every file of the crate, by path relative to the crate's directory.
pub fn emit_crate(api: &Api, settings: &CrateSettings) -> Result<BTreeMap<String, String>, String> {
    check_crate_name(&settings.crate_name)?;
    let type_names: BTreeSet<String> = api.types.iter().map(|t| t.name.clone()).collect();
    let header = settings.header("//");
    let mut files = BTreeMap::new();
    files.insert("Cargo.toml".to_owned(), manifest::manifest(api, settings));
    files.insert("README.md".to_owned(), readme::readme(api, settings));
    files.insert(
        "rustfmt.toml".to_owned(),
        format!(
            "{}\n# The sources are formatted by the generator (prettyplease); rustfmt leaves them as they are.\ndisable_all_formatting = true\n",
            settings.header("#")
        ),
    );
    files.insert(
        "src/lib.rs".to_owned(),
        render(&header, lib_file::lib_module(api, settings))?,
    );
    files.insert(
        "src/client.rs".to_owned(),
        render(&header, client::client_module(api, &type_names))?,
    );
    files.insert(
        "src/error.rs".to_owned(),
        render(&header, errors::error_module(api, &type_names))?,
    );
    files.insert(
        "src/requests.rs".to_owned(),
        render(&header, requests::requests_module(api, &type_names))?,
    );
    if let Some(watch) = &api.run_watch {
        files.insert(
            "src/runs.rs".to_owned(),
            render(&header, runs::runs_module(api, watch, &type_names))?,
        );
    }
    files.insert(
        "src/types.rs".to_owned(),
        render(&header, types::types_module(api, &type_names))?,
    );
    files.insert(
        "examples/quickstart.rs".to_owned(),
        render(&header, example::example_tokens(api, settings))?,
    );
    Ok(files)
}
