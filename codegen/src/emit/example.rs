//! `examples/quickstart.rs`: a program that builds a client with a credential and makes a call;
//! the crate documentation shows it too.

use super::settings::CrateSettings;
use super::text::ident;
use super::types::is_required;
use crate::ir::{Api, Operation, Output, SchemeKind, TypeKind, TypeRef};
use crate::names::screaming;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The operation the example calls: the first whose required arguments are easy to write.
pub(crate) fn example_operation(api: &Api) -> Option<&Operation> {
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

/// Lines of Rust that build a request body with its type's constructor and send it, for the
/// README and the crate documentation: the first operation whose required body is a struct
/// whose required fields (and the operation's required parameters) are easy to write.
pub(crate) fn body_example(api: &Api, settings: &CrateSettings) -> Option<Vec<String>> {
    api.operations.iter().find_map(|op| {
        let body = op.body.as_ref().filter(|b| b.required)?;
        let TypeRef::Named(type_name) = &body.ty else {
            return None;
        };
        let def = api.types.iter().find(|t| &t.name == type_name)?;
        let TypeKind::Struct(s) = &def.kind else {
            return None;
        };
        let fields = s
            .fields
            .iter()
            .filter(|f| is_required(f))
            .map(|f| example_value(&f.ty, &f.json_name).map(|v| v.to_string()))
            .collect::<Option<Vec<_>>>()?;
        let params = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| example_value(&p.ty, &p.wire).map(|v| v.to_string()))
            .collect::<Option<Vec<_>>>()?;
        let build = if fields.is_empty() {
            format!("let body = {type_name}::default();")
        } else {
            format!("let body = {type_name}::new({});", fields.join(", "))
        };
        let args = params
            .into_iter()
            .chain(["body".to_owned()])
            .collect::<Vec<_>>()
            .join(", ");
        Some(vec![
            format!("use {}::types::{type_name};", settings.lib_name()),
            String::new(),
            build,
            format!("let answer = client.{}({args}).await?;", op.name),
        ])
    })
}

/// The section of the README and the crate documentation on building request bodies.
pub(crate) fn body_section(example: Vec<String>) -> Vec<String> {
    let mut out = vec![
        "## Request bodies".to_owned(),
        String::new(),
        "Each type sent as a request body, and each type it holds, has a `new` taking its \
         required fields, the others at their defaults (the document's `default`, else `None`), \
         or `Default` when nothing is required. Change an optional field with struct update \
         syntax: `Type { field: value, ..Type::new(..) }`."
            .to_owned(),
        String::new(),
        "```rust,ignore".to_owned(),
    ];
    out.extend(example);
    out.push("```".to_owned());
    out
}
