//! Otter.ai text exports: each turn is a header line `Name  m:ss` (or `h:mm:ss` past the hour)
//! followed by lines of words, turns separated by blank lines, and a `Transcribed by
//! https://otter.ai` footer that is dropped with anything after it. Otter gives no end times, so
//! every `end` is `None`.
//!
//! Otter writes two spaces between the name and the time; one is accepted too, but then only on the
//! first line of a paragraph, since a line of words can end in a time ("see you Tuesday 10:30").

use super::tally::{collapse, count, Tally};
use super::{parse_time, ParseError, Parsed};
use crate::model::{Role, Turn};
use regex::Regex;
use std::sync::OnceLock;

/// A header line's speaker, the spaces before the time, and the time.
fn header(line: &str) -> Option<(&str, usize, &str)> {
    static HEADER: OnceLock<Regex> = OnceLock::new();
    let re = HEADER.get_or_init(|| Regex::new(r"^\s*(\S.*?)(\s+)(\d+:\d+(?::\d+)?)\s*$").unwrap());
    let c = re.captures(line)?;
    let name = c.get(1)?.as_str();
    // A speaker name is short and does not end a sentence; anything else is words ending in a time.
    let plausible = name.chars().count() <= 50
        && name.split_whitespace().count() <= 6
        && name.chars().any(char::is_alphabetic)
        && !name.ends_with([',', ';', '?', '!', ':']);
    plausible.then(|| {
        (
            name,
            c.get(2).map_or(0, |m| m.len()),
            c.get(3).map_or("", |m| m.as_str()),
        )
    })
}

/// Whether a line is Otter's footer.
fn is_footer(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    l.starts_with("transcribed by") && l.contains("otter")
}

/// Parses a Otter text transcript.
pub fn parse_otter(src: &str) -> Result<Parsed, ParseError> {
    let mut turns: Vec<Turn> = Vec::new();
    // The turn whose words are being read; it stays open until the next speaker line, so words
    // after a stray blank line still belong to it.
    let mut open: Option<Turn> = None;
    let mut empty = Tally::default();
    let mut backwards = Tally::default();
    let mut paragraph_start = true;
    let mut previous_start: Option<f64> = None;
    for (n, line) in src.lines().enumerate() {
        let line_no = n + 1;
        if is_footer(line) {
            break;
        }
        if line.trim().is_empty() {
            paragraph_start = true;
            continue;
        }
        let head = header(line).filter(|&(_, gap, _)| paragraph_start || gap >= 2);
        paragraph_start = false;
        let Some((name, _, time)) = head else {
            let Some(turn) = open.as_mut() else {
                let shown: String = line.trim().chars().take(60).collect();
                return Err(ParseError {
                    line: Some(line_no),
                    message: format!(
                        "'{shown}' comes before any `Name  m:ss` speaker line, so this is not an \
                         Otter.ai text export; pass --format text for `Speaker: words` lines"
                    ),
                });
            };
            if !turn.text.is_empty() {
                turn.text.push(' ');
            }
            turn.text.push_str(&collapse(line));
            continue;
        };
        let start = parse_time(time).ok_or_else(|| ParseError {
            line: Some(line_no),
            message: format!(
                "cannot read the time '{time}' after speaker '{name}'; Otter writes m:ss or \
                 h:mm:ss (e.g. `{name}  1:05`)"
            ),
        })?;
        if let Some(p) = previous_start.filter(|&p| start < p) {
            backwards.note(line_no, || format!("{time}, before {p} s"));
        }
        previous_start = Some(start);
        if let Some(turn) = open.take() {
            if turn.text.is_empty() {
                empty.note(turn.line, || turn.speaker.clone());
            } else {
                turns.push(Turn {
                    index: turns.len() + 1,
                    ..turn
                });
            }
        }
        open = Some(Turn {
            index: 0,
            speaker: name.to_string(),
            role: Role::Other,
            start: Some(start),
            end: None,
            text: String::new(),
            line: line_no,
        });
    }
    // A last speaker line with no words is more likely a file cut short than an empty turn.
    let mut cut = None;
    if let Some(turn) = open {
        if turn.text.is_empty() {
            cut = Some(turn.line);
        } else {
            turns.push(Turn {
                index: turns.len() + 1,
                ..turn
            });
        }
    }
    if turns.is_empty() {
        return Err(ParseError {
            line: None,
            message: "no `Name  m:ss` speaker lines with words found; an Otter.ai export starts \
                      each turn with the speaker's name and time on a line of their own"
                .into(),
        });
    }
    let mut warnings = Vec::new();
    warnings.extend(cut.map(|line| {
        ParseError {
            line: Some(line),
            message:
                "the last speaker line has no words; the file may be cut off, so the turn was \
                  dropped"
                    .into(),
        }
    }));
    warnings.extend(empty.warning(|n, d| {
        format!(
            "{} with no words dropped (first: '{d}')",
            count(n, "speaker line")
        )
    }));
    warnings.extend(backwards.out_of_order("turn"));
    Ok(Parsed {
        turns,
        warnings,
        role_hints: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tally::{conversation, speakers, well_formed};
    use proptest::prelude::*;

    const CONVERSATION: &str = include_str!("../../fixtures/formats/otter/conversation.txt");
    const SPEAKERS: &str = include_str!("../../fixtures/formats/otter/speakers.txt");

    #[test]
    fn named_conversation() {
        let p = parse_otter(CONVERSATION).unwrap();
        let t = conversation(&p);
        for (i, turn) in t.iter().enumerate() {
            assert_eq!((turn.line, turn.end), (3 * i + 1, None));
        }
        assert_eq!(t[0].start, Some(2.0));
        assert_eq!((t[12].start, t[12].text.as_str()), (Some(61.0), "Mm-hmm."));
        assert_eq!(t[19].start, Some(91.0));
        assert_eq!(t[19].text, "Yeah.");
    }

    #[test]
    fn numbered_and_unknown_speakers_past_the_hour() {
        let p = parse_otter(SPEAKERS).unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let (s1, pr) = ("Speaker 1", "Priya");
        assert_eq!(
            speakers(&p),
            [s1, "Unknown Speaker", s1, pr, s1, pr, s1, pr, s1]
        );
        let t = &p.turns;
        assert_eq!((t[0].start, t[0].line), (Some(3581.0), 1));
        // One space between name and time at the start of a paragraph.
        assert_eq!((t[2].start, t[2].line), (Some(3590.0), 7));
        assert_eq!(
            t[3].text,
            "Honestly? It felt like you had your own plan and I was just going along with it."
        );
        assert_eq!((t[4].start, t[4].line), (Some(3602.0), 14));
        assert_eq!(
            (t[8].start, t[8].text.as_str()),
            (Some(3619.0), "Take care, Priya.")
        );
    }

    #[test]
    fn words_before_the_first_speaker_line_are_an_error() {
        let e = parse_otter(include_str!(
            "../../fixtures/bad-formats/otter-not-otter.txt"
        ))
        .unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("not an Otter.ai text export"), "{e}");
        assert!(parse_otter("").is_err());
        assert!(parse_otter("\n\nTranscribed by https://otter.ai\n").is_err());
    }

    #[test]
    fn a_bad_time_is_an_error_naming_the_line() {
        let e = parse_otter(include_str!(
            "../../fixtures/bad-formats/otter-bad-time.txt"
        ))
        .unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("'0:75'"), "{e}");
    }

    #[test]
    fn a_last_speaker_line_with_no_words_is_a_warning() {
        let p = parse_otter(include_str!(
            "../../fixtures/bad-formats/otter-truncated.txt"
        ))
        .unwrap();
        assert_eq!(speakers(&p), ["Therapist", "Client"]);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, Some(7));
        assert!(p.warnings[0].message.contains("cut off"));
    }

    #[test]
    fn a_time_at_the_end_of_words_is_not_a_speaker() {
        let src = "Anna  0:01\nShall we say\nTuesday 10:30\n\nBen  0:09\nFine.\n";
        let p = parse_otter(src).unwrap();
        assert_eq!(speakers(&p), ["Anna", "Ben"]);
        assert_eq!(p.turns[0].text, "Shall we say Tuesday 10:30");
    }

    #[test]
    fn recoverable_problems_are_warnings() {
        let src = "Anna  0:05\nHi.\n\nBen  0:03\n\nAnna  0:09\nSo.\n\nmore words\n";
        let p = parse_otter(src).unwrap();
        assert_eq!(speakers(&p), ["Anna", "Anna"]);
        assert_eq!(p.turns[1].text, "So. more words");
        let lines: Vec<_> = p.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(4), Some(4)]);
        assert!(p.warnings[0].message.contains("'Ben'"));
        assert!(p.warnings[1].message.contains("start before"));
    }

    #[test]
    fn footer_in_any_case_ends_the_transcript() {
        let src = "Anna  0:01\nHi.\ntranscribed BY https://otter.ai\nBen  0:02\nNot read.\n";
        let p = parse_otter(src).unwrap();
        assert_eq!(p.turns.len(), 1);
        assert_eq!(p.turns[0].text, "Hi.");
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("Speaker 1  0:02".to_string()),
            Just("Unknown Speaker 1:02:03".to_string()),
            Just("Ana  9:99".to_string()),
            Just("é  99999999999999999999:00".to_string()),
            Just("Transcribed by https://otter.ai".to_string()),
            "[ -~]{0,20}",
            "\\PC{0,8}",
        ]
    }

    proptest! {
        #[test]
        fn never_panics(lines in prop::collection::vec(fragment(), 0..24), noise in "\\PC{0,40}") {
            for src in [lines.join("\n"), noise] {
                if let Ok(p) = parse_otter(&src) {
                    well_formed(&p, &src)?;
                    prop_assert!(p.turns.iter().all(|t| t.end.is_none()));
                }
            }
        }
    }
}
