//! The lexicon as data: every entry's own examples run as tests, and a broken lexicon is refused with
//! every problem named by file and line.

use rupture::lexicon::Lexicon;

#[test]
fn every_entry_matches_its_examples() {
    let lex = match Lexicon::embedded() {
        Ok(lex) => lex,
        Err(e) => panic!("{e}"),
    };
    let examples: usize = lex
        .entries
        .iter()
        .map(|e| e.must_match.len() + e.must_not_match.len())
        .sum();
    assert!(examples > 100, "{examples}");
    assert!(lex.check_examples().is_empty());
}

#[test]
fn an_example_that_does_not_fire_is_a_problem() {
    let entry = "[[entry]]\nid = \"a\"\nmarker = \"topic_shift\"\nclass = \"shift\"\nweight = 0.5\nanchor = \"start\"\nphrases = [\"anyway\"]\nmust_match = [\"I went anyway.\"]\nmust_not_match = [\"Anyway, bye.\"]\n";
    let err = Lexicon::from_files(&set(&[MANIFEST, ("e.toml", entry)])).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("e.toml:1: entry 'a' does not fire on its example \"I went anyway.\""),
        "{text}"
    );
    assert!(
        text.contains("e.toml:1: entry 'a' fires on its counter-example \"Anyway, bye.\""),
        "{text}"
    );
}

#[test]
fn the_embedded_set_is_identified() {
    let lex = Lexicon::embedded().unwrap();
    assert_eq!(lex.id, "rupture-default");
    assert_eq!(lex.sha256.len(), 64);
    assert!(lex.files.iter().any(|(n, _)| n == "lexicon.toml"));
}

fn set(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect()
}

const MANIFEST: (&str, &str) = ("lexicon.toml", "id = \"t\"\nversion = \"1\"\n");

#[test]
fn every_problem_is_reported_with_file_and_line() {
    let bad = r#"
[[entry]]
id = "a"
marker = "dissatisfaction"
class = "complaint"
weight = 1.5
phrases = ["pointless"]
must_match = ["pointless"]

[[entry]]
id = "b"
marker = "nonsense"
class = "complaint"
weight = 0.5
phrases = ["x"]
must_match = ["x"]

[[entry]]
id = "a"
marker = "topic_shift"
class = "shift"
weight = 0.5
anchor = "middle"
phrases = ["anyway"]
"#;
    let err = Lexicon::from_files(&set(&[MANIFEST, ("bad.toml", bad)])).unwrap_err();
    let text = err.to_string();
    let lines: Vec<usize> = err.problems.iter().map(|p| p.line).collect();
    assert!(
        text.contains("bad.toml:2: entry 'a': weight 1.5 is out of range"),
        "{text}"
    );
    assert!(
        text.contains("bad.toml:10: entry 'b': unknown marker/class 'nonsense/complaint'"),
        "{text}"
    );
    assert!(
        text.contains("bad.toml:18: entry 'a': anchor must be"),
        "{text}"
    );
    assert!(
        text.contains("add at least one must_match example"),
        "{text}"
    );
    assert!(
        text.contains("bad.toml:18: id 'a' is already used at bad.toml:2"),
        "{text}"
    );
    assert!(lines.len() >= 4, "{text}");
}

#[test]
fn unknown_fields_and_syntax_errors_name_the_line() {
    let unknown = "[[entry]]\nid = \"a\"\nmarker = \"topic_shift\"\nclass = \"shift\"\nweight = 0.5\nphrase = [\"x\"]\n";
    let err = Lexicon::from_files(&set(&[MANIFEST, ("u.toml", unknown)])).unwrap_err();
    assert_eq!(err.problems[0].file, "u.toml");
    assert!(
        err.problems[0].message.contains("unknown field `phrase`"),
        "{err}"
    );
    assert!(err.problems[0].line >= 1);

    let broken = "[[entry]]\nid = \"a\nmarker = 1\n";
    let err = Lexicon::from_files(&set(&[MANIFEST, ("s.toml", broken)])).unwrap_err();
    assert_eq!(
        (err.problems[0].file.as_str(), err.problems[0].line),
        ("s.toml", 2)
    );
}

#[test]
fn a_set_without_a_manifest_is_refused() {
    let ok = "[[entry]]\nid = \"a\"\nmarker = \"topic_shift\"\nclass = \"shift\"\nweight = 0.5\nphrases = [\"anyway\"]\nmust_match = [\"anyway\"]\n";
    let err = Lexicon::from_files(&set(&[("a.toml", ok)])).unwrap_err();
    assert!(
        err.to_string().contains("no lexicon.toml manifest"),
        "{err}"
    );
    assert!(Lexicon::from_files(&set(&[MANIFEST, ("a.toml", ok)])).is_ok());
}

#[test]
fn duplicate_phrases_and_bad_patterns_are_refused() {
    let dup = r#"
[[entry]]
id = "a"
marker = "topic_shift"
class = "shift"
weight = 0.5
phrases = ["anyway"]
must_match = ["anyway"]

[[entry]]
id = "b"
marker = "topic_shift"
class = "shift"
weight = 0.5
phrases = ["Anyway"]
patterns = ["(unclosed"]
must_match = ["anyway"]
"#;
    let err = Lexicon::from_files(&set(&[MANIFEST, ("d.toml", dup)])).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("phrase 'anyway' of 'b' is also in 'a'"),
        "{text}"
    );
    assert!(text.contains("not a valid regular expression"), "{text}");
}

#[test]
fn the_hash_changes_with_the_data() {
    let a = "[[entry]]\nid = \"a\"\nmarker = \"topic_shift\"\nclass = \"shift\"\nweight = 0.5\nphrases = [\"anyway\"]\nmust_match = [\"anyway\"]\n";
    let b = a.replace("0.5", "0.6");
    let x = Lexicon::from_files(&set(&[MANIFEST, ("a.toml", a)])).unwrap();
    let y = Lexicon::from_files(&set(&[MANIFEST, ("a.toml", &b)])).unwrap();
    assert_ne!(x.sha256, y.sha256);
}

#[test]
fn a_supporting_pattern_is_checked_on_its_example_alone() {
    // In scoring, a third-party pattern runs only on turns with a complaint or an evaluation, the
    // only turns whose third parties are read; an entry's own example is still checked on its own.
    let entry = "[[entry]]\nid = \"tp.pets\"\nmarker = \"dissatisfaction\"\nclass = \"third_party\"\nweight = 0.1\npatterns = [\"my (?:gerbil|hamster)s?\"]\nmust_match = [\"I don't know, my gerbil.\"]\nmust_not_match = [\"my cat\"]\n";
    let lex = Lexicon::from_files(&set(&[MANIFEST, ("p.toml", entry)])).unwrap();
    assert!(lex.fires(0, "I don't know, my gerbil."));
    assert!(!lex.fires(0, "my cat"));
}
