//! Detectors: one marker each, behind one small trait. A session is analysed once (every turn
//! tokenised and scanned with the lexicon in one pass); each detector then looks at one turn of the
//! scored role with its context and either reports a finding or not. The registry lists them, in the
//! order their rows appear in the output.

pub mod context;
pub mod dissatisfaction;
pub mod minimal_response;
pub mod practitioner;
pub mod topic_shift;
pub mod withdrawal;

use crate::lexicon::{Lexicon, Scan};
use crate::model::{Role, Session};
use crate::rules::Rules;
use crate::text::{tokenize, Tokens};
use std::ops::Range;

/// The two families of rupture markers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Moving away: disengaging, appeasing.
    Withdrawal,
    /// Moving against: complaint, control.
    Confrontation,
    /// The practitioner's response to a strain: metacommunication, apology, changing the task.
    Repair,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Withdrawal => "withdrawal",
            Family::Confrontation => "confrontation",
            Family::Repair => "repair",
        }
    }
}

/// What a detector reports for one turn.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Strength in 0..1.
    pub score: f64,
    /// The lexicon entry ids or rule names that fired, the deciding one first, joined by `+`.
    pub cue: String,
    /// Token ranges of the turn (in [`Analysis::tokens`]) that fired; empty means the whole turn.
    pub evidence: Vec<Range<usize>>,
    /// A finer kind, where the marker has kinds (dissatisfaction: practitioner, progress...;
    /// repair: apologises, changes_task...).
    pub subtype: Option<String>,
}

impl Finding {
    /// A finding with no subtype.
    pub fn new(score: f64, cue: String, evidence: Vec<Range<usize>>) -> Finding {
        Finding {
            score,
            cue,
            evidence,
            subtype: None,
        }
    }
}

/// Whose turns a detector reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The client's turns (or every `other` turn when the session names no client).
    Client,
    /// The practitioner's turns; sessions that name no practitioner get none of these markers.
    Practitioner,
}

/// A finding placed in its session: what the output writers get.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// Index into the session's turns (0-based).
    pub turn: usize,
    pub marker: &'static str,
    pub family: Family,
    pub finding: Finding,
}

/// One marker detector.
pub trait Detector: Sync {
    /// The marker's name as it appears in the output.
    fn name(&self) -> &'static str;
    fn family(&self) -> Family;
    /// Whose turns it reads.
    fn side(&self) -> Side {
        Side::Client
    }
    /// Looks at turn `turn` (0-based) of the analysed session; `earlier` holds the markers found on
    /// the turns before it.
    fn detect(
        &self,
        a: &Analysis,
        lex: &Lexicon,
        turn: usize,
        earlier: &[Marker],
    ) -> Option<Finding>;
}

/// Every detector, in output order.
pub fn registry() -> &'static [&'static dyn Detector] {
    &[
        &minimal_response::MinimalResponse,
        &topic_shift::TopicShift,
        &dissatisfaction::Dissatisfaction,
        &withdrawal::Denial,
        &withdrawal::Deferential,
        &withdrawal::Hopelessness,
        &practitioner::Repair,
        &practitioner::PractitionerWithdrawal,
        &practitioner::PractitionerConfrontation,
    ]
}

/// The names of every registered marker, in output order.
pub fn marker_names() -> Vec<&'static str> {
    registry().iter().map(|d| d.name()).collect()
}

/// A session with every turn tokenised and scanned, and the context the detectors share.
pub struct Analysis<'a> {
    pub session: &'a Session,
    pub tokens: Vec<Tokens>,
    pub scans: Vec<Scan>,
    /// The role the detectors score: client, or `other` when the session names no client.
    pub scored: Role,
    /// Median word count of the scored role's turns: the speaker's own baseline.
    pub baseline: f64,
    pub rules: &'a Rules,
}

impl<'a> Analysis<'a> {
    pub fn new(session: &'a Session, lex: &Lexicon, rules: &'a Rules) -> Analysis<'a> {
        let tokens: Vec<Tokens> = session.turns.iter().map(|t| tokenize(&t.text)).collect();
        let scans = tokens.iter().map(|t| lex.scan(t)).collect();
        let scored = session.scored_role();
        let mut lengths: Vec<usize> = session
            .turns
            .iter()
            .zip(&tokens)
            .filter(|(t, _)| t.role == scored)
            .map(|(_, k)| k.word_count())
            .collect();
        Analysis {
            session,
            tokens,
            scans,
            scored,
            baseline: median(&mut lengths),
            rules,
        }
    }

    /// The turn `turn` answers: the nearest earlier turn by another speaker.
    pub fn prompt_of(&self, turn: usize) -> Option<usize> {
        let speaker = &self.session.turns[turn].speaker;
        (0..turn)
            .rev()
            .find(|&i| &self.session.turns[i].speaker != speaker)
    }

    /// Whether `turn` opens a reply: the turn just before it is by another speaker.
    pub fn opens_reply(&self, turn: usize) -> bool {
        turn > 0 && self.session.turns[turn - 1].speaker != self.session.turns[turn].speaker
    }

    /// The reply `turn` opens: it and the turns of the same speaker that follow it directly.
    pub fn reply_block(&self, turn: usize) -> Range<usize> {
        let speaker = &self.session.turns[turn].speaker;
        let end = (turn..self.session.turns.len())
            .find(|&i| &self.session.turns[i].speaker != speaker)
            .unwrap_or(self.session.turns.len());
        turn..end
    }

    /// Runs every detector over every scored turn; markers come in turn order, then registry order.
    pub fn detect(&self, lex: &Lexicon) -> Vec<Marker> {
        let mut out = Vec::new();
        for (i, turn) in self.session.turns.iter().enumerate() {
            let side = if turn.role == self.scored {
                Side::Client
            } else if turn.role == Role::Therapist {
                Side::Practitioner
            } else {
                continue;
            };
            for d in registry().iter().filter(|d| d.side() == side) {
                if let Some(f) = d.detect(self, lex, i, &out) {
                    if f.score >= self.rules.report_threshold {
                        out.push(Marker {
                            turn: i,
                            marker: d.name(),
                            family: d.family(),
                            finding: f,
                        });
                    }
                }
            }
        }
        out
    }
}

fn median(values: &mut [usize]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_unstable();
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
    }
}

/// Runs the detectors over a session.
pub fn detect_session(session: &Session, lex: &Lexicon, rules: &Rules) -> Vec<Marker> {
    Analysis::new(session, lex, rules).detect(lex)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builds small sessions from `T:`/`C:` lines for detector tests.
    use crate::model::{Role, Session, Turn};

    pub fn session(lines: &[&str]) -> Session {
        let turns = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let (speaker, text) = l.split_once(':').expect("T: or C: line");
                Turn {
                    index: i + 1,
                    speaker: speaker.trim().to_string(),
                    role: match speaker.trim() {
                        "T" => Role::Therapist,
                        "C" => Role::Client,
                        _ => Role::Other,
                    },
                    start: None,
                    end: None,
                    text: text.trim().to_string(),
                    line: i + 1,
                }
            })
            .collect();
        Session {
            id: "test".into(),
            source: "test.txt".into(),
            turns,
            role_hints: Default::default(),
        }
    }

    pub fn lexicon() -> &'static crate::lexicon::Lexicon {
        use std::sync::OnceLock;
        static LEX: OnceLock<crate::lexicon::Lexicon> = OnceLock::new();
        LEX.get_or_init(|| crate::lexicon::Lexicon::embedded().expect("embedded lexicon is valid"))
    }

    pub fn rules() -> &'static crate::rules::Rules {
        use std::sync::OnceLock;
        static RULES: OnceLock<crate::rules::Rules> = OnceLock::new();
        RULES.get_or_init(crate::rules::Rules::default)
    }

    /// The markers found on the last turn of `lines`, as (marker, score) pairs.
    pub fn last_turn(lines: &[&str]) -> Vec<(&'static str, f64)> {
        let s = session(lines);
        let lex = lexicon();
        super::detect_session(&s, lex, rules())
            .into_iter()
            .filter(|m| m.turn == lines.len() - 1)
            .map(|m| (m.marker, m.finding.score))
            .collect()
    }

    pub fn has(lines: &[&str], marker: &str) -> bool {
        last_turn(lines).iter().any(|(m, _)| *m == marker)
    }
}
