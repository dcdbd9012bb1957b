//! The Whisper JSON format.

use super::{ParseError, Parsed};

/// Parses a Whisper JSON transcript.
pub fn parse_whisper(src: &str) -> Result<Parsed, ParseError> {
    let _ = src;
    Err(ParseError {
        line: None,
        message: "Whisper JSON is not read yet".into(),
    })
}
