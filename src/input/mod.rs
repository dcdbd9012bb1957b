//! Reading transcripts: one module per format, each a pure `parse_*(&str)`; this module decodes the
//! bytes, picks the format (by extension, then by content) and turns a file into sessions.

mod captions;
pub mod chat;
pub mod convokit;
pub mod decode;
pub mod format;
pub mod otter;
pub mod srt;
pub mod table;
mod tally;
pub mod text;
pub mod vtt;
pub mod whisper;

use crate::model::{Role, Session, Turn};
pub use format::Format;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::Path;
pub use table::Columns;

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 500_000_000;

/// What a parser could not read, with the line where it is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The turns of one session as parsed, with any warnings (things read but worth knowing).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub turns: Vec<Turn>,
    pub warnings: Vec<ParseError>,
    /// Roles the file declares for its speaker labels, if the format has a place for them.
    pub role_hints: BTreeMap<String, Role>,
}

/// Sessions read from a file that holds several, in order of first appearance: (session id, turns).
pub type Sessions = Vec<(String, Parsed)>;

/// Reads a time as seconds: `12.5`, `MM:SS`, `H:MM:SS` or `HH:MM:SS.mmm` (a comma may stand for the
/// decimal point, as in SRT).
pub fn parse_time(s: &str) -> Option<f64> {
    let s = s.trim().replace(',', ".");
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut total = 0.0;
    for (i, p) in parts.iter().enumerate() {
        let last = i == parts.len() - 1;
        let ok = p.chars().all(|c| c.is_ascii_digit() || (last && c == '.'));
        if !ok {
            return None;
        }
        let v: f64 = p.parse().ok()?;
        if i > 0 && v >= 60.0 {
            return None;
        }
        total = total * 60.0 + v;
    }
    total.is_finite().then_some(total)
}

/// How to read files: the options of the command line that concern input.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    pub format: Format,
    pub columns: Columns,
    pub encoding: decode::Encoding,
    /// Join consecutive records of one speaker into one turn.
    pub merge_turns: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: Format::Auto,
            columns: Columns::default(),
            encoding: decode::Encoding::Auto,
            merge_turns: false,
        }
    }
}

/// Everything read from one file: its sessions and the encoding it was in.
#[derive(Debug)]
pub struct FileSessions {
    pub sessions: Vec<Session>,
    pub warnings: Vec<ParseError>,
    pub encoding: &'static str,
}

/// Reads one file into sessions. `text_id` is the session id for one-session formats (and for a
/// spreadsheet without a session column).
pub fn read_file(
    path: &Path,
    text_id: &str,
    options: &ReadOptions,
) -> Result<FileSessions, ParseError> {
    let columns = &options.columns;
    let fail = |message: String| ParseError {
        line: None,
        message,
    };
    let cannot = |e: std::io::Error| fail(format!("cannot read the file: {e}"));
    // The type is checked before the file is opened: opening a pipe would wait for a writer.
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(fail("not a regular file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(format!(
            "the file is {} MB, over the {} MB limit; split it into smaller files",
            meta.len() / 1_000_000,
            MAX_FILE_BYTES / 1_000_000
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    std::fs::File::open(path)
        .and_then(|mut file| file.read_to_end(&mut bytes))
        .map_err(cannot)?;
    let decoded = decode::decode_as(&bytes, options.encoding).map_err(fail)?;
    let mut warnings = Vec::new();
    if decoded.encoding == "windows-1252" && options.encoding == decode::Encoding::Auto {
        warnings.push(fail(
            "the file is not valid UTF-8; read it as Windows-1252 (save it as UTF-8 to be sure)"
                .into(),
        ));
    }
    let text = normalize_newlines(&decoded.text);
    let format = match options.format {
        Format::Auto => Format::detect(path, &text),
        f => f,
    };
    let sessions: Sessions = match format {
        Format::Auto | Format::Text => vec![(String::new(), text::parse_text(&text)?)],
        Format::Csv => table::parse_table(&text, b',', columns)?,
        Format::Tsv => table::parse_table(&text, b'\t', columns)?,
        Format::Vtt => vec![(String::new(), vtt::parse_vtt(&text)?)],
        Format::Srt => vec![(String::new(), srt::parse_srt(&text)?)],
        Format::Whisper => vec![(String::new(), whisper::parse_whisper(&text)?)],
        Format::Convokit => convokit::parse_convokit(&text)?,
        Format::Chat => vec![(String::new(), chat::parse_chat(&text)?)],
        Format::Otter => vec![(String::new(), otter::parse_otter(&text)?)],
    };
    let sessions = sessions
        .into_iter()
        .map(|(id, parsed)| {
            warnings.extend(parsed.warnings);
            let mut session = Session {
                id: if id.is_empty() {
                    text_id.to_string()
                } else {
                    id
                },
                source: path.to_path_buf(),
                turns: parsed.turns,
                role_hints: parsed.role_hints,
            };
            if options.merge_turns {
                session.merge_consecutive_turns();
            }
            session
        })
        .collect();
    Ok(FileSessions {
        sessions,
        warnings,
        encoding: decoded.encoding,
    })
}

/// CRLF and lone CR line endings as LF, so every parser sees one kind.
fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("12.5"), Some(12.5));
        assert_eq!(parse_time("01:02"), Some(62.0));
        assert_eq!(parse_time("1:02:03"), Some(3723.0));
        assert_eq!(parse_time("00:00:01,250"), Some(1.25));
        assert_eq!(parse_time("00:61"), None);
        assert_eq!(parse_time("soon"), None);
        assert_eq!(parse_time(""), None);
        assert_eq!(parse_time("1.2:3"), None);
    }

    #[test]
    fn line_endings_are_unified() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
    }
}
