//! The naive baselines researchers use today, scored on the same gold set so rupture's figures have a
//! reference: a reply of 3 words or fewer as a minimal response; a reply sharing no content word with
//! the turn before as a topic shift; a word from a negative-sentiment list as dissatisfaction.

use crate::lexicon::Lexicon;
use crate::model::Session;
use crate::text::{count_words, tokenize};
use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

/// A general-purpose negative-sentiment word list (one word a line), in the manner of the lists a
/// sentiment lexicon such as VADER or LIWC's negative-emotion category provides.
const NEGATIVE_WORDS: &str = include_str!("negative_words.txt");

/// One baseline's predictions for one session.
pub struct Prediction {
    /// The baseline's name, as reported.
    pub name: &'static str,
    pub marker: &'static str,
    pub turns: BTreeSet<usize>,
}

/// The baselines' names and the marker each stands in for.
pub const BASELINES: &[(&str, &str)] = &[
    ("baseline:reply_of_3_words_or_fewer", "minimal_response"),
    ("baseline:no_shared_content_word", "topic_shift"),
    ("baseline:negative_word_list", "dissatisfaction"),
];

fn negative_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        NEGATIVE_WORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Runs every baseline over the scored role's replies in `session`. Turn numbers are 1-based.
pub fn predict(session: &Session, lex: &Lexicon) -> Vec<Prediction> {
    let scored = session.scored_role();
    let mut short = BTreeSet::new();
    let mut unshared = BTreeSet::new();
    let mut negative = BTreeSet::new();
    let content = |text: &str| -> HashSet<String> {
        let t = tokenize(text);
        (0..t.len())
            .map(|i| t.word(i).to_string())
            .filter(|w| w.len() >= 3 && w.chars().all(char::is_alphabetic) && !lex.is_stopword(w))
            .collect()
    };
    for (i, turn) in session.turns.iter().enumerate() {
        if turn.role != scored {
            continue;
        }
        let t = tokenize(&turn.text);
        if (0..t.len()).any(|k| negative_words().contains(t.word(k))) {
            negative.insert(turn.index);
        }
        let Some(prev) = i.checked_sub(1).map(|p| &session.turns[p]) else {
            continue;
        };
        if prev.speaker == turn.speaker {
            continue;
        }
        let words = count_words(&turn.text);
        if (1..=3).contains(&words) {
            short.insert(turn.index);
        }
        let mine = content(&turn.text);
        if !mine.is_empty() && mine.is_disjoint(&content(&prev.text)) {
            unshared.insert(turn.index);
        }
    }
    [short, unshared, negative]
        .into_iter()
        .zip(BASELINES)
        .map(|(turns, (name, marker))| Prediction {
            name,
            marker,
            turns,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testing::{lexicon, session};

    #[test]
    fn each_baseline_does_what_it_says() {
        let s = session(&[
            "T: How was the week with your sister?",
            "C: Fine.",
            "T: And the job interview on Friday?",
            "C: The football was rubbish on Saturday.",
            "T: Tell me about your sister.",
            "C: My sister came round on Sunday.",
        ]);
        let p = predict(&s, lexicon());
        let turns = |n: &str| p.iter().find(|x| x.name == n).unwrap().turns.clone();
        assert_eq!(turns("baseline:reply_of_3_words_or_fewer"), [2].into());
        assert_eq!(turns("baseline:no_shared_content_word"), [4].into());
        assert_eq!(turns("baseline:negative_word_list"), [4].into());
    }
}
