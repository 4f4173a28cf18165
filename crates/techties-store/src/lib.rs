//! The corpus store: every document techties has read, what the pipeline found in it, and the
//! partnerships merged across documents, in one SQLite database (WAL, FTS5).
//!
//! This is the only crate that speaks SQL. It depends on `techties-core` alone: callers hand it
//! an annotated [`Doc`] and get back ids and views.
//!
//! - **All or nothing per document.** [`Store::add_document`] writes the document, its
//!   mentions, its evidence and the refreshed partnerships in one transaction, or as one step
//!   of a group that commits together ([`Store::begin_group`]): a crash leaves either all of a
//!   document or none, and re-running the same input finds the document by its content id and
//!   does nothing.
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
mod screening;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use query::{
    DocumentHit, DocumentView, EntityRow, EntityView, EvidenceRow, MentionRow, PartnershipRow,
    PartnershipView, PartyRow, Query, SearchResults, Stats,
};
pub use screening::{Alert, Edge, Organisation, RiskEntry, RiskListRow, Snapshot, TieFact, Watch};
pub use write::{Added, Extraction, NewDocument};

/// Migrations in order; the database's `user_version` is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_pairs.sql"),
    include_str!("../migrations/0003_bands_merge.sql"),
    include_str!("../migrations/0004_screening.sql"),
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
    /// Writing a document of a group failed, and the whole group was rolled back: its
    /// documents can be written again, one transaction each.
    #[error("{path}: {source} (the open group of documents was rolled back)")]
    GroupRolledBack {
        /// The database file.
        path: String,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// The database cannot be written: file permissions, or a read-only disk.
    #[error("{path}: the database cannot be written ({reason})")]
    ReadOnly {
        /// The database file.
        path: String,
        /// What SQLite said.
        reason: String,
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
    /// The thread checkpointing the log during a batch, if any.
    checkpointer: Option<Checkpointer>,
    /// Groups committed since the writer last checkpointed the whole log.
    groups_since_checkpoint: u32,
}

/// Groups committed between the writer's own checkpoints when a thread checkpoints in the
/// background.
const GROUPS_PER_CHECKPOINT: u32 = 2;

/// Pages the log may hold before a commit checkpoints it (SQLite's `wal_autocheckpoint`).
const AUTOCHECKPOINT: i64 = 8192;

/// A thread with its own connection that copies the write-ahead log into the database
/// while the writer goes on (see [`Store::checkpoint_in_background`]).
struct Checkpointer {
    stop: std::sync::mpsc::Sender<()>,
    handle: std::thread::JoinHandle<()>,
}

impl Checkpointer {
    fn spawn(path: &Path) -> rusqlite::Result<Checkpointer> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let handle = std::thread::spawn(move || {
            // a passive checkpoint never waits for the writer; what it leaves, the next one
            // (or the writer's own, once this thread is stopped) copies
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                stopped.recv_timeout(std::time::Duration::from_millis(200))
            {
                let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            }
        });
        Ok(Checkpointer { stop, handle })
    }

    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.handle.join();
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(c) = self.checkpointer.take() {
            c.stop();
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) a database and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        Self::open_writable(path).map_err(|e| match e {
            StoreError::Sqlite { path: p, source } if path.exists() && cannot_write(&source) => {
                StoreError::ReadOnly {
                    path: p,
                    reason: source.to_string(),
                }
            }
            e => e,
        })
    }

    /// Opens for writing when the file allows it, and for reading only when it does not
    /// (permissions, a read-only disk): what commands that only read use, so that a corpus on
    /// read-only media can still be searched, served and exported.
    pub fn open_for_reading(path: impl AsRef<Path>) -> Result<Store> {
        match Self::open(path.as_ref()) {
            Err(StoreError::ReadOnly { .. }) => {
                let store = Self::open_read_only(path)?;
                let (found, known) = (store.schema_version()?, MIGRATIONS.len() as i64);
                if found < known {
                    return Err(StoreError::ReadOnly {
                        path: store.path.display().to_string(),
                        reason: format!(
                            "schema version {found} needs upgrading to {known}, which writes"
                        ),
                    });
                }
                Ok(store)
            }
            r => r,
        }
    }

    fn open_writable(path: &Path) -> Result<Store> {
        let path = path.to_path_buf();
        let conn = Connection::open(&path).map_err(sqlite_err(&path))?;
        // the writer cycles through some thirty statements per document: with rusqlite's
        // default cache of 16 it parsed most of them again every time
        conn.set_prepared_statement_cache_capacity(128);
        let store = Store {
            conn,
            path,
            entity_ids: Default::default(),
            pending: Default::default(),
            checkpointer: None,
            groups_since_checkpoint: 0,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database for reading only (queries, the server).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&path, flags).map_err(sqlite_err(&path))?;
        // a database in WAL mode needs its shared-memory index (-shm), which cannot be
        // created on a read-only disk; with no log waiting to be applied the file is whole,
        // and SQLite may read it as immutable
        let probe = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        });
        if let Err(e) = probe {
            let wal = PathBuf::from(format!("{}-wal", path.display()));
            let pending_log = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
            if !cannot_write(&e) || pending_log || !path.exists() {
                return Err(sqlite_err(&path)(e));
            }
            let uri = format!(
                "file:{}?immutable=1",
                path.display()
                    .to_string()
                    .replace('%', "%25")
                    .replace('?', "%3f")
                    .replace('#', "%23")
            );
            conn = Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_URI)
                .map_err(sqlite_err(&path))?;
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sqlite_err(&path))?;
        conn.set_prepared_statement_cache_capacity(128);
        Ok(Store {
            conn,
            path,
            entity_ids: Default::default(),
            pending: Default::default(),
            checkpointer: None,
            groups_since_checkpoint: 0,
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
                 PRAGMA cache_size = -131072;
                 PRAGMA wal_autocheckpoint = 8192;",
            )
            .map_err(self.err())?;
        debug_assert_eq!(AUTOCHECKPOINT, 8192);
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

    /// Opens a group: the documents written until [`Store::commit_group`] commit together.
    /// Fewer commits write shared pages (indexes, full-text segments) once per group instead
    /// of once per document; a crash loses at most the open group, which a re-run writes
    /// again. A document that fails to be written rolls back the group
    /// ([`StoreError::GroupRolledBack`]).
    pub fn begin_group(&mut self) -> Result<()> {
        if self.conn.is_autocommit() {
            self.conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(self.err())?;
        }
        Ok(())
    }

    /// Commits the open group, if any. When the commit fails the group is rolled back
    /// ([`StoreError::GroupRolledBack`]).
    pub fn commit_group(&mut self) -> Result<()> {
        if !self.conn.is_autocommit() {
            let flushed = self.pending.flush(&self.conn);
            if let Err(source) = flushed.and_then(|_| self.conn.execute_batch("COMMIT")) {
                self.rollback_group();
                return Err(StoreError::GroupRolledBack {
                    path: self.path.display().to_string(),
                    source,
                });
            }
            if self.checkpointer.is_some() {
                // the log restarts from its beginning only when a write transaction starts
                // on a fully checkpointed log, which the background thread alone never
                // sees: the writer copies the last few groups' pages itself now and then
                self.groups_since_checkpoint += 1;
                if self.groups_since_checkpoint >= GROUPS_PER_CHECKPOINT {
                    let done: (i64, i64, i64) = self
                        .conn
                        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                        })
                        .map_err(self.err())?;
                    if done.0 == 0 && done.1 == done.2 {
                        self.groups_since_checkpoint = 0;
                    }
                }
            }
        }
        Ok(())
    }

    /// Checkpoints the write-ahead log from a thread of its own (`true`) instead of in the
    /// commit that fills it (`false`, the default). A checkpoint copies every page the log
    /// holds into the database and syncs it: a fifth of the writer's work at 100,000
    /// documents, which a batch can do on the core the writer does not use.
    pub fn checkpoint_in_background(&mut self, on: bool) -> Result<()> {
        match (on, self.checkpointer.take()) {
            (true, None) => {
                self.checkpointer = Some(Checkpointer::spawn(&self.path).map_err(self.err())?);
                self.conn
                    .pragma_update(None, "wal_autocheckpoint", 0)
                    .map_err(self.err())?;
            }
            (false, Some(c)) => {
                c.stop();
                self.conn
                    .pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT)
                    .map_err(self.err())?;
            }
            (_, c) => self.checkpointer = c,
        }
        Ok(())
    }

    /// Whether a group is open.
    pub fn in_group(&self) -> bool {
        !self.conn.is_autocommit()
    }

    fn rollback_group(&mut self) {
        self.pending.clear();
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        // what the group wrote is gone: so are the ids it cached
        self.entity_ids.clear();
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

/// SQLite's answer when a file or its directory cannot be written.
fn cannot_write(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
    )
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
