//! `apigen`: OpenAPI 3.0/3.1 documents in, typed async Rust client crates out.
//!
//! The pipeline has one module per stage and data flows one way:
//!
//! 1. [`load`]: YAML or JSON into a `serde_json::Value`;
//! 2. the effective document: [`overlay`]s applied, [`focus`]ed on the operations the
//!    [`config`] selects, files named by `$ref`s brought in by [`bundle`] (confined to the
//!    folders the document may reach);
//! 3. [`normalize`]: one version-neutral model of the document and its schemas;
//! 4. [`lower`]: references resolved, names decided, the [`ir`] built;
//! 5. [`emit`]: the IR printed as a crate with `quote!`, `syn` and `prettyplease`.
//!
//! Warnings travel through the stages in [`diagnostics::Diagnostics`]; the names the generated
//! code shares between lowering and emission are in [`vocabulary`]. Writing the files (and
//! checking them) is the caller's job; see the `xtask` crate. The README's architecture section
//! names the file for each job.

pub mod api_diff;
pub mod bundle;
pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod error;
pub mod focus;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod normalize;
pub mod overlay;
pub mod pointer;
pub mod sample;
pub mod surface;
pub mod vocabulary;

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
    let started = Instant::now();
    let root = effective_document(spec, &settings.spec_display, adjustments)?;
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
    Ok((generated, times))
}

/// The document a crate is generated from: the file at `spec` (named `display` in errors)
/// with the overlays applied, focused on the selected operations, and the local files its
/// `$ref`s name brought in.
pub fn effective_document(
    spec: &Path,
    display: &str,
    adjustments: &Adjustments,
) -> Result<Value, Error> {
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
    bundle::bundle(&mut root, display, &confinement)?;
    Ok(root)
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
