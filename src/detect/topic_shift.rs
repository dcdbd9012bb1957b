//! `topic_shift` (withdrawal): a reply that leaves the topic of the turn it answers.
//!
//! Two routes, strongest first:
//! - an avoidance phrase ("can we talk about something else", "I'd rather not get into that") scores
//!   its weight whatever the cohesion;
//! - an explicit shift cue ("anyway", "by the way") at the start of a sentence near the start of the
//!   reply (at most `rules.topic_shift.max_words_before_cue` words before it: later in a long turn, "anyway"
//!   resumes a story) scores its weight when
//!   the reply also has low lexical cohesion with the `window` turns before it (under
//!   `low_cohesion` of its content-word stems found there), half of it otherwise, since an "anyway"
//!   can also close a digression and return to the topic.
//!
//!
//! Low cohesion alone is not reported: on real sessions replies share few words with the questions
//! they answer well (synonyms, new detail, a story that answers by example), so a lexical-overlap
//! rule alone flags engaged answers far more often than shifts. It only strengthens an explicit cue.
//! Nor is a client's own question about something else ("Is that your car outside?"): on the
//! evaluation set most such questions were scheduling, counter-proposals or rhetorical complaints.
//! Nothing counts when the practitioner's turn invited a new topic ("what else is going on?").

use super::context::invitation;
use super::{Analysis, Detector, Family, Finding};
use crate::lexicon::schema::Class;
use crate::lexicon::Lexicon;
use std::collections::HashSet;
use std::sync::OnceLock;

pub struct TopicShift;

impl Detector for TopicShift {
    fn name(&self) -> &'static str {
        "topic_shift"
    }

    fn family(&self) -> Family {
        Family::Withdrawal
    }

    fn detect(
        &self,
        a: &Analysis,
        lex: &Lexicon,
        turn: usize,
        _earlier: &[super::Marker],
    ) -> Option<Finding> {
        let scan = &a.scans[turn];
        let t = &a.tokens[turn];
        let words_before = |h: &&crate::lexicon::Hit| {
            let at = t.tokens[h.tokens.start].src.start;
            crate::text::count_words(&a.session.turns[turn].text[..at])
        };
        let avoidance = scan.strongest(lex, Class::Avoidance);
        let shift = scan
            .of(lex, Class::Shift)
            .filter(|h| !h.negated && words_before(h) <= a.rules.topic_shift.max_words_before_cue)
            .max_by(|x, y| x.strength(lex).total_cmp(&y.strength(lex)));
        // Most turns have no cue at all: decide that before reading the context.
        if avoidance.is_none() && shift.is_none() {
            return None;
        }
        let prompt = a.prompt_of(turn)?;
        if invitation(a, lex, prompt).invites_topic {
            return None;
        }
        if let Some(h) = avoidance {
            return Some(Finding {
                score: h.strength(lex),
                cue: lex.id(h.entry).to_string(),
                evidence: vec![h.tokens.clone()],
                subtype: None,
            });
        }
        if let Some(h) = shift {
            let window: HashSet<String> = (turn.saturating_sub(a.rules.topic_shift.window)..turn)
                .flat_map(|i| content_stems(a, lex, i, 0..a.tokens[i].len()))
                .collect();
            let reply = content_stems(a, lex, turn, 0..t.len());
            let shared = reply.iter().filter(|s| window.contains(*s)).count();
            let low = (shared as f64) < a.rules.topic_shift.low_cohesion * reply.len() as f64
                || reply.is_empty();
            let (factor, cue) = if low {
                (1.0, format!("{}+rule:low_cohesion", lex.id(h.entry)))
            } else {
                (0.5, lex.id(h.entry).to_string())
            };
            return Some(Finding {
                score: h.strength(lex) * factor,
                cue,
                evidence: vec![h.tokens.clone()],
                subtype: None,
            });
        }
        None
    }
}

/// The distinct stems of the content words of tokens `range` of a turn (stopwords and short tokens
/// left out).
pub fn content_stems(
    a: &Analysis,
    lex: &Lexicon,
    turn: usize,
    range: std::ops::Range<usize>,
) -> HashSet<String> {
    static STEMMER: OnceLock<rust_stemmers::Stemmer> = OnceLock::new();
    let stemmer =
        STEMMER.get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));
    let t = &a.tokens[turn];
    range
        .map(|i| t.word(i))
        .filter(|w| w.len() >= 3 && w.chars().all(char::is_alphabetic) && !lex.is_stopword(w))
        .map(|w| stemmer.stem(w.trim_end_matches("'s")).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::detect::testing::has;

    const M: &str = "topic_shift";

    #[test]
    fn explicit_avoidance_counts() {
        assert!(has(
            &[
                "T: How are things with your father?",
                "C: Can we talk about something else?"
            ],
            M
        ));
        assert!(has(
            &[
                "T: What happened that night?",
                "C: I'd rather not get into that, honestly."
            ],
            M
        ));
    }

    #[test]
    fn anyway_leaving_the_topic_counts() {
        assert!(has(
            &[
                "T: How did you feel when the letter from the hospital arrived?",
                "C: Anyway, the football was good on Saturday, we won three nil.",
            ],
            M
        ));
    }

    #[test]
    fn anyway_staying_on_topic_is_weak() {
        assert!(!has(
            &[
                "T: How did you feel when the letter from the hospital arrived?",
                "C: Anyway, the letter from the hospital said the scan was clear, so I felt relieved.",
            ],
            M
        ));
    }

    #[test]
    fn anyway_late_in_a_long_turn_resumes_a_story() {
        assert!(!has(
            &[
                "T: How did you hurt your ankle?",
                "C: It's silly. We were at the pub crawl and I jumped off the bus steps. Anyway, it swelled up.",
            ],
            M
        ));
    }

    #[test]
    fn reported_speech_is_not_the_speakers_own_shift() {
        assert!(!has(
            &[
                "T: What do the doctors say about the smoking?",
                "C: Every doctor lectures me and I kind of go, let's move on, you know.",
            ],
            M
        ));
    }

    #[test]
    fn invited_new_topic_is_not_a_shift() {
        assert!(!has(
            &[
                "T: What else has been going on for you this week?",
                "C: Anyway, my brother finally moved out of the flat and took the dog with him.",
            ],
            M
        ));
    }

    #[test]
    fn on_topic_reply_is_not_a_shift() {
        assert!(!has(
            &[
                "T: What makes the drinking at weekends harder to control?",
                "C: At weekends the drinking starts at lunch with my mates and then it just carries on.",
            ],
            M
        ));
    }

    #[test]
    fn another_speakers_refusal_in_a_story_is_not_avoidance() {
        assert!(!has(
            &["T: What did he say?", "C: He didn't want to talk about it."],
            M
        ));
    }

    #[test]
    fn low_cohesion_alone_is_not_reported() {
        assert!(!has(
            &[
                "T: What was it like telling your mother about the diagnosis?",
                "C: The new kitchen cupboards arrived yesterday, builders reckon the tiling finishes Friday.",
            ],
            M
        ));
    }
}
