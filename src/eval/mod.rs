//! `rupture eval`: how far to trust the numbers. Compares a coded gold set (`session,turn,marker`
//! rows) with the markers `rupture score` wrote, per marker: counts, true positives, precision,
//! recall, F1, Cohen's kappa over every turn of the coded sessions, and Spearman's correlation of
//! per-session counts. The naive baselines are scored on the same gold when the run's transcripts
//! can be read again, and another coder's codes can stand in for the predictions to measure
//! agreement between coders.

pub mod baseline;
pub mod episodes;
pub mod metrics;
pub mod run;

use crate::output::markers::markers_path;
use anyhow::{bail, Context, Result};
use metrics::{align, prf, spearman, Table};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Coded or predicted markers: session -> marker -> turns.
pub type Codes = BTreeMap<String, BTreeMap<String, BTreeSet<usize>>>;

/// A gold set: the coded sessions (also those coded with no marker) and their codes.
#[derive(Debug, Default)]
pub struct Gold {
    pub sessions: BTreeSet<String>,
    pub codes: Codes,
}

/// Reads a codes file: a header naming `session`, `turn` and `marker` (other columns are ignored);
/// one row per coded marker; a row with empty turn and marker declares a session coded with none.
pub fn read_codes(path: &Path) -> Result<Gold> {
    let shown = path.display();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot read {shown}"))?;
    let header = reader
        .headers()
        .with_context(|| format!("{shown}: cannot read the header"))?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .with_context(|| {
                format!("{shown}:1: no '{name}' column; the header needs session,turn,marker")
            })
    };
    let (s, t, m) = (col("session")?, col("turn")?, col("marker")?);
    let mut gold = Gold::default();
    for record in reader.records() {
        let record = record.with_context(|| format!("cannot read {shown}"))?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let session = field(s);
        if session.is_empty() {
            bail!("{shown}:{line}: the session is empty");
        }
        gold.sessions.insert(session.to_string());
        match (field(t), field(m)) {
            ("", "") => {}
            (turn, marker) if !marker.is_empty() => {
                let turn: usize = turn.parse().ok().filter(|&n| n > 0).with_context(|| {
                    format!("{shown}:{line}: turn '{turn}' is not a turn number (1, 2, ...)")
                })?;
                gold.codes
                    .entry(session.to_string())
                    .or_default()
                    .entry(marker.to_string())
                    .or_default()
                    .insert(turn);
            }
            (_, _) => bail!("{shown}:{line}: a turn without a marker; give both or neither"),
        }
    }
    Ok(gold)
}

/// The turn count of every session of a `rupture score` output folder.
pub fn read_turns(dir: &Path) -> Result<BTreeMap<String, usize>> {
    let path = dir.join("sessions.csv");
    let mut reader = csv::Reader::from_path(&path).with_context(|| {
        format!(
            "cannot read {}; give the output folder of `rupture score`",
            path.display()
        )
    })?;
    let col = column(reader.headers()?, "turns", &path)?;
    let mut turns = BTreeMap::new();
    for r in reader.records() {
        let r = r.with_context(|| format!("cannot read {}", path.display()))?;
        let n = r.get(col).and_then(|v| v.parse().ok()).unwrap_or(0);
        turns.insert(r.get(0).unwrap_or("").to_string(), n);
    }
    Ok(turns)
}

/// The position of column `name` in a header written by `rupture score`.
fn column(header: &csv::StringRecord, name: &str, path: &Path) -> Result<usize> {
    header.iter().position(|h| h == name).with_context(|| {
        format!(
            "{} has no '{name}' column; give a folder written by `rupture score`",
            path.display()
        )
    })
}

/// Reads the markers `rupture score` wrote for `sessions`. Names every session it cannot find.
pub fn read_predictions(
    dir: &Path,
    sessions: &BTreeSet<String>,
    turns: &BTreeMap<String, usize>,
) -> Result<Codes> {
    let missing: Vec<&str> = sessions
        .iter()
        .filter(|s| !turns.contains_key(*s))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        bail!(
            "{} coded session(s) are not in {}: {}; score their transcripts into that folder",
            missing.len(),
            dir.join("sessions.csv").display(),
            missing.join(", ")
        );
    }
    let mut codes = Codes::new();
    for session in sessions {
        let path = dir.join("markers").join(markers_path(session));
        let mut reader = csv::Reader::from_path(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let (turn_col, marker_col) = {
            let header = reader.headers()?;
            (
                column(header, "turn", &path)?,
                column(header, "marker", &path)?,
            )
        };
        let entry = codes.entry(session.clone()).or_default();
        for r in reader.records() {
            let r = r.with_context(|| format!("cannot read {}", path.display()))?;
            let turn = r.get(turn_col).and_then(|v| v.parse().ok()).unwrap_or(0);
            let marker = r.get(marker_col).unwrap_or("").to_string();
            entry.entry(marker).or_default().insert(turn);
        }
    }
    Ok(codes)
}

/// The figures for one marker.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub system: String,
    pub marker: String,
    pub gold: usize,
    pub predicted: usize,
    pub tp: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub kappa: Option<f64>,
    pub spearman: Option<f64>,
}

/// Compares `predicted` with the gold for `marker` over the coded sessions.
pub fn compare(
    system: &str,
    marker: &str,
    gold: &Gold,
    predicted: &Codes,
    turns: &BTreeMap<String, usize>,
    tolerance: usize,
) -> Row {
    let empty = BTreeSet::new();
    let (mut n_gold, mut n_pred, mut tp) = (0, 0, 0);
    let mut table = Table::default();
    let (mut counts_gold, mut counts_pred) = (Vec::new(), Vec::new());
    for session in &gold.sessions {
        let g = gold
            .codes
            .get(session)
            .and_then(|m| m.get(marker))
            .unwrap_or(&empty);
        let p = predicted
            .get(session)
            .and_then(|m| m.get(marker))
            .unwrap_or(&empty);
        let (aligned, hits) = align(g, p, tolerance);
        n_gold += g.len();
        n_pred += p.len();
        tp += hits;
        table.add(turns.get(session).copied().unwrap_or(0), g, &aligned);
        counts_gold.push(g.len() as f64);
        counts_pred.push(p.len() as f64);
    }
    let (precision, recall, f1) = prf(tp, n_gold, n_pred);
    Row {
        system: system.to_string(),
        marker: marker.to_string(),
        gold: n_gold,
        predicted: n_pred,
        tp,
        precision,
        recall,
        f1,
        kappa: table.kappa(),
        spearman: spearman(&counts_gold, &counts_pred),
    }
}

fn figure(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.3}")).unwrap_or_default()
}

/// The rows as CSV.
pub fn rows_csv(rows: &[Row]) -> Vec<u8> {
    crate::output::csv_bytes(
        &[
            "marker",
            "gold",
            "predicted",
            "tp",
            "precision",
            "recall",
            "f1",
            "kappa",
            "spearman",
            "system",
        ],
        rows.iter().map(|r| {
            [
                r.marker.clone(),
                r.gold.to_string(),
                r.predicted.to_string(),
                r.tp.to_string(),
                figure(r.precision),
                figure(r.recall),
                figure(r.f1),
                figure(r.kappa),
                figure(r.spearman),
                r.system.clone(),
            ]
        }),
    )
}

/// The rows as an aligned text table, one block per system.
pub fn rows_table(rows: &[Row]) -> String {
    let mut out = String::new();
    let mut last = "";
    for r in rows {
        if r.system != last {
            if !last.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!(
                "{}\n{:<22} {:>5} {:>5} {:>5} {:>9} {:>6} {:>6} {:>6} {:>8}\n",
                r.system,
                "marker",
                "gold",
                "pred",
                "tp",
                "precision",
                "recall",
                "f1",
                "kappa",
                "spearman"
            ));
            last = &r.system;
        }
        let f = |v: Option<f64>| v.map(|x| format!("{x:.3}")).unwrap_or_else(|| "-".into());
        out.push_str(&format!(
            "{:<22} {:>5} {:>5} {:>5} {:>9} {:>6} {:>6} {:>6} {:>8}\n",
            r.marker,
            r.gold,
            r.predicted,
            r.tp,
            f(r.precision),
            f(r.recall),
            f(r.f1),
            f(r.kappa),
            f(r.spearman)
        ));
    }
    out
}

/// Reads a file of recorded F1 figures (the CSV `rupture eval --out` writes) and lists every marker
/// of `system` whose F1 in `rows` is more than `margin` below it.
pub fn regressions(
    recorded: &Path,
    rows: &[Row],
    system: &str,
    margin: f64,
) -> Result<Vec<String>> {
    let mut reader = csv::Reader::from_path(recorded)
        .with_context(|| format!("cannot read {}", recorded.display()))?;
    let mut out = Vec::new();
    for r in reader.records() {
        let r = r.with_context(|| format!("cannot read {}", recorded.display()))?;
        if r.get(9) != Some(system) {
            continue;
        }
        let marker = r.get(0).unwrap_or("");
        let Some(before) = r.get(6).and_then(|v| v.parse::<f64>().ok()) else {
            continue;
        };
        let now = rows
            .iter()
            .find(|x| x.system == system && x.marker == marker)
            .and_then(|x| x.f1)
            .unwrap_or(0.0);
        if now + margin < before {
            out.push(format!("{marker}: F1 {now:.3}, recorded {before:.3}"));
        }
    }
    Ok(out)
}
