//! `techties`: the command-line tool. Glue only: argument parsing, reading inputs, printing.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use techties_extract::{output, source, Pipeline};

#[derive(Parser)]
#[command(
    name = "techties",
    version,
    about = "Evidence-backed maps of cross-border technology partnerships"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One JSON object per document, one per line (the extraction contract).
    Jsonl,
    /// Indented JSON, for reading.
    Pretty,
}

#[derive(Subcommand)]
enum Command {
    /// Extract entities and partnerships from documents (.txt, .md, .html, .jsonl, or - for stdin).
    Extract {
        /// Output format.
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
        /// Input files.
        #[arg(required = true)]
        inputs: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract { format, inputs } => extract(format, &inputs),
    }
}

fn extract(format: Format, inputs: &[String]) -> ExitCode {
    let pipeline = Pipeline::standard();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    for input in inputs {
        for raw in source::read_input(input) {
            let result = raw
                .map_err(anyhow::Error::from)
                .and_then(|r| pipeline.run(r).map_err(anyhow::Error::from));
            match result {
                Ok(doc) => {
                    // a whole line or nothing: serialise first, then write
                    let line = match format {
                        Format::Jsonl => output::to_json_line(&doc),
                        Format::Pretty => output::to_json_pretty(&doc),
                    };
                    if writeln!(out, "{line}").is_err() {
                        return ExitCode::from(2);
                    }
                }
                Err(e) => {
                    failed += 1;
                    let _ = out.flush();
                    eprintln!("techties: error: {e:#}");
                }
            }
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(2);
    }
    if failed > 0 {
        eprintln!("techties: {failed} document(s) failed");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
