//! `sessions.csv`: one row per session with turn and word counts per role; for each marker its count
//! and its rate per 100 turns of the side it is found on (the scored role's turns for client
//! markers, the practitioner's for practitioner markers: the LIWC convention of a rate beside its
//! base); and the episodes: how many, strains, ruptures, repaired, resolved, unrepaired, and the
//! share of the client's turns that fall inside one.

use super::csv_bytes;
use crate::detect::{registry, Analysis, Marker, Side};
use crate::episode::{Episode, Resolution, Severity};
use crate::model::Role;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

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
        for (t, tokens) in a.session.turns.iter().zip(&a.tokens) {
            turns[slot(t.role)] += 1;
            words[slot(t.role)] += tokens.word_count();
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

/// The fields of one row, in the order of [`header`].
fn fields(r: &SessionRow) -> Vec<String> {
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
}

/// One row as a CSV line.
fn row_bytes(r: &SessionRow) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(fields(r)).expect("writing to memory");
    w.into_inner().expect("writing to memory")
}

/// `sessions.csv`, built without holding the rows: each row is appended to a spill file as its
/// session is scored, and at the end the spill is written out in session id order. When the rows
/// came in id order already (a folder of transcripts is read in name order) it is copied as it is,
/// and memory does not grow with the corpus at all; otherwise an index of ids and places is built
/// from the spill, and the rows are written through it.
pub struct SessionTable {
    spill_path: PathBuf,
    spill: BufWriter<File>,
    rows: usize,
    /// Whether every row so far came after the one before in id order.
    in_order: bool,
    last: String,
    /// Marker counts over all rows, in registry order.
    pub marker_counts: Vec<usize>,
    /// Episode counts over all rows.
    pub episodes: EpisodeCounts,
}

impl SessionTable {
    /// A table spilling into a file in `dir`.
    pub fn new(dir: &Path) -> std::io::Result<SessionTable> {
        let spill_path = dir.join("sessions.rows");
        Ok(SessionTable {
            spill: BufWriter::new(File::create(&spill_path)?),
            spill_path,
            rows: 0,
            in_order: true,
            last: String::new(),
            marker_counts: vec![0; registry().len()],
            episodes: EpisodeCounts::default(),
        })
    }

    pub fn push(&mut self, row: SessionRow) -> std::io::Result<()> {
        self.spill.write_all(&row_bytes(&row))?;
        if self.rows > 0 && row.session < self.last {
            self.in_order = false;
        }
        self.rows += 1;
        for (total, c) in self.marker_counts.iter_mut().zip(&row.counts) {
            *total += c;
        }
        self.episodes = std::mem::take(&mut self.episodes) + row.episodes;
        self.last = row.session;
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Writes the table, rows in session id order, to `path` (atomically).
    pub fn write_sorted(&mut self, path: &Path) -> std::io::Result<()> {
        self.spill.flush()?;
        let header = header();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let header_line = csv_bytes(&header, std::iter::empty::<[&str; 0]>());
        let mut spill = File::open(&self.spill_path)?;
        if self.in_order {
            return super::write_atomic_with(path, |w| {
                w.write_all(&header_line)?;
                std::io::copy(&mut spill, w).map(|_| ())
            });
        }
        // (session id, offset, length) of every row, read back from the spill.
        let mut index: Vec<(String, u64, usize)> = Vec::with_capacity(self.rows);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(&self.spill_path)?;
        let mut record = csv::StringRecord::new();
        let mut start = 0u64;
        while reader.read_record(&mut record)? {
            let end = reader.position().byte();
            index.push((
                record.get(0).unwrap_or("").to_string(),
                start,
                (end - start) as usize,
            ));
            start = end;
        }
        index.sort_by(|a, b| a.0.cmp(&b.0));
        let mut buf = Vec::new();
        super::write_atomic_with(path, |w| {
            w.write_all(&header_line)?;
            for (_, offset, len) in &index {
                buf.resize(*len, 0);
                spill.seek(SeekFrom::Start(*offset))?;
                spill.read_exact(&mut buf)?;
                w.write_all(&buf)?;
            }
            Ok(())
        })
    }
}
