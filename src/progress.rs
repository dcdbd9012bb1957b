//! The progress bar: sessions done, rate and time left, on stderr when it is a terminal; hidden
//! otherwise or with `--quiet`, so logs and pipes stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::fmt::Write;
use std::io::IsTerminal;

/// A bar over `files` input files that also counts sessions in its message.
pub fn bar(files: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:30} {pos}/{len} files, {msg} sessions  {rate}  ETA {eta}",
        )
        .expect("a valid template")
        .with_key("rate", |s: &ProgressState, w: &mut dyn Write| {
            let _ = write!(w, "{:.0} files/s", s.per_sec());
        }),
    );
    bar
}
