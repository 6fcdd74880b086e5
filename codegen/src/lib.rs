//! `apigen`: OpenAPI 3.0/3.1 documents in, typed async Rust client crates out.
//!
//! The pipeline has one module per stage and data flows one way:
//!
//! 1. [`load`]: YAML or JSON into a `serde_json::Value`;
//! 2. [`normalize`]: one version-neutral model of the document and its schemas;
//! 3. [`lower`]: references resolved, names decided, the [`ir`] built;
//! 4. [`emit`]: the IR printed as a crate with `quote!`, `syn` and `prettyplease`.
//!
//! Writing the files (and checking them) is the caller's job; see the `xtask` crate.

pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod normalize;
pub mod pointer;
pub mod sample;

pub use emit::CrateSettings;
pub use error::{Error, Warning};

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// A generated crate: its files by relative path, and what could not be typed exactly.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: BTreeMap<String, String>,
    pub warnings: Vec<Warning>,
    /// The intermediate representation the files were emitted from.
    pub api: ir::Api,
}

/// Reads the document at `spec` and generates a crate. Errors name the file (as
/// `settings.spec_display`) and the JSON pointer of the problem.
pub fn generate(spec: &Path, settings: &CrateSettings) -> Result<Generated, Error> {
    let mut root = load::load_file(spec, &settings.spec_display)?;
    load::bundle(&mut root, spec, &settings.spec_display)?;
    generate_from_value(&root, settings)
}

/// Generates a crate from a document already parsed.
pub fn generate_from_value(root: &Value, settings: &CrateSettings) -> Result<Generated, Error> {
    emit::check_crate_name(&settings.crate_name)
        .map_err(|message| Error::new(&settings.spec_display, "", message))?;
    let (api, warnings) = lower_value(root, &settings.spec_display)?;
    let files = emit::emit_crate(&api, settings).map_err(|message| {
        Error::new(
            &settings.spec_display,
            "",
            format!("internal error: {message}"),
        )
    })?;
    Ok(Generated {
        files,
        warnings,
        api,
    })
}

/// Loads, normalizes and lowers a document: the IR and the warnings.
pub fn lower_value(root: &Value, file: &str) -> Result<(ir::Api, Vec<Warning>), Error> {
    let mut src = normalize::Source::new(file, root);
    let document = normalize::document::read(&mut src)?;
    let api = lower::lower(&mut src, &document)?;
    let mut warnings = src.warnings;
    warnings.sort();
    warnings.dedup();
    Ok((api, warnings))
}
