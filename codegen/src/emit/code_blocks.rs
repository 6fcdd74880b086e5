//! Code blocks in doc comments made plain text: a code block in a generated doc comment would
//! be a doctest, which `cargo test` compiles and runs, so every code block that does not come
//! from the generator itself is rewritten as a fenced `text` block, whatever its fence, info
//! string, indentation or container, and the result is read again to prove it.
//!
//! Code blocks are found with pulldown-cmark, the parser rustdoc finds doctests with, read the
//! way rustdoc reads doc comments.

use proc_macro2::{Delimiter, Group, Literal, Span, TokenStream, TokenTree};
use quote::quote;
use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// The options rustdoc reads doc comments with (`main_body_opts` in rustdoc's markdown module).
fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The readings a rewritten text is checked against: rustdoc's; plain CommonMark; and one with
/// the extensions that change where blocks are (older footnotes, definition lists, GitHub's
/// block quote tags), so that a rustdoc with another parser version or other options finds no
/// other code block either.
fn readings() -> [Options; 3] {
    [
        rustdoc_options(),
        Options::empty(),
        rustdoc_options()
            | Options::ENABLE_OLD_FOOTNOTES
            | Options::ENABLE_DEFINITION_LIST
            | Options::ENABLE_GFM,
    ]
}

/// Whether `text` may hold a code block at all: one needs a fence (three backticks or tildes)
/// or an indentation of four columns (spaces or a tab). Most texts hold neither and are not
/// parsed.
pub(crate) fn may_hold_code(text: &str) -> bool {
    text.contains("```") || text.contains("~~~") || text.contains("    ") || text.contains('\t')
}

/// A code block as a reading of a text finds it.
struct Block {
    /// From the first fence character (or, indented, the first character of code) to the end
    /// of the closing fence (or of the last line of code).
    range: Range<usize>,
    /// The info string of a fenced block; `None` for an indented one.
    info: Option<String>,
    /// The code, as rustdoc would see it.
    code: String,
    /// Where the code ends in the text (the end of the opening line when there is none).
    code_end: Option<usize>,
}

impl Block {
    /// A `text` block, or one whose code is exactly `exempt`: nothing rustdoc would test.
    fn is_allowed(&self, exempt: Option<&str>) -> bool {
        self.info.as_deref() == Some("text")
            || exempt.is_some_and(|line| self.code.strip_suffix('\n') == Some(line))
    }
}

fn blocks(text: &str, options: Options) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                current = Some(Block {
                    range,
                    info: match kind {
                        CodeBlockKind::Fenced(info) => Some(info.into_string()),
                        CodeBlockKind::Indented => None,
                    },
                    code: String::new(),
                    code_end: None,
                });
            }
            Event::Text(code) => {
                if let Some(block) = &mut current {
                    block.code.push_str(&code);
                    block.code_end = Some(range.end);
                }
            }
            Event::End(TagEnd::CodeBlock) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

/// The lines of `text` (split at `\n`) that belong to a code block as rustdoc reads it: they
/// are neither escaped nor wrapped. Empty when the text holds no code block.
pub(crate) fn code_lines(text: &str) -> Vec<bool> {
    if !may_hold_code(text) {
        return Vec::new();
    }
    let found = blocks(text, rustdoc_options());
    if found.is_empty() {
        return Vec::new();
    }
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
    let mut lines = vec![false; starts.len()];
    for block in found {
        let last = line_of(block.range.end.saturating_sub(1).max(block.range.start));
        for flag in &mut lines[line_of(block.range.start)..=last] {
            *flag = true;
        }
    }
    lines
}

/// `text` with every code block a fenced `text` block: unchanged when it has none that is not
/// already one; else rewritten (see [`rewrite`]), or, when the rewritten text still holds
/// another code block, all of it in one `text` block.
pub(crate) fn as_text(text: &str) -> Cow<'_, str> {
    as_text_or(text, text)
}

/// Like [`as_text`], but when the rewriting fails it is `whole` (the text before it was
/// escaped, say) that becomes one `text` block.
pub(crate) fn as_text_or<'a>(text: &'a str, whole: &str) -> Cow<'a, str> {
    if is_plain(text, None) {
        return Cow::Borrowed(text);
    }
    match rewrite(text, None) {
        Some(rewritten) => Cow::Owned(rewritten),
        None => Cow::Owned(one_block(whole)),
    }
}

/// True when no reading of `text` finds a code block that rustdoc would test, and rustdoc's
/// finds none left open.
fn is_plain(text: &str, exempt: Option<&str>) -> bool {
    if !may_hold_code(text) {
        return true;
    }
    readings().into_iter().enumerate().all(|(i, options)| {
        blocks(text, options).iter().all(|block| {
            block.is_allowed(exempt) && (i > 0 || block.info.is_none() || is_closed(text, block))
        })
    })
}

/// `text` with each code block rustdoc finds made a fenced `text` block, the rest as it was;
/// `None` when the result does not pass [`is_plain`]. Blocks whose code is exactly `exempt`
/// are left as they are.
///
/// A fenced block keeps its fences and gets `text` for its info string, and a closing fence
/// when it had none (so that it does not run on into what is written after it). An indented
/// block becomes a fenced one at the same place, under the same block quote markers or list
/// indentation.
fn rewrite(text: &str, exempt: Option<&str>) -> Option<String> {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for block in blocks(text, rustdoc_options()) {
        if block.is_allowed(exempt) && block.info.is_some() && is_closed(text, &block) {
            continue;
        }
        if block.info.is_some() {
            edits.extend(fenced(text, &block)?);
        } else {
            edits.push(indented(text, &block)?);
        }
    }
    let mut out = String::with_capacity(text.len() + 16 * edits.len());
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            return None;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    is_plain(&out, exempt).then_some(out)
}

/// The fence a fenced block opens with: its character and length.
fn opening_fence(text: &str, block: &Block) -> Option<(char, usize)> {
    let rest = &text[block.range.start..];
    let c = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = rest.len() - rest.trim_start_matches(c).len();
    (len >= 3).then_some((c, len))
}

/// Whether a fenced block has its closing fence: something after its code is one.
fn is_closed(text: &str, block: &Block) -> bool {
    let Some((c, _)) = opening_fence(text, block) else {
        return false;
    };
    let opening_end = line_end(text, block.range.start);
    let code_end = block
        .code_end
        .unwrap_or((opening_end + 1).min(block.range.end));
    text.get(code_end.max(opening_end)..block.range.end)
        .is_some_and(|after| after.contains(c))
}

/// The edits that make a fenced block a closed `text` block: its info string replaced, and a
/// closing fence added when it has none.
fn fenced(text: &str, block: &Block) -> Option<Vec<(Range<usize>, String)>> {
    let (c, len) = opening_fence(text, block)?;
    let mut edits = Vec::new();
    let info_start = block.range.start + len;
    let mut info_end = line_end(text, block.range.start);
    if text[..info_end].ends_with('\r') {
        info_end -= 1;
    }
    if block.info.as_deref() != Some("text") {
        edits.push((info_start..info_end, "text".to_owned()));
    }
    if !is_closed(text, block) {
        let prefix = continuation(&text[line_start(text, block.range.start)..block.range.start]);
        let fence: String = std::iter::repeat_n(c, len).collect();
        let end = block.range.end;
        let closing = if text[..end].ends_with('\n') {
            format!("{prefix}{fence}\n")
        } else {
            format!("\n{prefix}{fence}")
        };
        edits.push((end..end, closing));
    }
    Some(edits)
}

/// The edit that makes an indented block a fenced `text` block in the same container.
fn indented(text: &str, block: &Block) -> Option<(Range<usize>, String)> {
    let start = line_start(text, block.range.start);
    let first = without_code_indent(&text[start..block.range.start])?;
    let rest = continuation(&first);
    let fence = "`".repeat(longest_run(&block.code, '`').max(2) + 1);
    let mut out = format!("{first}{fence}text\n");
    for line in block.code.lines() {
        if line.trim().is_empty() {
            out.push_str(rest.trim_end());
        } else {
            out.push_str(&rest);
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str(&rest);
    out.push_str(&fence);
    if text[..block.range.end].ends_with('\n') {
        out.push('\n');
    }
    Some((start..block.range.end, out))
}

/// The start of the line `offset` is on.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line `offset` is on, before its `\n`.
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |i| offset + i)
}

/// What starts the next lines of a block whose first line starts with `prefix` (block quote
/// markers, list markers, indentation): the list markers become spaces.
fn continuation(prefix: &str) -> String {
    prefix
        .chars()
        .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
        .collect()
}

/// The start of an indented block's first line without the four columns that make it code
/// (tabs counted to the next multiple of four); `None` if they are not there.
fn without_code_indent(lead: &str) -> Option<String> {
    let kept = lead.trim_end_matches([' ', '\t']);
    let column = |text: &str| {
        text.chars().fold(0usize, |col, c| {
            if c == '\t' {
                col + 4 - col % 4
            } else {
                col + 1
            }
        })
    };
    let from = column(kept);
    let to = column(lead);
    let spaces = to.checked_sub(from)?.checked_sub(4)?;
    Some(format!("{kept}{}", " ".repeat(spaces)))
}

/// The length of the longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c)
        .map(|run| run.len() / c.len_utf8())
        .max()
        .unwrap_or(0)
}

/// All of `text` as one `text` block, its fence longer than any run of backticks in it, so
/// that nothing in it can close it.
pub(crate) fn one_block(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    format!("{fence}text\n{text}{newline}{fence}")
}

/// A line that stands for a doc attribute whose value is not a literal (the crate docs'
/// `include_str!` of the quickstart): a code block holding only it is the generator's own.
const OPAQUE: &str = "\u{7f}apigen: a doc attribute that is not a string literal\u{7f}";

/// Every doc comment of a file's items, as rustdoc will read it, checked: one that holds a code
/// block rustdoc would test (other than one holding only an attribute that is not a string
/// literal, which only the generator writes) is written again with every such block made
/// text. Doc comments reach here from every part of the generator, whether or not they went
/// through [`super::text::doc`]. `None` when none needed it.
pub(crate) fn guard_docs(tokens: &TokenStream) -> Option<TokenStream> {
    guard_stream(tokens)
}

/// Whether a printed file may have a doc comment that holds a code block: a `///` or `//!`
/// line with a fence, four spaces in a row or a tab, or a doc comment printed in another form
/// (a block comment, or a `doc` attribute; prettyplease starts a line with each). Files
/// without are not checked further. One pass, as cheap as a look at each line can be.
pub(crate) fn printed_docs_may_hold_code(printed: &str) -> bool {
    printed.lines().any(|line| {
        let line = line.trim_start();
        match line
            .strip_prefix("///")
            .or_else(|| line.strip_prefix("//!"))
        {
            Some(doc) => line_may_hold_code(doc),
            None => ["/**", "/*!", "#[doc", "#![doc"]
                .iter()
                .any(|form| line.starts_with(form)),
        }
    })
}

/// [`may_hold_code`] for one line, in one pass over its bytes.
fn line_may_hold_code(line: &str) -> bool {
    let (mut last, mut run) = (0u8, 0);
    for byte in line.bytes() {
        if byte == b'\t' {
            return true;
        }
        run = if byte == last { run + 1 } else { 1 };
        last = byte;
        match byte {
            b'`' | b'~' if run == 3 => return true,
            b' ' if run == 4 => return true,
            _ => {}
        }
    }
    false
}

/// One attribute: `#`, `!` for an inner one, and its bracketed group.
struct Attribute {
    tokens: Vec<TokenTree>,
    inner: bool,
    doc: Option<Doc>,
}

enum Doc {
    /// A string literal, and whether its text (as written in the source) may hold code.
    Literal(Literal, bool),
    Opaque,
}

/// `stream` with its doc comments, and those of every group in it, checked; `None` when
/// nothing changed.
fn guard_stream(stream: &TokenStream) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = stream.clone().into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut changed = false;
    let mut i = 0;
    while i < trees.len() {
        let mut run = Vec::new();
        while let Some((attribute, next)) = attribute_at(&trees, i) {
            if run
                .last()
                .is_some_and(|last: &Attribute| last.inner != attribute.inner)
            {
                break;
            }
            run.push(attribute);
            i = next;
        }
        if !run.is_empty() {
            match guard_run(&run) {
                Some(tokens) => {
                    changed = true;
                    out.extend(tokens);
                }
                None => out.extend(run.into_iter().flat_map(|a| a.tokens)),
            }
            continue;
        }
        match &trees[i] {
            TokenTree::Group(group) => match guard_stream(&group.stream()) {
                Some(inner) => {
                    changed = true;
                    let mut new = Group::new(group.delimiter(), inner);
                    new.set_span(group.span());
                    out.push(TokenTree::Group(new));
                }
                None => out.push(trees[i].clone()),
            },
            tree => out.push(tree.clone()),
        }
        i += 1;
    }
    changed.then(|| out.into_iter().collect())
}

/// The attribute that starts at `trees[i]`, and the index after it.
fn attribute_at(trees: &[TokenTree], i: usize) -> Option<(Attribute, usize)> {
    let TokenTree::Punct(hash) = trees.get(i)? else {
        return None;
    };
    if hash.as_char() != '#' {
        return None;
    }
    let inner = matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
    let at = if inner { i + 2 } else { i + 1 };
    let TokenTree::Group(group) = trees.get(at)? else {
        return None;
    };
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    let content: Vec<TokenTree> = group.stream().into_iter().collect();
    let doc = match content.as_slice() {
        [TokenTree::Ident(name), TokenTree::Punct(eq), value @ ..]
            if name == "doc" && eq.as_char() == '=' =>
        {
            Some(match value {
                [TokenTree::Literal(literal)] => {
                    let source = literal.to_string();
                    // An escaped tab, `\t`, is a tab in the text.
                    let code = may_hold_code(&source) || source.contains("\\t");
                    Doc::Literal(literal.clone(), code)
                }
                _ => Doc::Opaque,
            })
        }
        _ => None,
    };
    Some((
        Attribute {
            tokens: trees[i..=at].to_vec(),
            inner,
            doc,
        },
        at + 1,
    ))
}

/// The attributes of a run written again when its doc comment holds a code block rustdoc
/// would test; `None` when it holds none.
fn guard_run(run: &[Attribute]) -> Option<Vec<TokenTree>> {
    if !run
        .iter()
        .any(|a| matches!(a.doc, Some(Doc::Literal(_, true))))
    {
        return None;
    }
    // The text of each doc attribute: `None` for one that is not a string literal.
    let texts: Vec<Option<String>> = run
        .iter()
        .filter_map(|a| match &a.doc {
            Some(Doc::Literal(literal, _)) => Some(
                syn::parse2::<syn::LitStr>(TokenTree::Literal(literal.clone()).into())
                    .ok()
                    .map(|s| s.value()),
            ),
            Some(Doc::Opaque) => Some(None),
            None => None,
        })
        .collect();
    let literals = || texts.iter().flatten().map(String::as_str);
    // rustdoc joins the doc attributes one per line and takes off the indentation all their
    // lines share (the space after `///`).
    let indent = literals()
        .flat_map(str::lines)
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut lines: Vec<&str> = Vec::new();
    for text in &texts {
        match text {
            Some(text) => lines.extend(text.split('\n').map(|line| {
                let blank = line.trim().is_empty();
                if blank { "" } else { &line[indent..] }
            })),
            None => lines.push(OPAQUE),
        }
    }
    let text = lines.join("\n");
    let exempt = (!literals().any(|l| l.contains(OPAQUE))).then_some(OPAQUE);
    if is_plain(&text, exempt) {
        return None;
    }
    let safe = rewrite(&text, exempt).unwrap_or_else(|| one_block(&text));
    let mut opaque = run
        .iter()
        .filter(|a| a.doc.is_some())
        .zip(&texts)
        .filter(|(_, text)| text.is_none())
        .map(|(a, _)| a);
    let inner = run[0].inner;
    let mut out: Vec<TokenTree> = Vec::new();
    for line in safe.split('\n') {
        if line == OPAQUE
            && let Some(attribute) = opaque.next()
        {
            out.extend(attribute.tokens.iter().cloned());
            continue;
        }
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        let attribute = if inner {
            quote!(#![doc = #line])
        } else {
            quote!(#[doc = #line])
        };
        out.extend(attribute.into_iter().map(|mut tree| {
            tree.set_span(Span::call_site());
            tree
        }));
    }
    // An opaque attribute the rewriting lost (it was put in one block) is kept all the same.
    for attribute in opaque {
        out.extend(attribute.tokens.iter().cloned());
    }
    for attribute in run.iter().filter(|a| a.doc.is_none()) {
        out.extend(attribute.tokens.iter().cloned());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reading of `text` finds only `text` blocks, all closed.
    fn assert_plain(text: &str) {
        assert!(is_plain(text, None), "a code block left in:\n{text}");
        for options in readings() {
            for block in blocks(text, options) {
                assert_eq!(block.info.as_deref(), Some("text"), "{text}");
            }
        }
    }

    /// The code of the blocks rustdoc finds.
    fn codes(text: &str) -> Vec<String> {
        blocks(text, rustdoc_options())
            .into_iter()
            .map(|b| b.code)
            .collect()
    }

    const CODE: &str = "compile_error!(\"doc block compiled\");";

    #[test]
    fn every_info_string_becomes_text() {
        for info in [
            "rust",
            "ignore",
            "no_run",
            "should_panic",
            "compile_fail",
            "edition2021",
            "{.rust}",
            "rust,ignore",
            "",
            " rust",
            "   rust  ",
            "rust ignore",
            "json",
            "text,rust",
        ] {
            for fence in ["```", "~~~", "````", "~~~~~"] {
                let text = format!("Before.\n\n{fence}{info}\n{CODE}\n{fence}\n\nAfter.");
                let out = as_text(&text);
                assert_eq!(
                    out,
                    format!("Before.\n\n{fence}text\n{CODE}\n{fence}\n\nAfter."),
                    "{info:?} {fence}"
                );
                assert_plain(&out);
            }
        }
    }

    #[test]
    fn fences_indented_up_to_three_spaces() {
        for indent in ["", " ", "  ", "   "] {
            let text = format!("{indent}```rust\n{indent}{CODE}\n{indent}```");
            let out = as_text(&text);
            assert_eq!(out, format!("{indent}```text\n{indent}{CODE}\n{indent}```"));
            assert_plain(&out);
        }
    }

    #[test]
    fn texts_without_code_blocks_are_unchanged() {
        for text in [
            "Plain words.",
            "A `code span` and ``two ``` ticks`` inline, ~~struck~~.",
            "- a list\n  - nested\n\n> a quote",
            "a table | b\n--- | ---\n1 | 2",
            "Windows\r\nline ends",
            "```text\nalready text\n```",
            "> ~~~text\n> quoted text\n> ~~~",
            "  ````text\n  ```rust\n  inside\n  ````",
        ] {
            assert!(
                matches!(as_text(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn blocks_in_lists_and_block_quotes() {
        let cases = [
            (
                "- item\n\n  ```rust\n  x\n  ```\n- next",
                "- item\n\n  ```text\n  x\n  ```\n- next",
            ),
            ("- ```rust\n  x\n  ```", "- ```text\n  x\n  ```"),
            ("1. ``` rust\n   x\n   ```", "1. ```text\n   x\n   ```"),
            (
                "> ```should_panic\n> x\n> ```\n\nafter",
                "> ```text\n> x\n> ```\n\nafter",
            ),
            (
                "> - ~~~ignore\n>   x\n>   ~~~",
                "> - ~~~text\n>   x\n>   ~~~",
            ),
            (
                "- > ```rust,ignore\n  > x\n  > ```",
                "- > ```text\n  > x\n  > ```",
            ),
        ];
        for (text, expected) in cases {
            let out = as_text(text);
            assert_eq!(out, expected);
            assert_plain(&out);
            assert_eq!(codes(&out), ["x\n"]);
        }
    }

    #[test]
    fn unclosed_fences_are_closed() {
        let cases = [
            ("```rust\nfn main() {}", "```text\nfn main() {}\n```"),
            ("```rust\nfn main() {}\n", "```text\nfn main() {}\n```\n"),
            ("~~~~\nx", "~~~~text\nx\n~~~~"),
            ("```rust", "```text\n```"),
            ("- ```rust\n  x\n", "- ```text\n  x\n  ```\n"),
            ("> ```\n> x\n\nafter", "> ```text\n> x\n> ```\n\nafter"),
            ("1. ````\n   x", "1. ````text\n   x\n   ````"),
        ];
        for (text, expected) in cases {
            let out = as_text(text);
            assert_eq!(out, expected, "{text:?}");
            assert_plain(&out);
        }
        // What follows an unclosed block is no longer in it.
        let joined = format!("{}\n\n```no_run\nquickstart\n```", as_text("```\nx"));
        let found = blocks(&joined, rustdoc_options());
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].info.as_deref(), Some("no_run"));
    }

    #[test]
    fn indented_blocks_become_fenced_text_blocks() {
        let cases = [
            (
                "Run:\n\n    fn main() {}\n\n    main();\nafter",
                "Run:\n\n```text\nfn main() {}\n\nmain();\n```\nafter",
            ),
            ("    x\n      y", "```text\nx\n  y\n```"),
            ("\tx\n", "```text\nx\n```\n"),
            (
                "    ```rust\n    x\n    ```",
                "````text\n```rust\nx\n```\n````",
            ),
            (
                "- item\n\n      x\n- next",
                "- item\n\n  ```text\n  x\n  ```\n- next",
            ),
            ("-     x\n      y", "- ```text\n  x\n  y\n  ```"),
            (
                "> quote\n>\n>     x\n",
                "> quote\n>\n> ```text\n> x\n> ```\n",
            ),
            (
                "1. a\n\n   >     x",
                "1. a\n\n   > ```text\n   > x\n   > ```",
            ),
        ];
        for (text, expected) in cases {
            let out = as_text(text);
            assert_eq!(out, expected, "{text:?}");
            assert_plain(&out);
        }
    }

    #[test]
    fn every_combination_reads_back_as_text_blocks_only() {
        // (first line, next lines) of each container, nested ones too.
        let containers = [
            ("", ""),
            ("   ", "   "),
            ("> ", "> "),
            ("- ", "  "),
            ("12. ", "    "),
            ("> - ", ">   "),
            ("- > ", "  > "),
            ("1. > - ", "   >   "),
        ];
        let blocks = [
            vec!["```rust", CODE, "```"],
            vec!["~~~ should_panic", CODE, "~~~"],
            vec!["````rust,ignore", "```", CODE, "````"],
            vec!["```", CODE],
            vec!["~~~~{.rust}", CODE, "", ""],
            vec!["    fn main() {}", "", "    ", "    ```rust", "    "],
            vec!["\tfn main() {}", "\t\tnested"],
            vec!["  ```edition2021", "  fn main() {}", "  ```"],
        ];
        for (first, next) in containers {
            for block in &blocks {
                for after in ["", "\n\nAfter.", "\n"] {
                    let mut text = String::from("Before.\n\n");
                    for (i, line) in block.iter().enumerate() {
                        let prefix = if i == 0 { first } else { next };
                        text.push_str(&format!("{prefix}{line}\n"));
                    }
                    text.pop();
                    text.push_str(after);
                    let out = as_text(&text);
                    assert_plain(&out);
                    // The code of each block is still there, in a text block.
                    let code: String = codes(&out).concat();
                    for line in codes(&text).concat().lines() {
                        assert!(code.contains(line.trim()), "{text:?} became {out:?}");
                    }
                    assert!(out.contains("Before."), "{out}");
                }
            }
        }
    }

    #[test]
    fn what_the_rewriting_cannot_place_goes_in_one_block() {
        // In a footnote with rustdoc's options, indented code without them: the readings
        // disagree on where the block is, so all of the text becomes one block.
        let text = "[^1]: note\n\n    ```rust\n    x\n    ```\n\nand ````` five ticks";
        let out = as_text(text);
        assert_eq!(out, format!("``````text\n{text}\n``````"));
        assert_plain(&out);
        assert_eq!(one_block("no ticks"), "```text\nno ticks\n```");
    }

    #[test]
    fn printed_files_are_checked_when_a_doc_comment_may_hold_code() {
        let plain = "/// A `type`.\n///\n/// - a list\n///   item\npub struct S {\n    /// x\n    pub x: u8,\n}\n\
                     const C: &str = \"```rust\";\n";
        assert!(!printed_docs_may_hold_code(plain));
        for doc in [
            "    /// ```text",
            "/// ~~~",
            "//! > ```",
            "///     code",
            "/// -\tcode",
            "/** a\n```rust\n*/",
            "#[doc = \"a\\n    b\"]",
            "    #![doc = include_str!(\"x\")]",
        ] {
            assert!(
                printed_docs_may_hold_code(&format!("{plain}{doc}\nstruct T;\n")),
                "{doc}"
            );
        }
    }

    #[test]
    fn code_lines_mark_the_lines_of_code_blocks() {
        assert!(code_lines("plain\ntext").is_empty());
        assert_eq!(
            code_lines("a\n\n```x\nb\n```\nc\n\n    d"),
            [false, false, true, true, true, false, false, true]
        );
    }

    #[test]
    fn doc_attributes_written_anywhere_are_checked() {
        let hidden = "a `x\n```rust\ncompile_error!();\n```\n` b";
        let tokens = quote! {
            #[doc = " First line."]
            #[derive(Debug)]
            #[doc = #hidden]
            pub struct S;
            impl S {
                #[doc = " ~~~"]
                #[doc = " nested"]
                pub fn f() {}
            }
        };
        let guarded = guard_docs(&tokens).unwrap().to_string();
        assert!(guarded.contains("\" ```text\""), "{guarded}");
        assert!(guarded.contains("\" ~~~text\""), "{guarded}");
        assert!(!guarded.contains("```rust"), "{guarded}");
        assert!(guarded.contains("derive (Debug)"), "{guarded}");

        let safe = quote! {
            #[doc = " ```text"]
            #[doc = " x"]
            #[doc = " ```"]
            pub struct T;
        };
        assert_eq!(guard_docs(&safe).map(|t| t.to_string()), None);
    }

    #[test]
    fn the_generators_own_included_example_stays_a_doctest() {
        let lib = quote! {
            #![doc = " # crate"]
            #![doc = ""]
            #![doc = " ```rust"]
            #![doc = " compile_error!();"]
            //! ```
            //!
            //! ```no_run
            #![doc = include_str!("../examples/quickstart.rs")]
            //! ```
            #![allow(clippy::large_enum_variant)]
            mod client;
        };
        let guarded = guard_docs(&lib).unwrap().to_string();
        assert!(guarded.contains("\" ```text\""), "{guarded}");
        assert!(guarded.contains("\" ```no_run\""), "{guarded}");
        assert!(
            guarded.contains("include_str ! (\"../examples/quickstart.rs\")"),
            "{guarded}"
        );
        assert!(guarded.contains("mod client"), "{guarded}");
        let quickstart = quote! {
            //! ```no_run
            #![doc = include_str!("../examples/quickstart.rs")]
            //! ```
        };
        assert!(guard_docs(&quickstart).is_none());
    }
}
