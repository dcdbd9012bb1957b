//! Helpers shared by the transcript readers: warning tallies, whitespace, speaker labels and timing
//! lines, written once so that every format reports the same things the same way.
