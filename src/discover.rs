//! Finding the transcript files among the command line's inputs: files as given, folders searched
//! recursively in name order, hidden files, the output folder and earlier runs' output folders
//! skipped, and every input that cannot be read reported rather than silently passed over.

use crate::input::Format;
use crate::output::errors::ErrorRow;
use std::path::{Component, Path, PathBuf};

/// One transcript file to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// Session id for one-session formats: the path relative to the INPUT folder without
    /// extension, or the file stem for a file INPUT.
    pub id: String,
}

/// Finds the transcript files among the inputs, in order; reports inputs that cannot be read.
pub fn discover(
    inputs: &[PathBuf],
    skip: Option<&Path>,
    format: Format,
) -> (Vec<InputFile>, Vec<ErrorRow>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for found in Discovery::new(inputs, skip, format) {
        match found {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    (files, errors)
}

type Walk = Box<dyn Iterator<Item = walkdir::Result<walkdir::DirEntry>>>;

/// The transcript files among the inputs, found lazily in order (a corpus of any size is never
/// listed in memory at once), with an error for each input or entry that cannot be read.
pub struct Discovery {
    inputs: Vec<PathBuf>,
    /// The next input to start on.
    next: usize,
    skip: Option<PathBuf>,
    format: Format,
    /// The folder being walked, its walk, and how many files it has given.
    current: Option<(PathBuf, Walk, usize)>,
}

impl Discovery {
    pub fn new(inputs: &[PathBuf], skip: Option<&Path>, format: Format) -> Discovery {
        Discovery {
            inputs: inputs.to_vec(),
            next: 0,
            skip: skip.map(Path::to_path_buf),
            format,
            current: None,
        }
    }

    /// Starts on the next input: a file is returned, a folder's walk begins.
    fn next_input(&mut self) -> Option<Result<InputFile, ErrorRow>> {
        let input = self.inputs.get(self.next)?.clone();
        self.next += 1;
        let meta = match std::fs::metadata(&input) {
            Ok(m) => m,
            Err(e) => {
                return Some(Err(ErrorRow {
                    path: input.display().to_string(),
                    line: None,
                    reason: format!("cannot read this input: {e}; check the path"),
                }))
            }
        };
        if !meta.is_dir() && !meta.is_file() {
            // A pipe or device would block or never end; only files are read.
            return Some(Err(ErrorRow {
                path: input.display().to_string(),
                line: None,
                reason: "not a regular file or folder; give transcript files or folders".into(),
            }));
        }
        if !meta.is_dir() {
            let id = input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| input.display().to_string());
            return Some(Ok(InputFile { path: input, id }));
        }
        let skip = self.skip.clone();
        let walk = walkdir::WalkDir::new(&input)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(move |e| {
                e.depth() == 0
                    || (!e.file_name().to_string_lossy().starts_with('.')
                        && !(e.file_type().is_dir()
                            && (skip.as_deref().is_some_and(|s| {
                                e.path().canonicalize().ok().as_deref() == Some(s)
                            }) || is_output_folder(e.path()))))
            });
        self.current = Some((input, Box::new(walk), 0));
        None
    }
}

impl Iterator for Discovery {
    type Item = Result<InputFile, ErrorRow>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let Some((input, walk, given)) = self.current.as_mut() else {
                if self.next == self.inputs.len() {
                    return None;
                }
                match self.next_input() {
                    Some(found) => return Some(found),
                    None => continue,
                }
            };
            let entry = match walk.next() {
                Some(Ok(entry)) => entry,
                Some(Err(e)) => {
                    let path = e
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| input.display().to_string());
                    let reason = if e.loop_ancestor().is_some() {
                        "a symbolic link loops back to a folder above it; remove the link"
                            .to_string()
                    } else {
                        format!(
                            "cannot read: {}",
                            e.io_error().map_or(e.to_string(), |io| io.to_string())
                        )
                    };
                    return Some(Err(ErrorRow {
                        path,
                        line: None,
                        reason,
                    }));
                }
                None => {
                    let (input, _, given) = self.current.take().expect("walking a folder");
                    if given == 0 {
                        return Some(Err(ErrorRow {
                            path: input.display().to_string(),
                            line: None,
                            reason: "no transcript files (.txt, .csv, .tsv, .vtt, .srt, .json, \
                                     .jsonl, .cha) in this folder; give --format to read other \
                                     files as transcripts"
                                .into(),
                        }));
                    }
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            if self.format == Format::Auto && Format::from_extension(path).is_none() {
                continue;
            }
            *given += 1;
            return Some(Ok(InputFile {
                path: path.to_path_buf(),
                id: relative_id(input, path),
            }));
        }
    }
}

/// Whether `dir` is the output folder of an earlier run (it has a run.json written by this tool),
/// whose CSV and JSON files are not transcripts.
fn is_output_folder(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("run.json"))
        .map(|s| s.contains("\"tool\": \"rupture\""))
        .unwrap_or(false)
}

/// `path` relative to `root`, without extension, with `/` separators.
fn relative_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path).with_extension("");
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_relative_paths_without_extension() {
        assert_eq!(
            relative_id(Path::new("in"), Path::new("in/site1/s004.txt")),
            "site1/s004"
        );
        assert_eq!(
            relative_id(Path::new("in/"), Path::new("in/a.b.txt")),
            "a.b"
        );
    }
}
