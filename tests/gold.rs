//! The validity gate: rupture scored on the coded gold set (`fixtures/gold/`) must keep every
//! marker's F1 within 0.05 of the figure recorded in `fixtures/gold/eval.csv`, and beat each naive
//! baseline by a clear margin, so a lexicon edit cannot silently make the tool worse. When a change
//! improves the figures, record them again with
//! `rupture eval --gold fixtures/gold/gold.csv OUT --out fixtures/gold/eval.csv`.

mod common;

use common::rupture;
use std::collections::HashMap;

/// How far rupture's F1 must stand above each baseline's.
const MARGIN_OVER_BASELINE: f64 = 0.2;

#[test]
fn the_gold_set_figures_hold() {
    let tmp = tempfile::tempdir().unwrap();
    rupture()
        .args(["score", "fixtures/gold/sessions", "-q", "-o"])
        .arg(tmp.path())
        .assert()
        .success();
    let figures = tmp.path().join("eval.csv");
    let out = rupture()
        .args([
            "eval",
            "--gold",
            "fixtures/gold/gold.csv",
            "--check",
            "fixtures/gold/eval.csv",
            "--out",
        ])
        .arg(&figures)
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "F1 fell below the recorded figures:\n{stderr}"
    );

    let csv = std::fs::read_to_string(figures).unwrap();
    let f1: HashMap<(String, String), f64> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                (f[9].to_string(), f[0].to_string()),
                f[6].parse().unwrap_or(0.0),
            )
        })
        .collect();
    for (baseline, marker) in [
        ("baseline:reply_of_3_words_or_fewer", "minimal_response"),
        ("baseline:no_shared_content_word", "topic_shift"),
        ("baseline:negative_word_list", "dissatisfaction"),
    ] {
        let ours = f1[&("rupture".to_string(), marker.to_string())];
        let theirs = f1[&(baseline.to_string(), marker.to_string())];
        assert!(
            ours >= theirs + MARGIN_OVER_BASELINE,
            "{marker}: rupture F1 {ours:.3} does not clear {baseline} F1 {theirs:.3} by {MARGIN_OVER_BASELINE}"
        );
    }
}
