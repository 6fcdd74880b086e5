//! Text in generated code: doc comments (texts from the document made safe for rustdoc, lines
//! wrapped), identifiers, and printing a token stream as a formatted file.

use super::code_blocks;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};
use std::borrow::Cow;

/// Doc comment lines are wrapped at this width (the comment marker and indentation come on top).
const WRAP: usize = 92;

/// An identifier token; Rust keywords were already renamed during lowering.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// "a" or "an" before `word` (as written, ignoring a leading backtick or bracket).
pub(crate) fn article(word: &str) -> &'static str {
    let first = word
        .trim_start_matches(['`', '[', '*'])
        .chars()
        .next()
        .unwrap_or('x');
    if "aeiouAEIOU".contains(first) {
        "an"
    } else {
        "a"
    }
}

/// A text from the API document, made safe for rustdoc: brackets that are not a link are
/// escaped (`[3]` is not a link to an item named 3), and bare URLs become autolinks. Code
/// spans are left as they are; code blocks keep their code, and every one becomes a fenced
/// `text` block, never a doctest (see [`code_blocks`]).
///
/// Every text of the document that reaches a doc comment goes through here; whatever reaches
/// one by another way is checked again by [`doc`] and by [`print`].
pub(crate) fn from_document(text: &str) -> String {
    let code = code_blocks::code_lines(text);
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if code.get(i).copied().unwrap_or(false) {
            out.push_str(line);
        } else {
            out.push_str(&escape_line(line));
        }
    }
    match code_blocks::as_text_or(&out, text) {
        Cow::Borrowed(_) => out,
        Cow::Owned(rewritten) => rewritten,
    }
}

/// One line of prose: outside code spans, `[`/`]` escaped unless they open an inline link
/// `[text](url)`, and `http(s)://` URLs not already in a link wrapped in `<...>`.
fn escape_line(line: &str) -> String {
    if !line.contains(['[', ']']) && !line.contains("http") {
        // Nothing to escape, no address to link.
        return line.to_owned();
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let mut in_code = false;
    // Depth of brackets that open inline links, so their `](` closes them unescaped.
    let mut link_depth = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '\\' if i + 1 < chars.len() => {
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '[' if opens_inline_link(&chars, i) => {
                link_depth += 1;
                out.push(c);
            }
            ']' if link_depth > 0 => {
                link_depth -= 1;
                out.push(c);
                // The link's target is copied as it is.
                if chars.get(i + 1) == Some(&'(')
                    && let Some(end) = chars[i + 1..].iter().position(|c| *c == ')')
                {
                    out.extend(&chars[i + 1..=i + 1 + end]);
                    i += end + 2;
                    continue;
                }
            }
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            'h' if starts_url(&chars, i) && !after_link_opening(&chars, i) => {
                let end = (i..chars.len())
                    .find(|&j| chars[j].is_whitespace() || matches!(chars[j], '<' | '>' | '"'))
                    .unwrap_or(chars.len());
                // Punctuation that ends a sentence is not part of the address.
                let mut end_url = end;
                while end_url > i
                    && matches!(chars[end_url - 1], '.' | ',' | ';' | ':' | ')' | '!' | '?')
                {
                    end_url -= 1;
                }
                out.push('<');
                out.extend(&chars[i..end_url]);
                out.push('>');
                out.extend(&chars[end_url..end]);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_url(chars: &[char], i: usize) -> bool {
    let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
    rest.starts_with("http://") || rest.starts_with("https://")
}

/// True when the URL at `i` is already an autolink, `<...>`.
fn after_link_opening(chars: &[char], i: usize) -> bool {
    i > 0 && chars[i - 1] == '<'
}

/// True when the `[` at `i` starts `[text](...)` on this line.
fn opens_inline_link(chars: &[char], i: usize) -> bool {
    let mut depth = 0;
    for j in i..chars.len() {
        match chars[j] {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return chars.get(j + 1) == Some(&'(');
                }
            }
            _ => {}
        }
    }
    false
}

/// The lines of a doc comment for `text`: line ends of every convention, every code block a
/// fenced `text` block (rustdoc would test any other; see [`code_blocks`]), prose wrapped
/// (never code, and never so that a piece of a line starts a code block).
fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    // A lone carriage return is not allowed in a doc comment.
    let text = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let text = code_blocks::as_text(&text);
    let code = code_blocks::code_lines(&text);
    let mut out = Vec::new();
    let mut wrapped = false;
    for (i, line) in text.split('\n').enumerate() {
        let line = line.trim_end();
        if code.get(i).copied().unwrap_or(false) || !wrappable(line) {
            out.push(format!(" {line}"));
            continue;
        }
        let pieces = wrap(line);
        wrapped |= pieces.len() > 1;
        out.extend(pieces.into_iter().map(|l| format!(" {l}")));
    }
    if wrapped && !same_code_blocks(&text, &out) {
        // A piece of a wrapped line would start a code block (a fence, or a list marker
        // before indented code): the lines stay whole.
        return text
            .split('\n')
            .map(|line| format!(" {}", line.trim_end()))
            .collect();
    }
    out
}

/// Whether the doc comment `lines` (wrapped from `text`) holds the same code blocks as `text`,
/// all of them `text` blocks.
fn same_code_blocks(text: &str, lines: &[String]) -> bool {
    let wrapped = lines
        .iter()
        .map(|line| &line[1..])
        .collect::<Vec<_>>()
        .join("\n");
    if !code_blocks::may_hold_code(&wrapped) {
        return true;
    }
    let code = |text: &str| -> Vec<String> {
        text.split('\n')
            .zip(code_blocks::code_lines(text))
            .filter(|(_, code)| *code)
            .map(|(line, _)| line.trim_end().to_owned())
            .collect()
    };
    code(text) == code(&wrapped) && matches!(code_blocks::as_text(&wrapped), Cow::Borrowed(_))
}

/// Prose that may be wrapped: not a heading, a table row or indented code.
fn wrappable(line: &str) -> bool {
    let trimmed = line.trim_start();
    !(line.starts_with("    ")
        || line.starts_with('\t')
        || trimmed.starts_with('#')
        || trimmed.starts_with('|'))
}

/// A line split at spaces so that no piece is longer than [`WRAP`] where it can be helped;
/// the pieces of a list item are indented under its text.
fn wrap(line: &str) -> Vec<String> {
    if line.chars().count() <= WRAP {
        return vec![line.to_owned()];
    }
    let indent_len = line.len() - line.trim_start().len();
    let rest = &line[indent_len..];
    let marker = ["- ", "* ", "+ "]
        .iter()
        .find(|m| rest.starts_with(**m))
        .map(|m| m.len())
        .or_else(|| {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            (digits > 0 && rest[digits..].starts_with(". ")).then_some(digits + 2)
        })
        .unwrap_or(0);
    let continuation = " ".repeat(indent_len + marker);
    let mut out = Vec::new();
    let mut current = String::from(&line[..indent_len + marker]);
    let mut has_word = false;
    for word in line[indent_len + marker..].split(' ') {
        let fits = current.chars().count() + 1 + word.chars().count() <= WRAP;
        if has_word && !fits {
            out.push(current);
            current = continuation.clone();
            has_word = false;
        }
        if has_word {
            current.push(' ');
        }
        current.push_str(word);
        has_word = true;
    }
    out.push(current);
    out
}

/// `#[doc = ...]` attributes for a text written by the generator.
pub(crate) fn doc(text: Option<&str>) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// `#[doc = ...]` attributes for a text from the API document.
pub(crate) fn doc_from_document(text: Option<&str>) -> TokenStream {
    doc(text.map(from_document).as_deref())
}

/// `#![doc = ...]` attributes: the documentation of the enclosing module or crate.
pub(crate) fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(Some(text));
    quote!(#(#![doc = #lines])*)
}

/// A paragraph of a doc comment: written by the generator, or taken from the API document.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Para<'a> {
    Own(Option<&'a str>),
    Document(Option<&'a str>),
}

/// A doc comment made of several optional paragraphs.
pub(crate) fn doc_paragraphs(parts: &[Para<'_>]) -> TokenStream {
    let text: Vec<String> = parts
        .iter()
        .filter_map(|part| match part {
            Para::Own(text) => text.map(str::to_owned),
            Para::Document(text) => text.map(from_document),
        })
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    if text.is_empty() {
        TokenStream::new()
    } else {
        doc(Some(&text.join("\n\n")))
    }
}

/// Prints a token stream of items (and, first, inner attributes) with prettyplease.
///
/// prettyplease prints a file's items one after the other, each ending its line, so printing
/// the items of a file in runs and joining the texts gives the text of the whole file.
///
/// Every doc comment is checked on the way (see [`code_blocks::guard_docs`]): whichever part of
/// the generator wrote it, it holds no code block rustdoc would test but the generator's own
/// included example.
pub(crate) fn print(tokens: TokenStream) -> Result<String, String> {
    let file = parse(tokens)?;
    let printed = prettyplease::unparse(&file);
    if !code_blocks::printed_docs_may_hold_code(&printed) {
        return Ok(printed);
    }
    match code_blocks::guard_docs(&file.into_token_stream()) {
        Some(guarded) => Ok(prettyplease::unparse(&parse(guarded)?)),
        None => Ok(printed),
    }
}

fn parse(tokens: TokenStream) -> Result<syn::File, String> {
    syn::parse2(tokens).map_err(|e| format!("emitted code does not parse: {e}"))
}

/// A file's text: the header comment, then the parts in order.
///
/// Each part was spaced on its own (see [`space`]); where a part's spacing depended on the
/// part before it, it is spaced again knowing it, and the blank line between two parts is
/// decided here, as it would have been in one text.
pub(crate) fn finish(header: &str, parts: Vec<Spaced>) -> String {
    let size: usize = parts.iter().map(|p| p.text.len()).sum();
    let mut out = String::with_capacity(header.len() + 1 + size + 1);
    out.push_str(header);
    out.push('\n');
    let mut state = FILE_START;
    let mut last_line: Option<String> = None;
    for part in parts {
        let part = match part.raw {
            Some(raw) => space(&raw, state),
            None => part,
        };
        if let (Some(last), Some(first)) = (&last_line, part.text.lines().next())
            && blank_between(last, first, &state)
        {
            out.push('\n');
        }
        out.push_str(&part.text);
        for (known, end) in state.iter_mut().zip(part.end) {
            *known = end.or(*known);
        }
        if let Some(line) = part.text.lines().next_back() {
            last_line = Some(line.to_owned());
        }
    }
    out
}

/// The kind of item a line starts, as far as blank lines between items go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Use,
    Mod,
    OneLine,
    Other,
}

/// The kind of the item being printed at each of the two item levels (indent 0 and 4), or
/// `None` where it was set before the text at hand, which is not known.
pub(crate) type Spacer = [Option<Kind>; 2];

/// The state at the start of a file.
pub(crate) const FILE_START: Spacer = [Some(Kind::Other); 2];

/// The state at the start of a part printed after others not seen.
pub(crate) const UNKNOWN: Spacer = [None; 2];

/// Printed code with blank lines between its items.
pub(crate) struct Spaced {
    pub text: String,
    /// The state after its last line: `None` where the code did not set it.
    end: Spacer,
    /// The code as printed, kept when a blank line depended on the state before it.
    raw: Option<String>,
}

/// prettyplease prints items back to back; a blank line between items (top-level ones, and
/// those of an `impl` or module) makes the files, and their diffs, easier to read. Runs of
/// `use`, `mod` or one-line associated items stay together.
///
/// `start` is the state after the code printed before this (`[None; 2]` when it is not known
/// yet: the code is spaced as far as it can be, and kept to be spaced again where it could
/// not). No blank line is decided after the last line: that depends on what follows.
pub(crate) fn space(code: &str, start: Spacer) -> Spaced {
    let mut text = String::with_capacity(code.len() + code.len() / 16);
    let mut current = start;
    let mut guessed = false;
    let mut lines = code.lines().peekable();
    while let Some(line) = lines.next() {
        text.push_str(line);
        text.push('\n');
        let at = indent(line);
        if at != 0 && at != 4 {
            // Inside an item: nothing to decide.
            continue;
        }
        let level = at / 4;
        let closing = line.trim_start().starts_with(['}', ')', ']']);
        if !closing && !line.trim().is_empty() {
            current[level] = Some(kind(line));
        }
        let Some(next) = lines.peek() else {
            continue;
        };
        match decide(line, next, current[level]) {
            Some(true) => text.push('\n'),
            Some(false) => {}
            None => guessed = true,
        }
    }
    Spaced {
        text,
        end: current,
        raw: guessed.then(|| code.to_owned()),
    }
}

/// Whether a blank line goes between the last line of one part and the first of the next,
/// `state` being the state after the first part.
fn blank_between(last: &str, first: &str, state: &Spacer) -> bool {
    let at = indent(last);
    (at == 0 || at == 4) && decide(last, first, state[at / 4]) == Some(true)
}

/// Whether a blank line goes after `line` (at an item level), before `next`, when the item
/// being printed at that level is `current`; `None` when that matters and is not known.
fn decide(line: &str, next: &str, current: Option<Kind>) -> Option<bool> {
    let at = indent(line);
    let next_starts_item =
        !next.trim().is_empty() && indent(next) == at && !next.trim_start().starts_with(['}', ')']);
    if !(next_starts_item && ends_item(line, at)) {
        return Some(false);
    }
    let current = current?;
    Some(!(current == kind(next) && current != Kind::Other))
}

fn kind(line: &str) -> Kind {
    let line = line.trim_start();
    let line = line
        .strip_prefix("pub(crate) ")
        .or_else(|| line.strip_prefix("pub(super) "))
        .or_else(|| line.strip_prefix("pub "))
        .unwrap_or(line);
    if line.starts_with("use ") {
        Kind::Use
    } else if line.starts_with("mod ") {
        Kind::Mod
    } else if (line.starts_with("type ") || line.starts_with("const ")) && line.ends_with(';') {
        Kind::OneLine
    } else {
        Kind::Other
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// An item ends on a line at its own indentation: `}`, `};`, or a one-line item `...;`.
fn ends_item(line: &str, at: usize) -> bool {
    let body = &line[at..];
    indent(line) == at
        && (body == "}"
            || body == "};"
            || (body.ends_with(';') && !body.starts_with(['/', '#']) && !body.starts_with('}')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_lines_split_every_kind_of_line_end() {
        assert_eq!(
            doc_lines(Some("one\r\ntwo\rthree\n\r\n\rfour")),
            [" one", " two", " three", " ", " ", " four"]
        );
        assert!(doc_lines(Some(" \r\n ")).is_empty());
    }

    #[test]
    fn doc_lines_make_every_code_block_text() {
        assert_eq!(
            doc_lines(Some("```\nx\n```\n```rust\ny\n```\n~~~no_run\nz")),
            [
                " ```text", " x", " ```", " ```text", " y", " ```", " ~~~text", " z", " ~~~"
            ]
        );
        assert_eq!(
            doc_lines(Some("Run:\n\n    fn main() {}")),
            [" Run:", " ", " ```text", " fn main() {}", " ```"]
        );
    }

    #[test]
    fn code_is_not_wrapped_and_wrapping_starts_no_code_block() {
        let long = format!("~~~\n{}\n~~~", "word ".repeat(40).trim());
        assert_eq!(doc_lines(Some(&long)).len(), 3);
        // A piece that would start with a fence, or with a list marker before four spaces.
        for hidden in ["```rust fn main() {}", "-     fn main() {}", "> ~~~ rust"] {
            for words in 10..30 {
                let line = format!("{} {hidden}", "word ".repeat(words).trim());
                let text = doc_lines(Some(&line))
                    .iter()
                    .map(|l| &l[1..])
                    .collect::<Vec<_>>()
                    .join("\n");
                assert!(
                    matches!(code_blocks::as_text(&text), Cow::Borrowed(_))
                        && code_blocks::code_lines(&text).is_empty(),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn a_documents_open_fence_ends_before_the_generators_paragraphs() {
        let tokens = doc_paragraphs(&[
            Para::Document(Some("Example:\n\n```rust\nfn main() {}")),
            Para::Own(Some("`GET /runs`")),
        ]);
        let lines: Vec<String> = tokens
            .to_string()
            .split("# [doc = ")
            .skip(1)
            .map(|l| l.trim().trim_end_matches(']').to_owned())
            .collect();
        assert_eq!(
            lines,
            [
                "\" Example:\"",
                "\" \"",
                "\" ```text\"",
                "\" fn main() {}\"",
                "\" ```\"",
                "\" \"",
                "\" `GET /runs`\""
            ]
        );
    }

    #[test]
    fn long_lines_wrap_and_list_items_keep_their_indentation() {
        let long = "word ".repeat(40);
        let lines = doc_lines(Some(long.trim()));
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.len() <= WRAP + 1), "{lines:?}");
        let item = format!("- {}", "item ".repeat(30).trim());
        let lines = doc_lines(Some(&item));
        assert!(lines[0].starts_with(" - item"));
        assert!(lines[1].starts_with("   item"), "{lines:?}");
        let table = format!("| {} |", "cell ".repeat(30));
        assert_eq!(doc_lines(Some(&table)).len(), 1);
    }

    #[test]
    fn document_text_is_escaped_outside_code_and_links() {
        assert_eq!(
            from_document("items[3] and [mr_id]"),
            "items\\[3\\] and \\[mr_id\\]"
        );
        assert_eq!(from_document("see `a[0]`"), "see `a[0]`");
        assert_eq!(
            from_document("[the guide](https://x.io/a_(b)) and https://x.io/c."),
            "[the guide](https://x.io/a_(b)) and <https://x.io/c>."
        );
        assert_eq!(from_document("<https://x.io>"), "<https://x.io>");
        assert_eq!(from_document("```\n[x]\n```"), "```text\n[x]\n```");
        assert_eq!(
            from_document("a[0]\n\n    a[0] = 1;\n\n> ```rust\n> b[1]\n> ```"),
            "a\\[0\\]\n\n```text\na[0] = 1;\n```\n\n> ```text\n> b[1]\n> ```"
        );
        assert_eq!(
            from_document("    [x] after four spaces"),
            "```text\n[x] after four spaces\n```"
        );
        // Four spaces that continue a paragraph are not code.
        assert_eq!(from_document("a\n    b[1]"), "a\n    b\\[1\\]");
        assert_eq!(from_document("already \\[x\\]"), "already \\[x\\]");
    }

    #[test]
    fn code_spaced_in_parts_is_code_spaced_whole() {
        let code = "use a::b;\nuse c::{\n    d,\n};\nmod m;\nmod n;\nstruct X;\n\
                    impl Y {\n    type A = B;\n    type C = D;\n    fn f() {}\n    fn g() {\n        \
                    x();\n    }\n}\nconst K: u8 = 1;\nconst L: u8 = 2;\nuse e::f;\n";
        let whole = finish("// h", vec![space(code, FILE_START)]);
        assert!(whole.contains("use c::{\n    d,\n};\n\nmod m;\nmod n;\n\nstruct X;\n\nimpl Y"));
        let lines: Vec<&str> = code.lines().collect();
        // Every way of cutting the code in two or three parts.
        for a in 0..=lines.len() {
            for b in a..=lines.len() {
                let part = |range: std::ops::Range<usize>| {
                    lines[range]
                        .iter()
                        .map(|l| format!("{l}\n"))
                        .collect::<String>()
                };
                let parts = vec![
                    space(&part(0..a), FILE_START),
                    space(&part(a..b), UNKNOWN),
                    space(&part(b..lines.len()), UNKNOWN),
                ];
                assert_eq!(finish("// h", parts), whole, "cut at {a} and {b}");
            }
        }
    }

    #[test]
    fn articles() {
        assert_eq!(article("ErrorModel"), "an");
        assert_eq!(article("`ErrorModel`"), "an");
        assert_eq!(article("Problem"), "a");
    }
}
