//! The command line, as clap derive structs that mirror it; the doc comments are the help text.
//! Validation into run settings happens in `config`.

use crate::input::decode::Encoding;
use crate::input::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Find markers of strains and ruptures in the working alliance in psychotherapy and counselling
/// transcripts: minimal responses, topic shifts and expressions of dissatisfaction.
#[derive(Debug, Parser)]
#[command(name = "rupture", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score transcripts: one markers CSV per session, sessions.csv, errors.csv and run.json.
    Score(ScoreArgs),
    /// Compare the markers of a `score` run with a coded gold set: precision, recall, F1, kappa.
    Eval(EvalArgs),
    /// Write the HTML report of a `score` run (reads the run's transcripts again, from run.json).
    Report(ReportArgs),
    /// Combine the output folders of `score --shard` runs into one, as a single run writes it.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The output folder of `rupture score`; the report goes to its `report/` folder.
    #[arg(value_name = "OUT_DIR")]
    pub out: PathBuf,

    /// Worker threads [default: all cores].
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The output folders of the shard runs.
    #[arg(required = true, value_name = "SHARD_OUT")]
    pub shards: Vec<PathBuf>,

    /// The folder to write the merged output to.
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The coded gold set: a CSV with session, turn and marker columns, one row per coded marker (a
    /// row with empty turn and marker declares a session coded with no marker).
    #[arg(long, value_name = "GOLD.csv")]
    pub gold: PathBuf,

    /// The output folder of `rupture score` on the coded sessions' transcripts.
    #[arg(value_name = "PRED_DIR")]
    pub predictions: PathBuf,

    /// Also write the figures as CSV to FILE.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Count a prediction within K turns of a coded marker as a hit.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub tolerance: usize,

    /// Compare the gold with another coder's codes (same format) instead of rupture's markers:
    /// inter-coder agreement. PRED_DIR still gives the sessions' turn counts.
    #[arg(long, value_name = "CODES.csv")]
    pub versus: Option<PathBuf>,

    /// Coded episodes (`session,first_turn,last_turn,severity,repaired,resolution`) to compare
    /// with the episodes of PRED_DIR [default: episodes.csv beside GOLD.csv, if there is one].
    #[arg(long, value_name = "FILE")]
    pub episodes: Option<PathBuf>,

    /// Do not score the naive baselines (they need the run's transcripts, read again from the paths
    /// in PRED_DIR/run.json).
    #[arg(long)]
    pub no_baselines: bool,

    /// Fail (exit status 1) if any marker's F1 is more than 0.05 below the figure recorded in FILE
    /// (a CSV written by --out).
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Transcript files or folders (folders are searched recursively, in name order, for .txt,
    /// .csv, .tsv, .vtt, .srt, .json, .jsonl and .cha files).
    #[arg(required_unless_present = "stdin_jsonl", value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Read ConvoKit-style utterance lines from standard input (lines of one conversation
    /// together) and write marker rows as CSV to standard output, one conversation at a time.
    #[arg(long, conflicts_with = "inputs")]
    pub stdin_jsonl: bool,

    /// Also write the HTML report: `report/index.html` and a page per session.
    #[arg(long, conflicts_with = "stdin_jsonl")]
    pub report: bool,

    /// Output folder; created if missing.
    #[arg(short, long, value_name = "DIR", default_value = "rupture-out")]
    pub out: PathBuf,

    /// Worker threads [default: all cores].
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,

    /// A speaker label that is the client (repeatable, case-insensitive).
    #[arg(long = "client", value_name = "LABEL")]
    pub client: Vec<String>,

    /// A speaker label that is the practitioner (repeatable, case-insensitive).
    #[arg(long = "therapist", value_name = "LABEL")]
    pub therapist: Vec<String>,

    /// Read the lexicon files from DIR instead of the embedded default set.
    #[arg(long, value_name = "DIR")]
    pub lexicons: Option<PathBuf>,

    /// Leave transcript words out of every output (the evidence column stays empty).
    #[arg(long)]
    pub no_text: bool,

    /// Input format: auto picks by extension, then by content.
    #[arg(long, value_enum, default_value = "auto")]
    pub format: Format,

    /// Character encoding of the inputs: auto reads byte-order marks, then UTF-8, then
    /// Windows-1252.
    #[arg(long, value_enum, default_value = "auto")]
    pub encoding: Encoding,

    /// Join consecutive records (cues, segments, rows) of one speaker into one turn.
    #[arg(long)]
    pub merge_turns: bool,

    /// Score only the sessions whose id hashes to shard K of N (`--shard 3/10`), to split a corpus
    /// across the tasks of a job array; combine the outputs with `rupture merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::shard::Shard>,

    /// Detector and episode rules from a TOML file (any rule it does not name keeps its default;
    /// README, "Rules", lists them).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Spreadsheet column holding the session id [default: found by name, e.g. session, transcript_id].
    #[arg(long, value_name = "NAME")]
    pub session_col: Option<String>,

    /// Spreadsheet column holding the speaker label [default: found by name, e.g. speaker, interlocutor].
    #[arg(long, value_name = "NAME")]
    pub speaker_col: Option<String>,

    /// Spreadsheet column holding the words [default: found by name, e.g. text, utterance_text].
    #[arg(long, value_name = "NAME")]
    pub text_col: Option<String>,

    /// Spreadsheet column holding the start time [default: found by name, e.g. start, timestamp].
    #[arg(long, value_name = "NAME")]
    pub start_col: Option<String>,

    /// Spreadsheet column holding the end time [default: found by name, e.g. end, end_time].
    #[arg(long, value_name = "NAME")]
    pub end_col: Option<String>,
}
