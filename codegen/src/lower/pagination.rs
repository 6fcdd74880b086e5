//! Which operations answer a page of a list, and how to get the next page: the `[pagination]`
//! settings checked against each operation, and, where no setting says, the common shapes
//! recognised, each guess a warning naming the operation and the rule it used.

use super::access::{describe, plain, resolve, same_kind};
use super::{Lowerer, operation_named};
use crate::config::{PaginationSettings, PagingRule};
use crate::error::{Error, Result};
use crate::ir::{
    Access, Leaf, Location, Operation, Output, PageKind, PageParam, Pagination, TypeRef,
};
use crate::normalize::document as doc;

/// Query parameters that take a cursor, by the names APIs give them.
const CURSOR_PARAMS: &[&str] = &[
    "after",
    "cursor",
    "starting_after",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "marker",
];

/// Where answers put the next cursor.
const NEXT_CURSORS: &[&str] = &[
    "next_cursor",
    "next_page",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "cursor",
    "list_metadata.after",
    "meta.next_cursor",
    "meta.nextCursor",
    "pagination.next_cursor",
    "pagination.nextCursor",
    "response_metadata.next_cursor",
    "metadata.next_cursor",
    "page_info.end_cursor",
    "pageInfo.endCursor",
];

/// Where answers put the next page's URL.
const NEXT_URLS: &[&str] = &[
    "next",
    "next_url",
    "nextUrl",
    "next_page_url",
    "nextPageUrl",
    "links.next",
    "_links.next.href",
    "pagination.next",
    "meta.next",
];

/// Where answers put the items.
const ITEMS: &[&str] = &[
    "data", "items", "results", "records", "entries", "values", "list", "elements",
];

const HAS_MORE: &[&str] = &["has_more", "hasMore", "has_next", "hasNext", "more"];
const TOTALS: &[&str] = &[
    "total",
    "total_count",
    "totalCount",
    "count",
    "total_results",
];
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pageNumber"];
const SIZE_PARAMS: &[&str] = &[
    "limit",
    "per_page",
    "page_size",
    "pageSize",
    "size",
    "perPage",
];
const OFFSET_PARAMS: &[&str] = &["offset", "skip", "start"];

/// Sets each operation's paging: from its own settings, the API's rule where it fits, or a
/// guess. `settings` is the table and the settings file's name for errors.
pub(crate) fn apply_pagination(
    l: &mut Lowerer<'_, '_>,
    settings: Option<(&PaginationSettings, &str)>,
    documented: &[doc::Operation],
    operations: &mut [Operation],
) -> Result<()> {
    // Operations a setting decided: paged by it, or `paginated = false`.
    let mut decided = vec![false; operations.len()];
    if let Some((table, config)) = settings {
        for (id, rule) in &table.operations {
            let pointer = format!("/pagination/operations/{id}");
            let index = operation_named(documented, id)
                .map_err(|message| Error::new(config, &pointer, message))?;
            decided[index] = true;
            if rule.paginated == Some(false) {
                continue;
            }
            let paging = lower_rule(l, &documented[index], &operations[index], rule)
                .map_err(|(key, message)| Error::new(config, &under(&pointer, &key), message))?;
            if paging.kind == (PageKind::NextUrl { next: None })
                && !documents_link(&documented[index])
            {
                l.diag.warn(
                    &documented[index].pointer,
                    format!(
                        "`{}` documents no `Link` header; its pages are followed by one as the \
                         settings say",
                        operations[index].name
                    ),
                );
            }
            operations[index].pagination = Some(paging);
        }
        if let Some(rule) = table.api_rule() {
            let mut fitted = 0;
            let mut first_misfit = None;
            for (i, op) in operations.iter_mut().enumerate() {
                if decided[i] || !matches!(op.output, Output::Single(_)) {
                    continue;
                }
                match lower_rule(l, &documented[i], op, &rule) {
                    Ok(paging) => {
                        op.pagination = Some(paging);
                        decided[i] = true;
                        fitted += 1;
                    }
                    Err(misfit) => {
                        first_misfit.get_or_insert((op.name.clone(), misfit));
                    }
                }
            }
            if fitted == 0 {
                let (key, message) = match first_misfit {
                    Some((name, (key, message))) => (key, format!("{message} (`{name}`)")),
                    None => (
                        String::new(),
                        "no selected operation answers a list".to_owned(),
                    ),
                };
                return Err(Error::new(
                    config,
                    &under("/pagination", &key),
                    format!("the API's paging rule fits no operation: {message}"),
                ));
            }
        }
    }
    if settings.is_none_or(|(table, _)| table.guess != Some(false)) {
        for (i, op) in operations.iter_mut().enumerate() {
            if decided[i] {
                continue;
            }
            if let Some((paging, how)) = guess(l, &documented[i], op) {
                l.diag.warn(
                    &documented[i].pointer,
                    format!(
                        "`{}` is taken to page {how}; set `[pagination.operations.{}]` in the \
                         settings to confirm or correct it, or `paginated = false`",
                        op.name,
                        documented[i].operation_id.as_deref().unwrap_or(&op.name)
                    ),
                );
                op.pagination = Some(paging);
            }
        }
    }
    Ok(())
}

/// The pointer of `key` (`cursor/param`, or empty for the rule itself) under `pointer`.
fn under(pointer: &str, key: &str) -> String {
    match key {
        "" => pointer.to_owned(),
        key => format!("{pointer}/{key}"),
    }
}

/// A misfit: the setting's key under the rule (`cursor/param`), and why.
type Misfit = (String, String);

/// The paging `rule` describes for `op`, or why it does not fit.
fn lower_rule(
    l: &Lowerer<'_, '_>,
    documented: &doc::Operation,
    op: &Operation,
    rule: &PagingRule,
) -> std::result::Result<Pagination, Misfit> {
    let misfit = |key: &str, message: String| (key.to_owned(), message);
    let Output::Single(answer) = &op.output else {
        return Err(misfit(
            "",
            format!(
                "`{}` answers no single JSON type to read pages from",
                op.name
            ),
        ));
    };
    let ways = [
        rule.cursor.is_some(),
        rule.page.is_some(),
        rule.offset.is_some(),
        rule.next_url.is_some(),
    ];
    if ways.iter().filter(|w| **w).count() != 1 {
        return Err(misfit(
            "",
            "expected one way to the next page: `cursor`, `page`, `offset` or `next_url`"
                .to_owned(),
        ));
    }
    let path = rule
        .items
        .as_deref()
        .or_else(|| guess_items(l, answer))
        .ok_or_else(|| {
            misfit(
                "items",
                format!(
                    "`{}`'s answer has no list of items where lists usually are; say where \
                     with `items`",
                    op.name
                ),
            )
        })?;
    let (items, item) = items_at(l, answer, path).map_err(|m| misfit("items", m))?;
    let param = |key: &str, name: &str, integer: bool| {
        let found = op
            .params
            .iter()
            .find(|p| p.wire == name && p.location == Location::Query)
            .ok_or_else(|| {
                misfit(
                    key,
                    format!("`{}` takes no query parameter `{name}`", op.name),
                )
            })?;
        let ty = plain(&found.ty).clone();
        let fits = match &ty {
            TypeRef::Integer(_) => true,
            TypeRef::String => !integer,
            _ => false,
        };
        if !fits {
            return Err(misfit(
                key,
                format!(
                    "the query parameter `{name}` of `{}` is not {}",
                    op.name,
                    if integer {
                        "an integer"
                    } else {
                        "a string or an integer"
                    }
                ),
            ));
        }
        Ok(PageParam {
            name: found.name.clone(),
            ty,
            required: found.required,
        })
    };
    let field = |key: &str, path: &Option<String>, wanted: &[Leaf]| {
        path.as_deref()
            .map(|path| {
                let (access, _) = resolve(l, answer, path).map_err(|m| misfit(key, m))?;
                if wanted.iter().any(|w| same_kind(*w, access.leaf)) {
                    Ok(access)
                } else {
                    Err(misfit(
                        key,
                        format!(
                            "expected `{path}` to hold {}, found {}",
                            describe(wanted),
                            describe(&[access.leaf])
                        ),
                    ))
                }
            })
            .transpose()
    };
    let text = [Leaf::Text];
    let flag = [Leaf::Bool];
    let count = [Leaf::Integer("")];
    let size = |key: &str, name: &Option<String>| {
        name.as_deref()
            .map(|name| {
                let param = param(key, name, true)?;
                Ok::<_, Misfit>((param, documented_default(l, documented, name)))
            })
            .transpose()
    };
    let (kind, has_more, total, size) = if let Some(cursor) = &rule.cursor {
        let param = param("cursor/param", &cursor.param, false)?;
        let next =
            field("cursor/next", &Some(cursor.next.clone()), &text)?.expect("a path was given");
        let has_more = field("cursor/has_more", &cursor.has_more, &flag)?;
        (PageKind::Cursor { param, next }, has_more, None, None)
    } else if let Some(page) = &rule.page {
        let param = param("page/param", &page.param, true)?;
        let first = page
            .first
            .or_else(|| documented_default(l, documented, &page.param))
            .unwrap_or(1);
        (
            PageKind::Page { param, first },
            field("page/has_more", &page.has_more, &flag)?,
            field("page/total", &page.total, &count)?,
            size("page/size", &page.size)?,
        )
    } else if let Some(offset) = &rule.offset {
        let param = param("offset/param", &offset.param, true)?;
        (
            PageKind::Offset { param },
            field("offset/has_more", &offset.has_more, &flag)?,
            field("offset/total", &offset.total, &count)?,
            size("offset/limit", &offset.limit)?,
        )
    } else {
        let next_url = rule.next_url.clone().unwrap_or_default();
        let next = match (&next_url.field, &next_url.header) {
            (Some(_), None) => field("next_url/field", &next_url.field, &text)?,
            (None, Some(header)) if header.eq_ignore_ascii_case("link") => None,
            _ => {
                return Err(misfit(
                    "next_url",
                    "expected `field` (where the answer holds the URL) or `header = \"link\"`"
                        .to_owned(),
                ));
            }
        };
        (PageKind::NextUrl { next }, None, None, None)
    };
    Ok(Pagination {
        kind,
        items,
        item,
        has_more,
        total,
        size,
    })
}

/// The list at `path` in the answer (`.` for the answer itself).
fn items_at(
    l: &Lowerer<'_, '_>,
    answer: &TypeRef,
    path: &str,
) -> std::result::Result<(Access, TypeRef), String> {
    if path.is_empty() || path == "." {
        return match plain(answer) {
            TypeRef::Vec(item) => Ok((
                Access {
                    steps: Vec::new(),
                    leaf: Leaf::List,
                },
                plain(item).clone(),
            )),
            _ => Err("the answer is not a list".to_owned()),
        };
    }
    let (access, item) = resolve(l, answer, path)?;
    if access.leaf != Leaf::List {
        return Err(format!("expected `{path}` to be a list of items"));
    }
    Ok((access, item))
}

/// Where the items are: the answer itself (`.`) when it is a list, else the first of the usual
/// names that holds one.
fn guess_items(l: &Lowerer<'_, '_>, answer: &TypeRef) -> Option<&'static str> {
    ["."]
        .iter()
        .chain(ITEMS)
        .copied()
        .find(|path| items_at(l, answer, path).is_ok())
}

/// Whether a success response of the operation documents a `Link` header.
fn documents_link(documented: &doc::Operation) -> bool {
    documented
        .responses
        .iter()
        .filter(|r| r.status.starts_with('2'))
        .any(|r| r.headers.iter().any(|h| h == "link"))
}

/// The first of `paths` that holds a value of the `wanted` kind.
fn first_field<'p>(
    l: &Lowerer<'_, '_>,
    answer: &TypeRef,
    paths: &[&'p str],
    wanted: Leaf,
) -> Option<&'p str> {
    paths.iter().copied().find(|path| {
        resolve(l, answer, path).is_ok_and(|(access, _)| same_kind(access.leaf, wanted))
    })
}

/// The `default` of a query parameter's schema, when it is a whole number.
fn documented_default(l: &Lowerer<'_, '_>, documented: &doc::Operation, name: &str) -> Option<u64> {
    let param = documented.parameters.iter().find(|p| p.name == name)?;
    let (_, schema) = l.src.resolve(param.schema.as_deref()?).ok()?;
    schema.get("default")?.as_u64()
}

/// The common shapes of a GET that lists: a `Link` header, a cursor parameter with a next
/// cursor in the answer, a next URL in the answer, a page number, an offset. The paging and
/// how it was recognised, in words.
fn guess(
    l: &Lowerer<'_, '_>,
    documented: &doc::Operation,
    op: &Operation,
) -> Option<(Pagination, String)> {
    if op.method != "GET" {
        return None;
    }
    let Output::Single(answer) = &op.output else {
        return None;
    };
    let items_path = guess_items(l, answer)?;
    let query = |names: &[&'static str]| -> Option<&'static str> {
        names.iter().copied().find(|name| {
            op.params
                .iter()
                .any(|p| p.wire == *name && p.location == Location::Query)
        })
    };
    let items_words = match items_path {
        "." => "the answer is the list".to_owned(),
        path => format!("items in `{path}`"),
    };
    let link = documents_link(documented);
    let mut rule = PagingRule {
        items: Some(items_path.to_owned()),
        ..PagingRule::default()
    };
    let how;
    if link {
        rule.next_url = Some(crate::config::NextUrlRule {
            field: None,
            header: Some("link".to_owned()),
        });
        how = format!("by the `Link` header's `rel=\"next\"` ({items_words})");
    } else if let (Some(param), Some(next)) = (
        query(CURSOR_PARAMS),
        // With a cursor parameter, a `next` field holds the cursor to send back.
        first_field(l, answer, NEXT_CURSORS, Leaf::Text)
            .or_else(|| first_field(l, answer, NEXT_URLS, Leaf::Text)),
    ) {
        let has_more = first_field(l, answer, HAS_MORE, Leaf::Bool);
        rule.cursor = Some(crate::config::CursorRule {
            param: param.to_owned(),
            next: next.to_owned(),
            has_more: has_more.map(str::to_owned),
        });
        how = format!("by a cursor: `{next}` of each answer sent as `{param}` ({items_words})");
    } else if let Some(next) = first_field(l, answer, NEXT_URLS, Leaf::Text) {
        rule.next_url = Some(crate::config::NextUrlRule {
            field: Some(next.to_owned()),
            header: None,
        });
        how = format!("by the next page's URL in `{next}` ({items_words})");
    } else if let Some(param) = query(PAGE_PARAMS) {
        let has_more = first_field(l, answer, HAS_MORE, Leaf::Bool);
        let total = first_field(l, answer, TOTALS, Leaf::Integer(""));
        let size = query(SIZE_PARAMS);
        rule.page = Some(crate::config::PageRule {
            param: param.to_owned(),
            first: None,
            size: size.map(str::to_owned),
            has_more: has_more.map(str::to_owned),
            total: total.map(str::to_owned),
        });
        let end = match (has_more, total) {
            (Some(flag), _) => format!("until `{flag}` is false"),
            (None, Some(total)) => format!("until `{total}` items"),
            (None, None) => "until a short page".to_owned(),
        };
        how = format!("by page number `{param}`, {end} ({items_words})");
    } else if let (Some(param), Some(limit)) = (query(OFFSET_PARAMS), query(SIZE_PARAMS)) {
        let has_more = first_field(l, answer, HAS_MORE, Leaf::Bool);
        let total = first_field(l, answer, TOTALS, Leaf::Integer(""));
        rule.offset = Some(crate::config::OffsetRule {
            param: param.to_owned(),
            limit: Some(limit.to_owned()),
            has_more: has_more.map(str::to_owned),
            total: total.map(str::to_owned),
        });
        how = format!("by offset `{param}` and limit `{limit}` ({items_words})");
    } else {
        return None;
    }
    lower_rule(l, documented, op, &rule)
        .ok()
        .map(|paging| (paging, how))
}
