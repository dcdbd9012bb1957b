//! Agreement figures: precision, recall and F1 of predicted against coded turns (with a tolerance in
//! turns for coders who mark a neighbouring turn), Cohen's kappa over every turn, and Spearman's rank
//! correlation of per-session counts.

use std::collections::BTreeSet;

/// Predicted turns matched one-to-one to coded turns at most `tolerance` turns away, nearest first.
/// Returns the predicted turns moved onto the coded turns they matched, and the number matched.
pub fn align(
    gold: &BTreeSet<usize>,
    predicted: &BTreeSet<usize>,
    tolerance: usize,
) -> (BTreeSet<usize>, usize) {
    let mut free: BTreeSet<usize> = gold.clone();
    let mut aligned = BTreeSet::new();
    let mut unmatched = Vec::new();
    // Exact hits first, so a tolerance never steals a coded turn from a prediction that hits it.
    for &p in predicted {
        if free.remove(&p) {
            aligned.insert(p);
        } else {
            unmatched.push(p);
        }
    }
    let mut tp = aligned.len();
    for p in unmatched {
        let lo = p.saturating_sub(tolerance);
        let nearest = free
            .range(lo..=p + tolerance)
            .min_by_key(|&&g| (g.abs_diff(p), g))
            .copied();
        match nearest {
            Some(g) if tolerance > 0 => {
                free.remove(&g);
                aligned.insert(g);
                tp += 1;
            }
            _ => {
                aligned.insert(p);
            }
        }
    }
    (aligned, tp)
}

/// A 2x2 table of turns: coded and predicted, coded only, predicted only, neither.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub both: usize,
    pub gold_only: usize,
    pub pred_only: usize,
    pub neither: usize,
}

impl Table {
    /// Adds one session's turns (`turns` of them) with the coded and the aligned predicted turns.
    pub fn add(&mut self, turns: usize, gold: &BTreeSet<usize>, predicted: &BTreeSet<usize>) {
        let both = gold.intersection(predicted).count();
        let gold_only = gold.len() - both;
        let pred_only = predicted.len() - both;
        self.both += both;
        self.gold_only += gold_only;
        self.pred_only += pred_only;
        self.neither += turns.saturating_sub(both + gold_only + pred_only);
    }

    /// Cohen's kappa, or `None` when chance agreement is total (e.g. nothing coded, nothing predicted).
    pub fn kappa(&self) -> Option<f64> {
        let n = (self.both + self.gold_only + self.pred_only + self.neither) as f64;
        if n == 0.0 {
            return None;
        }
        let po = (self.both + self.neither) as f64 / n;
        let gold_yes = (self.both + self.gold_only) as f64 / n;
        let pred_yes = (self.both + self.pred_only) as f64 / n;
        let pe = gold_yes * pred_yes + (1.0 - gold_yes) * (1.0 - pred_yes);
        if (1.0 - pe).abs() < 1e-12 {
            return None;
        }
        Some((po - pe) / (1.0 - pe))
    }
}

/// Precision, recall and F1 from counts; `None` where a denominator is zero.
pub fn prf(tp: usize, gold: usize, predicted: usize) -> (Option<f64>, Option<f64>, Option<f64>) {
    let p = (predicted > 0).then(|| tp as f64 / predicted as f64);
    let r = (gold > 0).then(|| tp as f64 / gold as f64);
    let f = match (p, r) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    };
    (p, r, f)
}

/// Spearman's rank correlation (ties get average ranks), or `None` when either side is constant.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(v: &[usize]) -> BTreeSet<usize> {
        v.iter().copied().collect()
    }

    #[test]
    fn exact_and_tolerant_matching() {
        assert_eq!(align(&set(&[3, 10]), &set(&[3, 11]), 0).1, 1);
        let (aligned, tp) = align(&set(&[3, 10]), &set(&[3, 11]), 1);
        assert_eq!((tp, aligned), (2, set(&[3, 10])));
        // One coded turn cannot be matched twice.
        assert_eq!(align(&set(&[5]), &set(&[4, 6]), 1).1, 1);
        // An exact hit keeps its coded turn even if a neighbour comes first.
        assert_eq!(align(&set(&[5, 6]), &set(&[5, 6]), 1).1, 2);
    }

    #[test]
    fn kappa_of_known_tables() {
        // Cohen's worked example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> kappa 0.4.
        let t = Table {
            both: 20,
            gold_only: 5,
            pred_only: 10,
            neither: 15,
        };
        assert!((t.kappa().unwrap() - 0.4).abs() < 1e-9);
        let perfect = Table {
            both: 3,
            gold_only: 0,
            pred_only: 0,
            neither: 7,
        };
        assert!((perfect.kappa().unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(
            Table {
                neither: 9,
                ..Table::default()
            }
            .kappa(),
            None
        );
    }

    #[test]
    fn table_counts_turns() {
        let mut t = Table::default();
        t.add(10, &set(&[1, 2]), &set(&[2, 3]));
        assert_eq!(
            t,
            Table {
                both: 1,
                gold_only: 1,
                pred_only: 1,
                neither: 7
            }
        );
    }

    #[test]
    fn precision_recall_f1() {
        let (p, r, f) = prf(3, 4, 6);
        assert_eq!((p, r), (Some(0.5), Some(0.75)));
        assert!((f.unwrap() - 0.6).abs() < 1e-9);
        assert_eq!(prf(0, 0, 0), (None, None, None));
        assert_eq!(prf(0, 2, 3).2, Some(0.0));
    }

    #[test]
    fn spearman_with_ties() {
        let s = spearman(&[1.0, 2.0, 3.0, 4.0], &[10.0, 20.0, 30.0, 40.0]).unwrap();
        assert!((s - 1.0).abs() < 1e-9);
        let s = spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap();
        assert!((s + 1.0).abs() < 1e-9);
        // ranks of [1, 1, 2] are [1.5, 1.5, 3].
        let s = spearman(&[1.0, 1.0, 2.0], &[1.0, 2.0, 3.0]).unwrap();
        assert!((s - 0.866_025_403_784_438_6).abs() < 1e-9, "{s}");
        assert_eq!(spearman(&[1.0, 1.0], &[1.0, 2.0]), None);
    }
}
