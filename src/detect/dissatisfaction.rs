//! `dissatisfaction` (confrontation): complaint, irritation or rejection aimed at the practitioner, the
//! work, its parameters or its progress, or rejection of an intervention.
//!
//! Two kinds of lexicon evidence:
//! - complaint phrases that are aimed at the work by their wording ("you're not listening", "I've tried
//!   that"). A third party named in the same clause ("she says it isn't helping") scales them down by
//!   its weight. A rejection ("I've tried that", "yeah, but") counts in full only when it answers a
//!   proposal, `rules.dissatisfaction.rejection_elsewhere` of it otherwise.
//! - negative evaluations ("pointless", "kind of annoying") that are complaints only when aimed at the
//!   work: the nearest target or third party named in the same sentence decides; failing one, a
//!   deictic ("this", "that") does, more so when the practitioner just proposed something or named
//!   the work; and an evaluation
//!   with no target at all is scaled by `rules.dissatisfaction.no_target` (more in the same context as a deictic).
//!
//! Negators, hedges, boosters and contrast are applied by the lexicon matcher.

use super::context::invitation;
use super::{Analysis, Detector, Family, Finding};
use crate::lexicon::schema::Class;
use crate::lexicon::{Hit, Lexicon};

pub struct Dissatisfaction;

impl Detector for Dissatisfaction {
    fn name(&self) -> &'static str {
        "dissatisfaction"
    }

    fn family(&self) -> Family {
        Family::Confrontation
    }

    fn detect(
        &self,
        a: &Analysis,
        lex: &Lexicon,
        turn: usize,
        _earlier: &[super::Marker],
    ) -> Option<Finding> {
        let scan = &a.scans[turn];
        let tokens = &a.tokens[turn];
        let r = &a.rules.dissatisfaction;
        if !scan.hits.iter().any(|h| {
            matches!(
                lex.entries[h.entry].class,
                Class::Complaint | Class::Evaluation
            )
        }) {
            return None;
        }
        let inv = a.prompt_of(turn).map(|p| invitation(a, lex, p));
        let proposal = inv.as_ref().is_some_and(|i| i.proposal);
        let work_named = inv.as_ref().is_some_and(|i| i.names_work || i.proposal);

        let mut best: Option<Finding> = None;
        let mut consider =
            |score: f64, cue: String, span: std::ops::Range<usize>, subtype: Option<String>| {
                // The strongest wins; of equals, the longer evidence ("I've tried that" over "I've tried").
                let better = |b: &Finding| {
                    score > b.score || (score == b.score && span.len() > b.evidence[0].len())
                };
                if score > 0.0 && best.as_ref().is_none_or(better) {
                    best = Some(Finding {
                        score,
                        cue,
                        evidence: vec![span],
                        subtype,
                    });
                }
            };

        for h in scan.of(lex, Class::Complaint).filter(|h| !h.negated) {
            let entry = &lex.entries[h.entry];
            let mut score = h.strength(lex);
            let mut cue = entry.id.clone();
            let clause = tokens.tokens[h.tokens.start].clause;
            if let Some(tp) = scan
                .of(lex, Class::ThirdParty)
                .find(|t| tokens.tokens[t.tokens.start].clause == clause && !overlaps(t, h))
            {
                score *= lex.entries[tp.entry].weight;
                cue = format!("{cue}+{}", lex.id(tp.entry));
            }
            if entry.subtype.as_deref() == Some("rejects_intervention") && !proposal {
                score *= r.rejection_elsewhere;
            }
            consider(score, cue, h.tokens.clone(), entry.subtype.clone());
        }

        for h in scan.of(lex, Class::Evaluation).filter(|h| !h.negated) {
            let sentence = tokens.tokens[h.tokens.start].sentence;
            // A named referent (the work, or a third party) decides over a deictic one, which it
            // usually resolves ("it's a joke, the way they've handled it"); then the nearest wins.
            let aim = scan
                .hits
                .iter()
                .filter(|t| {
                    matches!(
                        lex.entries[t.entry].class,
                        Class::Target | Class::Deictic | Class::ThirdParty
                    )
                })
                .filter(|t| tokens.tokens[t.tokens.start].sentence == sentence)
                .filter(|t| !overlaps(t, h) && !t.tokens.clone().any(|k| scan.filler[k]))
                .min_by_key(|t| {
                    let e = &lex.entries[t.entry];
                    (
                        e.class == Class::Deictic,
                        distance(t, h),
                        e.class == Class::ThirdParty,
                        std::cmp::Reverse(t.tokens.len()),
                    )
                });
            let (factor, cue, span) = match aim {
                // Nothing named: the evaluation is most likely of what the practitioner just put
                // forward, when they put the work forward ("What did you make of it?" "Rubbish.").
                None => (
                    if work_named {
                        r.no_target * r.deictic_in_context
                    } else {
                        r.no_target
                    },
                    format!("{}+rule:no_target", lex.id(h.entry)),
                    h.tokens.clone(),
                ),
                Some(t) => {
                    let e = &lex.entries[t.entry];
                    let factor = if e.class == Class::Deictic && work_named {
                        (e.weight * r.deictic_in_context).min(1.0)
                    } else {
                        e.weight
                    };
                    let span = h.tokens.start.min(t.tokens.start)..h.tokens.end.max(t.tokens.end);
                    (factor, format!("{}+{}", lex.id(h.entry), e.id), span)
                }
            };
            // What it is aimed at says what kind of complaint it is ("your advice" is about the
            // practitioner, "the curfew" about the parameters), failing that the evaluation's own.
            let subtype = aim
                .and_then(|t| lex.entries[t.entry].subtype.clone())
                .or_else(|| lex.entries[h.entry].subtype.clone());
            consider(h.strength(lex) * factor, cue, span, subtype);
        }
        best
    }
}

fn overlaps(a: &Hit, b: &Hit) -> bool {
    a.tokens.start < b.tokens.end && b.tokens.start < a.tokens.end
}

fn distance(a: &Hit, b: &Hit) -> usize {
    if a.tokens.end <= b.tokens.start {
        b.tokens.start - a.tokens.end
    } else {
        a.tokens.start.saturating_sub(b.tokens.end)
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::testing::{has, last_turn};

    const M: &str = "dissatisfaction";
    const ASK: &str = "T: How have the last few weeks been?";
    const PROPOSE: &str = "T: How about we try a sleep diary this week?";

    fn score(lines: &[&str]) -> f64 {
        last_turn(lines)
            .into_iter()
            .find(|(m, _)| *m == M)
            .map(|(_, s)| s)
            .unwrap_or(0.0)
    }

    #[test]
    fn complaints_about_the_practitioner_and_the_work() {
        assert!(has(&[ASK, "C: You're not listening to me."], M));
        assert!(has(&[ASK, "C: Honestly these sessions are pointless."], M));
        assert!(has(&[ASK, "C: We're just going round in circles."], M));
        assert!(has(&[ASK, "C: Why do I have to come every week?"], M));
        assert!(has(&[ASK, "C: Just tell me what to do."], M));
    }

    #[test]
    fn rejection_of_a_proposal() {
        assert!(has(&[PROPOSE, "C: I've tried that, it doesn't work."], M));
        assert!(has(
            &[PROPOSE, "C: Yeah, but I've got no time for that."],
            M
        ));
        assert!(has(&[PROPOSE, "C: That's pointless."], M));
    }

    #[test]
    fn yes_but_without_a_proposal_is_not_enough() {
        assert!(!has(&[ASK, "C: Yeah, but then my brother rang."], M));
    }

    #[test]
    fn negated_complaints_are_not_complaints() {
        assert!(!has(&[ASK, "C: It's not a waste of time, honestly."], M));
        assert!(!has(
            &[ASK, "C: I don't think these sessions are pointless."],
            M
        ));
        assert!(!has(&[PROPOSE, "C: I haven't tried that yet."], M));
    }

    #[test]
    fn complaints_about_third_parties_are_content() {
        assert!(!has(&[ASK, "C: My boss is useless, he never listens."], M));
        assert!(!has(
            &[ASK, "C: My job is pointless and the pay is rubbish."],
            M
        ));
        assert!(!has(&[ASK, "C: She says it's not helping."], M));
        assert!(!has(
            &[
                ASK,
                "C: It's not because of that, the buses are just rubbish after ten."
            ],
            M
        ));
        assert!(!has(&[ASK, "C: He thinks the rules are stupid."], M));
    }

    #[test]
    fn hedges_weaken_and_boosters_strengthen() {
        let plain = score(&[ASK, "C: The homework is annoying."]);
        let hedged = score(&[ASK, "C: The homework is kind of annoying."]);
        let boosted = score(&[ASK, "C: The homework is really annoying."]);
        assert!(plain > 0.0);
        assert!(hedged < plain, "{hedged} {plain}");
        assert!(boosted > plain, "{boosted} {plain}");
    }

    #[test]
    fn what_precedes_but_weighs_less() {
        let whole = score(&[ASK, "C: The forms were a waste of time."]);
        let contrasted = score(&[ASK, "C: The forms were a waste of time, but now they help."]);
        assert!(contrasted < whole, "{contrasted} {whole}");
    }
}
