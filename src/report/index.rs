//! `report/index.html`: one sortable row per session with a strip of where its markers fell, and
//! the totals.

use super::{colour, escape, legend, page, page_href};
use crate::detect::{Analysis, Family, Marker};
use crate::episode::{Episode, Resolution, Severity};
use std::fmt::Write;

/// What the index shows of one session; small, so a whole corpus's rows fit in memory.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexEntry {
    pub id: String,
    pub turns: usize,
    pub scored_turns: usize,
    /// Client-side markers (withdrawal and confrontation on the scored role).
    pub client_markers: usize,
    pub repairs: usize,
    pub episodes: usize,
    pub ruptures: usize,
    pub unrepaired: usize,
    /// Where markers fell, as (position in the session 0..1, family).
    pub marks: Vec<(f32, Family)>,
}

impl IndexEntry {
    pub fn new(a: &Analysis, markers: &[Marker], episodes: &[Episode]) -> IndexEntry {
        let n = a.session.turns.len().max(1) as f32;
        IndexEntry {
            id: a.session.id.clone(),
            turns: a.session.turns.len(),
            scored_turns: a
                .session
                .turns
                .iter()
                .filter(|t| t.role == a.scored)
                .count(),
            client_markers: markers
                .iter()
                .filter(|m| m.family != Family::Repair && a.session.turns[m.turn].role == a.scored)
                .count(),
            repairs: markers
                .iter()
                .filter(|m| m.family == Family::Repair)
                .count(),
            episodes: episodes.len(),
            ruptures: episodes
                .iter()
                .filter(|e| e.severity == Severity::Rupture)
                .count(),
            unrepaired: episodes
                .iter()
                .filter(|e| e.resolution == Resolution::Unrepaired)
                .count(),
            marks: markers
                .iter()
                .map(|m| ((m.turn as f32 + 0.5) / n, m.family))
                .collect(),
        }
    }

    /// Client markers per 100 scored turns.
    fn rate(&self) -> f64 {
        if self.scored_turns == 0 {
            0.0
        } else {
            100.0 * self.client_markers as f64 / self.scored_turns as f64
        }
    }
}

/// The strip of one session: a line from start to end, a tick per marker.
fn strip(e: &IndexEntry) -> String {
    let mut s = String::from(
        "<svg class=\"strip\" viewBox=\"0 0 200 16\" width=\"200\" height=\"16\" \
         xmlns=\"http://www.w3.org/2000/svg\"><line x1=\"0\" x2=\"200\" y1=\"8\" y2=\"8\" \
         stroke=\"#ccc\"/>",
    );
    for (p, f) in &e.marks {
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"2\" width=\"3\" height=\"12\" fill=\"{}\"/>",
            (p * 197.0).clamp(0.0, 197.0),
            colour(*f)
        );
    }
    s.push_str("</svg>");
    s
}

/// The number cells of a row, from turns to repairs.
fn cells(e: &IndexEntry) -> String {
    format!(
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td><td>{}</td>",
        e.turns,
        e.episodes,
        e.ruptures,
        e.unrepaired,
        e.client_markers,
        e.rate(),
        e.repairs
    )
}

/// The index page. `entries` in the order to show them (by session id).
pub fn index_page(entries: &[IndexEntry], no_text: bool) -> String {
    let mut b = String::from("<h1>rupture report</h1>");
    let sum = |f: &dyn Fn(&IndexEntry) -> usize| entries.iter().map(f).sum::<usize>();
    // The totals, as one entry over all sessions.
    let all = IndexEntry {
        id: String::new(),
        turns: sum(&|e| e.turns),
        scored_turns: sum(&|e| e.scored_turns),
        client_markers: sum(&|e| e.client_markers),
        repairs: sum(&|e| e.repairs),
        episodes: sum(&|e| e.episodes),
        ruptures: sum(&|e| e.ruptures),
        unrepaired: sum(&|e| e.unrepaired),
        marks: Vec::new(),
    };
    let _ = write!(
        b,
        "<div class=\"summary\">{} session(s): {} episode(s), {} rupture(s), {} unrepaired; {} client \
         marker(s) and {} repair(s). Click a column heading to sort; click a session to open it.{}</div>",
        entries.len(),
        all.episodes,
        all.ruptures,
        all.unrepaired,
        all.client_markers,
        all.repairs,
        if no_text {
            " Transcript words left out (--no-text)."
        } else {
            ""
        }
    );
    b.push_str(&legend());
    b.push_str(
        "<table class=\"sortable\" id=\"sessions\"><thead><tr><th data-sort=\"text\">Session</th>\
         <th data-sort=\"num\">Turns</th><th data-sort=\"num\">Episodes</th>\
         <th data-sort=\"num\">Ruptures</th><th data-sort=\"num\">Unrepaired</th>\
         <th data-sort=\"num\">Client markers</th><th data-sort=\"num\">per 100 client turns</th>\
         <th data-sort=\"num\">Repairs</th><th>Where markers fell</th></tr></thead><tbody>",
    );
    for e in entries {
        let href = page_href(&e.id);
        let _ = write!(
            b,
            "<tr data-session=\"{id}\"><td><a href=\"{href}\">{id}</a></td>{}<td>{}</td></tr>",
            cells(e),
            strip(e),
            id = escape(&e.id),
            href = escape(&href),
        );
    }
    let _ = write!(
        b,
        "</tbody><tfoot><tr><td>All {} session(s)</td>{}<td></td></tr></tfoot></table>",
        entries.len(),
        cells(&all)
    );
    page("rupture report", &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, ruptures: usize) -> IndexEntry {
        IndexEntry {
            id: id.into(),
            turns: 40,
            scored_turns: 20,
            client_markers: 3,
            repairs: 1,
            episodes: 2,
            ruptures,
            unrepaired: 1,
            marks: vec![(0.25, Family::Withdrawal), (0.5, Family::Confrontation)],
        }
    }

    #[test]
    fn one_row_per_session_linked_to_its_page_and_totals() {
        let page = index_page(&[entry("site1/s1", 1), entry("s<2>", 0)], false);
        assert!(page.contains("<a href=\"sessions/site1/s1.html\">site1/s1</a>"));
        assert!(page.contains("s&lt;2&gt;"));
        assert_eq!(page.matches("<tr data-session=").count(), 2);
        // 3 of 20 client turns in each session: 15.0 per 100.
        assert!(page.contains("<td>15.0</td>"));
        assert!(page.contains(
            "<td>All 2 session(s)</td><td>80</td><td>4</td><td>1</td><td>2</td><td>6</td>"
        ));
        assert_eq!(page.matches("<rect x=").count(), 4);
    }
}
