//! Episodes end to end, on sessions written for each rule (`fixtures/episodes/`): a strain left
//! alone, a rupture repaired and resolved, a repair attempt the client rejects, and a session with
//! no rupture at all, where a false alarm would cost a supervisor's trust.

mod common;

use common::rupture;
use std::fs;
use std::path::Path;

/// The episode rows of a session: (first, last, severity, repaired, resolution).
fn episodes(out: &Path, session: &str) -> Vec<(String, String, String, String, String)> {
    let text = fs::read_to_string(out.join(format!("episodes/{session}.csv"))).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[2].into(),
                f[3].into(),
                f[7].into(),
                f[10].into(),
                f[12].into(),
            )
        })
        .collect()
}

fn row(
    first: &str,
    last: &str,
    sev: &str,
    repaired: &str,
    res: &str,
) -> (String, String, String, String, String) {
    (
        first.into(),
        last.into(),
        sev.into(),
        repaired.into(),
        res.into(),
    )
}

#[test]
fn each_episode_rule_on_a_session_written_for_it() {
    let tmp = tempfile::tempdir().unwrap();
    rupture()
        .args(["score", "fixtures/episodes", "-q", "-o"])
        .arg(tmp.path())
        .assert()
        .success();
    let out = tmp.path();
    assert_eq!(
        episodes(out, "strain-left-alone"),
        [row("4", "4", "strain", "no", "unrepaired")]
    );
    assert_eq!(
        episodes(out, "repaired-and-resolved"),
        [row("2", "4", "rupture", "yes", "resolved")]
    );
    assert_eq!(
        episodes(out, "repair-rejected"),
        [row("2", "10", "rupture", "yes", "unresolved")]
    );
    assert!(episodes(out, "no-rupture").is_empty());

    // Markers carry their episode; sessions.csv counts them.
    let markers = fs::read_to_string(out.join("markers/repaired-and-resolved.csv")).unwrap();
    assert!(
        markers.lines().skip(1).all(|l| l.ends_with(",E1")),
        "{markers}"
    );
    assert!(
        markers.contains(",repair,repair,rp.acknowledges+rule:responds,"),
        "{markers}"
    );
    let sessions = fs::read_to_string(out.join("sessions.csv")).unwrap();
    let header: Vec<&str> = sessions.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let line = sessions
        .lines()
        .find(|l| l.starts_with("repair-rejected,"))
        .unwrap();
    let f: Vec<&str> = line.split(',').collect();
    assert_eq!(
        (
            f[col("episodes")],
            f[col("ruptures")],
            f[col("repaired")],
            f[col("resolved")]
        ),
        ("1", "1", "1", "0")
    );
    let run: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["counts"]["episodes"]["episodes"], 3);
    assert_eq!(run["options"]["rules"]["episodes"]["window"], 4);
}

#[test]
fn a_config_file_changes_the_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("rules.toml");
    // A window of 1 turn splits the repair-rejected episode at its first gap.
    fs::write(&config, "[episodes]\nwindow = 1\n").unwrap();
    let out = tmp.path().join("out");
    rupture()
        .args([
            "score",
            "fixtures/episodes/repair-rejected.txt",
            "-q",
            "--config",
        ])
        .arg(&config)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert!(episodes(&out, "repair-rejected").len() > 1);
    let run = fs::read_to_string(out.join("run.json")).unwrap();
    assert!(run.contains("\"window\": 1"), "{run}");

    fs::write(&config, "[episodes]\nwindw = 1\n").unwrap();
    let assert = rupture()
        .args(["score", "fixtures/episodes", "--config"])
        .arg(&config)
        .arg("-o")
        .arg(tmp.path().join("never"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("rules.toml:2:") && stderr.contains("windw"),
        "{stderr}"
    );
    assert!(!tmp.path().join("never").exists());
}
