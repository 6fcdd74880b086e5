//! Errors and warnings that point at a place in an API document.

use serde_json::Value;
use std::fmt;

/// Something wrong with the input, located by file and JSON pointer. Displayed on one line:
/// `file: #/pointer: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub file: String,
    /// A JSON pointer (`/paths/~1runs/get`), empty for the whole document.
    pub pointer: String,
    pub message: String,
}

impl Error {
    pub fn new(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        Error {
            file: file.to_owned(),
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }
}

impl Error {
    /// An error whose message already names its file and place (from reading the settings or
    /// an overlay): shown as it is.
    pub fn located(message: impl Into<String>) -> Self {
        Error::new("", "", message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.file.is_empty() {
            return f.write_str(&one_line(&self.message));
        }
        write!(
            f,
            "{}: #{}: {}",
            self.file,
            self.pointer,
            one_line(&self.message)
        )
    }
}

impl std::error::Error for Error {}

/// A construct the generator could not type exactly and replaced by something looser.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}: {}", self.pointer, one_line(&self.message))
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A short description of what a JSON value is, for "expected X, found Y" messages.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let mut shown: String = s.chars().take(40).collect();
            if shown.len() < s.len() {
                shown.push_str("...");
            }
            format!("the string {shown:?}")
        }
        Value::Array(items) => format!("an array of {} items", items.len()),
        Value::Object(map) => format!("an object with {} keys", map.len()),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
