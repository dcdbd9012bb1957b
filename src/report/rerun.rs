//! `rupture report OUT_DIR`: the report of a finished `score` run. The pages need every turn, which
//! the CSVs do not hold, so the run's transcripts are read and scored again with the options and
//! rules its run.json recorded, into a scratch folder; only the `report/` folder is kept. The run
//! must come out as it was (same lexicon, the same sessions.csv), or the report would not describe it.

use crate::config::ScoreConfig;
use anyhow::{bail, Context, Result};
use std::path::Path;

/// Writes `out/report/` for the run in `out`; returns the number of session pages.
pub fn report(out: &Path, threads: Option<u16>) -> Result<usize> {
    let path = out.join("run.json");
    let (run, mut cfg) = ScoreConfig::from_run(out, threads)?;
    let scratch = tempfile::Builder::new()
        .prefix(".rupture-report-")
        .tempdir_in(out)
        .with_context(|| format!("cannot write in {}", out.display()))?;
    cfg.out = scratch.path().to_path_buf();
    cfg.report = true;
    cfg.quiet = true;
    if run["lexicon"]["sha256"].as_str() != Some(cfg.lexicon.sha256.as_str()) {
        bail!(
            "the lexicons of the run ({}) have changed since it was scored; score again with --report",
            cfg.lexicon_source
        );
    }
    let outcome = crate::app::score(&cfg)?;
    // The sessions table holds every session's counts: if the run's transcripts read again give
    // another table, they are not the transcripts the run scored.
    let now = std::fs::read(scratch.path().join("sessions.csv"))?;
    let then = std::fs::read(out.join("sessions.csv"))
        .with_context(|| format!("cannot read {}", out.join("sessions.csv").display()))?;
    if now != then {
        let counted = |b: &[u8]| b.iter().filter(|&&c| c == b'\n').count().saturating_sub(1);
        bail!(
            "the run's transcripts, read again, do not give the run's sessions.csv ({} session(s) \
             now, {} then): they have changed, or relative paths in {} are read from another \
             folder; run report from the folder the run was made in, or score again with --report",
            counted(&now),
            counted(&then),
            path.display()
        );
    }
    // The new report replaces the old one only once it is complete; the old one is set aside
    // first, and put back if the new one cannot be moved in.
    let target = out.join("report");
    let aside = scratch.path().join("previous-report");
    if target.exists() {
        std::fs::rename(&target, &aside)
            .with_context(|| format!("cannot replace {}", target.display()))?;
    }
    if let Err(e) = std::fs::rename(scratch.path().join("report"), &target) {
        if aside.exists() {
            let _ = std::fs::rename(&aside, &target);
        }
        return Err(e).with_context(|| format!("cannot write {}", target.display()));
    }
    Ok(outcome.sessions)
}
