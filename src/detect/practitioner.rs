//! The practitioner's side: `repair` (metacommunication, asking for feedback, acknowledging one's
//! part, apologising, validating, changing the task), `practitioner_confrontation` (lecturing,
//! arguing, warning) and `practitioner_withdrawal` (moving on past the client's concern).
//!
//! What the practitioner says matters by what it answers: a repair or a confrontation counts in full
//! when it responds to a client marker found in the `rules.practitioner.response_window` turns
//! before it, and at `rules.practitioner.unprompted` of its weight otherwise (an unprompted "how is
//! this going for you?" is good practice, a lecture still a lecture). Advice pushed straight back at
//! a complaint, without a repair, is confrontation too ([`PUSHES_AFTER_COMPLAINT`]). Moving on with
//! the agenda is withdrawal only straight after a client marker, and only when the turn makes no
//! repair. Passing over the client's concern without such a cue is not detected: a rule that looked
//! for replies sharing no word with the client's turn flagged far more engaged turns than evasive
//! ones.

use super::{Analysis, Detector, Family, Finding, Marker, Side};
use crate::lexicon::schema::Class;
use crate::lexicon::Lexicon;
use crate::model::Role;

/// Score of advice pushed straight back at a complaint.
pub const PUSHES_AFTER_COMPLAINT: f64 = 0.6;

/// Whether the turn just before `turn` is the client's and carries dissatisfaction.
fn complaint_just_before(turn: usize, earlier: &[Marker]) -> bool {
    turn > 0
        && earlier
            .iter()
            .any(|m| m.turn == turn - 1 && m.marker == "dissatisfaction")
}

/// Whether a client-side marker stands in the window of turns before `turn`.
fn responds(a: &Analysis, turn: usize, earlier: &[Marker]) -> bool {
    let from = turn.saturating_sub(a.rules.practitioner.response_window);
    earlier
        .iter()
        .any(|m| m.turn >= from && m.turn < turn && a.session.turns[m.turn].role != Role::Therapist)
}

/// A practitioner phrase marker scaled by whether it responds to a client marker.
fn responsive(
    a: &Analysis,
    lex: &Lexicon,
    turn: usize,
    earlier: &[Marker],
    class: Class,
) -> Option<Finding> {
    let h = a.scans[turn].strongest(lex, class)?;
    let (factor, cue) = if responds(a, turn, earlier) {
        (1.0, format!("{}+rule:responds", lex.id(h.entry)))
    } else {
        (a.rules.practitioner.unprompted, lex.id(h.entry).to_string())
    };
    Some(Finding {
        subtype: lex.entries[h.entry].subtype.clone(),
        ..Finding::new(h.strength(lex) * factor, cue, vec![h.tokens.clone()])
    })
}

pub struct Repair;

impl Detector for Repair {
    fn name(&self) -> &'static str {
        "repair"
    }

    fn family(&self) -> Family {
        Family::Repair
    }

    fn side(&self) -> Side {
        Side::Practitioner
    }

    fn detect(
        &self,
        a: &Analysis,
        lex: &Lexicon,
        turn: usize,
        earlier: &[Marker],
    ) -> Option<Finding> {
        responsive(a, lex, turn, earlier, Class::Repair)
    }
}

pub struct PractitionerConfrontation;

impl Detector for PractitionerConfrontation {
    fn name(&self) -> &'static str {
        "practitioner_confrontation"
    }

    fn family(&self) -> Family {
        Family::Confrontation
    }

    fn side(&self) -> Side {
        Side::Practitioner
    }

    fn detect(
        &self,
        a: &Analysis,
        lex: &Lexicon,
        turn: usize,
        earlier: &[Marker],
    ) -> Option<Finding> {
        responsive(a, lex, turn, earlier, Class::PractitionerConfrontation).or_else(|| {
            // Pushing advice straight back at a complaint, with no repair: arguing.
            let scan = &a.scans[turn];
            let pushes = scan.of(lex, Class::Proposal).next().is_some();
            let complained = complaint_just_before(turn, earlier);
            (pushes && complained && scan.of(lex, Class::Repair).next().is_none()).then(|| {
                Finding::new(
                    PUSHES_AFTER_COMPLAINT,
                    "rule:pushes_after_complaint".into(),
                    Vec::new(),
                )
            })
        })
    }
}

pub struct PractitionerWithdrawal;

impl Detector for PractitionerWithdrawal {
    fn name(&self) -> &'static str {
        "practitioner_withdrawal"
    }

    fn family(&self) -> Family {
        Family::Withdrawal
    }

    fn side(&self) -> Side {
        Side::Practitioner
    }

    fn detect(
        &self,
        a: &Analysis,
        lex: &Lexicon,
        turn: usize,
        earlier: &[Marker],
    ) -> Option<Finding> {
        let client_marker_just_before = turn > 0
            && earlier
                .iter()
                .any(|m| m.turn == turn - 1 && a.session.turns[m.turn].role != Role::Therapist);
        if !client_marker_just_before || a.scans[turn].strongest(lex, Class::Repair).is_some() {
            return None;
        }
        let h = a.scans[turn].strongest(lex, Class::Agenda)?;
        Some(Finding::new(
            h.strength(lex),
            format!("{}+rule:after_marker", lex.id(h.entry)),
            vec![h.tokens.clone()],
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::testing::has;

    const COMPLAINT: &str = "C: This is pointless, we're going round in circles.";
    const FINE: &str = "C: It's been a good week, actually, I went to the gym twice.";

    #[test]
    fn repair_after_a_complaint() {
        assert!(has(
            &[
                COMPLAINT,
                "T: That's fair. I think I've been pushing too hard. What would be more useful?"
            ],
            "repair"
        ));
        assert!(has(
            &[COMPLAINT, "T: I'm sorry. Let's try something else."],
            "repair"
        ));
        assert!(!has(
            &[FINE, "T: I'm sorry to hear about your dad."],
            "repair"
        ));
    }

    #[test]
    fn lecturing_against_resistance() {
        assert!(has(
            &[
                COMPLAINT,
                "T: You need to take responsibility. The evidence is very clear."
            ],
            "practitioner_confrontation"
        ));
        assert!(!has(
            &[FINE, "T: Great. The group starts on Monday."],
            "practitioner_confrontation"
        ));
    }

    #[test]
    fn moving_on_past_a_marker() {
        assert!(has(
            &[
                COMPLAINT,
                "T: Okay. Moving on, the next thing is your address."
            ],
            "practitioner_withdrawal"
        ));
        assert!(!has(
            &[FINE, "T: Okay. Moving on, the next thing is your address."],
            "practitioner_withdrawal"
        ));
        assert!(!has(
            &[
                COMPLAINT,
                "T: That's fair, sorry about that. Moving on, what would help?"
            ],
            "practitioner_withdrawal"
        ));
    }
}
