//! `cargo xtask diff`: the public API each spec gives at a git revision against the working
//! tree, every change judged by its effect on callers, as Markdown for a pull request or JSON.

use crate::scratch::Scratch;
use crate::{inputs, relative, sorted_entries, spec_in};
use apigen_codegen::api_diff::{self, Change, Effect};
use apigen_codegen::surface::{self, Surface};
use serde::Serialize;
use std::path::Path;
use std::process::Command;

/// One API's state: its crate, version and public API.
#[derive(Debug, Clone)]
pub struct ApiState {
    pub krate: String,
    pub version: semver::Version,
    pub surface: Surface,
}

/// What changed for one API.
#[derive(Debug, Clone, Serialize)]
pub struct ApiReport {
    pub api: String,
    #[serde(rename = "crate")]
    pub krate: String,
    /// `changed`, `new` (no spec at the base) or `removed` (no spec in the working tree).
    pub state: &'static str,
    pub base_version: Option<semver::Version>,
    pub version: Option<semver::Version>,
    /// The largest effect of the changes, if any.
    pub effect: Option<Effect>,
    /// The lowest version the changes allow, from the base's.
    pub needed_version: Option<semver::Version>,
    /// Whether the working tree's version is enough for the changes.
    pub version_ok: bool,
    pub changes: Vec<Change>,
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    pub base: String,
    pub apis: Vec<ApiReport>,
    /// True when some change breaks callers' code.
    pub breaking: bool,
}

/// The public API generated from `specs/<api>/` under `root`, or `None` without such a folder.
pub fn api_state(root: &Path, api: &str) -> Result<Option<ApiState>, String> {
    let dir = root.join("specs").join(api);
    if !dir.is_dir() {
        return Ok(None);
    }
    let spec = spec_in(&dir).ok_or_else(|| {
        format!(
            "{}: no openapi.yaml, openapi.yml or openapi.json",
            relative(root, &dir)
        )
    })?;
    let found = inputs::api_inputs(root, &dir, &spec)?;
    let display = relative(root, &spec);
    let document = apigen_codegen::effective_document(&spec, &display, &found.adjustments)
        .map_err(|e| e.to_string())?;
    let config = &found.adjustments;
    let settings = (&config.config, config.config_display.as_str());
    let (api_ir, _) = apigen_codegen::lower_value_with(&document, &display, Some(settings))
        .map_err(|e| e.to_string())?;
    Ok(Some(ApiState {
        krate: format!("{api}-client"),
        version: found
            .provenance
            .version
            .unwrap_or_else(|| semver::Version::new(0, 1, 0)),
        surface: surface::surface(&api_ir),
    }))
}

/// The APIs under `root/specs`.
fn apis_under(root: &Path) -> Result<Vec<String>, String> {
    Ok(sorted_entries(&root.join("specs"))?
        .into_iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect())
}

/// Writes the `specs/` folder of revision `rev` of the repository at `root` into `into`, which
/// then acts as a repository root of its own.
pub fn export_specs(root: &Path, rev: &str, into: &Path) -> Result<(), String> {
    let git = |args: &[&str]| -> Result<Vec<u8>, String> {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("git: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(output.stdout)
    };
    git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])
    .map_err(|_| format!("--base {rev}: not a revision of the repository"))?;
    let listing = git(&["ls-tree", "-r", "-z", "--name-only", rev, "--", "specs"])?;
    for path in listing.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8_lossy(path).into_owned();
        let bytes = git(&["show", &format!("{rev}:{path}")])?;
        let file = into.join(&path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&file, bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    // The folder stands for the repository: settings may name folders inside it.
    std::fs::create_dir_all(into.join(".git")).map_err(|e| format!("{}: {e}", into.display()))?;
    Ok(())
}

/// Compares the APIs (all, or those in `only`) at revision `base` with the working tree.
pub fn diff(root: &Path, base: &str, only: &[String]) -> Result<DiffReport, String> {
    let scratch = Scratch::new("diff")?;
    export_specs(root, base, &scratch.0)?;
    let mut names = apis_under(root)?;
    names.extend(apis_under(&scratch.0)?);
    names.sort();
    names.dedup();
    for name in only {
        if !names.contains(name) {
            return Err(format!(
                "no API named {name:?} at {base} or in the working tree"
            ));
        }
    }
    let mut apis = Vec::new();
    for api in names {
        if !only.is_empty() && !only.contains(&api) {
            continue;
        }
        let before = api_state(&scratch.0, &api).map_err(|e| format!("at {base}: {e}"))?;
        let now = api_state(root, &api)?;
        apis.push(compare(&api, before, now));
    }
    let breaking = apis.iter().any(|a| a.effect == Some(Effect::Breaking));
    Ok(DiffReport {
        base: base.to_owned(),
        apis,
        breaking,
    })
}

/// What changed for one API from `before` to `now` (either may be absent).
pub fn compare(api: &str, before: Option<ApiState>, now: Option<ApiState>) -> ApiReport {
    let empty = Surface::default();
    let changes = api_diff::diff(
        before.as_ref().map_or(&empty, |s| &s.surface),
        now.as_ref().map_or(&empty, |s| &s.surface),
    );
    let state = match (&before, &now) {
        (None, _) => "new",
        (_, None) => "removed",
        _ => "changed",
    };
    let effect = match state {
        "removed" => Some(Effect::Breaking),
        _ => api_diff::overall(&changes),
    };
    let base_version = before.as_ref().map(|s| s.version.clone());
    let version = now.as_ref().map(|s| s.version.clone());
    let needed_version = match (&base_version, effect) {
        (Some(base), Some(effect)) if now.is_some() => Some(api_diff::needed_version(base, effect)),
        _ => None,
    };
    let version_ok = match (&base_version, &version, effect) {
        (Some(base), Some(version), Some(effect)) => {
            api_diff::version_allows(base, version, effect)
        }
        _ => true,
    };
    ApiReport {
        api: api.to_owned(),
        krate: before
            .as_ref()
            .or(now.as_ref())
            .map(|s| s.krate.clone())
            .unwrap_or_default(),
        state,
        base_version,
        version,
        effect,
        needed_version,
        version_ok,
        changes,
    }
}

/// The report as Markdown, for a pull request.
pub fn markdown(report: &DiffReport) -> String {
    let mut out = format!("# API changes since `{}`\n", report.base);
    for api in &report.apis {
        out.push_str(&format!("\n## `{}`\n\n", api.krate));
        if api.state == "removed" {
            out.push_str("The spec is gone: the crate is no longer generated (breaking).\n");
            continue;
        }
        if api.changes.is_empty() {
            out.push_str("No change to the public API.\n");
            continue;
        }
        if api.state == "new" {
            out.push_str("A new crate.\n\n");
        }
        out.push_str(&api_diff::table(&api.changes));
        out.push('\n');
        out.push_str(&verdict(api));
        out.push('\n');
    }
    out
}

/// What the changes ask of the crate's version, in a sentence.
fn verdict(api: &ApiReport) -> String {
    let count = |effect| api.changes.iter().filter(|c| c.effect == effect).count();
    let counts = format!(
        "{} breaking, {} additions, {} patch-level",
        count(Effect::Breaking),
        count(Effect::Addition),
        count(Effect::Patch)
    );
    match (&api.needed_version, &api.version, &api.base_version) {
        (Some(needed), Some(version), Some(base)) if api.version_ok => {
            format!("**Semver:** {counts}: {base} -> {version} (at least {needed} needed): ok.")
        }
        (Some(needed), Some(version), Some(base)) => format!(
            "**Semver:** {counts}: needs {needed} (from {base}); the settings say {version}: set `[crate] version = \"{needed}\"` in `specs/{}/codegen.toml`.",
            api.api
        ),
        _ => format!("**Semver:** {counts}."),
    }
}
