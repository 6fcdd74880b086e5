//! The `#[json(...)]` attributes the derives share: a name's case rule (`rename_all`) and the
//! words each derive reads.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr};

/// How `rename_all` names a property or value from a Rust name. The generator picks the rule
/// with the same names (`apigen_codegen`'s `emit::wire::CASES`); the two must agree.
pub(crate) fn apply_case(rule: &str, name: &str) -> Option<String> {
    Some(match rule {
        "snake_case" => name.to_snake_case(),
        "kebab-case" => name.to_kebab_case(),
        "camelCase" => name.to_lower_camel_case(),
        "PascalCase" => name.to_upper_camel_case(),
        "SCREAMING_SNAKE_CASE" => name.to_shouty_snake_case(),
        "lowercase" => name.to_lowercase(),
        _ => return None,
    })
}

/// The container's `rename_all`, if any (anything else in its `#[json(...)]` is an error).
pub(crate) fn rename_all(attrs: &[Attribute]) -> syn::Result<Option<LitStr>> {
    let mut rule = None;
    each_word(attrs, |word, meta| match word {
        "rename_all" => {
            let value: LitStr = meta.value()?.parse()?;
            if apply_case(&value.value(), "").is_none() {
                return Err(syn::Error::new(
                    value.span(),
                    "unknown case: expected snake_case, kebab-case, camelCase, PascalCase, \
                     SCREAMING_SNAKE_CASE or lowercase",
                ));
            }
            rule = Some(value);
            Ok(())
        }
        _ => Err(meta.error("unknown json attribute here: expected rename_all")),
    })?;
    Ok(rule)
}

/// Calls `read` with each word of the `#[json(...)]` attributes in `attrs`.
pub(crate) fn each_word(
    attrs: &[Attribute],
    mut read: impl FnMut(&str, &ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("json")) {
        attr.parse_nested_meta(|meta| {
            let Some(word) = meta.path.get_ident() else {
                return Err(meta.error("unknown json attribute"));
            };
            read(&word.to_string(), &meta)
        })?;
    }
    Ok(())
}

/// The name a property or value takes: `rename`, else the case rule applied to the Rust name,
/// else the Rust name.
pub(crate) fn wire_name(rust: &str, rule: Option<&LitStr>, span: proc_macro2::Span) -> LitStr {
    let name = rule
        .and_then(|rule| apply_case(&rule.value(), rust))
        .unwrap_or_else(|| rust.to_owned());
    LitStr::new(&name, span)
}
