//! What the WebVTT and SRT readers share: cue timing lines, tags and character
//! references, speaker labels at the start of a cue (`Name:`, `[SPEAKER_00]:`, `SPEAKER_00:`), and
//! settling a file's raw cue turns into numbered turns with speakers.

use super::tally::Tally;
use super::{parse_time, ParseError};
use crate::model::{Role, Turn};
use crate::roles::is_default_label;
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Speaker given to a cue with no voice span and no label.
pub(super) const UNKNOWN: &str = "unknown";

/// A cue's words before its speaker is settled: a voice span's name, or the text a label may start.
pub(super) struct RawTurn {
    pub line: usize,
    pub start: f64,
    pub end: f64,
    pub voice: Option<String>,
    pub text: String,
}

struct Patterns {
    timing_like: Regex,
    bracketed: Regex,
    code: Regex,
    name: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    const TIME: &str = r"(?:\d+:)?\d{1,2}:\d{2}";
    P.get_or_init(|| Patterns {
        // A timing line written with the wrong arrow, so it is reported rather than read as words.
        timing_like: Regex::new(&format!(
            r"^\s*{TIME}[.,]\d{{1,3}}\s*(?:-+>?|=+>|→|–+>?|—+>?)\s*{TIME}"
        ))
        .unwrap(),
        bracketed: Regex::new(r"^\[([^\[\]]{1,40})\]\s*:\s*(.*)$").unwrap(),
        code: Regex::new(r"^\[?((?i:speaker)_\d{1,3})\]?(?:\s*:\s*|\s+)(.*)$").unwrap(),
        name: Regex::new(
            r"^([\p{L}][\p{L}\p{M}\p{N}_.'’()/@&-]*(?: [\p{L}\p{M}\p{N}_.'’()/@&-]+){0,3})\s*:(?:\s+(.*))?$",
        )
        .unwrap(),
    })
}

/// Whether a line is (or was meant to be) a cue timing line.
pub(super) fn looks_like_timing(line: &str) -> bool {
    line.contains("-->") || patterns().timing_like.is_match(line)
}

/// A cue timing line's start and end in seconds; `example` is a timing line in the format's own
/// notation, shown in the error.
pub(super) fn parse_timing(
    line: &str,
    line_no: usize,
    example: &str,
) -> Result<(f64, f64), ParseError> {
    let shown = line.trim();
    let fail = |what: &str| ParseError {
        line: Some(line_no),
        message: format!("cue timing '{shown}' {what}; write it as '{example}' or remove the cue"),
    };
    let Some((left, right)) = line.split_once("-->") else {
        return Err(fail("has no '-->' between its times"));
    };
    let start = parse_time(left.trim()).ok_or_else(|| fail("has no valid start time"))?;
    // Anything after the end time is cue settings (`align:start`, SRT's `X1:...`).
    let end = right
        .split_whitespace()
        .next()
        .and_then(parse_time)
        .ok_or_else(|| fail("has no valid end time"))?;
    Ok((start, end))
}

/// A piece of a caption line: plain text, or the inside of a `<...>` tag.
#[derive(Debug, PartialEq)]
pub(super) enum Token<'a> {
    Text(&'a str),
    Tag(&'a str),
}

/// Splits a line into text and tags. A `<` starts a tag only when a letter, digit or `/` follows it
/// and a `>` closes it before another `<`, so a stray "I <3 it" or "a < b" stays text.
pub(super) fn tokens(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut literal = 0;
    while let Some(off) = s.get(from..).and_then(|r| r.find('<')) {
        let lt = from + off;
        let after = s.get(lt + 1..).unwrap_or("");
        let opens = after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '/');
        let close = after
            .find(['<', '>'])
            .filter(|&c| after[c..].starts_with('>'));
        match close {
            Some(c) if opens => {
                if literal < lt {
                    out.push(Token::Text(&s[literal..lt]));
                }
                out.push(Token::Tag(&after[..c]));
                from = lt + 1 + c + 1;
                literal = from;
            }
            _ => from = lt + 1,
        }
    }
    if literal < s.len() {
        out.push(Token::Text(&s[literal..]));
    }
    out
}

/// Decodes the character references captions use (`&amp;`, `&lt;`, `&nbsp;`, `&#39;`, ...); the
/// invisible direction marks `&lrm;` and `&rlm;` are dropped. Anything else is left as written.
pub(super) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let name_end = tail.get(1..).and_then(|t| t.find(';')).filter(|&n| n <= 8);
        let decoded = name_end.and_then(|n| {
            let name = &tail[1..=n];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some(' '),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lrm" | "rlm" => None,
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    Some(char::from_u32(code)?)
                }
            };
            Some((ch, n + 2))
        });
        match decoded {
            Some((ch, len)) => {
                out.extend(ch);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Speaker labels at the start of cue text, settled over the whole file. A `Name:` seen once in a
/// file of several labelled cues is read as words ("Honestly: it was bad"), as the plain-text
/// reader does, unless it is a known role; `[...]:` and `SPEAKER_00:` are always speakers.
pub(super) struct Labels {
    counts: HashMap<String, usize>,
    labelled: usize,
}

impl Labels {
    pub fn new<'a>(texts: impl Iterator<Item = &'a str>) -> Labels {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut labelled = 0;
        for text in texts {
            if let Some((name, _)) = name_label(text) {
                *counts.entry(name.to_lowercase()).or_default() += 1;
                labelled += 1;
            }
        }
        Labels { counts, labelled }
    }

    /// The speaker a cue's text starts with, and the words after it.
    pub fn split<'a>(&self, text: &'a str) -> Option<(String, &'a str)> {
        let p = patterns();
        if let Some(c) = p.code.captures(text) {
            return Some((c.get(1)?.as_str().to_string(), c.get(2)?.as_str()));
        }
        if let Some(c) = p.bracketed.captures(text) {
            return Some((c.get(1)?.as_str().trim().to_string(), c.get(2)?.as_str()));
        }
        let (name, words) = name_label(text)?;
        let key = name.to_lowercase();
        let accepted = self.labelled < 4
            || self.counts.get(&key).copied().unwrap_or(0) >= 2
            || is_default_label(&key);
        accepted.then(|| (name.to_string(), words))
    }
}

/// A `Name:` label of one to four words and at most 40 characters, and the words after it.
fn name_label(text: &str) -> Option<(&str, &str)> {
    let c = patterns().name.captures(text)?;
    let name = c.get(1)?.as_str();
    (name.chars().count() <= 40).then(|| (name, c.get(2).map_or("", |m| m.as_str())))
}

/// Settles the speakers of raw turns and numbers them; turns left with no words are counted in
/// `empty` and dropped, turns with no speaker are counted in `unknown`.
pub(super) fn finish(raw: Vec<RawTurn>, empty: &mut Tally, unknown: &mut Tally) -> Vec<Turn> {
    let labels = Labels::new(
        raw.iter()
            .filter(|r| r.voice.is_none())
            .map(|r| r.text.as_str()),
    );
    let mut turns: Vec<Turn> = Vec::new();
    for r in raw {
        let (speaker, text) = match (&r.voice, labels.split(&r.text)) {
            (Some(v), _) => (v.clone(), r.text.clone()),
            (None, Some((name, words))) => (name, words.to_string()),
            (None, None) => (UNKNOWN.to_string(), r.text.clone()),
        };
        if text.is_empty() {
            empty.note(r.line, || speaker.clone());
            continue;
        }
        if speaker == UNKNOWN {
            unknown.note(r.line, String::new);
        }
        turns.push(Turn {
            index: turns.len() + 1,
            speaker,
            role: Role::Other,
            start: Some(r.start),
            end: Some(r.end),
            text,
            line: r.line,
        });
    }
    turns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_entities() {
        assert_eq!(
            tokens("a <i>b</i> I <3 it <v.x Al Bo>c"),
            [
                Token::Text("a "),
                Token::Tag("i"),
                Token::Text("b"),
                Token::Tag("/i"),
                Token::Text(" I <3 it "),
                Token::Tag("v.x Al Bo"),
                Token::Text("c"),
            ]
        );
        assert_eq!(
            decode_entities("a &amp; b &lt;&gt; &#39;&#x41; &rlm;&bogus; & ;"),
            "a & b <> 'A &bogus; & ;"
        );
        assert_eq!(decode_entities("&é;&"), "&é;&");
    }
}
