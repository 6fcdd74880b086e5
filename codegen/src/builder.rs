//! The generator as a library call, for build scripts and commands alike: a document, its
//! settings and overlays in; a crate's files, a crate written to a folder, or one Rust module
//! written for `include!`.

use crate::emit::CrateSettings;
use crate::error::{Error, Warning};
use crate::inputs::{Found, given_inputs};
use crate::{Generated, StageTimes};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One generation: the document, and what shapes the code made from it (see the crate's
/// documentation for a build script).
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    settings: Option<PathBuf>,
    overlays: Vec<PathBuf>,
    name: Option<String>,
    runtime: Option<String>,
    member: bool,
    command: Option<String>,
}

/// What a generation made, and what it read.
#[derive(Debug, Clone)]
pub struct Output {
    /// The files of the crate, by path inside it (`src/lib.rs`, `Cargo.toml`...).
    pub files: BTreeMap<String, String>,
    /// Constructs the generator could only type loosely, each naming its JSON pointer.
    pub warnings: Vec<Warning>,
    /// Every file read: the document, the settings, the overlays and the files the document's
    /// `$ref`s name.
    pub read: Vec<PathBuf>,
    /// How long each stage took.
    pub times: StageTimes,
    api: crate::ir::Api,
}

impl Output {
    /// The generated crate's public API: what `apigen diff` compares between two documents.
    pub fn surface(&self) -> crate::surface::Surface {
        crate::surface::surface(&self.api)
    }
}

impl Builder {
    /// A generation from the OpenAPI document at `spec` (3.0, 3.1 or 3.2; YAML or JSON). Unless
    /// told otherwise, a `codegen.toml` beside it gives its settings and an `overlays/` folder
    /// beside it its overlays.
    pub fn new(spec: impl AsRef<Path>) -> Self {
        Builder {
            spec: spec.as_ref().to_path_buf(),
            settings: None,
            overlays: Vec::new(),
            name: None,
            runtime: None,
            member: false,
            command: None,
        }
    }

    /// The settings file (`codegen.toml`): operations kept, runs, streams, pagination, version.
    pub fn settings(mut self, path: impl AsRef<Path>) -> Self {
        self.settings = Some(path.as_ref().to_path_buf());
        self
    }

    /// An overlay (1.0 to 1.2) applied to the document, after those given before.
    pub fn overlay(mut self, path: impl AsRef<Path>) -> Self {
        self.overlays.push(path.as_ref().to_path_buf());
        self
    }

    /// The crate's name (`petstore-client`), or the module's (`petstore`): `api` unless set.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Where a written crate finds `apigen-runtime`, as a path from the crate's folder; without
    /// it, the runtime of the generator's own source tree.
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime = Some(path.into());
        self
    }

    /// Whether a written crate is a member of the workspace around it; otherwise (the default)
    /// its manifest has a `[workspace]` of its own, so it builds wherever it is written.
    pub fn workspace_member(mut self, member: bool) -> Self {
        self.member = member;
        self
    }

    /// The command the generated files' headers name as the one that makes them again.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = Some(command.into());
        self
    }

    /// The document as generated from: overlays applied, operations filtered, the files its
    /// `$ref`s name brought in.
    pub fn effective_document(&self) -> Result<Value, Error> {
        let found = self.inputs()?;
        crate::effective_document(&self.spec, &self.shown(), &found.adjustments)
    }

    /// Generates the crate's files, in memory.
    pub fn generate(&self) -> Result<Output, Error> {
        self.generate_into(None)
    }

    /// The files [`write_crate`](Self::write_crate) would write to `out`, without writing them
    /// (to compare a folder with).
    pub fn generate_at(&self, out: impl AsRef<Path>) -> Result<Output, Error> {
        self.generate_into(Some(out.as_ref()))
    }

    /// Generates the crate into `out` (created if need be): its files written where they
    /// differ, files of an earlier generation that are no longer made removed. The manifest
    /// finds the runtime by path (see [`runtime_path`](Self::runtime_path)).
    pub fn write_crate(&self, out: impl AsRef<Path>) -> Result<Output, Error> {
        let out = out.as_ref();
        let output = self.generate_into(Some(out))?;
        crate::write::sync_crate(out, &output.files)
            .map_err(|message| Error::new(&out.display().to_string(), "", message))?;
        Ok(output)
    }

    /// For a build script: writes the crate's code as one module, `<name>.rs` in `out_dir`, for
    /// `mod petstore { include!(concat!(env!("OUT_DIR"), "/petstore.rs")); }`. Prints
    /// `cargo:rerun-if-changed` for every file read and each warning as `cargo:warning`. The
    /// including crate depends on `apigen-runtime`, `serde` (with `derive`) and `serde_json`,
    /// and on `chrono` or `uuid` where the document has dates or UUIDs (the crate's manifest in
    /// [`generate`](Self::generate)'s files lists them). Gives the module's path.
    pub fn write_module(&self, out_dir: impl AsRef<Path>) -> Result<PathBuf, Error> {
        let name = self.module_name()?;
        let output = self.generate()?;
        for file in &output.read {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        for warning in &output.warnings {
            println!("cargo:warning={}: {warning}", self.shown());
        }
        let text = crate::write::module_text(&output.files).map_err(|message| {
            Error::new(&self.shown(), "", format!("internal error: {message}"))
        })?;
        let path = out_dir.as_ref().join(format!("{name}.rs"));
        crate::write::write_if_changed(&path, &text)
            .map_err(|message| Error::new(&path.display().to_string(), "", message))?;
        Ok(path)
    }

    /// How messages name the document: as it was given.
    fn shown(&self) -> String {
        self.spec.display().to_string()
    }

    fn module_name(&self) -> Result<String, Error> {
        let name = self.name.clone().unwrap_or_else(|| "api".to_owned());
        let plain = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !plain {
            return Err(Error::new(
                &self.shown(),
                "",
                format!("the module name {name:?} is not a snake_case Rust identifier"),
            ));
        }
        Ok(name)
    }

    fn inputs(&self) -> Result<Found, Error> {
        given_inputs(&self.spec, self.settings.as_deref(), &self.overlays).map_err(Error::located)
    }

    fn generate_into(&self, out: Option<&Path>) -> Result<Output, Error> {
        let found = self.inputs()?;
        let name = self.name.clone().unwrap_or_else(|| "api".to_owned());
        let runtime_path = match (&self.runtime, out) {
            (Some(path), _) => path.clone(),
            (None, Some(out)) => runtime_from(out),
            (None, None) => String::new(),
        };
        let settings = CrateSettings {
            crate_name: name,
            spec_display: self.shown(),
            command: self
                .command
                .clone()
                .unwrap_or_else(|| "apigen generate".to_owned()),
            runtime_path,
            standalone: !self.member,
            provenance: found.provenance.clone(),
        };
        let (generated, times, refs) =
            crate::generate_read(&self.spec, &found.adjustments, &settings)?;
        let Generated {
            files,
            warnings,
            api,
        } = generated;
        let mut read = vec![self.spec.clone()];
        read.extend(found.settings_path);
        read.extend(found.overlay_paths);
        read.extend(refs);
        Ok(Output {
            files,
            warnings,
            read,
            times,
            api,
        })
    }
}

/// The path from a crate written at `out` to the runtime of the generator's source tree.
fn runtime_from(out: &Path) -> String {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let runtime = crate::bundle::normalized(&runtime);
    let out = match out.is_absolute() {
        true => out.to_path_buf(),
        false => std::env::current_dir().unwrap_or_default().join(out),
    };
    crate::write::relative_path(&crate::bundle::normalized(&out), &runtime)
}
