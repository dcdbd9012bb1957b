//! Property tests: no input makes a parser, the decoder or the tokeniser panic, and what they return
//! is consistent with what they were given.

use proptest::prelude::*;
use rupture::input::decode::decode;
use rupture::input::parse_time;
use rupture::input::table::{parse_table, Columns};
use rupture::input::text::parse_text;
use rupture::lexicon::Lexicon;
use rupture::text::{count_words, tokenize};

/// Text built from the pieces transcripts are made of, so the generator reaches the parsers' rules.
fn transcript_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("T: ".to_string()),
        Just("Client (00:01:02): ".to_string()),
        Just("[01:02:03] C: ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just(",".to_string()),
        Just("\t".to_string()),
        Just("\"".to_string()),
        Just("don't".to_string()),
        Just("mm-hmm...".to_string()),
        Just("?".to_string()),
        Just("—".to_string()),
        Just("n't".to_string()),
        Just("İSTANBUL Ǆ ß".to_string()),
        "[a-zA-Z ]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn text_parser_never_panics(src in transcript_like()) {
        if let Ok(p) = parse_text(&src) {
            prop_assert!(!p.turns.is_empty());
            for (i, t) in p.turns.iter().enumerate() {
                prop_assert_eq!(t.index, i + 1);
                prop_assert!(t.line >= 1 && t.line <= src.lines().count());
            }
        }
    }

    #[test]
    fn table_parser_never_panics(src in transcript_like(), tab in any::<bool>()) {
        let header = if tab { "session\tspeaker\ttext\tstart\n" } else { "session,speaker,text,start\n" };
        let src = format!("{header}{src}");
        let _ = parse_table(&src, if tab { b'\t' } else { b',' }, &Columns::default());
        let _ = parse_table(&src, b',', &Columns { text: Some("nope".into()), ..Columns::default() });
    }

    #[test]
    fn decoder_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(d) = decode(&bytes) {
            prop_assert!(!d.encoding.is_empty());
        }
    }

    #[test]
    fn times_never_panic(s in "[0-9:.,]{0,12}") {
        if let Some(t) = parse_time(&s) {
            prop_assert!(t >= 0.0 && t.is_finite());
        }
    }

    #[test]
    fn tokens_point_into_the_text(src in transcript_like()) {
        let t = tokenize(&src);
        for k in &t.tokens {
            prop_assert!(src.is_char_boundary(k.src.start) && src.is_char_boundary(k.src.end));
            prop_assert!(k.src.start < k.src.end);
        }
        prop_assert_eq!(t.word_count(), count_words(&src));
        for s in &t.sentences {
            prop_assert!(s.tokens.start < s.tokens.end && s.tokens.end <= t.len());
        }
    }

    #[test]
    fn the_lexicon_scan_never_panics(src in transcript_like()) {
        static LEX: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        let lex = LEX.get_or_init(|| Lexicon::embedded().unwrap());
        let t = tokenize(&src);
        for h in lex.scan(&t).hits {
            prop_assert!(h.tokens.end <= t.len());
            prop_assert!(h.strength(lex) >= 0.0 && h.strength(lex) <= 1.0 + 1e-9);
        }
    }
}

/// Phrases over a small vocabulary, nested and overlapping, each its own entry.
const PHRASES: [&str; 7] = [
    "i do not know",
    "do not",
    "not",
    "he",
    "you know",
    "know",
    "not at all",
];

fn phrase_lexicon() -> Lexicon {
    let mut entries = String::new();
    for (i, p) in PHRASES.iter().enumerate() {
        entries.push_str(&format!(
            "[[entry]]\nid = \"p{i}\"\nmarker = \"topic_shift\"\nclass = \"shift\"\nweight = 0.5\n\
             anchor = \"any\"\nphrases = [\"{p}\"]\nmust_match = [\"{p}\"]\n\n"
        ));
    }
    let files = [
        ("lexicon.toml", "id = \"t\"\nversion = \"1\"\n"),
        ("p.toml", entries.as_str()),
    ];
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    Lexicon::from_files(&files).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The scan finds exactly the occurrences a word-by-word search finds: every phrase on whole
    /// tokens, overlapping and nested ones included, never inside a longer word ("he" in "the").
    #[test]
    fn scan_finds_every_phrase_on_whole_words(
        words in prop::collection::vec(
            prop::sample::select(vec![
                "I", "do", "not", "know", "he", "the", "you", "at", "all", "don't", "dont", "they",
                "she", "knows", "he's", "n't", "N'T", "İstanbul", "ΣΑΣ", "café", "naïve", "ʼ", "’",
                ",", ".", "?", " -", "...", "…", "—",
            ]),
            0..30,
        )
    ) {
        let lex = phrase_lexicon();
        let text = words.join(" ");
        let t = tokenize(&text);
        let tokens: Vec<&str> = (0..t.len()).map(|i| t.word(i)).collect();
        let mut expected = Vec::new();
        for (e, p) in PHRASES.iter().enumerate() {
            let p: Vec<&str> = p.split(' ').collect();
            for start in 0..tokens.len() {
                if tokens[start..].starts_with(&p) {
                    expected.push((e, start..start + p.len()));
                }
            }
        }
        expected.sort_by_key(|(e, r)| (r.start, r.end, *e));
        let found: Vec<_> = lex.scan(&t).hits.iter().map(|h| (h.entry, h.tokens.clone())).collect();
        prop_assert_eq!(found, expected, "{}", text);
    }

    #[test]
    fn normalised_text_is_the_tokens_joined(src in transcript_like()) {
        let t = tokenize(&src);
        let words: Vec<&str> = (0..t.len()).map(|i| t.word(i)).collect();
        prop_assert_eq!(t.norm(), words.join(" "));
        for (i, w) in words.iter().enumerate() {
            prop_assert!(!w.is_empty() && !w.contains(' '));
            prop_assert_eq!(&t.norm()[t.tokens[i].norm.clone()], *w);
        }
        if !words.is_empty() {
            prop_assert_eq!(t.padded(), format!(" {} ", t.norm()));
        }
    }
}
