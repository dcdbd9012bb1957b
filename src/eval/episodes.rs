//! Episode-level agreement: a coded episode counts as found when a predicted episode of the same
//! session overlaps it (shares a turn), and a predicted episode is right when it overlaps a coded
//! one. For each coded episode matched, severity and resolution are compared, with Cohen's kappa.

use super::Row;
use anyhow::{Context, Result};
use std::collections::BTreeSet;
use std::path::Path;

/// An episode, coded or predicted.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub session: String,
    pub first: usize,
    pub last: usize,
    pub severity: String,
    pub resolution: String,
}

impl Span {
    fn overlaps(&self, o: &Span) -> bool {
        self.session == o.session && self.first <= o.last && o.first <= self.last
    }
}

/// Reads episodes from a CSV with `session`, `first_turn`, `last_turn`, `severity` and `resolution`
/// columns (a coded episodes file, or an `episodes/<session>.csv` that `score` wrote).
pub fn read_spans(path: &Path) -> Result<Vec<Span>> {
    let shown = path.display();
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {shown}"))?;
    let header = reader.headers()?.clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .with_context(|| format!("{shown}:1: no '{name}' column"))
    };
    let (s, f, l, sev, res) = (
        col("session")?,
        col("first_turn")?,
        col("last_turn")?,
        col("severity")?,
        col("resolution")?,
    );
    let mut out = Vec::new();
    for r in reader.records() {
        let r = r.with_context(|| format!("cannot read {shown}"))?;
        let line = r.position().map_or(0, |p| p.line());
        let num = |i: usize| -> Result<usize> {
            r.get(i)
                .and_then(|v| v.trim().parse().ok())
                .with_context(|| {
                    format!("{shown}:{line}: a turn number is missing or not a number")
                })
        };
        out.push(Span {
            session: r.get(s).unwrap_or("").trim().to_string(),
            first: num(f)?,
            last: num(l)?,
            severity: r.get(sev).unwrap_or("").trim().to_string(),
            resolution: r.get(res).unwrap_or("").trim().to_string(),
        });
    }
    Ok(out)
}

/// Cohen's kappa over paired category labels, or `None` when chance agreement is total.
pub fn categorical_kappa(pairs: &[(String, String)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let labels: BTreeSet<&String> = pairs.iter().flat_map(|(a, b)| [a, b]).collect();
    let po = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let pe: f64 = labels
        .iter()
        .map(|l| {
            let a = pairs.iter().filter(|(x, _)| x == *l).count() as f64 / n;
            let b = pairs.iter().filter(|(_, y)| y == *l).count() as f64 / n;
            a * b
        })
        .sum();
    ((1.0 - pe).abs() > 1e-12).then(|| (po - pe) / (1.0 - pe))
}

/// The episode rows: detection by overlap, then agreement on severity and resolution.
pub fn compare(system: &str, gold: &[Span], predicted: &[Span]) -> Vec<Row> {
    let found = gold
        .iter()
        .filter(|g| predicted.iter().any(|p| p.overlaps(g)))
        .count();
    let right = predicted
        .iter()
        .filter(|p| gold.iter().any(|g| g.overlaps(p)))
        .count();
    let precision = (!predicted.is_empty()).then(|| right as f64 / predicted.len() as f64);
    let recall = (!gold.is_empty()).then(|| found as f64 / gold.len() as f64);
    let f1 = match (precision, recall) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    };
    let mut rows = vec![Row {
        system: system.to_string(),
        marker: "episode".into(),
        gold: gold.len(),
        predicted: predicted.len(),
        tp: found,
        precision,
        recall,
        f1,
        kappa: None,
        spearman: None,
    }];
    let matched: Vec<(&Span, &Span)> = gold
        .iter()
        .filter_map(|g| predicted.iter().find(|p| p.overlaps(g)).map(|p| (g, p)))
        .collect();
    for (name, field) in [
        (
            "episode_severity",
            (|s: &Span| s.severity.clone()) as fn(&Span) -> String,
        ),
        ("episode_resolution", |s: &Span| s.resolution.clone()),
    ] {
        let pairs: Vec<(String, String)> =
            matched.iter().map(|(g, p)| (field(g), field(p))).collect();
        let agree = pairs.iter().filter(|(a, b)| a == b).count();
        let share = (!pairs.is_empty()).then(|| agree as f64 / pairs.len() as f64);
        rows.push(Row {
            system: system.to_string(),
            marker: name.into(),
            gold: pairs.len(),
            predicted: pairs.len(),
            tp: agree,
            precision: share,
            recall: share,
            f1: share,
            kappa: categorical_kappa(&pairs),
            spearman: None,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(session: &str, first: usize, last: usize, sev: &str, res: &str) -> Span {
        Span {
            session: session.into(),
            first,
            last,
            severity: sev.into(),
            resolution: res.into(),
        }
    }

    #[test]
    fn overlap_counts_as_found() {
        let gold = [
            span("a", 10, 14, "rupture", "resolved"),
            span("a", 40, 40, "strain", "unrepaired"),
        ];
        let pred = [
            span("a", 12, 20, "rupture", "unresolved"),
            span("b", 10, 14, "strain", "unrepaired"),
        ];
        let rows = compare("rupture", &gold, &pred);
        assert_eq!(
            (rows[0].tp, rows[0].precision, rows[0].recall),
            (1, Some(0.5), Some(0.5))
        );
        assert_eq!((rows[1].gold, rows[1].tp), (1, 1));
        assert_eq!((rows[2].gold, rows[2].tp), (1, 0));
    }

    #[test]
    fn kappa_over_categories() {
        let p = |a: &str, b: &str| (a.to_string(), b.to_string());
        let pairs = [p("x", "x"), p("y", "y"), p("x", "y"), p("y", "y")];
        // po = 0.75, pe = 0.5*0.25 + 0.5*0.75 = 0.5, kappa = 0.5.
        assert!((categorical_kappa(&pairs).unwrap() - 0.5).abs() < 1e-9);
        assert_eq!(categorical_kappa(&[p("x", "x")]), None);
    }
}
