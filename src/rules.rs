//! Every rule the detectors and the episode builder follow (windows, thresholds, factors), in one
//! place with documented defaults. `--config FILE` overrides any of them from a TOML file of the same
//! shape (unknown keys are refused, so a typo cannot pass silently); run.json records the rules used.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// All rules. Every field has a default; a config file names only what it changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    /// Markers scoring below this are not reported.
    pub report_threshold: f64,
    pub context: ContextRules,
    pub minimal_response: MinimalRules,
    pub topic_shift: ShiftRules,
    pub dissatisfaction: DissatisfactionRules,
    pub practitioner: PractitionerRules,
    pub episodes: EpisodeRules,
}

/// How a practitioner's turn invites a reply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContextRules {
    /// Invitation strength of a question whose form no lexicon entry recognises.
    pub plain_question: f64,
    /// Invitation strength of an echo of the client's words ("Normal.", "Not really?").
    pub echo: f64,
    /// Longest practitioner turn, in words, that can be an echo.
    pub echo_words: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MinimalRules {
    /// Longest reply, in words, that can be minimal.
    pub max_words: usize,
    /// Function words a minimal reply may have beside its non-committal phrases and fillers.
    pub max_other_words: usize,
    /// Weight from which a non-committal phrase may come with one content word.
    pub strong: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ShiftRules {
    /// Turns before the reply that form the topic it is compared with.
    pub window: usize,
    /// Below this share of the reply's content stems found in the window, cohesion is low.
    pub low_cohesion: f64,
    /// A shift cue must come within this many words of the start of the reply.
    pub max_words_before_cue: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DissatisfactionRules {
    /// Factor for an evaluation with nothing named in its sentence.
    pub no_target: f64,
    /// How much more a deictic ("that") weighs when the practitioner just proposed something or
    /// named the work.
    pub deictic_in_context: f64,
    /// Factor for a rejection that does not answer a proposal or advice.
    pub rejection_elsewhere: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PractitionerRules {
    /// A practitioner turn within this many turns after a client marker responds to it.
    pub response_window: usize,
    /// Factor for a repair or confrontation phrase that responds to no client marker.
    pub unprompted: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EpisodeRules {
    /// Client markers at most this many turns apart belong to one episode.
    pub window: usize,
    /// An episode with at least this many client marker turns is a rupture.
    pub rupture_markers: usize,
    /// A client marker scoring at least this makes its episode a rupture.
    pub rupture_score: f64,
    /// A repair counts for an episode when it comes at most this many turns after its last marker.
    pub repair_window: usize,
    /// Turns after the last repair in which the client must re-engage with no further marker.
    pub resolution_window: usize,
    /// Re-engaging means the client's turns there average at least this share of their median
    /// turn length in the session...
    pub reengage_share: f64,
    /// ...and at least this many words: a terse client answering in two words has not come back.
    pub reengage_min_words: f64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            report_threshold: 0.5,
            context: ContextRules::default(),
            minimal_response: MinimalRules::default(),
            topic_shift: ShiftRules::default(),
            dissatisfaction: DissatisfactionRules::default(),
            practitioner: PractitionerRules::default(),
            episodes: EpisodeRules::default(),
        }
    }
}

impl Default for ContextRules {
    fn default() -> Self {
        ContextRules {
            plain_question: 0.6,
            echo: 0.8,
            echo_words: 4,
        }
    }
}

impl Default for MinimalRules {
    fn default() -> Self {
        MinimalRules {
            max_words: 8,
            max_other_words: 3,
            strong: 0.8,
        }
    }
}

impl Default for ShiftRules {
    fn default() -> Self {
        ShiftRules {
            window: 2,
            low_cohesion: 0.1,
            max_words_before_cue: 5,
        }
    }
}

impl Default for DissatisfactionRules {
    fn default() -> Self {
        DissatisfactionRules {
            no_target: 0.4,
            deictic_in_context: 1.5,
            rejection_elsewhere: 0.7,
        }
    }
}

impl Default for PractitionerRules {
    fn default() -> Self {
        PractitionerRules {
            response_window: 3,
            unprompted: 0.6,
        }
    }
}

impl Default for EpisodeRules {
    fn default() -> Self {
        EpisodeRules {
            window: 4,
            rupture_markers: 3,
            rupture_score: 0.85,
            repair_window: 3,
            resolution_window: 6,
            reengage_share: 0.6,
            reengage_min_words: 8.0,
        }
    }
}

impl Rules {
    /// Reads rules from a TOML file: the defaults, with what the file names changed.
    pub fn from_file(path: &Path) -> Result<Rules, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {shown}: {e}; give --config a TOML file"))?;
        let rules: Rules = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(0);
            format!("{shown}:{line}: {}", e.message().trim())
        })?;
        rules.check().map_err(|m| format!("{shown}: {m}"))?;
        Ok(rules)
    }

    /// Refuses values that make no sense (a threshold over 1, a zero window).
    fn check(&self) -> Result<(), String> {
        let unit = [
            ("report_threshold", self.report_threshold),
            ("context.plain_question", self.context.plain_question),
            ("context.echo", self.context.echo),
            ("minimal_response.strong", self.minimal_response.strong),
            ("topic_shift.low_cohesion", self.topic_shift.low_cohesion),
            ("dissatisfaction.no_target", self.dissatisfaction.no_target),
            (
                "dissatisfaction.rejection_elsewhere",
                self.dissatisfaction.rejection_elsewhere,
            ),
            ("practitioner.unprompted", self.practitioner.unprompted),
            ("episodes.rupture_score", self.episodes.rupture_score),
            ("episodes.reengage_share", self.episodes.reengage_share),
        ];
        let mut problems: Vec<String> = unit
            .iter()
            .filter(|(_, v)| !(0.0..=1.0).contains(v))
            .map(|(k, v)| format!("{k} = {v} is out of range; use a number from 0 to 1"))
            .collect();
        if !(1.0..=3.0).contains(&self.dissatisfaction.deictic_in_context) {
            problems.push("dissatisfaction.deictic_in_context must be from 1 to 3".into());
        }
        for (k, v) in [
            ("episodes.window", self.episodes.window),
            ("episodes.rupture_markers", self.episodes.rupture_markers),
            (
                "minimal_response.max_words",
                self.minimal_response.max_words,
            ),
        ] {
            if v == 0 {
                problems.push(format!("{k} must be at least 1"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changes_only_what_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("rules.toml");
        std::fs::write(&p, "report_threshold = 0.6\n[episodes]\nwindow = 6\n").unwrap();
        let r = Rules::from_file(&p).unwrap();
        assert_eq!(r.report_threshold, 0.6);
        assert_eq!(r.episodes.window, 6);
        assert_eq!(
            r.episodes.repair_window,
            EpisodeRules::default().repair_window
        );
        assert_eq!(r.topic_shift, ShiftRules::default());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused_with_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("rules.toml");
        std::fs::write(&p, "[episodes]\nwindw = 6\n").unwrap();
        let e = Rules::from_file(&p).unwrap_err();
        assert!(e.contains("rules.toml:2:") && e.contains("windw"), "{e}");
        std::fs::write(&p, "report_threshold = 1.5\n").unwrap();
        assert!(Rules::from_file(&p)
            .unwrap_err()
            .contains("report_threshold = 1.5 is out of range"));
    }

    #[test]
    fn the_defaults_pass_their_own_checks() {
        assert!(Rules::default().check().is_ok());
    }
}
