//! ConvoKit `utterances.jsonl`: one JSON object per line (`id`, `speaker`, `conversation_id`,
//! `reply_to`, `timestamp`, `text`, `meta`), several conversations per file. Older corpora name the
//! speaker `user` and the conversation `root`. Each conversation becomes a session, in order of first
//! appearance, its turns in file order.
//!
//! Timestamps in ConvoKit are usually Unix epoch seconds (posts, comments) and sometimes seconds into
//! a recording; epoch values are turned into seconds since the conversation's earliest timestamp so
//! that times read as positions in the session either way.

use super::tally::{collapse, Tally};
use super::whisper::{json_error_text, kind, label};
use super::{parse_time, ParseError, Parsed, Sessions};
use crate::model::{Role, Turn};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Timestamps above this are Unix epoch seconds (1973 onwards), not seconds into a recording.
const EPOCH_THRESHOLD: f64 = 100_000_000.0;

/// One utterance as read, before times are made relative.
struct Utterance {
    session: usize,
    speaker: String,
    text: String,
    timestamp: Option<f64>,
    line: usize,
}

/// Parses a ConvoKit `utterances.jsonl` file into sessions, one per conversation.
pub fn parse_convokit(src: &str) -> Result<Sessions, ParseError> {
    let mut ids: Vec<String> = Vec::new();
    let mut slots: HashMap<String, usize> = HashMap::new();
    let mut utterances = Vec::new();
    let mut no_conversation = Tally::default();
    let mut bad_time = Tally::default();
    let mut empty = Tally::default();
    for (n, raw) in src.split('\n').enumerate() {
        let line = n + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let fail = |message: String| ParseError {
            line: Some(line),
            message,
        };
        let obj = match serde_json::from_str::<Value>(raw) {
            Ok(Value::Object(obj)) => obj,
            Ok(other) => {
                return Err(fail(format!(
                    "the line is not a JSON object (it is {}); each line must be one utterance",
                    kind(&other)
                )))
            }
            Err(e) => {
                return Err(fail(format!(
                    "the line is not a JSON object ({} at column {}); each line must be one \
                     utterance",
                    json_error_text(&e),
                    e.column()
                )))
            }
        };
        let speaker = label(field(&obj, "speaker", "user")).ok_or_else(|| {
            fail(
                "the utterance has no speaker (`speaker`, or `user` in older corpora); give every \
                  utterance a speaker id"
                    .into(),
            )
        })?;
        let text = match field(&obj, "text", "text") {
            Some(Value::String(s)) => collapse(s),
            Some(other) => {
                return Err(fail(format!(
                    "the utterance's `text` is {}, not a string",
                    kind(other)
                )))
            }
            None => {
                return Err(fail(
                    "the utterance has no `text`; every line needs the words spoken".into(),
                ))
            }
        };
        if text.is_empty() {
            empty.add(line);
        }
        let conversation = label(field(&obj, "conversation_id", "root")).unwrap_or_else(|| {
            no_conversation.add(line);
            String::new()
        });
        let timestamp = match field(&obj, "timestamp", "timestamp") {
            None => None,
            Some(v) => {
                let t = number(v);
                if t.is_none() {
                    bad_time.add(line);
                }
                t
            }
        };
        let session = *slots.entry(conversation.clone()).or_insert_with(|| {
            ids.push(conversation);
            ids.len() - 1
        });
        utterances.push(Utterance {
            session,
            speaker,
            text,
            timestamp,
            line,
        });
    }
    if utterances.is_empty() {
        return Err(ParseError {
            line: None,
            message: "the file has no utterances; a ConvoKit utterances.jsonl has one JSON object \
                      per line"
                .into(),
        });
    }

    // The earliest epoch timestamp of each conversation, the zero its epoch times count from.
    let mut origin: Vec<Option<f64>> = vec![None; ids.len()];
    for u in &utterances {
        if let Some(t) = u.timestamp.filter(|t| *t > EPOCH_THRESHOLD) {
            let o = &mut origin[u.session];
            *o = Some(o.map_or(t, |o: f64| o.min(t)));
        }
    }
    let mut sessions: Sessions = ids.into_iter().map(|id| (id, Parsed::default())).collect();
    let mut backwards = Tally::default();
    let mut last_start: Vec<Option<f64>> = vec![None; sessions.len()];
    for u in utterances {
        let start = u.timestamp.map(|t| match origin[u.session] {
            Some(o) if t > EPOCH_THRESHOLD => t - o,
            _ => t,
        });
        let last = &mut last_start[u.session];
        if let (Some(s), Some(p)) = (start, *last) {
            if s < p {
                backwards.add(u.line);
            }
        }
        *last = start.or(*last);
        let turns = &mut sessions[u.session].1.turns;
        turns.push(Turn {
            index: turns.len() + 1,
            speaker: u.speaker,
            role: Role::Other,
            start,
            end: None,
            text: u.text,
            line: u.line,
        });
    }

    // Warnings are about the file, so they go once on the first session rather than on each.
    let warnings = &mut sessions[0].1.warnings;
    no_conversation.warn(warnings, |n| {
        format!(
            "{n} utterance(s) have no `conversation_id` (or `root`); they are read as one session \
             named after the file"
        )
    });
    bad_time.warn(warnings, |n| {
        format!(
            "{n} utterance(s) have a `timestamp` that is not a number; their times were left out"
        )
    });
    empty.warn(warnings, |n| format!("{n} utterance(s) have empty `text`"));
    backwards.warn(warnings, |n| {
        format!(
            "{n} utterance(s) have a timestamp earlier than the utterance before in their \
             conversation; kept in file order"
        )
    });
    Ok(sessions)
}

/// The value under `key`, or under the older name `old`; null counts as absent.
fn field<'a>(obj: &'a Map<String, Value>, key: &str, old: &str) -> Option<&'a Value> {
    obj.get(key)
        .filter(|v| !v.is_null())
        .or_else(|| obj.get(old).filter(|v| !v.is_null()))
}

/// A timestamp as seconds: a number or a numeric string (`parse_time` also takes `HH:MM:SS`).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .or_else(|| parse_time(s))
            .filter(|f| f.is_finite()),
        _ => None,
    }
    .filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CONVERSATION: &str = include_str!("../../fixtures/formats/convokit/conversation.jsonl");
    const OLDER: &str = include_str!("../../fixtures/formats/convokit/older-corpus.jsonl");
    const BAD_LINE: &str = include_str!("../../fixtures/bad-formats/convokit-bad-line.jsonl");
    const NO_TEXT: &str = include_str!("../../fixtures/bad-formats/convokit-no-text.jsonl");

    #[test]
    fn conversation_fixture() {
        let s = parse_convokit(CONVERSATION).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].0, "session-04");
        let p = &s[0].1;
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let t = &p.turns;
        assert_eq!(t.len(), 20);
        assert_eq!(
            (t[0].speaker.as_str(), t[0].start),
            ("Therapist", Some(2.0))
        );
        assert_eq!((t[1].speaker.as_str(), t[1].start), ("Client", Some(7.0)));
        assert_eq!(t[19].start, Some(91.0));
        assert!(t.iter().all(|t| t.end.is_none()));
        assert_eq!((t[4].index, t[4].line), (5, 5));
        assert_eq!(t[12].text, "Mm-hmm.");
    }

    #[test]
    fn the_conversation_matches_the_plain_text_one() {
        let txt = include_str!("../../fixtures/formats/conversation.txt");
        let want = super::super::text::parse_text(txt).unwrap().turns;
        let got = parse_convokit(CONVERSATION).unwrap().remove(0).1.turns;
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(
                (&g.speaker, g.start, &g.text),
                (&w.speaker, w.start, &w.text)
            );
        }
    }

    #[test]
    fn older_corpus_with_user_root_and_epoch_times() {
        let s = parse_convokit(OLDER).unwrap();
        let ids: Vec<&str> = s.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["1187", "1188"]);
        let a = &s[0].1.turns;
        let b = &s[1].1.turns;
        assert_eq!((a.len(), b.len()), (10, 4));
        // Interleaved in the file, numbered within each conversation.
        assert_eq!((a[9].index, a[9].line), (10, 14));
        assert_eq!((b[0].index, b[0].line), (1, 3));
        assert_eq!(a[0].speaker, "counselor_12");
        assert_eq!(a[1].speaker, "4471");
        assert_eq!(a[0].start, Some(0.0));
        assert_eq!(a[1].start, Some(6.0));
        // A numeric string timestamp, still epoch.
        assert_eq!(a[2].start, Some(15.0));
        // A null timestamp.
        assert_eq!(a[3].start, None);
        assert_eq!(b[1].start, Some(40.0));
        assert_eq!(
            a[5].text,
            "Honestly I don't think this is helping. You keep asking the same questions."
        );
        assert!(s[0].1.warnings.is_empty(), "{:?}", s[0].1.warnings);
    }

    #[test]
    fn bad_line_names_its_line() {
        let e = parse_convokit(BAD_LINE).unwrap_err();
        assert_eq!(e.line, Some(5));
        assert!(
            e.message.starts_with("the line is not a JSON object ("),
            "{}",
            e.message
        );
        assert!(
            e.message.ends_with("each line must be one utterance"),
            "{}",
            e.message
        );
    }

    #[test]
    fn missing_text_or_speaker_names_the_line() {
        let e = parse_convokit(NO_TEXT).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("no `text`"), "{}", e.message);
        let e = parse_convokit("{\"text\": \"hi\"}\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("no speaker"), "{}", e.message);
        let e = parse_convokit("\n[1]\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("it is an array"), "{}", e.message);
    }

    #[test]
    fn small_times_are_seconds_and_odd_values_warn() {
        let src =
            "{\"speaker\":\"a\",\"text\":\" x \",\"timestamp\":\"12.5\",\"conversation_id\":3}\n\
                   \n\
                   {\"speaker\":\"b\",\"text\":\"\",\"timestamp\":\"soon\",\"conversation_id\":3}\n\
                   {\"speaker\":\"b\",\"text\":\"y\",\"timestamp\":4}\n\
                   {\"speaker\":\"a\",\"text\":\"z\",\"timestamp\":2,\"conversation_id\":\"3\"}\n";
        let s = parse_convokit(src).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].0, "3");
        assert_eq!(s[1].0, "");
        let t = &s[0].1.turns;
        assert_eq!(t.len(), 3);
        assert_eq!((t[0].start, t[0].text.as_str()), (Some(12.5), "x"));
        assert_eq!((t[1].start, t[1].line), (None, 3));
        assert_eq!(t[2].start, Some(2.0));
        let w: Vec<(Option<usize>, &str)> = s[0]
            .1
            .warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(w.len(), 4, "{w:?}");
        assert_eq!(w[0].0, Some(4));
        assert_eq!(w[1].0, Some(3));
        assert_eq!(w[2].0, Some(3));
        assert_eq!(w[3].0, Some(5));
        assert!(w[3].1.contains("earlier"));
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(parse_convokit("").is_err());
        assert!(parse_convokit("\n  \n").is_err());
    }

    fn utterance_line() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just("speaker"), Just("user"), Just("who")],
            "[a-z0-9]{0,4}",
            prop_oneof![Just("conversation_id"), Just("root")],
            proptest::option::of(0u64..3),
            prop_oneof![
                Just("null".to_string()),
                (0.0f64..2e9).prop_map(|f| f.to_string()),
                "\"[0-9.:]{0,6}\"",
            ],
            "[a-z ]{0,8}",
        )
            .prop_map(|(sk, spk, ck, conv, ts, text)| {
                let conv = conv.map_or("null".to_string(), |c| c.to_string());
                format!(
                    "{{\"id\":\"u\",\"{sk}\":\"{spk}\",\"{ck}\":{conv},\"timestamp\":{ts},\"text\":\"{text}\",\"meta\":{{}}}}"
                )
            })
    }

    fn check(src: &str) {
        if let Ok(s) = parse_convokit(src) {
            let n = src.split('\n').count();
            assert!(!s.is_empty());
            for (_, p) in &s {
                assert!(!p.turns.is_empty());
                for (i, t) in p.turns.iter().enumerate() {
                    assert_eq!(t.index, i + 1);
                    assert!(t.line >= 1 && t.line <= n);
                    assert!(t.start.is_none_or(|s| s.is_finite()));
                }
            }
        }
    }

    proptest! {
        #[test]
        fn random_text_never_panics(src in "\\PC{0,200}") {
            check(&src);
        }

        #[test]
        fn utterance_lines_never_panic(
            lines in proptest::collection::vec(prop_oneof![utterance_line(), "\\PC{0,20}", Just(String::new())], 0..12)
        ) {
            check(&lines.join("\n"));
        }
    }
}
