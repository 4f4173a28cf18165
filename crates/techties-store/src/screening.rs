//! What screening reads and keeps: imported risk lists, the partnership graph as known on a
//! date, watched items, and the alerts their changes raise.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::query::PartyRow;
use crate::{Result, Store};

/// One entry of an imported risk list (a sanctions list, an entity list).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RiskEntry {
    /// The list's name.
    pub list: String,
    /// Name as listed.
    pub name: String,
    /// ISO country code, if given.
    pub country: Option<String>,
    /// Other names.
    pub aliases: Vec<String>,
    /// Why it is listed.
    pub reason: String,
    /// The list's own id for it (FollowTheMoney id), if any.
    pub reference: Option<String>,
}

/// A stored organisation: id, name, knowledge-base id, country.
pub type Organisation = (i64, String, Option<String>, Option<String>);

/// An imported risk list.
#[derive(Debug, Clone, Serialize)]
pub struct RiskListRow {
    /// Id.
    pub id: i64,
    /// Name given at import.
    pub name: String,
    /// The file imported.
    pub source: String,
    /// csv or ftm.
    pub format: String,
    /// When (UTC).
    pub imported_at: String,
    /// Entries.
    pub entries: i64,
}

/// A watched entity, country pair or domain.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Watch {
    /// Id.
    pub id: i64,
    /// entity, pair or domain.
    pub kind: String,
    /// Entity id, `CN-RU` (sorted), or domain name.
    pub value: String,
    /// What the analyst asked for.
    pub label: String,
    /// When (UTC).
    pub created_at: String,
}

/// A change of the graph touching a watched item.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    /// Change id (increasing).
    pub id: i64,
    /// When the change was stored (UTC).
    pub at: String,
    /// `new` (a new tie) or `status` (its status changed).
    pub change: String,
    /// The status before, for a status change.
    pub old_status: Option<String>,
    /// The status now.
    pub new_status: String,
    /// The watch it touches.
    pub watch: Watch,
    /// The partnership, with its first report.
    pub tie: TieFact,
}

/// An edge of the partnership graph: an entity that is a party to a partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// Partnership id.
    pub partnership: i64,
    /// Entity id.
    pub entity: i64,
}

/// A partnership as screening reports it: what, who, when, and the sentence that says so.
#[derive(Debug, Clone, Serialize)]
pub struct TieFact {
    /// Partnership id.
    pub partnership: i64,
    /// Type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Parties.
    pub parties: Vec<PartyRow>,
    /// Countries.
    pub countries: Vec<String>,
    /// Domains.
    pub domains: Vec<String>,
    /// Date of the partnership (earliest its reports give).
    pub date: Option<String>,
    /// Status, as its latest report (by the date screened) says.
    pub status: String,
    /// Documents reporting it (by the date screened).
    pub documents: i64,
    /// Independent publishers reporting it (by the date screened).
    pub sources: i64,
    /// The sentence of its first report.
    pub evidence: String,
    /// That report's document id.
    pub document: i64,
    /// That document's URL or path.
    pub source: String,
    /// That document's publication date.
    pub published: Option<String>,
}

/// The state of the database a screening report used.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    /// The database file.
    pub database: String,
    /// Schema version.
    pub schema_version: i64,
    /// Documents stored.
    pub documents: i64,
    /// Partnerships stored.
    pub partnerships: i64,
    /// Highest document id: documents added later have higher ids.
    pub last_document: i64,
    /// When the last document was ingested (UTC).
    pub last_ingested_at: Option<String>,
}

/// Evidence counts for a date when its document was published (or, undated, ingested) and
/// ingested by then.
const KNOWN_BY: &str = "(?1 IS NULL OR (COALESCE(d.published, substr(d.ingested_at, 1, 10)) <= ?1
     AND substr(d.ingested_at, 1, 10) <= ?1))";

impl Store {
    /// Replaces the risk list `name` (if any) by these entries, in one transaction.
    pub fn replace_risk_list(
        &mut self,
        name: &str,
        source: &str,
        format: &str,
        entries: &[RiskEntry],
    ) -> Result<i64> {
        let path = self.path.display().to_string();
        let err = |source| crate::StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute("DELETE FROM risk_lists WHERE name = ?1", [name])
            .map_err(err)?;
        tx.execute(
            "INSERT INTO risk_lists (name, source, format, imported_at)
             VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            params![name, source, format],
        )
        .map_err(err)?;
        let id = tx.last_insert_rowid();
        {
            let mut ins = tx
                .prepare(
                    "INSERT INTO risk_entries (list, name, country, aliases, reason, ref)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(err)?;
            for e in entries {
                ins.execute(params![
                    id,
                    e.name,
                    e.country,
                    e.aliases.join("|"),
                    e.reason,
                    e.reference
                ])
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(id)
    }

    /// The imported risk lists.
    pub fn risk_lists(&self) -> Result<Vec<RiskListRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT l.id, l.name, l.source, l.format, l.imported_at,
                        (SELECT COUNT(*) FROM risk_entries e WHERE e.list = l.id)
                 FROM risk_lists l ORDER BY l.name",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(RiskListRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    source: r.get(2)?,
                    format: r.get(3)?,
                    imported_at: r.get(4)?,
                    entries: r.get(5)?,
                })
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        Ok(rows)
    }

    /// Every entry of every imported risk list.
    pub fn risk_entries(&self) -> Result<Vec<RiskEntry>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT l.name, e.name, e.country, e.aliases, e.reason, e.ref
                 FROM risk_entries e JOIN risk_lists l ON l.id = e.list ORDER BY l.name, e.id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                let aliases: String = r.get(3)?;
                Ok(RiskEntry {
                    list: r.get(0)?,
                    name: r.get(1)?,
                    country: r.get(2)?,
                    aliases: aliases
                        .split('|')
                        .filter(|a| !a.is_empty())
                        .map(str::to_string)
                        .collect(),
                    reason: r.get(4)?,
                    reference: r.get(5)?,
                })
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        Ok(rows)
    }

    /// Organisations stored: (id, name, KB id, country).
    pub fn organisations(&self) -> Result<Vec<Organisation>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, kb_id, country FROM entities WHERE kind = 'organization' ORDER BY id")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        Ok(rows)
    }

    /// The partnership graph's edges, as known on `as_of` (`YYYY-MM-DD`; all when `None`):
    /// a partnership counts when one of its reports was published and ingested by then.
    pub fn edges(&self, as_of: Option<&str>) -> Result<Vec<Edge>> {
        let sql = format!(
            "SELECT pp.partnership, pp.entity FROM partnership_parties pp
             WHERE pp.entity IS NOT NULL AND (?1 IS NULL OR EXISTS (
                 SELECT 1 FROM evidence e JOIN documents d ON d.id = e.document
                 WHERE e.partnership = pp.partnership AND {KNOWN_BY}))"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map([as_of], |r| {
                Ok(Edge {
                    partnership: r.get(0)?,
                    entity: r.get(1)?,
                })
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        Ok(rows)
    }

    /// A partnership as known on `as_of` (all its reports when `None`), or `None` when none
    /// of its reports was known by then.
    pub fn tie(&self, pid: i64, as_of: Option<&str>) -> Result<Option<TieFact>> {
        let sql = format!(
            "SELECT e.sentence, e.document, COALESCE(d.url, d.source), d.published, e.status,
                    e.date, COALESCE(root.publisher, root.url, root.source)
             FROM evidence e JOIN documents d ON d.id = e.document
             JOIN documents root ON root.id = COALESCE(d.story, d.id)
             WHERE e.partnership = ?2 AND {KNOWN_BY}
             ORDER BY d.published, e.id"
        );
        type Report = (
            String,
            i64,
            String,
            Option<String>,
            String,
            Option<String>,
            String,
        );
        let reports: Vec<Report> = {
            let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
            let rows = stmt
                .query_map(params![as_of, pid], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                })
                .map_err(self.err())?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(self.err())?;
            rows
        };
        let (Some(first), Some(last)) = (reports.first(), reports.last()) else {
            return Ok(None);
        };
        let row: Option<(String, String, String)> = self
            .conn
            .prepare_cached("SELECT kind, countries, domains FROM partnerships WHERE id = ?1")
            .map_err(self.err())?
            .query_row([pid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()
            .map_err(self.err())?;
        let Some((kind, countries, domains)) = row else {
            return Ok(None);
        };
        let split = |s: &str| -> Vec<String> {
            s.split(',')
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        let documents: std::collections::BTreeSet<i64> = reports.iter().map(|r| r.1).collect();
        let publishers: std::collections::BTreeSet<&str> =
            reports.iter().map(|r| r.6.as_str()).collect();
        Ok(Some(TieFact {
            partnership: pid,
            kind,
            parties: self.parties(pid)?,
            countries: split(&countries),
            domains: split(&domains),
            date: reports.iter().filter_map(|r| r.5.clone()).min(),
            status: last.4.clone(),
            documents: documents.len() as i64,
            sources: publishers.len() as i64,
            evidence: first.0.clone(),
            document: first.1,
            source: first.2.clone(),
            published: first.3.clone(),
        }))
    }

    /// The state of the database now, for a report to name.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let (documents, last_document, last_ingested_at): (i64, i64, Option<String>) = self
            .conn
            .query_row(
                "SELECT COUNT(*), COALESCE(MAX(id), 0), MAX(ingested_at) FROM documents",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(self.err())?;
        let partnerships: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM partnerships", [], |r| r.get(0))
            .map_err(self.err())?;
        Ok(Snapshot {
            database: self.path.display().to_string(),
            schema_version: self.schema_version()?,
            documents,
            partnerships,
            last_document,
            last_ingested_at,
        })
    }

    /// Watches an item (again: the existing watch is returned).
    pub fn add_watch(&mut self, kind: &str, value: &str, label: &str) -> Result<Watch> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO watches (kind, value, label, created_at)
                 VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                params![kind, value, label],
            )
            .map_err(self.err())?;
        self.conn
            .query_row(
                "SELECT id, kind, value, label, created_at FROM watches
                 WHERE kind = ?1 AND value = ?2",
                params![kind, value],
                watch_row,
            )
            .map_err(self.err())
    }

    /// The watched items.
    pub fn watches(&self) -> Result<Vec<Watch>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, kind, value, label, created_at FROM watches ORDER BY id")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], watch_row)
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        Ok(rows)
    }

    /// Stops watching; false when nothing had this id.
    pub fn remove_watch(&mut self, id: i64) -> Result<bool> {
        self.conn
            .execute("DELETE FROM watches WHERE id = ?1", [id])
            .map(|n| n > 0)
            .map_err(self.err())
    }

    /// Changes recorded after `since` (a UTC timestamp; all when `None`) that touch a watched
    /// item: a new partnership of a watched entity, pair or domain, or a change of its status.
    pub fn alerts(&self, since: Option<&str>) -> Result<Vec<Alert>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT c.id, c.at, c.change, c.old_status, c.new_status,
                        w.id, w.kind, w.value, w.label, w.created_at, c.partnership
                 FROM partnership_changes c JOIN watches w ON (
                      (w.kind = 'entity' AND EXISTS (SELECT 1 FROM partnership_parties pp
                           WHERE pp.partnership = c.partnership
                             AND pp.entity = CAST(w.value AS INTEGER)))
                   OR (w.kind = 'pair' AND EXISTS (SELECT 1 FROM partnership_pairs x
                           WHERE x.partnership = c.partnership AND x.a || '-' || x.b = w.value))
                   OR (w.kind = 'domain' AND EXISTS (SELECT 1 FROM partnership_domains x
                           WHERE x.partnership = c.partnership AND x.domain = w.value)))
                 WHERE (?1 IS NULL OR c.at > ?1)
                 ORDER BY c.id, w.id",
            )
            .map_err(self.err())?;
        type Row = (i64, String, String, Option<String>, String, Watch, i64);
        let rows: Vec<Row> = stmt
            .query_map([since], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    Watch {
                        id: r.get(5)?,
                        kind: r.get(6)?,
                        value: r.get(7)?,
                        label: r.get(8)?,
                        created_at: r.get(9)?,
                    },
                    r.get(10)?,
                ))
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, at, change, old_status, new_status, watch, pid) in rows {
            if let Some(tie) = self.tie(pid, None)? {
                out.push(Alert {
                    id,
                    at,
                    change,
                    old_status,
                    new_status,
                    watch,
                    tie,
                });
            }
        }
        Ok(out)
    }

    /// A stored setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.err())
    }

    /// Stores a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(|_| ())
            .map_err(self.err())
    }

    /// The current UTC time as SQLite writes it (`YYYY-MM-DDTHH:MM:SSZ`).
    pub fn now(&self) -> Result<String> {
        self.conn
            .query_row("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", [], |r| {
                r.get(0)
            })
            .map_err(self.err())
    }
}

fn watch_row(r: &rusqlite::Row) -> rusqlite::Result<Watch> {
    Ok(Watch {
        id: r.get(0)?,
        kind: r.get(1)?,
        value: r.get(2)?,
        label: r.get(3)?,
        created_at: r.get(4)?,
    })
}
