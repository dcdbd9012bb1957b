//! The command line, as clap derive structs that mirror it; the doc comments are the help text.
//! Validation into run settings happens in `config`.

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
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Transcript files or folders (folders are searched recursively for .txt, .csv and .tsv files,
    /// in name order).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

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
