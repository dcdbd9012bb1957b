//! The SRT format.

use super::{ParseError, Parsed};

/// Parses a SRT transcript.
pub fn parse_srt(src: &str) -> Result<Parsed, ParseError> {
    let _ = src;
    Err(ParseError {
        line: None,
        message: "SRT is not read yet".into(),
    })
}
