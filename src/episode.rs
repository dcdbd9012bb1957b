//! From markers to episodes: where the alliance strained, whether the strain became a rupture,
//! whether the practitioner repaired it and whether the client came back.
//!
//! The rules, each a setting in [`EpisodeRules`]:
//! - **grouping**: client markers at most `window` turns apart belong to one episode, which runs from
//!   its first to its last client marker; practitioner markers inside it belong to it too;
//! - **family**: withdrawal, confrontation, or mixed when it holds both;
//! - **severity**: a `rupture` when it has at least `rupture_markers` client marker turns, or a client
//!   marker scoring at least `rupture_score`, or an open complaint about the practitioner, progress or
//!   control (dissatisfaction of those subtypes scoring at least 0.7); otherwise a `strain`;
//! - **salience** (1-5, in the manner of the 3RS observer scale, from barely evident to pervasive):
//!   1, plus one each for a marker scoring 0.7 or more, being a rupture, having 3 or more client
//!   marker turns, and mixing families or drawing a practitioner confrontation;
//! - **repair**: a repair marker from the episode's first turn to `repair_window` turns after its last;
//! - **resolution**: `unrepaired` without a repair; `resolved` when, in the `resolution_window` turns
//!   after the last repair, the client speaks, has no further marker, and their turns average at
//!   least `reengage_share` of their median length in the session and `reengage_min_words` words;
//!   `unresolved` otherwise.

use crate::detect::{Analysis, Family, Marker};
use crate::model::Role;
use crate::rules::EpisodeRules;

/// Strain or rupture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Strain,
    Rupture,
}

/// What came of an episode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Repaired, and the client re-engaged.
    Resolved,
    /// Repair attempted; the client did not re-engage.
    Unresolved,
    /// No repair.
    Unrepaired,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Strain => "strain",
            Severity::Rupture => "rupture",
        }
    }
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Resolved => "resolved",
            Resolution::Unresolved => "unresolved",
            Resolution::Unrepaired => "unrepaired",
        }
    }
}

/// One episode of a session. Turn positions are 0-based indices into the session's turns.
#[derive(Clone, Debug, PartialEq)]
pub struct Episode {
    /// `E1`, `E2`... in session order.
    pub id: String,
    pub first: usize,
    pub last: usize,
    /// `withdrawal`, `confrontation` or `mixed`.
    pub family: &'static str,
    pub severity: Severity,
    pub salience: u8,
    /// Indices into the session's markers of those that belong to the episode.
    pub markers: Vec<usize>,
    /// The turn of the last repair that counts for the episode.
    pub repair: Option<usize>,
    pub resolution: Resolution,
}

/// Subtypes of dissatisfaction that make a complaint an open confrontation.
const OPEN: &[&str] = &["practitioner", "progress", "control"];

/// Groups the markers of an analysed session into episodes.
pub fn episodes(a: &Analysis, markers: &[Marker], rules: &EpisodeRules) -> Vec<Episode> {
    let practitioner = |m: &Marker| a.session.turns[m.turn].role == Role::Therapist;
    let client: Vec<usize> = (0..markers.len())
        .filter(|&i| !practitioner(&markers[i]))
        .collect();

    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in client {
        match groups.last_mut() {
            Some(g)
                if markers[i].turn
                    <= markers[*g.last().expect("groups are never empty")].turn + rules.window =>
            {
                g.push(i)
            }
            _ => groups.push(vec![i]),
        }
    }

    let mut out = Vec::new();
    for (n, group) in groups.into_iter().enumerate() {
        let first = markers[group[0]].turn;
        let last = markers[*group.last().expect("groups are never empty")].turn;
        let mut turns: Vec<usize> = group.iter().map(|&i| markers[i].turn).collect();
        turns.dedup();
        let has = |f: Family| group.iter().any(|&i| markers[i].family == f);
        let family = match (has(Family::Withdrawal), has(Family::Confrontation)) {
            (true, true) => "mixed",
            (false, true) => "confrontation",
            _ => "withdrawal",
        };
        let max_score = group
            .iter()
            .map(|&i| markers[i].finding.score)
            .fold(0.0, f64::max);
        let open = group.iter().any(|&i| {
            let m = &markers[i];
            m.marker == "dissatisfaction"
                && m.finding.score >= 0.7
                && m.finding
                    .subtype
                    .as_deref()
                    .is_some_and(|s| OPEN.contains(&s))
        });
        let severity =
            if turns.len() >= rules.rupture_markers || max_score >= rules.rupture_score || open {
                Severity::Rupture
            } else {
                Severity::Strain
            };

        let in_span: Vec<usize> = (0..markers.len())
            .filter(|&i| {
                practitioner(&markers[i]) && markers[i].turn >= first && markers[i].turn <= last
            })
            .collect();
        let repair = markers
            .iter()
            .filter(|m| {
                m.marker == "repair" && m.turn >= first && m.turn <= last + rules.repair_window
            })
            .map(|m| m.turn)
            .max();
        let confronted = in_span
            .iter()
            .any(|&i| markers[i].marker == "practitioner_confrontation");
        let salience = 1
            + u8::from(max_score >= 0.7)
            + u8::from(severity == Severity::Rupture)
            + u8::from(turns.len() >= 3)
            + u8::from(family == "mixed" || confronted);

        let resolution = match repair {
            None => Resolution::Unrepaired,
            Some(r) => resolution_after(a, markers, r, rules),
        };
        let repair_markers = (0..markers.len()).filter(|&i| {
            markers[i].marker == "repair"
                && markers[i].turn >= first
                && markers[i].turn <= last + rules.repair_window
        });
        let mut members: Vec<usize> = group
            .into_iter()
            .chain(in_span)
            .chain(repair_markers)
            .collect();
        members.sort_unstable();
        members.dedup();
        out.push(Episode {
            id: format!("E{}", n + 1),
            first,
            last,
            family,
            severity,
            salience: salience.min(5),
            markers: members,
            repair,
            resolution,
        });
    }
    out
}

/// Whether the client re-engaged in the turns after the repair at turn `r`.
fn resolution_after(
    a: &Analysis,
    markers: &[Marker],
    r: usize,
    rules: &EpisodeRules,
) -> Resolution {
    let end = (r + rules.resolution_window).min(a.session.turns.len() - 1);
    let client_turns: Vec<usize> = (r + 1..=end)
        .filter(|&i| a.session.turns[i].role == a.scored)
        .collect();
    if client_turns.is_empty() {
        return Resolution::Unresolved;
    }
    let marked = markers
        .iter()
        .any(|m| m.turn > r && m.turn <= end && a.session.turns[m.turn].role != Role::Therapist);
    let words: usize = client_turns.iter().map(|&i| a.tokens[i].word_count()).sum();
    let mean = words as f64 / client_turns.len() as f64;
    if !marked && mean >= (rules.reengage_share * a.baseline).max(rules.reengage_min_words) {
        Resolution::Resolved
    } else {
        Resolution::Unresolved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testing::{lexicon, rules, session};

    fn run(lines: &[&str]) -> Vec<Episode> {
        let s = session(lines);
        let a = Analysis::new(&s, lexicon(), rules());
        let markers = a.detect(lexicon());
        episodes(&a, &markers, &rules().episodes)
    }

    const LONG: &str = "C: Well the week was up and down, work was busy and I spent the weekend sorting the flat out.";

    #[test]
    fn no_markers_no_episodes() {
        let e = run(&[
            LONG,
            "T: How did the weekend go?",
            LONG,
            "T: That sounds like a lot.",
            LONG,
        ]);
        assert!(e.is_empty(), "{e:?}");
    }

    #[test]
    fn a_strain_left_alone() {
        let e = run(&[
            LONG,
            "T: How did that feel?",
            "C: I don't know.",
            "T: Okay. The group meets on Tuesdays at ten.",
            LONG,
        ]);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(
            (e[0].severity, e[0].resolution),
            (Severity::Strain, Resolution::Unrepaired)
        );
        assert_eq!((e[0].first, e[0].last), (2, 2));
    }

    #[test]
    fn a_rupture_repaired_and_resolved() {
        let e = run(&[
            LONG,
            "T: You need to cut down, the evidence is clear.",
            "C: You're not listening to me.",
            "T: That's fair, I jumped ahead. I'm sorry. What would be more useful?",
            "C: Honestly it would help to talk about why the evenings are so hard since the move and the new job.",
            "T: Tell me about the evenings.",
            LONG,
        ]);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].severity, Severity::Rupture);
        assert_eq!(e[0].repair, Some(3));
        assert_eq!(e[0].resolution, Resolution::Resolved);
    }

    #[test]
    fn a_repair_the_client_rejects() {
        let e = run(&[
            LONG,
            "T: How about a sleep diary?",
            "C: I've tried that, it doesn't work.",
            "T: I'm sorry, I jumped ahead. What would be more useful?",
            "C: Whatever.",
            "T: Okay.",
            "C: I don't know.",
        ]);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].resolution, Resolution::Unresolved);
        assert_eq!(e[0].family, "mixed");
    }

    #[test]
    fn markers_far_apart_are_separate_episodes() {
        let mut lines = vec![LONG, "T: How did that feel?", "C: I don't know."];
        for _ in 0..4 {
            lines.extend(["T: Tell me about the weekend.", LONG]);
        }
        lines.extend(["T: What was that like?", "C: Dunno."]);
        let e = run(&lines);
        assert_eq!(
            e.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["E1", "E2"]
        );
    }
}
