//! Plain data shared by every stage: a session is a list of turns, each with a speaker, the role that
//! speaker plays, optional times and the words. Parsers build these; detectors and writers only read them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// The part a speaker plays in the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Therapist,
    Client,
    /// A label that maps to neither role (e.g. `Speaker 1`).
    Other,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Therapist => "therapist",
            Role::Client => "client",
            Role::Other => "other",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One turn: one input record (a labelled line with its continuation lines, or a spreadsheet row).
#[derive(Clone, Debug, PartialEq)]
pub struct Turn {
    /// 1-based position in the session.
    pub index: usize,
    pub speaker: String,
    pub role: Role,
    /// Seconds from the start of the recording, where the input gives them.
    pub start: Option<f64>,
    pub end: Option<f64>,
    pub text: String,
    /// Line of the input file the turn starts on (1-based), for error messages and tracing.
    pub line: usize,
}

/// One session (conversation) read from an input file.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// Stable identifier: relative path without extension for one-session files, the session column's
    /// value for spreadsheets.
    pub id: String,
    /// The file the session was read from, as given or found on the command line.
    pub source: PathBuf,
    pub turns: Vec<Turn>,
    /// Roles the file itself declares for its speaker labels (e.g. CHAT's `@Participants`).
    pub role_hints: BTreeMap<String, Role>,
}

impl Session {
    /// Whether any turn has a known client role. When none has, detectors score `other` turns instead.
    pub fn has_client(&self) -> bool {
        self.turns.iter().any(|t| t.role == Role::Client)
    }

    /// The roles the detectors score in this session.
    pub fn scored_role(&self) -> Role {
        if self.has_client() {
            Role::Client
        } else {
            Role::Other
        }
    }
}
