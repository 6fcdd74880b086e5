//! `apigen`: OpenAPI documents (3.0, 3.1, 3.2; YAML or JSON) in, typed async Rust clients
//! out. The same call serves a build script, the `apigen` command and this repository's tasks.
//!
//! From a build script, one module to include:
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
//!     apigen_codegen::Builder::new("openapi.yaml")
//!         .settings("codegen.toml") // optional: operations kept, runs, streams, pages
//!         .overlay("fix.yaml") // optional: corrections, applied in order
//!         .name("petstore")
//!         .write_module(&out_dir)
//!         .unwrap_or_else(|error| panic!("{error}"));
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! mod petstore {
//!     include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! }
//! ```
//!
//! The build script's crate depends on `apigen-codegen` (`[build-dependencies]`), and the crate
//! including the module on `apigen-runtime`, `serde` (with `derive`) and `serde_json` (plus
//! `chrono` or `uuid` where the document has dates or UUIDs). Cargo reruns the script when the
//! document, its settings, its overlays or a file its `$ref`s name changes, and shows the
//! generator's warnings.
//!
//! [`Builder::write_crate`] writes a whole crate instead, [`Builder::generate`] gives its
//! files, [`Output::surface`] its public API for [`api_diff::diff`], and [`write`] compares a
//! folder with them. Errors are one line, naming the file and the JSON pointer.
//!
//! The other modules are the pipeline's stages, public for this repository's tasks and tests
//! and hidden from the documentation: they are not a stable API.
#![allow(clippy::needless_doctest_main)]

pub mod api_diff;
mod builder;
#[doc(hidden)]
pub mod bundle;
#[doc(hidden)]
pub mod config;
#[doc(hidden)]
pub mod diagnostics;
#[doc(hidden)]
pub mod emit;
#[doc(hidden)]
pub mod error;
#[doc(hidden)]
pub mod focus;
#[doc(hidden)]
pub mod inputs;
#[doc(hidden)]
pub mod ir;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod lower;
#[doc(hidden)]
pub mod names;
#[doc(hidden)]
pub mod normalize;
#[doc(hidden)]
pub mod overlay;
#[doc(hidden)]
pub mod pointer;
#[doc(hidden)]
pub mod sample;
pub mod surface;
#[doc(hidden)]
pub mod vocabulary;
pub mod write;

pub use builder::{Builder, Output};
pub use config::Config;
pub use emit::{CrateSettings, Provenance};
pub use error::{Error, Warning};
pub use overlay::Overlay;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// The stack of each thread the generator starts: the room the `cargo xtask` commands give it
/// (it recurses over nested schemas).
pub(crate) const STACK: usize = 256 * 1024 * 1024;

/// A generated crate: its files by relative path, and what could not be typed exactly.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: BTreeMap<String, String>,
    pub warnings: Vec<Warning>,
    /// The intermediate representation the files were emitted from.
    pub api: ir::Api,
}

/// What is done to a document between reading it and generating from it.
#[derive(Debug, Clone, Default)]
pub struct Adjustments {
    /// Applied in order, right after the document is read.
    pub overlays: Vec<Overlay>,
    /// The API's settings; their operation filter focuses the document.
    pub config: Config,
    /// How errors name the settings file.
    pub config_display: String,
    /// A folder beyond the document's own that its `$ref`s may read files from (the settings'
    /// `refs.extra-root`, resolved and checked to be inside the repository), and how messages
    /// name it.
    pub extra_ref_root: Option<(std::path::PathBuf, String)>,
}

/// Reads the document at `spec` and generates a crate. Errors name the file (as
/// `settings.spec_display`) and the JSON pointer of the problem.
pub fn generate(spec: &Path, settings: &CrateSettings) -> Result<Generated, Error> {
    generate_adjusted(spec, &Adjustments::default(), settings)
}

/// Like [`generate`], from the effective document: overlays applied, operations filtered.
pub fn generate_adjusted(
    spec: &Path,
    adjustments: &Adjustments,
    settings: &CrateSettings,
) -> Result<Generated, Error> {
    generate_timed(spec, adjustments, settings).map(|(generated, _)| generated)
}

/// How long each stage of a generation took (`cargo xtask bench` prints them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// Reading the document and making it effective: overlays, focus, the files it refers to.
    pub load: Duration,
    /// Normalizing it and lowering it to the IR.
    pub lower: Duration,
    /// Building the token streams of the Rust files.
    pub emit: Duration,
    /// Parsing the token streams and printing them with prettyplease.
    pub format: Duration,
    /// The time emission took, start to end: the Rust files are emitted on several threads,
    /// and `emit` and `format` are summed over them, so they may add up to more.
    pub emission: Duration,
}

/// Like [`generate_adjusted`], with the time each stage took.
pub fn generate_timed(
    spec: &Path,
    adjustments: &Adjustments,
    settings: &CrateSettings,
) -> Result<(Generated, StageTimes), Error> {
    generate_read(spec, adjustments, settings).map(|(generated, times, _)| (generated, times))
}

/// Like [`generate_timed`], with the files the document's `$ref`s made the generator read.
pub fn generate_read(
    spec: &Path,
    adjustments: &Adjustments,
    settings: &CrateSettings,
) -> Result<(Generated, StageTimes, Vec<std::path::PathBuf>), Error> {
    let started = Instant::now();
    let (root, read) = effective_document_read(spec, &settings.spec_display, adjustments)?;
    let loaded = Instant::now();
    let (api, warnings) = lower_document(&root, adjustments, settings)?;
    let lowered = Instant::now();
    let (generated, emit) = std::thread::scope(|scope| {
        // The document is not needed any more: it is freed on another thread while the crate
        // is emitted (or here, where no thread can be had).
        let _ = std::thread::Builder::new().spawn_scoped(scope, move || drop(root));
        emit_document(api, warnings, settings)
    })?;
    let times = StageTimes {
        load: loaded - started,
        lower: lowered - loaded,
        emit: emit.tokens,
        format: emit.format,
        emission: lowered.elapsed(),
    };
    Ok((generated, times, read))
}

/// The document a crate is generated from: the file at `spec` (named `display` in errors)
/// with the overlays applied, focused on the selected operations, and the local files its
/// `$ref`s name brought in.
pub fn effective_document(
    spec: &Path,
    display: &str,
    adjustments: &Adjustments,
) -> Result<Value, Error> {
    effective_document_read(spec, display, adjustments).map(|(root, _)| root)
}

/// Like [`effective_document`], with the files its `$ref`s made the generator read.
pub fn effective_document_read(
    spec: &Path,
    display: &str,
    adjustments: &Adjustments,
) -> Result<(Value, Vec<std::path::PathBuf>), Error> {
    let mut root = load::load_file(spec, display)?;
    for overlay in &adjustments.overlays {
        overlay.apply(&mut root, display)?;
    }
    focus::focus(
        &mut root,
        &adjustments.config.operations,
        &adjustments.config_display,
        display,
    )?;
    let extra = adjustments
        .extra_ref_root
        .as_ref()
        .map(|(path, shown)| (path.as_path(), shown.as_str()));
    let confinement = bundle::Confinement::new(spec, display, extra)?;
    let read = bundle::bundle(&mut root, display, &confinement)?;
    Ok((root, read))
}

/// Generates a crate from a document already parsed.
pub fn generate_from_value(root: &Value, settings: &CrateSettings) -> Result<Generated, Error> {
    let adjustments = Adjustments::default();
    let (api, warnings) = lower_document(root, &adjustments, settings)?;
    emit_document(api, warnings, settings).map(|(generated, _)| generated)
}

/// Lowers an effective document, with the settings that shape the crate (how to watch a run).
fn lower_document(
    root: &Value,
    adjustments: &Adjustments,
    settings: &CrateSettings,
) -> Result<(ir::Api, Vec<Warning>), Error> {
    emit::check_crate_name(&settings.crate_name)
        .map_err(|message| Error::new(&settings.spec_display, "", message))?;
    let config = (&adjustments.config, adjustments.config_display.as_str());
    lower_value_with(root, &settings.spec_display, Some(config))
}

/// Emits the crate of a lowered document.
fn emit_document(
    api: ir::Api,
    warnings: Vec<Warning>,
    settings: &CrateSettings,
) -> Result<(Generated, emit::EmitTimes), Error> {
    let (files, times) = emit::emit_crate_timed(&api, settings).map_err(|message| {
        Error::new(
            &settings.spec_display,
            "",
            format!("internal error: {message}"),
        )
    })?;
    let generated = Generated {
        files,
        warnings,
        api,
    };
    Ok((generated, times))
}

/// Normalizes and lowers a document already loaded: the IR and the warnings.
pub fn lower_value(root: &Value, file: &str) -> Result<(ir::Api, Vec<Warning>), Error> {
    lower_value_with(root, file, None)
}

/// Like [`lower_value`], with the API's settings (how to watch a run, how its streams end) and
/// the name errors give their file.
pub fn lower_value_with(
    root: &Value,
    file: &str,
    settings: Option<(&config::Config, &str)>,
) -> Result<(ir::Api, Vec<Warning>), Error> {
    let src = normalize::Source::new(file, root);
    let mut diagnostics = diagnostics::Diagnostics::new();
    let api = lower::read_and_lower(&src, &mut diagnostics, settings)?;
    Ok((api, diagnostics.into_warnings()))
}
