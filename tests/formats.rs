//! The recording and corpus formats end to end: the same conversation written in every format gives
//! the same markers (and times where the format has them); bad files are reported with their line;
//! encodings, line endings, oversized files and `--merge-turns`.

mod common;

use common::rupture;
use std::fs;
use std::path::Path;

fn score(out: &Path, args: &[&str]) -> std::process::Output {
    rupture()
        .arg("score")
        .args(args)
        .arg("-o")
        .arg(out)
        .arg("-q")
        .output()
        .unwrap()
}

/// The marker rows of a file without the session and speaker columns (formats name speakers
/// differently) and without the end time (the plain-text format has none).
fn rows(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            [f[1], f[3], f[4], f[6], f[7], f[8], f[f.len() - 1]].join(",")
        })
        .collect()
}

#[test]
fn the_same_conversation_in_every_format_gives_the_same_markers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = score(tmp.path(), &["fixtures/formats"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference = rows(&tmp.path().join("markers/conversation.csv"));
    // Three client markers and the practitioner's two repairs, all in one episode.
    assert_eq!(reference.len(), 5, "{reference:?}");
    assert!(
        reference[0].starts_with("8,client,32.000,"),
        "{reference:?}"
    );
    for format in ["vtt", "srt", "otter", "whisper", "chat"] {
        let got = rows(
            &tmp.path()
                .join(format!("markers/{format}/conversation.csv")),
        );
        assert_eq!(got, reference, "{format}");
    }
    // ConvoKit names its session by conversation id.
    assert_eq!(rows(&tmp.path().join("markers/session-04.csv")), reference);
    // Formats with end times carry them to the markers.
    let vtt = fs::read_to_string(tmp.path().join("markers/vtt/conversation.csv")).unwrap();
    assert!(vtt.contains(",32.000,35.000,"), "{vtt}");
}

#[test]
fn roles_come_from_chat_participants() {
    let tmp = tempfile::tempdir().unwrap();
    score(tmp.path(), &["fixtures/formats/chat/conversation.cha"]);
    let markers = fs::read_to_string(tmp.path().join("markers/conversation.csv")).unwrap();
    assert!(
        markers
            .lines()
            .skip(1)
            .all(|l| l.contains(",PAT,client,") || l.contains(",THE,therapist,")),
        "{markers}"
    );
}

#[test]
fn bad_files_are_reported_with_their_line_and_the_rest_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let out = score(tmp.path(), &["fixtures/bad-formats"]);
    assert_eq!(out.status.code(), Some(1));
    let errors = fs::read_to_string(tmp.path().join("errors.csv")).unwrap();
    for (file, line) in [
        ("vtt-bad-timing.vtt", "8"),
        ("vtt-no-header.vtt", "1"),
        ("srt-bad-timing.srt", "6"),
        ("whisper-truncated.json", "60"),
        ("convokit-bad-line.jsonl", "5"),
        ("convokit-no-text.jsonl", "3"),
        ("otter-bad-time.txt", "4"),
    ] {
        assert!(
            errors.contains(&format!("fixtures/bad-formats/{file},{line},")),
            "{file}:{line} in {errors}"
        );
    }
    assert!(errors.contains("chat-no-begin.cha,,"));
    // Recoverable problems are warnings: those files are scored.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: fixtures/bad-formats/whisper-backwards.json:15:"),
        "{stderr}"
    );
    let sessions = fs::read_to_string(tmp.path().join("sessions.csv")).unwrap();
    for kept in [
        "vtt-truncated",
        "srt-truncated",
        "otter-truncated",
        "chat-truncated",
        "whisper-backwards",
    ] {
        assert!(
            sessions.contains(&format!("\n{kept},")),
            "{kept} in {sessions}"
        );
    }
}

#[test]
fn encodings_and_line_endings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    let text = "T: How did that feel?\r\nC: I don't know.\r\n";
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    fs::write(dir.join("a-utf16.txt"), utf16).unwrap();
    fs::write(
        dir.join("b-1252.txt"),
        b"T: How did that feel?\rC: I don\x92t know.\r",
    )
    .unwrap();
    fs::write(
        dir.join("c-bom.txt"),
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    )
    .unwrap();
    let out_dir = tmp.path().join("out");
    let out = score(&out_dir, &[dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("b-1252.txt: the file is not valid UTF-8; read it as Windows-1252"),
        "{stderr}"
    );
    let sessions = fs::read_to_string(out_dir.join("sessions.csv")).unwrap();
    for (id, enc) in [
        ("a-utf16", "utf-16le"),
        ("b-1252", "windows-1252"),
        ("c-bom", "utf-8-bom"),
    ] {
        assert!(
            sessions.contains(&format!(",{enc},2,")) && sessions.contains(id),
            "{id} {enc}: {sessions}"
        );
    }
    // Every version gives the minimal response on turn 2, with the curly apostrophe read right.
    for id in ["a-utf16", "b-1252", "c-bom"] {
        let m = fs::read_to_string(out_dir.join(format!("markers/{id}.csv"))).unwrap();
        assert!(m.contains(",2,C,client,"), "{id}: {m}");
    }
    let forced = tmp.path().join("forced");
    let out = score(
        &forced,
        &[
            dir.join("b-1252.txt").to_str().unwrap(),
            "--encoding",
            "utf-8",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(fs::read_to_string(forced.join("errors.csv"))
        .unwrap()
        .contains("not valid utf-8"));
}

#[test]
fn files_over_the_size_limit_are_refused_without_reading_them() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("huge.txt");
    // A sparse file: the limit is checked before a byte is read.
    fs::File::create(&big)
        .unwrap()
        .set_len(600 * 1024 * 1024)
        .unwrap();
    let out_dir = tmp.path().join("out");
    let out = score(&out_dir, &[big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let errors = fs::read_to_string(out_dir.join("errors.csv")).unwrap();
    assert!(errors.contains("over the 500 MB limit"), "{errors}");
}

#[test]
fn merge_turns_joins_consecutive_cues_of_one_speaker() {
    let tmp = tempfile::tempdir().unwrap();
    let vtt = tmp.path().join("s.vtt");
    fs::write(
        &vtt,
        "WEBVTT\n\n00:01.000 --> 00:03.000\nTherapist: How did that feel?\n\n00:04.000 --> 00:05.000\nClient: I don't know.\n\n00:05.500 --> 00:09.000\nClient: I suppose I was scared, more than anything, and angry at him.\n",
    )
    .unwrap();
    let split = tmp.path().join("split");
    score(&split, &[vtt.to_str().unwrap()]);
    let merged = tmp.path().join("merged");
    score(&merged, &[vtt.to_str().unwrap(), "--merge-turns"]);
    let turns = |dir: &Path| {
        let s = fs::read_to_string(dir.join("sessions.csv")).unwrap();
        s.lines()
            .nth(1)
            .unwrap()
            .split(',')
            .nth(3)
            .unwrap()
            .to_string()
    };
    assert_eq!(turns(&split), "3");
    assert_eq!(turns(&merged), "2");
    // Either way the reply is not minimal: the client went on in the next cue.
    for dir in [&split, &merged] {
        let m = fs::read_to_string(dir.join("markers/s.csv")).unwrap();
        assert_eq!(m.lines().count(), 1, "{m}");
    }
}

#[test]
fn an_earlier_output_folder_among_the_inputs_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::copy("fixtures/formats/conversation.txt", input.join("s.txt")).unwrap();
    let old = input.join("old-results");
    assert_eq!(
        score(&old, &[input.to_str().unwrap()]).status.code(),
        Some(0)
    );
    let out = tmp.path().join("out");
    assert_eq!(
        score(&out, &[input.to_str().unwrap()]).status.code(),
        Some(0)
    );
    assert_eq!(
        fs::read_to_string(out.join("sessions.csv"))
            .unwrap()
            .lines()
            .count(),
        2
    );
}
