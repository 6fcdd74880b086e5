//! A document cannot run code through doctests: the crate generated from
//! `codegen/tests/fixtures/doc_blocks.yaml`, whose descriptions hide Rust programs in code blocks
//! of every kind, runs only the generator's own doctests, and its rendered docs show the hidden
//! programs as text.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fixture crate, kept under `codegen/tests/output/doc_blocks/` by `cargo xtask regen`.
const CRATE: &str = "fixture-doc_blocks";

/// The doctests the generator writes in a crate: the quickstart example of the crate docs
/// (`no_run`: compiled, not run).
const GENERATOR_DOCTESTS: usize = 1;

/// What a hidden program writes if it runs.
const RAN: &str = "/tmp/apigen-doc-block-ran";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn cargo(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo {} failed:\n{}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The message of each `compile_error!` the fixture hides, `doc block compiled: ...`.
fn hidden_messages() -> Vec<String> {
    let fixture =
        std::fs::read_to_string(root().join("codegen/tests/fixtures/doc_blocks.yaml")).unwrap();
    let mut out: Vec<String> = fixture
        .match_indices("doc block compiled: ")
        .map(|(at, _)| {
            let rest = &fixture[at..];
            rest[..rest.find(['"', '\\']).unwrap()].to_owned()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn the_doctests_that_run_are_only_the_generators_own() {
    let _ = std::fs::remove_file(RAN);
    let output = cargo(&["test", "--doc", "-p", CRATE]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let tests: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("test ") && !line.starts_with("test result"))
        .collect();
    assert_eq!(tests.len(), GENERATOR_DOCTESTS, "{stdout}");
    assert!(
        tests
            .iter()
            .all(|t| t.contains("doc_blocks/src/lib.rs") && t.ends_with("- compile ... ok")),
        "{stdout}"
    );
    let summary = stdout
        .lines()
        .find(|line| line.starts_with("test result:"))
        .unwrap_or_default();
    assert!(
        summary.starts_with(&format!(
            "test result: ok. {GENERATOR_DOCTESTS} passed; 0 failed; 0 ignored;"
        )),
        "{stdout}"
    );
    assert!(!Path::new(RAN).exists(), "a hidden program ran");
}

/// The text of each `<pre class="...">` block of an HTML page, by class.
fn pre_blocks(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (at, _) in html.match_indices("<pre class=\"") {
        let rest = &html[at + "<pre class=\"".len()..];
        let class = &rest[..rest.find('"').unwrap()];
        let body = &rest[..rest.find("</pre>").unwrap()];
        out.push((class.to_owned(), body.to_owned()));
    }
    out
}

#[test]
fn the_rendered_docs_show_the_hidden_code_as_text() {
    cargo(&["doc", "--no-deps", "-p", CRATE]);
    let metadata = cargo(&["metadata", "--format-version", "1", "--no-deps"]);
    let metadata: Value = serde_json::from_slice(&metadata.stdout).unwrap();
    let docs = PathBuf::from(metadata["target_directory"].as_str().unwrap())
        .join("doc")
        .join(CRATE.replace('-', "_"));
    let mut pages = vec![docs];
    let mut blocks = Vec::new();
    let mut all = String::new();
    while let Some(path) = pages.pop() {
        if path.is_dir() {
            pages.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).unwrap();
            blocks.extend(pre_blocks(&html));
            all.push_str(&html);
        }
    }
    // Item declarations (`rust item-decl`, the value of `API_VERSION`) are code, not docs.
    blocks.retain(|(class, _)| !class.contains("item-decl"));
    for (class, body) in &blocks {
        if body.contains("doc block") || body.contains("apigen-doc-block-ran") {
            assert_eq!(class, "language-text", "{body}");
        }
    }
    let in_text_blocks: String = blocks
        .iter()
        .filter(|(class, _)| class == "language-text")
        .map(|(_, body)| body.as_str())
        .collect();
    // Two texts are one line and stay inline code: the summary, and a required parameter's
    // description in the list of the method's arguments.
    let inline = [
        "doc block compiled: summary",
        "doc block compiled: path parameter",
    ];
    let messages = hidden_messages();
    assert!(messages.len() > 15, "{messages:?}");
    for message in &messages {
        if inline.contains(&message.as_str()) {
            assert!(
                all.contains(message.as_str()),
                "{message} is not in the docs"
            );
        } else {
            assert!(
                in_text_blocks.contains(message.as_str()),
                "{message} is not in a text block of the docs"
            );
        }
    }
    for program in [
        "&quot;should_panic&quot;",
        "&quot;enum&quot;",
        "&quot;info&quot;",
    ] {
        assert!(in_text_blocks.contains(program), "{program}");
    }
}
