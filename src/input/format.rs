//! Which reader a file needs: by its extension, and where the extension says little (`.txt`,
//! `.json`, none) by its content. `--format` overrides both.

use super::table;
use std::path::Path;

/// A transcript format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Pick by extension, then by content.
    Auto,
    /// `Speaker: words`, one turn per line.
    Text,
    /// Comma-separated spreadsheet, one row per turn.
    Csv,
    /// Tab-separated spreadsheet, one row per turn.
    Tsv,
    /// WebVTT captions (Zoom, Teams, WhisperX).
    Vtt,
    /// SubRip captions.
    Srt,
    /// Whisper / WhisperX JSON (`segments`).
    Whisper,
    /// ConvoKit `utterances.jsonl`, several sessions per file.
    Convokit,
    /// CHAT (`.cha`, TalkBank).
    Chat,
    /// Otter.ai text export.
    Otter,
}

impl Format {
    /// The format a file extension stands for, if any. `.txt` and `.json` are only a first guess
    /// that [`Format::detect`] refines by content.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            "vtt" => Some(Format::Vtt),
            "srt" => Some(Format::Srt),
            "json" => Some(Format::Whisper),
            "jsonl" => Some(Format::Convokit),
            "cha" => Some(Format::Chat),
            _ => None,
        }
    }

    /// The format of a file: by extension, then by content. A `.txt` file may be an Otter export
    /// or mislabelled captions, and a `.json` file may hold ConvoKit lines, so those are sniffed.
    pub fn detect(path: &Path, text: &str) -> Format {
        match Format::from_extension(path) {
            Some(Format::Text) | Some(Format::Whisper) | None => Format::sniff(text),
            Some(f) => f,
        }
    }

    /// Guesses the format from the first lines of the text.
    pub fn sniff(text: &str) -> Format {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().unwrap_or("");
        let second = lines.next().unwrap_or("");
        if first.starts_with("WEBVTT") {
            return Format::Vtt;
        }
        if first.contains("-->")
            || (first.chars().all(|c| c.is_ascii_digit()) && second.contains("-->"))
        {
            return Format::Srt;
        }
        if first.starts_with('{') {
            let one_object_a_line =
                first.ends_with('}') && (second.is_empty() || second.starts_with('{'));
            return if one_object_a_line && !first.contains("\"segments\"") {
                Format::Convokit
            } else {
                Format::Whisper
            };
        }
        if first.starts_with("@UTF8") || first.starts_with("@Begin") {
            return Format::Chat;
        }
        if is_otter_header(first) && !second.is_empty() {
            return Format::Otter;
        }
        let known = |sep: char| {
            first
                .split(sep)
                .filter(|f| {
                    let f = f
                        .trim()
                        .trim_matches('"')
                        .to_lowercase()
                        .replace([' ', '-'], "_");
                    table::SPEAKER_NAMES.contains(&f.as_str())
                        || table::TEXT_NAMES.contains(&f.as_str())
                })
                .count()
        };
        if first.contains('\t') && known('\t') >= 1 {
            Format::Tsv
        } else if known(',') >= 1 && first.split(',').count() >= 2 {
            Format::Csv
        } else {
            Format::Text
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::Whisper => "whisper",
            Format::Convokit => "convokit",
            Format::Chat => "chat",
            Format::Otter => "otter",
        }
    }
}

/// An Otter speaker line: a name of at most 50 characters without a colon, two or more spaces (as
/// Otter writes them; prose rarely has them), and a time.
fn is_otter_header(line: &str) -> bool {
    let Some((name, time)) = line.rsplit_once("  ") else {
        return false;
    };
    let (name, time) = (name.trim_end(), time.trim());
    let time_ok = {
        let parts: Vec<&str> = time.split(':').collect();
        (2..=3).contains(&parts.len())
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()))
    };
    time_ok
        && !name.is_empty()
        && name.len() <= 50
        && !name.contains(':')
        && name.chars().any(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_spreadsheets_by_header() {
        assert_eq!(Format::sniff("session,speaker,text\n1,T,hi"), Format::Csv);
        assert_eq!(Format::sniff("speaker\ttext\nT\thi"), Format::Tsv);
        assert_eq!(Format::sniff("T: hi, how are you\nC: fine"), Format::Text);
    }

    #[test]
    fn sniffs_recording_formats() {
        assert_eq!(
            Format::sniff("WEBVTT\n\n00:01.000 --> 00:02.000\nhi"),
            Format::Vtt
        );
        assert_eq!(
            Format::sniff("1\n00:00:01,000 --> 00:00:02,000\nhi"),
            Format::Srt
        );
        assert_eq!(
            Format::sniff("Speaker 1  0:03\nHello there.\n"),
            Format::Otter
        );
        assert_eq!(Format::sniff("@UTF8\n@Begin\n"), Format::Chat);
        assert_eq!(Format::sniff("{\"segments\": [\n"), Format::Whisper);
        assert_eq!(
            Format::sniff("{\"id\": \"1\", \"text\": \"hi\"}\n{\"id\": \"2\", \"text\": \"yo\"}\n"),
            Format::Convokit
        );
    }

    #[test]
    fn txt_and_json_extensions_are_refined_by_content() {
        let otter = "Speaker 1  0:03\nHello there.\n";
        assert_eq!(Format::detect(Path::new("a.txt"), otter), Format::Otter);
        assert_eq!(
            Format::detect(Path::new("a.txt"), "T: hi\nC: hello\n"),
            Format::Text
        );
        assert_eq!(
            Format::detect(Path::new("u.json"), "{\"id\": 1}\n{\"id\": 2}\n"),
            Format::Convokit
        );
        assert_eq!(
            Format::detect(Path::new("w.json"), "{\"segments\": []}"),
            Format::Whisper
        );
        assert_eq!(Format::detect(Path::new("a.vtt"), "T: hi"), Format::Vtt);
        assert_eq!(Format::detect(Path::new("noext"), "WEBVTT\n"), Format::Vtt);
    }

    #[test]
    fn otter_headers() {
        assert!(is_otter_header("Speaker 1  0:03"));
        assert!(is_otter_header("Dr Amy Lee  1:02:03"));
        assert!(!is_otter_header("T: at 10:30"));
        assert!(!is_otter_header("I left at 10:30"));
    }
}
