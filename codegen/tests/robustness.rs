//! Bad input never panics: 10,000 generated and mutated documents go through load, normalize,
//! lower and emit, and every one ends in `Ok` or a clear one-line error.
//!
//! Mutations are drawn from a fixed-seed generator, so a failure names the iteration that
//! reproduces it.

use apigen_codegen::sample::{Rng, random_document};
use apigen_codegen::{CrateSettings, generate_from_value, load};
use serde_json::{Value, json};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

const ITERATIONS: usize = 10_000;

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
    for dir in ["specs"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let dir = entry.unwrap().path();
            paths.push(dir.join("openapi.yaml"));
        }
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
        10 => json!({"$ref": "other.yaml#/components/schemas/A"}),
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

#[derive(Default)]
struct Tally {
    ok: usize,
    errors: usize,
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
            let mut tally = Tally::default();
            let mut rng = Rng::new(0x5EED_0FA9_1DE9);
            for iteration in 0..ITERATIONS {
                let mut doc = if iteration % 10 == 9 {
                    random_document(rng.next_u64())
                } else {
                    seeds[rng.below(seeds.len())].clone()
                };
                mutate(&mut rng, &mut doc);
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
    println!(
        "{} generated, {} refused with an error",
        tally.ok, tally.errors
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
