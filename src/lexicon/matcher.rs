//! Running a compiled lexicon over one tokenised turn: one Aho-Corasick pass over the normalised text
//! finds every phrase of every entry on whole words (phrases and text are both padded with spaces),
//! and the entries' regular expressions run only where they can matter. Then anchors are checked and
//! the modifiers (negators, hedges, boosters, contrast) around each hit are applied, in the manner of
//! VADER's published rules: a negator among the three tokens before a phrase in the same clause flips
//! it, a hedge or booster just before scales it, and a "but" after it in the same sentence shifts the
//! weight away from it. A quotative before it in the same sentence ("she said") marks it as reported
//! speech. Hedges, boosters and contrast only touch the evaluative classes (dissatisfaction complaints
//! and evaluations): "so I'd rather not" is no stronger for the "so".

use super::schema::{Anchor, Class};
use super::Lexicon;
use crate::text::Tokens;
use aho_corasick::automaton::Automaton;
use aho_corasick::Anchored;
use std::ops::Range;

/// How many tokens before a phrase a negator, hedge or booster may stand and still modify it.
pub const MODIFIER_WINDOW: usize = 3;

/// One entry firing on a span of tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub entry: usize,
    pub tokens: Range<usize>,
    /// A negator governs the phrase and the entry is negatable.
    pub negated: bool,
    /// The product of the modifiers around the phrase (1.0 when none); a full negation makes it 0.
    pub factor: f64,
}

/// All hits in a turn, sorted by position.
#[derive(Clone, Debug, Default)]
pub struct Scan {
    pub hits: Vec<Hit>,
    /// Per token: whether it is a discourse filler.
    pub filler: Vec<bool>,
}

impl Scan {
    /// Hits of entries of `class`.
    pub fn of<'a>(&'a self, lex: &'a Lexicon, class: Class) -> impl Iterator<Item = &'a Hit> + 'a {
        self.hits
            .iter()
            .filter(move |h| lex.classes[h.entry] == class)
    }

    /// The strongest hit of `class` that no negator cancels.
    pub fn strongest<'a>(&'a self, lex: &'a Lexicon, class: Class) -> Option<&'a Hit> {
        self.of(lex, class)
            .filter(|h| !h.negated)
            .max_by(|x, y| x.strength(lex).total_cmp(&y.strength(lex)))
    }

    /// Whether token `i` is covered by a hit of `class`.
    pub fn covered(&self, lex: &Lexicon, class: Class, i: usize) -> bool {
        self.of(lex, class).any(|h| h.tokens.contains(&i))
    }
}

impl Hit {
    /// The entry's weight scaled by the modifiers.
    pub fn strength(&self, lex: &Lexicon) -> f64 {
        lex.entries[self.entry].weight * self.factor
    }
}

impl Lexicon {
    /// Finds every entry's phrases and patterns in `t`.
    pub fn scan(&self, t: &Tokens) -> Scan {
        self.scan_with(t, false)
    }

    /// [`Lexicon::scan`], or with `every_pattern`, running every entry's patterns on the turn, also
    /// those skipped where no detector reads their hits (used to check an entry's own examples).
    fn scan_with(&self, t: &Tokens, every_pattern: bool) -> Scan {
        thread_local! {
            /// The raw hits of a turn, kept between calls so a turn costs no allocation for them.
            static RAW: std::cell::RefCell<Vec<(usize, Range<usize>)>> = Default::default();
        }
        RAW.with_borrow_mut(|raw| {
            raw.clear();
            self.scan_into(t, raw, every_pattern)
        })
    }

    fn scan_into(
        &self,
        t: &Tokens,
        raw: &mut Vec<(usize, Range<usize>)>,
        every_pattern: bool,
    ) -> Scan {
        self.phrases_in(t, |p, span| {
            for &e in &self.pattern_entries[p] {
                raw.push((e, span.clone()));
            }
        });
        // Patterns of the supporting classes (targets, modifiers) only matter around a hit of a
        // marker class, and those qualifying evaluations only around a complaint or evaluation;
        // most turns have neither, so they are skipped there.
        let run = |group: &[(regex::Regex, usize)], raw: &mut Vec<(usize, Range<usize>)>| {
            for (re, e) in group {
                for m in re.find_iter(t.norm()) {
                    if let Some(span) = token_span(t, m.start(), m.end()) {
                        raw.push((*e, span));
                    }
                }
            }
        };
        let [primary, support, evaluative] = &self.regexes;
        run(primary, raw);
        let has = |raw: &[(usize, Range<usize>)], pick: fn(Class) -> bool| {
            raw.iter().any(|(e, _)| pick(self.classes[*e]))
        };
        if !support.is_empty() && (every_pattern || has(raw, |c| !c.is_support())) {
            run(support, raw);
        }
        if !evaluative.is_empty()
            && (every_pattern || has(raw, |c| matches!(c, Class::Complaint | Class::Evaluation)))
        {
            run(evaluative, raw);
        }
        raw.sort_by_key(|(e, s)| (s.start, s.end, *e));
        raw.dedup();

        let mut filler = vec![false; t.len()];
        for (e, span) in raw.iter() {
            if self.classes[*e] == Class::Filler {
                filler[span.clone()].iter_mut().for_each(|f| *f = true);
            }
        }
        // The modifiers of `class`, in text order, each (weight, tokens).
        let modifier = |class: Class| {
            raw.iter()
                .filter(move |(e, _)| self.classes[*e] == class)
                .map(|(e, s)| (self.entries[*e].weight, s))
        };

        let mut hits = Vec::new();
        for (e, span) in raw.iter() {
            if is_modifier(self.classes[*e]) {
                continue;
            }
            let entry = &self.entries[*e];
            if !anchored(t, &filler, span, entry.anchor) {
                continue;
            }
            let first = &t.tokens[span.start];
            let before = |(_, s): &(f64, &Range<usize>)| {
                s.end <= span.start && s.end + MODIFIER_WINDOW >= span.start
            };
            let same_sentence =
                |(_, s): &(f64, &Range<usize>)| t.tokens[s.start].sentence == first.sentence;
            let mut factor = 1.0;
            let mut negated = false;
            if entry.negatable {
                if let Some((w, _)) = modifier(Class::Negator)
                    .filter(before)
                    .find(|(_, s)| t.tokens[s.start].clause == first.clause)
                {
                    negated = true;
                    factor *= 1.0 - w;
                }
            }
            if let Some((w, _)) = modifier(Class::Quotative)
                .filter(same_sentence)
                .find(|(_, s)| s.end <= span.start)
            {
                factor *= w;
            }
            if !matches!(entry.class, Class::Complaint | Class::Evaluation) {
                hits.push(Hit {
                    entry: *e,
                    tokens: span.clone(),
                    negated,
                    factor,
                });
                continue;
            }
            let near = |class: Class, pick: fn(f64, f64) -> f64| {
                modifier(class)
                    .filter(before)
                    .filter(same_sentence)
                    .map(|(w, _)| w)
                    .reduce(pick)
            };
            if let Some(w) = near(Class::Hedge, f64::min) {
                factor *= w;
            }
            if let Some(w) = near(Class::Booster, f64::max) {
                factor *= w;
            }
            if let Some((w, _)) = modifier(Class::Contrast)
                .filter(same_sentence)
                .find(|(_, s)| s.start >= span.end)
            {
                factor *= w;
            }
            hits.push(Hit {
                entry: *e,
                tokens: span.clone(),
                negated,
                factor: factor.min(1.0 / entry.weight.max(f64::EPSILON)).max(0.0),
            });
        }
        Scan { hits, filler }
    }

    /// Calls `found(phrase, tokens)` for every occurrence of every phrase in `t`, overlapping ones
    /// included, in the order of their ends. Phrases and text are padded with spaces, so every match
    /// covers whole tokens: it ends after the space following its last token, so a cursor finds that
    /// token and the phrase's word count its first.
    fn phrases_in(&self, t: &Tokens, mut found: impl FnMut(usize, Range<usize>)) {
        let dfa = &self.automaton;
        let mut state = dfa
            .start_state(Anchored::No)
            .expect("the automaton is built for unanchored search");
        let mut last = 0;
        for (at, &byte) in t.padded().as_bytes().iter().enumerate() {
            state = dfa.next_state(Anchored::No, state, byte);
            if !dfa.is_special(state) || !dfa.is_match(state) {
                continue;
            }
            // The match ends at byte `at + 1` of the padded text; its last token ends at `at - 1`
            // of the unpadded one.
            while t.tokens[last].norm.end < at - 1 {
                last += 1;
            }
            for k in 0..dfa.match_len(state) {
                let p = dfa.match_pattern(state, k).as_usize();
                found(p, last + 1 - self.pattern_words[p]..last + 1);
            }
        }
    }

    /// Whether entry `entry` fires (matches, anchored, not negated) on `text`. Used by the lexicon's
    /// own example tests and by `must_match`/`must_not_match` checks.
    pub fn fires(&self, entry: usize, text: &str) -> bool {
        let t = crate::text::tokenize(text);
        self.scan_with(&t, true)
            .hits
            .iter()
            .any(|h| h.entry == entry && !h.negated)
            || (is_modifier(self.entries[entry].class) && found(self, entry, &t))
    }
}

fn is_modifier(class: Class) -> bool {
    matches!(
        class,
        Class::Negator
            | Class::Hedge
            | Class::Booster
            | Class::Contrast
            | Class::Quotative
            | Class::Filler
    )
}

/// Whether a phrase of `entry` occurs on word boundaries, ignoring anchors and modifiers.
fn found(lex: &Lexicon, entry: usize, t: &Tokens) -> bool {
    let mut phrase = false;
    lex.phrases_in(t, |p, _| phrase |= lex.pattern_entries[p].contains(&entry));
    phrase
        || lex
            .regexes
            .iter()
            .flatten()
            .filter(|(_, e)| *e == entry)
            .any(|(re, _)| {
                re.find_iter(t.norm())
                    .any(|m| token_span(t, m.start(), m.end()).is_some())
            })
}

/// The token range exactly covering normalised bytes `start..end`, if the match is on word boundaries.
fn token_span(t: &Tokens, start: usize, end: usize) -> Option<Range<usize>> {
    let a = t.token_starting_at(start)?;
    let b = t.token_ending_at(end)?;
    (a <= b).then_some(a..b + 1)
}

fn anchored(t: &Tokens, filler: &[bool], span: &Range<usize>, anchor: Anchor) -> bool {
    match anchor {
        Anchor::Any => true,
        Anchor::Start => {
            let sentence = t.tokens[span.start].sentence;
            (0..span.start)
                .rev()
                .take_while(|&i| t.tokens[i].sentence == sentence)
                .all(|i| filler[i])
        }
        Anchor::Whole => (0..span.start).chain(span.end..t.len()).all(|i| filler[i]),
        Anchor::End => ends_sentence(t, filler, span),
        Anchor::Clause => {
            let clause = t.tokens[span.start].clause;
            (0..span.start)
                .rev()
                .take_while(|&i| t.tokens[i].clause == clause)
                .all(|i| filler[i])
        }
        Anchor::Sentence => {
            anchored(t, filler, span, Anchor::Start) && ends_sentence(t, filler, span)
        }
    }
}

fn ends_sentence(t: &Tokens, filler: &[bool], span: &Range<usize>) -> bool {
    let sentence = t.tokens[span.end - 1].sentence;
    (span.end..t.len())
        .take_while(|&i| t.tokens[i].sentence == sentence)
        .all(|i| filler[i])
}
