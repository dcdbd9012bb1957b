//! What the end-to-end tests share: the command, run from the repository so fixture paths resolve.

use assert_cmd::Command;

/// `rupture`, run in the repository root.
pub fn rupture() -> Command {
    let mut c = Command::cargo_bin("rupture").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}
