//! The tasks behind `cargo xtask`: regenerate the committed crates (or check they are fresh)
//! and generate one crate from any document.
//!
//! Generated files are committed. [`regen`] writes them, or in [`Mode::Check`] only compares
//! and reports what is stale; the freshness test calls it in check mode.

pub mod bench;
pub mod changes;
pub mod corpus;
pub mod fetch;
pub mod scratch;
pub mod stale;
pub mod update;
pub mod versions;

pub use apigen_codegen::inputs;
pub(crate) use apigen_codegen::inputs::{relative, sorted_entries};
use apigen_codegen::write::Difference;
use apigen_codegen::{Adjustments, CrateSettings, Generated};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

pub const REGEN: &str = "cargo xtask regen";

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// One crate to generate.
#[derive(Debug, Clone)]
pub struct Target {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub settings: CrateSettings,
    /// The API's overlays and settings.
    pub adjustments: Adjustments,
    /// A crate people depend on (`generated/<api>/`): its public API is recorded beside it and
    /// its version held to that API's changes.
    pub versioned: bool,
}

/// What a regeneration did or found.
#[derive(Debug, Default)]
pub struct Report {
    /// Files (relative to the root) that were, or would have to be, written or removed.
    pub changed: Vec<String>,
    /// `file: #/pointer: message` lines.
    pub warnings: Vec<String>,
    /// In check mode, for each file that differs or is missing: a short unified diff.
    pub diffs: Vec<String>,
    /// The crate directories with something stale (`cargo xtask regen <these>` fixes them).
    pub stale: BTreeSet<String>,
}

impl Report {
    /// The command that makes the stale crates fresh.
    pub fn fix_command(&self) -> String {
        let names: Vec<&str> = self.stale.iter().map(String::as_str).collect();
        format!("{REGEN} {}", names.join(" ")).trim_end().to_owned()
    }
}

/// The spec file of an API directory: `openapi.yaml`, `openapi.yml` or `openapi.json`.
pub(crate) fn spec_in(dir: &Path) -> Option<PathBuf> {
    ["openapi.yaml", "openapi.yml", "openapi.json"]
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
}

/// Every crate `cargo xtask regen` owns: one per `specs/<api>/` into `generated/<api>/`, and
/// one per fixture `codegen/tests/fixtures/<name>.{yaml,json}` into
/// `codegen/tests/output/<name>/` (the generator's snapshots, compiled with the workspace).
pub fn regen_targets(root: &Path) -> Result<Vec<Target>, String> {
    let mut targets = Vec::new();
    for dir in sorted_entries(&root.join("specs"))? {
        if !dir.is_dir() {
            continue;
        }
        let api = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let spec = spec_in(&dir).ok_or_else(|| {
            format!(
                "{}: no openapi.yaml, openapi.yml or openapi.json",
                relative(root, &dir)
            )
        })?;
        let found = inputs::api_inputs(root, &dir, &spec)?;
        targets.push(Target {
            out: root.join("generated").join(&api),
            settings: CrateSettings {
                crate_name: format!("{api}-client"),
                spec_display: relative(root, &spec),
                command: REGEN.to_owned(),
                runtime_path: "../../runtime".to_owned(),
                standalone: false,
                provenance: found.provenance,
            },
            adjustments: found.adjustments,
            spec,
            versioned: true,
        });
    }
    for file in sorted_entries(&root.join("codegen/tests/fixtures"))? {
        let Some(ext) = file.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !matches!(ext, "yaml" | "yml" | "json") {
            continue;
        }
        let name = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        targets.push(Target {
            out: root.join("codegen/tests/output").join(&name),
            settings: CrateSettings {
                crate_name: format!("fixture-{name}"),
                spec_display: relative(root, &file),
                command: REGEN.to_owned(),
                runtime_path: "../../../../runtime".to_owned(),
                standalone: false,
                provenance: Default::default(),
            },
            adjustments: Adjustments::default(),
            spec: file,
            versioned: false,
        });
    }
    Ok(targets)
}

/// Regenerates the targets (all, or those whose crate directory name is in `only`).
pub fn regen(root: &Path, only: &[String], mode: Mode) -> Result<Report, String> {
    let targets = regen_targets(root)?;
    for name in only {
        if !targets.iter().any(|t| t.out.ends_with(name)) {
            return Err(format!("no spec or fixture named {name:?}"));
        }
    }
    let mut report = Report::default();
    for target in &targets {
        let dir_name = target
            .out
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if !only.is_empty() && !only.contains(&dir_name) {
            continue;
        }
        let mut generated =
            apigen_codegen::generate_adjusted(&target.spec, &target.adjustments, &target.settings)
                .map_err(|e| e.to_string())?;
        if target.versioned {
            let (name, text) = public_api_record(root, target, &generated)?;
            generated.files.insert(name, text);
        }
        for warning in &generated.warnings {
            report
                .warnings
                .push(format!("{}: {warning}", target.settings.spec_display));
        }
        sync_dir(root, &target.out, &generated, mode, &mut report)?;
    }
    if only.is_empty() {
        // Output directories whose spec is gone.
        let owned: BTreeSet<PathBuf> = targets.iter().map(|t| t.out.clone()).collect();
        for parent in ["generated", "codegen/tests/output"] {
            for dir in sorted_entries(&root.join(parent))? {
                if dir.is_dir() && !owned.contains(&dir) {
                    report
                        .changed
                        .push(format!("{}/ (its spec is gone)", relative(root, &dir)));
                    if mode == Mode::Write {
                        fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                    }
                }
            }
        }
    }
    Ok(report)
}

/// The public-API record of a versioned crate, after checking that its version is bumped as
/// much as the changes since the committed record need.
fn public_api_record(
    root: &Path,
    target: &Target,
    generated: &Generated,
) -> Result<(String, String), String> {
    let record = versions::Record {
        krate: target.settings.crate_name.clone(),
        version: target
            .settings
            .provenance
            .version
            .clone()
            .unwrap_or_else(|| semver::Version::new(0, 1, 0)),
        surface: apigen_codegen::surface::surface(&generated.api),
    };
    let shown = relative(root, &target.out);
    if let Some(before) = versions::Record::read(&target.out, &shown)? {
        let settings = if target.adjustments.config_display.is_empty() {
            format!(
                "{}/codegen.toml",
                relative(root, target.spec.parent().unwrap_or(root))
            )
        } else {
            target.adjustments.config_display.clone()
        };
        versions::check(&before, &record, &settings)?;
    }
    Ok((versions::RECORD.to_owned(), record.text()))
}

/// Makes `dir` hold exactly the generated files (in check mode: says where it does not).
pub fn sync_dir(
    root: &Path,
    dir: &Path,
    generated: &Generated,
    mode: Mode,
    report: &mut Report,
) -> Result<(), String> {
    let changes = match mode {
        Mode::Write => apigen_codegen::write::sync_crate(dir, &generated.files)?,
        Mode::Check => apigen_codegen::write::differences(dir, &generated.files)?,
    };
    for change in &changes {
        let shown = relative(root, &dir.join(change.path()));
        report.changed.push(format!("{shown} ({})", change.state()));
        if let Some(name) = dir.file_name() {
            report.stale.insert(name.to_string_lossy().into_owned());
        }
        if mode == Mode::Check && !matches!(change, Difference::Extra { .. }) {
            let current = match change {
                Difference::Differs { current, .. } => Some(current.as_str()),
                _ => None,
            };
            report.diffs.push(stale::unified_diff(
                &shown,
                current,
                &generated.files[change.path()],
                stale::MAX_LINES,
            ));
        }
    }
    Ok(())
}

/// The effective document of `specs/<api>/`: overlays applied, operations filtered.
pub fn effective_spec(root: &Path, api: &str) -> Result<serde_json::Value, String> {
    let dir = root.join("specs").join(api);
    let spec = spec_in(&dir).ok_or_else(|| {
        format!(
            "no spec named {api:?}: {} holds no openapi.yaml, openapi.yml or openapi.json",
            relative(root, &dir)
        )
    })?;
    let found = inputs::api_inputs(root, &dir, &spec)?;
    apigen_codegen::effective_document(&spec, &relative(root, &spec), &found.adjustments)
        .map_err(|e| e.to_string())
}

/// Writes a document to `path`: YAML when the name ends in `.yaml` or `.yml`, else JSON.
pub fn write_document(path: &Path, document: &serde_json::Value) -> Result<(), String> {
    let text = document_text(path, document)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

pub use apigen_codegen::write::document_text;

/// What `cargo xtask generate` is given besides the document.
#[derive(Debug, Clone, Default)]
pub struct GenerateOptions {
    /// `--config FILE`; without it, a `codegen.toml` beside the document, if there is one.
    pub config: Option<PathBuf>,
    /// `--overlay FILE`, in order; without any, the `overlays/` folder beside the document.
    pub overlays: Vec<PathBuf>,
    /// `--emit-spec FILE`: also write the effective document there.
    pub emit_spec: Option<PathBuf>,
}

/// `cargo xtask generate`: one standalone crate for any document, written to `out`, by the
/// same library call as the `apigen` command.
pub fn generate_one(
    spec: &Path,
    out: &Path,
    name: &str,
    spec_display: &str,
    options: &GenerateOptions,
) -> Result<apigen_codegen::Output, String> {
    check_crate_name(name)?;
    let root = workspace_root();
    let out_abs = absolute(out)?;
    let runtime = absolute(&root.join("runtime"))?;
    // Inside `generated/`, the crate is a member of this workspace; anywhere else it is its own.
    let member = out_abs.parent() == Some(absolute(&root.join("generated"))?.as_path());
    let mut builder = apigen_codegen::Builder::new(spec)
        .name(name)
        .runtime_path(relative_path(&out_abs, &runtime))
        .workspace_member(member)
        .command(format!(
            "cargo xtask generate --spec {spec_display} --out {} --name {name}",
            out.display()
        ));
    if let Some(config) = &options.config {
        builder = builder.settings(config);
    }
    for overlay in &options.overlays {
        builder = builder.overlay(overlay);
    }
    if let Some(path) = &options.emit_spec {
        let document = builder.effective_document().map_err(|e| e.to_string())?;
        write_document(path, &document)?;
    }
    builder.write_crate(&out_abs).map_err(|e| e.to_string())
}

fn check_crate_name(name: &str) -> Result<(), String> {
    apigen_codegen::emit::check_crate_name(name).map_err(|message| format!("--name: {message}"))
}

/// An absolute, `.`/`..`-free form of `path` (which need not exist yet).
fn absolute(path: &Path) -> Result<PathBuf, String> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| format!("current directory: {e}"))?
            .join(path)
    };
    Ok(apigen_codegen::bundle::normalized(&joined))
}

pub(crate) use apigen_codegen::write::relative_path;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths() {
        assert_eq!(
            absolute(Path::new("/a/./b/../c")).unwrap(),
            PathBuf::from("/a/c")
        );
    }

    #[test]
    fn crate_names() {
        assert!(check_crate_name("petstore-client").is_ok());
        assert!(check_crate_name("1x").is_err());
        assert!(check_crate_name("a b").is_err());
    }
}
