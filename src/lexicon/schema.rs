//! The lexicon file format: what a researcher writes, how it is read and how it is validated.
//!
//! Every problem in a set of files is collected and reported at once as `file:line: message`, so a
//! researcher editing a lexicon fixes all mistakes in one pass. `lexicons/README.md` documents each field.

use serde::Deserialize;
use std::fmt;

/// One problem found in a lexicon file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// The manifest, `lexicon.toml`: names and versions the set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawManifest {
    pub id: String,
    pub version: String,
    #[serde(default)]
    pub description: String,
}

/// An entry file: a list of `[[entry]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    #[serde(default)]
    pub entry: Vec<toml::Spanned<RawEntry>>,
}

/// One `[[entry]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    pub id: String,
    pub marker: String,
    pub class: String,
    pub weight: f64,
    #[serde(default)]
    pub phrases: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub anchor: Option<String>,
    #[serde(default)]
    pub negatable: bool,
    #[serde(default)]
    pub subtype: Option<String>,
    #[serde(default)]
    pub must_match: Vec<String>,
    #[serde(default)]
    pub must_not_match: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// What the detectors do with an entry. The pair (marker, class) decides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// minimal_response: a non-committal reply ("i don't know", "fine").
    Noncommittal,
    /// minimal_response: a backchannel or bare assent ("yeah", "mm hmm").
    Backchannel,
    /// topic_shift: an explicit shift cue at the start of a sentence ("anyway").
    Shift,
    /// topic_shift: a refusal to stay on the topic ("can we talk about something else").
    Avoidance,
    /// dissatisfaction: a complaint that stands on its own ("you're not listening").
    Complaint,
    /// dissatisfaction: a negative evaluation that is a complaint only when aimed at the work.
    Evaluation,
    /// dissatisfaction: a word naming the work or the practitioner ("these sessions", "therapy").
    Target,
    /// dissatisfaction: a word that points without naming ("this", "it"); a named target or third
    /// party in the same sentence decides over it.
    Deictic,
    /// dissatisfaction: a word naming a third party ("my boss"): the evaluation is content.
    ThirdParty,
    /// context: an open question ("how", "what").
    OpenQuestion,
    /// context: a closed or factual question ("do you", "how many").
    ClosedQuestion,
    /// context: a request to elaborate ("tell me more").
    Elaboration,
    /// context: a reflection of feeling or meaning ("it sounds like").
    Reflection,
    /// context: a proposal that asks for the client's view ("how about we").
    Proposal,
    /// context: an invitation to bring a new topic ("what else").
    InviteTopic,
    /// modifier: flips the polarity of what follows ("not", "never").
    Negator,
    /// modifier: weakens what follows ("kind of").
    Hedge,
    /// modifier: strengthens what follows ("really").
    Booster,
    /// modifier: shifts weight to what follows, away from what precedes ("but").
    Contrast,
    /// modifier: marks what follows as reported speech ("she said").
    Quotative,
    /// modifier: discourse filler skipped at sentence starts and in coverage ("um", "well").
    Filler,
    /// cohesion: a function word left out of lexical cohesion.
    Stopword,
    /// denial: denying a feeling or problem the context makes evident ("it doesn't bother me").
    Denial,
    /// deferential: compliance without engagement ("whatever you think").
    Deferential,
    /// hopelessness: self-criticism or hopelessness ("nothing ever works for me").
    Hopelessness,
    /// repair (practitioner): metacommunication, feedback, acknowledging, apologising, validating,
    /// changing the task.
    Repair,
    /// practitioner_confrontation: lecturing, arguing, warning, blaming.
    PractitionerConfrontation,
    /// practitioner_withdrawal: moving on with the agenda.
    Agenda,
}

/// Every (marker, class) pair a lexicon may use.
pub const CLASSES: &[(&str, &str, Class)] = &[
    ("minimal_response", "noncommittal", Class::Noncommittal),
    ("minimal_response", "backchannel", Class::Backchannel),
    ("topic_shift", "shift", Class::Shift),
    ("topic_shift", "avoidance", Class::Avoidance),
    ("dissatisfaction", "complaint", Class::Complaint),
    ("dissatisfaction", "evaluation", Class::Evaluation),
    ("dissatisfaction", "target", Class::Target),
    ("dissatisfaction", "deictic", Class::Deictic),
    ("dissatisfaction", "third_party", Class::ThirdParty),
    ("context", "open_question", Class::OpenQuestion),
    ("context", "closed_question", Class::ClosedQuestion),
    ("context", "elaboration", Class::Elaboration),
    ("context", "reflection", Class::Reflection),
    ("context", "proposal", Class::Proposal),
    ("context", "invite_topic", Class::InviteTopic),
    ("modifier", "negator", Class::Negator),
    ("modifier", "hedge", Class::Hedge),
    ("modifier", "booster", Class::Booster),
    ("modifier", "contrast", Class::Contrast),
    ("modifier", "quotative", Class::Quotative),
    ("modifier", "filler", Class::Filler),
    ("cohesion", "stopword", Class::Stopword),
    ("denial", "denial", Class::Denial),
    ("deferential", "deferential", Class::Deferential),
    ("hopelessness", "hopelessness", Class::Hopelessness),
    ("repair", "repair", Class::Repair),
    (
        "practitioner_confrontation",
        "confrontation",
        Class::PractitionerConfrontation,
    ),
    ("practitioner_withdrawal", "agenda", Class::Agenda),
];

/// Dissatisfaction subtypes a complaint, evaluation or target entry may declare.
pub const SUBTYPES: &[&str] = &[
    "practitioner",
    "activities",
    "parameters",
    "progress",
    "rejects_intervention",
    "defends_self",
    "control",
];

/// Repair subtypes a repair entry may declare.
pub const REPAIR_SUBTYPES: &[&str] = &[
    "metacommunication",
    "asks_feedback",
    "acknowledges",
    "apologises",
    "validates",
    "changes_task",
];

/// Where in the turn a phrase must stand to count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Anywhere.
    Any,
    /// At the start of a sentence, after fillers only.
    Start,
    /// The whole turn, fillers aside.
    Whole,
    /// At the end of a sentence, fillers aside.
    End,
    /// A whole sentence, fillers aside.
    Sentence,
    /// At the start of a clause (after a comma, dash or sentence start), fillers aside.
    Clause,
}

impl Class {
    /// Classes whose entries must carry at least one `must_match` example.
    pub fn needs_examples(self) -> bool {
        !matches!(self, Class::Stopword | Class::Filler)
    }

    /// Classes that only qualify a hit of another class (what a complaint is aimed at, modifiers,
    /// fillers, stopwords): on their own they say nothing about a turn.
    pub fn is_support(self) -> bool {
        matches!(
            self,
            Class::Target
                | Class::Deictic
                | Class::ThirdParty
                | Class::Negator
                | Class::Hedge
                | Class::Booster
                | Class::Contrast
                | Class::Quotative
                | Class::Filler
                | Class::Stopword
        )
    }

    /// Support classes read only around a complaint or an evaluation: the aims of an evaluation
    /// other than the work itself, and the modifiers that scale an evaluative hit.
    pub fn qualifies_evaluations(self) -> bool {
        matches!(
            self,
            Class::Deictic | Class::ThirdParty | Class::Hedge | Class::Booster | Class::Contrast
        )
    }

    /// The allowed range of `weight` for the class.
    pub fn weight_range(self) -> (f64, f64) {
        match self {
            Class::Booster => (1.0, 2.0),
            _ => (0.0, 1.0),
        }
    }

    pub fn marker_and_name(self) -> (&'static str, &'static str) {
        CLASSES
            .iter()
            .find(|(_, _, c)| *c == self)
            .map(|(m, n, _)| (*m, *n))
            .expect("every class is listed in CLASSES")
    }
}

/// Converts a byte offset in `src` to a 1-based line number.
pub fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Finds the class for a (marker, class) pair.
pub fn class_of(marker: &str, class: &str) -> Option<Class> {
    CLASSES
        .iter()
        .find(|(m, c, _)| *m == marker && *c == class)
        .map(|(_, _, k)| *k)
}

/// Parses an anchor name.
pub fn anchor_of(name: Option<&str>) -> Option<Anchor> {
    match name {
        None | Some("any") => Some(Anchor::Any),
        Some("start") => Some(Anchor::Start),
        Some("whole") => Some(Anchor::Whole),
        Some("end") => Some(Anchor::End),
        Some("sentence") => Some(Anchor::Sentence),
        Some("clause") => Some(Anchor::Clause),
        Some(_) => None,
    }
}
