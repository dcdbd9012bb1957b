//! What the practitioner's turn asks of the client: an open question or a reflection invites
//! elaboration (so a terse reply is withdrawal), a closed question or information does not (so a terse
//! reply is a complete answer or a backchannel). The minimal-response, topic-shift and dissatisfaction
//! detectors all read the turn a client turn answers through this module.

use super::Analysis;
use crate::lexicon::schema::Class;
use crate::lexicon::Lexicon;

/// Strength of a question whose form no lexicon entry recognises ("You're feeling stuck?").
pub const PLAIN_QUESTION: f64 = 0.6;

/// How the prompt turn invites a reply.
#[derive(Clone, Debug, PartialEq)]
pub struct Invitation {
    /// 0 = no invitation (information, backchannel, an interrupted turn), 1 = a clear invitation.
    pub strength: f64,
    /// The lexicon entry or rule that decided it.
    pub cue: String,
    /// The prompt proposes something and asks for the client's view.
    pub proposal: bool,
    /// The prompt hands the choice of topic to the client.
    pub invites_topic: bool,
    /// The prompt names the work itself (homework, the sessions...).
    pub names_work: bool,
}

impl Invitation {
    fn none() -> Invitation {
        Invitation {
            strength: 0.0,
            cue: String::new(),
            proposal: false,
            invites_topic: false,
            names_work: false,
        }
    }
}

/// Reads turn `prompt` of the analysed session.
pub fn invitation(a: &Analysis, lex: &Lexicon, prompt: usize) -> Invitation {
    let tokens = &a.tokens[prompt];
    let scan = &a.scans[prompt];
    let mut inv = Invitation::none();
    inv.invites_topic = scan.of(lex, Class::InviteTopic).next().is_some();
    inv.names_work = scan
        .of(lex, Class::Target)
        .any(|h| lex.entries[h.entry].weight >= 1.0);
    inv.proposal = scan.of(lex, Class::Proposal).next().is_some();

    let Some(last) = tokens.sentences.last() else {
        return inv;
    };
    if tokens.trailing_off && !last.question {
        return inv;
    }
    // The client answers the last sentence; a statement after a question ("How was it? Take your
    // time.") leaves the question standing, so look one sentence further back in that case.
    let n = tokens.sentences.len();
    let considered = if last.question || n == 1 {
        &tokens.sentences[n - 1..]
    } else {
        &tokens.sentences[n - 2..]
    };
    for s in considered {
        let inside = |h: &&crate::lexicon::Hit| s.tokens.contains(&h.tokens.start);
        let (strength, cue) = if let Some(h) = scan.of(lex, Class::Elaboration).find(inside) {
            (h.strength(lex), lex.id(h.entry).to_string())
        } else if s.question {
            // The longest question opener wins: "how many" (closed) over "how" (open).
            let opener = scan
                .hits
                .iter()
                .filter(|h| {
                    matches!(
                        lex.entries[h.entry].class,
                        Class::OpenQuestion | Class::ClosedQuestion | Class::Proposal
                    )
                })
                .filter(inside)
                .max_by_key(|h| (h.tokens.len(), std::cmp::Reverse(h.tokens.start)));
            match opener {
                Some(h) => (h.strength(lex), lex.id(h.entry).to_string()),
                None => (PLAIN_QUESTION, "rule:question".to_string()),
            }
        } else if let Some(h) = scan
            .hits
            .iter()
            .filter(|h| {
                matches!(
                    lex.entries[h.entry].class,
                    Class::Reflection | Class::Proposal
                )
            })
            .find(inside)
        {
            (h.strength(lex), lex.id(h.entry).to_string())
        } else {
            (0.0, String::new())
        };
        if strength > inv.strength {
            inv.strength = strength;
            inv.cue = cue;
        }
    }
    inv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testing::{lexicon, session};

    fn strength(prompt: &str) -> f64 {
        let line = format!("T: {prompt}");
        let s = session(&[&line]);
        let lex = lexicon();
        let a = Analysis::new(&s, lex);
        invitation(&a, lex, 0).strength
    }

    #[test]
    fn open_questions_and_requests_invite() {
        assert_eq!(strength("How did that feel?"), 1.0);
        assert_eq!(strength("So what happened then?"), 1.0);
        assert_eq!(strength("Can you tell me more about that?"), 1.0);
        assert_eq!(strength("How was it? Take your time."), 1.0);
    }

    #[test]
    fn closed_questions_barely_invite() {
        assert!(strength("How many drinks did you have?") < 0.5);
        assert!(strength("Did you go to the meeting?") < 0.5);
        assert!(strength("When did you last use?") < 0.5);
    }

    #[test]
    fn reflections_and_proposals_invite_less() {
        let r = strength("It sounds like you felt let down.");
        assert!(r > 0.5 && r < 1.0, "{r}");
        let p = strength("How about we try a diary this week?");
        assert!(p > 0.4 && p < 1.0, "{p}");
    }

    #[test]
    fn information_and_interruptions_do_not_invite() {
        assert_eq!(strength("The group runs on Tuesdays at ten."), 0.0);
        assert_eq!(
            strength("So on average you drink about four times a week-"),
            0.0
        );
        assert_eq!(strength("Mm-hmm."), 0.0);
    }

    #[test]
    fn a_question_without_a_known_opener_still_invites() {
        assert_eq!(strength("You're feeling stuck?"), PLAIN_QUESTION);
    }
}
