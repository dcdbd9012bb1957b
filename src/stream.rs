//! The streaming mode, `rupture score --stdin-jsonl`: ConvoKit-style utterance lines on standard
//! input, grouped by conversation (lines of one conversation together), and marker rows as CSV on
//! standard output, one header first. Each conversation is scored as soon as its last line has been
//! read, so memory holds one conversation at a time and the command can serve unchanged as the
//! mapper of Hadoop Streaming or as the program of Spark's `RDD.pipe`.

use crate::config::ScoreConfig;
use crate::detect::Analysis;
use crate::episode::episodes;
use crate::input::convokit::parse_convokit;
use crate::output::markers::{markers_csv, HEADER};
use anyhow::{Context, Result};
use std::io::{BufRead, Write};

/// What a streaming run did.
#[derive(Debug, Default)]
pub struct StreamOutcome {
    pub sessions: usize,
    pub markers: usize,
    pub failed: usize,
}

/// The conversation a line belongs to, read without parsing the rest of it.
fn conversation(line: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    let id = v.get("conversation_id").or_else(|| v.get("root"))?;
    Some(match id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// Reads utterance lines from `input` and writes marker rows to `output`.
pub fn stream(
    cfg: &ScoreConfig,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<StreamOutcome> {
    let mut out = StreamOutcome::default();
    output.write_all(&crate::output::csv_bytes(
        HEADER,
        std::iter::empty::<[&str; 0]>(),
    ))?;
    let mut chunk = String::new();
    let mut current: Option<String> = None;
    let mut first_line = 1;
    // Conversations already scored: one seen again means the input is not grouped.
    let mut done: std::collections::HashSet<Option<String>> = Default::default();
    let mut skipping = false;
    for (n, line) in input.lines().enumerate() {
        let line = line.context("cannot read standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        let id = conversation(&line);
        if id != current {
            if !chunk.is_empty() {
                score_chunk(cfg, &chunk, first_line, &mut output, &mut out)?;
                chunk.clear();
            }
            done.insert(current.take());
            skipping = done.contains(&id);
            if skipping {
                eprintln!(
                    "error: <stdin>:{}: conversation {} appears again after other conversations; \
                     sort the lines by conversation (its later lines are skipped)",
                    n + 1,
                    id.as_deref().unwrap_or("(none)")
                );
                out.failed += 1;
            }
        }
        current = id;
        if skipping {
            continue;
        }
        if chunk.is_empty() {
            first_line = n + 1;
        }
        chunk.push_str(&line);
        chunk.push('\n');
    }
    if !chunk.is_empty() {
        score_chunk(cfg, &chunk, first_line, &mut output, &mut out)?;
    }
    output.flush()?;
    Ok(out)
}

/// Scores one conversation's lines (starting at line `first_line` of the input).
fn score_chunk(
    cfg: &ScoreConfig,
    chunk: &str,
    first_line: usize,
    output: &mut impl Write,
    out: &mut StreamOutcome,
) -> Result<()> {
    let sessions = match parse_convokit(chunk) {
        Ok(s) => s,
        Err(e) => {
            let line = e.line.map(|l| l + first_line - 1);
            match line {
                Some(l) => eprintln!("error: <stdin>:{l}: {}", e.message),
                None => eprintln!("error: <stdin>: {}", e.message),
            }
            out.failed += 1;
            return Ok(());
        }
    };
    for (id, parsed) in sessions {
        if cfg.shard.is_some_and(|s| !s.contains(&id)) {
            continue;
        }
        let mut session = crate::model::Session {
            id,
            source: "<stdin>".into(),
            turns: parsed.turns,
            role_hints: parsed.role_hints,
        };
        if cfg.read.merge_turns {
            session.merge_consecutive_turns();
        }
        cfg.roles.apply(&mut session);
        let analysis = Analysis::new(&session, &cfg.lexicon, &cfg.rules);
        let markers = analysis.detect(&cfg.lexicon);
        let episodes = episodes(&analysis, &markers, &cfg.rules.episodes);
        let bytes = markers_csv(&analysis, &markers, &episodes, cfg.no_text);
        // Each session's file starts with the header, already written once.
        let body = bytes
            .iter()
            .position(|&b| b == b'\n')
            .map_or(&bytes[..0], |i| &bytes[i + 1..]);
        output.write_all(body)?;
        out.sessions += 1;
        out.markers += markers.len();
    }
    Ok(())
}
