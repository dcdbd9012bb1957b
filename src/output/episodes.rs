//! `episodes/<session>.csv`: one row per episode, with its span, what kind it is, how it ended and
//! the words of its markers, so a supervisor can go straight to it in the recording.

use super::{csv_bytes, seconds};
use crate::detect::{Analysis, Marker};
use crate::episode::Episode;
use crate::output::markers::evidence;

pub const HEADER: &[&str] = &[
    "session",
    "episode",
    "first_turn",
    "last_turn",
    "start",
    "end",
    "family",
    "severity",
    "salience",
    "markers",
    "repaired",
    "repair_turn",
    "resolution",
    "evidence",
];

/// The episodes file of one session. With `no_text` the evidence column keeps turn numbers and
/// marker names but no words.
pub fn episodes_csv(
    a: &Analysis,
    markers: &[Marker],
    episodes: &[Episode],
    no_text: bool,
) -> Vec<u8> {
    let turns = &a.session.turns;
    let rows = episodes.iter().map(|e| {
        let names: Vec<String> = e
            .markers
            .iter()
            .map(|&i| format!("{}@{}", markers[i].marker, turns[markers[i].turn].index))
            .collect();
        let said: Vec<String> = e
            .markers
            .iter()
            .map(|&i| {
                let m = &markers[i];
                let t = turns[m.turn].index;
                if no_text {
                    format!("{t} {}", m.marker)
                } else {
                    format!("{t} {}: {}", m.marker, evidence(a, m))
                }
            })
            .collect();
        [
            a.session.id.clone(),
            e.id.clone(),
            turns[e.first].index.to_string(),
            turns[e.last].index.to_string(),
            seconds(turns[e.first].start),
            seconds(turns[e.last].end.or(turns[e.last].start)),
            e.family.to_string(),
            e.severity.as_str().to_string(),
            e.salience.to_string(),
            names.join(" "),
            if e.repair.is_some() { "yes" } else { "no" }.to_string(),
            e.repair
                .map(|r| turns[r].index.to_string())
                .unwrap_or_default(),
            e.resolution.as_str().to_string(),
            said.join(" | "),
        ]
    });
    csv_bytes(HEADER, rows)
}
