//! rupture's entry point: parse the command line, run, and turn the outcome into an exit code
//! (0 every input scored, 1 some inputs failed, 2 usage error or bad lexicon).

use clap::Parser;
use rupture::cli::{Cli, Command};
use rupture::config::ScoreConfig;
use std::process::ExitCode;

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Score(args) => ScoreConfig::from_args(args).and_then(|cfg| {
            if cfg.stdin_jsonl {
                let stdin = std::io::stdin().lock();
                let stdout = std::io::BufWriter::new(std::io::stdout().lock());
                let outcome = rupture::stream::stream(&cfg, stdin, stdout)?;
                if !cfg.quiet {
                    eprintln!(
                        "scored {} session(s) from standard input: {} marker(s)",
                        outcome.sessions, outcome.markers
                    );
                }
                return Ok(outcome.failed > 0);
            }
            let outcome = rupture::app::score(&cfg)?;
            if !cfg.quiet {
                eprintln!("{}", outcome.summary(&cfg.out));
            }
            Ok(outcome.failed())
        }),
        Command::Eval(args) => rupture::eval::run::main(args),
        Command::Report(args) => rupture::report::report(&args.out, args.threads).map(|n| {
            eprintln!(
                "wrote the report of {n} session(s) -> {}",
                args.out.join("report").join("index.html").display()
            );
            false
        }),
        Command::Merge(args) => rupture::merge::merge(&args.shards, &args.out).map(|n| {
            eprintln!(
                "merged {n} session(s) from {} shard(s) -> {}",
                args.shards.len(),
                args.out.display()
            );
            false
        }),
    };
    match result {
        Ok(true) => ExitCode::from(1),
        Ok(false) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
