//! Running `rupture eval`: gathers the gold, the predictions (or a second coder's codes) and the
//! baselines, and turns them into rows.

use super::baseline::{self, BASELINES};
use super::{compare, read_codes, read_predictions, read_turns, Codes, Row};
use crate::config::ScoreConfig;
use crate::detect::marker_names;
use crate::discover::discover;
use crate::input::read_file;
use anyhow::{Context, Result};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What to evaluate.
#[derive(Debug, Clone)]
pub struct EvalConfig {
    pub gold: PathBuf,
    pub predictions: PathBuf,
    pub tolerance: usize,
    /// Another coder's codes, compared with the gold instead of the tool's markers.
    pub versus: Option<PathBuf>,
    pub baselines: bool,
    /// Coded episodes, compared with the predicted ones by overlap.
    pub episodes: Option<PathBuf>,
}

/// The rows, and notes worth printing (e.g. why the baselines were skipped).
pub struct Evaluation {
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
}

pub fn evaluate(cfg: &EvalConfig) -> Result<Evaluation> {
    let gold = read_codes(&cfg.gold)?;
    let turns = read_turns(&cfg.predictions)?;
    let mut notes = Vec::new();
    let gold_markers: BTreeSet<String> = gold
        .codes
        .values()
        .flat_map(|m| m.keys().cloned())
        .collect();

    if let Some(versus) = &cfg.versus {
        let other = read_codes(versus)?;
        let missing: Vec<&String> = gold
            .sessions
            .iter()
            .filter(|s| !turns.contains_key(*s))
            .collect();
        if !missing.is_empty() {
            anyhow::bail!(
                "coded sessions not in {}: {missing:?}",
                cfg.predictions.display()
            );
        }
        let only_one: Vec<&String> = gold
            .sessions
            .symmetric_difference(&other.sessions)
            .collect();
        if !only_one.is_empty() {
            notes.push(format!("sessions coded in only one of the two files (counted as coded with no marker in the other): {only_one:?}"));
        }
        let mut markers = gold_markers.clone();
        markers.extend(other.codes.values().flat_map(|m| m.keys().cloned()));
        let system = format!("versus:{}", versus.display());
        let rows = markers
            .iter()
            .map(|m| compare(&system, m, &gold, &other.codes, &turns, cfg.tolerance))
            .collect();
        return Ok(Evaluation { rows, notes });
    }

    let predicted = read_predictions(&cfg.predictions, &gold.sessions, &turns)?;
    let mut rows: Vec<Row> = marker_names()
        .iter()
        .map(|m| compare("rupture", m, &gold, &predicted, &turns, cfg.tolerance))
        .collect();
    if let Some(path) = &cfg.episodes {
        let coded: Vec<_> = super::episodes::read_spans(path)?
            .into_iter()
            .filter(|s| gold.sessions.contains(&s.session))
            .collect();
        let mut predicted = Vec::new();
        for session in &gold.sessions {
            let file = cfg
                .predictions
                .join("episodes")
                .join(crate::output::markers::markers_path(session));
            if file.exists() {
                predicted.extend(super::episodes::read_spans(&file)?);
            }
        }
        rows.extend(super::episodes::compare("rupture", &coded, &predicted));
    }
    let unscored: Vec<&String> = gold_markers
        .iter()
        .filter(|m| !marker_names().contains(&m.as_str()))
        .collect();
    if !unscored.is_empty() {
        notes.push(format!(
            "coded markers rupture does not detect, left out: {unscored:?}"
        ));
    }
    if cfg.baselines {
        match baseline_codes(&cfg.predictions, &gold.sessions) {
            Ok(codes) => {
                for (name, marker) in BASELINES {
                    rows.push(compare(
                        name,
                        marker,
                        &gold,
                        &codes[*name],
                        &turns,
                        cfg.tolerance,
                    ));
                }
            }
            Err(e) => notes.push(format!("baselines skipped: {e:#}")),
        }
    }
    Ok(Evaluation { rows, notes })
}

/// Reads the transcripts of the run in `dir` again (from its run.json) and runs the baselines on the
/// coded sessions; returns baseline name -> codes.
fn baseline_codes(
    dir: &Path,
    sessions: &BTreeSet<String>,
) -> Result<std::collections::HashMap<String, Codes>> {
    let (_, cfg) = ScoreConfig::from_run(dir, None)?;
    let (files, errors) = discover(&cfg.inputs, None, cfg.read.format);
    if let Some(e) = errors.first() {
        anyhow::bail!("cannot read the run's transcripts again ({e}); run eval from the folder the run was made in");
    }
    let mut out: std::collections::HashMap<String, Codes> = Default::default();
    for f in &files {
        let Ok(file) = read_file(&f.path, &f.id, &cfg.read) else {
            continue;
        };
        for mut s in file.sessions {
            if !sessions.contains(&s.id) {
                continue;
            }
            cfg.roles.apply(&mut s);
            for p in baseline::predict(&s, &cfg.lexicon) {
                out.entry(p.name.to_string())
                    .or_default()
                    .entry(s.id.clone())
                    .or_default()
                    .insert(p.marker.to_string(), p.turns);
            }
        }
    }
    for (name, _) in BASELINES {
        out.entry(name.to_string()).or_default();
    }
    Ok(out)
}

/// How far an F1 may fall below the recorded figure before `--check` fails.
pub const CHECK_MARGIN: f64 = 0.05;

/// The `eval` command: prints the figures, writes them with `--out`, and with `--check` returns
/// `true` (a failure) when an F1 fell more than [`CHECK_MARGIN`] below the recorded one.
pub fn main(args: crate::cli::EvalArgs) -> Result<bool> {
    let beside = args.gold.with_file_name("episodes.csv");
    let cfg = EvalConfig {
        gold: args.gold,
        predictions: args.predictions,
        tolerance: args.tolerance,
        episodes: args
            .episodes
            .or_else(|| (args.versus.is_none() && beside.exists()).then_some(beside)),
        versus: args.versus,
        baselines: !args.no_baselines,
    };
    let eval = evaluate(&cfg)?;
    print!("{}", super::rows_table(&eval.rows));
    for n in &eval.notes {
        eprintln!("note: {n}");
    }
    if let Some(out) = &args.out {
        crate::output::write_atomic(out, &super::rows_csv(&eval.rows))
            .with_context(|| format!("cannot write {}", out.display()))?;
    }
    if let Some(recorded) = &args.check {
        let worse = super::regressions(recorded, &eval.rows, "rupture", CHECK_MARGIN)?;
        for w in &worse {
            eprintln!("regression: {w}");
        }
        return Ok(!worse.is_empty());
    }
    Ok(false)
}
