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

    /// Joins each run of consecutive turns by one speaker into one turn (its text joined with
    /// spaces, the first start, the last end, the first line) and numbers the turns again.
    pub fn merge_consecutive_turns(&mut self) {
        let mut merged: Vec<Turn> = Vec::with_capacity(self.turns.len());
        for t in self.turns.drain(..) {
            match merged.last_mut() {
                Some(last) if last.speaker == t.speaker => {
                    if !t.text.is_empty() {
                        if !last.text.is_empty() {
                            last.text.push(' ');
                        }
                        last.text.push_str(&t.text);
                    }
                    last.start = last.start.or(t.start);
                    last.end = t.end.or(last.end);
                }
                _ => merged.push(t),
            }
        }
        for (i, t) in merged.iter_mut().enumerate() {
            t.index = i + 1;
        }
        self.turns = merged;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(speaker: &str, text: &str, start: f64, end: f64) -> Turn {
        Turn {
            index: 0,
            speaker: speaker.into(),
            role: Role::Other,
            start: Some(start),
            end: Some(end),
            text: text.into(),
            line: start as usize,
        }
    }

    #[test]
    fn consecutive_turns_of_one_speaker_merge() {
        let mut s = Session {
            id: "s".into(),
            source: "s.vtt".into(),
            turns: vec![
                turn("T", "How was it?", 1.0, 2.0),
                turn("C", "Fine.", 3.0, 4.0),
                turn("C", "Well, mostly.", 5.0, 6.0),
                turn("T", "Mostly?", 7.0, 8.0),
            ],
            role_hints: BTreeMap::new(),
        };
        s.merge_consecutive_turns();
        assert_eq!(s.turns.len(), 3);
        let c = &s.turns[1];
        assert_eq!(
            (c.index, c.text.as_str(), c.start, c.end, c.line),
            (2, "Fine. Well, mostly.", Some(3.0), Some(6.0), 3)
        );
        assert_eq!(s.turns[2].index, 3);
    }
}
