//! `run.json`: the record of a run, so a paper can state exactly what produced its numbers: the tool
//! version, the lexicon set's id, version and hashes, every option, and the counts. It is the only
//! output that holds a date and time.

use crate::output::sessions::EpisodeCounts;
use serde::Serialize;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Serialize)]
pub struct RunRecord {
    pub tool: &'static str,
    pub version: &'static str,
    pub command: &'static str,
    pub started: String,
    pub elapsed_seconds: f64,
    pub lexicon: LexiconRecord,
    pub options: serde_json::Value,
    pub counts: Counts,
}

#[derive(Debug, Serialize)]
pub struct LexiconRecord {
    pub id: String,
    pub version: String,
    /// `embedded` or the folder given with `--lexicons`.
    pub source: String,
    pub sha256: String,
    pub files: Vec<FileHash>,
}

#[derive(Debug, Serialize)]
pub struct FileHash {
    pub name: String,
    pub sha256: String,
}

#[derive(Debug, Serialize)]
pub struct Counts {
    pub files: usize,
    pub files_ok: usize,
    pub files_failed: usize,
    pub sessions: usize,
    pub sessions_failed: usize,
    pub warnings: usize,
    /// Markers found, per marker (keys in alphabetical order).
    pub markers: serde_json::Map<String, serde_json::Value>,
    /// Episodes over the whole run.
    pub episodes: EpisodeCounts,
}

impl RunRecord {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("a run record serialises");
        v.push(b'\n');
        v
    }
}

/// `t` as an RFC 3339 UTC timestamp (seconds precision).
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a (year, month, day) date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats_dates() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        assert_eq!(rfc3339(t), "2026-11-18T11:06:40Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00Z");
    }
}
