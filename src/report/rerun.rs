//! `rupture report OUT_DIR`: the report of a finished `score` run. The pages need every turn, which
//! the CSVs do not hold, so the run's transcripts are read and scored again with the options and
//! rules its run.json recorded, into a scratch folder; only the `report/` folder is kept. The run
//! must come out as it was (same lexicon, the same sessions.csv), or the report would not describe it.

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
    for key in ["client", "therapist"] {
        for label in strings(key) {
            // `--client=-x`: a label may start with a dash.
            argv.push(format!("--{key}={label}"));
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
            argv.push(format!("{flag}={v}"));
        }
    }
    if let Some(dir) = o["lexicons"].as_str().filter(|d| *d != "embedded") {
        argv.push(format!("--lexicons={dir}"));
    }
    for (key, flag) in [("no_text", "--no-text"), ("merge_turns", "--merge-turns")] {
        if o[key].as_bool() == Some(true) {
            argv.push(flag.into());
        }
    }
    argv.extend(["--report".into(), "--quiet".into()]);
    argv.push(format!("--out={}", out.display()));
    // Inputs last, after `--`: a file name may start with a dash.
    argv.push("--".into());
    argv.extend(strings("inputs"));
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
        argv.insert(2, format!("--threads={n}"));
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
    // The sessions table holds every session's counts: if the run's transcripts read again give
    // another table, they are not the transcripts the run scored.
    let now = std::fs::read(scratch.path().join("sessions.csv"))?;
    let then = std::fs::read(out.join("sessions.csv"))
        .with_context(|| format!("cannot read {}", out.join("sessions.csv").display()))?;
    if now != then {
        let counted = |b: &[u8]| b.iter().filter(|&&c| c == b'\n').count().saturating_sub(1);
        bail!(
            "the run's transcripts, read again, do not give the run's sessions.csv ({} session(s) \
             now, {} then): they have changed, or relative paths in {} are read from another \
             folder; run report from the folder the run was made in, or score again with --report",
            counted(&now),
            counted(&then),
            path.display()
        );
    }
    // The new report replaces the old one only once it is complete; the old one is set aside
    // first, and put back if the new one cannot be moved in.
    let target = out.join("report");
    let aside = scratch.path().join("previous-report");
    if target.exists() {
        std::fs::rename(&target, &aside)
            .with_context(|| format!("cannot replace {}", target.display()))?;
    }
    if let Err(e) = std::fs::rename(scratch.path().join("report"), &target) {
        if aside.exists() {
            let _ = std::fs::rename(&aside, &target);
        }
        return Err(e).with_context(|| format!("cannot write {}", target.display()));
    }
    Ok(outcome.sessions)
}
