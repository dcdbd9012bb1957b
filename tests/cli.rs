//! End-to-end tests of `rupture score` on the bundled fixtures: golden outputs (checked by hand when
//! they change; regenerate with `UPDATE_EXPECTED=1 cargo test --test cli`), bad files among good
//! ones, `--no-text`, determinism across thread counts, atomic writing and the exit codes.

mod common;

use common::rupture;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const GOOD: &[&str] = &["fixtures/sessions", "fixtures/spreadsheets"];

fn score(out: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    rupture()
        .arg("score")
        .args(args)
        .arg("-o")
        .arg(out)
        .arg("--quiet")
        .assert()
}

/// Every file under `dir` (relative path -> bytes).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            out.insert(rel, fs::read(e.path()).unwrap());
        }
    }
    out
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap()
}

#[test]
fn golden_outputs_on_the_fixtures() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [GOOD, &["fixtures/bad"]].concat();
    score(tmp.path(), &args).code(1);
    let mut got = tree(tmp.path());
    got.remove(Path::new("run.json"));
    let expected_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/expected");
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        let _ = fs::remove_dir_all(&expected_dir);
        for (rel, bytes) in &got {
            let p = expected_dir.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, bytes).unwrap();
        }
        return;
    }
    let expected = tree(&expected_dir);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the set of output files changed"
    );
    for (rel, bytes) in &expected {
        assert_eq!(
            String::from_utf8_lossy(&got[rel]),
            String::from_utf8_lossy(bytes),
            "{} differs from fixtures/expected",
            rel.display()
        );
    }
}

#[test]
fn bad_files_are_reported_and_the_rest_is_scored() {
    let tmp = tempfile::tempdir().unwrap();
    let assert = score(tmp.path(), &["fixtures/bad", "fixtures/sessions/cbt"]).code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for name in [
        "empty.txt",
        "binary.txt",
        "no-speakers.txt",
        "missing-columns.csv",
    ] {
        assert!(stderr.contains(name), "stderr names {name}: {stderr}");
    }
    let errors = read(&tmp.path().join("errors.csv"));
    assert_eq!(errors.lines().count(), 5, "{errors}");
    assert!(errors.contains("fixtures/bad/missing-columns.csv,1,\"no text column found"));
    assert!(errors.contains("binary file"));
    assert!(tmp.path().join("markers/anxiety-01.csv").exists());
    let sessions = read(&tmp.path().join("sessions.csv"));
    assert_eq!(sessions.lines().count(), 2, "{sessions}");
    let run: serde_json::Value = serde_json::from_str(&read(&tmp.path().join("run.json"))).unwrap();
    assert_eq!(run["counts"]["files_failed"], 4);
    assert_eq!(run["counts"]["files_ok"], 1);
}

#[test]
fn no_text_leaves_every_transcript_word_out() {
    let tmp = tempfile::tempdir().unwrap();
    score(tmp.path(), &[GOOD, &["--no-text"]].concat()).success();
    let mut rows = 0;
    for (rel, bytes) in tree(tmp.path()) {
        let text = String::from_utf8(bytes).unwrap();
        // Words that occur in marked turns of the fixtures.
        for word in [
            "Dunno",
            "round in circles",
            "pointless",
            "something else",
            "alcoholic",
        ] {
            assert!(!text.contains(word), "{} contains {word:?}", rel.display());
        }
        if rel.starts_with("markers") {
            for line in text.lines().skip(1) {
                let fields: Vec<&str> = line.split(',').collect();
                assert_eq!(fields[9], "", "evidence is empty: {line}");
                rows += 1;
            }
        }
    }
    assert!(rows > 10, "markers are still reported: {rows}");
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let one = tempfile::tempdir().unwrap();
    let many = tempfile::tempdir().unwrap();
    let args = [GOOD, &["fixtures/bad", "fixtures/gold/sessions"]].concat();
    score(one.path(), &[&args[..], &["-j", "1"]].concat()).code(1);
    score(many.path(), &[&args[..], &["-j", "4"]].concat()).code(1);
    let mut a = tree(one.path());
    let mut b = tree(many.path());
    a.remove(Path::new("run.json"));
    b.remove(Path::new("run.json"));
    assert!(a.len() > 50);
    assert_eq!(a, b);
}

#[test]
fn no_temporary_files_are_left_behind() {
    let tmp = tempfile::tempdir().unwrap();
    score(tmp.path(), GOOD).success();
    for rel in tree(tmp.path()).keys() {
        let name = rel.file_name().unwrap().to_string_lossy();
        assert!(
            !name.starts_with('.') && !name.ends_with(".tmp"),
            "{}",
            rel.display()
        );
    }
    assert!(fs::read_dir(tmp.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with('.')));
}

#[test]
fn a_bad_lexicon_stops_the_run_before_any_output() {
    let tmp = tempfile::tempdir().unwrap();
    let lex = tmp.path().join("lex");
    fs::create_dir(&lex).unwrap();
    fs::write(lex.join("lexicon.toml"), "id = \"x\"\nversion = \"1\"\n").unwrap();
    fs::write(
        lex.join("bad.toml"),
        "[[entry]]\nid = \"a\"\nmarker = \"topic_shift\"\nclass = \"shift\"\nweight = 2\nphrases = [\"anyway\"]\nmust_match = [\"anyway\"]\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let assert = rupture()
        .args(["score", "fixtures/sessions", "-o"])
        .arg(&out)
        .arg("--lexicons")
        .arg(&lex)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("bad.toml:1: entry 'a': weight 2 is out of range"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_lexicon_folder_gives_the_embedded_results_and_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let embedded = tmp.path().join("embedded");
    let folder = tmp.path().join("folder");
    score(&embedded, GOOD).success();
    score(&folder, &[GOOD, &["--lexicons", "lexicons"]].concat()).success();
    let mut a = tree(&embedded);
    let mut b = tree(&folder);
    let run_a: serde_json::Value =
        serde_json::from_slice(&a.remove(Path::new("run.json")).unwrap()).unwrap();
    let run_b: serde_json::Value =
        serde_json::from_slice(&b.remove(Path::new("run.json")).unwrap()).unwrap();
    assert_eq!(a, b);
    assert_eq!(run_a["lexicon"]["sha256"], run_b["lexicon"]["sha256"]);
    assert_eq!(run_a["lexicon"]["source"], "embedded");
    assert_eq!(run_b["lexicon"]["source"], "lexicons");
    assert_eq!(run_a["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn labels_given_on_the_command_line_set_roles() {
    let tmp = tempfile::tempdir().unwrap();
    let file = "fixtures/sessions/unknown-roles/interview-05.txt";
    score(
        tmp.path(),
        &[file, "--client", "speaker 2", "--therapist", "SPEAKER 1"],
    )
    .success();
    let markers = read(&tmp.path().join("markers/interview-05.csv"));
    assert!(
        markers
            .lines()
            .skip(1)
            .all(|l| l.contains(",Speaker 2,client,") || l.contains(",Speaker 1,therapist,")),
        "{markers}"
    );
    assert!(markers.contains(",Speaker 2,client,"), "{markers}");
    let sessions = read(&tmp.path().join("sessions.csv"));
    assert!(sessions.contains(",client,16,"), "{sessions}");

    let tmp = tempfile::tempdir().unwrap();
    score(tmp.path(), &[file]).success();
    let markers = read(&tmp.path().join("markers/interview-05.csv"));
    assert!(markers.contains(",other,"), "{markers}");
}

#[test]
fn times_and_continuation_lines_reach_the_markers() {
    let tmp = tempfile::tempdir().unwrap();
    score(tmp.path(), GOOD).success();
    let alcohol = read(&tmp.path().join("markers/mi/alcohol-03.csv"));
    // Turn 12 spans a continuation line; its start comes from `Client (00:mm:ss):`.
    let row = alcohol
        .lines()
        .find(|l| l.starts_with("mi/alcohol-03,12,"))
        .unwrap();
    assert!(row.contains(",Client,client,"), "{row}");
    let start: f64 = row.split(',').nth(4).unwrap().parse().unwrap();
    assert!(start > 0.0, "{row}");
    let caseload = read(&tmp.path().join("markers/A01.csv"));
    assert!(
        caseload.contains("A01,10,client,client,71.000,,"),
        "{caseload}"
    );
}

#[test]
fn duplicate_session_ids_keep_the_first() {
    let tmp = tempfile::tempdir().unwrap();
    let f = "fixtures/sessions/cbt/anxiety-01.txt";
    score(tmp.path(), &[f, f]).code(1);
    let errors = read(&tmp.path().join("errors.csv"));
    assert!(
        errors.contains("session id 'anxiety-01' was already read"),
        "{errors}"
    );
    assert_eq!(read(&tmp.path().join("sessions.csv")).lines().count(), 2);
}

#[test]
fn spreadsheet_columns_can_be_named() {
    let tmp = tempfile::tempdir().unwrap();
    let sheet = tmp.path().join("odd.csv");
    fs::write(
        &sheet,
        "case,person,said,at\nx1,T,How did that feel?,00:00:05\nx1,C,I don't know.,00:00:09\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    score(&out, &[sheet.to_str().unwrap()]).code(1);
    assert!(read(&out.join("errors.csv")).contains("no speaker column found"));
    let out = tmp.path().join("out2");
    score(
        &out,
        &[
            sheet.to_str().unwrap(),
            "--session-col",
            "case",
            "--speaker-col",
            "person",
            "--text-col",
            "said",
            "--start-col",
            "at",
        ],
    )
    .success();
    let sessions = read(&out.join("sessions.csv"));
    assert!(
        sessions.lines().nth(1).unwrap().starts_with("x1,"),
        "{sessions}"
    );
}

#[test]
fn missing_inputs_and_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    score(tmp.path(), &["no/such/folder", "fixtures/sessions/edge"]).code(1);
    assert!(read(&tmp.path().join("errors.csv")).contains("no/such/folder"));
    rupture().args(["score"]).assert().code(2);
    rupture()
        .args(["score", "fixtures/sessions", "-j", "0"])
        .assert()
        .code(2);
    rupture().args(["frobnicate"]).assert().code(2);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_odd_names_do_not_stop_the_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(input.join("sub")).unwrap();
    std::os::unix::fs::symlink(&input, input.join("sub/loop")).unwrap();
    fs::write(
        input.join("séance à deux.txt"),
        "T: How did that feel?\nC: Dunno.\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    score(&out, &[input.to_str().unwrap()]).code(1);
    assert!(read(&out.join("errors.csv")).contains("loops back"));
    // A link to nothing is an unreadable entry: reported, and the rest is still scored.
    std::os::unix::fs::symlink(tmp.path().join("gone.txt"), input.join("dangling.txt")).unwrap();
    let out = tmp.path().join("out2");
    score(&out, &[input.to_str().unwrap()]).code(1);
    let errors = read(&out.join("errors.csv"));
    assert!(errors.contains("dangling.txt,,cannot read"), "{errors}");
    assert!(out.join("markers/séance à deux.csv").exists());
}

#[cfg(unix)]
#[test]
fn a_device_or_pipe_given_as_input_is_refused_without_reading_it() {
    let tmp = tempfile::tempdir().unwrap();
    // A pipe with no writer would block a reader forever; it is refused by its type instead.
    let fifo = tmp.path().join("pipe.txt");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let out = tmp.path().join("out");
    score(
        &out,
        &[
            "/dev/null",
            fifo.to_str().unwrap(),
            "fixtures/sessions/edge",
        ],
    )
    .code(1);
    let errors = read(&out.join("errors.csv"));
    assert!(errors.contains("/dev/null,,not a regular file"), "{errors}");
    assert!(errors.contains("pipe.txt,,not a regular file"), "{errors}");
    assert!(fs::read_dir(out.join("markers")).unwrap().count() > 0);
}

#[test]
fn the_output_folder_inside_an_input_folder_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("s.txt"),
        "T: How did that feel?\nC: Fine.\n",
    )
    .unwrap();
    let out = tmp.path().join("results");
    score(&out, &[tmp.path().to_str().unwrap()]).success();
    score(&out, &[tmp.path().to_str().unwrap()]).success();
    assert_eq!(read(&out.join("sessions.csv")).lines().count(), 2);
}

#[cfg(unix)]
#[test]
fn a_rerun_leaves_unchanged_files_alone_and_replaces_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(
        input.join("calm.txt"),
        "T: How was the week?\nC: Good, I went walking.\n",
    )
    .unwrap();
    fs::write(
        input.join("torn.txt"),
        "T: How was the week?\nC: Fine.\nT: Shall we try the worksheet?\nC: That's not going to work.\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let args = [input.to_str().unwrap(), "--report"];
    score(&out, &args).success();
    let before = tree(&out);
    assert!(read(&out.join("markers/torn.csv")).contains("dissatisfaction"));
    let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
    let kept = [
        "markers/calm.csv",
        "episodes/calm.csv",
        "report/sessions/calm.html",
    ];
    let inodes: Vec<u64> = kept.iter().map(|p| inode(p)).collect();

    // The same run again writes the same bytes, so no session file is made anew.
    score(&out, &args).success();
    assert_eq!(kept.iter().map(|p| inode(p)).collect::<Vec<_>>(), inodes);
    let again = tree(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        again.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &before {
        if !path.ends_with("run.json") {
            assert_eq!(&again[path], bytes, "{}", path.display());
        }
    }

    // A changed transcript gets new files; the unchanged one keeps its own.
    fs::write(
        input.join("torn.txt"),
        "T: How was the week?\nC: Good, thanks.\n",
    )
    .unwrap();
    let torn = inode("markers/torn.csv");
    score(&out, &args).success();
    assert_ne!(inode("markers/torn.csv"), torn);
    assert!(!read(&out.join("markers/torn.csv")).contains("dissatisfaction"));
    assert_eq!(kept.iter().map(|p| inode(p)).collect::<Vec<_>>(), inodes);
    // No staging folder is left behind.
    assert!(fs::read_dir(&out).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with('.')));
}
