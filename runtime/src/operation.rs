//! What a generated crate says about each operation, so that sending it, awaiting it and
//! listing its pages are generic code written once here and once per crate, not once per
//! operation: the request its parameters make, how its answer is read, and, for a listing,
//! how its pages are read and asked for.

use crate::BoxFuture;
use crate::call::Call;
use crate::error::Error;
use crate::options::CallOptions;
use crate::pages::{PageFuture, PageInfo, PagePosition, PageSpec, Pages, Paging};
use crate::request::Request;
use crate::response::Response;
use crate::transport::Transport;
use serde::Serialize;

/// An operation's parameters: the request they make and how its answer is read.
pub trait Operation: Clone + Send + Sync + 'static {
    /// What a success gives.
    type Output: Send + 'static;
    /// The crate's error body.
    type ErrorBody: Send + 'static;

    /// The request these parameters make.
    fn request(&self) -> Request;

    /// The answer, read: a documented success, or the error it is.
    fn read(response: Response) -> Result<Self::Output, Error<Self::ErrorBody>>;
}

/// Sends an operation and reads its answer.
pub fn send<'a, P: Operation>(
    transport: &'a Transport,
    params: &P,
    options: CallOptions,
) -> BoxFuture<'a, Result<P::Output, Error<P::ErrorBody>>> {
    Call::new(transport, params.request(), options, P::read).send()
}

/// Like [`send`], with the response's status and headers and the number of attempts made (what
/// a page is asked for with, hence its type's name).
pub fn send_with_meta<'a, P: Operation>(
    transport: &'a Transport,
    params: &P,
    options: CallOptions,
) -> PageFuture<'a, P::Output, P::ErrorBody> {
    Call::new(transport, params.request(), options, P::read).send_with_meta()
}

/// An operation that lists in pages.
pub trait Listing: Operation<Output: Serialize> {
    /// What each page holds a list of.
    type Item;
    /// The operation's name, for messages and traces.
    const OPERATION: &'static str;
    /// How the next page is asked for.
    const PAGING: Paging;
    /// Whether the next page's URL is in the `Link` header.
    const LINK_HEADER: bool = false;

    /// The page size asked for, when known (see [`PageSpec::size`]).
    fn size(&self) -> Option<u64> {
        None
    }

    /// What a page says of the listing.
    fn page_info(page: &Self::Output) -> PageInfo;

    /// A page's items, moved out.
    fn page_items(page: Self::Output) -> Vec<Self::Item>;

    /// The request for the page at `at`: these parameters with the cursor, page or offset set,
    /// or sent to the next page's URL.
    fn page_request(&self, at: &PagePosition) -> Request;
}

/// Every page of a listing from `at`, one call each as the stream is polled.
pub fn pages<'a, P: Listing>(
    transport: &'a Transport,
    params: P,
    options: CallOptions,
    at: PagePosition,
) -> Pages<'a, P::Output, P::ErrorBody> {
    let spec = PageSpec {
        operation: P::OPERATION,
        paging: P::PAGING,
        size: params.size(),
        link_header: P::LINK_HEADER,
        read: P::page_info,
    };
    let fetch = move |at: &PagePosition| {
        Call::new(transport, params.page_request(at), options.clone(), P::read).send_with_meta()
    };
    Pages::new(spec, at, Box::new(fetch))
}
