//! `ingest`, `reprocess`, `search`, `show`, `stats`: the corpus commands.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use techties_extract::Pipeline;
use techties_ingest::{Options, Progress};
use techties_store::{Query, Store};

/// The database option shared by the corpus commands.
#[derive(Args, Clone)]
pub struct Db {
    /// The database file.
    #[arg(long, default_value = "techties.db", global = true)]
    pub db: String,
}

/// Filters shared by `search` (and later `export`).
#[derive(Args, Clone, Default)]
pub struct Filters {
    /// Partnerships involving this country (ISO code; repeat for several).
    #[arg(long)]
    pub country: Vec<String>,
    /// Partnerships between two countries, e.g. RU,CN.
    #[arg(long)]
    pub pair: Option<String>,
    /// Technology domain (ai, telecom, biotech, ...).
    #[arg(long)]
    pub domain: Option<String>,
    /// Partnership type (rd_center, joint_lab, investment, ...).
    #[arg(long = "type")]
    pub kind: Option<String>,
    /// Status (announced, signed, operational, ...).
    #[arg(long)]
    pub status: Option<String>,
    /// From this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Up to this date, inclusive.
    #[arg(long)]
    pub until: Option<String>,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

impl Filters {
    /// The store query for these filters and a text.
    pub fn query(&self, text: Option<String>) -> Result<Query> {
        let pair = match &self.pair {
            Some(p) => {
                let (a, b) = p.split_once([',', '-', '/']).with_context(|| {
                    format!("--pair {p:?}: expected two country codes, e.g. RU,CN")
                })?;
                Some((a.trim().to_string(), b.trim().to_string()))
            }
            None => None,
        };
        Ok(Query {
            text,
            countries: self.country.clone(),
            pair,
            domain: self.domain.clone(),
            kind: self.kind.clone(),
            status: self.status.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            limit: Some(self.limit),
            ..Query::default()
        })
    }
}

/// What `show` shows.
#[derive(Subcommand)]
pub enum ShowWhat {
    /// A partnership with every report of it.
    Partnership {
        /// Its id.
        id: i64,
    },
    /// An entity with its partnerships (an id, or a name to look up).
    Entity {
        /// Its id or name.
        id: String,
    },
    /// A stored document with its mentions and evidence.
    Document {
        /// Its id.
        id: i64,
    },
}

fn progress_bar(label: &'static str) -> (Option<ProgressBar>, impl FnMut(Progress)) {
    // a bar on a terminal, nothing in a pipe or a log
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = ProgressBar::new(0);
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} inputs, {per_sec} ({eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b.set_message(label);
        b
    });
    let handle = bar.clone();
    let update = move |p: Progress| {
        if let Some(b) = &handle {
            b.set_length(p.total as u64);
            b.set_position(p.done as u64);
        }
    };
    (bar, update)
}

/// `techties ingest`.
pub fn ingest(
    inputs: &[String],
    db: &Db,
    report: Option<&str>,
    strict: bool,
    threads: Option<usize>,
    allow_private: bool,
    commit_every: Option<usize>,
) -> Result<ExitCode> {
    let mut store = Store::open(&db.db)?;
    let pipeline = Pipeline::standard();
    let mut opts = Options::default();
    if let Some(t) = threads {
        opts.threads = t.max(1);
    }
    opts.limits.allow_private = allow_private;
    if let Some(n) = commit_every {
        opts.group_docs = n.max(1);
    }
    let (bar, mut update) = progress_bar("ingest");
    let summary = techties_ingest::ingest(inputs, &mut store, &pipeline, &opts, &mut update)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let not_extracted: usize = summary.not_extracted.values().sum();
    eprintln!(
        "{}: {} added ({} near-duplicate copies, {} not extracted: {}), {} duplicates, {} files skipped, {} failed; {} partnership reports; {:.1} s, {:.0} documents/s",
        db.db,
        summary.added,
        summary.near_duplicates,
        not_extracted,
        if summary.not_extracted.is_empty() {
            "none".to_string()
        } else {
            summary
                .not_extracted
                .iter()
                .map(|(l, n)| format!("{l} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        },
        summary.duplicates,
        summary.skipped_files,
        summary.failed.len(),
        summary.partnerships,
        summary.seconds,
        summary.rate(),
    );
    for f in summary.failed.iter().take(20) {
        eprintln!("  failed: {}: {}", f.source, f.reason);
    }
    if summary.failed.len() > 20 {
        eprintln!(
            "  ... and {} more (see --report)",
            summary.failed.len() - 20
        );
    }
    if let Some(path) = report {
        let json = serde_json::to_string_pretty(&summary)?;
        std::fs::write(path, json).with_context(|| format!("{path}: cannot write the report"))?;
    }
    let anything = summary.added + summary.duplicates > 0;
    Ok(if (strict && !summary.failed.is_empty()) || !anything {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `techties reprocess`.
pub fn reprocess(db: &Db, all: bool) -> Result<ExitCode> {
    let mut store = Store::open(&db.db)?;
    let pipeline = Pipeline::standard();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (bar, mut update) = progress_bar("reprocess");
    let s = techties_ingest::reprocess(&mut store, &pipeline, all, threads, &mut update)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    eprintln!(
        "{}: {} documents extracted again, {} partnership reports, {} failed, {} orphan entities removed; {:.1} s",
        db.db,
        s.documents,
        s.partnerships,
        s.failed.len(),
        s.orphans_removed,
        s.seconds
    );
    for f in &s.failed {
        eprintln!("  failed: {}: {}", f.source, f.reason);
    }
    Ok(ExitCode::SUCCESS)
}

fn open_existing(db: &Db) -> Result<Store> {
    anyhow::ensure!(
        std::path::Path::new(&db.db).exists(),
        "{}: no such database (run `techties ingest` first)",
        db.db
    );
    Ok(Store::open_for_reading(&db.db)?)
}

/// `techties search`.
pub fn search(text: Option<String>, filters: &Filters, db: &Db, json: bool) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let q = filters.query(text)?;
    let r = store.search(&q)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} partnerships match (showing {})",
        r.total,
        r.partnerships.len()
    );
    for p in &r.partnerships {
        let parties: Vec<String> = p
            .parties
            .iter()
            .map(|x| match &x.country {
                Some(c) => format!("{} ({c})", x.name),
                None => x.name.clone(),
            })
            .collect();
        println!(
            "#{:<6} {:<20} {:<10} {} — {} [{}] {} source(s), {} document(s)",
            p.id,
            p.kind,
            p.date.as_deref().unwrap_or("undated"),
            parties.join(" · "),
            p.domains.join(","),
            p.status,
            p.sources,
            p.documents
        );
        if let Some(e) = &p.evidence {
            println!("        “{}”", one_line(e, 160));
        }
    }
    if !r.documents.is_empty() {
        println!("\n{} documents match the text:", r.documents.len());
        for d in &r.documents {
            println!(
                "  doc {:<6} {} {} ({})",
                d.id,
                d.published.as_deref().unwrap_or("----------"),
                d.title.as_deref().unwrap_or("(untitled)"),
                d.source
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn one_line(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat
    }
}

/// `techties show`.
pub fn show(what: &ShowWhat, db: &Db) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let json = match what {
        ShowWhat::Partnership { id } => serde_json::to_string_pretty(&store.partnership(*id)?)?,
        ShowWhat::Document { id } => serde_json::to_string_pretty(&store.document(*id)?)?,
        ShowWhat::Entity { id } => {
            let id = match id.parse::<i64>() {
                Ok(n) => n,
                Err(_) => {
                    let found = store.find_entities(id, 10)?;
                    match found.as_slice() {
                        [] => anyhow::bail!("no entity named {id:?}"),
                        [one] => one.id,
                        many => {
                            // exact name first; otherwise say which ones, never guess
                            match many.iter().find(|e| e.name.eq_ignore_ascii_case(id)) {
                                Some(e) => e.id,
                                None => {
                                    eprintln!("{id:?} is ambiguous:");
                                    for e in many {
                                        eprintln!(
                                            "  {} {} ({}, {}) in {} document(s)",
                                            e.id,
                                            e.name,
                                            e.kind,
                                            e.country.as_deref().unwrap_or("??"),
                                            e.documents
                                        );
                                    }
                                    return Ok(ExitCode::from(1));
                                }
                            }
                        }
                    }
                }
            };
            serde_json::to_string_pretty(&store.entity(id)?)?
        }
    };
    println!("{json}");
    Ok(ExitCode::SUCCESS)
}

/// `techties stats`.
pub fn stats(db: &Db, json: bool) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let s = store.stats()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(ExitCode::SUCCESS);
    }
    let list = |v: &[(String, i64)]| {
        v.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "documents      {} ({} near-duplicate copies)",
        s.documents, s.near_duplicates
    );
    println!("  languages    {}", list(&s.languages));
    println!("  extraction   {}", list(&s.extraction));
    println!("entities       {}", list(&s.entities));
    println!("partnerships   {} ({} reports)", s.partnerships, s.evidence);
    println!("  types        {}", list(&s.types));
    println!("  domains      {}", list(&s.domains));
    println!("  pairs        {}", list(&s.pairs));
    Ok(ExitCode::SUCCESS)
}

/// `techties db-check`.
pub fn db_check(db: &Db) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let result = store.integrity_check()?;
    println!(
        "{}: integrity {result}, schema version {}",
        db.db,
        store.schema_version()?
    );
    Ok(if result == "ok" {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn output(out: Option<&str>) -> Result<Box<dyn std::io::Write>> {
    Ok(match out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("{path}: cannot create"))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

/// `techties export`.
pub fn export(
    format: &str,
    text: Option<String>,
    filters: &Filters,
    db: &Db,
    out: Option<&str>,
) -> Result<ExitCode> {
    let format = techties_report::export::Format::parse(format).with_context(|| {
        format!("--format {format:?}: expected csv, jsonl, geojson, graphml or ftm")
    })?;
    let store = open_existing(db)?;
    let mut q = filters.query(text)?;
    q.limit = None;
    let mut w = output(out)?;
    techties_report::export::export(&store, &q, format, &mut w)?;
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `techties brief`.
pub fn brief(
    a: &str,
    b: &str,
    since: Option<i32>,
    format: &str,
    db: &Db,
    out: Option<&str>,
) -> Result<ExitCode> {
    anyhow::ensure!(
        matches!(format, "md" | "html"),
        "--format {format:?}: expected md or html"
    );
    let code = |c: &str| -> Result<String> {
        anyhow::ensure!(
            c.len() == 2 && c.chars().all(|x| x.is_ascii_alphabetic()),
            "{c:?}: expected a two-letter country code such as RU or CN"
        );
        Ok(c.to_ascii_uppercase())
    };
    let store = open_existing(db)?;
    let spec = techties_report::brief::BriefSpec {
        a: code(a)?,
        b: code(b)?,
        since,
    };
    let brief = techties_report::brief::Brief::gather(&store, spec)?;
    let text = if format == "html" {
        brief.to_html()
    } else {
        brief.to_markdown()
    };
    let mut w = output(out)?;
    w.write_all(text.as_bytes())?;
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `techties serve`.
pub fn serve(
    db: &Db,
    bind: &str,
    port: u16,
    threads: Option<usize>,
    ingest_first: &[String],
    write_token_file: Option<&str>,
    allow_private: bool,
) -> Result<ExitCode> {
    let write_token = match write_token_file {
        Some(f) => Some(
            std::fs::read_to_string(f)
                .with_context(|| format!("cannot read the write token file {f}"))?
                .trim()
                .to_string(),
        ),
        None => std::env::var("TECHTIES_WRITE_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty()),
    };
    if !ingest_first.is_empty() {
        let code = ingest(ingest_first, db, None, false, None, false, None)?;
        if code != ExitCode::SUCCESS {
            anyhow::bail!("nothing could be ingested from {}", ingest_first.join(" "));
        }
    }
    open_existing(db)?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let cfg = techties_server::Config {
        db: db.db.clone().into(),
        bind: bind.to_string(),
        port,
        threads: threads.unwrap_or(4 * cores),
        write_token: write_token.clone(),
        allow_private,
    };
    let running = techties_server::start(&cfg)?;
    if bind != "127.0.0.1" && bind != "localhost" && bind != "::1" {
        eprintln!("techties: warning: listening on {bind}: the corpus is visible to the network");
    }
    eprintln!("techties: serving {} at http://{}/", db.db, running.addr);
    eprintln!(
        "techties: {}",
        if write_token.is_some() {
            "write endpoints enabled for requests carrying the write token"
        } else {
            "read-only (no write token)"
        }
    );
    running.wait();
    Ok(ExitCode::SUCCESS)
}
