//! What the readers share to report what they read past: one tally per kind of recoverable
//! problem (where it first happened, what it was, how often), turned into one warning, so every
//! format words its warnings the same way; and the small text helpers they all need.

use super::ParseError;

/// One kind of recoverable problem: where it first happened, what it was, and how often.
#[derive(Default)]
pub(super) struct Tally {
    first: Option<(usize, String)>,
    count: usize,
}

impl Tally {
    /// Records one occurrence; `detail` describes it and is kept for the first one only.
    pub fn note(&mut self, line: usize, detail: impl FnOnce() -> String) {
        if self.first.is_none() {
            self.first = Some((line, detail()));
        }
        self.count += 1;
    }

    /// Records one occurrence with nothing more to say about it than its line.
    pub fn add(&mut self, line: usize) {
        self.note(line, String::new);
    }

    /// The warning for this kind, if it happened: `message(count, first detail)`, at the first line.
    pub fn warning(&self, message: impl FnOnce(usize, &str) -> String) -> Option<ParseError> {
        let (line, detail) = self.first.as_ref()?;
        Some(ParseError {
            line: Some(*line),
            message: message(self.count, detail),
        })
    }

    /// The warning for records (`noun`: cue, turn) that start before the one ahead of them.
    pub fn out_of_order(&self, noun: &str) -> Option<ParseError> {
        self.warning(|n, d| {
            format!(
                "{} start before the {noun} ahead of them (first at {d}); kept in file order",
                count(n, noun)
            )
        })
    }

    /// Pushes the warning for this kind onto `out`, if it happened: `message(count)`.
    pub fn warn(&self, out: &mut Vec<ParseError>, message: impl FnOnce(usize) -> String) {
        out.extend(self.warning(|n, _| message(n)));
    }
}

/// "1 cue" / "3 cues".
pub(super) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "1 cue has" / "3 cues have".
pub(super) fn count_have(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun} has")
    } else {
        format!("{n} {noun}s have")
    }
}

/// The speaker of each turn, for the readers' tests.
#[cfg(test)]
pub(super) fn speakers(p: &super::Parsed) -> Vec<&str> {
    p.turns.iter().map(|t| t.speaker.as_str()).collect()
}

/// What every reading of `src` must be: turns numbered from 1, each on a line of `src`, with words
/// and a speaker.
#[cfg(test)]
pub(super) fn well_formed(
    p: &super::Parsed,
    src: &str,
) -> Result<(), proptest::test_runner::TestCaseError> {
    use proptest::{prop_assert, prop_assert_eq};
    let n = src.lines().count();
    prop_assert!(!p.turns.is_empty());
    for (i, t) in p.turns.iter().enumerate() {
        prop_assert_eq!(t.index, i + 1);
        prop_assert!(t.line >= 1 && t.line <= n);
        prop_assert!(!t.text.is_empty() && !t.speaker.is_empty());
    }
    Ok(())
}

/// Checks a reading of the fixtures' shared 20-turn conversation (Therapist first, then turn
/// about with the Client) read without a warning, and gives its turns.
#[cfg(test)]
pub(super) fn conversation(p: &super::Parsed) -> &[crate::model::Turn] {
    assert_eq!(p.turns.len(), 20);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    for (i, t) in p.turns.iter().enumerate() {
        assert_eq!(t.index, i + 1);
        let expected = if i % 2 == 0 { "Therapist" } else { "Client" };
        assert_eq!(t.speaker, expected);
    }
    &p.turns
}

/// Runs of white space as single spaces, trimmed.
pub(super) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_warning_per_kind_at_the_first_line() {
        let mut t = Tally::default();
        assert!(t.warning(|_, _| String::new()).is_none());
        t.note(7, || "first".into());
        t.add(9);
        let w = t.warning(|n, d| format!("{n} {d}")).unwrap();
        assert_eq!((w.line, w.message.as_str()), (Some(7), "2 first"));
        let mut out = Vec::new();
        t.warn(&mut out, |n| count(n, "cue"));
        assert_eq!(out[0].message, "2 cues");
        assert_eq!(collapse("  a \n b  "), "a b");
    }
}
