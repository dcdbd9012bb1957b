//! Validated run settings, built from the command line: the lexicon is loaded and compiled here, so a
//! bad lexicon stops the run before any output is written.

use crate::cli::ScoreArgs;
use crate::input::{Columns, ReadOptions};
use crate::lexicon::Lexicon;
use crate::roles::RoleMap;
use crate::rules::Rules;
use anyhow::{Context, Result};
use std::path::PathBuf;

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
