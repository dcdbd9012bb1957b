//! rupture: finds markers of strains and ruptures in the working alliance in psychotherapy and
//! counselling transcripts. The library is the whole tool; `main.rs` only dispatches.
//!
//! Data flows one way: `input` parses files into [`model::Session`]s, `roles` names who is the client,
//! `detect` finds markers with the compiled `lexicon`, `output` turns them into CSV and JSON bytes, and
//! `app` runs the batch in parallel and writes each file atomically; `report` renders the HTML
//! pages a supervisor reads.

pub mod app;
pub mod cli;
pub mod config;
pub mod detect;
pub mod discover;
pub mod episode;
pub mod eval;
pub mod input;
pub mod lexicon;
pub mod merge;
pub mod model;
pub mod output;
pub mod progress;
pub mod report;
pub mod roles;
pub mod rules;
pub mod shard;
pub mod stream;
pub mod text;
