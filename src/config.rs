//! Validated run settings, built from the command line: the lexicon is loaded and compiled here, so a
//! bad lexicon stops the run before any output is written.

use crate::cli::{Cli, Command, ScoreArgs};
use crate::input::{Columns, ReadOptions};
use crate::lexicon::Lexicon;
use crate::roles::RoleMap;
use crate::rules::Rules;
use anyhow::{bail, Context, Result};
use clap::Parser;
use std::path::{Path, PathBuf};

/// Everything `score` needs.
#[derive(Debug)]
pub struct ScoreConfig {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub threads: usize,
    pub quiet: bool,
    pub roles: RoleMap,
    pub lexicon: Lexicon,
    /// `embedded` or the lexicon folder.
    pub lexicon_source: String,
    pub no_text: bool,
    /// Also write the HTML report.
    pub report: bool,
    pub read: ReadOptions,
    /// Detector and episode rules: the defaults, or `--config`.
    pub rules: Rules,
    pub shard: Option<crate::shard::Shard>,
    /// Stream: utterance lines from standard input, marker rows to standard output.
    pub stdin_jsonl: bool,
    /// The options as given, for run.json.
    pub options: serde_json::Value,
}

impl ScoreConfig {
    /// The settings of the `score` run (or merge of shard runs) in `dir`, rebuilt from its run.json
    /// (options and rules), with the parsed run record. The inputs are the recorded paths, read
    /// relative to the current folder; `out` is `dir` until the caller sets another.
    pub fn from_run(dir: &Path, threads: Option<u16>) -> Result<(serde_json::Value, ScoreConfig)> {
        let path = dir.join("run.json");
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
        let mut argv = score_argv(o, dir);
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
            cfg.rules = serde_json::from_value(rules.clone()).with_context(|| {
                format!("{}: the recorded rules cannot be read", path.display())
            })?;
        }
        Ok((run, cfg))
    }

    pub fn from_args(args: ScoreArgs) -> Result<ScoreConfig> {
        let (lexicon, lexicon_source) = match &args.lexicons {
            Some(dir) => (
                Lexicon::from_dir(dir).with_context(|| {
                    format!("cannot use the lexicons in {} (--lexicons)", dir.display())
                })?,
                dir.display().to_string(),
            ),
            None => (
                Lexicon::embedded().context("the embedded lexicon set is invalid")?,
                "embedded".to_string(),
            ),
        };
        let rules = match &args.config {
            Some(path) => Rules::from_file(path).map_err(anyhow::Error::msg)?,
            None => Rules::default(),
        };
        let threads = args
            .threads
            .map(usize::from)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let options = serde_json::json!({
            "inputs": args.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "out": args.out.display().to_string(),
            "threads": threads,
            "client": args.client,
            "therapist": args.therapist,
            "lexicons": lexicon_source,
            "no_text": args.no_text,
            "format": args.format.as_str(),
            "encoding": args.encoding.as_str(),
            "merge_turns": args.merge_turns,
            "session_col": args.session_col,
            "speaker_col": args.speaker_col,
            "text_col": args.text_col,
            "start_col": args.start_col,
            "end_col": args.end_col,
            "config": args.config.as_ref().map(|p| p.display().to_string()),
            "shard": args.shard.map(|s| s.to_string()),
            "rules": serde_json::to_value(&rules).expect("rules serialise"),
        });
        Ok(ScoreConfig {
            roles: RoleMap::new(&args.client, &args.therapist),
            read: ReadOptions {
                format: args.format,
                columns: Columns {
                    session: args.session_col,
                    speaker: args.speaker_col,
                    text: args.text_col,
                    start: args.start_col,
                    end: args.end_col,
                },
                encoding: args.encoding,
                merge_turns: args.merge_turns,
            },
            inputs: args.inputs,
            out: args.out,
            threads,
            quiet: args.quiet,
            lexicon,
            lexicon_source,
            no_text: args.no_text,
            report: args.report,
            rules,
            shard: args.shard,
            stdin_jsonl: args.stdin_jsonl,
            options,
        })
    }
}

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
    argv.push(format!("--out={}", out.display()));
    // Inputs last, after `--`: a file name may start with a dash.
    argv.push("--".into());
    argv.extend(strings("inputs"));
    argv
}

/// A list of strings among a run record's options (`inputs`, `client`...); empty when absent.
fn option_strings(options: &serde_json::Value, key: &str) -> Vec<String> {
    options[key]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}
