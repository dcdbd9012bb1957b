//! The WebVTT format.

use super::{ParseError, Parsed};

/// Parses a WebVTT transcript.
pub fn parse_vtt(src: &str) -> Result<Parsed, ParseError> {
    let _ = src;
    Err(ParseError {
        line: None,
        message: "WebVTT is not read yet".into(),
    })
}
