//! Warnings about a document, collected by every stage that reads it and handed back at the end.

use crate::error::Warning;
use std::collections::BTreeSet;

/// What the generator could only type loosely, by JSON pointer. Passed by `&mut` from stage to
/// stage; each warning is kept once, in pointer order, whichever stage found it.
#[derive(Debug, Default)]
pub struct Diagnostics {
    warnings: BTreeSet<Warning>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that the construct at `pointer` was handled as `message` says.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.insert(Warning {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    /// Takes in the warnings another stage collected apart.
    pub fn absorb(&mut self, other: Diagnostics) {
        self.warnings.extend(other.warnings);
    }

    /// The warnings, sorted by pointer.
    pub fn into_warnings(self) -> Vec<Warning> {
        self.warnings.into_iter().collect()
    }
}
