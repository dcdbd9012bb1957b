//! WebVTT captions as Zoom, Microsoft Teams and WhisperX write them: a `WEBVTT` header, then cues
//! of an optional id line, a timing line (`00:01:02.000 --> 00:01:05.000`) and payload lines; NOTE,
//! STYLE and REGION blocks are skipped. One cue is one turn, except that each `<v Name>` voice span
//! in a cue is a turn of its own (Teams puts two speakers in one cue when they overlap).
//!
//! Speakers come from `<v Name>` (Teams), a `Name:` label at the start of the payload (Zoom) or
//! `[SPEAKER_00]:` / `SPEAKER_00:` (WhisperX), read as in `captions.rs`.

use super::captions::{
    decode_entities, finish, looks_like_timing, parse_timing, tokens, RawTurn, Token,
};
use super::tally::{collapse, count, count_have, Tally};
use super::{ParseError, Parsed};

/// Whether `line` starts with `word` as a whole word (`NOTE`, `NOTE this`, not `NOTEBOOK`).
fn keyword(line: &str, word: &str) -> bool {
    line.strip_prefix(word)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// The turns of one cue's payload: a new piece at each `<v Name>`, tags stripped, entities decoded.
/// `first_line` is where the cue starts, given to the piece that opens the cue.
fn cue_pieces(
    payload: &[(usize, &str)],
    first_line: usize,
) -> Vec<(usize, Option<String>, String)> {
    let mut pieces = Vec::new();
    let mut line = first_line;
    let mut voice: Option<String> = None;
    let mut text = String::new();
    for &(line_no, raw) in payload {
        // A dialogue dash before a voice span ("- <v Sam>Yes") marks the change of speaker.
        let trimmed = raw.trim_start();
        let raw = match trimmed.strip_prefix('-') {
            Some(rest) if rest.trim_start().starts_with("<v") => rest,
            _ => raw,
        };
        for token in tokens(raw) {
            match token {
                Token::Text(t) => text.push_str(t),
                Token::Tag(tag) => {
                    let Some(rest) = tag.strip_prefix('v') else {
                        continue;
                    };
                    if !(rest.is_empty() || rest.starts_with(['.', ' ', '\t'])) {
                        continue;
                    }
                    let name = rest
                        .split_once([' ', '\t'])
                        .map(|(_, n)| collapse(&decode_entities(n)))
                        .filter(|n| !n.is_empty());
                    let done = collapse(&decode_entities(&text));
                    if !done.is_empty() || voice.is_some() {
                        pieces.push((line, voice.take(), done));
                    }
                    text.clear();
                    voice = name;
                    line = if pieces.is_empty() {
                        first_line
                    } else {
                        line_no
                    };
                }
            }
        }
        text.push('\n');
    }
    let done = collapse(&decode_entities(&text));
    if !done.is_empty() || voice.is_some() {
        pieces.push((line, voice, done));
    }
    pieces
}

/// Parses a WebVTT transcript.
pub fn parse_vtt(src: &str) -> Result<Parsed, ParseError> {
    let lines: Vec<&str> = src.lines().collect();
    let blank = |i: usize| lines.get(i).is_none_or(|l| l.trim().is_empty());
    let first = (0..lines.len()).find(|&i| !blank(i));
    let signed = first
        .and_then(|i| lines.get(i))
        .and_then(|l| l.trim_start().get(..6).map(|s| (s, &l.trim_start()[6..])))
        .is_some_and(|(sig, rest)| {
            sig.eq_ignore_ascii_case("webvtt") && (rest.is_empty() || rest.starts_with([' ', '\t']))
        });
    let Some(first) = first.filter(|_| signed) else {
        let srt = lines
            .iter()
            .take(3)
            .any(|l| l.contains("-->") && l.contains(','));
        return Err(ParseError {
            line: first.map(|i| i + 1),
            message: if first.is_none() {
                "the file is empty; a WebVTT file starts with a `WEBVTT` line followed by cues"
                    .into()
            } else if srt {
                "the file does not start with `WEBVTT`; it looks like SubRip: rename it to .srt or \
                 pass --format srt"
                    .into()
            } else {
                "the file does not start with `WEBVTT`; add a `WEBVTT` first line if it is WebVTT, \
                 or pass --format with its real format"
                    .into()
            },
        });
    };
    // Header lines run to the first blank line; a timing line there means the blank line is
    // missing.
    let mut i = first + 1;
    while !blank(i) && !lines.get(i).is_some_and(|l| l.contains("-->")) {
        i += 1;
    }
    let last_text = (0..lines.len()).rev().find(|&i| !blank(i)).unwrap_or(0);

    let mut raw: Vec<RawTurn> = Vec::new();
    let mut stray = Tally::default();
    let mut empty = Tally::default();
    let mut cut = Tally::default();
    let mut backwards = Tally::default();
    let mut reversed = Tally::default();
    let mut unknown = Tally::default();
    let mut previous_start: Option<f64> = None;
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
        let head = block[0].trim();
        let has_timing = block.iter().any(|l| l.contains("-->"));
        if keyword(head, "NOTE")
            || (!has_timing && (keyword(head, "STYLE") || keyword(head, "REGION")))
        {
            continue;
        }
        let mut timing = if looks_like_timing(block[0]) {
            start
        } else if block.get(1).is_some_and(|l| looks_like_timing(l)) {
            start + 1
        } else {
            stray.note(start + 1, || collapse(head));
            continue;
        };
        let mut cue_line = start;
        loop {
            let (s, e) = parse_timing(lines[timing], timing + 1, "00:01:02.000 --> 00:01:05.000")?;
            // A line with `-->` ends the payload: it is the next cue's timing (a blank line is
            // missing).
            let mut next = timing + 1;
            while next < end && !lines[next].contains("-->") {
                next += 1;
            }
            let payload: Vec<(usize, &str)> =
                (timing + 1..next).map(|k| (k + 1, lines[k])).collect();
            let pieces = cue_pieces(&payload, cue_line + 1);
            if pieces.iter().all(|(_, _, t)| t.is_empty()) {
                let at_eof = next == end && end > last_text;
                let kind: &mut Tally = if at_eof { &mut cut } else { &mut empty };
                kind.note(cue_line + 1, String::new);
            } else {
                if let Some(p) = previous_start.filter(|&p| s < p) {
                    backwards.note(timing + 1, || format!("{s:.3} s, before {p:.3} s"));
                }
                if e < s {
                    reversed.note(timing + 1, || collapse(lines[timing]));
                }
                previous_start = Some(s);
                for (line, voice, text) in pieces {
                    raw.push(RawTurn {
                        line,
                        start: s,
                        end: e,
                        voice,
                        text,
                    });
                }
            }
            if next >= end {
                break;
            }
            timing = next;
            cue_line = next;
        }
    }
    let turns = finish(raw, &mut empty, &mut unknown);
    if turns.is_empty() {
        return Err(ParseError {
            line: None,
            message: "no cues with words found; a WebVTT transcript needs cues of a timing line \
                      (`00:00:01.000 --> 00:00:04.000`) followed by the words"
                .into(),
        });
    }
    let warnings = [
        stray.warning(|n, d| {
            format!(
                "{} with no timing line skipped (first: '{d}'); each cue needs a line like \
                 `00:00:01.000 --> 00:00:04.000`",
                count(n, "block")
            )
        }),
        empty.warning(|n, _| format!("{} with no words dropped", count(n, "cue"))),
        cut.warning(|_, _| {
            "the last cue has a timing line but no words; the file may be cut off, so the cue was \
             dropped"
                .into()
        }),
        backwards.out_of_order("cue"),
        reversed.warning(|n, d| {
            format!(
                "{} end before they start (first: '{d}'); kept",
                count(n, "cue")
            )
        }),
        unknown.warning(|n, _| {
            format!(
                "{} no speaker (`<v Name>`, `Name:` or `[SPEAKER_00]:`); read as speaker `unknown`",
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
    use crate::model::Role;
    use proptest::prelude::*;

    const CONVERSATION: &str = include_str!("../../fixtures/formats/vtt/conversation.vtt");
    const TEAMS: &str = include_str!("../../fixtures/formats/vtt/teams.vtt");
    const WHISPERX: &str = include_str!("../../fixtures/formats/vtt/whisperx.vtt");

    #[test]
    fn zoom_conversation() {
        let p = parse_vtt(CONVERSATION).unwrap();
        let t = conversation(&p);
        assert!(t.iter().all(|turn| turn.role == Role::Other));
        assert_eq!((t[0].start, t[0].end, t[0].line), (Some(2.0), Some(7.0), 3));
        assert_eq!((t[9].start, t[9].end), (Some(41.0), Some(47.0)));
        assert_eq!(
            t[9].text,
            "Honestly these forms are a waste of time. I know how much I drink."
        );
        assert_eq!((t[12].start, t[12].text.as_str()), (Some(61.0), "Mm-hmm."));
        assert_eq!((t[19].start, t[19].end), (Some(91.0), Some(95.0)));
    }

    #[test]
    fn teams_voice_spans() {
        let p = parse_vtt(TEAMS).unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.turns.len(), 13);
        let (dana, sam) = ("Dana Reyes", "Sam Okafor");
        assert_eq!(
            speakers(&p),
            [dana, sam, dana, sam, dana, sam, sam, dana, sam, dana, sam, dana, sam]
        );
        let t = &p.turns;
        assert_eq!(t[0].line, 11);
        assert_eq!((t[0].start, t[0].end), (Some(3.12), Some(8.4)));
        // A voice span with no closing tag over two lines, and cue settings after the end time.
        assert_eq!(
            t[2].text,
            "How have things been with your partner since then? It sounded like Sunday was hard."
        );
        assert_eq!(t[2].end, Some(17.6));
        assert_eq!(t[3].text, "Same as always. We argue, he leaves, I tidy up.");
        // Two voices in one cue: two turns with the cue's times, the second on its own line.
        assert_eq!((t[4].start, t[5].start), (Some(24.9), Some(24.9)));
        assert_eq!((t[4].end, t[5].end), (Some(27.0), Some(27.0)));
        assert_eq!((t[4].line, t[5].line), (28, 31));
        assert_eq!(t[5].text, "Mm.");
        assert_eq!(
            t[6].text,
            "Honestly, I don't see the point of going over it again & again. We talk, and nothing changes."
        );
        assert_eq!(t[8].text, "I guess.");
        assert_eq!(
            t[9].text,
            "I'd rather hear that than not. What would make it worth your while to come?"
        );
        assert_eq!(
            t[10].text,
            "I don't know. Maybe something <practical> instead of just talking."
        );
        assert_eq!(t[11].text, "Okay, let's try that next time.");
        assert_eq!((t[12].text.as_str(), t[12].start), ("Fine.", Some(61.4)));
    }

    #[test]
    fn whisperx_codes_and_unknown() {
        let p = parse_vtt(WHISPERX).unwrap();
        assert_eq!(p.turns.len(), 10);
        let (a, b) = ("SPEAKER_00", "SPEAKER_01");
        assert_eq!(speakers(&p), [a, b, a, b, a, b, "unknown", a, b, a]);
        let t = &p.turns;
        assert_eq!(t[1].text, "It didn't.");
        assert_eq!(
            t[4].text,
            "You're right, I pushed. I'm sorry about that. Can we talk about what it was like?"
        );
        assert_eq!(
            (t[6].start, t[6].end, t[6].line),
            (Some(27.8), Some(29.1), 21)
        );
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, Some(21));
        assert!(p.warnings[0].message.starts_with("1 cue has no speaker"));
    }

    #[test]
    fn missing_header_is_an_error() {
        let e =
            parse_vtt(include_str!("../../fixtures/bad-formats/vtt-no-header.vtt")).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("does not start with `WEBVTT`"), "{e}");
        let srt = parse_vtt("1\n00:00:01,000 --> 00:00:02,000\nHi\n").unwrap_err();
        assert!(srt.message.contains("--format srt"), "{srt}");
        assert!(parse_vtt("").is_err());
        assert!(parse_vtt("WEBVTTX\n").is_err());
    }

    #[test]
    fn bad_timing_is_an_error_naming_the_line() {
        let e = parse_vtt(include_str!(
            "../../fixtures/bad-formats/vtt-bad-timing.vtt"
        ))
        .unwrap_err();
        assert_eq!(e.line, Some(8));
        assert!(
            e.message
                .contains("'00:00:07.000 --> 00:00:1O.000' has no valid end time"),
            "{e}"
        );
        let arrow = parse_vtt("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nHi\n").unwrap_err();
        assert_eq!(arrow.line, Some(3));
        assert!(arrow.message.contains("no '-->'"), "{arrow}");
    }

    #[test]
    fn truncated_last_cue_is_dropped_with_a_warning() {
        let p = parse_vtt(include_str!("../../fixtures/bad-formats/vtt-truncated.vtt")).unwrap();
        assert_eq!(speakers(&p), ["Therapist", "Client"]);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, Some(11));
        assert!(p.warnings[0].message.contains("cut off"));
    }

    #[test]
    fn header_notes_styles_and_regions_are_skipped() {
        let src = "WEBVTT - session 4\nKind: captions\n\nREGION\nid:fred width:40%\n\nSTYLE\n::cue { color: red }\n\nNOTE one\ntwo\n\n00:01.000 --> 00:02.500\nT: Hello.\n";
        let p = parse_vtt(src).unwrap();
        assert_eq!(p.turns.len(), 1);
        assert_eq!((p.turns[0].start, p.turns[0].end), (Some(1.0), Some(2.5)));
        assert_eq!((p.turns[0].speaker.as_str(), p.turns[0].line), ("T", 13));
    }

    #[test]
    fn missing_blank_lines_still_split_cues() {
        let src = "WEBVTT\n00:00:01.000 --> 00:00:02.000\nA: one\n00:00:03.000 --> 00:00:04.000\nB: two\n";
        let p = parse_vtt(src).unwrap();
        assert_eq!(speakers(&p), ["A", "B"]);
        assert_eq!((p.turns[1].start, p.turns[1].line), (Some(3.0), 4));
    }

    #[test]
    fn recoverable_problems_are_warnings() {
        let src = "WEBVTT\n\n00:05.000 --> 00:06.000\nA: one\n\nstray words\n\n00:04.000 --> 00:03.000\nA: two\n\n00:07.000 --> 00:08.000\n\n00:09.000 --> 00:10.000\nA: three\n";
        let p = parse_vtt(src).unwrap();
        assert_eq!(p.turns.len(), 3);
        let lines: Vec<_> = p.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(6), Some(11), Some(8), Some(8)]);
        assert!(p.warnings[0].message.contains("stray words"));
        assert!(p.warnings[2].message.contains("before the cue ahead"));
        assert!(p.warnings[3].message.contains("end before they start"));
    }

    #[test]
    fn a_one_off_label_is_words() {
        let src = "WEBVTT\n\n00:01.000 --> 00:02.000\nAnna: Hi.\n\n00:02.000 --> 00:03.000\nBen: Hi.\n\n00:03.000 --> 00:04.000\nAnna: So.\n\n00:04.000 --> 00:05.000\nBen: Well.\n\n00:05.000 --> 00:06.000\nHonestly: it was bad.\n";
        let p = parse_vtt(src).unwrap();
        assert_eq!(p.turns[4].speaker, "unknown");
        assert_eq!(p.turns[4].text, "Honestly: it was bad.");
    }

    #[test]
    fn no_cues_is_an_error() {
        assert!(parse_vtt("WEBVTT\n").is_err());
        assert!(parse_vtt("WEBVTT\n\nNOTE nothing here\n").is_err());
        assert!(parse_vtt("WEBVTT\n\n00:01.000 --> 00:02.000\n<v A></v>\n").is_err());
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("WEBVTT".to_string()),
            Just(String::new()),
            Just("NOTE x".to_string()),
            Just("00:00:01.000 --> 00:00:02.000".to_string()),
            Just("00:01.000 --> 00:00.500 align:start".to_string()),
            Just("00:00:01.000 -> 00:00:02".to_string()),
            Just("<v Dana>hi</v> <v Sam>yo".to_string()),
            Just("[SPEAKER_00]: hi &amp; bye".to_string()),
            Just("Client: é <i>ok</i> &#1114112; &#xD800;".to_string()),
            "[ -~]{0,20}",
            "\\PC{0,8}",
        ]
    }

    proptest! {
        #[test]
        fn never_panics(lines in prop::collection::vec(fragment(), 0..24), noise in "\\PC{0,40}") {
            for src in [lines.join("\n"), format!("WEBVTT\n{}", lines.join("\n")), noise] {
                if let Ok(p) = parse_vtt(&src) {
                    well_formed(&p, &src)?;
                }
            }
        }
    }
}
