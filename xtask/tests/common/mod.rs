//! Helpers shared by the xtask tests: scratch folders, the one-line failure check, a local HTTP
//! server.

// Each test file uses the helpers it needs.
#![allow(dead_code)]

pub mod http;

use std::path::{Path, PathBuf};
use std::process::Output;

/// An empty folder for one test, unique to this test run.
pub fn scratch(prefix: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apigen-{prefix}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The single stderr line of a run that must fail: exit code 1, no panic, and nothing written
/// to `out`.
pub fn one_line_failure(output: Output, out: &Path) -> String {
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {stderr}");
    assert!(!out.exists(), "nothing is written on error");
    lines[0].to_owned()
}
