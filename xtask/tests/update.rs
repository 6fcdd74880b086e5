//! `cargo xtask update` against a local server: docs pages give their embedded document byte for
//! byte; a new document is written, hashed, dated, versioned and regenerated; every failure
//! leaves the spec and the crate as they were.

use apigen_codegen::config::sha256_hex;
use common::http::{Answer, Server};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use xtask::fetch::{Limits, document_in};
use xtask::update::{UpdateOptions, update};

mod common;

fn page(api: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/pages/{api}.md"));
    std::fs::read(path).unwrap()
}

/// A scratch repository holding `specs/<api>/` and `generated/<api>/` of the workspace, its
/// source URL pointed at `url`.
fn workspace_with(name: &str, api: &str, url: &str) -> PathBuf {
    let root = common::scratch("update", name);
    let real = xtask::workspace_root();
    for dir in [format!("specs/{api}"), format!("generated/{api}")] {
        xtask::scratch::copy_dir(&real.join(&dir), &root.join(&dir)).unwrap();
    }
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let settings = root.join(format!("specs/{api}/codegen.toml"));
    let text = std::fs::read_to_string(&settings).unwrap();
    let start = text.find("url = \"").unwrap() + 7;
    let end = start + text[start..].find('"').unwrap();
    std::fs::write(
        &settings,
        format!("{}{url}{}", &text[..start], &text[end..]),
    )
    .unwrap();
    root
}

/// Every file under the API's spec and crate folders, with its bytes.
fn snapshot(root: &Path, api: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![
        root.join("specs").join(api),
        root.join("generated").join(api),
    ];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn options() -> UpdateOptions {
    UpdateOptions {
        limits: Limits {
            timeout: Duration::from_secs(10),
            ..Limits::default()
        },
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    }
}

#[test]
fn each_docs_page_gives_the_vendored_document_byte_for_byte() {
    let root = xtask::workspace_root();
    // Dify's crate follows the vendor's full JSON document, taken as it comes.
    let dify = std::fs::read(root.join("specs/dify/openapi.json")).unwrap();
    assert_eq!(document_in("openapi_service.json", &dify).unwrap(), dify);
    for api in ["tamtam", "juo"] {
        let document = document_in("page", &page(api)).unwrap();
        let vendored = std::fs::read(root.join(format!("specs/{api}/openapi.yaml"))).unwrap();
        assert_eq!(document, vendored, "{api}");
        let settings =
            std::fs::read_to_string(root.join(format!("specs/{api}/codegen.toml"))).unwrap();
        assert!(settings.contains(&sha256_hex(&document)), "{api}");
    }
}

#[test]
fn the_same_document_again_changes_nothing() {
    let server = Server::start();
    server.route("/juo.md", Answer::Body(200, page("juo")));
    let root = workspace_with("same", "juo", &server.url("/juo.md"));
    let before = snapshot(&root, "juo");

    let updated = update(&root, "juo", &options()).unwrap();

    assert!(!updated.changed);
    assert_eq!(snapshot(&root, "juo"), before);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_new_document_is_written_hashed_dated_versioned_and_regenerated() {
    let server = Server::start();
    // The vendor drops the `cancelled` status and adds a `note` to runs.
    let changed = String::from_utf8(page("juo"))
        .unwrap()
        .replace("            - cancelled\n", "")
        .replace(
            "        runVersion:\n          type: number\n",
            "        runVersion:\n          type: number\n        note:\n          type: string\n",
        );
    server.route("/juo.md", Answer::Body(200, changed.clone().into_bytes()));
    let root = workspace_with("new", "juo", &server.url("/juo.md"));

    let updated = update(&root, "juo", &options()).unwrap();

    assert!(updated.changed);
    let expected = document_in("page", changed.as_bytes()).unwrap();
    let written = std::fs::read(root.join("specs/juo/openapi.yaml")).unwrap();
    assert_eq!(written, expected, "the block, byte for byte");
    let settings = std::fs::read_to_string(root.join("specs/juo/codegen.toml")).unwrap();
    assert!(
        settings.contains(&format!("sha256 = \"{}\"", sha256_hex(&expected))),
        "{settings}"
    );
    assert!(settings.contains("taken = 2026-12-01"), "{settings}");
    assert!(
        settings.contains("# The docs page embeds the vendor's document"),
        "comments are kept: {settings}"
    );
    // Removing a value breaks callers: 0.1.0 becomes 0.2.0.
    assert_eq!(
        updated.version_raised,
        Some(("0.1.0".parse().unwrap(), "0.2.0".parse().unwrap()))
    );
    assert!(
        settings.ends_with("[crate]\nversion = \"0.2.0\"\n"),
        "{settings}"
    );
    let manifest = std::fs::read_to_string(root.join("generated/juo/Cargo.toml")).unwrap();
    assert!(manifest.contains("version = \"0.2.0\""), "{manifest}");
    let types = std::fs::read_to_string(root.join("generated/juo/src/types.rs")).unwrap();
    assert!(types.contains("pub note: Option<String>"), "regenerated");
    assert!(
        updated
            .written
            .contains(&"generated/juo/src/types.rs (differs)".to_owned())
    );
    let report = xtask::changes::markdown(&updated.report);
    assert!(
        report.contains("| breaking | `WorkflowRunStateStatus::Cancelled` | value removed |"),
        "{report}"
    );
    assert!(
        report
            .contains("| addition | `WorkflowRunState.note` | new field `note: Option<String>` |"),
        "{report}"
    );
    // The spec is then fresh: nothing left to regenerate.
    let check = xtask::regen(&root, &[], xtask::Mode::Check).unwrap();
    assert!(check.changed.is_empty(), "{:?}", check.changed);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_hand_written_spec_has_nothing_to_fetch() {
    let root = common::scratch("update", "hand");
    let real = xtask::workspace_root();
    xtask::scratch::copy_dir(&real.join("specs/hardwire"), &root.join("specs/hardwire")).unwrap();

    let err = update(&root, "hardwire", &options()).unwrap_err();

    assert!(
        err.starts_with("specs/hardwire/codegen.toml: #/source: specs/hardwire/openapi.yaml is written by hand (HardWire's docs pages"),
        "{err}"
    );
    assert!(
        err.ends_with("there is nothing to fetch; edit it and run `cargo xtask regen hardwire`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// Runs an update against a server answering `/doc` as given, with `limits`, and checks it
/// fails, saying `expected`, and leaves everything as it was.
fn fails_untouched(name: &str, answers: &[(&str, Answer)], limits: Limits, expected: &str) {
    let server = Server::start();
    for (path, answer) in answers {
        let answer = match answer {
            Answer::Redirect(to) => Answer::Redirect(to.replace("{base}", &server.base)),
            other => other.clone(),
        };
        server.route(path, answer);
    }
    let root = workspace_with(name, "juo", &server.url("/doc"));
    let before = snapshot(&root, "juo");
    let options = UpdateOptions {
        limits,
        ..options()
    };

    let err = update(&root, "juo", &options).unwrap_err();

    assert!(err.contains(expected), "{name}: {err}");
    assert!(!err.contains('\n'), "{name}: one line: {err}");
    assert_eq!(snapshot(&root, "juo"), before, "{name}: nothing written");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_failed_fetch_leaves_the_spec_and_the_crate_untouched() {
    let limits = options().limits;
    fails_untouched(
        "missing",
        &[],
        limits.clone(),
        "the server answered 404 Not Found",
    );
    fails_untouched(
        "html",
        &[("/doc", Answer::Body(200, b"<html>moved</html>".to_vec()))],
        limits.clone(),
        "expected a JSON or YAML document, or a page with a fenced yaml block holding one",
    );
    fails_untouched(
        "large",
        &[("/doc", Answer::Body(200, page("juo")))],
        Limits {
            max_bytes: 1024,
            ..limits.clone()
        },
        "the document is larger than 1024 bytes",
    );
    fails_untouched(
        "silent",
        &[("/doc", Answer::Silence)],
        Limits {
            timeout: Duration::from_millis(300),
            ..limits.clone()
        },
        "no answer within 0.3s",
    );
}

#[test]
fn a_document_that_no_longer_generates_leaves_everything_untouched() {
    let limits = options().limits;
    fails_untouched(
        "broken",
        &[(
            "/doc",
            Answer::Body(
                200,
                b"openapi: 3.1.0\ninfo: [not, an, object]\npaths: {}\n".to_vec(),
            ),
        )],
        limits.clone(),
        "the fetched document does not generate: ",
    );
    // Loads, but the project's overlay no longer finds its target.
    fails_untouched(
        "overlay",
        &[(
            "/doc",
            Answer::Body(
                200,
                b"openapi: 3.1.0\ninfo: {title: Juo, version: '1'}\npaths: {}\n".to_vec(),
            ),
        )],
        limits,
        "01-operation-name.yaml",
    );
}

#[test]
fn redirects_stay_on_the_host() {
    let limits = options().limits;
    // Another host (localhost is not 127.0.0.1 by name) is refused.
    fails_untouched(
        "elsewhere",
        &[(
            "/doc",
            Answer::Redirect("http://localhost:1/doc".to_owned()),
        )],
        limits,
        "refused a redirect to http://localhost:1/doc: another host",
    );
    // Within the host, a redirect is followed.
    let server = Server::start();
    server.route("/old", Answer::Redirect(server.url("/juo.md")));
    server.route("/juo.md", Answer::Body(200, page("juo")));
    let root = workspace_with("moved", "juo", &server.url("/old"));
    let updated = update(&root, "juo", &options()).unwrap();
    assert!(!updated.changed);
    assert_eq!(*server.received.lock().unwrap(), ["/old", "/juo.md"]);
    let _ = std::fs::remove_dir_all(&root);
}
