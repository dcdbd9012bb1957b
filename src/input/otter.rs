//! The Otter text format.

use super::{ParseError, Parsed};

/// Parses a Otter text transcript.
pub fn parse_otter(src: &str) -> Result<Parsed, ParseError> {
    let _ = src;
    Err(ParseError {
        line: None,
        message: "Otter text is not read yet".into(),
    })
}
