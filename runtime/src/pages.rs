//! Listing every page of a paginated operation, lazily: where the next page is (a cursor, a
//! page number, an offset, a next URL in the body or the `Link` header), when the list ends,
//! and the loops a server can lead a client into (a cursor sent again, the same page twice,
//! `has_more` on an empty page), caught and reported with where to resume.

use crate::BoxFuture;
use crate::error::Error;
use crate::response::WithMeta;
use futures_util::Stream;
use serde::Serialize;
use std::collections::HashSet;
use std::fmt;
use std::hash::Hasher;
use std::pin::Pin;
use std::task::{Context, Poll};
use tracing::Instrument;

/// Where a listing stands: the page to ask for next. An [`Error::Page`] carries the one that
/// failed, to resume from with the builder's `pages_from` or `items_from`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PagePosition {
    /// The first page, as the request's own parameters ask for it.
    First,
    /// The page after this cursor.
    Cursor(String),
    /// This page number.
    Page(u64),
    /// The page starting at this offset.
    Offset(u64),
    /// The page at this URL, as the previous answer named it.
    Url(String),
}

impl fmt::Display for PagePosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PagePosition::First => f.write_str("the first page"),
            PagePosition::Cursor(cursor) => write!(f, "the page after cursor {cursor:?}"),
            PagePosition::Page(number) => write!(f, "page {number}"),
            PagePosition::Offset(offset) => write!(f, "the page at offset {offset}"),
            PagePosition::Url(url) => write!(f, "the page at {}", shown_url(url)),
        }
    }
}

/// A URL for a message: query values whose names suggest a secret are hidden.
fn shown_url(url: &str) -> String {
    let Ok(mut parsed) = reqwest::Url::parse(url) else {
        return "a URL that does not parse".to_owned();
    };
    parsed.set_password(None).ok();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(name, value)| {
            let lower = name.to_ascii_lowercase();
            let secret = [
                "key",
                "token",
                "secret",
                "sig",
                "password",
                "auth",
                "credential",
            ]
            .iter()
            .any(|word| lower.contains(word));
            let value = if secret {
                "[REDACTED]".to_owned()
            } else {
                value.into_owned()
            };
            (name.into_owned(), value)
        })
        .collect();
    if !pairs.is_empty() {
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.into()
}

/// Why a listing stopped before its end.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageProblem {
    /// Asking for the page failed: the error is the listing's `failure`.
    Failed,
    /// The server sent a cursor (or next URL) it had sent before: following it would never end.
    RepeatedCursor(String),
    /// The page was the same as the one before it (a server ignoring the page parameter).
    SamePage,
    /// The page said more followed, yet held no items.
    EmptyWithMore,
    /// The position to resume from is not one this listing pages by.
    WrongPosition,
}

impl fmt::Display for PageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageProblem::Failed => f.write_str("asking for it failed"),
            PageProblem::RepeatedCursor(cursor) => write!(
                f,
                "the server sent a cursor it had sent before ({}), which would loop for ever",
                match reqwest::Url::parse(cursor) {
                    Ok(_) => shown_url(cursor),
                    Err(_) => format!("{cursor:?}"),
                }
            ),
            PageProblem::SamePage => f.write_str(
                "the server answered the same page as before, which would loop for ever",
            ),
            PageProblem::EmptyWithMore => {
                f.write_str("the server said more items follow, yet sent an empty page")
            }
            PageProblem::WrongPosition => {
                f.write_str("the position to resume from is not one this listing pages by")
            }
        }
    }
}

/// How an operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// Each answer names the cursor of the next page.
    Cursor,
    /// Pages are numbered from `first`.
    Page { first: u64 },
    /// Each page starts at an offset, the count of items before it.
    Offset,
    /// Each answer names the next page's URL: in its body, or in its `Link` header.
    NextUrl,
}

/// What a page says about the listing, as the generated code reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// How many items it holds.
    pub count: usize,
    /// The next page's cursor or URL, where the answer names one.
    pub next: Option<String>,
    /// Whether more pages follow, where the answer says.
    pub has_more: Option<bool>,
    /// How many items the whole list holds, where the answer says.
    pub total: Option<u64>,
}

impl PageInfo {
    /// A page of `count` items naming the next page by `next`, saying nothing more.
    pub fn new(count: usize, next: Option<String>) -> Self {
        PageInfo {
            count,
            next,
            has_more: None,
            total: None,
        }
    }
}

/// How a generated request builder's listing works.
pub struct PageSpec<P> {
    /// The operation, for messages and traces.
    pub operation: &'static str,
    pub paging: Paging,
    /// The page size asked for, when known (the size parameter as set, or its documented
    /// default): a shorter page is the last. Otherwise the first page's size is taken.
    pub size: Option<u64>,
    /// Whether the next page's URL is in the `Link` header (`rel="next"`).
    pub link_header: bool,
    /// Reads a page.
    pub read: fn(&P) -> PageInfo,
}

/// One page asked for.
pub type PageFuture<'a, P, E> = BoxFuture<'a, Result<WithMeta<P>, Error<E>>>;

/// Asks for the page at a position: the request builder with its cursor, page or offset
/// parameter set, or sent to the next URL.
pub type FetchPage<'a, P, E> = Box<dyn FnMut(&PagePosition) -> PageFuture<'a, P, E> + Send + 'a>;

/// A listing's pages, one call each as the stream is polled (nothing is asked for before): a
/// [`futures::Stream`](Stream) of `Result<P, Error<E>>` ending after the last page, or after an
/// [`Error::Page`] that says where to resume.
#[must_use = "a stream does nothing until it is polled"]
pub struct Pages<'a, P, E> {
    spec: PageSpec<P>,
    fetch: FetchPage<'a, P, E>,
    /// The page to ask for next, or in flight; `None` once the listing is over.
    at: Option<PagePosition>,
    pending: Option<PageFuture<'a, P, E>>,
    /// An error to yield before ending (a loop found after a page that is still yielded).
    stashed: Option<Error<E>>,
    /// Pages asked for, items read.
    pages: u64,
    items: u64,
    size: Option<u64>,
    /// Cursors and URLs followed, and the fingerprint of the last page.
    followed: HashSet<String>,
    last_page: Option<u64>,
}

impl<P, E> Unpin for Pages<'_, P, E> {}

impl<'a, P: Serialize, E> Pages<'a, P, E> {
    /// The listing from `at` (`PagePosition::First` for the request's own first page).
    pub fn new(spec: PageSpec<P>, at: PagePosition, fetch: FetchPage<'a, P, E>) -> Self {
        let fits = matches!(
            (&at, spec.paging),
            (PagePosition::First, _)
                | (PagePosition::Cursor(_), Paging::Cursor)
                | (PagePosition::Page(_), Paging::Page { .. })
                | (PagePosition::Offset(_), Paging::Offset)
                | (PagePosition::Url(_), Paging::NextUrl)
        );
        let mut pages = Pages {
            size: spec.size,
            spec,
            fetch,
            at: Some(at.clone()),
            pending: None,
            stashed: None,
            pages: 0,
            items: 0,
            followed: HashSet::new(),
            last_page: None,
        };
        if !fits {
            pages.stashed = Some(pages.stopped(at, PageProblem::WrongPosition, None));
            pages.at = None;
        }
        pages
    }

    /// The items of each page in turn, as one stream.
    pub fn items<T>(self, take: fn(P) -> Vec<T>) -> Items<'a, P, T, E> {
        Items {
            pages: self,
            take,
            current: Vec::new().into_iter(),
            cap: None,
            given: 0,
        }
    }

    /// How many pages were asked for so far.
    pub fn pages_read(&self) -> u64 {
        self.pages
    }

    fn stopped(
        &self,
        at: PagePosition,
        problem: PageProblem,
        failure: Option<Error<E>>,
    ) -> Error<E> {
        Error::Page {
            operation: self.spec.operation,
            at,
            items: self.items,
            problem,
            failure: failure.map(Box::new),
        }
    }

    /// Reads a page: where the next one is, or why the listing must stop. The page itself is
    /// yielded unless it repeats the one before.
    fn advance(&mut self, at: PagePosition, answer: &WithMeta<P>) -> Result<(), Error<E>> {
        if let PagePosition::Cursor(followed) | PagePosition::Url(followed) = &at {
            self.followed.insert(followed.clone());
        }
        let page = &answer.value;
        let info = (self.spec.read)(page);
        let count = info.count as u64;
        let fingerprint = fingerprint(page);
        if count > 0 && self.last_page == Some(fingerprint) {
            return Err(self.stopped(at, PageProblem::SamePage, None));
        }
        self.last_page = Some(fingerprint);
        self.items += count;
        if count == 0 {
            if info.has_more == Some(true) {
                return Err(self.stopped(at, PageProblem::EmptyWithMore, None));
            }
            return Ok(());
        }
        if self.size.is_none() {
            self.size = Some(count);
        }
        // What the answer says wins; without a word from it, a page shorter than the size asked
        // for is the last.
        let ended = match (info.has_more, info.total) {
            (Some(more), _) => !more,
            (None, Some(total)) => {
                let read = match (&at, self.spec.paging) {
                    (PagePosition::Offset(offset), _) => offset + count,
                    (PagePosition::First, Paging::Offset) => count,
                    _ => self.items,
                };
                read >= total
            }
            (None, None) => self.size.is_some_and(|size| count < size),
        };
        let next = match self.spec.paging {
            Paging::Cursor | Paging::NextUrl => {
                let named = match self.spec.paging {
                    Paging::NextUrl if self.spec.link_header => {
                        answer.meta.url.as_ref().and_then(|base| {
                            crate::link::target(&answer.meta.headers, "next", base)
                        })
                    }
                    _ => info.next.filter(|next| !next.is_empty()),
                };
                match named {
                    // The answer names no next page: this was the last.
                    None => None,
                    Some(_) if ended => None,
                    Some(next) => {
                        if !self.followed.insert(next.clone()) {
                            self.stashed =
                                Some(self.stopped(at, PageProblem::RepeatedCursor(next), None));
                            None
                        } else if self.spec.paging == Paging::Cursor {
                            Some(PagePosition::Cursor(next))
                        } else {
                            Some(PagePosition::Url(next))
                        }
                    }
                }
            }
            Paging::Page { first } => (!ended).then(|| {
                let number = match at {
                    PagePosition::Page(number) => number,
                    _ => first,
                };
                PagePosition::Page(number + 1)
            }),
            Paging::Offset => (!ended).then(|| {
                let offset = match at {
                    PagePosition::Offset(offset) => offset,
                    _ => 0,
                };
                PagePosition::Offset(offset + count)
            }),
        };
        self.at = next;
        Ok(())
    }
}

impl<'a, P: Serialize + 'a, E: 'a> Stream for Pages<'a, P, E> {
    type Item = Result<P, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(pending) = this.pending.as_mut() {
            let answer = match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(answer) => answer,
            };
            this.pending = None;
            let at = this.at.take().unwrap_or(PagePosition::First);
            return Poll::Ready(Some(match answer {
                Ok(answer) => match this.advance(at, &answer) {
                    Ok(()) => Ok(answer.value),
                    Err(error) => {
                        this.at = None;
                        Err(error)
                    }
                },
                Err(error) => Err(this.stopped(at, PageProblem::Failed, Some(error))),
            }));
        }
        if let Some(error) = this.stashed.take() {
            this.at = None;
            return Poll::Ready(Some(Err(error)));
        }
        let Some(at) = this.at.as_ref() else {
            return Poll::Ready(None);
        };
        this.pages += 1;
        let span = tracing::info_span!(
            "apigen.page",
            operation = this.spec.operation,
            page = this.pages
        );
        let call = (this.fetch)(at).instrument(span);
        this.pending = Some(Box::pin(call));
        // Polled at once: the call starts now.
        Pin::new(this).poll_next(cx)
    }
}

/// A hash of a page's JSON, to tell a page from the one before.
fn fingerprint<P: Serialize>(page: &P) -> u64 {
    struct Hashing(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(Default::default());
    // A page that cannot be written as JSON has no fingerprint to compare.
    match serde_json::to_writer(&mut hashing, page) {
        Ok(()) => hashing.0.finish(),
        Err(_) => fastrand::u64(..),
    }
}

/// Every item of a listing, page after page: a [`futures::Stream`](Stream) of `Result<T,
/// Error<E>>` that holds one page at a time and asks for the next only when the items of this
/// one are used up. After a failure it yields the error, which says where to resume.
#[must_use = "a stream does nothing until it is polled"]
pub struct Items<'a, P, T, E> {
    pages: Pages<'a, P, E>,
    take: fn(P) -> Vec<T>,
    current: std::vec::IntoIter<T>,
    cap: Option<u64>,
    given: u64,
}

impl<P, T, E> Unpin for Items<'_, P, T, E> {}

impl<P, T, E> Items<'_, P, T, E> {
    /// At most `count` items: no page is asked for once they are given.
    pub fn max_items(mut self, count: u64) -> Self {
        self.cap = Some(count);
        self
    }
}

impl<'a, P: Serialize + 'a, T, E: 'a> Stream for Items<'a, P, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.cap.is_some_and(|cap| this.given >= cap) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.current.next() {
                this.given += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.current = (this.take)(page).into_iter(),
            }
        }
    }
}
