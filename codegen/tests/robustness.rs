//! Bad input never panics: 10,000 generated and mutated documents go through load, normalize,
//! lower and emit, and every one ends in `Ok` or a clear one-line error. Some are written to a
//! folder and read from there with references to files planted in them, also ones that try to
//! leave the folder: those never reach the generated code.
//!
//! Mutations are drawn from a fixed-seed generator, so a failure names the iteration that
//! reproduces it.

use apigen_codegen::sample::{Rng, random_document};
use apigen_codegen::{CrateSettings, generate_from_value, load};
use serde_json::{Value, json};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

const ITERATIONS: usize = 10_000;

/// What a file outside the document's folder says: it must never show in generated code.
const MARKER: &str = "TOP-SECRET-MARKER";

/// References to other files: allowed ones, and every form that tries to leave the folder.
const EXTERNAL_REFS: [&str; 12] = [
    "other.yaml#/components/schemas/A",
    "schemas/ok.yaml#/Ok",
    "./schemas/ok.yaml#/Ok",
    "../outside/secret.yaml#/Secret",
    "schemas/../../outside/secret.yaml#/Secret",
    "../../../../../../../../etc/passwd#/root",
    "/etc/os-release#/root",
    "file:///etc/passwd#/root",
    "file:../outside/secret.yaml#/Secret",
    "C:\\Windows\\win.ini#/x",
    "..\\outside\\secret.yaml#/Secret",
    "schemas/link.yaml#/Secret",
];

fn settings() -> CrateSettings {
    CrateSettings {
        crate_name: "fuzzed-client".to_owned(),
        spec_display: "fuzzed.yaml".to_owned(),
        command: "robustness test".to_owned(),
        runtime_path: "../runtime".to_owned(),
        standalone: true,
        provenance: Default::default(),
    }
}

/// Seed documents: the five specs, the fixtures and the small documents of the corpus.
fn seeds() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(root.join("specs")).unwrap() {
        let dir = entry.unwrap().path();
        paths.extend(
            ["openapi.yaml", "openapi.json"]
                .iter()
                .map(|name| dir.join(name))
                .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() < 40_000)),
        );
    }
    for dir in ["codegen/tests/fixtures", "tests/corpus"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let small = std::fs::metadata(&path)
                .map(|m| m.len() < 40_000)
                .unwrap_or(false);
            let doc = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            );
            if small && doc {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let mut out: Vec<Value> = paths
        .iter()
        .filter(|p| p.exists())
        .map(|p| load::load_file(p, &p.display().to_string()).unwrap())
        .collect();
    out.push(random_document(7));
    out
}

/// Every pointer to a node of the document.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn random_value(rng: &mut Rng, pointers: &[String]) -> Value {
    match rng.below(14) {
        0 => Value::Null,
        1 => json!(rng.chance(50)),
        2 => json!(rng.next_u64() as i64),
        3 => json!(-1.5e300),
        4 => json!(""),
        5 => json!("x".repeat(rng.below(5000))),
        6 => json!([]),
        7 => json!({}),
        8 => json!({"$ref": "#/components/schemas/DoesNotExist"}),
        9 => json!({"$ref": format!("#{}", pointers[rng.below(pointers.len())])}),
        10 => json!({"$ref": EXTERNAL_REFS[rng.below(EXTERNAL_REFS.len())]}),
        11 => {
            let reference = [
                json!("#/a~2b"),
                json!("#foo"),
                json!("#/%zz"),
                json!("#"),
                json!(5),
            ];
            json!({"$ref": reference[rng.below(5)].clone()})
        }
        12 => {
            let ty = ["string", "object", "null", "bogus", "array"][rng.below(5)];
            json!({"type": ty, "properties": {"a": {"$ref": "#"}}})
        }
        _ => json!([1, "two", {"three": 3}]),
    }
}

/// Applies one to five mutations at random places.
fn mutate(rng: &mut Rng, doc: &mut Value) {
    for _ in 0..1 + rng.below(5) {
        let mut all = Vec::new();
        pointers(doc, String::new(), &mut all);
        let target = all[rng.below(all.len())].clone();
        let replacement = random_value(rng, &all);
        let Some(node) = doc.pointer_mut(&target) else {
            continue;
        };
        match rng.below(4) {
            // Drop a key.
            0 => {
                if let Value::Object(map) = node
                    && !map.is_empty()
                {
                    let key = map.keys().nth(rng.below(map.len())).cloned().unwrap();
                    map.remove(&key);
                    continue;
                }
                *node = replacement;
            }
            // Add a `$ref` beside whatever is there (cycles, refs to refs).
            1 => {
                if let Value::Object(map) = node {
                    map.insert(
                        "$ref".to_owned(),
                        json!(format!("#{}", all[rng.below(all.len())])),
                    );
                    continue;
                }
                *node = replacement;
            }
            // Replace the node (swap its type, empty it, make it huge, point it anywhere).
            _ => *node = replacement,
        }
    }
}

/// Integers outside the 64-bit range, as tools print them (`i64::MIN` as a float, and more).
const BIG_NUMBERS: [&str; 4] = [
    "-9223372036854776000",
    "18446744073709551616123",
    "340282366920938463463374607431768211457",
    "-170141183460469231731687303715884105729",
];

/// The document as JSON or YAML text with one value replaced by a number beyond 64 bits.
fn with_big_number(rng: &mut Rng, doc: &mut Value) -> (String, bool) {
    const PLACEHOLDER: &str = "@@big-number@@";
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    if let Some(node) = doc.pointer_mut(&all[rng.below(all.len())]) {
        *node = json!(PLACEHOLDER);
    }
    let number = BIG_NUMBERS[rng.below(BIG_NUMBERS.len())];
    let json = rng.chance(50);
    let text = if json {
        doc.to_string()
    } else {
        yaml_serde::to_string(doc).unwrap_or_default()
    };
    let text = text
        .replace(&format!("\"{PLACEHOLDER}\""), number)
        .replace(&format!("'{PLACEHOLDER}'"), number)
        .replace(PLACEHOLDER, number);
    (text, json)
}

#[derive(Default)]
struct Tally {
    ok: usize,
    errors: usize,
    /// File-based runs refused because a reference tried to leave the folder.
    refused_refs: usize,
}

fn run_one(tally: &mut Tally, iteration: usize, doc: &Value) {
    let outcome = catch_unwind(AssertUnwindSafe(|| generate_from_value(doc, &settings())));
    match outcome {
        Ok(Ok(generated)) => {
            assert!(generated.files.contains_key("src/lib.rs"));
            tally.ok += 1;
        }
        Ok(Err(error)) => {
            let line = error.to_string();
            assert!(
                !line.contains('\n'),
                "iteration {iteration}: a multi-line error: {line}"
            );
            assert!(
                line.starts_with("fuzzed.yaml: #"),
                "iteration {iteration}: {line}"
            );
            tally.errors += 1;
        }
        Err(_) => panic!("iteration {iteration} panicked; rerun it to see the document"),
    }
}

/// A folder holding the document, a legitimate schema file, a link that leads out of the
/// folder, and beside it a file that must stay unread.
struct Planted {
    spec: std::path::PathBuf,
}

impl Planted {
    fn new() -> Planted {
        let dir = std::env::temp_dir().join(format!("apigen-robust-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let api = dir.join("api");
        std::fs::create_dir_all(api.join("schemas")).unwrap();
        std::fs::create_dir_all(dir.join("outside")).unwrap();
        let secret = format!("Secret:\n  type: object\n  description: {MARKER}\n");
        std::fs::write(dir.join("outside/secret.yaml"), secret).unwrap();
        std::fs::write(
            api.join("schemas/ok.yaml"),
            "Ok:\n  type: object\n  properties:\n    id: {type: string}\n",
        )
        .unwrap();
        std::os::unix::fs::symlink(
            dir.join("outside/secret.yaml"),
            api.join("schemas/link.yaml"),
        )
        .unwrap();
        Planted {
            spec: api.join("openapi.yaml"),
        }
    }
}

/// A `$ref` to another file, planted at a random object of the document.
fn plant_external_ref(rng: &mut Rng, doc: &mut Value) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let objects: Vec<String> = all
        .into_iter()
        .filter(|p| matches!(doc.pointer(p), Some(Value::Object(_))))
        .collect();
    if objects.is_empty() {
        return;
    }
    let target = objects[rng.below(objects.len())].clone();
    if let Some(Value::Object(map)) = doc.pointer_mut(&target) {
        map.insert(
            "$ref".to_owned(),
            json!(EXTERNAL_REFS[rng.below(EXTERNAL_REFS.len())]),
        );
    }
}

/// Generates from the document written into the planted folder: `Ok` never carries what lies
/// outside it, an error is one line.
fn run_file(tally: &mut Tally, iteration: usize, doc: &Value, planted: &Planted) {
    std::fs::write(
        &planted.spec,
        yaml_serde::to_string(doc).unwrap_or_default(),
    )
    .unwrap();
    let settings = CrateSettings {
        spec_display: "fuzzed.yaml".to_owned(),
        ..settings()
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        apigen_codegen::generate(&planted.spec, &settings)
    }));
    match outcome {
        Ok(Ok(generated)) => {
            for (path, text) in &generated.files {
                assert!(
                    !text.contains(MARKER),
                    "iteration {iteration}: {path} holds text from outside the folder"
                );
            }
            tally.ok += 1;
        }
        Ok(Err(error)) => {
            let line = error.to_string();
            assert!(!line.contains('\n'), "iteration {iteration}: {line}");
            assert!(!line.contains(MARKER), "iteration {iteration}: {line}");
            tally.errors += 1;
            if line.contains("found a path that leaves it")
                || line.contains("a symbolic link leads out of it")
                || line.contains("found an absolute path")
                || line.contains("found a file: URL")
                || line.contains("found a Windows-style path")
            {
                tally.refused_refs += 1;
            }
        }
        Err(_) => panic!("iteration {iteration} panicked reading from a folder"),
    }
}

fn run_text(tally: &mut Tally, iteration: usize, text: &str, json: bool) {
    let outcome = catch_unwind(AssertUnwindSafe(|| load::parse(text, "fuzzed.yaml", json)));
    match outcome {
        Ok(Ok(doc)) => run_one(tally, iteration, &doc),
        Ok(Err(error)) => {
            assert!(
                !error.to_string().contains('\n'),
                "iteration {iteration}: {error}"
            );
            tally.errors += 1;
        }
        Err(_) => panic!("iteration {iteration} panicked while parsing"),
    }
}

#[test]
fn ten_thousand_mutated_documents_end_in_ok_or_a_clear_error() {
    // The same stack the `cargo xtask` commands give the generator.
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(|| {
            let seeds = seeds();
            let planted = Planted::new();
            let mut tally = Tally::default();
            let mut rng = Rng::new(0x5EED_0FA9_1DE9);
            for iteration in 0..ITERATIONS {
                let mut doc = if iteration % 10 == 9 {
                    random_document(rng.next_u64())
                } else {
                    seeds[rng.below(seeds.len())].clone()
                };
                mutate(&mut rng, &mut doc);
                if iteration % 20 == 3 {
                    plant_external_ref(&mut rng, &mut doc);
                    run_file(&mut tally, iteration, &doc, &planted);
                    continue;
                }
                match rng.below(10) {
                    // As text, cut short or with a byte changed, through the parsers.
                    0 => {
                        let text = doc.to_string();
                        let cut = rng.below(text.len());
                        let cut = (0..=cut)
                            .rev()
                            .find(|i| text.is_char_boundary(*i))
                            .unwrap_or(0);
                        run_text(&mut tally, iteration, &text[..cut], true);
                    }
                    1 => {
                        let mut text = yaml_serde::to_string(&doc).unwrap_or_default();
                        if !text.is_empty() {
                            let at = rng.below(text.len());
                            if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
                                text.replace_range(
                                    at..at + 1,
                                    ["{", ":", "\t", "&a", "*a", "- ", "'"][rng.below(7)],
                                );
                            }
                        }
                        run_text(&mut tally, iteration, &text, false);
                    }
                    // A number beyond 64 bits, as real documents hold, written into the text.
                    2 => {
                        let (text, json) = with_big_number(&mut rng, &mut doc);
                        run_text(&mut tally, iteration, &text, json);
                    }
                    _ => run_one(&mut tally, iteration, &doc),
                }
            }
            tally
        });
    let tally = worker
        .unwrap()
        .join()
        .expect("no mutated document panics the generator");
    assert_eq!(tally.ok + tally.errors, ITERATIONS);
    // Both outcomes occur: mutations neither always break nor never break a document.
    assert!(
        tally.ok > ITERATIONS / 10,
        "only {} documents generated",
        tally.ok
    );
    assert!(
        tally.errors > ITERATIONS / 10,
        "only {} documents were refused",
        tally.errors
    );
    // References that try to leave the folder are planted often enough to be refused often.
    assert!(
        tally.refused_refs > ITERATIONS / 20 / 4,
        "only {} references out of the folder were refused",
        tally.refused_refs
    );
    println!(
        "{} generated, {} refused with an error ({} for a reference out of the folder)",
        tally.ok, tally.errors, tally.refused_refs
    );
}

#[test]
fn deep_nesting_and_reference_cycles_are_bounded() {
    // 120 levels of nested objects: within the parser's limit, the generator copes.
    let mut schema = json!({"type": "string"});
    for _ in 0..60 {
        schema = json!({"type": "object", "properties": {"inner": schema}});
    }
    let doc = json!({"openapi": "3.1.0", "info": {"title": "Deep", "version": "1"}, "paths": {},
                     "components": {"schemas": {"Deep": schema}}});
    let generated = generate_from_value(&doc, &settings()).expect("deep nesting generates");
    assert!(generated.files["src/types.rs"].contains("pub struct Deep"));

    // Deeper than the parsers accept: an error, not a stack overflow.
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(load::parse(&text, "deep.json", true).is_err());
    let yaml = format!("{}a", "- ".repeat(100_000));
    assert!(load::parse(&yaml, "deep.yaml", false).is_err());

    // References that only point at each other, and an inline schema that refers to itself.
    let doc = json!({"openapi": "3.1.0", "info": {"title": "Cycles", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json":
            {"schema": {"type": "object", "properties": {"me": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"}}}}}}}}}},
        "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"},
                                   "C": {"type": "array", "items": {"$ref": "#/components/schemas/C"}}}}});
    match generate_from_value(&doc, &settings()) {
        Ok(generated) => assert!(generated.files["src/types.rs"].contains("pub struct C(")),
        Err(error) => assert!(
            error.to_string().contains("#/components/schemas/"),
            "{error}"
        ),
    }
}
