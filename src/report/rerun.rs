//! `rupture report OUT_DIR`: the report of a finished `score` run. The pages need every turn, which
//! the CSVs do not hold, so the run's transcripts are read and scored again with the options and
//! rules its run.json recorded, into a scratch folder; only the `report/` folder is kept. The run
//! must come out as it was (same lexicon, same marker counts), or the report would not describe it.

use crate::cli::{Cli, Command};
use crate::config::ScoreConfig;
use crate::output::run::option_strings;
use anyhow::{bail, Context, Result};
use clap::Parser;
use std::path::Path;

/// Rebuilds the `score` command line of a run from its recorded options.
fn score_argv(o: &serde_json::Value, out: &Path) -> Vec<String> {
    let mut argv = vec!["rupture".to_string(), "score".to_string()];
    let strings = |key: &str| option_strings(o, key);
    argv.extend(strings("inputs"));
    for key in ["client", "therapist"] {
        for label in strings(key) {
            argv.push(format!("--{key}"));
            argv.push(label);
        }
    }
    for (key, flag) in [
        ("format", "--format"),
        ("encoding", "--encoding"),
        ("session_col", "--session-col"),
        ("speaker_col", "--speaker-col"),
        ("text_col", "--text-col"),
        ("start_col", "--start-col"),
        ("end_col", "--end-col"),
        ("shard", "--shard"),
    ] {
        if let Some(v) = o[key].as_str() {
            argv.push(flag.to_string());
            argv.push(v.to_string());
        }
    }
    if let Some(dir) = o["lexicons"].as_str().filter(|d| *d != "embedded") {
        argv.push("--lexicons".into());
        argv.push(dir.into());
    }
    for (key, flag) in [("no_text", "--no-text"), ("merge_turns", "--merge-turns")] {
        if o[key].as_bool() == Some(true) {
            argv.push(flag.into());
        }
    }
    argv.extend(["--report".into(), "--quiet".into(), "--out".into()]);
    argv.push(out.display().to_string());
    argv
}

/// Writes `out/report/` for the run in `out`; returns the number of session pages.
pub fn report(out: &Path, threads: Option<u16>) -> Result<usize> {
    let path = out.join("run.json");
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).with_context(|| {
            format!(
                "cannot read {}: give the output folder of `rupture score`",
                path.display()
            )
        })?)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    // A merged run records the options of its shards without the shard: one run of them all.
    if run["command"] != "score" && run["command"] != "merge" {
        bail!(
            "{} does not record a `score` or `merge` run; give the output folder of `rupture score`",
            path.display()
        );
    }
    let o = &run["options"];
    let scratch = tempfile::Builder::new()
        .prefix(".rupture-report-")
        .tempdir_in(out)
        .with_context(|| format!("cannot write in {}", out.display()))?;
    let mut argv = score_argv(o, scratch.path());
    if let Some(n) = threads {
        argv.extend(["--threads".into(), n.to_string()]);
    }
    let Command::Score(args) = Cli::try_parse_from(&argv)
        .with_context(|| format!("{} records options this version cannot use", path.display()))?
        .command
    else {
        unreachable!("the rebuilt command line is a score command")
    };
    let mut cfg = ScoreConfig::from_args(args)?;
    if let Some(rules) = o.get("rules").filter(|r| !r.is_null()) {
        cfg.rules = serde_json::from_value(rules.clone())
            .with_context(|| format!("{}: the recorded rules cannot be read", path.display()))?;
    }
    if run["lexicon"]["sha256"].as_str() != Some(cfg.lexicon.sha256.as_str()) {
        bail!(
            "the lexicons of the run ({}) have changed since it was scored; score again with --report",
            cfg.lexicon_source
        );
    }
    let outcome = crate::app::score(&cfg)?;
    for (marker, n) in &outcome.markers {
        let recorded = run["counts"]["markers"][*marker].as_u64();
        if recorded != Some(*n as u64) {
            bail!(
                "scoring the run's transcripts again gives {n} {marker} marker(s), not the {} \
                 recorded in {}: the transcripts have changed (or are read from another folder); \
                 run report from the folder the run was made in, or score again with --report",
                recorded.map_or("(none)".to_string(), |r| r.to_string()),
                path.display()
            );
        }
    }
    let target = out.join("report");
    if target.exists() {
        std::fs::remove_dir_all(&target)
            .with_context(|| format!("cannot replace {}", target.display()))?;
    }
    std::fs::rename(scratch.path().join("report"), &target)
        .with_context(|| format!("cannot write {}", target.display()))?;
    Ok(outcome.sessions)
}
