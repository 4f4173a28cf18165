//! `techties screen`, `lists`, `watch` and `alerts`: argv to the screening crate and back.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use techties_screen::{report, Options, Screener};
use techties_store::Store;

use crate::corpus::Db;

/// Output formats of a screening report.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Everything, as JSON.
    Json,
    /// One line per listed name.
    Csv,
    /// A report for a compliance folder.
    Html,
}

/// `techties lists ...`
#[derive(Subcommand)]
pub enum ListsCommand {
    /// Import a risk list (CSV: name, country, aliases, reason; or FollowTheMoney JSON lines
    /// as OpenSanctions publishes them), replacing a list of the same name.
    Import {
        /// The file.
        file: String,
        /// The list's name.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: Db,
    },
    /// The imported lists, with their entries (--entries).
    Show {
        #[command(flatten)]
        db: Db,
        /// Every entry too.
        #[arg(long)]
        entries: bool,
    },
}

/// `techties watch ...`
#[derive(Subcommand)]
pub enum WatchCommand {
    /// Watch an entity (name or id), a country pair (RU,CN) or a domain (ai).
    Add {
        /// entity, pair or domain.
        #[arg(value_parser = ["entity", "pair", "domain"])]
        kind: String,
        /// What to watch.
        value: String,
        #[command(flatten)]
        db: Db,
    },
    /// The watched items.
    List {
        #[command(flatten)]
        db: Db,
    },
    /// Stop watching (by the id `watch list` shows).
    Remove {
        /// Watch id.
        id: i64,
        #[command(flatten)]
        db: Db,
    },
}

/// Today's date, UTC, as YYYY-MM-DD.
pub(crate) fn today() -> String {
    // the date of "now" in UTC, without a date crate: days since the epoch to a civil date
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn check_date(d: &str) -> Result<String> {
    let ok = d.len() == 10
        && d.as_bytes()[4] == b'-'
        && d.as_bytes()[7] == b'-'
        && d.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !ok {
        bail!("--as-of {d:?}: expected a date as YYYY-MM-DD");
    }
    Ok(d.to_string())
}

/// `techties screen`.
pub fn screen(
    list: &str,
    db: &Db,
    as_of: Option<&str>,
    hops: usize,
    format: Format,
    out: Option<&str>,
) -> Result<ExitCode> {
    let bytes = std::fs::read(list).with_context(|| format!("{list}: cannot read"))?;
    let rows = techties_screen::parse_list(list, &bytes)?;
    if !std::path::Path::new(&db.db).exists() {
        bail!("{}: no such database (run techties ingest first)", db.db);
    }
    let store = Store::open_for_reading(&db.db)?;
    let as_of = as_of.map(check_date).transpose()?;
    if let Some(d) = &as_of {
        if *d > today() {
            bail!("--as-of {d}: a date in the future");
        }
    }
    let screener = Screener::new(&store, techties_kb::Kb::embedded(), Options { as_of, hops })?;
    let report = screener.screen(list, &rows)?;
    let text = match format {
        Format::Json => report::to_json(&report),
        Format::Csv => report::to_csv(&report),
        Format::Html => report::to_html(&report),
    };
    match out {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("{path}: cannot write"))?;
            let mut by_level = std::collections::BTreeMap::new();
            for r in &report.rows {
                *by_level.entry(r.risk).or_insert(0) += 1;
            }
            eprintln!(
                "{path}: {} names screened ({})",
                report.rows.len(),
                by_level
                    .iter()
                    .map(|(k, v)| format!("{v} {k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `techties lists`.
pub fn lists(cmd: ListsCommand) -> Result<ExitCode> {
    match cmd {
        ListsCommand::Import { file, name, db } => {
            let bytes = std::fs::read(&file).with_context(|| format!("{file}: cannot read"))?;
            let (format, entries) = techties_screen::parse_risk_list(&file, &bytes, &name)?;
            let mut store = Store::open(&db.db)?;
            store.replace_risk_list(&name, &file, format, &entries)?;
            eprintln!(
                "{}: list {name}: {} entries ({format})",
                db.db,
                entries.len()
            );
        }
        ListsCommand::Show { db, entries } => {
            let store = Store::open_for_reading(&db.db)?;
            let lists = store.risk_lists()?;
            if lists.is_empty() {
                println!("no risk lists imported (techties lists import FILE --name NAME)");
            }
            for l in &lists {
                println!(
                    "{}\t{} entries\t{} ({})\timported {}",
                    l.name, l.entries, l.source, l.format, l.imported_at
                );
            }
            if entries {
                for e in store.risk_entries()? {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        e.list,
                        e.name,
                        e.country.unwrap_or_default(),
                        e.aliases.join("|"),
                        e.reason
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `techties watch`.
pub fn watch(cmd: WatchCommand) -> Result<ExitCode> {
    match cmd {
        WatchCommand::Add { kind, value, db } => {
            let mut store = Store::open(&db.db)?;
            let (value, label) =
                techties_screen::watch_target(&store, techties_kb::Kb::embedded(), &kind, &value)?;
            let w = store.add_watch(&kind, &value, &label)?;
            println!("watch {}: {} {} ({})", w.id, w.kind, w.value, w.label);
        }
        WatchCommand::List { db } => {
            let store = Store::open_for_reading(&db.db)?;
            for w in store.watches()? {
                println!(
                    "{}\t{}\t{}\t{}\tsince {}",
                    w.id, w.kind, w.value, w.label, w.created_at
                );
            }
        }
        WatchCommand::Remove { id, db } => {
            let mut store = Store::open(&db.db)?;
            if !store.remove_watch(id)? {
                bail!("no watch with id {id}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `techties alerts`: changes touching watched items since `--since`, or since the last
/// time alerts were read.
pub fn alerts(db: &Db, since: Option<&str>, json: bool) -> Result<ExitCode> {
    let mut store = Store::open(&db.db)?;
    let since = match since {
        Some(s) => Some(s.to_string()),
        None => store.setting("alerts_read_at")?,
    };
    let now = store.now()?;
    let alerts = store.alerts(since.as_deref())?;
    if json {
        println!("{}", serde_json::to_string_pretty(&alerts)?);
    } else if alerts.is_empty() {
        println!(
            "no new alerts{}",
            since.map(|s| format!(" since {s}")).unwrap_or_default()
        );
    } else {
        for a in &alerts {
            let parties: Vec<&str> = a.tie.parties.iter().map(|p| p.name.as_str()).collect();
            let what = if a.change == "new" {
                format!("new {}", a.tie.kind)
            } else {
                format!(
                    "{} status {} -> {}",
                    a.tie.kind,
                    a.old_status.as_deref().unwrap_or("?"),
                    a.new_status
                )
            };
            println!(
                "{}  [{} {}] {}: {} (partnership {})\n    \"{}\" ({}, {})",
                a.at,
                a.watch.kind,
                a.watch.label,
                what,
                parties.join(", "),
                a.tie.partnership,
                a.tie.evidence,
                a.tie.source,
                a.tie.published.as_deref().unwrap_or("undated")
            );
        }
    }
    // reading with --since is a look back, not a read of what is new
    store.set_setting("alerts_read_at", &now)?;
    Ok(ExitCode::SUCCESS)
}
