//! Lexicons: the researcher-editable data the detectors read. This module loads a set of TOML files
//! (the embedded default set or a folder given with `--lexicons`), validates every entry, reporting all
//! problems at once, compiles all phrases into one Aho-Corasick automaton shared read-only by every
//! thread, and runs every entry's examples against the compiled set. [`matcher`] runs it over a turn.

pub mod matcher;
pub mod schema;

use crate::text::normalize_phrase;
use aho_corasick::dfa::DFA;
use aho_corasick::{MatchKind, StartKind};
use regex::Regex;
use schema::{Anchor, Class, Problem, RawEntry, RawFile, RawManifest};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

pub use matcher::{Hit, Scan};

/// The name of the manifest file in every lexicon set.
pub const MANIFEST: &str = "lexicon.toml";

/// The default lexicon set, embedded at build time.
const EMBEDDED: &[(&str, &str)] = &[
    (MANIFEST, include_str!("../../lexicons/lexicon.toml")),
    ("context.toml", include_str!("../../lexicons/context.toml")),
    (
        "modifiers.toml",
        include_str!("../../lexicons/modifiers.toml"),
    ),
    (
        "minimal_response.toml",
        include_str!("../../lexicons/minimal_response.toml"),
    ),
    (
        "topic_shift.toml",
        include_str!("../../lexicons/topic_shift.toml"),
    ),
    (
        "dissatisfaction.toml",
        include_str!("../../lexicons/dissatisfaction.toml"),
    ),
    (
        "withdrawal.toml",
        include_str!("../../lexicons/withdrawal.toml"),
    ),
    (
        "practitioner.toml",
        include_str!("../../lexicons/practitioner.toml"),
    ),
    (
        "stopwords.toml",
        include_str!("../../lexicons/stopwords.toml"),
    ),
];

/// A lexicon set that failed to load: every problem found.
#[derive(Debug)]
pub struct LexiconError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the lexicon set has {} problem(s):", self.problems.len())?;
        for p in &self.problems {
            writeln!(f, "  {p}")?;
        }
        write!(
            f,
            "fix them and run again; lexicons/README.md documents every field"
        )
    }
}

impl std::error::Error for LexiconError {}

/// One validated entry.
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: String,
    pub class: Class,
    pub weight: f64,
    pub anchor: Anchor,
    pub negatable: bool,
    pub subtype: Option<String>,
    pub must_match: Vec<String>,
    pub must_not_match: Vec<String>,
    /// Where the entry was defined (`file:line`).
    pub origin: String,
}

/// A compiled, validated lexicon set.
#[derive(Debug)]
pub struct Lexicon {
    pub id: String,
    pub version: String,
    /// sha256 over every file of the set (names and contents, in name order).
    pub sha256: String,
    /// Each file's name and sha256.
    pub files: Vec<(String, String)>,
    pub entries: Vec<Entry>,
    automaton: DFA,
    /// For each automaton pattern, the entries it belongs to.
    pattern_entries: Vec<Vec<usize>>,
    /// For each automaton pattern, its number of words.
    pattern_words: Vec<usize>,
    /// Each pattern with its entry, in three groups by when the pattern is worth running: on
    /// every turn (marker classes), when the turn has a marker-class hit (other support classes),
    /// and when it has a complaint or an evaluation ([`Class::qualifies_evaluations`]).
    regexes: [Vec<(Regex, usize)>; 3],
    stopwords: HashSet<String>,
    /// Each entry's class, kept apart from the entries so that the per-turn scan reads a few
    /// cache lines rather than every entry.
    classes: Vec<Class>,
}

impl Lexicon {
    /// The default set compiled into the binary.
    pub fn embedded() -> Result<Lexicon, LexiconError> {
        let files: Vec<(String, String)> = EMBEDDED
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        Lexicon::from_files(&files)
    }

    /// Loads every `*.toml` file of `dir`.
    pub fn from_dir(dir: &Path) -> Result<Lexicon, LexiconError> {
        let shown = dir.display().to_string();
        let problem = |message: String| LexiconError {
            problems: vec![Problem {
                file: shown.clone(),
                line: 0,
                message,
            }],
        };
        let read = std::fs::read_dir(dir).map_err(|e| {
            problem(format!(
                "cannot read the lexicon folder: {e}; give --lexicons a folder of .toml files"
            ))
        })?;
        let mut files = Vec::new();
        for item in read {
            let item = item.map_err(|e| problem(format!("cannot list the lexicon folder: {e}")))?;
            let path = item.path();
            if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                continue;
            }
            let name = item.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| problem(format!("cannot read {name}: {e}")))?;
            files.push((name, text));
        }
        Lexicon::from_files(&files)
    }

    /// Validates and compiles a set given as (file name, contents) pairs.
    pub fn from_files(files: &[(String, String)]) -> Result<Lexicon, LexiconError> {
        let mut files: Vec<&(String, String)> = files.iter().collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut problems = Vec::new();
        let mut manifest = None;
        let mut entries: Vec<Entry> = Vec::new();
        let mut phrases: Vec<(String, usize, usize)> = Vec::new(); // phrase, entry, line
        let mut regexes: [Vec<(Regex, usize)>; 3] = Default::default();
        let mut ids: HashMap<String, String> = HashMap::new();

        for (name, text) in &files {
            if name == MANIFEST {
                match toml::from_str::<RawManifest>(text) {
                    Ok(m) => manifest = Some(m),
                    Err(e) => problems.push(toml_problem(name, text, &e)),
                }
                continue;
            }
            let raw: RawFile = match toml::from_str(text) {
                Ok(r) => r,
                Err(e) => {
                    problems.push(toml_problem(name, text, &e));
                    continue;
                }
            };
            for spanned in raw.entry {
                let line = schema::line_of(text, spanned.span().start);
                let at = |message: String| Problem {
                    file: name.clone(),
                    line,
                    message,
                };
                let raw = spanned.into_inner();
                let origin = format!("{name}:{line}");
                if raw.id.trim().is_empty() {
                    problems.push(at("entry has an empty id".into()));
                } else if let Some(first) = ids.insert(raw.id.clone(), origin.clone()) {
                    problems.push(at(format!(
                        "id '{}' is already used at {first}; ids must be unique in a set",
                        raw.id
                    )));
                }
                if let Some(entry) = validate_entry(&raw, &at, &mut problems) {
                    let index = entries.len();
                    for p in &raw.phrases {
                        let norm = normalize_phrase(p);
                        if norm.is_empty() {
                            problems.push(at(format!("phrase '{p}' has no words")));
                        } else if entry.class == Class::Stopword && norm.contains(' ') {
                            problems.push(at(format!(
                                "stopword '{p}' normalises to several words ('{norm}'); list single words"
                            )));
                        } else {
                            phrases.push((norm, index, line));
                        }
                    }
                    for p in &raw.patterns {
                        match Regex::new(p) {
                            Ok(r) => {
                                let group = if !entry.class.is_support() {
                                    0
                                } else if entry.class.qualifies_evaluations() {
                                    2
                                } else {
                                    1
                                };
                                regexes[group].push((r, index));
                            }
                            Err(e) => problems.push(at(format!(
                                "pattern '{p}' is not a valid regular expression: {}",
                                e.to_string().lines().last().unwrap_or("")
                            ))),
                        }
                    }
                    if raw.phrases.is_empty() && raw.patterns.is_empty() {
                        problems.push(at(format!(
                            "entry '{}' has neither phrases nor patterns",
                            raw.id
                        )));
                    }
                    entries.push(Entry { origin, ..entry });
                }
            }
        }
        if manifest.is_none() && !files.iter().any(|(n, _)| n == MANIFEST) {
            problems.push(Problem {
                file: MANIFEST.into(),
                line: 0,
                message: "the set has no lexicon.toml manifest (id and version); add one".into(),
            });
        }

        // The same phrase twice in one class is an editing slip that would double-count.
        let mut seen: HashMap<(&str, Class), usize> = HashMap::new();
        for (norm, entry, line) in &phrases {
            let class = entries[*entry].class;
            if let Some(other) = seen.insert((norm.as_str(), class), *entry) {
                if other != *entry {
                    let file = entries[*entry].origin.split(':').next().unwrap_or("");
                    problems.push(Problem {
                        file: file.to_string(),
                        line: *line,
                        message: format!(
                            "phrase '{norm}' of '{}' is also in '{}' of the same class",
                            entries[*entry].id, entries[other].id
                        ),
                    });
                }
            }
        }

        if !problems.is_empty() {
            return Err(LexiconError { problems });
        }
        let manifest = manifest.expect("checked above");

        let mut unique: Vec<String> = Vec::new();
        let mut pattern_entries: Vec<Vec<usize>> = Vec::new();
        let mut index_of: HashMap<String, usize> = HashMap::new();
        let mut stopwords = HashSet::new();
        for (norm, entry, _) in phrases {
            if entries[entry].class == Class::Stopword {
                stopwords.insert(norm);
                continue;
            }
            let i = *index_of.entry(norm.clone()).or_insert_with(|| {
                unique.push(norm);
                pattern_entries.push(Vec::new());
                unique.len() - 1
            });
            if !pattern_entries[i].contains(&entry) {
                pattern_entries[i].push(entry);
            }
        }
        // A full DFA, walked byte by byte by [`Lexicon::phrases_in`]; no prefilter, since nearly every
        // turn holds some phrase.
        let automaton = DFA::builder()
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(unique.iter().map(|p| format!(" {p} ")))
            .map_err(|e| LexiconError {
                problems: vec![Problem {
                    file: "(set)".into(),
                    line: 0,
                    message: format!("cannot compile the phrases: {e}"),
                }],
            })?;

        let mut all = Sha256::new();
        let mut hashes = Vec::new();
        for (name, text) in &files {
            all.update(name.as_bytes());
            all.update([0]);
            all.update((text.len() as u64).to_le_bytes());
            all.update(text.as_bytes());
            hashes.push((name.clone(), hex(&Sha256::digest(text.as_bytes()))));
        }

        let classes = entries.iter().map(|e| e.class).collect();
        let lexicon = Lexicon {
            id: manifest.id,
            version: manifest.version,
            sha256: hex(&all.finalize()),
            files: hashes,
            entries,
            automaton,
            pattern_words: unique.iter().map(|p| p.split(' ').count()).collect(),
            pattern_entries,
            regexes,
            stopwords,
            classes,
        };
        let problems = lexicon.check_examples();
        if problems.is_empty() {
            Ok(lexicon)
        } else {
            Err(LexiconError { problems })
        }
    }

    /// Runs every entry's `must_match` and `must_not_match` examples.
    pub fn check_examples(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let (file, line) = e.origin.rsplit_once(':').unwrap_or((&e.origin, "0"));
            let at = |message: String| Problem {
                file: file.to_string(),
                line: line.parse().unwrap_or(0),
                message,
            };
            for ex in &e.must_match {
                if !self.fires(i, ex) {
                    problems.push(at(format!(
                        "entry '{}' does not fire on its example {ex:?}",
                        e.id
                    )));
                }
            }
            for ex in &e.must_not_match {
                if self.fires(i, ex) {
                    problems.push(at(format!(
                        "entry '{}' fires on its counter-example {ex:?}",
                        e.id
                    )));
                }
            }
        }
        problems
    }

    /// Whether a normalised token is a stopword for lexical cohesion.
    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }

    /// The id of entry `i`, the cue reported when it fires.
    pub fn id(&self, i: usize) -> &str {
        &self.entries[i].id
    }
}

fn validate_entry(
    raw: &RawEntry,
    at: &dyn Fn(String) -> Problem,
    problems: &mut Vec<Problem>,
) -> Option<Entry> {
    let before = problems.len();
    let class = schema::class_of(&raw.marker, &raw.class);
    if class.is_none() {
        let known: Vec<String> = schema::CLASSES
            .iter()
            .map(|(m, c, _)| format!("{m}/{c}"))
            .collect();
        problems.push(at(format!(
            "entry '{}': unknown marker/class '{}/{}'; use one of {}",
            raw.id,
            raw.marker,
            raw.class,
            known.join(", ")
        )));
    }
    let anchor = schema::anchor_of(raw.anchor.as_deref());
    if anchor.is_none() {
        problems.push(at(format!(
            "entry '{}': anchor must be any, start, clause, end, sentence or whole, not '{}'",
            raw.id,
            raw.anchor.as_deref().unwrap_or("")
        )));
    }
    if let Some(class) = class {
        let (lo, hi) = class.weight_range();
        if !(lo..=hi).contains(&raw.weight) || raw.weight.is_nan() {
            problems.push(at(format!(
                "entry '{}': weight {} is out of range; use a number from {lo} to {hi}",
                raw.id, raw.weight
            )));
        }
        if class.needs_examples() && raw.must_match.is_empty() {
            problems.push(at(format!(
                "entry '{}': add at least one must_match example",
                raw.id
            )));
        }
        let allowed = match class {
            Class::Complaint | Class::Evaluation | Class::Target => Some(schema::SUBTYPES),
            Class::Repair => Some(schema::REPAIR_SUBTYPES),
            _ => None,
        };
        match (&raw.subtype, allowed) {
            (Some(s), Some(names)) if !names.contains(&s.as_str()) => problems.push(at(format!(
                "entry '{}': unknown subtype '{s}'; use one of {}",
                raw.id,
                names.join(", ")
            ))),
            (Some(_), Some(_)) | (None, _) => {}
            (Some(_), None) => problems.push(at(format!(
                "entry '{}': only dissatisfaction complaint, evaluation and target entries and \
                 repair entries take a subtype",
                raw.id
            ))),
        }
    }
    if problems.len() > before {
        return None;
    }
    Some(Entry {
        id: raw.id.clone(),
        class: class?,
        weight: raw.weight,
        anchor: anchor?,
        negatable: raw.negatable,
        subtype: raw.subtype.clone(),
        must_match: raw.must_match.clone(),
        must_not_match: raw.must_not_match.clone(),
        origin: String::new(),
    })
}

fn toml_problem(name: &str, text: &str, e: &toml::de::Error) -> Problem {
    let line = e
        .span()
        .map(|s| schema::line_of(text, s.start))
        .unwrap_or(0);
    Problem {
        file: name.to_string(),
        line,
        message: e.message().trim().to_string(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
