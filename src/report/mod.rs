//! The HTML report: `report/index.html`, the corpus at a glance, and one page per session with a
//! timeline, a plain-language summary and the transcript with every marked turn explained.
//!
//! Every page is self-contained (inline CSS, inline SVG, a few lines of inline script for sorting
//! the index) and refers to nothing on the network, so it can be opened offline and printed.

mod index;
mod rerun;
mod session;

pub use index::{index_page, IndexEntry};
pub use rerun::report;
pub use session::session_page;

use crate::detect::Family;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The page of a session, relative to `report/`: in `sessions/` (so no session's page can take the
/// place of `index.html`), at the markers file's path with `.html`.
pub fn page_path(id: &str) -> PathBuf {
    Path::new("sessions").join(crate::output::markers::markers_path(id).with_extension("html"))
}

/// The link from `index.html` to a session's page: each path segment percent-encoded, so ids with
/// `#`, `%`, `?` or spaces still lead to their file.
pub fn page_href(id: &str) -> String {
    page_path(id)
        .iter()
        .map(|seg| {
            let mut out = String::new();
            for b in seg.to_string_lossy().bytes() {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A time as `mm:ss` (`h:mm:ss` from an hour on), to find the moment in the recording.
pub fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).floor() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// The colour of a family, shared by the timeline symbols, the highlights and the legend.
fn colour(f: Family) -> &'static str {
    match f {
        Family::Withdrawal => "#2f6db5",
        Family::Confrontation => "#c0392b",
        Family::Repair => "#1e8449",
    }
}

/// The style shared by every page; the print rules keep the timeline and drop the sorting hints.
const STYLE: &str = "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#222;\
margin:0 auto;max-width:1100px;padding:1em 1.5em}h1{font-size:1.4em;margin:.3em 0}\
h2{font-size:1.1em;margin:1.2em 0 .4em}a{color:#1a4f8b}.muted{color:#666}\
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{padding:.25em .5em;\
border-bottom:1px solid #ddd;text-align:right;vertical-align:middle}th:first-child,\
td:first-child{text-align:left}th[data-sort]{cursor:pointer;user-select:none}\
th[data-sort]::after{content:' \\2195';color:#aaa}tfoot td{font-weight:600;border-top:2px solid #999}\
.summary{background:#f4f6f8;border-left:4px solid #5b7083;padding:.6em 1em;margin:.8em 0}\
.legend span{margin-right:1.2em;white-space:nowrap}.sym{display:inline-block;width:.8em;\
height:.8em;border-radius:50%;vertical-align:-.05em;margin-right:.3em}\
.turn{display:grid;grid-template-columns:3.2em 4.2em 8em 1fr;gap:.5em;padding:.3em .4em;\
border-bottom:1px solid #eee}.turn .n,.turn .time{color:#777;font-variant-numeric:tabular-nums}\
.turn .who{font-weight:600}.turn.client .who{color:#5b3c88}.turn.marked{background:#fff8e1}\
.turn:target{outline:2px solid #e0a800}.note{grid-column:2/5;font-size:.9em;border-left:3px solid;\
padding:.1em .6em;margin:.2em 0}.note b{font-weight:600}.inep{box-shadow:inset 4px 0 #e8c9c9}\
svg{max-width:100%;height:auto}svg text{font:11px sans-serif}\
.key{vertical-align:-.1em}.sym,.turn.marked,.inep,svg{print-color-adjust:exact;-webkit-print-color-adjust:exact}\
@media print{body{max-width:none}\
.turn{break-inside:avoid}th[data-sort]::after{content:''}a{color:inherit;text-decoration:none}}";

/// Script shared by every page: reports an error on the body (so a headless check can see it) and,
/// on the index, sorts the table by a clicked column.
const SCRIPT: &str = "window.addEventListener('error',function(e){document.body.setAttribute(\
'data-script-error',String(e.message));});(function(){var t=document.querySelector('table.sortable');\
if(t){t.querySelectorAll('th[data-sort]').forEach(function(th,i){th.addEventListener('click',\
function(){var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),col=th.cellIndex,\
num=th.getAttribute('data-sort')==='num',up=th.getAttribute('data-dir')!=='up';\
rows.sort(function(x,y){var a=x.cells[col].getAttribute('data-v')||x.cells[col].textContent,\
c=y.cells[col].getAttribute('data-v')||y.cells[col].textContent;var r=num?(parseFloat(a)-\
parseFloat(c)):a.localeCompare(c,undefined,{numeric:true});return up?r:-r;});th.setAttribute('data-dir',up?'up':'down');\
rows.forEach(function(r){b.appendChild(r);});});});}document.body.setAttribute('data-script','ok');})();";

/// Wraps a page body in the document shell.
fn page(title: &str, body: &str) -> String {
    let mut s = String::with_capacity(body.len() + STYLE.len() + SCRIPT.len() + 300);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n\
         <script>{SCRIPT}</script>\n</body>\n</html>\n",
        escape(title)
    );
    s
}

/// The SVG symbol of a family centred on (`cx`, `cy`): circle withdrawal, triangle confrontation,
/// diamond repair, so the families differ in shape as well as colour (and in print).
fn symbol(f: Family, cx: f64, cy: f64) -> String {
    let c = colour(f);
    match f {
        Family::Withdrawal => {
            format!("<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"5\" fill=\"{c}\"/>")
        }
        Family::Confrontation => format!(
            "<path d=\"M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z\" fill=\"{c}\"/>",
            cx,
            cy - 6.0,
            cx + 6.0,
            cy + 5.0,
            cx - 6.0,
            cy + 5.0
        ),
        Family::Repair => format!(
            "<path d=\"M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z\" fill=\"{c}\"/>",
            cx,
            cy - 6.0,
            cx + 6.0,
            cy,
            cx,
            cy + 6.0,
            cx - 6.0,
            cy
        ),
    }
}

/// The legend of marker symbols and episode bands.
fn legend() -> String {
    let mut s = String::from("<p class=\"legend\">");
    for (f, shape) in [
        (Family::Withdrawal, "withdrawal (client)"),
        (
            Family::Confrontation,
            "confrontation (client or practitioner)",
        ),
        (Family::Repair, "repair (practitioner)"),
    ] {
        let _ = write!(
            s,
            "<span><svg class=\"key\" width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" \
             xmlns=\"http://www.w3.org/2000/svg\">{}</svg> {shape}</span>",
            symbol(f, 7.0, 7.5)
        );
    }
    s.push_str(
        "<span><i class=\"sym\" style=\"background:#f3d6d6;border-radius:0\"></i>rupture</span>\
         <span><i class=\"sym\" style=\"background:#f6ecc9;border-radius:0\"></i>strain</span></p>",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<b>\"Tom\" & 'Jo'</b>"),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jo&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn clock_is_minutes_and_seconds_then_hours() {
        assert_eq!(clock(0.0), "00:00");
        assert_eq!(clock(872.6), "14:32");
        assert_eq!(clock(3725.0), "1:02:05");
    }

    #[test]
    fn page_path_follows_the_markers_path() {
        assert_eq!(
            page_path("site1/s004"),
            PathBuf::from("sessions/site1/s004.html")
        );
        assert_eq!(page_path("a:b"), PathBuf::from("sessions/a_b.html"));
        assert_eq!(page_path("index"), PathBuf::from("sessions/index.html"));
    }

    #[test]
    fn page_href_encodes_what_a_browser_would_misread() {
        assert_eq!(page_href("site1/s004"), "sessions/site1/s004.html");
        assert_eq!(page_href("a#b"), "sessions/a%23b.html");
        assert_eq!(page_href("p%41q r"), "sessions/p%2541q%20r.html");
        assert_eq!(page_href("é"), "sessions/%C3%A9.html");
    }
}
