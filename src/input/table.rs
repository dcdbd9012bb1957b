//! Spreadsheets (CSV and TSV): one row per turn, several sessions per file. Columns are named with
//! `--session-col`, `--speaker-col`, `--text-col`, `--start-col` and `--end-col`, or found by their
//! usual names. Without a session column the whole file is one session.

use super::{parse_time, ParseError, Parsed, Sessions};
use crate::model::{Role, Turn};

/// Column names given on the command line; `None` means "find it by its usual names".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Columns {
    pub session: Option<String>,
    pub speaker: Option<String>,
    pub text: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
}

/// The names each column is found by, in order of preference (compared case-insensitively, with
/// spaces and hyphens read as underscores).
pub const SESSION_NAMES: &[&str] = &[
    "session",
    "session_id",
    "transcript_id",
    "transcript",
    "conversation_id",
    "conversation",
    "dialog_id",
    "dialogue_id",
    "interview_id",
    "file",
    "filename",
];
pub const SPEAKER_NAMES: &[&str] = &[
    "speaker",
    "interlocutor",
    "role",
    "speaker_role",
    "participant",
    "speaker_name",
    "spk",
    "who",
    "author",
];
pub const TEXT_NAMES: &[&str] = &[
    "text",
    "utterance",
    "utterance_text",
    "transcript_text",
    "content",
    "turn_text",
    "words",
    "message",
    "sentence",
];
pub const START_NAMES: &[&str] = &[
    "start",
    "start_time",
    "timestamp",
    "begin",
    "start_sec",
    "start_seconds",
    "onset",
    "time",
];
pub const END_NAMES: &[&str] = &[
    "end",
    "end_time",
    "stop",
    "end_sec",
    "end_seconds",
    "offset",
];

/// Parses a CSV (`delimiter` b',') or TSV (b'\t') file.
pub fn parse_table(src: &str, delimiter: u8, cols: &Columns) -> Result<Sessions, ParseError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(src.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(&e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header.iter().all(|h| h.is_empty()) {
        return Err(ParseError {
            line: Some(1),
            message: "the header row is empty; the first row must name the columns".into(),
        });
    }
    let find = |given: &Option<String>, names: &[&str], what: &str, flag: &str, required: bool| {
        locate(&header, given.as_deref(), names, what, flag, required)
    };
    let session = find(
        &cols.session,
        SESSION_NAMES,
        "session",
        "--session-col",
        false,
    )?;
    let speaker = find(
        &cols.speaker,
        SPEAKER_NAMES,
        "speaker",
        "--speaker-col",
        true,
    )?
    .expect("required column");
    let text = find(&cols.text, TEXT_NAMES, "text", "--text-col", true)?.expect("required column");
    let start = find(&cols.start, START_NAMES, "start time", "--start-col", false)?;
    let end = find(&cols.end, END_NAMES, "end time", "--end-col", false)?;

    let mut sessions: Sessions = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(&e)),
        }
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() < header.len() {
            return Err(ParseError {
                line: Some(line),
                message: format!(
                    "the row has {} fields but the header has {}; check for a missing delimiter or an unclosed quote",
                    record.len(),
                    header.len()
                ),
            });
        }
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let time = |col: Option<usize>| -> Result<Option<f64>, ParseError> {
            let Some(c) = col else { return Ok(None) };
            let v = field(c);
            if v.is_empty() {
                return Ok(None);
            }
            parse_time(v).map(Some).ok_or_else(|| ParseError {
                line: Some(line),
                message: format!(
                    "cannot read the time '{v}' in column '{}'; write seconds (12.5) or HH:MM:SS",
                    header[c]
                ),
            })
        };
        let id = session.map(|c| field(c).to_string()).unwrap_or_default();
        let slot = *index.entry(id.clone()).or_insert_with(|| {
            sessions.push((id, Parsed::default()));
            sessions.len() - 1
        });
        let turns = &mut sessions[slot].1.turns;
        turns.push(Turn {
            index: turns.len() + 1,
            speaker: field(speaker).to_string(),
            role: Role::Other,
            start: time(start)?,
            end: time(end)?,
            text: field(text).to_string(),
            line,
        });
    }
    if sessions.is_empty() {
        return Err(ParseError {
            line: None,
            message: "the spreadsheet has a header but no rows".into(),
        });
    }
    Ok(sessions)
}

fn normalise(name: &str) -> String {
    name.trim().to_lowercase().replace([' ', '-'], "_")
}

fn locate(
    header: &[String],
    given: Option<&str>,
    names: &[&str],
    what: &str,
    flag: &str,
    required: bool,
) -> Result<Option<usize>, ParseError> {
    let columns = header.join(", ");
    if let Some(g) = given {
        let g = normalise(g);
        return match header.iter().position(|h| normalise(h) == g) {
            Some(i) => Ok(Some(i)),
            None => Err(ParseError {
                line: Some(1),
                message: format!("no column '{g}' (given with {flag}); the columns are: {columns}"),
            }),
        };
    }
    for n in names {
        if let Some(i) = header.iter().position(|h| normalise(h) == *n) {
            return Ok(Some(i));
        }
    }
    if required {
        return Err(ParseError {
            line: Some(1),
            message: format!(
                "no {what} column found (looked for {}); the columns are: {columns}; name it with {flag}",
                names.join(", ")
            ),
        });
    }
    Ok(None)
}

fn csv_error(e: &csv::Error) -> ParseError {
    let line = e.position().map(|p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "a field is not valid text".to_string(),
        _ => format!("cannot read the row: {e}"),
    };
    ParseError { line, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_columns_by_usual_names_and_groups_sessions() {
        let src = "transcript_id,utterance_id,interlocutor,timestamp,utterance_text\n\
                   7,0,therapist,00:00:13,\"Hi, how are you?\"\n\
                   7,1,client,00:00:15,Fine.\n\
                   8,0,therapist,1.5,Hello.\n";
        let s = parse_table(src, b',', &Columns::default()).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].0, "7");
        let t = &s[0].1.turns;
        assert_eq!(
            (t[0].speaker.as_str(), t[0].start, t[0].text.as_str()),
            ("therapist", Some(13.0), "Hi, how are you?")
        );
        assert_eq!((t[1].index, t[1].line), (2, 3));
        assert_eq!(s[1].1.turns[0].start, Some(1.5));
    }

    #[test]
    fn named_columns_override_detection() {
        let src = "who\tsaid\tsess\nC\tHello\tx\n";
        let cols = Columns {
            session: Some("sess".into()),
            text: Some("said".into()),
            ..Columns::default()
        };
        let s = parse_table(src, b'\t', &cols).unwrap();
        assert_eq!(s[0].0, "x");
        assert_eq!(s[0].1.turns[0].text, "Hello");
    }

    #[test]
    fn missing_columns_are_named() {
        let e = parse_table("id,who,when\n1,a,b\n", b',', &Columns::default()).unwrap_err();
        assert!(e.message.contains("no text column"), "{}", e.message);
        assert!(e.message.contains("--text-col"), "{}", e.message);
    }

    #[test]
    fn bad_times_and_short_rows_name_the_line() {
        let e =
            parse_table("speaker,text,start\nC,hi,soon\n", b',', &Columns::default()).unwrap_err();
        assert_eq!(e.line, Some(2));
        let e =
            parse_table("speaker,text,start\nC,hi,1\nT\n", b',', &Columns::default()).unwrap_err();
        assert_eq!(e.line, Some(3));
    }
}
