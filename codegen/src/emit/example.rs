//! `examples/quickstart.rs`: a program that builds a client with a credential and makes a call;
//! the crate documentation shows it too.

use super::settings::CrateSettings;
use super::text::ident;
use crate::ir::{Api, Operation, Output, SchemeKind, TypeRef};
use crate::names::screaming;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The operation the example calls: the first whose required arguments are easy to write.
fn example_operation(api: &Api) -> Option<&Operation> {
    api.operations.iter().find(|op| {
        op.body.as_ref().is_none_or(|b| !b.required)
            && op
                .params
                .iter()
                .filter(|p| p.required)
                .all(|p| example_value(&p.ty, &p.wire).is_some())
    })
}

fn example_value(ty: &TypeRef, name: &str) -> Option<TokenStream> {
    Some(match ty {
        TypeRef::String => quote!(#name),
        TypeRef::Integer(_) => {
            let one = Literal::u8_unsuffixed(1);
            quote!(#one)
        }
        TypeRef::Float => quote!(1.0),
        TypeRef::Bool => quote!(true),
        TypeRef::Uuid => quote!(uuid::Uuid::nil()),
        _ => return None,
    })
}

fn env_var(settings: &CrateSettings, scheme: &str) -> String {
    let api = settings.crate_name.trim_end_matches("-client");
    format!(
        "{}_{}",
        screaming(api, "API"),
        screaming(scheme, "CREDENTIAL")
    )
}

pub(crate) fn example_tokens(api: &Api, settings: &CrateSettings) -> TokenStream {
    let lib = ident(&settings.lib_name());
    let base_url = match &api.default_base_url {
        Some(_) => TokenStream::new(),
        None => quote!(.base_url("https://api.example.com")),
    };
    // The credential the example operation asks for first, else the first scheme declared.
    let op = example_operation(api);
    let preferred = op
        .and_then(|op| op.security.iter().flatten().next())
        .and_then(|name| api.schemes.iter().find(|s| &s.name == name));
    let credential = preferred.or(api.schemes.first()).map(|scheme| {
        let setter = ident(&scheme.setter);
        match scheme.kind {
            SchemeKind::Basic => {
                let user = env_var(settings, &format!("{}_USER", scheme.name));
                let password = env_var(settings, &format!("{}_PASSWORD", scheme.name));
                quote!(.#setter(std::env::var(#user)?, std::env::var(#password)?))
            }
            _ => {
                let var = env_var(settings, &scheme.name);
                quote!(.#setter(std::env::var(#var)?))
            }
        }
    });
    let call = match op {
        Some(op) => {
            let method = ident(&op.name);
            let args = op
                .params
                .iter()
                .filter(|p| p.required)
                .filter_map(|p| example_value(&p.ty, &p.wire));
            if op.output == Output::Stream {
                quote! {
                    let mut events = client.#method(#(#args),*).await?;
                    while let Some(event) = #lib::StreamExt::next(&mut events).await {
                        let event = event?;
                        println!("{:#?}", event.data);
                    }
                }
            } else if op.output == Output::Single(TypeRef::Unit) {
                let done = format!("{} succeeded", op.name);
                quote! {
                    client.#method(#(#args),*).await?;
                    println!(#done);
                }
            } else {
                quote! {
                    let response = client.#method(#(#args),*).await?;
                    println!("{response:#?}");
                }
            }
        }
        None => quote! {
            println!("calling {}", client.base_url());
        },
    };
    quote! {
        use #lib::Client;

        #[tokio::main]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let client = Client::builder()
                #base_url
                #credential
                .build()?;
            #call
            Ok(())
        }
    }
}
