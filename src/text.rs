//! Tokenising and normalising turn text, shared by every detector and by the lexicon compiler, so that
//! a lexicon phrase and a transcript are normalised by exactly the same rules.
//!
//! Normalisation lowercases, unifies apostrophes, splits hyphenated words ("mm-hmm" -> "mm hmm") and
//! expands contractions ("don't" -> "do not", "I'm" -> "i am", "dont" -> "do not", "kinda" -> "kind of"),
//! so a lexicon author writes a phrase once and it matches every spelling. Each normalised token keeps
//! the byte span of the source word it came from, so evidence can quote the transcript's own words.

use std::ops::Range;

/// One normalised token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte range of the token in [`Tokens::norm`].
    pub norm: Range<usize>,
    /// Byte range of the source word in the turn text (shared by the parts of an expanded contraction).
    pub src: Range<usize>,
    /// Index of the sentence the token belongs to.
    pub sentence: usize,
    /// Index of the clause (sentence pieces split at commas, semicolons, dashes) the token belongs to.
    pub clause: usize,
}

/// A sentence: a run of tokens ended by `.`, `!`, `?` or the end of the turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Token range.
    pub tokens: Range<usize>,
    /// Whether the sentence ends with a question mark.
    pub question: bool,
}

/// A tokenised turn: the normalised text (tokens joined by single spaces) and its tokens.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    /// The normalised text with one space before and after it, so that a lexicon phrase padded the
    /// same way can only match whole words.
    padded: String,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    /// The turn breaks off (ends with a dash or an ellipsis and no question mark): the speaker was
    /// interrupted or trailed off, so the turn is not a finished question or prompt.
    pub trailing_off: bool,
}

impl Tokens {
    /// The normalised text: the tokens joined by single spaces.
    pub fn norm(&self) -> &str {
        self.padded
            .get(1..self.padded.len().saturating_sub(1))
            .unwrap_or("")
    }

    /// The normalised text with a space before and after (see [`Tokens::norm`]); byte `b + 1` of it
    /// is byte `b` of the normalised text.
    pub fn padded(&self) -> &str {
        &self.padded
    }

    /// The normalised text of token `i`.
    pub fn word(&self, i: usize) -> &str {
        let r = &self.tokens[i].norm;
        &self.padded[r.start + 1..r.end + 1]
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Index of the token starting at byte `at` of the normalised text, if one does.
    pub fn token_starting_at(&self, at: usize) -> Option<usize> {
        self.tokens.binary_search_by(|t| t.norm.start.cmp(&at)).ok()
    }

    /// Index of the token ending at byte `at` of the normalised text, if one does.
    pub fn token_ending_at(&self, at: usize) -> Option<usize> {
        self.tokens.binary_search_by(|t| t.norm.end.cmp(&at)).ok()
    }

    /// The source text covered by tokens `range` of `text` (the turn the tokens came from).
    pub fn source<'a>(&self, text: &'a str, range: Range<usize>) -> &'a str {
        if range.is_empty() {
            return "";
        }
        let start = self.tokens[range.start].src.start;
        let end = self.tokens[range.end - 1].src.end;
        &text[start..end]
    }

    /// Number of source words (an expanded contraction counts once).
    pub fn word_count(&self) -> usize {
        let mut n = 0;
        let mut last = usize::MAX;
        for t in &self.tokens {
            if t.src.start != last {
                n += 1;
                last = t.src.start;
            }
        }
        n
    }
}

/// Counts the words of `text` the way [`tokenize`] does, without building the tokens.
pub fn count_words(text: &str) -> usize {
    let mut n = 0;
    let mut prev: Option<char> = None;
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if is_word_char(c) {
            if !in_word {
                n += 1;
            }
            in_word = true;
        } else if !(in_word && inner_mark(prev, c, next)) {
            in_word = false;
        }
        prev = Some(c);
    }
    n
}

/// Whether `c`, between `prev` and `next` inside a word, keeps the word going: an apostrophe before
/// a letter ("don't") or a decimal point between digits ("3.5").
fn inner_mark(prev: Option<char>, c: char, next: Option<char>) -> bool {
    match (prev, next) {
        (_, Some(n)) if is_apostrophe(c) => n.is_alphabetic(),
        (Some(p), Some(n)) if c == '.' => p.is_ascii_digit() && n.is_ascii_digit(),
        _ => false,
    }
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{02BC}')
}

/// Splits `text` into normalised tokens with sentence and clause structure.
pub fn tokenize(text: &str) -> Tokens {
    let mut out = Tokens {
        padded: String::with_capacity(text.len() + 2),
        tokens: Vec::with_capacity(text.len() / 4 + 1),
        sentences: Vec::with_capacity(4),
        ..Tokens::default()
    };
    let mut sentence = 0usize;
    let mut clause = 0usize;
    let mut sentence_start = 0usize;
    let mut word = String::with_capacity(32);
    let mut last_mark: Option<char> = None;
    let mut i = 0;

    while let Some((c, len)) = char_at(text, i) {
        if is_word_char(c) {
            // Read a word: alphanumerics with inner apostrophes; a hyphen splits words.
            let start = i;
            let mut end = i + len;
            let mut last = c;
            word.clear();
            push_lower(&mut word, c);
            let mut j = end;
            while let Some((d, dl)) = char_at(text, j) {
                if is_word_char(d) {
                    push_lower(&mut word, d);
                    j += dl;
                    end = j;
                    last = d;
                    continue;
                }
                // An apostrophe before a letter (don't, but not a closing quote) or a decimal
                // point inside a number (3.5) keeps the word going.
                let after = char_at(text, j + dl).map(|(e, _)| e);
                if !inner_mark(Some(last), d, after) {
                    break;
                }
                word.push(if d == '.' { '.' } else { '\'' });
                last = d;
                j += dl;
            }
            i = j;
            push_word(&mut out, &word, start..end, sentence, clause);
            last_mark = None;
            continue;
        }
        i += len;
        match c {
            '.' | '!' | '?' | '\u{2026}' => {
                let ellipsis =
                    c == '\u{2026}' || (c == '.' && text.as_bytes().get(i) == Some(&b'.'));
                if ellipsis {
                    while text.as_bytes().get(i) == Some(&b'.') {
                        i += 1;
                    }
                    // An ellipsis inside a turn is a pause, not a sentence end.
                    clause += 1;
                    last_mark = Some('\u{2026}');
                    continue;
                }
                if out.tokens.len() > sentence_start {
                    out.sentences.push(Sentence {
                        tokens: sentence_start..out.tokens.len(),
                        question: c == '?',
                    });
                    sentence += 1;
                    clause += 1;
                    sentence_start = out.tokens.len();
                } else if c == '?' {
                    // "...?" or " ?" after an ellipsis: the previous sentence was a question.
                    if let Some(s) = out.sentences.last_mut() {
                        if s.tokens.end == out.tokens.len() {
                            s.question = true;
                        }
                    }
                }
                last_mark = Some(c);
            }
            '-' if joins_words(text, i - 1) => {}
            ',' | ';' | ':' | '(' | ')' | '"' | '\u{201C}' | '\u{201D}' | '\u{2014}'
            | '\u{2013}' | '-' => {
                clause += 1;
                last_mark = Some(c);
            }
            _ => {}
        }
    }
    if out.tokens.len() > sentence_start {
        out.sentences.push(Sentence {
            tokens: sentence_start..out.tokens.len(),
            question: false,
        });
    }
    out.trailing_off = matches!(last_mark, Some('-' | '\u{2014}' | '\u{2013}' | '\u{2026}'));
    out
}

/// The character at byte `i` of `text` and its length in bytes; ASCII without decoding.
#[inline]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let c = text[i..].chars().next()?;
    Some((c, c.len_utf8()))
}

#[inline]
fn push_lower(word: &mut String, c: char) {
    if c.is_ascii() {
        word.push(c.to_ascii_lowercase());
    } else {
        word.extend(c.to_lowercase());
    }
}

/// Whether the hyphen at byte `at` joins two words ("mm-hmm", "well-being") rather than marking a break.
fn joins_words(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + 1..].chars().next();
    matches!((before, after), (Some(b), Some(a)) if b.is_alphanumeric() && a.is_alphanumeric())
}

/// Appends the normalised form(s) of one source word.
fn push_word(out: &mut Tokens, word: &str, src: Range<usize>, sentence: usize, clause: usize) {
    // A word starts with a letter or digit and an apostrophe is kept only before a letter, so a
    // word never starts or ends with one.
    let mut push = |w: &str| {
        if out.padded.is_empty() {
            out.padded.push(' ');
        }
        let start = out.padded.len() - 1;
        out.padded.push_str(w);
        out.padded.push(' ');
        out.tokens.push(Token {
            norm: start..out.padded.len() - 2,
            src: src.clone(),
            sentence,
            clause,
        });
    };
    if let Some(parts) = expand(word) {
        for p in parts {
            push(p);
        }
        return;
    }
    if !word.contains('\'') {
        push(word);
        return;
    }
    if let Some(stem) = word.strip_suffix("n't") {
        let head = match stem {
            "ca" => "can",
            "wo" => "will",
            "sha" => "shall",
            "ai" => "is",
            other => other,
        };
        // A "n't" standing alone (text split the Penn Treebank way) is just "not".
        if !head.is_empty() {
            push(head);
        }
        push("not");
        return;
    }
    for (suffix, full) in [
        ("'m", "am"),
        ("'re", "are"),
        ("'ve", "have"),
        ("'ll", "will"),
        ("'d", "would"),
    ] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if !stem.is_empty() {
                push(stem);
                push(full);
                return;
            }
        }
    }
    if let Some(stem) = word.strip_suffix("'s") {
        if matches!(
            stem,
            "it" | "that" | "what" | "there" | "here" | "he" | "she" | "who" | "where" | "how"
        ) {
            push(stem);
            push("is");
            return;
        }
        if stem == "let" {
            push("let");
            push("us");
            return;
        }
    }
    push(word);
}

/// Whole-word expansions of contractions written without an apostrophe and of colloquial forms.
fn expand(word: &str) -> Option<&'static [&'static str]> {
    Some(match word {
        "dont" => &["do", "not"],
        "doesnt" => &["does", "not"],
        "didnt" => &["did", "not"],
        "cant" => &["can", "not"],
        "cannot" => &["can", "not"],
        "isnt" => &["is", "not"],
        "wasnt" => &["was", "not"],
        "arent" => &["are", "not"],
        "werent" => &["were", "not"],
        "havent" => &["have", "not"],
        "hasnt" => &["has", "not"],
        "hadnt" => &["had", "not"],
        "wouldnt" => &["would", "not"],
        "couldnt" => &["could", "not"],
        "shouldnt" => &["should", "not"],
        "im" => &["i", "am"],
        "ive" => &["i", "have"],
        "youre" => &["you", "are"],
        "youve" => &["you", "have"],
        "theyre" => &["they", "are"],
        "thats" => &["that", "is"],
        "whats" => &["what", "is"],
        "gonna" => &["going", "to"],
        "wanna" => &["want", "to"],
        "gotta" => &["got", "to"],
        "kinda" => &["kind", "of"],
        "sorta" => &["sort", "of"],
        "okay" | "ok" | "k" | "okey" => &["okay"],
        "mhm" | "mmhmm" | "mmhm" | "mhmm" => &["mm", "hmm"],
        "uhhuh" => &["uh", "huh"],
        "yep" | "yup" | "yeah" | "yea" | "yah" | "ya" => &["yeah"],
        "nope" | "nah" => &["no"],
        "mmm" | "mmmm" | "hm" => &["mm"],
        "hmm" | "hmmm" => &["hmm"],
        "cos" | "cuz" | "coz" => &["because"],
        _ => return None,
    })
}

/// Normalises a lexicon phrase with the same rules as transcript text: the tokens joined by spaces.
pub fn normalize_phrase(phrase: &str) -> String {
    tokenize(phrase).norm().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_contractions_and_spellings() {
        assert_eq!(tokenize("I don't know").norm(), "i do not know");
        assert_eq!(tokenize("I dont KNOW").norm(), "i do not know");
        assert_eq!(tokenize("I can’t, won't").norm(), "i can not will not");
        assert_eq!(
            tokenize("It's kinda pointless").norm(),
            "it is kind of pointless"
        );
        assert_eq!(tokenize("Mm-hmm.").norm(), "mm hmm");
        assert_eq!(tokenize("Mhm").norm(), "mm hmm");
        assert_eq!(tokenize("Yep, okay").norm(), "yeah okay");
        assert_eq!(tokenize("John's car").norm(), "john's car");
        assert_eq!(tokenize("let's go").norm(), "let us go");
        assert_eq!(tokenize("n't know").norm(), "not know");
        assert_eq!(tokenize("I do n't know").norm(), "i do not know");
    }

    #[test]
    fn keeps_source_spans_for_evidence() {
        let text = "Well, I don't know.";
        let t = tokenize(text);
        assert_eq!(t.len(), 5);
        assert_eq!(t.source(text, 1..5), "I don't know");
        assert_eq!(t.word_count(), 4);
        assert_eq!(count_words(text), 4);
    }

    #[test]
    fn sentences_and_questions() {
        let t = tokenize("That sounds hard. How did it feel? Take your time");
        assert_eq!(t.sentences.len(), 3);
        assert!(!t.sentences[0].question);
        assert!(t.sentences[1].question);
        assert!(!t.sentences[2].question);
        assert!(!t.trailing_off);
    }

    #[test]
    fn decimals_and_ellipses_do_not_split_sentences() {
        let t = tokenize("About 3.5 hours... maybe four.");
        assert_eq!(t.sentences.len(), 1);
        assert_eq!(t.word(1), "3.5");
    }

    #[test]
    fn interrupted_turns_trail_off() {
        assert!(tokenize("So you drink about four times a week-").trailing_off);
        assert!(tokenize("And then I--").trailing_off);
        assert!(!tokenize("How was that for you?").trailing_off);
    }

    #[test]
    fn clauses_split_at_commas() {
        let t = tokenize("It was fine, but then, no.");
        assert_eq!(t.tokens[0].clause, t.tokens[2].clause);
        assert_ne!(t.tokens[2].clause, t.tokens[3].clause);
    }

    #[test]
    fn quotes_are_not_apostrophes() {
        assert_eq!(tokenize("'this' is it").norm(), "this is it");
        assert_eq!(count_words("'this' isn't it"), 3);
    }
}
