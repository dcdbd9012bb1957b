//! The `score` batch: find the input files, read and score them in parallel, write each session's
//! markers file as soon as it is scored, then the per-session table, the errors and the run record.
//!
//! Workers write markers files into a staging folder inside the output folder; once every file is
//! done they are renamed into `markers/` in input order, so which of two sessions with the same id
//! is kept (the first) does not depend on thread timing, and no half-written file is ever visible.

use crate::config::ScoreConfig;
use crate::detect::{marker_names, Analysis};
use crate::discover::{Discovery, InputFile};
use crate::episode::episodes;
use crate::input;
use crate::output::episodes::episodes_csv;
use crate::output::errors::{errors_csv, ErrorRow};
use crate::output::markers::{markers_csv, markers_path};
use crate::output::run::{self, Counts, FileHash, LexiconRecord, RunRecord};
use crate::output::sessions::{SessionRow, SessionTable};
use crate::output::write_atomic;
use crate::report::{index_page, page_path, session_page, IndexEntry};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime};

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
    /// The staged markers and episodes files (none where the output folder holds the same already).
    staged: [Option<PathBuf>; 2],
    row: SessionRow,
    /// With `--report`: the staged page and the session's row of the index.
    report: Option<(Option<PathBuf>, IndexEntry)>,
}

/// The folders the staged files of a session go to, in the order of [`Scored::staged`].
const STAGED_INTO: [&str; 2] = ["markers", "episodes"];

/// Files scored together before their results are settled: enough to keep the workers busy, few
/// enough that memory stays flat.
const CHUNK: usize = 512;

/// What came of one input file.
#[derive(Default)]
struct FileResult {
    sessions: Vec<Scored>,
    error: Option<ErrorRow>,
    warnings: Vec<String>,
}

impl FileResult {
    /// A file that could not be scored (or whose outputs could not be written).
    fn failed(path: String, line: Option<usize>, reason: String) -> FileResult {
        FileResult {
            error: Some(ErrorRow { path, line, reason }),
            ..FileResult::default()
        }
    }
}

/// Runs `score`.
pub fn score(cfg: &ScoreConfig) -> Result<Outcome> {
    let clock = Instant::now();
    let started = SystemTime::now();
    std::fs::create_dir_all(cfg.out.join("episodes")).with_context(|| {
        format!(
            "cannot create the output folder {} (--out)",
            cfg.out.display()
        )
    })?;
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
    // Under --shard, an input that fails belongs to the shard its path hashes to.
    let in_shard = |path: &str| cfg.shard.is_none_or(|s| s.contains(path));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .context("cannot start the worker threads")?;
    // One staging folder per worker, so workers do not queue on one folder's lock.
    for worker in 0..pool.current_num_threads() {
        std::fs::create_dir(staging.path().join(worker.to_string()))
            .with_context(|| format!("cannot write in the output folder {}", cfg.out.display()))?;
    }
    // Folders made so far under the output folder, so each is made once.
    let mut made: HashSet<PathBuf> = ["markers", "episodes"]
        .iter()
        .map(|f| cfg.out.join(f))
        .collect();
    // A first walk only counts the files, for the progress bar's total and time left.
    let total = if cfg.quiet {
        0
    } else {
        Discovery::new(&cfg.inputs, out_canonical.as_deref(), cfg.read.format)
            .filter(Result::is_ok)
            .count()
    };
    let bar = crate::progress::bar(total, cfg.quiet);
    let done_sessions = AtomicUsize::new(0);

    let mut discovery = Discovery::new(&cfg.inputs, out_canonical.as_deref(), cfg.read.format);
    let mut errors: Vec<ErrorRow> = Vec::new();
    let mut table = SessionTable::new(staging.path())?;
    let mut claimed: HashSet<u64> = HashSet::new();
    let mut files = 0;
    let mut files_failed = 0;
    let mut sessions_failed = 0;
    let mut warnings = 0;
    let mut next_index = 0;
    let mut index: Vec<IndexEntry> = Vec::new();
    loop {
        // Files are scored a chunk at a time and their results settled before the next chunk, so
        // memory does not grow with the corpus.
        let mut chunk: Vec<(usize, InputFile)> = Vec::with_capacity(CHUNK);
        while chunk.len() < CHUNK {
            match discovery.next() {
                Some(Ok(f)) => {
                    chunk.push((next_index, f));
                    next_index += 1;
                }
                Some(Err(e)) => {
                    files += 1;
                    if in_shard(&e.path) {
                        bar.suspend(|| eprintln!("error: {e}"));
                        errors.push(e);
                        files_failed += 1;
                    }
                }
                None => break,
            }
        }
        if chunk.is_empty() {
            break;
        }
        files += chunk.len();
        let results: Vec<FileResult> = pool.install(|| {
            chunk
                .par_iter()
                .map(|(k, f)| {
                    let r = score_file(cfg, *k, f, staging.path());
                    let n = done_sessions.fetch_add(r.sessions.len(), Ordering::Relaxed)
                        + r.sessions.len();
                    bar.set_message(n.to_string());
                    bar.inc(1);
                    r
                })
                .collect()
        });
        let mut moves: Vec<(PathBuf, PathBuf)> = Vec::new();
        for ((_, f), r) in chunk.iter().zip(results) {
            let shown = f.path.display().to_string();
            if in_shard(&shown) {
                warnings += r.warnings.len();
                for w in &r.warnings {
                    bar.suspend(|| eprintln!("warning: {w}"));
                }
            }
            if let Some(e) = r.error {
                if in_shard(&shown) {
                    bar.suspend(|| eprintln!("error: {e}"));
                    errors.push(e);
                    files_failed += 1;
                }
                continue;
            }
            for s in r.sessions {
                let target = markers_path(&s.id);
                if !claimed.insert(crate::shard::fnv1a(target.to_string_lossy().as_bytes())) {
                    let e = ErrorRow {
                        path: shown.clone(),
                        line: None,
                        reason: format!(
                            "session id '{}' was already read from another input; rename the \
                             session (or its file) so that ids are unique",
                            s.id
                        ),
                    };
                    bar.suspend(|| eprintln!("error: {e}"));
                    errors.push(e);
                    sessions_failed += 1;
                    continue;
                }
                for (staged, folder) in s.staged.into_iter().zip(STAGED_INTO) {
                    if let Some(staged) = staged {
                        moves.push((staged, cfg.out.join(folder).join(&target)));
                    }
                }
                if let Some((staged, entry)) = s.report {
                    if let Some(staged) = staged {
                        moves.push((staged, cfg.out.join("report").join(page_path(&s.id))));
                    }
                    index.push(entry);
                }
                table.push(s.row)?;
            }
        }
        // Which session keeps an id was decided above, in input order; the moves themselves run
        // in parallel.
        for (_, target) in &moves {
            if let Some(dir) = target.parent() {
                if !made.contains(dir) {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                    made.insert(dir.to_path_buf());
                }
            }
        }
        pool.install(|| {
            moves
                .par_iter()
                .try_for_each(|(staged, target)| -> Result<()> {
                    std::fs::rename(staged, target)
                        .with_context(|| format!("cannot write {}", target.display()))
                })
        })?;
    }
    bar.finish_and_clear();

    // Ordered by session id and by path, so shards merge into exactly what one run writes.
    errors.sort_by(|a, b| (&a.path, a.line, &a.reason).cmp(&(&b.path, b.line, &b.reason)));
    table
        .write_sorted(&cfg.out.join("sessions.csv"))
        .context("cannot write sessions.csv")?;
    write_atomic(&cfg.out.join("errors.csv"), &errors_csv(&errors))
        .context("cannot write errors.csv")?;
    if cfg.report {
        index.sort_by(|a, b| a.id.cmp(&b.id));
        std::fs::create_dir_all(cfg.out.join("report"))
            .and_then(|()| {
                write_atomic(
                    &cfg.out.join("report").join("index.html"),
                    index_page(&index, cfg.no_text).as_bytes(),
                )
            })
            .context("cannot write report/index.html")?;
    }
    let markers: Vec<(&'static str, usize)> = marker_names()
        .into_iter()
        .zip(table.marker_counts.iter().copied())
        .collect();
    let outcome = Outcome {
        files,
        files_failed,
        sessions: table.len(),
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
            episodes: table.episodes.clone(),
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
        Err(e) => return FileResult::failed(shown, e.line, e.message),
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
        if cfg.shard.is_some_and(|s| !s.contains(&session.id)) {
            continue;
        }
        cfg.roles.apply(&mut session);
        let analysis = Analysis::new(&session, &cfg.lexicon, &cfg.rules);
        let markers = analysis.detect(&cfg.lexicon);
        let episodes = episodes(&analysis, &markers, &cfg.rules.episodes);
        let folder = staging.join(rayon::current_thread_index().unwrap_or(0).to_string());
        let target = markers_path(&session.id);
        let staged = [
            (
                "markers",
                markers_csv(&analysis, &markers, &episodes, cfg.no_text),
            ),
            (
                "episodes",
                episodes_csv(&analysis, &markers, &episodes, cfg.no_text),
            ),
        ]
        .map(|(kind, bytes)| {
            stage(
                folder.join(format!("{k}-{j}-{kind}.csv")),
                &cfg.out.join(kind).join(&target),
                &bytes,
            )
        });
        let staged = match staged {
            [Ok(m), Ok(e)] => Ok([m, e]),
            [Err(e), _] | [_, Err(e)] => Err(e),
        };
        let report = staged.and_then(|staged| {
            if !cfg.report {
                return Ok((staged, None));
            }
            let depth = page_path(&session.id)
                .components()
                .count()
                .saturating_sub(1);
            let back = format!("{}index.html", "../".repeat(depth));
            let page = session_page(&analysis, &markers, &episodes, cfg.no_text, &back);
            let page = stage(
                folder.join(format!("{k}-{j}-report.html")),
                &cfg.out.join("report").join(page_path(&session.id)),
                page.as_bytes(),
            )?;
            Ok((
                staged,
                Some((page, IndexEntry::new(&analysis, &markers, &episodes))),
            ))
        });
        let (staged, report) = match report {
            Ok(r) => r,
            Err(e) => {
                return FileResult::failed(
                    shown,
                    None,
                    format!("cannot write its output files: {e}"),
                );
            }
        };
        result.sessions.push(Scored {
            id: session.id.clone(),
            staged,
            row: SessionRow::new(&analysis, &markers, &episodes, read.encoding),
            report,
        });
    }
    result
}

/// Stages `bytes` as `staged`, to be moved to `target`; or, when `target` holds exactly these bytes
/// already (a re-run that changed nothing there), stages nothing and leaves it as it is. Replacing a
/// file makes a new one and frees the old, and a file system slows down markedly when tens of
/// thousands of files are replaced run after run (ext4 passes over recently freed inodes).
fn stage(staged: PathBuf, target: &Path, bytes: &[u8]) -> std::io::Result<Option<PathBuf>> {
    if holds(target, bytes) {
        return Ok(None);
    }
    std::fs::write(&staged, bytes)?;
    Ok(Some(staged))
}

/// Whether the file at `path` holds exactly `bytes` (read only when its size is theirs).
fn holds(path: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|have| have == bytes)
}
