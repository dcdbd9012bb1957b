//! `sessions.csv`: one row per session with turn and word counts per role; for each marker its count
//! and its rate per 100 turns of the side it is found on (the scored role's turns for client
//! markers, the practitioner's for practitioner markers: the LIWC convention of a rate beside its
//! base); and the episodes: how many, strains, ruptures, repaired, resolved, unrepaired, and the
//! share of the client's turns that fall inside one.

use super::csv_bytes;
use crate::detect::{registry, Analysis, Marker, Side};
use crate::episode::{Episode, Resolution, Severity};
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
    pub episodes: EpisodeCounts,
}

/// Episode figures of a session (or, summed, of a run).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct EpisodeCounts {
    pub episodes: usize,
    pub strains: usize,
    pub ruptures: usize,
    pub repaired: usize,
    pub resolved: usize,
    pub unrepaired: usize,
    /// Scored-role turns inside an episode, out of all scored-role turns.
    #[serde(skip)]
    pub client_turns_inside: usize,
}

impl std::ops::Add for EpisodeCounts {
    type Output = EpisodeCounts;

    fn add(self, o: EpisodeCounts) -> EpisodeCounts {
        EpisodeCounts {
            episodes: self.episodes + o.episodes,
            strains: self.strains + o.strains,
            ruptures: self.ruptures + o.ruptures,
            repaired: self.repaired + o.repaired,
            resolved: self.resolved + o.resolved,
            unrepaired: self.unrepaired + o.unrepaired,
            client_turns_inside: self.client_turns_inside + o.client_turns_inside,
        }
    }
}

fn slot(role: Role) -> usize {
    match role {
        Role::Therapist => 0,
        Role::Client => 1,
        Role::Other => 2,
    }
}

impl SessionRow {
    pub fn new(
        a: &Analysis,
        markers: &[Marker],
        episodes: &[Episode],
        encoding: &'static str,
    ) -> SessionRow {
        let mut turns = [0; 3];
        let mut words = [0; 3];
        for t in &a.session.turns {
            turns[slot(t.role)] += 1;
            words[slot(t.role)] += count_words(&t.text);
        }
        let counts = registry()
            .iter()
            .map(|d| markers.iter().filter(|m| m.marker == d.name()).count())
            .collect();
        let count = |f: &dyn Fn(&Episode) -> bool| episodes.iter().filter(|e| f(e)).count();
        let episodes = EpisodeCounts {
            episodes: episodes.len(),
            strains: count(&|e| e.severity == Severity::Strain),
            ruptures: count(&|e| e.severity == Severity::Rupture),
            repaired: count(&|e| e.repair.is_some()),
            resolved: count(&|e| e.resolution == Resolution::Resolved),
            unrepaired: count(&|e| e.resolution == Resolution::Unrepaired),
            client_turns_inside: a
                .session
                .turns
                .iter()
                .enumerate()
                .filter(|(i, t)| {
                    t.role == a.scored && episodes.iter().any(|e| (e.first..=e.last).contains(i))
                })
                .count(),
        };
        SessionRow {
            session: a.session.id.clone(),
            source: a.session.source.display().to_string(),
            encoding,
            turns,
            words,
            scored_role: a.scored,
            scored_turns: turns[slot(a.scored)],
            counts,
            episodes,
        }
    }
}

/// The header: fixed columns, `<marker>,<marker>_per100` for every marker, then the episodes.
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
    for d in registry() {
        h.push(d.name().to_string());
        h.push(format!("{}_per100", d.name()));
    }
    for c in [
        "episodes",
        "strains",
        "ruptures",
        "repaired",
        "resolved",
        "unrepaired",
        "client_turns_in_episodes_pct",
    ] {
        h.push(c.to_string());
    }
    h
}

/// A count per 100 of `base`, 2 decimals; empty when there is no base.
fn per100(count: usize, base: usize) -> String {
    if base == 0 {
        String::new()
    } else {
        format!("{:.2}", count as f64 * 100.0 / base as f64)
    }
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
        for (d, &c) in registry().iter().zip(&r.counts) {
            let base = match d.side() {
                Side::Client => r.scored_turns,
                Side::Practitioner => r.turns[0],
            };
            v.push(c.to_string());
            v.push(per100(c, base));
        }
        let e = &r.episodes;
        for n in [
            e.episodes,
            e.strains,
            e.ruptures,
            e.repaired,
            e.resolved,
            e.unrepaired,
        ] {
            v.push(n.to_string());
        }
        v.push(per100(e.client_turns_inside, r.scored_turns));
        v
    });
    csv_bytes(&header, rows)
}
