//! `errors.csv`: one row per input that could not be scored, with the line where known and what to do.

use super::csv_bytes;

/// One input that failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorRow {
    pub path: String,
    pub line: Option<usize>,
    pub reason: String,
}

impl std::fmt::Display for ErrorRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

pub const HEADER: &[&str] = &["path", "line", "reason"];

pub fn errors_csv(rows: &[ErrorRow]) -> Vec<u8> {
    csv_bytes(
        HEADER,
        rows.iter().map(|r| {
            [
                r.path.clone(),
                r.line.map(|l| l.to_string()).unwrap_or_default(),
                r.reason.clone(),
            ]
        }),
    )
}
