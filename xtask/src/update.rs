//! `cargo xtask update <api>`: fetch the vendor's document again, check it generates, then write
//! it with its new hash and day (and the version its API changes need), regenerate, and report
//! what changed for callers. Nothing is written unless every step before writing succeeded.

use crate::changes::{self, ApiState, DiffReport};
use crate::fetch::{self, Limits};
use crate::scratch::Scratch;
use crate::versions::Record;
use crate::{Mode, inputs, regen, relative, spec_in};
use apigen_codegen::api_diff::{self, Effect};
use apigen_codegen::config::{Config, sha256_hex};
use std::fs;
use std::path::{Path, PathBuf};

/// How to fetch, and the day to record as the document's.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    pub limits: Limits,
    pub today: chrono::NaiveDate,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            limits: Limits::default(),
            today: chrono::Utc::now().date_naive(),
        }
    }
}

/// What an update did.
#[derive(Debug)]
pub struct Updated {
    pub url: String,
    /// The spec file, as the repository names it.
    pub spec: String,
    pub bytes: usize,
    /// False when the vendor's document is the one already vendored.
    pub changed: bool,
    /// The version before and after, when the update raised it.
    pub version_raised: Option<(semver::Version, semver::Version)>,
    /// What changed for callers, against the committed public API.
    pub report: DiffReport,
    /// The files regeneration wrote.
    pub written: Vec<String>,
}

/// Updates `specs/<api>/` from its source URL.
pub fn update(root: &Path, api: &str, options: &UpdateOptions) -> Result<Updated, String> {
    let dir = root.join("specs").join(api);
    let spec = spec_in(&dir).ok_or_else(|| format!("no API named {api:?} under specs/"))?;
    let spec_shown = relative(root, &spec);
    let settings_path = dir.join("codegen.toml");
    let settings_shown = relative(root, &settings_path);
    let config = Config::load(&settings_path, &settings_shown).map_err(|e| e.to_string())?;
    let source = config.source.clone().ok_or_else(|| {
        format!("{settings_shown}: #/source: expected the URL the document comes from, found no [source] table")
    })?;
    let Some(url) = source.url.clone() else {
        return Err(format!(
            "{settings_shown}: #/source: {spec_shown} is written by hand ({}): there is nothing to fetch; edit it and run `cargo xtask regen {api}`",
            source.hand_written.unwrap_or_default()
        ));
    };

    let limits = Limits {
        redirect_hosts: source.redirect_hosts.clone(),
        ..options.limits.clone()
    };
    let fetched = fetch::fetch(&url, &limits)?;
    let document = fetch::document_in(&url, &fetched)?;
    let sha = sha256_hex(&document);
    let before = committed_state(root, api)?;
    if source.sha256.as_deref() == Some(sha.as_str()) {
        let report = changes::compare(api, before.clone(), before);
        return Ok(Updated {
            url,
            spec: spec_shown,
            bytes: document.len(),
            changed: false,
            version_raised: None,
            report: single(report),
            written: Vec::new(),
        });
    }

    // Stage the new document and settings in a scratch copy of the API's folder, and generate
    // there: a document that no longer loads or generates stops here, with nothing written.
    let settings_text =
        fs::read_to_string(&settings_path).map_err(|e| format!("{settings_shown}: {e}"))?;
    let mut settings = edit_source(&settings_text, &settings_shown, &sha, options.today)?;
    let scratch = Scratch::new("update")?;
    let staged_dir = stage(&scratch.0, api, &dir, &spec, &document, &settings)?;
    let staged = changes::api_state(&scratch.0, api)
        .map_err(|e| format!("the fetched document does not generate: {e}"))?
        .ok_or_else(|| format!("{}: not staged", staged_dir.display()))?;

    // The version the changes need, from the committed one.
    let mut version_raised = None;
    if let Some(before) = &before {
        let found = api_diff::diff(&before.surface, &staged.surface);
        if let Some(effect) = api_diff::overall(&found)
            && !api_diff::version_allows(&before.version, &staged.version, effect)
        {
            let needed = api_diff::needed_version(&before.version, effect);
            settings = set_version(&settings, &settings_shown, &needed)?;
            version_raised = Some((staged.version.clone(), needed));
        }
    }
    fs::write(staged_dir.join("codegen.toml"), &settings)
        .map_err(|e| format!("{}: {e}", staged_dir.display()))?;
    regen(&scratch.0, &[api.to_owned()], Mode::Write)
        .map_err(|e| format!("the fetched document does not generate: {e}"))?;
    let now = changes::api_state(&scratch.0, api)?;

    // Write: the document, its settings, then the crate. A failure puts the old files back.
    let old_document = fs::read(&spec).map_err(|e| format!("{spec_shown}: {e}"))?;
    let write = || -> Result<Vec<String>, String> {
        fs::write(&spec, &document).map_err(|e| format!("{spec_shown}: {e}"))?;
        fs::write(&settings_path, &settings).map_err(|e| format!("{settings_shown}: {e}"))?;
        regen(root, &[api.to_owned()], Mode::Write).map(|report| report.changed)
    };
    let written = match write() {
        Ok(written) => written,
        Err(error) => {
            let _ = fs::write(&spec, &old_document);
            let _ = fs::write(&settings_path, &settings_text);
            return Err(error);
        }
    };
    Ok(Updated {
        url,
        spec: spec_shown,
        bytes: document.len(),
        changed: true,
        version_raised,
        report: single(changes::compare(api, before, now)),
        written,
    })
}

fn single(report: changes::ApiReport) -> DiffReport {
    DiffReport {
        base: "the committed crate".to_owned(),
        breaking: report.effect == Some(Effect::Breaking),
        apis: vec![report],
    }
}

/// The public API committed beside the crate, if it has a record.
fn committed_state(root: &Path, api: &str) -> Result<Option<ApiState>, String> {
    let dir = root.join("generated").join(api);
    Ok(
        Record::read(&dir, &relative(root, &dir))?.map(|record| ApiState {
            krate: record.krate,
            version: record.version,
            surface: record.surface,
        }),
    )
}

/// The settings with `source.sha256` and `source.taken` set, comments and layout kept.
fn edit_source(
    text: &str,
    shown: &str,
    sha: &str,
    today: chrono::NaiveDate,
) -> Result<String, String> {
    let mut document: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{shown}: {e}"))?;
    let taken: toml_edit::Datetime = today
        .format("%Y-%m-%d")
        .to_string()
        .parse()
        .map_err(|e| format!("{shown}: {e}"))?;
    let source = document["source"]
        .as_table_mut()
        .ok_or_else(|| format!("{shown}: #/source: expected a table"))?;
    source["sha256"] = toml_edit::value(sha);
    source["taken"] = toml_edit::value(taken);
    Ok(document.to_string())
}

/// The settings with `[crate] version` set.
fn set_version(text: &str, shown: &str, version: &semver::Version) -> Result<String, String> {
    let mut document: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{shown}: {e}"))?;
    if document.get("crate").is_none() {
        document["crate"] = toml_edit::table();
    }
    document["crate"]["version"] = toml_edit::value(version.to_string());
    Ok(document.to_string())
}

/// Copies the API's folder into `scratch/specs/<api>/` with the new document and settings;
/// returns the copy.
fn stage(
    scratch: &Path,
    api: &str,
    dir: &Path,
    spec: &Path,
    document: &[u8],
    settings: &str,
) -> Result<PathBuf, String> {
    let staged = scratch.join("specs").join(api);
    crate::scratch::copy_dir(dir, &staged)?;
    let name = spec.file_name().unwrap_or_default();
    fs::write(staged.join(name), document).map_err(|e| format!("{}: {e}", staged.display()))?;
    fs::write(staged.join("codegen.toml"), settings)
        .map_err(|e| format!("{}: {e}", staged.display()))?;
    // The copy stands for the repository: settings may name folders inside it.
    fs::create_dir_all(scratch.join(".git")).map_err(|e| format!("{}: {e}", scratch.display()))?;
    inputs::overlay_files(&staged.join("overlays"))?;
    Ok(staged)
}
