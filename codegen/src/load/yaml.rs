//! A YAML document as a tree that takes numbers of any size (an integer beyond 64 bits becomes a
//! float, as JSON parsers read it), with tags dropped and merge keys (`<<`) applied.
//!
//! `yaml_serde::Value` refuses integers that need 128 bits, which real documents hold (a tool
//! printing `i64::MIN` as the float `-9223372036854776000`), so the parser fills this instead.

use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess};
use std::fmt;

/// One YAML node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    /// A float YAML spells as text that JSON has no number for (`.inf`, `.nan`).
    Special(String),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in document order; keys are nodes, as YAML allows.
    Map(Vec<(Node, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::UInt(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Float(v as f64))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Float(v as f64))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(if v.is_finite() {
            Node::Float(v)
        } else if v.is_nan() {
            Node::Special(".nan".to_owned())
        } else if v > 0.0 {
            Node::Special(".inf".to_owned())
        } else {
            Node::Special("-.inf".to_owned())
        })
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }

    /// A tagged node (`!tag value`): the tag says nothing OpenAPI reads; the value is kept.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Node, A::Error> {
        let (_tag, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant()
    }
}

impl Node {
    /// Applies merge keys throughout: a mapping's `<<` entry (a mapping, or a list of them) adds
    /// the entries whose keys the mapping does not have; earlier mappings in a list win.
    pub(crate) fn apply_merges(&mut self) -> Result<(), String> {
        match self {
            Node::Seq(items) => items.iter_mut().try_for_each(Node::apply_merges),
            Node::Map(entries) => {
                for (_, value) in entries.iter_mut() {
                    value.apply_merges()?;
                }
                let merged: Vec<Node> = entries
                    .iter()
                    .filter(|(key, _)| is_merge_key(key))
                    .map(|(_, value)| value.clone())
                    .collect();
                if merged.is_empty() {
                    return Ok(());
                }
                entries.retain(|(key, _)| !is_merge_key(key));
                for source in merged {
                    let sources = match source {
                        Node::Map(_) => vec![source],
                        Node::Seq(items) => items,
                        _ => return Err("a merge key whose value is not a mapping".to_owned()),
                    };
                    for source in sources {
                        let Node::Map(from) = source else {
                            return Err(
                                "a merge list holding something other than mappings".to_owned()
                            );
                        };
                        for (key, value) in from {
                            if !entries.iter().any(|(k, _)| *k == key) {
                                entries.push((key, value));
                            }
                        }
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

fn is_merge_key(key: &Node) -> bool {
    matches!(key, Node::Str(s) if s == "<<")
}
