//! How the arguments of operations are taken and stored, shared by the client's methods and the
//! request builders' setters: strings as `impl Into<String>`, secrets wrapped on the way in.

use super::scope::Scope;
use crate::ir::TypeRef;
use proc_macro2::TokenStream;
use quote::quote;

/// Whether an argument of this type is taken as `impl Into<String>`.
pub(crate) fn takes_into_string(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Secret)
}

/// Turns an `impl Into<String>` argument into the stored value.
pub(crate) fn from_string(ty: &TypeRef, value: TokenStream, scope: &Scope) -> TokenStream {
    match ty {
        TypeRef::Secret => {
            let secret = scope.runtime("Secret");
            quote!(#secret::new(#value))
        }
        _ => quote!(#value.into()),
    }
}
