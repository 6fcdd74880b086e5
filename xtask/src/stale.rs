//! How a stale generated file is shown: a short unified diff, capped, saying how much was cut.

use similar::TextDiff;

/// Diff lines shown per file before the rest is cut.
pub const MAX_LINES: usize = 40;

/// The unified diff from the file as it is (`current`, `None` when missing) to what the
/// generator writes now, at most `max_lines` lines, then a line counting the lines cut.
pub fn unified_diff(
    path: &str,
    current: Option<&str>,
    generated: &str,
    max_lines: usize,
) -> String {
    let old = current.unwrap_or("");
    let diff = TextDiff::from_lines(old, generated);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut shown: Vec<String> = lines
        .iter()
        .take(max_lines)
        .map(|line| (*line).to_owned())
        .collect();
    if lines.len() > max_lines {
        shown.push(format!(
            "... {} more diff lines cut",
            lines.len() - max_lines
        ));
    }
    shown.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_change_is_shown_whole() {
        let diff = unified_diff("a.rs", Some("one\ntwo\nthree\n"), "one\n2\nthree\n", 40);
        assert_eq!(
            diff,
            "--- a/a.rs\n+++ b/a.rs\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three"
        );
    }

    #[test]
    fn a_long_diff_is_cut_and_says_how_much() {
        let new: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let diff = unified_diff("b.rs", None, &new, 10);
        let lines: Vec<&str> = diff.lines().collect();
        assert_eq!(lines.len(), 11);
        assert_eq!(lines[10], "... 93 more diff lines cut");
    }
}
