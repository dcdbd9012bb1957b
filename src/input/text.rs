//! The plain-text format: one turn per line as `Speaker: words`, optionally with a start time as
//! `[00:01:02] Speaker: words` or `Speaker (00:01:02): words`. A line with no speaker label continues
//! the turn before it; blank lines are ignored.
//!
//! A label is one to three words of at most 32 characters. Since prose can contain a colon ("at 10:30
//! I left"), a label seen only once in a file of several turns is taken as part of the text unless it
//! names a known role (`Client`, `T`, ...).

use super::{parse_time, ParseError, Parsed};
use crate::model::{Role, Turn};
use crate::roles::is_default_label;
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

const TIME: &str = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?";
const LABEL: &str = r"[\p{L}][\p{L}\p{N}_.'-]*(?: [\p{L}\p{N}_.'-]+){0,2}";

struct Patterns {
    bracketed: Regex,
    parenthesised: Regex,
    plain: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        bracketed: Regex::new(&format!(r"^\s*\[({TIME})\]\s*({LABEL})\s*:(.*)$")).unwrap(),
        parenthesised: Regex::new(&format!(r"^\s*({LABEL})\s*\(({TIME})\)\s*:(.*)$")).unwrap(),
        plain: Regex::new(&format!(r"^\s*({LABEL})\s*:(.*)$")).unwrap(),
    })
}

/// A labelled line: label, time text, words.
type Labelled<'a> = (&'a str, Option<&'a str>, &'a str);

fn labelled(line: &str) -> Option<Labelled<'_>> {
    // The common `Label: words` line is read without a regex; the rest take the full patterns.
    let trimmed = line.trim_start();
    if !trimmed.starts_with('[') {
        let colon = trimmed.find(':')?;
        let label = &trimmed[..colon];
        if !label.contains('(') {
            return plain_label(label).map(|l| (l, None, &trimmed[colon + 1..]));
        }
    }
    let p = patterns();
    if let Some(c) = p.bracketed.captures(line) {
        return Some((
            c.get(2)?.as_str(),
            Some(c.get(1)?.as_str()),
            c.get(3)?.as_str(),
        ));
    }
    if let Some(c) = p.parenthesised.captures(line) {
        return Some((
            c.get(1)?.as_str(),
            Some(c.get(2)?.as_str()),
            c.get(3)?.as_str(),
        ));
    }
    let c = p.plain.captures(line)?;
    let label = c.get(1)?.as_str();
    if label.chars().count() > 32 {
        return None;
    }
    Some((label, None, c.get(2)?.as_str()))
}

/// The label before a colon, if it is one: one to three words of letters, digits and `_.'-`,
/// starting with a letter, at most 32 characters (what [`LABEL`] says, without a regex).
fn plain_label(label: &str) -> Option<&str> {
    let label = label.trim_end();
    let mut words = 0;
    let mut previous_space = true;
    for (i, c) in label.char_indices() {
        if c == ' ' {
            if previous_space {
                return None;
            }
            previous_space = true;
            continue;
        }
        if previous_space {
            words += 1;
            if i == 0 && !c.is_alphabetic() {
                return None;
            }
        }
        previous_space = false;
        if !(c.is_alphanumeric() || matches!(c, '_' | '.' | '\'' | '-')) {
            return None;
        }
    }
    ((1..=3).contains(&words) && label.chars().count() <= 32).then_some(label)
}

/// Parses a plain-text transcript into turns.
pub fn parse_text(src: &str) -> Result<Parsed, ParseError> {
    let lines: Vec<(&str, Option<Labelled>)> = src.lines().map(|l| (l, labelled(l))).collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (_, found) in &lines {
        if let Some((label, _, _)) = found {
            *counts.entry(label.trim().to_lowercase()).or_default() += 1;
        }
    }
    let labelled_lines: usize = counts.values().sum();
    let accepted = |label: &str| {
        let key = label.trim().to_lowercase();
        labelled_lines < 4 || counts.get(&key).copied().unwrap_or(0) >= 2 || is_default_label(&key)
    };

    let mut parsed = Parsed::default();
    let mut preamble = None;
    for (n, (line, found)) in lines.iter().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        match found.filter(|(label, _, _)| accepted(label)) {
            Some((label, time, words)) => {
                let start = match time {
                    Some(t) => Some(parse_time(t).ok_or_else(|| ParseError {
                        line: Some(line_no),
                        message: format!("cannot read the time '{t}'; write it as HH:MM:SS"),
                    })?),
                    None => None,
                };
                parsed.turns.push(Turn {
                    index: parsed.turns.len() + 1,
                    speaker: label.trim().to_string(),
                    role: Role::Other,
                    start,
                    end: None,
                    text: words.trim().to_string(),
                    line: line_no,
                });
            }
            None => match parsed.turns.last_mut() {
                Some(turn) => {
                    if !turn.text.is_empty() {
                        turn.text.push(' ');
                    }
                    turn.text.push_str(line.trim());
                }
                None => {
                    preamble.get_or_insert(line_no);
                }
            },
        }
    }
    if parsed.turns.is_empty() {
        return Err(ParseError {
            line: None,
            message: "no `Speaker: words` lines found; start each turn with a speaker label such \
                      as `Client:` or `T:` (or pass --format csv/tsv for a spreadsheet)"
                .into(),
        });
    }
    if let Some(line) = preamble {
        parsed.warnings.push(ParseError {
            line: Some(line),
            message: "text before the first speaker label was skipped".into(),
        });
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turns(src: &str) -> Vec<(String, Option<f64>, String, usize)> {
        parse_text(src)
            .unwrap()
            .turns
            .into_iter()
            .map(|t| (t.speaker, t.start, t.text, t.line))
            .collect()
    }

    #[test]
    fn labels_times_and_continuations() {
        let src = "T: How are you?\nC: Not bad.\n\nI slept.\n[00:01:02] T: Good.\nClient (1:02:03.5): Yes.\n";
        let t = turns(src);
        assert_eq!(t.len(), 4);
        assert_eq!(t[1], ("C".into(), None, "Not bad. I slept.".into(), 2));
        assert_eq!(t[2], ("T".into(), Some(62.0), "Good.".into(), 5));
        assert_eq!(t[3], ("Client".into(), Some(3723.5), "Yes.".into(), 6));
    }

    #[test]
    fn a_one_off_colon_in_prose_is_not_a_speaker() {
        let src =
            "T: When did you leave?\nC: I left early.\nAt 10: I was home.\nT: Right.\nC: Yes.\n";
        let t = turns(src);
        assert_eq!(t.len(), 4);
        assert_eq!(t[1].2, "I left early. At 10: I was home.");
    }

    #[test]
    fn unknown_labels_that_recur_are_speakers() {
        let src = "Speaker 1: Hi.\nSpeaker 2: Hello.\nSpeaker 1: How are you?\nSpeaker 2: Fine.\n";
        assert_eq!(turns(src).len(), 4);
    }

    #[test]
    fn preamble_is_skipped_with_a_warning() {
        let p = parse_text("Session 4, anonymised\nT: Hi.\nC: Hi.\n").unwrap();
        assert_eq!(p.turns.len(), 2);
        assert_eq!(p.warnings[0].line, Some(1));
    }

    #[test]
    fn prose_without_labels_is_an_error() {
        assert!(parse_text("Just some notes\nabout a session\n").is_err());
    }

    #[test]
    fn crlf_line_endings() {
        assert_eq!(turns("T: Hi.\r\nC: Hello.\r\n")[1].2, "Hello.");
    }
}
