//! What the practitioner's turn asks of the client: an open question or a reflection invites
//! elaboration (so a terse reply is withdrawal), a closed question or information does not (so a terse
//! reply is a complete answer or a backchannel). The minimal-response, topic-shift and dissatisfaction
//! detectors all read the turn a client turn answers through this module.

use super::Analysis;
use crate::lexicon::schema::Class;
use crate::lexicon::Lexicon;

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
                None => (a.rules.context.plain_question, "rule:question".to_string()),
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
    // An echo: the practitioner repeats a word or two of the client's last turn ("Not really?",
    // "Normal."), the minimal encourager that asks the client to go on.
    let echo = a.rules.context.echo;
    if inv.strength < echo && is_echo(a, lex, prompt) {
        inv.strength = echo;
        inv.cue = "rule:echo".to_string();
    }
    inv
}

/// Whether the short turn `prompt` repeats words of the other speaker's turn just before it, adding
/// nothing but function and question words ("Normal.", "Just fine, or...?").
fn is_echo(a: &Analysis, lex: &Lexicon, prompt: usize) -> bool {
    let t = &a.tokens[prompt];
    if t.is_empty() || t.word_count() > a.rules.context.echo_words || prompt == 0 {
        return false;
    }
    let before = prompt - 1;
    if a.session.turns[before].speaker == a.session.turns[prompt].speaker {
        return false;
    }
    let earlier = &a.tokens[before];
    let said: std::collections::HashSet<&str> =
        (0..earlier.len()).map(|i| earlier.word(i)).collect();
    let scan = &a.scans[prompt];
    let question_word = |i: usize| {
        scan.hits.iter().any(|h| {
            h.tokens.contains(&i)
                && matches!(
                    lex.entries[h.entry].class,
                    Class::OpenQuestion | Class::ClosedQuestion
                )
        })
    };
    let mut repeated = 0;
    for i in 0..t.len() {
        if scan.filler[i] || question_word(i) {
            continue;
        }
        if said.contains(t.word(i)) {
            repeated += 1;
        } else if !lex.is_stopword(t.word(i)) {
            return false;
        }
    }
    repeated > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testing::{lexicon, rules, session};

    fn strength(prompt: &str) -> f64 {
        let line = format!("T: {prompt}");
        let s = session(&[&line]);
        let lex = lexicon();
        let a = Analysis::new(&s, lex, rules());
        invitation(&a, lex, 0).strength
    }

    #[test]
    fn open_questions_and_requests_invite() {
        assert_eq!(strength("How did that feel?"), 1.0);
        assert_eq!(strength("So what happened then?"), 1.0);
        assert_eq!(strength("Can you tell me more about that?"), 1.0);
        assert_eq!(strength("How was it? Take your time."), 1.0);
        assert_eq!(strength("And sleep, how's your sleep?"), 1.0);
        assert!(strength("Has anything changed for you this year?") > 0.5);
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
    fn an_echo_of_the_clients_words_invites() {
        let s = session(&["C: Fine. Normal.", "T: Normal.", "C: Yeah."]);
        let lex = lexicon();
        let a = Analysis::new(&s, lex, rules());
        assert_eq!(invitation(&a, lex, 1).strength, rules().context.echo);
        let s = session(&["C: Not really.", "T: Not really?"]);
        let a = Analysis::new(&s, lex, rules());
        assert_eq!(invitation(&a, lex, 1).strength, rules().context.echo);
        let s = session(&["C: Fine.", "T: Just fine, or...?"]);
        let a = Analysis::new(&s, lex, rules());
        assert_eq!(invitation(&a, lex, 1).strength, rules().context.echo);
        let s = session(&["C: Fine.", "T: Lovely."]);
        let a = Analysis::new(&s, lex, rules());
        assert_eq!(invitation(&a, lex, 1).strength, 0.0);
    }

    #[test]
    fn a_question_without_a_known_opener_still_invites() {
        assert_eq!(
            strength("You're feeling stuck?"),
            rules().context.plain_question
        );
    }
}
