//! Recursive types: a type that contains itself needs a `Box`, and a type alias may not refer to
//! itself at all. Both are found with strongly connected components of the type graph.

use crate::diagnostics::Diagnostics;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Turns aliases that refer to themselves into newtypes, then boxes every field, variant or
/// newtype that leads back to its own type without an indirection (`Vec` or a map).
pub(crate) fn break_cycles(types: &mut [TypeDef], diag: &mut Diagnostics) {
    let aliases: BTreeSet<String> = types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Alias(_)))
        .map(|t| t.name.clone())
        .collect();
    let mut alias_graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in types.iter() {
        if let TypeKind::Alias(target) = &t.kind {
            let mut refs = Vec::new();
            all_named(target, &mut refs);
            refs.retain(|r| aliases.contains(r));
            alias_graph.insert(t.name.clone(), refs);
        }
    }
    let cyclic: BTreeSet<String> = components(&alias_graph)
        .into_iter()
        .filter(|c| c.len() > 1 || alias_graph[&c[0]].contains(&c[0]))
        .flatten()
        .collect();
    for t in types.iter_mut() {
        if cyclic.contains(&t.name)
            && let TypeKind::Alias(target) = &t.kind
        {
            diag.warn(
                &t.pointer,
                "a schema that refers to itself through references alone becomes a newtype",
            );
            t.kind = TypeKind::Newtype(target.clone());
        }
    }

    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in types.iter() {
        let mut refs = Vec::new();
        for ty in direct_members(&t.kind) {
            direct_named(ty, &mut refs);
        }
        graph.insert(t.name.clone(), refs);
    }
    let mut component_of: BTreeMap<&str, usize> = BTreeMap::new();
    let sccs = components(&graph);
    for (i, scc) in sccs.iter().enumerate() {
        for name in scc {
            component_of.insert(name, i);
        }
    }
    for t in types.iter_mut() {
        let Some(&own) = component_of.get(t.name.as_str()) else {
            continue;
        };
        let in_cycle = |ty: &TypeRef| {
            let mut refs = Vec::new();
            direct_named(ty, &mut refs);
            refs.iter()
                .any(|r| component_of.get(r.as_str()) == Some(&own))
        };
        match &mut t.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    if in_cycle(&field.ty) {
                        field.ty = boxed(field.ty.clone());
                    }
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    if in_cycle(&variant.ty) {
                        variant.ty = boxed(variant.ty.clone());
                    }
                }
            }
            TypeKind::Newtype(inner) => {
                if in_cycle(inner) {
                    *inner = boxed(inner.clone());
                }
            }
            TypeKind::Alias(_)
            | TypeKind::Enum(_)
            | TypeKind::IntEnum(_)
            | TypeKind::Responses(_) => {}
        }
    }
}

/// The types a value of this kind holds inline (not behind a `Vec` or map).
pub(crate) fn direct_members(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(t) | TypeKind::Newtype(t) => vec![t],
        TypeKind::Responses(variants) => variants.iter().filter_map(|v| v.ty.as_ref()).collect(),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => Vec::new(),
    }
}

/// Named types held inline: through `Option`, not through `Vec`, maps or `Box`.
pub(crate) fn direct_named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Option(inner) | TypeRef::EmbeddedJson(inner) => direct_named(inner, out),
        _ => {}
    }
}

/// Every named type mentioned anywhere in `ty`.
pub(crate) fn all_named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        other => {
            if let Some(inner) = other.wrapped() {
                all_named(inner, out);
            }
        }
    }
}

/// `Option<X>` becomes `Option<Box<X>>`, `X` becomes `Box<X>`.
pub(crate) fn boxed(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Option(inner) => TypeRef::Option(Box::new(boxed(*inner))),
        other => TypeRef::Box(Box::new(other)),
    }
}

/// Strongly connected components (Tarjan's algorithm, iterative so that long chains of types
/// cannot exhaust the stack). Nodes without an entry in `graph` are ignored as targets.
pub(crate) fn components(graph: &BTreeMap<String, Vec<String>>) -> Vec<Vec<String>> {
    let names: Vec<&String> = graph.keys().collect();
    let index_of: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            graph[*n]
                .iter()
                .filter_map(|t| index_of.get(t.as_str()).copied())
                .collect()
        })
        .collect();
    let n = names.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, position in its edge list)
        let mut work = vec![(root, 0usize)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut pos)) = work.last_mut() {
            if *pos < edges[node].len() {
                let target = edges[node][*pos];
                *pos += 1;
                if index[target] == usize::MAX {
                    index[target] = next;
                    low[target] = next;
                    next += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == index[node] {
                    let mut component = Vec::new();
                    while let Some(member) = stack.pop() {
                        on_stack[member] = false;
                        component.push(names[member].clone());
                        if member == node {
                            break;
                        }
                    }
                    component.sort();
                    out.push(component);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn graph(edges: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        edges
            .iter()
            .map(|(a, bs)| (a.to_string(), bs.iter().map(|b| b.to_string()).collect()))
            .collect()
    }

    #[test]
    pub(crate) fn finds_cycles() {
        let g = graph(&[("A", &["B"]), ("B", &["A"]), ("C", &["A"]), ("D", &["D"])]);
        let mut sccs = components(&g);
        sccs.sort();
        assert_eq!(
            sccs,
            vec![
                vec!["A".to_string(), "B".to_string()],
                vec!["C".to_string()],
                vec!["D".to_string()]
            ]
        );
    }

    #[test]
    pub(crate) fn long_chains_do_not_recurse() {
        let mut g = BTreeMap::new();
        for i in 0..200_000 {
            g.insert(format!("T{i:06}"), vec![format!("T{:06}", i + 1)]);
        }
        assert_eq!(components(&g).len(), 200_000);
    }
}
