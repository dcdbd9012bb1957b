//! The ConvoKit JSONL format.

use super::{ParseError, Sessions};

/// Parses a ConvoKit JSONL transcript.
pub fn parse_convokit(src: &str) -> Result<Sessions, ParseError> {
    let _ = src;
    Err(ParseError {
        line: None,
        message: "ConvoKit JSONL is not read yet".into(),
    })
}
