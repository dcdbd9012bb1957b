//! End-to-end tests of `rupture eval` against a small hand-coded gold (`fixtures/eval/intended.csv`:
//! the markers the fixture sessions were written to contain). The expected figures were counted by
//! hand from fixtures/EXPECTED.md.

mod common;

use common::rupture;
use std::fs;
use std::path::Path;

fn scored(dir: &Path) {
    rupture()
        .args([
            "score",
            "fixtures/sessions",
            "fixtures/spreadsheets",
            "-q",
            "-o",
        ])
        .arg(dir)
        .assert()
        .success();
}

fn eval(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = rupture()
        .args(["eval", "--gold", "fixtures/eval/intended.csv"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn row<'a>(csv: &'a str, system: &str, marker: &str) -> Vec<&'a str> {
    csv.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[0] == marker && f[9] == system)
        .unwrap_or_else(|| panic!("no row {system} {marker} in {csv}"))
}

#[test]
fn figures_against_a_hand_coded_gold() {
    let tmp = tempfile::tempdir().unwrap();
    scored(tmp.path());
    let out = tmp.path().join("eval.csv");
    let (code, stdout, _) = eval(tmp.path(), &["--out", out.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stdout.contains("minimal_response"), "{stdout}");
    let csv = fs::read_to_string(&out).unwrap();
    assert_eq!(
        csv.lines().next().unwrap(),
        "marker,gold,predicted,tp,precision,recall,f1,kappa,spearman,system"
    );
    // 11 coded minimal responses; rupture reports 9, all of them coded.
    assert_eq!(
        &row(&csv, "rupture", "minimal_response")[1..7],
        ["11", "9", "9", "1.000", "0.818", "0.900"]
    );
    assert_eq!(&row(&csv, "rupture", "topic_shift")[1..4], ["3", "2", "2"]);
    // 14 coded, 12 reported and coded, over 280 turns: kappa = (278/280 - pe) / (1 - pe) = 0.919.
    assert_eq!(
        &row(&csv, "rupture", "dissatisfaction")[1..8],
        ["14", "12", "12", "1.000", "0.857", "0.923", "0.919"]
    );
    // The short-reply baseline finds every coded minimal response and much else.
    let short = row(
        &csv,
        "baseline:reply_of_3_words_or_fewer",
        "minimal_response",
    );
    assert_eq!(short[3], "11");
    assert!(short[2].parse::<usize>().unwrap() > 40);
}

#[test]
fn a_coded_session_missing_from_the_predictions_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    rupture()
        .args(["score", "fixtures/sessions", "-q", "-o"])
        .arg(tmp.path())
        .assert()
        .success();
    let (code, _, stderr) = eval(tmp.path(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("A01, A02, A03, g1, g2"), "{stderr}");
}

#[test]
fn a_coder_against_themself_agrees_perfectly() {
    let tmp = tempfile::tempdir().unwrap();
    scored(tmp.path());
    let (code, stdout, _) = eval(tmp.path(), &["--versus", "fixtures/eval/intended.csv"]);
    assert_eq!(code, 0);
    for line in stdout.lines().filter(|l| l.starts_with("dissatisfaction")) {
        assert!(line.contains("1.000  1.000  1.000"), "{line}");
    }
}

#[test]
fn tolerance_counts_neighbouring_turns() {
    let tmp = tempfile::tempdir().unwrap();
    scored(tmp.path());
    let shifted = tmp.path().join("shifted.csv");
    let text = fs::read_to_string("fixtures/eval/intended.csv").unwrap();
    let moved: String = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            match f[1].parse::<usize>() {
                Ok(t) => format!("{},{},{}\n", f[0], t + 1, f[2]),
                Err(_) => format!("{l}\n"),
            }
        })
        .collect();
    fs::write(&shifted, moved).unwrap();
    let run = |tol: &str| {
        let out = tmp.path().join(format!("t{tol}.csv"));
        rupture()
            .args(["eval", "--no-baselines", "--gold"])
            .arg(&shifted)
            .arg(tmp.path())
            .args(["--tolerance", tol, "--out"])
            .arg(&out)
            .assert()
            .success();
        fs::read_to_string(out).unwrap()
    };
    assert_eq!(row(&run("0"), "rupture", "dissatisfaction")[3], "0");
    assert_eq!(row(&run("1"), "rupture", "dissatisfaction")[3], "12");
}

#[test]
fn check_fails_when_f1_falls_below_the_record() {
    let tmp = tempfile::tempdir().unwrap();
    scored(tmp.path());
    let recorded = tmp.path().join("recorded.csv");
    let (code, _, _) = eval(tmp.path(), &["--out", recorded.to_str().unwrap()]);
    assert_eq!(code, 0);
    let (code, _, _) = eval(tmp.path(), &["--check", recorded.to_str().unwrap()]);
    assert_eq!(code, 0);
    let higher = fs::read_to_string(&recorded)
        .unwrap()
        .replace("0.923,0.919", "0.990,0.919");
    fs::write(&recorded, higher).unwrap();
    let (code, _, stderr) = eval(tmp.path(), &["--check", recorded.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("dissatisfaction: F1 0.923, recorded 0.990"),
        "{stderr}"
    );
}
