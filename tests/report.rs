//! The HTML report end to end: `score --report` and `rupture report` write the same pages; the pages
//! hold the expected marker and episode elements, refer to nothing on the network, and render in
//! headless Chromium without a script error.
//!
//! The browser check needs Debian's `chromium` (installed by `.ci/run`). Without it the check is
//! skipped with a note, unless RUPTURE_REQUIRE_CHROMIUM=1 (set by CI), when its absence fails.

mod common;

use common::rupture;
use std::path::{Path, PathBuf};
use std::process::Command;

fn score_with_report(out: &Path, extra: &[&str]) {
    rupture()
        .args(["score", "fixtures/episodes", "--quiet", "--report", "-o"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(pages(&p));
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn a_page_per_session_and_an_index() {
    let tmp = tempfile::tempdir().unwrap();
    score_with_report(tmp.path(), &[]);
    let report = tmp.path().join("report");
    let names: Vec<String> = pages(&report)
        .iter()
        .map(|p| p.strip_prefix(&report).unwrap().display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "index.html",
            "sessions/no-rupture.html",
            "sessions/repair-rejected.html",
            "sessions/repaired-and-resolved.html",
            "sessions/strain-left-alone.html"
        ]
    );
    let index = read(&report.join("index.html"));
    assert_eq!(index.matches("<tr data-session=").count(), 4);
    assert!(index.contains("<a href=\"sessions/repair-rejected.html\">repair-rejected</a>"));

    // Each page shows the episodes of episodes/<session>.csv and a mark per markers row.
    for name in [
        "no-rupture",
        "repair-rejected",
        "repaired-and-resolved",
        "strain-left-alone",
    ] {
        let page = read(&report.join("sessions").join(format!("{name}.html")));
        let markers = read(&tmp.path().join("markers").join(format!("{name}.csv")));
        let episodes = read(&tmp.path().join("episodes").join(format!("{name}.csv")));
        assert_eq!(
            page.matches("<a class=\"mark\"").count(),
            markers.lines().count() - 1,
            "{name}"
        );
        assert_eq!(
            page.matches("<g class=\"episode\"").count(),
            episodes.lines().count() - 1,
            "{name}"
        );
        assert!(page.contains("<div class=\"summary\""), "{name}");
    }
    let page = read(&report.join("sessions/repaired-and-resolved.html"));
    assert!(page.contains("data-severity=\"rupture\" data-resolution=\"resolved\""));
    assert!(page.contains("repaired at 00:28, client re-engaged"));
    let page = read(&report.join("sessions/strain-left-alone.html"));
    assert!(page.contains("not repaired"));
    let page = read(&report.join("sessions/no-rupture.html"));
    assert!(page.contains("No strain or rupture found"));
}

#[test]
fn pages_do_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    for (out, j) in [(&one, "1"), (&two, "2")] {
        rupture()
            .args([
                "score",
                "fixtures/episodes",
                "fixtures/sessions",
                "fixtures/formats",
            ])
            .args(["--quiet", "--report", "-j", j, "-o"])
            .arg(out)
            .assert()
            .success();
    }
    let (a, b) = (pages(&one.join("report")), pages(&two.join("report")));
    assert!(a.len() > 10);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(read(x), read(y), "{}", x.display());
    }
}

#[test]
fn no_page_refers_to_the_network() {
    let tmp = tempfile::tempdir().unwrap();
    score_with_report(tmp.path(), &[]);
    for p in pages(&tmp.path().join("report")) {
        // The SVG namespace is a name, not a fetch; anything else with a scheme or `//` is.
        let page = read(&p).replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for needle in ["http:", "https:", "src=", "@import", "url(", "//"] {
            assert!(
                !page.contains(needle),
                "{} refers to `{needle}`",
                p.display()
            );
        }
    }
}

#[test]
fn no_text_keeps_the_marks_and_drops_the_words() {
    let tmp = tempfile::tempdir().unwrap();
    score_with_report(tmp.path(), &["--no-text"]);
    let page = read(
        &tmp.path()
            .join("report/sessions/repaired-and-resolved.html"),
    );
    assert!(page.contains("data-marker=\"dissatisfaction\""));
    assert!(page.contains("<code>ds.not_listening</code>"));
    // Cue ids are lexicon entries, not the transcript's words (as in the markers CSV).
    let page: String = page
        .split("<code>")
        .map(|part| part.split_once("</code>").map_or(part, |(_, rest)| rest))
        .collect();
    assert!(page.contains("id=\"t4\""));
    let transcript = read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/episodes/repaired-and-resolved.txt")
            .as_path(),
    );
    for line in transcript.lines() {
        let words = line.split_once(": ").map_or(line, |(_, w)| w);
        for w in words.split_whitespace().filter(|w| w.len() > 6) {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            assert!(!page.contains(w), "`{w}` is on the page");
        }
    }
}

#[test]
fn report_command_rebuilds_what_score_wrote() {
    let tmp = tempfile::tempdir().unwrap();
    let with = tmp.path().join("with");
    score_with_report(&with, &[]);
    let later = tmp.path().join("later");
    rupture()
        .args(["score", "fixtures/episodes", "--quiet", "-o"])
        .arg(&later)
        .assert()
        .success();
    assert!(!later.join("report").exists());
    rupture().arg("report").arg(&later).assert().success();
    let a = pages(&with.join("report"));
    let b = pages(&later.join("report"));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(read(x), read(y), "{}", x.display());
    }
    // Nothing but the report was added: no scratch folder is left behind.
    let mut entries: Vec<String> = std::fs::read_dir(&later)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(
        entries,
        [
            "episodes",
            "errors.csv",
            "markers",
            "report",
            "run.json",
            "sessions.csv"
        ]
    );
}

#[test]
fn report_refuses_a_run_whose_transcripts_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    for name in ["no-rupture.txt", "repair-rejected.txt"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/episodes")
                .join(name),
            inputs.join(name),
        )
        .unwrap();
    }
    let out = tmp.path().join("out");
    rupture()
        .args(["score", "--quiet", "--report", "-o"])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .success();
    let before = pages(&out.join("report"));
    // A session without a single marker gone: the marker counts alone would not tell.
    std::fs::remove_file(inputs.join("no-rupture.txt")).unwrap();
    rupture()
        .arg("report")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "do not give the run's sessions.csv",
        ));
    assert_eq!(
        pages(&out.join("report")),
        before,
        "the old report was kept"
    );
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn report_refuses_a_folder_without_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    rupture()
        .arg("report")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("run.json"));
}

/// Debian's Chromium, if it is installed.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        })
}

/// The page's DOM after its scripts ran, as headless Chromium sees it.
fn rendered(browser: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn body_tag(dom: &str) -> &str {
    let start = dom.find("<body").expect("a body");
    &dom[start..start + dom[start..].find('>').unwrap() + 1]
}

#[test]
fn pages_render_in_headless_chromium_without_script_errors() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("RUPTURE_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "chromium is required (RUPTURE_REQUIRE_CHROMIUM=1) but not installed"
        );
        eprintln!("note: chromium is not installed; the browser check is skipped");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    score_with_report(tmp.path(), &[]);
    let report = tmp.path().join("report");
    let index = rendered(&browser, &report.join("index.html"));
    // The body carries data-script="ok" when the script ran to its end, and data-script-error
    // with the message when any script failed.
    assert_eq!(body_tag(&index), "<body data-script=\"ok\">");
    assert_eq!(index.matches("<tr data-session=").count(), 4);
    let page = rendered(&browser, &report.join("sessions/repair-rejected.html"));
    assert_eq!(body_tag(&page), "<body data-script=\"ok\">");
    assert!(page.contains("class=\"episode\""));
    assert!(page.contains("<a class=\"mark\""));
    assert!(page.contains("data-marker=\"repair\""));
}
