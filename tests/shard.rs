//! Scaling out: shards of a corpus, merged, give byte for byte what one run gives; shards of
//! different runs are refused; the streaming mode writes the markers of each conversation as it ends.

mod common;

use common::rupture;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const INPUTS: &[&str] = &[
    "fixtures/sessions",
    "fixtures/spreadsheets",
    "fixtures/bad",
    "fixtures/formats",
    "fixtures/episodes",
];

fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.file_name() != "run.json")
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn score(out: &Path, extra: &[&str]) {
    rupture()
        .arg("score")
        .args(INPUTS)
        .args(extra)
        .arg("-q")
        .arg("-o")
        .arg(out)
        .assert()
        .code(1); // fixtures/bad holds files that fail
}

#[test]
fn shards_merge_into_exactly_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    score(&single, &[]);
    let shards: Vec<PathBuf> = (1..=3)
        .map(|k| tmp.path().join(format!("shard{k}")))
        .collect();
    for (k, dir) in shards.iter().enumerate() {
        let shard = format!("{}/3", k + 1);
        rupture()
            .arg("score")
            .args(INPUTS)
            .args(["--shard", &shard, "-q", "-o"])
            .arg(dir)
            .output()
            .unwrap();
    }
    // Each shard holds part of the sessions, and together all of them.
    let counts: Vec<usize> = shards
        .iter()
        .map(|d| {
            fs::read_to_string(d.join("sessions.csv"))
                .unwrap()
                .lines()
                .count()
                - 1
        })
        .collect();
    let total = fs::read_to_string(single.join("sessions.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert!(
        counts.iter().all(|&c| c > 0 && c < total),
        "{counts:?} of {total}"
    );
    assert_eq!(counts.iter().sum::<usize>(), total);

    let merged = tmp.path().join("merged");
    rupture()
        .arg("merge")
        .args(&shards)
        .arg("-o")
        .arg(&merged)
        .assert()
        .success();
    assert_eq!(tree(&single), tree(&merged));
    let run: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(merged.join("run.json")).unwrap()).unwrap();
    let one: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(single.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["counts"], one["counts"]);

    // The report of the merged run is the report of the single run.
    for dir in [&single, &merged] {
        rupture().arg("report").arg(dir).assert().success();
    }
    assert!(merged.join("report").join("index.html").is_file());
    assert_eq!(tree(&single), tree(&merged));
}

#[test]
fn shards_of_different_runs_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    rupture()
        .args(["score", "fixtures/sessions", "--shard", "1/2", "-q", "-o"])
        .arg(&a)
        .assert()
        .success();
    rupture()
        .args([
            "score",
            "fixtures/sessions",
            "--shard",
            "2/2",
            "--no-text",
            "-q",
            "-o",
        ])
        .arg(&b)
        .assert()
        .success();
    let out = rupture()
        .arg("merge")
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(tmp.path().join("m"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("other options") && stderr.contains("no_text"),
        "{stderr}"
    );
    // The same shard twice: its sessions would be counted twice.
    let out = rupture()
        .arg("merge")
        .arg(&a)
        .arg(&a)
        .arg("-o")
        .arg(tmp.path().join("m2"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is in two shards"));
}

#[test]
fn streaming_writes_what_a_file_run_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let file = "fixtures/formats/convokit/conversation.jsonl";
    rupture()
        .args(["score", file, "-q", "-o"])
        .arg(tmp.path())
        .assert()
        .success();
    let expected = fs::read_to_string(tmp.path().join("markers/session-04.csv")).unwrap();
    let streamed = rupture()
        .args(["score", "--stdin-jsonl", "-q"])
        .write_stdin(fs::read(file).unwrap())
        .output()
        .unwrap();
    assert_eq!(streamed.status.code(), Some(0));
    assert_eq!(String::from_utf8(streamed.stdout).unwrap(), expected);
}

#[test]
fn streaming_refuses_conversations_that_are_not_together() {
    let interleaved = fs::read("fixtures/formats/convokit/older-corpus.jsonl").unwrap();
    let out = rupture()
        .args(["score", "--stdin-jsonl", "-q"])
        .write_stdin(interleaved)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("<stdin>:4: conversation 1187 appears again"),
        "{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("session,turn,speaker,"), "{stdout}");
}
