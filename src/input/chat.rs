//! CHAT (`.cha`, TalkBank/CLAN). Header lines start with `@`, main tiers with `*CODE:` (one turn
//! each), dependent tiers with `%xxx:` (skipped); a line starting with a tab continues the tier
//! above it. `@Participants` (and `@ID`) declare each code's role, which become `role_hints`.
//!
//! Main tiers carry transcription codes that are not words: fillers (`&-uh`), events (`&=laughs`),
//! unintelligible speech (`xxx`), retracings (`<I want> [/]`), bracketed codes, special terminators
//! (`+...`), pauses (`(.)`), omitted words (`0is`) and word suffixes (`hola@s`). They are removed
//! here so that words are counted as spoken; the final `.` `?` `!` stay as sentence punctuation.
//! A time bullet `\u{15}START_END\u{15}` (milliseconds) gives the turn's start and end.

use super::tally::Tally;
use super::{ParseError, Parsed};
use crate::model::{Role, Turn};
use regex::Regex;
use std::sync::OnceLock;

/// The character that opens and closes a CHAT time bullet (NAK, shown by CLAN as a dot).
const BULLET: char = '\u{15}';

/// Overlap, pitch and other prosodic marks that sit inside or beside words and are not spoken.
const MARKS: &[char] = &[
    '<', '>', '[', ']', '⌈', '⌉', '⌊', '⌋', '↑', '↓', '⇗', '↗', '→', '↘', '⇘', '∞', '≋', '≈', '≠',
    '↫', '∙', '°', '^', '\u{15}',
];

struct Patterns {
    bullet: Regex,
    bullet_time: Regex,
    pause: Regex,
    angle_retrace: Regex,
    angle_scope: Regex,
    word_retrace: Regex,
    code: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // A bracketed code that is not a retracing (`[!]`, `[= ...]`, `[: ...]`, ...).
        const OTHER_CODE: &str = r"\s*\[[^\[\]/][^\[\]]*\]";
        // `[/]` repetition, `[//]` retracing, `[///]` reformulation, `[/-]` false start, `[/?]`.
        const RETRACE: &str = r"\s*\[/{1,3}[-?]?\]";
        Patterns {
            bullet: Regex::new("\u{15}([^\u{15}]*)\u{15}").unwrap(),
            bullet_time: Regex::new(r"(\d+)_(\d+)\s*$").unwrap(),
            pause: Regex::new(r"\([0-9:]*\.+[0-9]*\)").unwrap(),
            angle_retrace: Regex::new(&format!(r"<[^<>]*>(?:{OTHER_CODE})*{RETRACE}")).unwrap(),
            angle_scope: Regex::new(&format!(r"<([^<>]*)>((?:{OTHER_CODE})+)")).unwrap(),
            word_retrace: Regex::new(&format!(r"[^\s\[\]<>]+(?:{OTHER_CODE})*{RETRACE}")).unwrap(),
            code: Regex::new(r"\[[^\[\]]*\]").unwrap(),
        }
    })
}

/// One `*CODE:` tier with its continuation lines, before its codes are removed.
struct MainTier {
    code: String,
    raw: String,
    line: usize,
}

/// What a continuation line (starting with a tab) continues.
enum Current {
    Nothing,
    Header(usize),
    Main(usize),
    Dependent,
}

/// Parses a CHAT transcript.
pub fn parse_chat(src: &str) -> Result<Parsed, ParseError> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut mains: Vec<MainTier> = Vec::new();
    let mut current = Current::Nothing;
    let mut begin = false;
    let mut end = None;
    let mut last_line = 0;
    let mut stray = Tally::default();
    let mut after_end = Tally::default();
    for (n, line) in src.lines().enumerate() {
        let no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        if end.is_some() {
            after_end.add(no);
            continue;
        }
        last_line = no;
        if line.starts_with(['\t', ' ']) {
            let more = line.trim();
            match current {
                Current::Header(i) => append(&mut headers[i].1, more),
                Current::Main(i) => append(&mut mains[i].raw, more),
                Current::Dependent => {}
                Current::Nothing => stray.add(no),
            }
        } else if line.starts_with('@') {
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            let name = name.trim().to_ascii_lowercase();
            match name.as_str() {
                "@begin" => begin = true,
                "@end" => end = Some(no),
                _ => {}
            }
            headers.push((name, value.trim().to_string()));
            current = Current::Header(headers.len() - 1);
        } else if let Some(rest) = line.strip_prefix('*') {
            let (code, words) = rest
                .split_once(':')
                .map(|(c, w)| (c.trim(), w))
                .filter(|(c, _)| !c.is_empty() && !c.contains(char::is_whitespace))
                .ok_or_else(|| ParseError {
                    line: Some(no),
                    message: format!(
                        "the main tier '{}' has no `*CODE:` speaker code; write it as \
                         *PAT:<tab>words",
                        line.chars().take(40).collect::<String>()
                    ),
                })?;
            mains.push(MainTier {
                code: code.to_string(),
                raw: words.trim().to_string(),
                line: no,
            });
            current = Current::Main(mains.len() - 1);
        } else if line.starts_with('%') {
            current = Current::Dependent;
        } else {
            stray.add(no);
        }
    }
    if !begin {
        return Err(ParseError {
            line: None,
            message: "the file has no @Begin line, so it is not a CHAT transcript; a .cha file \
                      starts with @UTF8 and @Begin"
                .into(),
        });
    }
    if mains.is_empty() {
        return Err(ParseError {
            line: None,
            message: "the file has no main tiers (lines starting with `*CODE:`); there is nothing \
                      said to read"
                .into(),
        });
    }

    let mut parsed = Parsed::default();
    for (name, value) in &headers {
        if name == "@participants" {
            for entry in value.split(',') {
                let words: Vec<&str> = entry.split_whitespace().collect();
                if let [code, .., role] = words.as_slice() {
                    parsed.role_hints.insert(code.to_string(), role_of(role));
                }
            }
        }
    }
    // `@ID` repeats each participant's role; it fills in codes `@Participants` left out.
    for (name, value) in &headers {
        if name == "@id" {
            let fields: Vec<&str> = value.split('|').map(str::trim).collect();
            if let (Some(code), Some(role)) = (fields.get(2), fields.get(7)) {
                if !code.is_empty() && !role.is_empty() {
                    parsed
                        .role_hints
                        .entry(code.to_string())
                        .or_insert_with(|| role_of(role));
                }
            }
        }
    }

    let mut backwards = Tally::default();
    let mut bad_bullet = Tally::default();
    let mut prev_start: Option<f64> = None;
    for m in mains {
        let (rest, times, unread) = bullets(&m.raw);
        if unread {
            bad_bullet.add(m.line);
        }
        let start = times.first().map(|t| t.0);
        if let (Some(s), Some(p)) = (start, prev_start) {
            if s < p {
                backwards.add(m.line);
            }
        }
        prev_start = start.or(prev_start);
        parsed.turns.push(Turn {
            index: parsed.turns.len() + 1,
            speaker: m.code,
            role: Role::Other,
            start,
            end: times.last().map(|t| t.1),
            text: clean(&rest),
            line: m.line,
        });
    }

    if end.is_none() {
        parsed.warnings.push(ParseError {
            line: Some(last_line),
            message: "the file has no @End; it may be cut off after this line".into(),
        });
    }
    stray.warn(&mut parsed.warnings, |n| {
        format!(
            "{n} line(s) are not a header (@), main tier (*), dependent tier (%) or tab-indented \
             continuation; skipped"
        )
    });
    after_end.warn(&mut parsed.warnings, |n| {
        format!("{n} line(s) after @End were skipped")
    });
    bad_bullet.warn(&mut parsed.warnings, |n| {
        format!("{n} main tier(s) have a time bullet without START_END milliseconds; its time was left out")
    });
    backwards.warn(&mut parsed.warnings, |n| {
        format!("{n} main tier(s) start earlier than the tier before; kept in file order")
    });
    Ok(parsed)
}

fn append(to: &mut String, more: &str) {
    if !to.is_empty() && !more.is_empty() {
        to.push(' ');
    }
    to.push_str(more);
}

/// The role a `@Participants` / `@ID` role word stands for.
fn role_of(word: &str) -> Role {
    match word.to_lowercase().as_str() {
        "therapist" | "clinician" | "investigator" | "interviewer" | "counselor" | "counsellor"
        | "doctor" => Role::Therapist,
        "patient" | "client" | "target_child" | "participant" => Role::Client,
        _ => Role::Other,
    }
}

/// Removes the time bullets from a tier: the text left, the (start, end) seconds of each readable
/// bullet, and whether any bullet could not be read.
fn bullets(raw: &str) -> (String, Vec<(f64, f64)>, bool) {
    let p = patterns();
    let mut times = Vec::new();
    let mut unread = false;
    for c in p.bullet.captures_iter(raw) {
        let ms = c
            .get(1)
            .and_then(|inner| p.bullet_time.captures(inner.as_str()));
        let pair = ms.and_then(|m| {
            let s = m.get(1)?.as_str().parse::<f64>().ok()? / 1000.0;
            let e = m.get(2)?.as_str().parse::<f64>().ok()? / 1000.0;
            (s.is_finite() && e.is_finite()).then_some((s, e))
        });
        match pair {
            Some(t) => times.push(t),
            None => unread = true,
        }
    }
    let rest = p.bullet.replace_all(raw, " ").replace(BULLET, " ");
    (rest, times, unread)
}

/// The words of a main tier with CHAT codes removed and punctuation attached to its word.
fn clean(raw: &str) -> String {
    let p = patterns();
    let mut text = p.pause.replace_all(raw, " ").into_owned();
    // Innermost first, so a retracing inside a retracing or inside a scoped code goes too; each
    // round removes at least one `<`, so this ends.
    loop {
        let next = p.angle_retrace.replace_all(&text, " ");
        let next = p.angle_scope.replace_all(&next, "$1$2").into_owned();
        if next == text {
            break;
        }
        text = next;
    }
    let text = p.word_retrace.replace_all(&text, " ");
    let text = p.code.replace_all(&text, " ");

    let mut out = String::new();
    for token in text.split_whitespace() {
        if token.starts_with('+') {
            // Special terminators and linkers (`+...`, `+/.`, `+,`, `+^`, `+<`): only a question
            // keeps its mark.
            if token.len() > 1 && token.ends_with('?') {
                punct(&mut out, "?");
            }
            continue;
        }
        if token.starts_with('&') {
            continue;
        }
        if token == "‡" || token == "„" {
            punct(&mut out, ",");
            continue;
        }
        let token: String = token.chars().filter(|c| !MARKS.contains(c)).collect();
        let core = token.trim_end_matches(['.', ',', '?', '!', ';']);
        let tail = &token[core.len()..];
        word(&mut out, core);
        if !tail.is_empty() {
            punct(&mut out, tail);
        }
    }
    out
}

/// Adds a word after removing its CHAT markings, or nothing if it is not a spoken word.
fn word(out: &mut String, core: &str) {
    let core = core.split('@').next().unwrap_or("");
    let lower = core.to_lowercase();
    if matches!(lower.as_str(), "xxx" | "yyy" | "www" | "xx" | "yy") {
        return;
    }
    let mut chars = core.chars();
    if chars.next() == Some('0') && !chars.next().is_some_and(|c| c.is_ascii_digit()) {
        return;
    }
    let mut w = String::with_capacity(core.len());
    let mut prev: Option<char> = None;
    for c in core.chars() {
        match c {
            // `(be)cause`: the bracketed sounds were not said, but the word is the full word.
            '(' | ')' => {}
            // `no:` lengthened sound.
            ':' if prev.is_some_and(char::is_alphabetic) => {}
            // `ice+cream` compound, `Santa_Claus` multi-word name.
            '+' | '_' => w.push(' '),
            _ => w.push(c),
        }
        prev = Some(c);
    }
    for part in w.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
}

/// Attaches punctuation to the word before it; a terminator replaces a dangling comma, and
/// punctuation with no word before it (`xxx .`) is dropped.
fn punct(out: &mut String, mark: &str) {
    let Some(last) = out.chars().last() else {
        return;
    };
    let terminator = mark.starts_with(['.', '?', '!']);
    if terminator {
        while out.ends_with([',', ';']) {
            out.pop();
        }
        if out.ends_with(['.', '?', '!']) {
            return;
        }
    } else if matches!(last, ',' | ';' | '.' | '?' | '!') {
        return;
    }
    out.push_str(mark);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CONVERSATION: &str = include_str!("../../fixtures/formats/chat/conversation.cha");
    const INTAKE: &str = include_str!("../../fixtures/formats/chat/intake-interview.cha");
    const TRUNCATED: &str = include_str!("../../fixtures/bad-formats/chat-truncated.cha");
    const NO_BEGIN: &str = include_str!("../../fixtures/bad-formats/chat-no-begin.cha");

    #[test]
    fn conversation_fixture() {
        let p = parse_chat(CONVERSATION).unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let t = &p.turns;
        assert_eq!(t.len(), 20);
        assert_eq!(
            (t[0].speaker.as_str(), t[1].speaker.as_str()),
            ("THE", "PAT")
        );
        assert_eq!((t[0].start, t[0].end), (Some(2.0), Some(7.0)));
        assert_eq!((t[12].start, t[12].end), (Some(61.0), Some(63.0)));
        assert_eq!((t[19].start, t[19].end), (Some(91.0), Some(95.0)));
        // Carries `&=laughs`, `(.)` and a continuation line in the file.
        assert_eq!(
            t[17].text,
            "A bit embarrassing, to be honest. My dad drank, and I swore I never would."
        );
        assert_eq!(p.role_hints.get("THE"), Some(&Role::Therapist));
        assert_eq!(p.role_hints.get("PAT"), Some(&Role::Client));
        assert!(t.windows(2).all(|w| w[0].line < w[1].line));
        assert!(CONVERSATION
            .lines()
            .nth(t[4].line - 1)
            .unwrap()
            .starts_with("*THE:"));
    }

    #[test]
    fn the_conversation_matches_the_plain_text_one() {
        let txt = include_str!("../../fixtures/formats/conversation.txt");
        let want = super::super::text::parse_text(txt).unwrap().turns;
        let got = parse_chat(CONVERSATION).unwrap().turns;
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!((g.start, &g.text), (w.start, &w.text));
        }
    }

    #[test]
    fn intake_fixture_removes_codes() {
        let p = parse_chat(INTAKE).unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let t = &p.turns;
        assert_eq!(t.len(), 12);
        assert_eq!(p.role_hints.get("INV"), Some(&Role::Therapist));
        assert_eq!(p.role_hints.get("PAR"), Some(&Role::Client));
        // Only in @ID.
        assert_eq!(p.role_hints.get("OBS"), Some(&Role::Other));
        assert_eq!(t[0].speaker, "INV");
        assert_eq!((t[0].start, t[0].end), (Some(0.25), Some(3.9)));
        assert_eq!(
            t[1].text,
            "I want to, I want to talk about my sister because she's not speaking to me."
        );
        assert_eq!(
            t[3].text,
            "it started at the party, when she said I was being selfish."
        );
        assert_eq!(
            t[5].text,
            "this isn't helping. I don't want to talk about it anymore."
        );
        assert_eq!(t[6].text, "okay.");
        assert_eq!(t[7].text, "whatever, you wouldn't get it?");
        assert_eq!(t[8].text, "");
        assert_eq!(t[8].start, Some(40.0));
        assert_eq!(t[9].speaker, "OBS");
        assert_eq!(t[10].text, "she called me egoísta in front of everyone.");
    }

    #[test]
    fn truncated_file_is_kept_with_a_warning_at_its_last_line() {
        let p = parse_chat(TRUNCATED).unwrap();
        assert_eq!(p.turns.len(), 5);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, Some(TRUNCATED.lines().count()));
        assert!(p.warnings[0].message.contains("no @End"));
    }

    #[test]
    fn no_begin_or_no_main_tier_is_an_error() {
        let e = parse_chat(NO_BEGIN).unwrap_err();
        assert!(e.message.contains("@Begin"), "{}", e.message);
        let e = parse_chat("@UTF8\n@Begin\n@Participants:\tTHE Therapist\n@End\n").unwrap_err();
        assert!(e.message.contains("no main tiers"), "{}", e.message);
        let e = parse_chat("@Begin\n*THE hello .\n@End\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn codes_are_removed() {
        let c = |s: &str| clean(s);
        assert_eq!(c("&-uh I &=laughs want xxx cookie ."), "I want cookie.");
        assert_eq!(c("<I want> [/] I want (.) it ."), "I want it.");
        assert_eq!(
            c("<I <want> [/] want> [//] we need it [!] ."),
            "we need it."
        );
        assert_eq!(c("the the [/] dog [/-] cat [*] ."), "the cat.");
        assert_eq!(c("<he goed> [: he went] [*] home ."), "he goed home.");
        assert_eq!(c("<she said> [//] [= meaning mum] she did +..."), "she did");
        assert_eq!(c("(be)cause I 0am tired@s:eng (..) +/."), "because I tired");
        assert_eq!(c("are you going +/?"), "are you going?");
        assert_eq!(c("0 ."), "");
        assert_eq!(c("yyy , no: ‡ I said ⌈ no ⌉ [<] ."), "no, I said no.");
        assert_eq!(c("what ? [+ bch] [% comment] [^ note]"), "what?");
        assert_eq!(c("+< mhm ."), "mhm.");
        assert_eq!(c("word , ."), "word.");
    }

    #[test]
    fn bullets_and_roles() {
        let src = "@UTF8\n@Begin\n@Participants:\tCLI Ann Client , DOC Doctor,\n\tSIB Brother\n\
                   @ID:\teng|x|CLI|||||Patient|||\n@ID:\teng|x|NUR|||||Nurse|||\n\
                   *DOC:\tHi . \u{15}1500_2500\u{15}\n%mor:\tco|hi .\n\tmore mor\n\
                   *CLI:\thello \u{15}1000_1200\u{15} there . \u{15}1200_1900\u{15}\n\
                   \tand more .\n*CLI:\tbad . \u{15}x\u{15}\n@End\n*DOC:\tafter\n";
        let p = parse_chat(src).unwrap();
        let t = &p.turns;
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].text, "Hi.");
        assert_eq!(
            (t[1].text.as_str(), t[1].start, t[1].end),
            ("hello there. and more.", Some(1.0), Some(1.9))
        );
        assert_eq!((t[2].start, t[2].line), (None, 12));
        assert_eq!(p.role_hints.get("CLI"), Some(&Role::Client));
        assert_eq!(p.role_hints.get("DOC"), Some(&Role::Therapist));
        assert_eq!(p.role_hints.get("SIB"), Some(&Role::Other));
        assert_eq!(p.role_hints.get("NUR"), Some(&Role::Other));
        let lines: Vec<Option<usize>> = p.warnings.iter().map(|w| w.line).collect();
        // After @End, unreadable bullet, start going backwards.
        assert_eq!(lines, [Some(14), Some(12), Some(10)]);
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\n".to_string()),
            Just("\n\t".to_string()),
            Just("@Begin\n".to_string()),
            Just("@End\n".to_string()),
            Just("@Participants:\tTHE Therapist, PAT Patient\n".to_string()),
            Just("@ID:\teng|c|PAT|||||Patient|||\n".to_string()),
            Just("\n*PAT:\t".to_string()),
            Just("\n*THE:\t".to_string()),
            Just("\n%mor:\t".to_string()),
            Just("\u{15}1200_3400\u{15}".to_string()),
            Just("\u{15}".to_string()),
            Just("<".to_string()),
            Just(">".to_string()),
            Just(" [/] ".to_string()),
            Just(" [//] ".to_string()),
            Just(" [= x] ".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just(" &-uh ".to_string()),
            Just(" +... ".to_string()),
            Just(" +/? ".to_string()),
            Just(" (.) ".to_string()),
            Just("(be)".to_string()),
            Just("@s".to_string()),
            Just(" 0".to_string()),
            Just(" xxx ".to_string()),
            Just(" . ".to_string()),
            Just(" , ".to_string()),
            Just("‡".to_string()),
            "[a-zé ]{0,6}",
            "\\PC{0,3}",
        ]
    }

    fn check(src: &str) {
        if let Ok(p) = parse_chat(src) {
            let n = src.lines().count();
            assert!(!p.turns.is_empty());
            for (i, t) in p.turns.iter().enumerate() {
                assert_eq!(t.index, i + 1);
                assert!(t.line >= 1 && t.line <= n);
                assert_eq!(
                    t.text.split_whitespace().collect::<Vec<_>>().join(" "),
                    t.text
                );
                assert!(!t.text.contains(BULLET));
            }
        }
    }

    proptest! {
        #[test]
        fn random_text_never_panics(src in "\\PC{0,200}") {
            check(&src);
        }

        #[test]
        fn chat_fragments_never_panic(parts in proptest::collection::vec(fragment(), 0..40)) {
            check(&format!("@UTF8\n@Begin\n*PAT:\t{}", parts.concat()));
            check(&parts.concat());
        }
    }
}
