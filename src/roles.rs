//! Who is who: speaker labels to roles. The default lists cover the usual labels; `--client` and
//! `--therapist` add labels of the user's own and take precedence. Matching ignores case and a
//! trailing number ("Therapist 2", "client_1").

use crate::model::{Role, Session};

/// Labels read as the practitioner by default.
pub const THERAPIST_LABELS: &[&str] = &[
    "therapist",
    "t",
    "th",
    "counsellor",
    "counselor",
    "practitioner",
    "clinician",
    "interviewer",
];
/// Labels read as the client by default.
pub const CLIENT_LABELS: &[&str] = &["client", "c", "cl", "patient", "p", "pt"];

/// Maps labels to roles.
#[derive(Clone, Debug, Default)]
pub struct RoleMap {
    client: Vec<String>,
    therapist: Vec<String>,
}

fn key(label: &str) -> String {
    label.trim().to_lowercase()
}

/// The label with a trailing number and separator removed: "therapist 2" -> "therapist".
fn base(label: &str) -> &str {
    let trimmed = label.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed.len() == label.len() {
        return label;
    }
    trimmed.trim_end_matches([' ', '_', '-', '#'])
}

/// Whether `label` is one of the default role labels.
pub fn is_default_label(label: &str) -> bool {
    let k = key(label);
    let b = base(&k);
    THERAPIST_LABELS.contains(&b) || CLIENT_LABELS.contains(&b)
}

impl RoleMap {
    /// A map with the user's labels on top of the defaults.
    pub fn new(client: &[String], therapist: &[String]) -> RoleMap {
        RoleMap {
            client: client.iter().map(|l| key(l)).collect(),
            therapist: therapist.iter().map(|l| key(l)).collect(),
        }
    }

    /// The role of a speaker label.
    pub fn role(&self, label: &str) -> Role {
        let k = key(label);
        if self.client.contains(&k) {
            return Role::Client;
        }
        if self.therapist.contains(&k) {
            return Role::Therapist;
        }
        let b = base(&k);
        if THERAPIST_LABELS.contains(&b) {
            Role::Therapist
        } else if CLIENT_LABELS.contains(&b) {
            Role::Client
        } else {
            Role::Other
        }
    }

    /// Sets the role of every turn of `session`: the user's labels first, then the roles the file
    /// declares, then the default labels.
    pub fn apply(&self, session: &mut Session) {
        for t in &mut session.turns {
            let k = key(&t.speaker);
            t.role = if self.client.contains(&k) || self.therapist.contains(&k) {
                self.role(&t.speaker)
            } else if let Some(r) = session.role_hints.get(&t.speaker) {
                *r
            } else {
                self.role(&t.speaker)
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_ignore_case_and_numbers() {
        let m = RoleMap::default();
        assert_eq!(m.role("Therapist"), Role::Therapist);
        assert_eq!(m.role("T"), Role::Therapist);
        assert_eq!(m.role("Counsellor 2"), Role::Therapist);
        assert_eq!(m.role("PT"), Role::Client);
        assert_eq!(m.role("client_1"), Role::Client);
        assert_eq!(m.role("Speaker 1"), Role::Other);
        assert_eq!(m.role("Tom"), Role::Other);
    }

    #[test]
    fn user_labels_take_precedence() {
        let m = RoleMap::new(&["Speaker 2".into()], &["Dr Jones".into(), "C".into()]);
        assert_eq!(m.role("speaker 2"), Role::Client);
        assert_eq!(m.role("DR JONES"), Role::Therapist);
        assert_eq!(m.role("C"), Role::Therapist);
        assert_eq!(m.role("Speaker 1"), Role::Other);
    }
}
