//! `markers/<session>.csv`: one row per marker, with the turn, who spoke, when, the cue that fired and
//! the words that fired it, so every count can be traced back to the transcript.

use super::{csv_bytes, seconds};
use crate::detect::{Analysis, Marker};
use crate::episode::Episode;
use std::path::PathBuf;

/// The columns, in order.
pub const HEADER: &[&str] = &[
    "session", "turn", "speaker", "role", "start", "end", "family", "marker", "cue", "evidence",
    "score", "subtype", "episode",
];

/// Separates evidence spans from one turn.
const SPAN_SEPARATOR: &str = " … ";

/// The words of a marker's turn that fired it (spans joined by ` … `; the whole turn when the
/// detector fired on the whole turn).
pub fn evidence(a: &Analysis, m: &Marker) -> String {
    let turn = &a.session.turns[m.turn];
    if m.finding.evidence.is_empty() {
        return turn.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    m.finding
        .evidence
        .iter()
        .map(|r| a.tokens[m.turn].source(&turn.text, r.clone()))
        .collect::<Vec<_>>()
        .join(SPAN_SEPARATOR)
}

/// The markers file of a session, relative to `markers/`: the id's path components, with characters
/// that cannot stand in a file name replaced by `_`.
pub fn markers_path(id: &str) -> PathBuf {
    let mut p = PathBuf::new();
    for part in id.split(['/', '\\']) {
        let clean: String = part
            .chars()
            .map(|c| {
                if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let clean = clean.trim();
        match clean {
            "" | "." => {}
            ".." => p.push("_"),
            c => p.push(c),
        }
    }
    if p.as_os_str().is_empty() {
        p.push("_");
    }
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    p.set_file_name(format!("{name}.csv"));
    p
}

/// The markers file of one session. With `no_text` the evidence column is left empty.
pub fn markers_csv(
    a: &Analysis,
    markers: &[Marker],
    episodes: &[Episode],
    no_text: bool,
) -> Vec<u8> {
    let session = a.session;
    let rows = markers.iter().enumerate().map(|(i, m)| {
        let turn = &session.turns[m.turn];
        let episode = episodes
            .iter()
            .find(|e| e.markers.contains(&i))
            .map(|e| e.id.clone())
            .unwrap_or_default();
        [
            session.id.clone(),
            turn.index.to_string(),
            turn.speaker.clone(),
            turn.role.to_string(),
            seconds(turn.start),
            seconds(turn.end),
            m.family.as_str().to_string(),
            m.marker.to_string(),
            m.finding.cue.clone(),
            if no_text {
                String::new()
            } else {
                evidence(a, m)
            },
            format!("{:.3}", m.finding.score),
            m.finding.subtype.clone().unwrap_or_default(),
            episode,
        ]
    });
    csv_bytes(HEADER, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_paths_are_safe() {
        assert_eq!(markers_path("site1/s004"), PathBuf::from("site1/s004.csv"));
        assert_eq!(markers_path("A01"), PathBuf::from("A01.csv"));
        assert_eq!(markers_path("../../etc/x"), PathBuf::from("_/_/etc/x.csv"));
        assert_eq!(markers_path("/abs"), PathBuf::from("abs.csv"));
        assert_eq!(markers_path("a:b?"), PathBuf::from("a_b_.csv"));
        assert_eq!(markers_path(""), PathBuf::from("_.csv"));
    }
}
