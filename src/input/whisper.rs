//! Whisper and WhisperX JSON: `{"segments": [{"start", "end", "text", "speaker"?, "words"?}], ...}`.
//! One segment is one turn. Plain Whisper has no speakers; WhisperX puts a diarized `speaker` on the
//! segment and on each word, and drops it from a segment whose words straddle two speakers, so a
//! segment without one takes the most frequent speaker of its words. Unknown keys are ignored.
//!
//! serde_json reads the document but does not tell where each value was, so a small scanner over the
//! (already valid) text finds the line each segment starts on, for tracing turns back to the file.

use super::tally::{collapse, Tally};
use super::{parse_time, ParseError, Parsed};
use crate::model::{Role, Turn};
use serde_json::{Map, Value};

/// The speaker given to a segment that has none, on itself or on its words.
pub const UNKNOWN_SPEAKER: &str = "unknown";

/// Parses a Whisper / WhisperX JSON transcript.
pub fn parse_whisper(src: &str) -> Result<Parsed, ParseError> {
    let doc: Value = serde_json::from_str(src).map_err(|e| ParseError {
        line: Some(e.line().max(1)),
        message: format!(
            "column {}: {}; the JSON is cut off or invalid; export it again",
            e.column(),
            json_error_text(&e)
        ),
    })?;
    let segments = match &doc {
        Value::Object(obj) => match obj.get("segments") {
            Some(Value::Array(a)) => a,
            Some(other) => {
                return Err(expected(&format!(
                    "its `segments` is {}, not an array",
                    kind(other)
                )))
            }
            None => return Err(expected("it has no `segments` key")),
        },
        other => return Err(expected(&format!("the document is {}", kind(other)))),
    };
    if segments.is_empty() {
        return Err(ParseError {
            line: None,
            message: "the `segments` array is empty; the transcription found no speech".into(),
        });
    }
    // Lines are for tracing only: if the scanner and serde_json ever disagree, fall back to line 1
    // rather than pin turns to wrong lines.
    let lines = segment_offsets(src)
        .filter(|o| o.len() == segments.len())
        .map(|o| {
            let idx = LineIndex::new(src);
            o.into_iter().map(|off| idx.line(off)).collect::<Vec<_>>()
        })
        .unwrap_or_else(|| vec![1; segments.len()]);

    let mut parsed = Parsed::default();
    let mut from_words = Tally::default();
    let mut unknown = Tally::default();
    let mut no_text = Tally::default();
    let mut backwards = Tally::default();
    let mut prev_start: Option<f64> = None;
    for (n, (seg, &line)) in segments.iter().zip(&lines).enumerate() {
        let Value::Object(seg) = seg else {
            return Err(ParseError {
                line: Some(line),
                message: format!(
                    "segment {} is {}, not an object with `start`, `end` and `text`; export the \
                     transcript again",
                    n + 1,
                    kind(seg)
                ),
            });
        };
        let text = match seg.get("text") {
            Some(Value::String(s)) => collapse(s),
            _ => {
                no_text.add(line);
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        let speaker = match label(seg.get("speaker")) {
            Some(s) => s,
            None => match word_speaker(seg) {
                Some(s) => {
                    from_words.add(line);
                    s
                }
                None => {
                    unknown.add(line);
                    UNKNOWN_SPEAKER.to_string()
                }
            },
        };
        let start = seconds(seg.get("start"));
        if let (Some(s), Some(p)) = (start, prev_start) {
            if s < p {
                backwards.add(line);
            }
        }
        prev_start = start.or(prev_start);
        parsed.turns.push(Turn {
            index: parsed.turns.len() + 1,
            speaker,
            role: Role::Other,
            start,
            end: seconds(seg.get("end")),
            text,
            line,
        });
    }
    if parsed.turns.is_empty() {
        return Err(ParseError {
            line: None,
            message: "no segment has any text; the transcription found no speech".into(),
        });
    }
    from_words.warn(&mut parsed.warnings, |n| {
        format!(
            "{n} segment(s) have no `speaker`; each took the most frequent speaker of its words"
        )
    });
    unknown.warn(&mut parsed.warnings, |n| {
        format!(
            "{n} segment(s) have no speaker on the segment or its words and are marked \
             '{UNKNOWN_SPEAKER}'; diarize the audio (e.g. WhisperX with speaker labels) to tell \
             therapist from client"
        )
    });
    no_text.warn(&mut parsed.warnings, |n| {
        format!("{n} segment(s) have no `text` string and were skipped")
    });
    backwards.warn(&mut parsed.warnings, |n| {
        format!("{n} segment(s) start earlier than the segment before; kept in file order")
    });
    Ok(parsed)
}

fn expected(found: &str) -> ParseError {
    ParseError {
        line: None,
        message: format!(
            "expected a Whisper JSON object with a `segments` array (as written by whisper \
             --output_format json or WhisperX), but {found}"
        ),
    }
}

/// serde_json's message without its " at line L column C" tail, which the caller reports itself.
pub(super) fn json_error_text(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full).to_string(),
        None => full,
    }
}

/// A JSON value's kind, for messages.
pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A speaker label: a non-blank string, or a number written as text.
pub(super) fn label(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(collapse(s)).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A time in seconds: a number, or a string `parse_time` reads; anything else is no time.
fn seconds(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()),
        Value::String(s) => parse_time(s),
        _ => None,
    }
}

/// The most frequent `speaker` among a segment's words; ties go to the one heard first.
fn word_speaker(seg: &Map<String, Value>) -> Option<String> {
    let Some(Value::Array(words)) = seg.get("words") else {
        return None;
    };
    let mut counts: Vec<(String, usize)> = Vec::new();
    for w in words {
        let Some(s) = label(w.get("speaker")) else {
            continue;
        };
        match counts.iter_mut().find(|(k, _)| *k == s) {
            Some((_, c)) => *c += 1,
            None => counts.push((s, 1)),
        }
    }
    let mut best: Option<(String, usize)> = None;
    for (s, c) in counts {
        if best.as_ref().is_none_or(|(_, b)| c > *b) {
            best = Some((s, c));
        }
    }
    best.map(|(s, _)| s)
}

/// Byte offset -> 1-based line number.
pub(super) struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    pub(super) fn new(src: &str) -> Self {
        LineIndex {
            newlines: src
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    pub(super) fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&nl| nl < offset) + 1
    }
}

/// Byte offsets where the elements of the top-level `segments` array start (the last such key, as
/// serde_json keeps the last of duplicate keys). `None` if the text does not look as expected; it is
/// only called on text serde_json has accepted.
fn segment_offsets(src: &str) -> Option<Vec<usize>> {
    let b = src.as_bytes();
    let mut found = None;
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let end = string_end(b, i)?;
                if depth == 1 && src.get(i + 1..end - 1) == Some("segments") {
                    let colon = skip_ws(b, end);
                    if b.get(colon) == Some(&b':') {
                        let open = skip_ws(b, colon + 1);
                        if b.get(open) == Some(&b'[') {
                            let (offsets, after) = array_elements(b, open)?;
                            found = Some(offsets);
                            i = after;
                            continue;
                        }
                    }
                }
                i = end;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    found
}

/// Index just past the string starting at the quote at `start`.
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// Start offsets of the elements of the array opening at `open`, and the index after its `]`.
fn array_elements(b: &[u8], open: usize) -> Option<(Vec<usize>, usize)> {
    let mut starts = Vec::new();
    let mut i = skip_ws(b, open + 1);
    if b.get(i) == Some(&b']') {
        return Some((starts, i + 1));
    }
    starts.push(i);
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i = string_end(b, i)?;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth > 0 => depth -= 1,
            b']' => return Some((starts, i + 1)),
            b',' if depth == 0 => {
                i = skip_ws(b, i + 1);
                starts.push(i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CONVERSATION: &str = include_str!("../../fixtures/formats/whisper/conversation.json");
    const DIARIZED: &str = include_str!("../../fixtures/formats/whisper/diarized.json");
    const PLAIN: &str = include_str!("../../fixtures/formats/whisper/plain.json");
    const TRUNCATED: &str = include_str!("../../fixtures/bad-formats/whisper-truncated.json");
    const BACKWARDS: &str = include_str!("../../fixtures/bad-formats/whisper-backwards.json");
    const NO_SEGMENTS: &str = include_str!("../../fixtures/bad-formats/whisper-no-segments.json");

    #[test]
    fn conversation_fixture() {
        let p = parse_whisper(CONVERSATION).unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let t = &p.turns;
        assert_eq!(t.len(), 20);
        assert_eq!(t[0].speaker, "Therapist");
        assert_eq!(t[1].speaker, "Client");
        assert_eq!(t[19].speaker, "Client");
        assert_eq!((t[0].start, t[0].end), (Some(2.0), Some(7.0)));
        assert_eq!((t[9].start, t[9].end), (Some(41.0), Some(47.0)));
        assert_eq!((t[19].start, t[19].end), (Some(91.0), Some(95.0)));
        assert_eq!(
            t[9].text,
            "Honestly these forms are a waste of time. I know how much I drink."
        );
        assert!(t.iter().enumerate().all(|(i, t)| t.index == i + 1));
        // Each segment's line is where its object opens.
        for turn in t {
            assert_eq!(
                CONVERSATION.lines().nth(turn.line - 1).map(str::trim),
                Some("{")
            );
        }
        assert!(t.windows(2).all(|w| w[0].line < w[1].line));
    }

    #[test]
    fn the_conversation_matches_the_plain_text_one() {
        let txt = include_str!("../../fixtures/formats/conversation.txt");
        let want = super::super::text::parse_text(txt).unwrap().turns;
        let got = parse_whisper(CONVERSATION).unwrap().turns;
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(
                (&g.speaker, g.start, &g.text),
                (&w.speaker, w.start, &w.text)
            );
        }
    }

    #[test]
    fn diarized_fixture_takes_speakers_from_words() {
        let p = parse_whisper(DIARIZED).unwrap();
        let t = &p.turns;
        assert_eq!(t.len(), 12);
        assert_eq!(t[0].speaker, "SPEAKER_00");
        assert_eq!(t[1].speaker, "SPEAKER_01");
        // Segment 6 has no segment speaker; its words are mostly SPEAKER_01.
        assert_eq!(t[5].speaker, "SPEAKER_01");
        assert_eq!((t[5].start, t[5].end), (Some(31.2), Some(37.9)));
        assert_eq!(
            t[5].text,
            "I don't see the point of this, honestly. We just go round in circles."
        );
        // The last segment has no speaker anywhere.
        assert_eq!(t[11].speaker, UNKNOWN_SPEAKER);
        assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
        assert!(p.warnings[0]
            .message
            .starts_with("1 segment(s) have no `speaker`"));
        assert_eq!(p.warnings[0].line, Some(t[5].line));
        assert!(p.warnings[1].message.contains("'unknown'"));
        assert_eq!(p.warnings[1].line, Some(t[11].line));
    }

    #[test]
    fn plain_whisper_is_all_unknown_and_skips_empty_segments() {
        let p = parse_whisper(PLAIN).unwrap();
        let t = &p.turns;
        assert_eq!(t.len(), 10);
        assert!(t.iter().all(|t| t.speaker == UNKNOWN_SPEAKER));
        assert_eq!(t[0].start, Some(0.0));
        assert_eq!(t[3].text, "I guess. It's not like talking changes much.");
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].message.starts_with("10 segment(s)"));
    }

    #[test]
    fn truncated_json_names_the_line() {
        let e = parse_whisper(TRUNCATED).unwrap_err();
        assert_eq!(e.line, Some(TRUNCATED.lines().count()));
        assert!(e.message.contains("cut off or invalid"), "{}", e.message);
        assert!(e.message.starts_with("column "), "{}", e.message);
    }

    #[test]
    fn backwards_start_is_a_warning() {
        let p = parse_whisper(BACKWARDS).unwrap();
        assert_eq!(p.turns.len(), 4);
        assert_eq!(p.turns[2].start, Some(3.0));
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, Some(p.turns[2].line));
        assert!(p.warnings[0].message.contains("earlier"));
    }

    #[test]
    fn missing_segments_says_what_was_expected() {
        let e = parse_whisper(NO_SEGMENTS).unwrap_err();
        assert!(e.message.contains("`segments` array"), "{}", e.message);
        let e = parse_whisper("[1, 2]").unwrap_err();
        assert!(e.message.contains("an array"), "{}", e.message);
        let e = parse_whisper(r#"{"segments": {}}"#).unwrap_err();
        assert!(e.message.contains("not an array"), "{}", e.message);
    }

    #[test]
    fn word_ties_go_to_the_first_speaker() {
        let src = r#"{"segments":[{"start":0,"end":1,"text":"a b","words":[
            {"word":"a","speaker":"B"},{"word":"b","speaker":"A"}]}]}"#;
        assert_eq!(parse_whisper(src).unwrap().turns[0].speaker, "B");
    }

    #[test]
    fn odd_but_valid_segments() {
        let src = "{\"segments\":[{\"text\":\"  x\\n  y \",\"start\":null,\"speaker\":7},\
                   {\"text\":\"\"},{\"start\":1},\"z\"]}";
        let e = parse_whisper(src).unwrap_err();
        assert!(e.message.contains("segment 4 is a string"), "{}", e.message);
        let src = "{\"segments\":[{\"text\":\"  x\\n  y \",\"start\":null,\"speaker\":7},\
                   {\"text\":\"\"},{\"start\":1}]}";
        let p = parse_whisper(src).unwrap();
        assert_eq!(p.turns.len(), 1);
        assert_eq!(
            (p.turns[0].text.as_str(), p.turns[0].speaker.as_str()),
            ("x y", "7")
        );
        assert!(p.warnings.iter().any(|w| w.message.contains("no `text`")));
    }

    #[test]
    fn offsets_follow_the_last_segments_key_and_skip_strings() {
        let src = "{\"a\": \"\\\"segments\\\": [\",\n\"segments\": [1],\n\"segments\": [\n{}, \"]\",\n[]]}";
        let o = segment_offsets(src).unwrap();
        let idx = LineIndex::new(src);
        assert_eq!(
            o.iter().map(|&x| idx.line(x)).collect::<Vec<_>>(),
            vec![4, 4, 5]
        );
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just(",".to_string()),
            Just("\"segments\":".to_string()),
            Just("\"text\":".to_string()),
            Just("\"speaker\":".to_string()),
            Just("\"words\":".to_string()),
            Just("\"start\":".to_string()),
            Just("\"\\\"\"".to_string()),
            Just("null".to_string()),
            Just("\n".to_string()),
            "-?[0-9]{1,4}(\\.[0-9]{1,2})?",
            "\"[a-zé \\n]{0,6}\"",
            "\\PC{0,4}",
        ]
    }

    fn segment() -> impl Strategy<Value = String> {
        (
            proptest::option::of(0.0f64..100.0),
            "[a-z ]{0,10}",
            proptest::option::of("SPEAKER_0[0-2]"),
            proptest::collection::vec(proptest::option::of("SPEAKER_0[0-2]"), 0..4),
        )
            .prop_map(|(start, text, spk, words)| {
                let mut s = format!("{{\"text\": {text:?}");
                if let Some(t) = start {
                    s += &format!(",\n\"start\": {t}");
                }
                if let Some(k) = spk {
                    s += &format!(", \"speaker\": {k:?}");
                }
                let words: Vec<String> = words
                    .into_iter()
                    .map(|w| match w {
                        Some(k) => format!("{{\"word\": \"w\", \"speaker\": {k:?}}}"),
                        None => "{\"word\": \"w\"}".to_string(),
                    })
                    .collect();
                s += &format!(", \"words\": [{}]}}", words.join(",\n"));
                s
            })
    }

    fn check(src: &str) {
        if let Ok(p) = parse_whisper(src) {
            let n = src.lines().count().max(1);
            for (i, t) in p.turns.iter().enumerate() {
                assert_eq!(t.index, i + 1);
                assert!(t.line >= 1 && t.line <= n, "line {} of {n}", t.line);
                assert!(!t.text.is_empty());
            }
        }
    }

    proptest! {
        #[test]
        fn random_text_never_panics(src in "\\PC{0,200}") {
            check(&src);
        }

        #[test]
        fn json_fragments_never_panic(parts in proptest::collection::vec(fragment(), 0..40)) {
            check(&parts.concat());
        }

        #[test]
        fn segments_get_lines_in_order(segs in proptest::collection::vec(segment(), 1..8)) {
            let src = format!("{{\"language\": \"en\", \"segments\": [\n{}\n]}}", segs.join(",\n"));
            check(&src);
            if let Ok(p) = parse_whisper(&src) {
                prop_assert!(p.turns.windows(2).all(|w| w[0].line < w[1].line));
                let opens = |t: &Turn| {
                    src.lines().nth(t.line - 1).is_some_and(|l| l.starts_with("{\"text\""))
                };
                prop_assert!(p.turns.iter().all(opens));
            }
        }
    }
}
