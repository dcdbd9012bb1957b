//! `rupture merge`: combines the output folders of shard runs (`--shard K/N`) into one, exactly as a
//! single run would have written it: markers and episodes files side by side, `sessions.csv` rows in
//! id order, `errors.csv` rows in path order, and a run record with the counts summed. Shards run with
//! a different tool version, lexicon or options (other than the shard, the output folder and the
//! thread count) are refused, since their numbers would not belong together.

use crate::output::write_atomic;
use anyhow::{bail, Context, Result};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Options that may differ between shards of one run.
const PER_SHARD: &[&str] = &["shard", "out", "threads"];

/// Merges `shards` into `out`. Returns the number of sessions merged.
pub fn merge(shards: &[PathBuf], out: &Path) -> Result<usize> {
    if shards.is_empty() {
        bail!("give the output folders of the shard runs to merge");
    }
    let records: Vec<Value> = shards
        .iter()
        .map(|d| read_record(d))
        .collect::<Result<_>>()?;
    let first = &records[0];
    for (dir, r) in shards.iter().zip(&records).skip(1) {
        for key in ["version"] {
            if r[key] != first[key] {
                bail!(
                    "{} was made by rupture {} and {} by {}; merge shards of one version",
                    dir.display(),
                    r[key],
                    shards[0].display(),
                    first[key]
                );
            }
        }
        if r["lexicon"]["sha256"] != first["lexicon"]["sha256"] {
            bail!("{} used another lexicon set than {} (sha256 differs); merge shards run with the same lexicons", dir.display(), shards[0].display());
        }
        let (a, b) = (shared_options(first), shared_options(r));
        if a != b {
            let differs: Vec<&String> = a
                .keys()
                .chain(b.keys())
                .filter(|k| a.get(*k) != b.get(*k))
                .collect();
            bail!(
                "{} was run with other options than {} ({}); merge shards of one run",
                dir.display(),
                shards[0].display(),
                differs
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }

    for folder in ["markers", "episodes"] {
        std::fs::create_dir_all(out.join(folder))
            .with_context(|| format!("cannot create {}", out.join(folder).display()))?;
        for dir in shards {
            copy_tree(&dir.join(folder), &out.join(folder))?;
        }
    }

    let (header, mut sessions) = read_rows(shards, "sessions.csv")?;
    sessions.sort_by(|a, b| a[0].cmp(&b[0]));
    let (error_header, mut errors) = read_rows(shards, "errors.csv")?;
    errors.sort_by(|a, b| {
        let key = |r: &Vec<String>| (r[0].clone(), r[1].parse::<usize>().ok(), r[2].clone());
        key(a).cmp(&key(b))
    });
    write_atomic(&out.join("sessions.csv"), &csv_of(&header, &sessions))
        .context("cannot write sessions.csv")?;
    write_atomic(&out.join("errors.csv"), &csv_of(&error_header, &errors))
        .context("cannot write errors.csv")?;

    let mut record = first.clone();
    record["command"] = Value::from("merge");
    record["started"] = Value::from(crate::output::run::rfc3339(std::time::SystemTime::now()));
    record["options"]["out"] = Value::from(out.display().to_string());
    record["options"]["shard"] = Value::Null;
    record["merged"] = Value::from(
        shards
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>(),
    );
    let sum = |path: &[&str]| -> Value {
        let total: u64 = records
            .iter()
            .map(|r| path.iter().fold(r, |v, k| &v[*k]).as_u64().unwrap_or(0))
            .sum();
        Value::from(total)
    };
    for key in ["files_failed", "sessions", "sessions_failed", "warnings"] {
        record["counts"][key] = sum(&["counts", key]);
    }
    let files = first["counts"]["files"].as_u64().unwrap_or(0);
    let failed = record["counts"]["files_failed"].as_u64().unwrap_or(0);
    record["counts"]["files_ok"] = Value::from(files.saturating_sub(failed));
    for group in ["markers", "episodes"] {
        let keys: Vec<String> = first["counts"][group]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for k in keys {
            record["counts"][group][&k] = sum(&["counts", group, &k]);
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&record).expect("a run record serialises");
    bytes.push(b'\n');
    write_atomic(&out.join("run.json"), &bytes).context("cannot write run.json")?;
    Ok(sessions.len())
}

fn read_record(dir: &Path) -> Result<Value> {
    let path = dir.join("run.json");
    let record: Value = serde_json::from_slice(&std::fs::read(&path).with_context(|| {
        format!(
            "cannot read {}; give output folders of `rupture score`",
            path.display()
        )
    })?)
    .with_context(|| format!("{} is not valid JSON", path.display()))?;
    if record["tool"] != "rupture" {
        bail!("{} was not written by rupture", path.display());
    }
    Ok(record)
}

fn shared_options(record: &Value) -> Map<String, Value> {
    let mut o = record["options"].as_object().cloned().unwrap_or_default();
    for k in PER_SHARD {
        o.remove(*k);
    }
    o
}

/// The header (which must agree) and the rows of one CSV file of every shard.
fn read_rows(shards: &[PathBuf], name: &str) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for dir in shards {
        let path = dir.join(name);
        let mut reader = csv::Reader::from_path(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let h: Vec<String> = reader.headers()?.iter().map(String::from).collect();
        match &header {
            Some(first) if *first != h => bail!(
                "{} has other columns than the first shard's",
                path.display()
            ),
            Some(_) => {}
            None => header = Some(h),
        }
        for r in reader.records() {
            rows.push(
                r.with_context(|| format!("cannot read {}", path.display()))?
                    .iter()
                    .map(String::from)
                    .collect(),
            );
        }
    }
    Ok((header.unwrap_or_default(), rows))
}

fn csv_of(header: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    crate::output::csv_bytes(&header, rows.iter())
}

/// Copies every file under `from` to the same place under `to`; a file already there means a
/// session came from two shards.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    if !from.exists() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(from)
            .expect("walkdir stays under its root");
        let target = to.join(rel);
        if target.exists() {
            bail!(
                "{} is in two shards; merge the outputs of one sharded run",
                rel.display()
            );
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::copy(entry.path(), &target)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}
