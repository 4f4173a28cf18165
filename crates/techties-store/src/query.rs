//! Reading: search with filters, one partnership / entity / document with its evidence, and
//! corpus statistics. View types serialise to the JSON the CLI and the server print.

use rusqlite::{params_from_iter, types::Value, OptionalExtension, Row};
use serde::Serialize;

use crate::{char_offset, fts_text, Result, Store, StoreError};

/// Filters for [`Store::search`]; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Full-text query over evidence sentences and document texts (FTS5 syntax; plain words
    /// are ANDed).
    pub text: Option<String>,
    /// Partnerships involving every one of these countries (ISO codes).
    pub countries: Vec<String>,
    /// Partnerships between exactly these two countries (and possibly others).
    pub pair: Option<(String, String)>,
    /// Technology domain.
    pub domain: Option<String>,
    /// Partnership type.
    pub kind: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Partnerships involving this entity id.
    pub entity: Option<i64>,
    /// Date (of the partnership, else of its first report) on or after.
    pub since: Option<String>,
    /// Date on or before (a year or month includes all of it).
    pub until: Option<String>,
    /// Only partnerships whose first report was published on or before this date
    /// (reproducible reports: what was known then).
    pub known_by: Option<String>,
    /// At most this many rows of each kind (default 50).
    pub limit: Option<usize>,
    /// Skip this many partnerships (paging).
    pub offset: Option<usize>,
}

/// A partnership row: the merged fact.
#[derive(Debug, Clone, Serialize)]
pub struct PartnershipRow {
    /// Id.
    pub id: i64,
    /// Type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Parties, as "name (CC)".
    pub parties: Vec<PartyRow>,
    /// Countries.
    pub countries: Vec<String>,
    /// Domains.
    pub domains: Vec<String>,
    /// Date.
    pub date: Option<String>,
    /// Status.
    pub status: String,
    /// Confidence, corroboration included.
    pub confidence: f64,
    /// Documents reporting it.
    pub documents: i64,
    /// Independent publishers reporting it.
    pub sources: i64,
    /// Earliest publication date of a report.
    pub first_seen: Option<String>,
    /// The sentence of its first report.
    pub evidence: Option<String>,
}

/// A party of a partnership.
#[derive(Debug, Clone, Serialize)]
pub struct PartyRow {
    /// Entity id, when the party is a named entity.
    pub entity: Option<i64>,
    /// Name or description.
    pub name: String,
    /// Country.
    pub country: Option<String>,
}

/// One report of a partnership.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    /// Evidence id.
    pub id: i64,
    /// Partnership id.
    pub partnership: i64,
    /// Document id.
    pub document: i64,
    /// Document title.
    pub title: Option<String>,
    /// Document URL or source.
    pub source: String,
    /// Publisher.
    pub publisher: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// The sentence(s).
    pub sentence: String,
    /// Character offsets of the sentence in the document.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
    /// Trigger phrase.
    pub trigger: Option<String>,
    /// Status this report gives.
    pub status: String,
    /// Confidence of this report.
    pub confidence: f64,
    /// Places: JSON list of {entity, name, role, country, lat, lon}.
    pub places: serde_json::Value,
}

/// A partnership with its parties and every report.
#[derive(Debug, Clone, Serialize)]
pub struct PartnershipView {
    /// The merged fact.
    #[serde(flatten)]
    pub row: PartnershipRow,
    /// Every report, oldest first.
    pub reports: Vec<EvidenceRow>,
}

/// An entity row.
#[derive(Debug, Clone, Serialize)]
pub struct EntityRow {
    /// Id.
    pub id: i64,
    /// Merge key: KB id or kind|name|country.
    pub key: String,
    /// KB id when linked.
    pub kb_id: Option<String>,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Organisation kind.
    pub subkind: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Documents mentioning it.
    pub documents: i64,
}

/// An entity with its partnerships.
#[derive(Debug, Clone, Serialize)]
pub struct EntityView {
    /// The entity.
    #[serde(flatten)]
    pub row: EntityRow,
    /// Partnerships it is a party to.
    pub partnerships: Vec<PartnershipRow>,
}

/// A mention in a stored document.
#[derive(Debug, Clone, Serialize)]
pub struct MentionRow {
    /// Entity id.
    pub entity: i64,
    /// Entity name.
    pub name: String,
    /// Entity kind.
    pub kind: String,
    /// Character offsets.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
}

/// A stored document with its annotations.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    /// Id.
    pub id: i64,
    /// Content id.
    pub content_id: String,
    /// Source path or URL.
    pub source: String,
    /// URL.
    pub url: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Language.
    pub lang: String,
    /// Input format.
    pub format: String,
    /// The first copy of the story, when this is a syndicated copy.
    pub story: Option<i64>,
    /// Extraction status.
    pub extract_status: String,
    /// The text.
    pub text: String,
    /// Entity mentions.
    pub mentions: Vec<MentionRow>,
    /// Evidence of partnerships.
    pub evidence: Vec<EvidenceRow>,
}

/// Search results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Partnerships matching the filters (and the text, in their evidence or documents).
    pub partnerships: Vec<PartnershipRow>,
    /// Total partnerships matching (before paging).
    pub total: i64,
    /// Documents whose text matches (only with a text query).
    pub documents: Vec<DocumentHit>,
}

/// A document matching a text query.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentHit {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: Option<String>,
    /// Source.
    pub source: String,
    /// Publication date.
    pub published: Option<String>,
}

/// Counts over the corpus.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Distinct documents stored.
    pub documents: i64,
    /// Of which syndicated copies of an earlier story.
    pub near_duplicates: i64,
    /// Documents by language.
    pub languages: Vec<(String, i64)>,
    /// Documents by extraction status.
    pub extraction: Vec<(String, i64)>,
    /// Entities by kind.
    pub entities: Vec<(String, i64)>,
    /// Partnerships (merged).
    pub partnerships: i64,
    /// Reports of partnerships.
    pub evidence: i64,
    /// Partnerships by type.
    pub types: Vec<(String, i64)>,
    /// Partnerships by domain.
    pub domains: Vec<(String, i64)>,
    /// Most frequent country pairs.
    pub pairs: Vec<(String, i64)>,
}

const PARTNERSHIP_COLUMNS: &str = "p.id, p.kind, p.countries, p.domains, p.date, p.status,
    p.confidence, p.documents, p.sources, p.first_seen,
    (SELECT sentence FROM evidence e WHERE e.partnership = p.id ORDER BY e.id LIMIT 1)";

fn split(s: String) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// Entity columns: id, key, kb_id, name, kind, subkind, country, lat, lon, documents.
const ENTITY_COLUMNS: &str = "id, key, kb_id, name, kind, subkind, country, lat, lon,
    (SELECT COUNT(DISTINCT document) FROM mentions m WHERE m.entity = entities.id)";

fn entity_row(r: &Row) -> rusqlite::Result<EntityRow> {
    Ok(EntityRow {
        id: r.get(0)?,
        key: r.get(1)?,
        kb_id: r.get(2)?,
        name: r.get(3)?,
        kind: r.get(4)?,
        subkind: r.get(5)?,
        country: r.get(6)?,
        lat: r.get(7)?,
        lon: r.get(8)?,
        documents: r.get(9)?,
    })
}

fn partnership_row(r: &Row) -> rusqlite::Result<PartnershipRow> {
    Ok(PartnershipRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        parties: Vec::new(),
        countries: split(r.get(2)?),
        domains: split(r.get(3)?),
        date: r.get(4)?,
        status: r.get(5)?,
        confidence: r.get(6)?,
        documents: r.get(7)?,
        sources: r.get(8)?,
        first_seen: r.get(9)?,
        evidence: r.get(10)?,
    })
}

/// The last day a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` bound covers, for inclusive `until`.
fn until_bound(s: &str) -> String {
    match s.len() {
        4 => format!("{s}-12-31"),
        7 => format!("{s}-31"),
        _ => s.to_string(),
    }
}

/// An FTS5 query from what a user typed: words become quoted terms (ANDed), so punctuation
/// cannot break the syntax; explicit quotes keep phrases; a run of Han characters is a phrase
/// of single characters, as the index holds them.
fn fts_query(q: &str) -> String {
    let mut terms = Vec::new();
    let mut rest = q;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        if let Some(inner) = rest.strip_prefix('"') {
            let end = inner.find('"').unwrap_or(inner.len());
            terms.push(&inner[..end]);
            rest = inner.get(end + 1..).unwrap_or("");
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            terms.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    terms
        .iter()
        .map(|t| {
            // punctuation separates tokens for the index too: keep only word characters
            let words: String = t
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect();
            fts_text(&words)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty())
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The WHERE clause (over `partnerships p`) for a query's filters, its arguments, and the
/// full-text query it uses.
fn where_clause(q: &Query) -> (String, Vec<Value>, Option<String>) {
    let mut wh: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let text = q.text.as_deref().map(fts_query).filter(|t| !t.is_empty());
    if let Some(t) = &text {
        wh.push(
            "(p.id IN (SELECT e.partnership FROM evidence e
                  WHERE e.id IN (SELECT rowid FROM evidence_fts WHERE evidence_fts MATCH ?))
              OR p.id IN (SELECT e.partnership FROM evidence e
                  WHERE e.document IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)))"
                .into(),
        );
        args.push(Value::Text(t.clone()));
        args.push(Value::Text(t.clone()));
    }
    // one selective filter drives (a pair's few hundred partnerships, else a country's, an
    // entity's or a domain's); the others are index probes per candidate, never lists built
    // and intersected
    let mut driven = false;
    if let Some((a, b)) = &q.pair {
        let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        wh.push("p.id IN (SELECT partnership FROM partnership_pairs WHERE a = ? AND b = ?)".into());
        args.push(Value::Text(a));
        args.push(Value::Text(b));
        driven = true;
    }
    for c in &q.countries {
        if driven {
            wh.push(
                "EXISTS (SELECT 1 FROM partnership_countries c WHERE c.country = ? AND c.partnership = p.id)"
                    .into(),
            );
        } else {
            wh.push(
                "p.id IN (SELECT partnership FROM partnership_countries WHERE country = ?)".into(),
            );
            driven = true;
        }
        args.push(Value::Text(c.to_ascii_uppercase()));
    }
    if let Some(e) = q.entity {
        if driven {
            wh.push(
                "EXISTS (SELECT 1 FROM partnership_parties pp WHERE pp.partnership = p.id AND pp.entity = ?)"
                    .into(),
            );
        } else {
            wh.push(
                "p.id IN (SELECT partnership FROM partnership_parties WHERE entity = ?)".into(),
            );
            driven = true;
        }
        args.push(Value::Integer(e));
    }
    if let Some(d) = &q.domain {
        if driven {
            wh.push(
                "EXISTS (SELECT 1 FROM partnership_domains d WHERE d.domain = ? AND d.partnership = p.id)"
                    .into(),
            );
        } else {
            wh.push(
                "p.id IN (SELECT partnership FROM partnership_domains WHERE domain = ?)".into(),
            );
        }
        args.push(Value::Text(d.clone()));
    }
    if let Some(k) = &q.kind {
        wh.push("p.kind = ?".into());
        args.push(Value::Text(k.clone()));
    }
    if let Some(s) = &q.status {
        wh.push("p.status = ?".into());
        args.push(Value::Text(s.clone()));
    }
    if let Some(s) = &q.since {
        wh.push("COALESCE(p.date, p.first_seen) >= ?".into());
        args.push(Value::Text(s.clone()));
    }
    if let Some(u) = &q.until {
        wh.push("COALESCE(p.date, p.first_seen) <= ?".into());
        args.push(Value::Text(until_bound(u)));
    }
    if let Some(k) = &q.known_by {
        wh.push("p.first_seen <= ?".into());
        args.push(Value::Text(until_bound(k)));
    }
    let where_sql = if wh.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wh.join(" AND "))
    };
    (where_sql, args, text)
}

impl Store {
    /// Partnerships matching the filters, most corroborated and recent first, and documents
    /// matching the text.
    pub fn search(&self, q: &Query) -> Result<SearchResults> {
        let (where_sql, args, text) = where_clause(q);
        let limit = q.limit.unwrap_or(50);
        let offset = q.offset.unwrap_or(0);
        let total: i64 = self
            .conn
            .query_row(
                &format!("SELECT COUNT(*) FROM partnerships p {where_sql}"),
                params_from_iter(args.iter()),
                |r| r.get(0),
            )
            .map_err(self.err())?;
        let sql = format!(
            "SELECT {PARTNERSHIP_COLUMNS} FROM partnerships p {where_sql}
             ORDER BY p.sources DESC, COALESCE(p.date, p.first_seen) DESC, p.id DESC
             LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let mut partnerships = stmt
            .query_map(params_from_iter(args.iter()), partnership_row)
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        for p in &mut partnerships {
            p.parties = self.parties(p.id)?;
        }
        let mut documents = Vec::new();
        if let Some(t) = &text {
            let mut dargs: Vec<Value> = vec![Value::Text(t.clone())];
            let mut dwh = String::new();
            if let Some(s) = &q.since {
                dwh.push_str(" AND d.published >= ?");
                dargs.push(Value::Text(s.clone()));
            }
            if let Some(u) = &q.until {
                dwh.push_str(" AND d.published <= ?");
                dargs.push(Value::Text(until_bound(u)));
            }
            let sql = format!(
                "SELECT d.id, d.title, COALESCE(d.url, d.source), d.published
                 FROM documents_fts f JOIN documents d ON d.id = f.rowid
                 WHERE documents_fts MATCH ?{dwh}
                 ORDER BY rank LIMIT {limit}"
            );
            let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
            documents = stmt
                .query_map(params_from_iter(dargs.iter()), |r| {
                    Ok(DocumentHit {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        source: r.get(2)?,
                        published: r.get(3)?,
                    })
                })
                .map_err(self.err())?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(self.err())?;
        }
        Ok(SearchResults {
            partnerships,
            total,
            documents,
        })
    }

    /// Partnerships matching the filters per year (of their date, else first report) and
    /// domain: (year, domain, count).
    pub fn timeline(&self, q: &Query) -> Result<Vec<(i64, String, i64)>> {
        let (where_sql, args, _) = where_clause(q);
        let sql = format!(
            "SELECT CAST(substr(COALESCE(p.date, p.first_seen), 1, 4) AS INTEGER) AS y,
                    COALESCE(d.domain, 'other'), COUNT(*)
             FROM partnerships p LEFT JOIN partnership_domains d ON d.partnership = p.id
             {where_sql} {} COALESCE(p.date, p.first_seen) IS NOT NULL
             GROUP BY 1, 2 ORDER BY 1, 2",
            if where_sql.is_empty() { "WHERE" } else { "AND" }
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(params_from_iter(args.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        Ok(rows)
    }

    /// The places of a partnership's reports (JSON objects: entity, name, role, country, lat,
    /// lon), each place once.
    pub fn places_of(&self, pid: i64) -> Result<Vec<serde_json::Value>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT places FROM evidence WHERE partnership = ?1 AND places != '[]'")
            .map_err(self.err())?;
        let lists = stmt
            .query_map([pid], |r| r.get::<_, String>(0))
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        let mut out: Vec<serde_json::Value> = Vec::new();
        for l in lists {
            if let Ok(serde_json::Value::Array(a)) = serde_json::from_str(&l) {
                for p in a {
                    if !out.iter().any(|o| o["entity"] == p["entity"]) {
                        out.push(p);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Counts for a country pair: total, by domain, by type, by year.
    pub fn pair_summary(&self, a: &str, b: &str) -> Result<serde_json::Value> {
        let q = Query {
            pair: Some((a.to_string(), b.to_string())),
            ..Query::default()
        };
        let (where_sql, args, _) = where_clause(&q);
        let count = |select: &str,
                     join: &str|
         -> Result<serde_json::Map<String, serde_json::Value>> {
            let sql = format!(
                "SELECT {select}, COUNT(DISTINCT p.id) FROM partnerships p {join} {where_sql} GROUP BY 1 ORDER BY 1"
            );
            let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
            let rows = stmt
                .query_map(params_from_iter(args.iter()), |r| {
                    Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?))
                })
                .map_err(self.err())?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(self.err())?;
            Ok(rows
                .into_iter()
                .map(|(k, n)| (k.unwrap_or_else(|| "undated".into()), n.into()))
                .collect())
        };
        let total: i64 = self
            .conn
            .query_row(
                &format!("SELECT COUNT(*) FROM partnerships p {where_sql}"),
                params_from_iter(args.iter()),
                |r| r.get(0),
            )
            .map_err(self.err())?;
        Ok(serde_json::json!({
            "a": a.to_ascii_uppercase(),
            "b": b.to_ascii_uppercase(),
            "total": total,
            "by_domain": count("d.domain", "JOIN partnership_domains d ON d.partnership = p.id")?,
            "by_type": count("p.kind", "")?,
            "by_year": count("substr(COALESCE(p.date, p.first_seen), 1, 4)", "")?,
        }))
    }

    pub(crate) fn parties(&self, pid: i64) -> Result<Vec<PartyRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT entity, name, country FROM partnership_parties WHERE partnership = ?1
                 ORDER BY rowid",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([pid], |r| {
                Ok(PartyRow {
                    entity: r.get(0)?,
                    name: r.get(1)?,
                    country: r.get(2)?,
                })
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        Ok(rows)
    }

    fn evidence_rows(&self, column: &str, id: i64) -> Result<Vec<EvidenceRow>> {
        let sql = format!(
            "SELECT e.id, e.partnership, e.document, d.title, COALESCE(d.url, d.source),
                    d.publisher, d.published, e.sentence, e.start, e.end, e.trigger, e.status,
                    e.confidence, e.places, d.text
             FROM evidence e JOIN documents d ON d.id = e.document
             WHERE e.{column} = ?1 ORDER BY d.published, e.id"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map([id], |r| {
                let text: String = r.get(14)?;
                let start: i64 = r.get(8)?;
                let end: i64 = r.get(9)?;
                let places: String = r.get(13)?;
                Ok(EvidenceRow {
                    id: r.get(0)?,
                    partnership: r.get(1)?,
                    document: r.get(2)?,
                    title: r.get(3)?,
                    source: r.get(4)?,
                    publisher: r.get(5)?,
                    published: r.get(6)?,
                    sentence: r.get(7)?,
                    start: char_offset(&text, start as usize),
                    end: char_offset(&text, end as usize),
                    trigger: r.get(10)?,
                    status: r.get(11)?,
                    confidence: r.get(12)?,
                    places: serde_json::from_str(&places).unwrap_or(serde_json::Value::Null),
                })
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        Ok(rows)
    }

    /// One partnership with its parties and all its reports.
    pub fn partnership(&self, id: i64) -> Result<PartnershipView> {
        let mut row = self
            .conn
            .query_row(
                &format!("SELECT {PARTNERSHIP_COLUMNS} FROM partnerships p WHERE p.id = ?1"),
                [id],
                partnership_row,
            )
            .optional()
            .map_err(self.err())?
            .ok_or(StoreError::NotFound {
                what: "partnership",
                id,
            })?;
        row.parties = self.parties(id)?;
        let reports = self.evidence_rows("partnership", id)?;
        Ok(PartnershipView { row, reports })
    }

    /// One entity with the partnerships it is a party to.
    pub fn entity(&self, id: i64) -> Result<EntityView> {
        let row = self.entity_row(id)?;
        let partnerships = self
            .search(&Query {
                entity: Some(id),
                limit: Some(1000),
                ..Query::default()
            })?
            .partnerships;
        Ok(EntityView { row, partnerships })
    }

    /// One entity.
    pub fn entity_row(&self, id: i64) -> Result<EntityRow> {
        self.conn
            .query_row(
                &format!("SELECT {ENTITY_COLUMNS} FROM entities WHERE id = ?1"),
                [id],
                entity_row,
            )
            .optional()
            .map_err(self.err())?
            .ok_or(StoreError::NotFound { what: "entity", id })
    }

    /// Entities whose name or KB id matches (case-insensitive prefix), most mentioned first.
    pub fn find_entities(&self, name: &str, limit: usize) -> Result<Vec<EntityRow>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {ENTITY_COLUMNS} FROM entities
                 WHERE name LIKE ?1 || '%' COLLATE NOCASE OR kb_id = ?1
                 ORDER BY 10 DESC, id LIMIT ?2"
            ))
            .map_err(self.err())?;
        let rows = stmt
            .query_map(rusqlite::params![name, limit as i64], entity_row)
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        Ok(rows)
    }

    /// One document with its mentions and evidence.
    pub fn document(&self, id: i64) -> Result<DocumentView> {
        let mut view = self
            .conn
            .query_row(
                "SELECT id, content_id, source, url, title, author, published, publisher, lang,
                        format, story, extract_status, text
                 FROM documents WHERE id = ?1",
                [id],
                |r| {
                    Ok(DocumentView {
                        id: r.get(0)?,
                        content_id: r.get(1)?,
                        source: r.get(2)?,
                        url: r.get(3)?,
                        title: r.get(4)?,
                        author: r.get(5)?,
                        published: r.get(6)?,
                        publisher: r.get(7)?,
                        lang: r.get(8)?,
                        format: r.get(9)?,
                        story: r.get(10)?,
                        extract_status: r.get(11)?,
                        text: r.get(12)?,
                        mentions: Vec::new(),
                        evidence: Vec::new(),
                    })
                },
            )
            .optional()
            .map_err(self.err())?
            .ok_or(StoreError::NotFound {
                what: "document",
                id,
            })?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT m.entity, e.name, e.kind, m.start, m.end FROM mentions m
                 JOIN entities e ON e.id = m.entity WHERE m.document = ?1 ORDER BY m.start",
            )
            .map_err(self.err())?;
        let text = view.text.clone();
        view.mentions = stmt
            .query_map([id], |r| {
                Ok(MentionRow {
                    entity: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                    start: char_offset(&text, r.get::<_, i64>(3)? as usize),
                    end: char_offset(&text, r.get::<_, i64>(4)? as usize),
                })
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())?;
        view.evidence = self.evidence_rows("document", id)?;
        Ok(view)
    }

    /// Counts over the corpus.
    pub fn stats(&self) -> Result<Stats> {
        let one = |sql: &str| -> Result<i64> {
            self.conn
                .query_row(sql, [], |r| r.get(0))
                .map_err(self.err())
        };
        let groups = |sql: &str| -> Result<Vec<(String, i64)>> {
            let mut stmt = self.conn.prepare(sql).map_err(self.err())?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(self.err())?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(self.err())?;
            Ok(rows)
        };
        Ok(Stats {
            documents: one("SELECT COUNT(*) FROM documents")?,
            near_duplicates: one("SELECT COUNT(*) FROM documents WHERE story IS NOT NULL")?,
            languages: groups(
                "SELECT lang, COUNT(*) FROM documents GROUP BY lang ORDER BY 2 DESC, 1",
            )?,
            extraction: groups(
                "SELECT extract_status, COUNT(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1",
            )?,
            entities: groups("SELECT kind, COUNT(*) FROM entities GROUP BY 1 ORDER BY 2 DESC, 1")?,
            partnerships: one("SELECT COUNT(*) FROM partnerships")?,
            evidence: one("SELECT COUNT(*) FROM evidence")?,
            types: groups("SELECT kind, COUNT(*) FROM partnerships GROUP BY 1 ORDER BY 2 DESC, 1")?,
            domains: groups(
                "SELECT domain, COUNT(*) FROM partnership_domains GROUP BY 1 ORDER BY 2 DESC, 1",
            )?,
            pairs: groups(
                "SELECT a.country || '-' || b.country, COUNT(*)
                 FROM partnership_countries a JOIN partnership_countries b
                   ON a.partnership = b.partnership AND a.country < b.country
                 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20",
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_queries_cannot_break_fts_syntax() {
        assert_eq!(fts_query("Huawei 5G"), "\"Huawei\" \"5G\"");
        assert_eq!(fts_query("\"joint lab\" AND-"), "\"joint lab\" \"AND\"");
        assert_eq!(fts_query("华为"), "\"华 为\"");
        assert_eq!(fts_query("R&D"), "\"R D\"");
        assert_eq!(fts_query("()*:"), "");
    }
}
