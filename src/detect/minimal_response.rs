//! `minimal_response` (withdrawal): a terse, non-committal reply to a turn that invited elaboration.
//!
//! A reply counts when nearly all of it is made of the lexicon's non-committal phrases, backchannels
//! and fillers (at most `rules.minimal_response.max_other_words` other function words, and one content word only beside a
//! strongly non-committal phrase: "Dunno. Just a walk." but not "scary, I guess"), it has at most
//! `max_words` words, and it
//! opens the client's answer to a practitioner turn. Its score is the product of how strongly that
//! turn invited elaboration (an open question 1, a reflection 0.7, a closed question 0.25,
//! information 0), how non-committal the reply is (the weights of its non-committal phrases combined
//! as a noisy-OR, so "Maybe. I dunno." is more so than either), and how short it is
//! against the client's own median turn length in the session. So "Mm-hmm" while the practitioner
//! explains, or "Three." to "How many days?", never scores; "I don't know." to "How did that feel?"
//! does, more so from a client who usually talks at length.

use super::context::invitation;
use super::{Analysis, Detector, Family, Finding};
use crate::lexicon::schema::Class;
use crate::lexicon::Lexicon;

pub struct MinimalResponse;

impl Detector for MinimalResponse {
    fn name(&self) -> &'static str {
        "minimal_response"
    }

    fn family(&self) -> Family {
        Family::Withdrawal
    }

    fn detect(
        &self,
        a: &Analysis,
        lex: &Lexicon,
        turn: usize,
        _earlier: &[super::Marker],
    ) -> Option<Finding> {
        if !a.opens_reply(turn) {
            return None;
        }
        let block = a.reply_block(turn);
        let words: usize = block.clone().map(|i| a.tokens[i].word_count()).sum();
        let rules = &a.rules.minimal_response;
        if words == 0 || words > rules.max_words {
            return None;
        }
        // A reply cut off mid-word ("Yeah, I, uh--") was interrupted, not withheld.
        if a.tokens[block.end - 1].trailing_off {
            return None;
        }
        let (mut function_words, mut content_words) = (0, 0);
        let mut best: Option<(f64, usize)> = None;
        // Non-committal material adds up ("Maybe. I dunno."): the weights combine as a noisy-OR.
        // Backchannels do not add up ("Mm-hmm. Yeah, yeah." is still a backchannel): the strongest
        // counts alone.
        let mut backchannel: f64 = 0.0;
        // The strongest hit of each non-committal entry; one entry repeated counts once.
        let mut entries: Vec<(usize, f64)> = Vec::new();
        for i in block {
            let scan = &a.scans[i];
            let replies = || {
                scan.hits.iter().filter(|h| {
                    matches!(
                        lex.entries[h.entry].class,
                        Class::Noncommittal | Class::Backchannel
                    ) && !h.negated
                })
            };
            for h in replies() {
                let s = h.strength(lex);
                if best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, h.entry));
                }
                if lex.entries[h.entry].class == Class::Backchannel {
                    backchannel = backchannel.max(s);
                    continue;
                }
                match entries.iter_mut().find(|(e, _)| *e == h.entry) {
                    Some((_, w)) => *w = w.max(s),
                    None => entries.push((h.entry, s)),
                }
            }
            for k in 0..a.tokens[i].len() {
                if !scan.filler[k] && !replies().any(|h| h.tokens.contains(&k)) {
                    if lex.is_stopword(a.tokens[i].word(k)) {
                        function_words += 1;
                    } else {
                        content_words += 1;
                    }
                }
            }
        }
        let prompt = a.prompt_of(turn)?;
        let inv = invitation(a, lex, prompt);
        let (weight, cue) = match best {
            // A strongly non-committal reply may carry one content word ("Dunno. Just a walk.").
            Some((w, entry))
                if function_words <= rules.max_other_words
                    && content_words <= usize::from(w >= rules.strong) =>
            {
                let unsure: f64 = entries.iter().map(|(_, s)| 1.0 - s).product();
                ((1.0 - unsure).max(backchannel), lex.id(entry).to_string())
            }
            _ => return None,
        };
        if inv.strength == 0.0 {
            return None;
        }
        let brevity = if words <= 4 { 1.0 } else { 0.85 };
        let against_baseline = if a.baseline > 0.0 {
            0.6 + 0.4 * (1.0 - words as f64 / a.baseline).clamp(0.0, 1.0)
        } else {
            0.6
        };
        Some(Finding {
            score: inv.strength * weight * brevity * against_baseline,
            cue: format!("{cue}+{}", inv.cue),
            evidence: Vec::new(),
            subtype: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::testing::{has, last_turn};

    const M: &str = "minimal_response";
    /// A client who otherwise talks at some length, so the baseline is realistic.
    const CHATTY: &str = "C: Well it was a long week and I spent most of it at my sister's place, which was alright I suppose.";

    #[test]
    fn non_committal_reply_to_an_open_question() {
        assert!(has(
            &[CHATTY, "T: How did that feel?", "C: I don't know."],
            M
        ));
        assert!(has(
            &[CHATTY, "T: Tell me about the weekend.", "C: It was fine."],
            M
        ));
        assert!(has(
            &[CHATTY, "T: What's been on your mind?", "C: Nothing really."],
            M
        ));
        assert!(has(
            &[CHATTY, "T: It sounds like that hurt.", "C: Whatever."],
            M
        ));
    }

    #[test]
    fn backchannel_during_information_is_not_minimal() {
        assert!(!has(
            &[
                CHATTY,
                "T: The group meets on Tuesdays and lasts two hours.",
                "C: Mm-hmm."
            ],
            M
        ));
        assert!(!has(
            &[
                CHATTY,
                "T: So you drink about four times a week-",
                "C: Yeah."
            ],
            M
        ));
    }

    #[test]
    fn complete_answer_to_a_closed_question_is_not_minimal() {
        assert!(!has(
            &[CHATTY, "T: How many days did you drink?", "C: Three."],
            M
        ));
        assert!(!has(
            &[CHATTY, "T: Did you go to the meeting?", "C: No."],
            M
        ));
        assert!(!has(
            &[CHATTY, "T: Do you remember the date?", "C: I don't know."],
            M
        ));
    }

    #[test]
    fn backchannels_do_not_add_up() {
        assert!(!has(
            &[
                CHATTY,
                "T: What do you think it would do to the friendship?",
                "C: Mm-hmm. Yeah, yeah."
            ],
            M
        ));
        assert!(has(
            &[
                CHATTY,
                "T: It sounds like you felt let down.",
                "C: Maybe. I dunno."
            ],
            M
        ));
    }

    #[test]
    fn an_interrupted_reply_is_not_minimal() {
        assert!(!has(
            &[
                CHATTY,
                "T: What do you think it would do?",
                "C: Yeah, I, uh--"
            ],
            M
        ));
    }

    #[test]
    fn bare_assent_to_a_reflection_is_agreement() {
        assert!(!has(
            &[
                CHATTY,
                "T: It sounds like you're tired of it all.",
                "C: Yeah."
            ],
            M
        ));
    }

    #[test]
    fn a_reply_with_content_is_not_minimal() {
        assert!(!has(
            &[
                CHATTY,
                "T: How did that feel?",
                "C: I don't know, scared and angry at him mostly."
            ],
            M
        ));
        assert!(!has(
            &[
                CHATTY,
                "T: How did that feel?",
                "C: I'm not fine, honestly."
            ],
            M
        ));
        assert!(!has(
            &[
                CHATTY,
                "T: What's that like for you?",
                "C: Uh, scary I guess."
            ],
            M
        ));
    }

    #[test]
    fn fine_is_the_answer_to_a_greeting() {
        assert!(!has(
            &[
                CHATTY,
                "T: Hi Sam, come in. How are you?",
                "C: Good, thanks."
            ],
            M
        ));
        assert!(has(
            &[CHATTY, "T: How are you feeling about the move?", "C: Fine."],
            M
        ));
    }

    #[test]
    fn a_reply_continued_in_the_next_turn_is_not_minimal() {
        let lines = [
            CHATTY,
            "T: How did that feel?",
            "C: I don't know.",
            "C: I suppose I was embarrassed in front of everyone at the table.",
        ];
        let s = crate::detect::testing::session(&lines);
        let found = crate::detect::detect_session(
            &s,
            crate::detect::testing::lexicon(),
            crate::detect::testing::rules(),
        );
        assert!(found.iter().all(|m| m.marker != M), "{found:?}");
    }

    #[test]
    fn the_clients_baseline_scales_the_score() {
        let terse = last_turn(&[
            "C: Yes.",
            "C: No.",
            "T: How did that feel?",
            "C: I don't know.",
        ]);
        let chatty = last_turn(&[CHATTY, CHATTY, "T: How did that feel?", "C: I don't know."]);
        let score = |v: &[(&str, f64)]| {
            v.iter()
                .find(|(m, _)| *m == M)
                .map(|(_, s)| *s)
                .unwrap_or(0.0)
        };
        assert!(score(&chatty) > score(&terse), "{chatty:?} {terse:?}");
    }
}
