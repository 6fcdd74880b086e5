//! The public API recorded beside each committed crate (`public-api.json`) and the rule `regen`
//! holds its version to: a breaking change needs a major bump, an addition a minor one.

use apigen_codegen::api_diff::{self, Change, Effect};
use apigen_codegen::surface::Surface;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file, in the crate's folder, that records its public API at its version.
pub const RECORD: &str = "public-api.json";

/// How many changes an error lists before saying how many more there are.
const LISTED: usize = 6;

/// A crate's public API at a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    #[serde(rename = "crate")]
    pub krate: String,
    pub version: semver::Version,
    pub surface: Surface,
}

impl Record {
    /// The record as written: pretty JSON, keys in order, one trailing newline.
    pub fn text(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// The record in a crate's folder, if there is one; `shown` names the folder in errors.
    pub fn read(dir: &Path, shown: &str) -> Result<Option<Record>, String> {
        let path = dir.join(RECORD);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(None);
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{shown}/{RECORD}: not a public-API record: {e}"))
    }
}

/// Checks that `now`'s version is bumped enough for the changes since `before`; `settings`
/// names the file that holds the version. The error lists the changes that need the bump.
pub fn check(before: &Record, now: &Record, settings: &str) -> Result<Vec<Change>, String> {
    let changes = api_diff::diff(&before.surface, &now.surface);
    if now.version < before.version {
        return Err(format!(
            "{settings}: #/crate/version: {} is lower than {}, the version of the committed {}",
            now.version, before.version, now.krate
        ));
    }
    let Some(effect) = api_diff::overall(&changes) else {
        return Ok(changes);
    };
    if api_diff::version_allows(&before.version, &now.version, effect) {
        return Ok(changes);
    }
    let needed = api_diff::needed_version(&before.version, effect);
    let relevant: Vec<&Change> = changes.iter().filter(|c| c.effect == effect).collect();
    let mut listed: Vec<String> = relevant
        .iter()
        .take(LISTED)
        .map(|c| format!("{}: {}", c.item, c.change))
        .collect();
    if relevant.len() > LISTED {
        listed.push(format!("and {} more", relevant.len() - LISTED));
    }
    let kind = match effect {
        Effect::Breaking => "in a breaking way",
        _ => "with additions",
    };
    Err(format!(
        "{settings}: #/crate/version: the public API of {} changed {kind} ({}), but its version is still {}: set `[crate] version = \"{needed}\"` (`cargo xtask diff` shows every change)",
        now.krate,
        listed.join("; "),
        now.version,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use apigen_codegen::surface::TypeSurface;

    fn record(version: &str, fields: &[&str]) -> Record {
        let mut surface = Surface::default();
        surface.types.insert(
            "Run".to_owned(),
            TypeSurface::Struct {
                fields: fields
                    .iter()
                    .map(|f| ((*f).to_owned(), "String".to_owned()))
                    .collect(),
                built_by_callers: false,
            },
        );
        Record {
            krate: "x-client".to_owned(),
            version: version.parse().unwrap(),
            surface,
        }
    }

    #[test]
    fn a_removed_field_needs_the_breaking_bump() {
        let before = record("0.3.1", &["id", "name"]);
        let err = check(&before, &record("0.3.2", &["id"]), "codegen.toml").unwrap_err();
        assert_eq!(
            err,
            "codegen.toml: #/crate/version: the public API of x-client changed in a breaking way (Run.name: field `name: String` removed), but its version is still 0.3.2: set `[crate] version = \"0.4.0\"` (`cargo xtask diff` shows every change)"
        );
        assert!(check(&before, &record("0.4.0", &["id"]), "codegen.toml").is_ok());
        let after_one = record("1.2.3", &["id", "name"]);
        let err = check(&after_one, &record("1.3.0", &["id"]), "c").unwrap_err();
        assert!(err.contains("set `[crate] version = \"2.0.0\"`"), "{err}");
    }

    #[test]
    fn an_added_field_read_by_callers_needs_the_addition_bump() {
        let before = record("0.3.1", &["id"]);
        let err = check(&before, &record("0.3.1", &["id", "name"]), "c").unwrap_err();
        assert!(err.contains("changed with additions"), "{err}");
        assert!(err.contains("set `[crate] version = \"0.3.2\"`"), "{err}");
        let before = record("1.0.0", &["id"]);
        assert!(check(&before, &record("1.0.1", &["id", "name"]), "c").is_err());
        assert!(check(&before, &record("1.1.0", &["id", "name"]), "c").is_ok());
    }

    #[test]
    fn no_change_needs_no_bump_and_a_lower_version_is_refused() {
        let before = record("0.2.0", &["id"]);
        assert_eq!(
            check(&before, &record("0.2.0", &["id"]), "c"),
            Ok(Vec::new())
        );
        let err = check(&before, &record("0.1.0", &["id"]), "c").unwrap_err();
        assert!(err.contains("0.1.0 is lower than 0.2.0"), "{err}");
    }

    #[test]
    fn the_record_reads_back_what_it_wrote() {
        let record = record("0.2.0", &["id", "name"]);
        let dir = std::env::temp_dir().join(format!("apigen-record-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(RECORD), record.text()).unwrap();
        assert_eq!(Record::read(&dir, "x").unwrap(), Some(record));
        std::fs::write(dir.join(RECORD), "{").unwrap();
        assert!(
            Record::read(&dir, "x")
                .unwrap_err()
                .starts_with("x/public-api.json: ")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
