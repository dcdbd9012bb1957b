//! `denial`, `deferential` and `hopelessness` (withdrawal): phrase markers whose weight the context
//! scales. Denial ("it doesn't bother me") counts in full when the practitioner's turn reflected or
//! asked about a feeling or problem, deference ("whatever you think") when it answers a proposal
//! or advice; elsewhere both count at [`OUT_OF_CONTEXT`] of their weight. Hopelessness ("nothing
//! ever works for me") counts in full wherever it stands. Negators and quotatives are applied by the
//! lexicon matcher.

use super::context::invitation;
use super::{Analysis, Detector, Family, Finding, Marker};
use crate::lexicon::schema::Class;
use crate::lexicon::{Hit, Lexicon};

/// Factor for denial or deference where the practitioner's turn gives them no footing.
pub const OUT_OF_CONTEXT: f64 = 0.75;

/// The strongest non-negated hit of `class` in a turn.
/// The finding for hit `h` scaled by `factor`.
fn finding(lex: &Lexicon, h: &Hit, factor: f64) -> Finding {
    Finding::new(
        h.strength(lex) * factor,
        lex.id(h.entry).to_string(),
        vec![h.tokens.clone()],
    )
}

pub struct Denial;

impl Detector for Denial {
    fn name(&self) -> &'static str {
        "denial"
    }

    fn family(&self) -> Family {
        Family::Withdrawal
    }

    fn detect(&self, a: &Analysis, lex: &Lexicon, turn: usize, _: &[Marker]) -> Option<Finding> {
        let h = a.scans[turn].strongest(lex, Class::Denial)?;
        let asked = a
            .prompt_of(turn)
            .map(|p| invitation(a, lex, p).strength >= 0.6)
            .unwrap_or(false);
        Some(finding(lex, h, if asked { 1.0 } else { OUT_OF_CONTEXT }))
    }
}

pub struct Deferential;

impl Detector for Deferential {
    fn name(&self) -> &'static str {
        "deferential"
    }

    fn family(&self) -> Family {
        Family::Withdrawal
    }

    fn detect(&self, a: &Analysis, lex: &Lexicon, turn: usize, _: &[Marker]) -> Option<Finding> {
        let h = a.scans[turn].strongest(lex, Class::Deferential)?;
        let proposed = a
            .prompt_of(turn)
            .map(|p| invitation(a, lex, p).proposal)
            .unwrap_or(false);
        Some(finding(lex, h, if proposed { 1.0 } else { OUT_OF_CONTEXT }))
    }
}

pub struct Hopelessness;

impl Detector for Hopelessness {
    fn name(&self) -> &'static str {
        "hopelessness"
    }

    fn family(&self) -> Family {
        Family::Withdrawal
    }

    fn detect(&self, a: &Analysis, lex: &Lexicon, turn: usize, _: &[Marker]) -> Option<Finding> {
        a.scans[turn]
            .strongest(lex, Class::Hopelessness)
            .map(|h| finding(lex, h, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::testing::has;

    const REFLECT: &str = "T: It sounds like that really hurt.";
    const PROPOSE: &str = "T: How about we try a sleep diary this week?";
    const INFO: &str = "T: The group meets on Tuesdays.";

    #[test]
    fn denial_of_a_feeling_the_practitioner_named() {
        assert!(has(
            &[REFLECT, "C: It doesn't bother me, honestly."],
            "denial"
        ));
        assert!(has(&[REFLECT, "C: I'm fine."], "denial"));
        assert!(!has(&[INFO, "C: I'm fine with Tuesday."], "denial"));
        assert!(!has(
            &[REFLECT, "C: She's not upset with me, she's upset with him."],
            "denial"
        ));
    }

    #[test]
    fn deference_to_a_proposal() {
        assert!(has(
            &[PROPOSE, "C: Whatever you think is best."],
            "deferential"
        ));
        assert!(has(&[PROPOSE, "C: I guess I could try."], "deferential"));
        assert!(!has(&[INFO, "C: I guess I could try."], "deferential"));
        assert!(!has(
            &[PROPOSE, "C: I'm not sure you're right about that."],
            "deferential"
        ));
    }

    #[test]
    fn hopelessness_and_self_criticism() {
        assert!(has(
            &[INFO, "C: Nothing ever works for me."],
            "hopelessness"
        ));
        assert!(has(
            &[REFLECT, "C: I always mess this up. What's wrong with me?"],
            "hopelessness"
        ));
        assert!(!has(
            &[REFLECT, "C: I'm not a failure, I just had a bad week."],
            "hopelessness"
        ));
        assert!(!has(
            &[REFLECT, "C: My dad always said I was useless."],
            "hopelessness"
        ));
    }
}
