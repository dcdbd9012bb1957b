//! `markers/<session>.csv`: one row per marker, with the turn, who spoke, when, the cue that fired and
//! the words that fired it, so every count can be traced back to the transcript.

use super::{csv_bytes, seconds};
use crate::detect::{Analysis, Marker};

/// The columns, in order.
pub const HEADER: &[&str] = &[
    "session", "turn", "speaker", "role", "start", "end", "family", "marker", "cue", "evidence",
    "score",
];

/// Separates evidence spans from one turn.
const SPAN_SEPARATOR: &str = " … ";

/// The markers file of one session. With `no_text` the evidence column is left empty.
pub fn markers_csv(a: &Analysis, markers: &[Marker], no_text: bool) -> Vec<u8> {
    let session = a.session;
    let rows = markers.iter().map(|m| {
        let turn = &session.turns[m.turn];
        let evidence = if no_text {
            String::new()
        } else if m.finding.evidence.is_empty() {
            turn.text.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            m.finding
                .evidence
                .iter()
                .map(|r| a.tokens[m.turn].source(&turn.text, r.clone()))
                .collect::<Vec<_>>()
                .join(SPAN_SEPARATOR)
        };
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
            evidence,
            format!("{:.3}", m.finding.score),
        ]
    });
    csv_bytes(HEADER, rows)
}
