//! The corpus store: every document techties has read, what the pipeline found in it, and the
//! partnerships merged across documents, in one SQLite database (WAL, FTS5).
//!
//! This is the only crate that speaks SQL. It depends on `techties-core` alone: callers hand it
//! an annotated [`Doc`] and get back ids and views.
//!
//! - **One transaction per document.** [`Store::add_document`] writes the document, its
//!   mentions, its evidence and the refreshed partnerships in one transaction: a crash leaves
//!   either all of it or none, and re-running the same input finds the document by its content
//!   id and does nothing.
//! - **Merging.** An entity is one row per knowledge-base id, or per kind, normalised name and
//!   country when unlinked. A partnership is one row per type, set of parties and compatible
//!   date (same year, or one of the two undated), however many documents report it; each
//!   report is an `evidence` row with its document and byte span. `sources` counts independent
//!   publishers: the copies of one syndicated story, and one publisher's repeats, count once.
//! - **Versioned migrations** (`migrations/*.sql`, applied in order, `PRAGMA user_version`).
//!
//! Offsets are byte offsets into the stored text; the view types convert them to character
//! offsets, as the JSON they become promises.
#![deny(missing_docs)]

mod aggregate;
mod query;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use query::{
    DocumentHit, DocumentView, EntityRow, EntityView, EvidenceRow, MentionRow, PartnershipRow,
    PartnershipView, PartyRow, Query, SearchResults, Stats,
};
pub use write::{Added, Extraction, NewDocument};

/// Migrations in order; the database's `user_version` is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_pairs.sql"),
];

/// What went wrong in the store, naming the database file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused an operation.
    #[error("{path}: {source}")]
    Sqlite {
        /// The database file.
        path: String,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// The database was written by a newer techties.
    #[error("{path}: schema version {found} is newer than this techties knows ({known})")]
    TooNew {
        /// The database file.
        path: String,
        /// Its version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// Nothing has this id.
    #[error("no {what} with id {id}")]
    NotFound {
        /// Document, entity or partnership.
        what: &'static str,
        /// The id asked for.
        id: i64,
    },
}

/// Results of store operations.
pub type Result<T> = std::result::Result<T, StoreError>;

/// A techties database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Ids of entities written by this connection, by merge key.
    entity_ids: rustc_hash::FxHashMap<String, i64>,
    /// Aggregates of the partnerships the open group touched.
    pending: aggregate::Pending,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) a database and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path).map_err(sqlite_err(&path))?;
        let store = Store {
            conn,
            path,
            entity_ids: Default::default(),
            pending: Default::default(),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database for reading only (queries, the server).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sqlite_err(&path))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sqlite_err(&path))?;
        Ok(Store {
            conn,
            path,
            entity_ids: Default::default(),
            pending: Default::default(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> Result<()> {
        // WAL: readers never block the writer and a crash loses at most the open transaction;
        // synchronous=NORMAL is durable across application crashes in WAL mode
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA temp_store = MEMORY;
                 PRAGMA cache_size = -65536;
                 PRAGMA wal_autocheckpoint = 8192;",
            )
            .map_err(self.err())?;
        self.conn
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(self.err())
    }

    fn migrate(&self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.err())?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew {
                path: self.path.display().to_string(),
                found: version,
                known,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            // each migration and its version bump commit together
            let batch = format!(
                "BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {};\nCOMMIT;",
                i + 1
            );
            if let Err(e) = self.conn.execute_batch(&batch) {
                let _ = self.conn.execute_batch("ROLLBACK");
                return Err(self.err()(e));
            }
        }
        Ok(())
    }

    /// Opens a group: the documents written until [`Store::commit_group`] commit together
    /// (each still all-or-nothing on its own, as a savepoint). Fewer commits write shared
    /// pages (indexes, full-text segments) once per group instead of once per document; a
    /// crash loses at most the open group, which a re-run writes again.
    pub fn begin_group(&mut self) -> Result<()> {
        if self.conn.is_autocommit() {
            self.conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(self.err())?;
        }
        Ok(())
    }

    /// Commits the open group, if any.
    pub fn commit_group(&mut self) -> Result<()> {
        if !self.conn.is_autocommit() {
            let flushed = self.pending.flush(&self.conn);
            if let Err(e) = flushed.and_then(|_| self.conn.execute_batch("COMMIT")) {
                self.pending.clear();
                let _ = self.conn.execute_batch("ROLLBACK");
                // what the group wrote is gone: so are the ids it cached
                self.entity_ids.clear();
                return Err(self.err()(e));
            }
        }
        Ok(())
    }

    /// The schema version.
    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.err())
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(self.err())
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: self.path.display().to_string(),
            source,
        }
    }
}

fn sqlite_err(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sqlite {
        path: path.display().to_string(),
        source,
    }
}

/// Text for the full-text index: Han, kana and hangul characters spaced apart, so that each
/// is a token and a two-character name (华为) can be found by a phrase query.
pub fn fts_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Character offset of a byte offset in `text` (clamped to the text, rounded down to a
/// character boundary).
pub(crate) fn char_offset(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    text[..b].chars().count()
}
