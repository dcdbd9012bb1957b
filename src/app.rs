//! The `score` batch: find the input files, read and score them in parallel, write each session's
//! markers file as soon as it is scored, then the per-session table, the errors and the run record.
//!
//! Workers write markers files into a staging folder inside the output folder; once every file is
//! done they are renamed into `markers/` in input order, so which of two sessions with the same id
//! is kept (the first) does not depend on thread timing, and no half-written file is ever visible.

use crate::config::ScoreConfig;
use crate::detect::{marker_names, Analysis};
use crate::input::{self, Format};
use crate::output::errors::{errors_csv, ErrorRow};
use crate::output::markers::markers_csv;
use crate::output::run::{self, Counts, FileHash, LexiconRecord, RunRecord};
use crate::output::sessions::{sessions_csv, SessionRow};
use crate::output::write_atomic;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime};

/// One transcript file to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// Session id for one-session formats: the path relative to the INPUT folder without
    /// extension, or the file stem for a file INPUT.
    pub id: String,
}

/// What a run did, for the exit code and the summary line.
#[derive(Debug)]
pub struct Outcome {
    pub files: usize,
    pub files_failed: usize,
    pub sessions: usize,
    pub sessions_failed: usize,
    pub markers: Vec<(&'static str, usize)>,
    pub seconds: f64,
}

impl Outcome {
    /// Whether any input failed.
    pub fn failed(&self) -> bool {
        self.files_failed > 0 || self.sessions_failed > 0
    }

    /// The one-line summary printed at the end.
    pub fn summary(&self, out: &Path) -> String {
        let markers: Vec<String> = self
            .markers
            .iter()
            .map(|(m, n)| format!("{m} {n}"))
            .collect();
        let total: usize = self.markers.iter().map(|(_, n)| n).sum();
        let mut s = format!(
            "scored {} session(s) from {} file(s) in {:.2}s: {} marker(s) ({})",
            self.sessions,
            self.files - self.files_failed,
            self.seconds,
            total,
            markers.join(", ")
        );
        if self.failed() {
            s.push_str(&format!(
                "; {} input(s) failed, see {}",
                self.files_failed + self.sessions_failed,
                out.join("errors.csv").display()
            ));
        }
        s.push_str(&format!(" -> {}", out.display()));
        s
    }
}

/// A scored session waiting to be moved into place.
struct Scored {
    id: String,
    staged: PathBuf,
    row: SessionRow,
}

/// What came of one input file.
#[derive(Default)]
struct FileResult {
    sessions: Vec<Scored>,
    error: Option<ErrorRow>,
    warnings: Vec<String>,
}

/// Runs `score`.
pub fn score(cfg: &ScoreConfig) -> Result<Outcome> {
    let clock = Instant::now();
    let started = SystemTime::now();
    std::fs::create_dir_all(cfg.out.join("markers")).with_context(|| {
        format!(
            "cannot create the output folder {} (--out)",
            cfg.out.display()
        )
    })?;
    let staging = tempfile::Builder::new()
        .prefix(".rupture-staging-")
        .tempdir_in(&cfg.out)
        .with_context(|| format!("cannot write in the output folder {}", cfg.out.display()))?;
    let out_canonical = cfg.out.canonicalize().ok();
    let (files, mut errors) = discover(&cfg.inputs, out_canonical.as_deref(), cfg.read.format);
    for e in &errors {
        eprintln!("error: {e}");
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .context("cannot start the worker threads")?;
    let bar = crate::progress::bar(files.len(), cfg.quiet);
    let done_sessions = AtomicUsize::new(0);
    let results: Vec<FileResult> = pool.install(|| {
        files
            .par_iter()
            .enumerate()
            .map(|(k, f)| {
                let r = score_file(cfg, k, f, staging.path());
                let n =
                    done_sessions.fetch_add(r.sessions.len(), Ordering::Relaxed) + r.sessions.len();
                bar.set_message(n.to_string());
                bar.inc(1);
                if let Some(e) = &r.error {
                    bar.suspend(|| eprintln!("error: {e}"));
                }
                for w in &r.warnings {
                    bar.suspend(|| eprintln!("warning: {w}"));
                }
                r
            })
            .collect()
    });
    bar.finish_and_clear();

    let mut rows = Vec::new();
    let mut claimed: HashSet<PathBuf> = HashSet::new();
    let discovery_errors = errors.len();
    let mut files_failed = discovery_errors;
    let mut sessions_failed = 0;
    let mut warnings = 0;
    for (f, r) in files.iter().zip(results) {
        warnings += r.warnings.len();
        if let Some(e) = r.error {
            errors.push(e);
            files_failed += 1;
            continue;
        }
        for s in r.sessions {
            let target = cfg.out.join("markers").join(markers_path(&s.id));
            if !claimed.insert(target.clone()) {
                let e = ErrorRow {
                    path: f.path.display().to_string(),
                    line: None,
                    reason: format!(
                        "session id '{}' was already read from another input; rename the session \
                         (or its file) so that ids are unique",
                        s.id
                    ),
                };
                eprintln!("error: {e}");
                errors.push(e);
                sessions_failed += 1;
                continue;
            }
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::rename(&s.staged, &target)
                .with_context(|| format!("cannot write {}", target.display()))?;
            rows.push(s.row);
        }
    }

    let names = marker_names();
    let markers: Vec<(&'static str, usize)> = names
        .iter()
        .enumerate()
        .map(|(i, m)| (*m, rows.iter().map(|r| r.counts[i]).sum()))
        .collect();
    write_atomic(&cfg.out.join("sessions.csv"), &sessions_csv(&rows))
        .context("cannot write sessions.csv")?;
    write_atomic(&cfg.out.join("errors.csv"), &errors_csv(&errors))
        .context("cannot write errors.csv")?;
    let outcome = Outcome {
        files: files.len() + discovery_errors,
        files_failed,
        sessions: rows.len(),
        sessions_failed,
        markers,
        seconds: clock.elapsed().as_secs_f64(),
    };
    let record = RunRecord {
        tool: "rupture",
        version: env!("CARGO_PKG_VERSION"),
        command: "score",
        started: run::rfc3339(started),
        elapsed_seconds: (outcome.seconds * 1000.0).round() / 1000.0,
        lexicon: LexiconRecord {
            id: cfg.lexicon.id.clone(),
            version: cfg.lexicon.version.clone(),
            source: cfg.lexicon_source.clone(),
            sha256: cfg.lexicon.sha256.clone(),
            files: cfg
                .lexicon
                .files
                .iter()
                .map(|(name, sha256)| FileHash {
                    name: name.clone(),
                    sha256: sha256.clone(),
                })
                .collect(),
        },
        options: cfg.options.clone(),
        counts: Counts {
            files: outcome.files,
            files_ok: outcome.files - files_failed,
            files_failed,
            sessions: outcome.sessions,
            sessions_failed,
            warnings,
            markers: outcome
                .markers
                .iter()
                .map(|(m, n)| (m.to_string(), serde_json::Value::from(*n)))
                .collect(),
        },
    };
    write_atomic(&cfg.out.join("run.json"), &record.to_bytes()).context("cannot write run.json")?;
    Ok(outcome)
}

/// Reads, scores and stages one file.
fn score_file(cfg: &ScoreConfig, k: usize, f: &InputFile, staging: &Path) -> FileResult {
    let shown = f.path.display().to_string();
    let read = match input::read_file(&f.path, &f.id, &cfg.read) {
        Ok(r) => r,
        Err(e) => {
            return FileResult {
                error: Some(ErrorRow {
                    path: shown,
                    line: e.line,
                    reason: e.message,
                }),
                ..FileResult::default()
            }
        }
    };
    let mut result = FileResult {
        warnings: read
            .warnings
            .iter()
            .map(|w| match w.line {
                Some(l) => format!("{shown}:{l}: {}", w.message),
                None => format!("{shown}: {}", w.message),
            })
            .collect(),
        ..FileResult::default()
    };
    for (j, mut session) in read.sessions.into_iter().enumerate() {
        cfg.roles.apply(&mut session);
        let analysis = Analysis::new(&session, &cfg.lexicon);
        let markers = analysis.detect(&cfg.lexicon);
        let staged = staging.join(format!("{k}-{j}.csv"));
        if let Err(e) = std::fs::write(&staged, markers_csv(&analysis, &markers, cfg.no_text)) {
            return FileResult {
                error: Some(ErrorRow {
                    path: shown,
                    line: None,
                    reason: format!("cannot write its markers file: {e}"),
                }),
                ..FileResult::default()
            };
        }
        result.sessions.push(Scored {
            id: session.id.clone(),
            staged,
            row: SessionRow::new(&analysis, &markers, read.encoding),
        });
    }
    result
}

/// The markers file of a session, relative to `markers/`: the id's path components, with characters
/// that cannot stand in a file name replaced by `_`.
pub fn markers_path(id: &str) -> PathBuf {
    let mut p = PathBuf::new();
    for part in id.split(['/', '\\']) {
        let clean: String = part
            .chars()
            .map(|c| {
                if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let clean = clean.trim();
        match clean {
            "" | "." => {}
            ".." => p.push("_"),
            c => p.push(c),
        }
    }
    if p.as_os_str().is_empty() {
        p.push("_");
    }
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    p.set_file_name(format!("{name}.csv"));
    p
}

/// Finds the transcript files among the inputs, in order; reports inputs that cannot be read.
pub fn discover(
    inputs: &[PathBuf],
    skip: Option<&Path>,
    format: Format,
) -> (Vec<InputFile>, Vec<ErrorRow>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        let fail = |reason: String| ErrorRow {
            path: input.display().to_string(),
            line: None,
            reason,
        };
        let meta = match std::fs::metadata(input) {
            Ok(m) => m,
            Err(e) => {
                errors.push(fail(format!("cannot read this input: {e}; check the path")));
                continue;
            }
        };
        if !meta.is_dir() {
            let id = input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| input.display().to_string());
            files.push(InputFile {
                path: input.clone(),
                id,
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(input)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || (!e.file_name().to_string_lossy().starts_with('.')
                        && skip.is_none_or(|s| e.path().canonicalize().ok().as_deref() != Some(s))
                        && !(e.file_type().is_dir() && is_output_folder(e.path())))
            });
        let before = files.len();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| input.display().to_string());
                    let reason = if e.loop_ancestor().is_some() {
                        "a symbolic link loops back to a folder above it; remove the link"
                            .to_string()
                    } else {
                        format!(
                            "cannot read: {}",
                            e.io_error().map_or(e.to_string(), |io| io.to_string())
                        )
                    };
                    errors.push(ErrorRow {
                        path,
                        line: None,
                        reason,
                    });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            if format == Format::Auto && Format::from_extension(path).is_none() {
                continue;
            }
            files.push(InputFile {
                path: path.to_path_buf(),
                id: relative_id(input, path),
            });
        }
        if files.len() == before {
            errors.push(fail(
                "no transcript files (.txt, .csv, .tsv) in this folder; give --format to read other \
                 files as transcripts"
                    .into(),
            ));
        }
    }
    (files, errors)
}

/// Whether `dir` is the output folder of an earlier run (it has a run.json written by this tool),
/// whose CSV and JSON files are not transcripts.
fn is_output_folder(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("run.json"))
        .map(|s| s.contains("\"tool\": \"rupture\""))
        .unwrap_or(false)
}

/// `path` relative to `root`, without extension, with `/` separators.
fn relative_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path).with_extension("");
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_paths_are_safe() {
        assert_eq!(markers_path("site1/s004"), PathBuf::from("site1/s004.csv"));
        assert_eq!(markers_path("A01"), PathBuf::from("A01.csv"));
        assert_eq!(markers_path("../../etc/x"), PathBuf::from("_/_/etc/x.csv"));
        assert_eq!(markers_path("/abs"), PathBuf::from("abs.csv"));
        assert_eq!(markers_path("a:b?"), PathBuf::from("a_b_.csv"));
        assert_eq!(markers_path(""), PathBuf::from("_.csv"));
    }

    #[test]
    fn ids_are_relative_paths_without_extension() {
        assert_eq!(
            relative_id(Path::new("in"), Path::new("in/site1/s004.txt")),
            "site1/s004"
        );
        assert_eq!(
            relative_id(Path::new("in/"), Path::new("in/a.b.txt")),
            "a.b"
        );
    }
}
