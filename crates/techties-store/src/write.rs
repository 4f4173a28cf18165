//! Writing: documents, their extraction, and the partnerships merged across documents.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{params, Connection, OptionalExtension};
use techties_core::{Doc, Entity, Partnership};

use crate::aggregate::Report;
use crate::{fts_text, Result, Store};

/// A document to store, as read and identified by the caller.
#[derive(Debug, Clone, Default)]
pub struct NewDocument<'a> {
    /// Content id (`techties_core::content_id` of the text): exact duplicates share it.
    pub content_id: &'a str,
    /// Path, `FILE:LINE` or URL.
    pub source: &'a str,
    /// The article's URL, when known.
    pub url: Option<&'a str>,
    /// Title.
    pub title: Option<&'a str>,
    /// Author(s) as the page names them.
    pub author: Option<&'a str>,
    /// Publication date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub published: Option<&'a str>,
    /// Publisher: the URL's host or the site's name.
    pub publisher: Option<&'a str>,
    /// ISO 639-1 language code (or ISO 639-3 where 639-1 has none).
    pub lang: &'a str,
    /// Input format: txt, md, html, pdf, jsonl, json, feed, url.
    pub format: &'a str,
    /// The plain text every span points into.
    pub text: &'a str,
    /// MinHash signature, for near-duplicate detection.
    pub signature: Option<&'a [u32]>,
    /// Locality-sensitive hashing bands of the signature.
    pub bands: &'a [i64],
    /// The story this document is a copy of (a near-duplicate's first copy).
    pub story: Option<i64>,
}

/// What the pipeline made of a document.
#[derive(Debug, Clone, Copy)]
pub enum Extraction<'a> {
    /// Extracted; the annotated document and the extractor's version.
    Done {
        /// The annotated document (its text is the stored text).
        doc: &'a Doc,
        /// Version of the extractor (binary version and model), for `reprocess`.
        version: &'a str,
    },
    /// Stored but not extracted (a language techties does not extract yet).
    Skipped(&'a str),
    /// The pipeline failed on it.
    Failed(&'a str),
}

impl<'a> Extraction<'a> {
    /// The document's `extract_status`, `extract_error` and `extract_version` columns.
    fn columns(&self) -> (&'static str, Option<&'a str>, Option<&'a str>) {
        match *self {
            Extraction::Done { version, .. } => ("done", None, Some(version)),
            Extraction::Skipped(why) => ("skipped_language", Some(why), None),
            Extraction::Failed(why) => ("failed", Some(why), None),
        }
    }
}

/// The outcome of [`Store::add_document`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Stored under this id.
    New(i64),
    /// The same text is already stored under this id; nothing was written.
    Duplicate(i64),
}

impl Store {
    /// The id of the document with this content id, if stored.
    pub fn find_content(&self, content_id: &str) -> Result<Option<i64>> {
        self.conn
            .prepare_cached("SELECT id FROM documents WHERE content_id = ?1")
            .and_then(|mut s| s.query_row([content_id], |r| r.get(0)).optional())
            .map_err(self.err())
    }

    /// Documents sharing a band with these, with their story and signature: the candidates
    /// for near-duplicates, which the caller confirms by comparing signatures.
    ///
    /// Each band is probed for its [`BAND_RECENT`] most recent documents: a band shared by
    /// more is a template's rather than a story's (boilerplate, a wire service's standard
    /// paragraph), and reading all of it made the probe grow with the corpus. The
    /// [`BAND_CANDIDATES`] documents sharing the most bands are compared: a copy shares
    /// most of its sixteen, a text built from the same template one or two.
    pub fn band_candidates(&self, bands: &[i64]) -> Result<Vec<(i64, i64, Vec<u32>)>> {
        if bands.is_empty() {
            return Ok(Vec::new());
        }
        let mut shared: rustc_hash::FxHashMap<i64, u32> = Default::default();
        {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT document FROM document_bands WHERE band = ?1
                     ORDER BY document DESC LIMIT ?2",
                )
                .map_err(self.err())?;
            for band in bands {
                let rows = stmt
                    .query_map(params![band, BAND_RECENT], |r| r.get::<_, i64>(0))
                    .map_err(self.err())?;
                for id in rows {
                    *shared.entry(id.map_err(self.err())?).or_default() += 1;
                }
            }
        }
        let mut ids: Vec<(u32, i64)> = shared.into_iter().map(|(id, n)| (n, id)).collect();
        // most bands shared first, then the most recent
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.truncate(BAND_CANDIDATES);
        let mut sig = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(story, id), signature FROM documents
                 WHERE id = ?1 AND signature IS NOT NULL",
            )
            .map_err(self.err())?;
        let mut out = Vec::with_capacity(ids.len());
        for (_, id) in ids {
            let row = sig
                .query_row([id], |r| {
                    let blob: Vec<u8> = r.get(1)?;
                    Ok((id, r.get::<_, i64>(0)?, decode_signature(&blob)))
                })
                .optional()
                .map_err(self.err())?;
            out.extend(row);
        }
        Ok(out)
    }

    /// Stores a document and what was extracted from it. A document whose content id is
    /// already stored is left alone.
    ///
    /// Outside a group the document is its own transaction. Inside one (see
    /// [`Store::begin_group`]) it is written straight into the group's transaction: a
    /// savepoint per document would make the full-text index flush its buffer to disk for
    /// every document, which was a quarter of the writer's work. A failure then rolls the
    /// whole group back and says so ([`StoreError::GroupRolledBack`]); the caller writes the
    /// group's documents again, one transaction each.
    pub fn add_document(&mut self, d: &NewDocument, extraction: Extraction) -> Result<Added> {
        let mut new_ids = rustc_hash::FxHashMap::default();
        if self.conn.is_autocommit() {
            let path = self.path.display().to_string();
            let err = |source| crate::StoreError::Sqlite {
                path: path.clone(),
                source,
            };
            let tx = self.conn.savepoint().map_err(err)?;
            let mut pending = crate::aggregate::Pending::default();
            let added = write_document(
                &tx,
                d,
                extraction,
                &self.entity_ids,
                &mut new_ids,
                &mut pending,
            )
            .and_then(|added| pending.flush(&tx).map(|_| added))
            .map_err(err)?;
            tx.commit().map_err(err)?;
            self.entity_ids.extend(new_ids);
            return Ok(added);
        }
        match write_document(
            &self.conn,
            d,
            extraction,
            &self.entity_ids,
            &mut new_ids,
            &mut self.pending,
        ) {
            Ok(added) => {
                self.entity_ids.extend(new_ids);
                Ok(added)
            }
            Err(source) => {
                self.rollback_group();
                Err(crate::StoreError::GroupRolledBack {
                    path: self.path.display().to_string(),
                    source,
                })
            }
        }
    }

    /// Ids of stored documents, in order: all of them, or those whose extraction is not done
    /// with this version.
    pub fn documents_to_reprocess(&self, version: &str, all: bool) -> Result<Vec<i64>> {
        let sql = if all {
            "SELECT id FROM documents WHERE extract_status != 'skipped_language' OR ?1 = ?1 ORDER BY id"
        } else {
            "SELECT id FROM documents
             WHERE extract_status != 'skipped_language'
               AND (extract_version IS NULL OR extract_version != ?1) ORDER BY id"
        };
        let mut stmt = self.conn.prepare(sql).map_err(self.err())?;
        let ids = stmt
            .query_map([version], |r| r.get(0))
            .map_err(self.err())?
            .collect::<std::result::Result<Vec<i64>, _>>()
            .map_err(self.err())?;
        Ok(ids)
    }

    /// The stored input of a document: (source, title, published, lang, text).
    #[allow(clippy::type_complexity)]
    pub fn document_input(
        &self,
        id: i64,
    ) -> Result<(String, Option<String>, Option<String>, String, String)> {
        self.conn
            .query_row(
                "SELECT COALESCE(url, source), title, published, lang, text FROM documents WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(self.err())?
            .ok_or(crate::StoreError::NotFound {
                what: "document",
                id,
            })
    }

    /// Replaces what was extracted from a stored document, in one transaction: its mentions
    /// and evidence go, the new ones come, and every partnership either touches is refreshed
    /// (one left without evidence is deleted).
    pub fn replace_extraction(&mut self, id: i64, extraction: Extraction) -> Result<()> {
        let path = self.path.display().to_string();
        let err = |source| crate::StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.savepoint().map_err(err)?;
        let mut touched: BTreeSet<i64> = BTreeSet::new();
        {
            let mut stmt = tx
                .prepare("SELECT id, partnership FROM evidence WHERE document = ?1")
                .map_err(err)?;
            let rows = stmt
                .query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
                .map_err(err)?;
            for row in rows {
                let (ev, p) = row.map_err(err)?;
                exec(&tx, "DELETE FROM evidence_fts WHERE rowid = ?1", [ev]).map_err(err)?;
                touched.insert(p);
            }
        }
        exec(&tx, "DELETE FROM evidence WHERE document = ?1", [id]).map_err(err)?;
        exec(&tx, "DELETE FROM mentions WHERE document = ?1", [id]).map_err(err)?;
        let (status, error, version) = extraction.columns();
        exec(
            &tx,
            "UPDATE documents SET extract_status = ?2, extract_error = ?3, extract_version = ?4
             WHERE id = ?1",
            params![id, status, error, version],
        )
        .map_err(err)?;
        let mut new_ids = rustc_hash::FxHashMap::default();
        if let Extraction::Done { doc, .. } = extraction {
            // new reports update their partnerships as they are written; those that lost
            // reports are recomputed from what is left
            let reports =
                write_extraction(&tx, id, doc, &self.entity_ids, &mut new_ids).map_err(err)?;
            let mut pending = crate::aggregate::Pending::default();
            for r in reports {
                pending.apply(&tx, r).map_err(err)?;
            }
            pending.flush(&tx).map_err(err)?;
        }
        for p in touched {
            refresh_partnership(&tx, p).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        self.entity_ids.extend(new_ids);
        Ok(())
    }

    /// Deletes entities nothing refers to any more (after `reprocess`). Returns how many.
    pub fn remove_orphan_entities(&mut self) -> Result<usize> {
        self.entity_ids.clear();
        self.conn
            .execute(
                "DELETE FROM entities WHERE id NOT IN (SELECT entity FROM mentions)
                   AND id NOT IN (SELECT entity FROM partnership_parties WHERE entity IS NOT NULL)",
                [],
            )
            .map_err(self.err())
    }
}

/// Writes a document, its bands, its full-text entry and its extraction into the open
/// transaction; the partnerships' aggregates go to `pending`.
fn write_document(
    tx: &Connection,
    d: &NewDocument,
    extraction: Extraction,
    known: &rustc_hash::FxHashMap<String, i64>,
    new_ids: &mut rustc_hash::FxHashMap<String, i64>,
    pending: &mut crate::aggregate::Pending,
) -> rusqlite::Result<Added> {
    let existing: Option<i64> = tx
        .prepare_cached("SELECT id FROM documents WHERE content_id = ?1")?
        .query_row([d.content_id], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok(Added::Duplicate(id));
    }
    let (status, error, version) = extraction.columns();
    exec(
        tx,
        "INSERT INTO documents (content_id, source, url, title, author, published, publisher,
             lang, format, chars, story, signature, extract_status, extract_error,
             extract_version, ingested_at, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
             strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?16)",
        params![
            d.content_id,
            d.source,
            d.url,
            d.title,
            d.author,
            d.published,
            d.publisher,
            d.lang,
            d.format,
            d.text.chars().count() as i64,
            d.story,
            d.signature.map(encode_signature),
            status,
            error,
            version,
            d.text,
        ],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut band = tx.prepare_cached(
            "INSERT OR IGNORE INTO document_bands (band, document) VALUES (?1, ?2)",
        )?;
        for b in d.bands {
            band.execute(params![b, id])?;
        }
    }
    exec(
        tx,
        "INSERT INTO documents_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
        params![id, d.title.map(fts_text), fts_text(d.text)],
    )?;
    if let Extraction::Done { doc, .. } = extraction {
        for r in write_extraction(tx, id, doc, known, new_ids)? {
            pending.apply(tx, r)?;
        }
    }
    Ok(Added::New(id))
}

/// Documents read per band when looking for near-duplicates.
pub const BAND_RECENT: i64 = 64;
/// Documents whose signatures are compared with a new one's.
pub const BAND_CANDIDATES: usize = 8;

fn encode_signature(sig: &[u32]) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn decode_signature(blob: &[u8]) -> Vec<u32> {
    blob.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// The merge key of an entity: its knowledge-base id, or kind, folded name and country.
pub(crate) fn entity_key(e: &Entity) -> String {
    if e.linked {
        e.id.clone()
    } else {
        format!(
            "{}|{}|{}",
            e.kind.as_str(),
            fold_name(&e.name),
            e.country
                .map(|c| c.as_str().to_string())
                .unwrap_or_default()
        )
    }
}

fn fold_name(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Writes a document's entities, mentions and evidence; returns the partnerships touched.
fn write_extraction(
    tx: &Connection,
    doc_id: i64,
    doc: &Doc,
    known: &rustc_hash::FxHashMap<String, i64>,
    new_ids: &mut rustc_hash::FxHashMap<String, i64>,
) -> rusqlite::Result<Vec<Report>> {
    // a lookup, then a plain insert: an upsert (`ON CONFLICT ... RETURNING`) needs a
    // statement journal, and opening one makes the full-text tables flush their buffers
    let mut find = tx.prepare_cached("SELECT id FROM entities WHERE key = ?1")?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO entities (key, kb_id, name, kind, subkind, country, lat, lon)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut ids = Vec::with_capacity(doc.entities.len());
    let mut keys = Vec::with_capacity(doc.entities.len());
    for e in &doc.entities {
        let key = entity_key(e);
        // entities are never changed once written: one known by its key needs no lookup
        if let Some(&id) = known.get(&key).or_else(|| new_ids.get(&key)) {
            ids.push(id);
            keys.push(key);
            continue;
        }
        let id: i64 = match find.query_row([&key], |r| r.get(0)).optional()? {
            Some(id) => id,
            None => {
                insert.execute(params![
                    key,
                    e.linked.then_some(e.id.as_str()),
                    e.name,
                    e.kind.as_str(),
                    e.subkind.map(|k| k.as_str()),
                    e.country.map(|c| c.as_str().to_string()),
                    e.lat,
                    e.lon
                ])?;
                tx.last_insert_rowid()
            }
        };
        new_ids.insert(key.clone(), id);
        ids.push(id);
        keys.push(key);
    }
    let mut mention = tx.prepare_cached(
        "INSERT OR IGNORE INTO mentions (document, entity, start, end) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for m in &doc.mentions {
        mention.execute(params![
            doc_id,
            ids[m.entity],
            m.span.start as i64,
            m.span.end as i64
        ])?;
    }
    // the independent publisher of this document: its story's first copy's
    let (publisher, published): (String, Option<String>) = tx
        .prepare_cached(
            "SELECT COALESCE(root.publisher, root.url, root.source), d.published
             FROM documents d JOIN documents root ON root.id = COALESCE(d.story, d.id)
             WHERE d.id = ?1",
        )?
        .query_row([doc_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut reports: Vec<Report> = Vec::with_capacity(doc.partnerships.len());
    for p in &doc.partnerships {
        let pid = find_or_create_partnership(tx, doc, p, &ids, &keys)?;
        let places: Vec<serde_json::Value> = p
            .places
            .iter()
            .filter_map(|pl| {
                let e = doc.entities.get(pl.entity)?;
                Some(serde_json::json!({
                    "entity": keys[pl.entity],
                    "name": e.name,
                    "role": pl.role.as_str(),
                    "country": e.country.map(|c| c.as_str().to_string()),
                    "lat": e.lat,
                    "lon": e.lon,
                }))
            })
            .collect();
        let sentence = doc.slice(p.evidence);
        exec(
            tx,
            "INSERT INTO evidence (partnership, document, start, end, sentence, trigger, date,
                 status, confidence, countries, domains, places)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                pid,
                doc_id,
                p.evidence.start as i64,
                p.evidence.end as i64,
                sentence,
                Some(doc.slice(p.trigger)).filter(|t| !t.is_empty()),
                p.date,
                p.status.as_str(),
                f64::from(p.confidence),
                join_sorted(p.countries.iter().map(|c| c.as_str().to_string())),
                join_sorted(p.domains.iter().map(|d| d.as_str().to_string())),
                serde_json::Value::Array(places).to_string(),
            ],
        )?;
        let ev = tx.last_insert_rowid();
        exec(
            tx,
            "INSERT INTO evidence_fts (rowid, sentence) VALUES (?1, ?2)",
            params![ev, fts_text(sentence)],
        )?;
        reports.push(Report {
            pid,
            publisher: publisher.clone(),
            published: published.clone(),
            date: p.date.clone(),
            status: p.status.as_str().to_string(),
            confidence: f64::from(p.confidence),
            countries: p.countries.iter().map(|c| c.as_str().to_string()).collect(),
            domains: p.domains.iter().map(|d| d.as_str().to_string()).collect(),
            new_document: !reports.iter().any(|r| r.pid == pid),
        });
    }
    Ok(reports)
}

fn join_sorted(items: impl Iterator<Item = String>) -> String {
    items
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
        .join(",")
}

/// The partnership this report belongs to: same type, same parties, compatible date.
fn find_or_create_partnership(
    tx: &Connection,
    doc: &Doc,
    p: &Partnership,
    ids: &[i64],
    keys: &[String],
) -> rusqlite::Result<i64> {
    // a party the document names is its entity; one it describes ("a Chinese life-science
    // company") is its description and country
    let party_key = |i: usize| {
        let part = &p.participants[i];
        match part.entity {
            Some(e) if e < keys.len() => keys[e].clone(),
            _ => format!(
                "desc|{}|{}",
                part.country
                    .map(|c| c.as_str().to_string())
                    .unwrap_or_default(),
                fold_name(&part.name)
            ),
        }
    };
    let parties_key = join_sorted((0..p.participants.len()).map(party_key)).replace(',', ";");
    let year = p.date.as_deref().map(|d| &d[..d.len().min(4)]);
    let mut stmt = tx
        .prepare_cached("SELECT id, date FROM partnerships WHERE kind = ?1 AND parties_key = ?2")?;
    let mut candidates = stmt
        .query_map(params![p.kind.as_str(), parties_key], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // ordered here: with `ORDER BY id` SQLite re-prepared the statement at every use
    candidates.sort_unstable_by_key(|(id, _)| *id);
    let compatible = candidates.iter().find(|(_, date)| match (year, date) {
        (Some(y), Some(d)) => d.starts_with(y),
        _ => true,
    });
    if let Some((id, _)) = compatible {
        return Ok(*id);
    }
    exec(
        tx,
        "INSERT INTO partnerships (kind, parties_key, date, status, confidence, countries,
             domains, documents, sources)
         VALUES (?1, ?2, ?3, ?4, 0, '', '', 0, 0)",
        params![p.kind.as_str(), parties_key, p.date, p.status.as_str()],
    )?;
    let pid = tx.last_insert_rowid();
    exec(
        tx,
        "INSERT INTO partnership_changes (partnership, at, change, old_status, new_status)
         VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'new', NULL, ?2)",
        params![pid, p.status.as_str()],
    )?;
    let mut party = tx.prepare_cached(
        "INSERT INTO partnership_parties (partnership, entity, name, country) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for part in &p.participants {
        let entity = part.entity.and_then(|e| ids.get(e).copied());
        let name = part
            .entity
            .and_then(|e| doc.entities.get(e))
            .map(|e| e.name.as_str())
            .unwrap_or(part.name.as_str());
        party.execute(params![
            pid,
            entity,
            name,
            part.country.map(|c| c.as_str().to_string())
        ])?;
    }
    Ok(pid)
}

/// Recomputes a partnership from all its evidence, or deletes it when none is left (after a
/// document's reports were replaced).
fn refresh_partnership(tx: &Connection, pid: i64) -> rusqlite::Result<()> {
    struct Ev {
        date: Option<String>,
        status: String,
        confidence: f64,
        countries: String,
        domains: String,
        published: Option<String>,
        publisher: String,
        document: i64,
    }
    let mut stmt = tx.prepare_cached(
        "SELECT e.date, e.status, e.confidence, e.countries, e.domains, d.published,
                COALESCE(root.publisher, root.url, root.source), d.id
         FROM evidence e
         JOIN documents d ON d.id = e.document
         JOIN documents root ON root.id = COALESCE(d.story, d.id)
         WHERE e.partnership = ?1
         ORDER BY d.published, d.id",
    )?;
    let evs = stmt
        .query_map([pid], |r| {
            Ok(Ev {
                date: r.get(0)?,
                status: r.get(1)?,
                confidence: r.get(2)?,
                countries: r.get(3)?,
                domains: r.get(4)?,
                published: r.get(5)?,
                publisher: r.get(6)?,
                document: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<Ev>>>()?;
    if evs.is_empty() {
        exec(tx, "DELETE FROM partnerships WHERE id = ?1", [pid])?;
        return Ok(());
    }
    let date = evs.iter().filter_map(|e| e.date.clone()).min();
    // ordered by publication: the latest report says where it stands now
    let status = evs.last().map(|e| e.status.clone()).unwrap_or_default();
    let mut best_by_publisher: HashMap<&str, f64> = HashMap::new();
    for e in &evs {
        let c = best_by_publisher.entry(&e.publisher).or_insert(0.0);
        *c = c.max(e.confidence);
    }
    // independent sources corroborate: noisy-or over the best report of each publisher
    let confidence = 1.0
        - best_by_publisher
            .values()
            .map(|c| 1.0 - c.clamp(0.0, 1.0))
            .product::<f64>();
    let countries: BTreeSet<&str> = evs
        .iter()
        .flat_map(|e| e.countries.split(',').filter(|s| !s.is_empty()))
        .collect();
    let domains: BTreeSet<&str> = evs
        .iter()
        .flat_map(|e| e.domains.split(',').filter(|s| !s.is_empty()))
        .collect();
    exec(
        tx,
        "DELETE FROM partnership_sources WHERE partnership = ?1",
        [pid],
    )?;
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO partnership_sources (partnership, publisher, confidence, reports)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (publisher, c) in &best_by_publisher {
            let n = evs.iter().filter(|e| e.publisher == *publisher).count() as i64;
            ins.execute(params![pid, publisher, c, n])?;
        }
    }
    let documents: BTreeSet<i64> = evs.iter().map(|e| e.document).collect();
    let published: Vec<&String> = evs.iter().filter_map(|e| e.published.as_ref()).collect();
    exec(
        tx,
        "UPDATE partnerships SET date = ?2, status = ?3, confidence = ?4, countries = ?5,
             domains = ?6, documents = ?7, sources = ?8, first_seen = ?9, last_seen = ?10
         WHERE id = ?1",
        params![
            pid,
            date,
            status,
            confidence,
            countries.iter().copied().collect::<Vec<_>>().join(","),
            domains.iter().copied().collect::<Vec<_>>().join(","),
            documents.len() as i64,
            best_by_publisher.len() as i64,
            published.iter().min().map(|s| s.as_str()),
            published.iter().max().map(|s| s.as_str()),
        ],
    )?;
    exec(
        tx,
        "DELETE FROM partnership_countries WHERE partnership = ?1",
        [pid],
    )?;
    exec(
        tx,
        "DELETE FROM partnership_domains WHERE partnership = ?1",
        [pid],
    )?;
    let mut c = tx.prepare_cached(
        "INSERT INTO partnership_countries (partnership, country) VALUES (?1, ?2)",
    )?;
    for country in &countries {
        c.execute(params![pid, country])?;
    }
    exec(
        tx,
        "DELETE FROM partnership_pairs WHERE partnership = ?1",
        [pid],
    )?;
    let mut pair = tx.prepare_cached(
        "INSERT OR IGNORE INTO partnership_pairs (a, b, partnership) VALUES (?1, ?2, ?3)",
    )?;
    for (i, x) in countries.iter().enumerate() {
        for y in countries.iter().skip(i + 1) {
            pair.execute(params![x, y, pid])?;
        }
    }
    let mut d =
        tx.prepare_cached("INSERT INTO partnership_domains (partnership, domain) VALUES (?1, ?2)")?;
    for domain in &domains {
        d.execute(params![pid, domain])?;
    }
    Ok(())
}

/// Runs a statement through the connection's statement cache: the writer runs the same few
/// dozen statements for every document, and parsing them each time was a tenth of its work.
fn exec<P: rusqlite::Params>(conn: &Connection, sql: &str, params: P) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}
