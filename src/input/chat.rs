//! The CHAT format.

use super::{ParseError, Parsed};

/// Parses a CHAT transcript.
pub fn parse_chat(src: &str) -> Result<Parsed, ParseError> {
    let _ = src;
    Err(ParseError {
        line: None,
        message: "CHAT is not read yet".into(),
    })
}
