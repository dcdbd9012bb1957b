//! One session's page: the summary in plain words, the timeline, and the transcript.

use super::{clock, colour, escape, legend, page, symbol};
use crate::detect::{Analysis, Family, Marker};
use crate::episode::{Episode, Resolution, Severity};
use crate::model::Role;
use crate::output::markers::evidence;
use std::fmt::Write;

/// What a marker means, in words a supervisor reads without the codebook.
fn meaning(marker: &str) -> &'static str {
    match marker {
        "minimal_response" => {
            "a short, non-committal reply to a turn that invited the client to say more"
        }
        "topic_shift" => "the client moved away from the topic of the turn they were answering",
        "dissatisfaction" => {
            "a complaint about, or rejection of, the practitioner, the work or its progress"
        }
        "denial" => "the client denied or played down a feeling or problem that had been named",
        "deferential" => "the client deferred or appeased instead of saying what they think",
        "hopelessness" => "the client said the work, or change, is hopeless",
        "repair" => "the practitioner tried to repair the strain",
        "practitioner_confrontation" => "the practitioner pushed back against the client",
        "practitioner_withdrawal" => {
            "the practitioner moved on straight after a client marker without taking it up"
        }
        _ => "a rupture marker",
    }
}

/// `minimal_response` -> `Minimal response`.
fn title(marker: &str) -> String {
    let mut s = marker.replace('_', " ");
    if let Some(c) = s.get(0..1) {
        s.replace_range(0..1, &c.to_uppercase());
    }
    s
}

/// When a turn happened: its start time, or its number.
fn when(a: &Analysis, turn: usize) -> String {
    match a.session.turns[turn].start {
        Some(t) => clock(t),
        None => format!("turn {}", a.session.turns[turn].index),
    }
}

/// The summary at the top: how many strains and ruptures, where, and what came of each.
pub fn summary(a: &Analysis, markers: &[Marker], episodes: &[Episode]) -> String {
    if episodes.is_empty() {
        let client = markers
            .iter()
            .filter(|m| m.family != Family::Repair && a.session.turns[m.turn].role == a.scored)
            .count();
        return match client {
            0 => "No strain or rupture found.".to_string(),
            n => format!(
                "No strain or rupture found ({n} isolated marker(s) below the episode rules)."
            ),
        };
    }
    let count = |s: Severity| episodes.iter().filter(|e| e.severity == s).count();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    for (s, w) in [(Severity::Strain, "strain"), (Severity::Rupture, "rupture")] {
        if count(s) > 0 {
            parts.push(plural(count(s), w));
        }
    }
    let mut out = format!("{}.", parts.join(", "));
    // Every episode in detail when there are few; otherwise the ruptures in detail and the strains
    // counted by outcome.
    let detail = |e: &&Episode| episodes.len() <= 3 || e.severity == Severity::Rupture;
    for e in episodes.iter().filter(detail) {
        let _ = write!(
            out,
            " {} {} ({}) at {}",
            title(e.severity.as_str()),
            e.id,
            e.family,
            when(a, e.first)
        );
        match (e.repair, e.resolution) {
            (Some(r), Resolution::Resolved) => {
                let _ = write!(out, ", repaired at {}, client re-engaged.", when(a, r));
            }
            (Some(r), _) => {
                let _ = write!(
                    out,
                    ", repair attempted at {}, client did not re-engage.",
                    when(a, r)
                );
            }
            (None, _) => out.push_str(", not repaired."),
        }
    }
    let rest: Vec<&Episode> = episodes.iter().filter(|e| !detail(e)).collect();
    if !rest.is_empty() {
        let by = |r: Resolution| rest.iter().filter(|e| e.resolution == r).count();
        let outcomes: Vec<String> = [
            (Resolution::Resolved, "resolved"),
            (
                Resolution::Unresolved,
                "repair attempted without re-engagement",
            ),
            (Resolution::Unrepaired, "not repaired"),
        ]
        .iter()
        .filter(|(r, _)| by(*r) > 0)
        .map(|(r, w)| format!("{} {w}", by(*r)))
        .collect();
        let _ = write!(out, " Strains: {}.", outcomes.join(", "));
    }
    out
}

/// Timeline geometry.
const WIDTH: f64 = 1000.0;
const LEFT: f64 = 90.0;
const LANE: f64 = 60.0;

/// The timeline: turn lengths of each side as bars, episodes as bands, markers as symbols that link
/// to their turn.
fn timeline(a: &Analysis, markers: &[Marker], episodes: &[Episode]) -> String {
    let turns = &a.session.turns;
    let n = turns.len().max(1);
    let timed = !turns.is_empty() && turns.iter().all(|t| t.start.is_some_and(f64::is_finite));
    // By time: from the first turn's start to the last turn's end (an end more than an hour after
    // its start is taken for a transcription error and ignored). By turn: 0 to n.
    let (t0, t1) = if timed {
        let starts = turns.iter().filter_map(|t| t.start);
        let t0 = starts.clone().fold(f64::INFINITY, f64::min);
        let t1 = turns
            .iter()
            .filter_map(|t| {
                let s = t.start?;
                Some(match t.end {
                    Some(e) if e.is_finite() && e >= s && e - s <= 3600.0 => e,
                    _ => s,
                })
            })
            .fold(t0, f64::max);
        (t0, t1.max(t0 + 1.0))
    } else {
        (0.0, n as f64)
    };
    let plot = WIDTH - LEFT - 24.0;
    let x = |i: usize| -> f64 {
        let v = if timed {
            turns[i].start.unwrap_or(t0)
        } else {
            i as f64
        };
        LEFT + ((v - t0) / (t1 - t0)).clamp(0.0, 1.0) * plot
    };
    let bar_w = (plot / n as f64 * 0.8).clamp(1.0, 12.0);
    let words: Vec<usize> = a.tokens.iter().map(|t| t.word_count()).collect();
    let most = words.iter().copied().max().unwrap_or(1).max(1) as f64;
    // Practitioner above the axis, client below.
    let axis = 44.0 + LANE;
    let height = axis + LANE + 40.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"timeline\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         aria-label=\"Timeline of the session\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (k, e) in episodes.iter().enumerate() {
        let (fill, label) = match e.severity {
            Severity::Rupture => ("#f3d6d6", "rupture"),
            Severity::Strain => ("#f6ecc9", "strain"),
        };
        let x0 = x(e.first) - bar_w;
        let x1 = if e.last + 1 < n {
            x(e.last + 1)
        } else {
            WIDTH - 10.0
        } + bar_w * 0.2;
        let near_end = x0 > WIDTH - 180.0;
        let _ = write!(
            s,
            "<g class=\"episode\" data-episode=\"{id}\" data-severity=\"{label}\" \
             data-resolution=\"{res}\"><a href=\"#t{turn}\"><rect x=\"{x0:.1}\" y=\"28\" \
             width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{fill}\"><title>{id}: {label}, {res}</title>\
             </rect><text x=\"{tx:.1}\" y=\"{ty}\"{anchor}>{id} {label} · {res}</text></a></g>",
            ty = if k % 2 == 0 { 11 } else { 24 },
            // Labels near the right edge end at the band's end instead of running off the page.
            tx = if near_end { x1 } else { x0 },
            anchor = if near_end { " text-anchor=\"end\"" } else { "" },
            id = e.id,
            res = e.resolution.as_str(),
            turn = turns[e.first].index,
            w = (x1 - x0).max(3.0),
            h = 2.0 * LANE + 32.0,
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{axis}\" y2=\"{axis}\" stroke=\"#999\"/>\
         <text x=\"4\" y=\"{}\">practitioner</text><text x=\"4\" y=\"{}\">client</text>",
        WIDTH - 10.0,
        axis - LANE / 2.0,
        axis + LANE / 2.0
    );
    for (i, t) in turns.iter().enumerate() {
        let h = words[i] as f64 / most * (LANE - 8.0);
        if h <= 0.0 {
            continue;
        }
        let (y, fill) = match t.role {
            Role::Therapist => (axis - h, "#9aa7b4"),
            _ => (axis, "#b39ddb"),
        };
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" height=\"{h:.1}\" fill=\"{fill}\"/>",
            x(i)
        );
    }
    for m in markers {
        let t = &turns[m.turn];
        let cx = x(m.turn) + bar_w / 2.0;
        let cy = match t.role {
            Role::Therapist => axis - LANE - 4.0,
            _ => axis + LANE + 6.0,
        };
        let shape = symbol(m.family, cx, cy);
        let _ = write!(
            s,
            "<a class=\"mark\" href=\"#t{n}\" data-marker=\"{m}\" data-turn=\"{n}\">{shape}\
             <title>{title} at {when}, score {score:.2}</title></a>",
            n = t.index,
            m = m.marker,
            title = title(m.marker),
            when = when(a, m.turn),
            score = m.finding.score
        );
    }
    // Axis labels: start and end.
    let (start, end) = if timed {
        (clock(t0), clock(t1))
    } else {
        ("turn 1".to_string(), format!("turn {n}"))
    };
    let _ = write!(
        s,
        "<text x=\"{LEFT}\" y=\"{}\">{start}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">\
         {end}</text></svg>",
        height - 4.0,
        WIDTH - 10.0,
        height - 4.0
    );
    s
}

/// The page of one session. `index_href` is the path from the page back to `index.html`.
pub fn session_page(
    a: &Analysis,
    markers: &[Marker],
    episodes: &[Episode],
    no_text: bool,
    index_href: &str,
) -> String {
    let session = a.session;
    let mut b = String::new();
    let _ = write!(
        b,
        "<p class=\"muted\"><a href=\"{}\">All sessions</a></p><h1>Session {}</h1>\
         <div class=\"summary\" id=\"summary\">{}</div>",
        escape(index_href),
        escape(&session.id),
        escape(&summary(a, markers, episodes))
    );
    let scored = a.scored;
    let _ = write!(
        b,
        "<p class=\"muted\">{} turns; markers are looked for in the turns of the {} role.{}</p>",
        session.turns.len(),
        scored,
        if no_text {
            " Transcript words left out (--no-text)."
        } else {
            ""
        }
    );
    b.push_str("<h2>Timeline</h2>");
    b.push_str(&timeline(a, markers, episodes));
    b.push_str(&legend());
    if !episodes.is_empty() {
        b.push_str(
            "<h2>Episodes</h2><table><thead><tr><th>Episode</th><th>Turns</th><th>From</th>\
             <th>Family</th><th>Severity</th><th>Salience (1-5)</th><th>Repair</th>\
             <th>Outcome</th></tr></thead><tbody>",
        );
        for e in episodes {
            let t = &session.turns;
            let _ =
                write!(
                b,
                "<tr><td><a href=\"#t{first}\">{id}</a></td><td>{first}–{last}</td><td>{from}</td>\
                 <td>{fam}</td><td>{sev}</td><td>{sal}</td><td>{rep}</td><td>{res}</td></tr>",
                id = e.id,
                first = t[e.first].index,
                last = t[e.last].index,
                from = when(a, e.first),
                fam = e.family,
                sev = e.severity.as_str(),
                sal = e.salience,
                rep = e.repair.map(|r| when(a, r)).unwrap_or_else(|| "none".into()),
                res = e.resolution.as_str(),
            );
        }
        b.push_str("</tbody></table>");
    }
    b.push_str("<h2>Transcript</h2>");
    for (i, t) in session.turns.iter().enumerate() {
        let here: Vec<&Marker> = markers.iter().filter(|m| m.turn == i).collect();
        let inside = episodes.iter().find(|e| (e.first..=e.last).contains(&i));
        let mut class = String::from("turn");
        if t.role == Role::Client {
            class.push_str(" client");
        }
        if !here.is_empty() {
            class.push_str(" marked");
        }
        if inside.is_some() {
            class.push_str(" inep");
        }
        let time = t.start.map(clock).unwrap_or_default();
        let words = if no_text {
            String::new()
        } else {
            escape(&t.text)
        };
        let _ = write!(
            b,
            "<div class=\"{class}\" id=\"t{n}\"><span class=\"n\">{n}</span><span class=\"time\">\
             {time}</span><span class=\"who\">{who}</span><span class=\"words\">{words}</span>",
            n = t.index,
            who = escape(&t.speaker),
        );
        for m in here {
            let cue = if no_text {
                String::new()
            } else {
                format!(" Words: “{}”.", escape(&evidence(a, m)))
            };
            let sub = m
                .finding
                .subtype
                .as_deref()
                .map(|s| format!(" ({})", escape(s)))
                .unwrap_or_default();
            let _ = write!(
                b,
                "<div class=\"note\" data-marker=\"{name}\" style=\"border-color:{c}\"><b>{title}{sub}</b>, \
                 {family}: {meaning}. Score {score:.2} (0 to 1); cue <code>{cue_id}</code>.{cue}</div>",
                name = m.marker,
                c = colour(m.family),
                title = title(m.marker),
                family = m.family.as_str(),
                meaning = meaning(m.marker),
                score = m.finding.score,
                cue_id = escape(&m.finding.cue),
            );
        }
        b.push_str("</div>");
    }
    page(&format!("rupture: session {}", session.id), &b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testing::{lexicon, rules, session};
    use crate::episode::episodes;

    /// Renders a session whose turns start 20 seconds apart from 10:00.
    fn render(lines: &[&str], no_text: bool) -> (String, String) {
        let mut s = session(lines);
        for (i, t) in s.turns.iter_mut().enumerate() {
            t.start = Some(600.0 + 20.0 * i as f64);
        }
        let a = Analysis::new(&s, lexicon(), rules());
        let m = a.detect(lexicon());
        let e = episodes(&a, &m, &rules().episodes);
        (
            summary(&a, &m, &e),
            session_page(&a, &m, &e, no_text, "index.html"),
        )
    }

    const STRAINED: &[&str] = &[
        "T: How did the week go with the diary we agreed on?",
        "C: This is pointless. We keep doing the same thing and nothing changes.",
        "T: You're right, I pushed the diary too hard and didn't ask what you wanted from today. I'm sorry. What would be more useful?",
        "C: Yes. I think I have wanted to say that for a while, honestly. I want us to look at the arguments at home instead of the diary, because that is where it goes wrong for me.",
        "T: Tell me more about the arguments.",
        "C: They start over small things, money mostly, and then it builds up and I end up walking out of the house.",
        "T: What happens just before you walk out?",
        "C: I go quiet at first, then I say something sharp, and we both dig in until one of us leaves the room.",
        "T: So the quiet comes first, and then the sharp words.",
        "C: Yes, and I think if I could say something while I am still quiet it would go differently for both of us.",
    ];

    #[test]
    fn summary_names_the_episode_its_time_and_outcome() {
        let (summary, _) = render(STRAINED, false);
        assert!(summary.contains("at 10:20"), "{summary}");
        assert!(summary.contains("confrontation"), "{summary}");
        // The repair's time; whether the client re-engaged is the episode rules' call (the
        // fixture session `repaired-and-resolved` shows the resolved wording end to end).
        assert!(summary.contains("repair attempted at 10:40"), "{summary}");
    }

    #[test]
    fn page_links_marks_to_turns_and_explains_them() {
        let (_, page) = render(STRAINED, false);
        assert!(page.contains("<a class=\"mark\" href=\"#t2\" data-marker=\"dissatisfaction\""));
        assert!(page.contains("id=\"t2\""));
        assert!(page.contains("class=\"episode\""));
        assert!(page.contains("This is pointless"));
        assert!(page.contains("<span class=\"time\">10:20</span>"));
    }

    #[test]
    fn no_text_leaves_every_word_out() {
        let (_, page) = render(STRAINED, true);
        for w in ["pointless", "diary", "arguments", "money"] {
            assert!(!page.contains(w), "{w} is on the page");
        }
        assert!(page.contains("data-marker=\"dissatisfaction\""));
    }

    #[test]
    fn a_timed_timeline_runs_from_the_first_turn_to_the_last() {
        let mut s = session(STRAINED);
        for (i, t) in s.turns.iter_mut().enumerate() {
            t.start = Some(3600.0 + 10.0 * i as f64);
            t.end = Some(if i == 0 {
                1e300
            } else {
                3609.0 + 10.0 * i as f64
            });
        }
        let a = Analysis::new(&s, lexicon(), rules());
        let m = a.detect(lexicon());
        let svg = timeline(&a, &m, &[]);
        // The absurd end of turn 1 is ignored: the axis ends at the last turn's end.
        assert!(svg.contains(">1:00:00</text>"), "{svg}");
        assert!(svg.contains(">1:01:39</text>"), "{svg}");
        // The first turn's bar starts at the left of the plot.
        assert!(svg.contains(&format!("<rect x=\"{LEFT:.1}\"")), "{svg}");
    }

    #[test]
    fn a_quiet_session_says_so() {
        let (summary, page) = render(
            &[
                "T: How have things been?",
                "C: Better, actually. I went back to the running club and slept well most nights.",
            ],
            false,
        );
        assert_eq!(summary, "No strain or rupture found.");
        assert!(!page.contains("class=\"episode\""));
    }
}
