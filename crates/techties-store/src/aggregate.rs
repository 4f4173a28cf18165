//! A partnership's aggregates (date, status, confidence, sources, countries, domains) kept up
//! to date as reports arrive, in memory for the open commit group and written once per group.
//!
//! A fact reported by many documents of one group (the synthetic benchmark's favourite pairs;
//! a big story's syndication) is read once and written once per group, instead of eight
//! statements per report.

use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};

/// One new report of a partnership, as far as its aggregates are concerned.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub pid: i64,
    /// The independent publisher: the story's first copy's publisher.
    pub publisher: String,
    pub published: Option<String>,
    pub date: Option<String>,
    pub status: String,
    pub confidence: f64,
    pub countries: Vec<String>,
    pub domains: Vec<String>,
    /// The first report of this partnership in its document.
    pub new_document: bool,
}

#[derive(Debug, Default)]
struct Agg {
    date: Option<String>,
    status: String,
    /// The status as stored when the group first read it: a change is an alert.
    stored_status: String,
    first_seen: Option<String>,
    last_seen: Option<String>,
    documents: i64,
    sources: HashMap<String, (f64, i64)>,
    dirty_sources: HashSet<String>,
    countries: BTreeSet<String>,
    domains: BTreeSet<String>,
    new_countries: Vec<String>,
    new_domains: Vec<String>,
}

fn min_opt(a: Option<String>, b: &Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if *b < a { b.clone() } else { a }),
        (a, b) => a.or_else(|| b.clone()),
    }
}

fn max_opt(a: Option<String>, b: &Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if *b > a { b.clone() } else { a }),
        (a, b) => a.or_else(|| b.clone()),
    }
}

/// Aggregates of the partnerships the open group touched.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    aggs: HashMap<i64, Agg>,
}

impl Pending {
    fn load(conn: &Connection, pid: i64) -> rusqlite::Result<Agg> {
        let mut agg: Agg = conn
            .prepare_cached(
                "SELECT date, status, first_seen, last_seen, documents FROM partnerships WHERE id = ?1",
            )?
            .query_row([pid], |r| {
                Ok(Agg {
                    date: r.get(0)?,
                    status: r.get(1)?,
                    stored_status: r.get(1)?,
                    first_seen: r.get(2)?,
                    last_seen: r.get(3)?,
                    documents: r.get(4)?,
                    ..Agg::default()
                })
            })
            .optional()?
            .unwrap_or_default();
        let mut s = conn.prepare_cached(
            "SELECT publisher, confidence, reports FROM partnership_sources WHERE partnership = ?1",
        )?;
        for row in s.query_map([pid], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
        })? {
            let (publisher, c, n) = row?;
            agg.sources.insert(publisher, (c, n));
        }
        let mut c = conn
            .prepare_cached("SELECT country FROM partnership_countries WHERE partnership = ?1")?;
        for row in c.query_map([pid], |r| r.get::<_, String>(0))? {
            agg.countries.insert(row?);
        }
        let mut d =
            conn.prepare_cached("SELECT domain FROM partnership_domains WHERE partnership = ?1")?;
        for row in d.query_map([pid], |r| r.get::<_, String>(0))? {
            agg.domains.insert(row?);
        }
        Ok(agg)
    }

    /// Folds a report into its partnership's aggregates (reading them on first use).
    pub fn apply(&mut self, conn: &Connection, r: Report) -> rusqlite::Result<()> {
        let a = match self.aggs.entry(r.pid) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(Self::load(conn, r.pid)?),
        };
        a.date = min_opt(a.date.take(), &r.date);
        // the most recently published report says where the partnership stands
        if r.published.as_deref().unwrap_or("") >= a.last_seen.as_deref().unwrap_or("") {
            a.status = r.status;
        }
        a.first_seen = min_opt(a.first_seen.take(), &r.published);
        a.last_seen = max_opt(a.last_seen.take(), &r.published);
        a.documents += i64::from(r.new_document);
        let s = a.sources.entry(r.publisher.clone()).or_insert((0.0, 0));
        s.0 = s.0.max(r.confidence);
        s.1 += 1;
        a.dirty_sources.insert(r.publisher);
        for c in r.countries {
            if a.countries.insert(c.clone()) {
                a.new_countries.push(c);
            }
        }
        for d in r.domains {
            if a.domains.insert(d.clone()) {
                a.new_domains.push(d);
            }
        }
        Ok(())
    }

    /// Writes every touched partnership's aggregates, and forgets them.
    pub fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let mut src = conn.prepare_cached(
            "INSERT INTO partnership_sources (partnership, publisher, confidence, reports)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (partnership, publisher) DO UPDATE
             SET confidence = excluded.confidence, reports = excluded.reports",
        )?;
        let mut country = conn.prepare_cached(
            "INSERT OR IGNORE INTO partnership_countries (partnership, country) VALUES (?1, ?2)",
        )?;
        let mut pair = conn.prepare_cached(
            "INSERT OR IGNORE INTO partnership_pairs (a, b, partnership) VALUES (?1, ?2, ?3)",
        )?;
        let mut domain = conn.prepare_cached(
            "INSERT OR IGNORE INTO partnership_domains (partnership, domain) VALUES (?1, ?2)",
        )?;
        let mut change = conn.prepare_cached(
            "INSERT INTO partnership_changes (partnership, at, change, old_status, new_status)
             VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'status', ?2, ?3)",
        )?;
        let mut update = conn.prepare_cached(
            "UPDATE partnerships SET date = ?2, status = ?3, confidence = ?4, sources = ?5,
                 documents = ?6, countries = ?7, domains = ?8, first_seen = ?9, last_seen = ?10
             WHERE id = ?1",
        )?;
        for (pid, a) in self.aggs.drain() {
            for publisher in &a.dirty_sources {
                if let Some((c, n)) = a.sources.get(publisher) {
                    src.execute(params![pid, publisher, c, n])?;
                }
            }
            for c in &a.new_countries {
                country.execute(params![pid, c])?;
                for other in a.countries.iter().filter(|o| *o != c) {
                    let (x, y) = if c < other { (c, other) } else { (other, c) };
                    pair.execute(params![x, y, pid])?;
                }
            }
            for d in &a.new_domains {
                domain.execute(params![pid, d])?;
            }
            if a.status != a.stored_status && !a.stored_status.is_empty() {
                change.execute(params![pid, a.stored_status, a.status])?;
            }
            // independent sources corroborate: noisy-or over each publisher's best report
            let miss: f64 = a
                .sources
                .values()
                .map(|(c, _)| 1.0 - c.clamp(0.0, 1.0))
                .product();
            update.execute(params![
                pid,
                a.date,
                a.status,
                1.0 - miss,
                a.sources.len() as i64,
                a.documents,
                a.countries.iter().cloned().collect::<Vec<_>>().join(","),
                a.domains.iter().cloned().collect::<Vec<_>>().join(","),
                a.first_seen,
                a.last_seen,
            ])?;
        }
        Ok(())
    }

    /// Forgets everything (the group was rolled back).
    pub fn clear(&mut self) {
        self.aggs.clear();
    }
}
