//! The same document with its object keys shuffled, or converted between YAML and JSON,
//! produces byte-identical output.

use apigen_codegen::{CrateSettings, Generated, generate_from_value, load};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn settings() -> CrateSettings {
    CrateSettings {
        crate_name: "same-client".to_owned(),
        spec_display: "spec".to_owned(),
        command: "determinism test".to_owned(),
        runtime_path: "../runtime".to_owned(),
        standalone: false,
        provenance: Default::default(),
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn documents() -> Vec<PathBuf> {
    let root = root();
    let mut out: Vec<PathBuf> = ["tamtam", "juo", "dify", "retab", "hardwire"]
        .iter()
        .map(|api| {
            let dir = root.join("specs").join(api);
            let yaml = dir.join("openapi.yaml");
            if yaml.is_file() {
                yaml
            } else {
                dir.join("openapi.json")
            }
        })
        .collect();
    for name in [
        "codegen/tests/fixtures/features_v30.yaml",
        "codegen/tests/fixtures/features_v31.json",
        "tests/corpus/readme_3.0_yaml_discriminators.yaml",
        "tests/corpus/readme_3.1_yaml_schema-types.yaml",
        "tests/corpus/progenitor_propolis-server.json",
        "tests/corpus/oai_v3.0_petstore-expanded.yaml",
    ] {
        out.push(root.join(name));
    }
    out
}

/// A permutation source: the same seed gives the same shuffles.
struct Shuffler(u64);

impl Shuffler {
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let j = (self.0 >> 33) as usize % (i + 1);
            items.swap(i, j);
        }
    }
}

/// JSON text with the keys of every object in a shuffled order.
fn shuffled_json(value: &Value, s: &mut Shuffler) -> String {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            s.shuffle(&mut entries);
            let parts: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), shuffled_json(v, s)))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(|v| shuffled_json(v, s)).collect();
            format!("[{}]", parts.join(","))
        }
        other => other.to_string(),
    }
}

/// The same value as YAML, keys shuffled (YAML mappings keep insertion order).
fn shuffled_yaml(value: &Value, s: &mut Shuffler) -> yaml_serde::Value {
    match value {
        Value::Null => yaml_serde::Value::Null,
        Value::Bool(b) => yaml_serde::Value::Bool(*b),
        Value::Number(n) => yaml_serde::to_value(n).unwrap(),
        Value::String(text) => yaml_serde::Value::String(text.clone()),
        Value::Array(items) => {
            yaml_serde::Value::Sequence(items.iter().map(|v| shuffled_yaml(v, s)).collect())
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            s.shuffle(&mut entries);
            let mut mapping = yaml_serde::Mapping::new();
            for (k, v) in entries {
                mapping.insert(yaml_serde::Value::String(k.clone()), shuffled_yaml(v, s));
            }
            yaml_serde::Value::Mapping(mapping)
        }
    }
}

fn files(doc: &Value) -> BTreeMap<String, String> {
    let Generated { files, .. } =
        generate_from_value(doc, &settings()).expect("the document generates");
    files
}

fn assert_same(
    name: &str,
    variant: &str,
    expected: &BTreeMap<String, String>,
    got: &BTreeMap<String, String>,
) {
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "{name} ({variant}): file list"
    );
    for (path, text) in expected {
        assert!(text == &got[path], "{name} ({variant}): {path} differs");
    }
}

#[test]
fn shuffled_keys_and_yaml_json_conversion_change_nothing() {
    for path in documents() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let original = load::load_file(&path, "spec").unwrap();
        let expected = files(&original);
        for seed in 1..=3u64 {
            let mut shuffler = Shuffler(seed);
            let json_text = shuffled_json(&original, &mut shuffler);
            let from_json = load::parse(&json_text, "spec", true).unwrap();
            assert_same(
                &name,
                &format!("shuffled JSON, seed {seed}"),
                &expected,
                &files(&from_json),
            );

            let yaml_text =
                yaml_serde::to_string(&shuffled_yaml(&original, &mut shuffler)).unwrap();
            let from_yaml = load::parse(&yaml_text, "spec", false).unwrap();
            assert_same(
                &name,
                &format!("shuffled YAML, seed {seed}"),
                &expected,
                &files(&from_yaml),
            );
        }
        // Plain conversions, as a user would make them with any tool.
        let pretty = serde_json::to_string_pretty(&original).unwrap();
        assert_same(
            &name,
            "as pretty JSON",
            &expected,
            &files(&load::parse(&pretty, "spec", true).unwrap()),
        );
        let yaml = yaml_serde::to_string(&original).unwrap();
        assert_same(
            &name,
            "as YAML",
            &expected,
            &files(&load::parse(&yaml, "spec", false).unwrap()),
        );
    }
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    let doc = load::load_file(&root().join("tests/corpus/progenitor_nexus.json"), "spec").unwrap();
    assert_same("nexus", "second run", &files(&doc), &files(&doc));
}
