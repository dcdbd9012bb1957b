//! SubRip (`.srt`) captions: numbered cues of an index line, a timing line
//! (`00:01:02,000 --> 00:01:05,000`) and payload lines, separated by blank lines. One cue is one
//! turn; its payload lines are joined with a space.
//!
//! Speakers come from a `Name:` or `[SPEAKER_00]:` label at the start of the payload (read as in
//! WebVTT, see `captions.rs`), otherwise `unknown`. Real files are untidy, so a missing index line,
//! extra blank lines (even between the timing line and the words) and a missing blank line between
//! cues are all read; only a timing line that cannot be read stops the file.

use super::captions::{decode_entities, finish, looks_like_timing, parse_timing, RawTurn, Token};
use super::tally::{collapse, count, count_have, Tally};
use super::{ParseError, Parsed};
use regex::Regex;
use std::sync::OnceLock;

/// A cue as read so far: where it starts, its times and its payload lines.
struct Cue {
    line: usize,
    timing_line: usize,
    start: f64,
    end: f64,
    words: Vec<String>,
}

/// Whether a line is a cue index (a number alone).
fn is_index(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.len() <= 9 && t.bytes().all(|b| b.is_ascii_digit())
}

/// A payload line with `<i>`, `<b>`, `<u>`, `<font ...>` tags and `{\an8}`-style codes removed.
fn clean(line: &str) -> String {
    static CODES: OnceLock<Regex> = OnceLock::new();
    let codes = CODES.get_or_init(|| Regex::new(r"\{\\[^{}]*\}").unwrap());
    let line = codes.replace_all(line, "");
    let text: String = super::captions::tokens(&line)
        .into_iter()
        .filter_map(|t| match t {
            Token::Text(t) => Some(t),
            Token::Tag(_) => None,
        })
        .collect();
    decode_entities(&text)
}

/// Parses a SRT transcript.
pub fn parse_srt(src: &str) -> Result<Parsed, ParseError> {
    let lines: Vec<&str> = src.lines().collect();
    let blank = |i: usize| lines.get(i).is_none_or(|l| l.trim().is_empty());
    let mut cues: Vec<Cue> = Vec::new();
    let mut preamble = Tally::default();
    // An index line left alone by a blank line before its timing line.
    let mut pending_index: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        if blank(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while !blank(end) {
            end += 1;
        }
        i = end;
        let block = &lines[start..end];
        let mut timing = if looks_like_timing(block[0]) {
            start
        } else if is_index(block[0]) && block.get(1).is_some_and(|l| looks_like_timing(l)) {
            start + 1
        } else {
            let next_text = (end..lines.len()).find(|&k| !blank(k));
            let next_is_cue = next_text.is_some_and(|k| looks_like_timing(lines[k]));
            if block.len() == 1 && is_index(block[0]) && (next_is_cue || next_text.is_none()) {
                pending_index = Some(start);
                continue;
            }
            // Words after a blank line inside a cue belong to that cue.
            match cues.last_mut() {
                Some(cue) => cue.words.extend(block.iter().map(|l| clean(l))),
                None => preamble.note(start + 1, || collapse(block[0])),
            }
            continue;
        };
        let mut cue_line = pending_index
            .take()
            .filter(|_| timing == start)
            .unwrap_or(start);
        loop {
            let (s, e) = parse_timing(lines[timing], timing + 1, "00:01:02,000 --> 00:01:05,000")?;
            let mut next = timing + 1;
            while next < end && !looks_like_timing(lines[next]) {
                next += 1;
            }
            // With no blank line between cues, the line above the next timing line is its index.
            let mut words_end = next;
            if next < end && next > timing + 1 && is_index(lines[next - 1]) {
                words_end = next - 1;
            }
            cues.push(Cue {
                line: cue_line + 1,
                timing_line: timing + 1,
                start: s,
                end: e,
                words: (timing + 1..words_end).map(|k| clean(lines[k])).collect(),
            });
            if next >= end {
                break;
            }
            cue_line = words_end;
            timing = next;
        }
    }
    let mut empty = Tally::default();
    let mut cut = Tally::default();
    let mut backwards = Tally::default();
    let mut reversed = Tally::default();
    let mut unknown = Tally::default();
    if let Some(index) = pending_index {
        cut.note(index + 1, String::new);
    }
    let last = cues.len().saturating_sub(1);
    let mut raw: Vec<RawTurn> = Vec::new();
    let mut previous_start: Option<f64> = None;
    for (n, cue) in cues.into_iter().enumerate() {
        let text = collapse(&cue.words.join(" "));
        if text.is_empty() {
            let kind = if n == last && pending_index.is_none() {
                &mut cut
            } else {
                &mut empty
            };
            kind.note(cue.line, String::new);
            continue;
        }
        if let Some(p) = previous_start.filter(|&p| cue.start < p) {
            let s = cue.start;
            backwards.note(cue.timing_line, || format!("{s:.3} s, before {p:.3} s"));
        }
        if cue.end < cue.start {
            reversed.note(cue.timing_line, || {
                format!("{:.3} s to {:.3} s", cue.start, cue.end)
            });
        }
        previous_start = Some(cue.start);
        raw.push(RawTurn {
            line: cue.line,
            start: cue.start,
            end: cue.end,
            voice: None,
            text,
        });
    }
    let turns = finish(raw, &mut empty, &mut unknown);
    if turns.is_empty() {
        return Err(ParseError {
            line: None,
            message:
                "no cues with words found; a SubRip file needs numbered cues of a timing line \
                      (`00:00:01,000 --> 00:00:04,000`) followed by the words"
                    .into(),
        });
    }
    let warnings = [
        preamble.warning(|n, d| {
            format!(
                "{} of text before the first cue skipped (first: '{d}')",
                count(n, "block")
            )
        }),
        empty.warning(|n, _| format!("{} with no words dropped", count(n, "cue"))),
        cut.warning(|_, _| {
            "the last cue has no words; the file may be cut off, so the cue was dropped".into()
        }),
        backwards.out_of_order("cue"),
        reversed.warning(|n, d| {
            format!(
                "{} end before they start (first: {d}); kept",
                count(n, "cue")
            )
        }),
        unknown.warning(|n, _| {
            format!(
                "{} no speaker (`Name:` or `[SPEAKER_00]:`); read as speaker `unknown`",
                count_have(n, "cue")
            )
        }),
    ];
    Ok(Parsed {
        turns,
        warnings: warnings.into_iter().flatten().collect(),
        role_hints: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tally::{conversation, speakers, well_formed};
    use proptest::prelude::*;

    const CONVERSATION: &str = include_str!("../../fixtures/formats/srt/conversation.srt");
    const WHISPERX: &str = include_str!("../../fixtures/formats/srt/whisperx.srt");

    #[test]
    fn named_conversation() {
        let p = parse_srt(CONVERSATION).unwrap();
        let t = conversation(&p);
        for (i, turn) in t.iter().enumerate() {
            assert_eq!(turn.line, 4 * i + 1);
        }
        assert_eq!((t[0].start, t[0].end), (Some(2.0), Some(7.0)));
        assert_eq!((t[11].start, t[11].end), (Some(54.0), Some(61.0)));
        assert_eq!(
            t[11].text,
            "Anyway, my sister's wedding is next month and I've got to sort the car out before then."
        );
        assert_eq!((t[19].start, t[19].end), (Some(91.0), Some(95.0)));
    }

    #[test]
    fn whisperx_codes_tags_and_untidy_layout() {
        let p = parse_srt(WHISPERX).unwrap();
        assert_eq!(p.turns.len(), 10);
        let (a, b) = ("SPEAKER_00", "SPEAKER_01");
        assert_eq!(speakers(&p), [a, b, a, b, a, b, a, "unknown", a, b]);
        let t = &p.turns;
        assert_eq!(t[1].text, "Fine.");
        // `{\an8}` before the label, and two payload lines joined.
        assert_eq!(
            t[2].text,
            "Last time you mentioned the panic on the train. Has that happened again?"
        );
        // No index line: the cue starts at its timing line.
        assert_eq!(
            (t[3].line, t[3].start, t[3].end),
            (14, Some(11.9), Some(15.0))
        );
        assert_eq!(
            t[3].text,
            "Twice. But I don't really want to get into it today."
        );
        // Blank lines between the timing line and the words.
        assert_eq!((t[4].line, t[4].start), (18, Some(15.6)));
        assert_eq!(
            t[4].text,
            "Okay. We don't have to. What would you like to use the time for?"
        );
        assert_eq!(
            t[5].text,
            "I don't know. Every week it's the same questions and I leave feeling worse."
        );
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, Some(35));
        assert!(p.warnings[0].message.starts_with("1 cue has no speaker"));
    }

    #[test]
    fn malformed_timing_is_an_error_naming_the_line() {
        let e = parse_srt(include_str!(
            "../../fixtures/bad-formats/srt-bad-timing.srt"
        ))
        .unwrap_err();
        assert_eq!(e.line, Some(6));
        assert!(e.message.contains("'00:00:07,000 -> 00:00:10,000'"), "{e}");
        let e = parse_srt("1\n00:00:01,000 --> soon\nHi\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("no valid end time"), "{e}");
    }

    #[test]
    fn truncated_cue_is_a_warning() {
        let p = parse_srt(include_str!("../../fixtures/bad-formats/srt-truncated.srt")).unwrap();
        assert_eq!(speakers(&p), ["Therapist", "Client"]);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, Some(9));
        assert!(p.warnings[0].message.contains("cut off"));
        // An index line alone at the end is cut off too.
        let p = parse_srt("1\n00:00:01,000 --> 00:00:02,000\nT: Hi.\n\n2\n").unwrap();
        assert_eq!((p.turns.len(), p.warnings[0].line), (1, Some(5)));
    }

    #[test]
    fn cues_without_blank_lines_and_dotted_times() {
        let src = "1\n00:00:01.000 --> 00:00:02.000\nA: one\n2\n00:00:03,000 --> 00:00:04,000 X1:10\nB: two\n";
        let p = parse_srt(src).unwrap();
        assert_eq!(speakers(&p), ["A", "B"]);
        assert_eq!(
            (p.turns[0].text.as_str(), p.turns[0].start),
            ("one", Some(1.0))
        );
        assert_eq!((p.turns[1].line, p.turns[1].end), (4, Some(4.0)));
    }

    #[test]
    fn index_parted_from_its_timing_by_a_blank_line() {
        let src = "1\n\n00:00:01,000 --> 00:00:02,000\nT: Hi.\n";
        let p = parse_srt(src).unwrap();
        assert_eq!((p.turns.len(), p.turns[0].line), (1, 1));
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn recoverable_problems_are_warnings() {
        let src = "Some title\n\n1\n00:00:05,000 --> 00:00:06,000\nA: one\n\n2\n00:00:04,000 --> 00:00:03,000\nA: two\n\n3\n00:00:07,000 --> 00:00:08,000\n\n\n\n";
        let p = parse_srt(src).unwrap();
        assert_eq!(p.turns.len(), 2);
        let lines: Vec<_> = p.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(1), Some(11), Some(8), Some(8)]);
        assert!(p.warnings[0].message.contains("'Some title'"));
    }

    #[test]
    fn no_cues_is_an_error() {
        assert!(parse_srt("").is_err());
        assert!(parse_srt("just words\n").is_err());
        assert!(parse_srt("1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n").is_err());
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("1".to_string()),
            Just("00:00:01,000 --> 00:00:02,000".to_string()),
            Just("00:00:03.000 --> 00:00:01.000 X1:1".to_string()),
            Just("00:00:01,000 -> 00:00".to_string()),
            Just("{\\an8}<font color=\"red\">[SPEAKER_00]: hi</font>".to_string()),
            Just("Client: é <i>ok".to_string()),
            "[0-9]{1,3}",
            "[ -~]{0,20}",
            "\\PC{0,8}",
        ]
    }

    proptest! {
        #[test]
        fn never_panics(lines in prop::collection::vec(fragment(), 0..24), noise in "\\PC{0,40}") {
            for src in [lines.join("\n"), noise] {
                if let Ok(p) = parse_srt(&src) {
                    well_formed(&p, &src)?;
                }
            }
        }
    }
}
