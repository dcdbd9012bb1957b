//! `sessions.csv`: one row per session with turn and word counts per role, and for each marker its
//! count and its rate per 100 scored turns (the LIWC convention of a rate beside its base).

use super::csv_bytes;
use crate::detect::{marker_names, Analysis, Marker};
use crate::model::Role;
use crate::text::count_words;

/// The per-session figures.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionRow {
    pub session: String,
    pub source: String,
    /// The encoding the file was read in.
    pub encoding: &'static str,
    /// Turns and words by role: therapist, client, other.
    pub turns: [usize; 3],
    pub words: [usize; 3],
    pub scored_role: Role,
    pub scored_turns: usize,
    /// Marker counts in registry order.
    pub counts: Vec<usize>,
}

fn slot(role: Role) -> usize {
    match role {
        Role::Therapist => 0,
        Role::Client => 1,
        Role::Other => 2,
    }
}

impl SessionRow {
    pub fn new(a: &Analysis, markers: &[Marker], encoding: &'static str) -> SessionRow {
        let mut turns = [0; 3];
        let mut words = [0; 3];
        for t in &a.session.turns {
            turns[slot(t.role)] += 1;
            words[slot(t.role)] += count_words(&t.text);
        }
        let counts = marker_names()
            .iter()
            .map(|name| markers.iter().filter(|m| m.marker == *name).count())
            .collect();
        SessionRow {
            session: a.session.id.clone(),
            source: a.session.source.display().to_string(),
            encoding,
            turns,
            words,
            scored_role: a.scored,
            scored_turns: turns[slot(a.scored)],
            counts,
        }
    }
}

/// The header: fixed columns, then `<marker>,<marker>_per100` for every marker.
pub fn header() -> Vec<String> {
    let mut h: Vec<String> = [
        "session",
        "source",
        "encoding",
        "turns",
        "therapist_turns",
        "client_turns",
        "other_turns",
        "words",
        "therapist_words",
        "client_words",
        "other_words",
        "scored_role",
        "scored_turns",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for m in marker_names() {
        h.push(m.to_string());
        h.push(format!("{m}_per100"));
    }
    h
}

/// The sessions file, rows in the order given.
pub fn sessions_csv(rows: &[SessionRow]) -> Vec<u8> {
    let header = header();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = rows.iter().map(|r| {
        let mut v = vec![
            r.session.clone(),
            r.source.clone(),
            r.encoding.to_string(),
            r.turns.iter().sum::<usize>().to_string(),
            r.turns[0].to_string(),
            r.turns[1].to_string(),
            r.turns[2].to_string(),
            r.words.iter().sum::<usize>().to_string(),
            r.words[0].to_string(),
            r.words[1].to_string(),
            r.words[2].to_string(),
            r.scored_role.to_string(),
            r.scored_turns.to_string(),
        ];
        for &c in &r.counts {
            v.push(c.to_string());
            v.push(if r.scored_turns == 0 {
                String::new()
            } else {
                format!("{:.2}", c as f64 * 100.0 / r.scored_turns as f64)
            });
        }
        v
    });
    csv_bytes(&header, rows)
}
