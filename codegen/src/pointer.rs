//! JSON pointers (RFC 6901) and the `$ref` strings that carry them.

use percent_encoding::percent_decode_str;
use serde_json::Value;
use std::borrow::Cow;

/// Escapes one reference token: `~` becomes `~0`, `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_escaped(&mut out, token);
    out
}

/// Appends `token`, escaped, to `out`.
pub(crate) fn push_escaped(out: &mut String, token: &str) {
    if !token.contains(['~', '/']) {
        out.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Undoes [`escape`].
pub fn unescape(token: &str) -> String {
    if !token.contains('~') {
        return token.to_owned();
    }
    token.replace("~1", "/").replace("~0", "~")
}

/// `base` extended by one token.
pub fn join(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + 1 + token.len());
    out.push_str(base);
    out.push('/');
    push_escaped(&mut out, token);
    out
}

/// The unescaped tokens of a pointer.
pub fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.split('/').skip(1).map(unescape).collect()
}

/// The value a pointer designates: what `serde_json`'s `Value::pointer` finds, without
/// making a string of every token (the lowering looks pointers up at every turn).
pub fn get<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(root, |target, token| {
        let token = if token.contains('~') {
            Cow::Owned(unescape(token))
        } else {
            Cow::Borrowed(token)
        };
        match target {
            Value::Object(map) => map.get(token.as_ref()),
            Value::Array(list) => index(&token).and_then(|i| list.get(i)),
            _ => None,
        }
    })
}

/// An array index as RFC 6901 writes it: digits, no sign, no leading zero.
fn index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// Where a `$ref` string points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefTarget {
    /// A pointer into the same document.
    Local(String),
    /// Another document (a path or URL), with a pointer into it.
    External { document: String, pointer: String },
}

/// Parses a `$ref`. The fragment is percent-decoded (URI fragment) before it is read as a
/// JSON pointer. `Err` explains what is wrong.
pub fn parse_ref(reference: &str) -> Result<RefTarget, String> {
    let (document, fragment) = match reference.split_once('#') {
        Some((doc, frag)) => (doc, frag),
        None => (reference, ""),
    };
    let fragment = percent_decode_str(fragment)
        .decode_utf8()
        .map_err(|_| format!("$ref {reference:?}: expected a UTF-8 fragment, found percent-encoded bytes that are not UTF-8"))?
        .into_owned();
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return Err(format!(
            "$ref {reference:?}: expected a JSON pointer after `#`, found the anchor {fragment:?} (anchors are not supported)"
        ));
    }
    if document.is_empty() {
        Ok(RefTarget::Local(fragment))
    } else {
        Ok(RefTarget::External {
            document: document.to_owned(),
            pointer: fragment,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_round_trip() {
        for token in ["a/b", "~x", "~1", "/~0/", "plain"] {
            assert_eq!(unescape(&escape(token)), token);
        }
        assert_eq!(join("/paths", "/runs/{id}"), "/paths/~1runs~1{id}");
        assert_eq!(
            tokens("/paths/~1runs~1{id}/get"),
            vec!["paths", "/runs/{id}", "get"]
        );
    }

    #[test]
    fn pointers_find_what_serde_json_finds() {
        let doc = json!({
            "a": [10, {"b": 2}, [3]],
            "a/b": 1, "~": 2, "~1": 3, "": {"": 4}, "0": 5, "x y": 6
        });
        for pointer in [
            "", "/", "a", "/a", "/a/0", "/a/1/b", "/a/2/0", "/a/00", "/a/01", "/a/+1", "/a/-1",
            "/a/3", "/a/1/b/c", "/a~1b", "/~0", "/~01", "/~1", "//", "/0", "/x y", "/a/", "/~2",
        ] {
            assert_eq!(get(&doc, pointer), doc.pointer(pointer), "{pointer:?}");
        }
    }

    #[test]
    fn refs_are_percent_decoded_then_unescaped() {
        assert_eq!(
            parse_ref("#/components/schemas/Foo%20Bar").unwrap(),
            RefTarget::Local("/components/schemas/Foo Bar".to_owned())
        );
        let doc = json!({"paths": {"/a/b": {"get": {"x~y": 1}}}});
        let RefTarget::Local(p) = parse_ref("#/paths/~1a~1b/get/x~0y").unwrap() else {
            panic!()
        };
        assert_eq!(get(&doc, &p), Some(&json!(1)));
        assert_eq!(parse_ref("#").unwrap(), RefTarget::Local(String::new()));
    }

    #[test]
    fn external_and_anchor_refs_are_recognised() {
        assert_eq!(
            parse_ref("common.yaml#/components/schemas/A").unwrap(),
            RefTarget::External {
                document: "common.yaml".to_owned(),
                pointer: "/components/schemas/A".to_owned()
            }
        );
        assert!(parse_ref("#foo").unwrap_err().contains("anchor"));
    }
}
