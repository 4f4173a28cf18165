//! `techties`: the command-line tool. Glue only: argument parsing, reading inputs, printing.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use techties_extract::{evaluate, output, source, Pipeline};

mod corpus;
mod kb;
mod ner;
mod screen;
mod train;

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
    /// Train, evaluate and run the statistical named-entity tagger.
    #[command(subcommand)]
    Ner(NerCommand),
    /// Train models from the annotated corpus.
    #[command(subcommand)]
    Train(TrainCommand),
    /// Query and check the knowledge base.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Add files, folders (recursively), feeds and http(s) URLs to the corpus database:
    /// .txt .md .html .pdf .jsonl .json (news-please) .xml/.rss/.atom. Exact duplicates are
    /// skipped, syndicated copies linked to their story; documents commit in groups, each all
    /// or nothing.
    Ingest {
        /// Files, folders or URLs.
        #[arg(required = true)]
        inputs: Vec<String>,
        #[command(flatten)]
        db: corpus::Db,
        /// Write a JSON report of the batch (every failure with its reason) here.
        #[arg(long)]
        report: Option<String>,
        /// Exit with status 1 if any input failed.
        #[arg(long)]
        strict: bool,
        /// Worker threads (default: one per core).
        #[arg(long)]
        threads: Option<usize>,
        /// Fetch URLs on loopback and private networks too (refused by default).
        #[arg(long)]
        allow_private: bool,
        /// Commit after at most N documents (default 1024; also every 2 s): fewer loses less
        /// work to a crash, more writes faster.
        #[arg(long, value_name = "N")]
        commit_every: Option<usize>,
    },
    /// Extract again from stored documents (after the model or rules changed): those
    /// extracted by another version, or all with --all.
    Reprocess {
        #[command(flatten)]
        db: corpus::Db,
        /// Every document, not only those extracted by another version.
        #[arg(long)]
        all: bool,
    },
    /// Search partnerships and documents: full text over evidence and articles, with filters.
    Search {
        /// Words or "a phrase" (optional: filters alone list partnerships).
        query: Option<String>,
        #[command(flatten)]
        filters: corpus::Filters,
        #[command(flatten)]
        db: corpus::Db,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Show one partnership, entity or document as JSON, with its evidence.
    Show {
        #[command(subcommand)]
        what: corpus::ShowWhat,
        #[command(flatten)]
        db: corpus::Db,
    },
    /// Export partnerships (with their evidence) matching the filters: csv, jsonl, geojson
    /// (sited partnerships), graphml (parties and their ties) or ftm (FollowTheMoney).
    Export {
        /// csv, jsonl, geojson, graphml or ftm.
        #[arg(long)]
        format: String,
        /// Words or "a phrase" the evidence or its article must contain.
        #[arg(long)]
        query: Option<String>,
        #[command(flatten)]
        filters: corpus::Filters,
        #[command(flatten)]
        db: corpus::Db,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<String>,
    },
    /// A country-pair brief: counts by domain and type, the trend by year, the most connected
    /// organisations and places, notable partnerships; every sentence cites its partnerships.
    Brief {
        /// First country (ISO code, e.g. RU).
        a: String,
        /// Second country (e.g. CN).
        b: String,
        /// Only partnerships from this year on.
        #[arg(long)]
        since: Option<i32>,
        /// md or html.
        #[arg(long, default_value = "md")]
        format: String,
        #[command(flatten)]
        db: corpus::Db,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<String>,
    },
    /// Serve the workbench: the web UI (map, graph, timeline, list, evidence) and the JSON
    /// API under /api/v1 (OpenAPI at /api/v1/openapi.json). 127.0.0.1 by default; read-only
    /// unless started with a write token.
    Serve {
        #[command(flatten)]
        db: corpus::Db,
        /// Address to bind. Anything but 127.0.0.1 exposes the corpus to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Worker threads (default: 4 per core).
        #[arg(long)]
        threads: Option<usize>,
        /// Ingest these files or folders first (already stored documents are skipped), e.g.
        /// `--ingest samples` for the bundled sample corpus.
        #[arg(long)]
        ingest: Vec<String>,
        /// Enable the write endpoints (watches, URL ingestion) for requests that carry the
        /// token in this file as `Authorization: Bearer <token>`. The environment variable
        /// TECHTIES_WRITE_TOKEN does the same. Without either, nothing writes.
        #[arg(long, value_name = "FILE")]
        write_token_file: Option<String>,
        /// Let URL ingestion through the API fetch from loopback and private addresses.
        #[arg(long)]
        allow_private: bool,
    },
    /// Check the database file: SQLite's integrity check and the schema version.
    DbCheck {
        #[command(flatten)]
        db: corpus::Db,
    },
    /// Counts over the corpus database.
    Stats {
        #[command(flatten)]
        db: corpus::Db,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Screen a list of organisations (CSV with a name column, or one name per line): who
    /// each is, its ties, flags on it and its partners, shortest paths to flagged entities
    /// with their evidence, and a risk level with its reason.
    Screen {
        /// The list.
        list: String,
        #[command(flatten)]
        db: corpus::Db,
        /// Use only what was published and ingested by this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Longest path to a flagged entity, in partnerships.
        #[arg(long, default_value_t = 2)]
        hops: usize,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: screen::Format,
        /// Write here instead of standard output.
        #[arg(long, short)]
        out: Option<String>,
    },
    /// Risk lists (sanctions, entity lists) that screening flags.
    #[command(subcommand)]
    Lists(screen::ListsCommand),
    /// Watch entities, country pairs and domains for new ties and changes of status.
    #[command(subcommand)]
    Watch(screen::WatchCommand),
    /// New or changed partnerships touching a watched item, since the last call (or --since).
    Alerts {
        #[command(flatten)]
        db: corpus::Db,
        /// Changes recorded after this UTC time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ).
        #[arg(long)]
        since: Option<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Score extraction on a gold corpus (articles/ + gold/): the yardstick's figures, per type,
    /// per domain, calibration, and an HTML list of every error.
    Eval {
        /// The corpus folder (gold/ and, unless --articles, articles/).
        #[arg(long)]
        corpus: String,
        /// The folder of article texts, when they are kept apart from the gold
        /// (`--corpus corpus/en --articles ../shared/corpus/en/articles`).
        #[arg(long)]
        articles: Option<String>,
        /// Score only this split of the corpus's splits.tsv (train, dev, test).
        #[arg(long)]
        split: Option<String>,
        /// The splits file (default: CORPUS/splits.tsv).
        #[arg(long)]
        splits: Option<String>,
        /// Write the error report here.
        #[arg(long)]
        html: Option<String>,
        /// Which extractor decides: the shipped one (learned, over the rules), or rules only.
        #[arg(long, value_enum, default_value = "shipped")]
        extractor: ExtractorChoice,
        /// A model bundle to evaluate instead of the embedded one.
        #[arg(long)]
        model: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractorChoice {
    /// The embedded (or --model) learned extractor over the rules.
    Shipped,
    /// The rule extractor alone.
    Rules,
}

#[derive(Subcommand)]
enum TrainCommand {
    /// The learned partnership extractor: trained on the corpus's train split, thresholds
    /// chosen on dev, rules only / learned only / combined reported side by side on dev.
    Extractor {
        /// The corpus folder (gold/, splits.tsv).
        #[arg(long, default_value = "corpus/en")]
        corpus: String,
        /// The folder of article texts.
        #[arg(long)]
        articles: Option<String>,
        /// Where to write the model bundle (embedded in the next build).
        #[arg(long, default_value = "models/extractor.bin")]
        out: String,
        /// Where to write the model card.
        #[arg(long)]
        card: Option<String>,
        /// Without the rule extractor's verdicts as features.
        #[arg(long)]
        no_rules: bool,
        /// Also the learning curve: dev figures at 25%, 50% and 100% of the train articles.
        #[arg(long)]
        curve: bool,
        /// Write one JSON line per dev article (gold, candidates, decoded facts) for error study.
        #[arg(long)]
        diagnose: Option<String>,
    },
}

#[derive(Subcommand)]
enum KbCommand {
    /// Candidates for a name: ids, kinds, countries, scores.
    Lookup {
        /// The name, as it would appear in text ("Kazan", "华为", "St. Petersburg").
        name: String,
    },
    /// Counts by kind and country, and the load time.
    Stats,
    /// Validate the data files: duplicate ids, alias collisions, flags without basis.
    Check,
}

#[derive(Subcommand)]
enum NerCommand {
    /// Train a model on CoNLL data (IOB1 or IOB2), keeping the epoch best on --dev.
    Train {
        /// Training data.
        #[arg(long)]
        train: String,
        /// Development data for choosing the epoch.
        #[arg(long)]
        dev: Option<String>,
        /// Where to write the model.
        #[arg(long)]
        out: String,
        /// Passes over the training data.
        #[arg(long, default_value_t = 12)]
        epochs: usize,
        /// Seed of the shuffle (same seed, same model).
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Drop features seen fewer times than this.
        #[arg(long, default_value_t = 1)]
        min_count: u32,
        /// Models trained with successive seeds and averaged into one.
        #[arg(long, default_value_t = 1)]
        bags: usize,
    },
    /// Score a model on CoNLL data: conlleval's report, tokens per second, peak memory.
    Eval {
        /// The model (default: the one built into the binary).
        #[arg(long)]
        model: Option<String>,
        /// Gold CoNLL data.
        file: String,
    },
    /// Copy a CoNLL file, appending the predicted tag (IOB2) to every line.
    Tag {
        /// The model (default: the one built into the binary).
        #[arg(long)]
        model: Option<String>,
        /// CoNLL input.
        #[arg(long)]
        conll: String,
    },
}

fn main() -> ExitCode {
    quiet_on_closed_stdout();
    let cli = Cli::parse();
    match cli.command {
        Command::Extract { format, inputs } => extract(format, &inputs),
        Command::Eval {
            corpus,
            articles,
            split,
            splits,
            html,
            extractor,
            model,
        } => exit_code(eval(
            &corpus,
            &evaluate::LoadOptions {
                articles: articles.as_deref().map(std::path::Path::new),
                split: split.as_deref(),
                splits: splits.as_deref().map(std::path::Path::new),
            },
            html.as_deref(),
            extractor,
            model.as_deref(),
        )),
        Command::Ingest {
            inputs,
            db,
            report,
            strict,
            threads,
            allow_private,
            commit_every,
        } => report_errors(corpus::ingest(
            &inputs,
            &db,
            report.as_deref(),
            strict,
            threads,
            allow_private,
            commit_every,
        )),
        Command::Reprocess { db, all } => report_errors(corpus::reprocess(&db, all)),
        Command::Search {
            query,
            filters,
            db,
            json,
        } => report_errors(corpus::search(query, &filters, &db, json)),
        Command::Show { what, db } => report_errors(corpus::show(&what, &db)),
        Command::Stats { db, json } => report_errors(corpus::stats(&db, json)),
        Command::DbCheck { db } => report_errors(corpus::db_check(&db)),
        Command::Serve {
            db,
            bind,
            port,
            threads,
            ingest,
            write_token_file,
            allow_private,
        } => report_errors(corpus::serve(
            &db,
            &bind,
            port,
            threads,
            &ingest,
            write_token_file.as_deref(),
            allow_private,
        )),
        Command::Export {
            format,
            query,
            filters,
            db,
            out,
        } => report_errors(corpus::export(
            &format,
            query,
            &filters,
            &db,
            out.as_deref(),
        )),
        Command::Brief {
            a,
            b,
            since,
            format,
            db,
            out,
        } => report_errors(corpus::brief(&a, &b, since, &format, &db, out.as_deref())),
        Command::Screen {
            list,
            db,
            as_of,
            hops,
            format,
            out,
        } => report_errors(screen::screen(
            &list,
            &db,
            as_of.as_deref(),
            hops,
            format,
            out.as_deref(),
        )),
        Command::Lists(cmd) => report_errors(screen::lists(cmd)),
        Command::Watch(cmd) => report_errors(screen::watch(cmd)),
        Command::Alerts { db, since, json } => {
            report_errors(screen::alerts(&db, since.as_deref(), json))
        }
        Command::Kb(cmd) => match kb::run(cmd) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("techties: error: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::Train(TrainCommand::Extractor {
            corpus,
            articles,
            out,
            card,
            no_rules,
            curve,
            diagnose,
        }) => exit_code(train::run(&train::TrainArgs {
            corpus,
            articles,
            out,
            card,
            no_rules,
            curve,
            diagnose,
        })),
        Command::Ner(cmd) => exit_code(ner::run(cmd)),
    }
}

/// `techties search ... | head` closes our stdout early; `println!` then panics. Exit quietly
/// instead, with the status a shell gives a process killed by SIGPIPE (128 + 13), as tools that
/// leave SIGPIPE at its default do.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

fn report_errors(r: anyhow::Result<ExitCode>) -> ExitCode {
    r.unwrap_or_else(|e| {
        eprintln!("techties: error: {}", error_message(&e));
        ExitCode::from(1)
    })
}

/// The error and its causes, each said once (a store error already quotes SQLite's), and what
/// to do about a full disk or a read-only database.
fn error_message(e: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in e.chain() {
        let c = cause.to_string();
        // SQLite's own error repeats rusqlite's as "Error code 13: database or disk is full"
        let said = c
            .split_once(": ")
            .filter(|(code, _)| code.starts_with("Error code "));
        if !msg.contains(&c) && !said.is_some_and(|(_, rest)| msg.contains(rest)) {
            if !msg.is_empty() {
                msg.push_str(": ");
            }
            msg.push_str(&c);
        }
    }
    if msg.contains("disk is full") {
        msg.push_str(
            "\n  the disk is full: free some space and run the same command again; every \
             document committed so far is kept, and nothing is stored twice",
        );
    } else if msg.contains("cannot be written") || msg.contains("readonly database") {
        msg.push_str(
            "\n  the database cannot be written (file permissions or a read-only disk); \
             reading commands (search, serve, export, stats) still work",
        );
    }
    msg
}

/// A command's result as the process's exit status: errors are printed with their causes.
fn exit_code(r: anyhow::Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("techties: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn eval(
    corpus: &str,
    opts: &evaluate::LoadOptions,
    html: Option<&str>,
    extractor: ExtractorChoice,
    model: Option<&str>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    let docs = evaluate::load_corpus(std::path::Path::new(corpus), opts)?;
    anyhow::ensure!(!docs.is_empty(), "{corpus}: no articles with gold");
    let pipeline = match (extractor, model) {
        (ExtractorChoice::Rules, _) => Pipeline::rules(),
        (ExtractorChoice::Shipped, None) => Pipeline::standard(),
        (ExtractorChoice::Shipped, Some(path)) => {
            let bytes = std::fs::read(path).with_context(|| format!("{path}: cannot read"))?;
            let models = techties_extract::learned::Models::from_bytes(path, &bytes)?;
            // one bundle for the life of the command
            Pipeline::with_models(Box::leak(Box::new(models)))
        }
    };
    let report = evaluate::evaluate(&pipeline, &docs);
    print!("{}", report.to_text());
    if let Some(path) = html {
        std::fs::write(path, report.to_html(corpus))
            .with_context(|| format!("{path}: cannot write"))?;
        eprintln!(
            "wrote {path}: {} missed, {} spurious",
            report.missed.len(),
            report.spurious.len()
        );
    }
    Ok(())
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
