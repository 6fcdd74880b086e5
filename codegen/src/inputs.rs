//! Finds, loads and checks what a document is generated with: its settings (`codegen.toml`)
//! and its overlays (`overlays/*.yaml`, applied in file-name order), for the command, the build
//! script API and the repository's own tasks alike.

use crate::config::{Config, sha256_hex};
use crate::{Adjustments, Overlay, Provenance};
use std::fs;
use std::path::{Path, PathBuf};

/// The adjustments to apply to a document, and how the crate's README tells of them.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub adjustments: Adjustments,
    pub provenance: Provenance,
    /// The settings file, where there is one.
    pub settings_path: Option<PathBuf>,
    /// The overlay files, in the order they apply.
    pub overlay_paths: Vec<PathBuf>,
}

/// The settings and overlays of an API directory `specs/<api>/`. Beyond what any document
/// accepts, the project asks each overlay to say what it fixes and the evidence
/// (`info.description`).
pub fn api_inputs(root: &Path, dir: &Path, spec: &Path) -> Result<Found, String> {
    let config = Some(dir.join("codegen.toml")).filter(|p| p.is_file());
    let overlays = overlay_files(&dir.join("overlays"))?;
    let shown = |p: &Path| relative(root, p);
    // Files found by name in the repository must not lead out of it through a link.
    for file in std::iter::once(&spec.to_path_buf())
        .chain(config.iter())
        .chain(&overlays)
    {
        inside(root, file, &shown(file))?;
    }
    gather(&shown, spec, config, &overlays, true, Some(root))
}

/// What a command or a build script was given: settings (or a `codegen.toml` beside the
/// document) and overlays (or the `overlays/` folder beside the document).
pub fn given_inputs(
    spec: &Path,
    settings: Option<&Path>,
    overlays: &[PathBuf],
) -> Result<Found, String> {
    let beside = spec.parent().unwrap_or(Path::new(""));
    let config = settings
        .map(Path::to_path_buf)
        .or_else(|| Some(beside.join("codegen.toml")).filter(|p| p.is_file()));
    let overlays = if overlays.is_empty() {
        overlay_files(&beside.join("overlays"))?
    } else {
        overlays.to_vec()
    };
    let repository = config
        .as_deref()
        .and_then(|c| repository_of(c.parent().unwrap_or(Path::new("."))));
    gather(
        &|p: &Path| p.display().to_string(),
        spec,
        config,
        &overlays,
        false,
        repository.as_deref(),
    )
}

/// The git repository a folder is in: its nearest ancestor (itself included) holding `.git`.
pub fn repository_of(folder: &Path) -> Option<PathBuf> {
    let folder = fs::canonicalize(folder).ok()?;
    folder
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Checks that `file` (named `shown`), links resolved, is inside `repository`.
fn inside(repository: &Path, file: &Path, shown: &str) -> Result<(), String> {
    let repository =
        fs::canonicalize(repository).map_err(|e| format!("{}: {e}", repository.display()))?;
    let canonical = fs::canonicalize(file).map_err(|e| format!("{shown}: {e}"))?;
    if canonical.starts_with(&repository) {
        Ok(())
    } else {
        Err(format!(
            "{shown}: expected a file inside the repository, found a link to {}, outside it",
            canonical.display()
        ))
    }
}

/// The settings' `refs.extra-root`, resolved against the settings file's folder: a folder
/// inside the repository.
fn extra_root(
    raw: &str,
    config_path: &Path,
    display: &str,
    repository: Option<&Path>,
    shown: &dyn Fn(&Path) -> String,
) -> Result<(PathBuf, String), String> {
    let at = format!("{display}: #/refs/extra-root");
    let is_plain =
        !raw.is_empty() && !raw.contains('\\') && !raw.starts_with('/') && !raw.contains(':');
    if !is_plain {
        return Err(format!(
            "{at}: expected a folder relative to the settings file, found {raw:?}"
        ));
    }
    let folder = config_path.parent().unwrap_or(Path::new(".")).join(raw);
    let canonical = fs::canonicalize(&folder)
        .ok()
        .filter(|p| p.is_dir())
        .ok_or_else(|| format!("{at}: expected a folder, found nothing readable at {raw:?}"))?;
    let Some(repository) = repository else {
        return Err(format!(
            "{at}: expected the settings to be inside a git repository (an extra root must be inside it), found none"
        ));
    };
    let repository = fs::canonicalize(repository).map_err(|e| format!("{at}: {e}"))?;
    if !canonical.starts_with(&repository) {
        return Err(format!(
            "{at}: expected a folder inside the repository, found {raw:?}, which leads out of it"
        ));
    }
    let named = shown(&canonical);
    Ok((canonical, named))
}

/// The overlay files of a folder, in file-name order (none when there is no folder).
pub fn overlay_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in sorted_entries(dir)? {
        let is_document = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        );
        if path.is_file() && is_document {
            files.push(path);
        }
    }
    Ok(files)
}

fn gather(
    shown: &dyn Fn(&Path) -> String,
    spec: &Path,
    config_path: Option<PathBuf>,
    overlay_paths: &[PathBuf],
    require_descriptions: bool,
    repository: Option<&Path>,
) -> Result<Found, String> {
    let mut found = Found::default();
    if let Some(path) = &config_path {
        let display = shown(path);
        let config = Config::load(path, &display).map_err(|e| e.to_string())?;
        if let Some(expected) = config.source.as_ref().and_then(|s| s.sha256.as_deref()) {
            check_hash(spec, &shown(spec), expected, &display)?;
        }
        if let Some(raw) = &config.refs.extra_root {
            found.adjustments.extra_ref_root =
                Some(extra_root(raw, path, &display, repository, shown)?);
        }
        found.provenance.source = config.source.clone();
        found.provenance.operations = config.operations.clone();
        found.provenance.version = config.krate.version.clone();
        found.provenance.repository = config.krate.repository.clone();
        found.provenance.features_by_tag = config.krate.features_by_tag;
        found.adjustments.config = config;
        found.adjustments.config_display = display;
        found.settings_path = Some(path.clone());
    }
    for path in overlay_paths {
        let display = shown(path);
        let overlay = Overlay::load(path, &display).map_err(|e| e.to_string())?;
        if require_descriptions && overlay.description.is_none() {
            return Err(format!(
                "{display}: #/info/description: expected a description of what the overlay fixes and the evidence (`overlay: 1.1.0` documents have `info.description`), found none"
            ));
        }
        found
            .provenance
            .overlays
            .push((display, overlay.title.clone()));
        found.adjustments.overlays.push(overlay);
        found.overlay_paths.push(path.clone());
    }
    Ok(found)
}

/// A vendored document must be the vendor's, byte for byte: its SHA-256 must be the one the
/// settings record.
fn check_hash(spec: &Path, spec_display: &str, expected: &str, config: &str) -> Result<(), String> {
    let bytes = fs::read(spec).map_err(|e| format!("{spec_display}: {e}"))?;
    let actual = sha256_hex(&bytes);
    if actual.eq_ignore_ascii_case(expected) {
        return Ok(());
    }
    Err(format!(
        "{spec_display}: its SHA-256 is {actual}, but {config} records {expected} (`source.sha256`): the vendored document must stay the vendor's, byte for byte. Put corrections in an overlay; after a vendor update, record the new file's hash."
    ))
}

/// `path` as shown relative to `root` (`/` separated), or whole when outside it.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The entries of a folder, sorted (none when it does not exist).
pub fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(read) => read.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    };
    entries.sort();
    Ok(entries)
}
