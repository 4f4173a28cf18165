//! The analyst's workbench: a JSON API under `/api/v1` and the web UI, both served by the
//! binary with no network beyond the loopback. Reading needs nothing; writing (watches, URL
//! ingestion, see the `write` module) needs a token set when the server starts.
//!
//! - Binds to 127.0.0.1 unless told otherwise; a thread per connection (bounded), read-only
//!   connections to the database reused across requests (SQLite in WAL mode: readers never
//!   block an ingest that runs at the same time).
//! - `GET` and `HEAD` read; `POST` and `DELETE` write, and are refused (403) unless the server
//!   was started with a write token, and (401) unless the request carries it. Request heads
//!   over 16 KiB, targets over 4 KiB and bodies over 64 KiB are refused; a client has 10 s to
//!   send a request (see the `http` module).
//! - Every response carries a Content-Security-Policy without inline script, `nosniff` and
//!   `frame-ancestors 'none'`. The UI inserts document text as text, never as markup.
//! - The UI (`web/`) and the Natural Earth country shapes are embedded at compile time: the
//!   page works with no network and no build step outside cargo.
#![deny(missing_docs)]

mod api;
mod http;
mod write;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use techties_store::Store;

/// How to serve.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database.
    pub db: PathBuf,
    /// Address to bind (default 127.0.0.1).
    pub bind: String,
    /// Port (0: any free port).
    pub port: u16,
    /// Connections served at once (each on its own thread; more wait to be accepted).
    pub threads: usize,
    /// The token that write requests must carry (`Authorization: Bearer …`); with none, no
    /// endpoint writes. At least [`MIN_TOKEN_LEN`] characters.
    pub write_token: Option<String>,
    /// URL ingestion may fetch from loopback and private addresses.
    pub allow_private: bool,
}

/// Shortest write token accepted: 16 characters is 96 bits of base64, beyond guessing over HTTP.
pub const MIN_TOKEN_LEN: usize = 16;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] techties_store::StoreError),
    /// The write token is too short to keep anyone out.
    #[error("the write token is too short: use at least {MIN_TOKEN_LEN} random characters")]
    WeakToken,
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {reason}")]
    Bind {
        /// The address.
        addr: String,
        /// Why.
        reason: String,
    },
}

const INDEX: &str = include_str!("../../../web/index.html");
const APP_JS: &str = include_str!("../../../web/app.js");
const APP_CSS: &str = include_str!("../../../web/app.css");
const WORLD: &str = include_str!("../../../web/world-110m.json");

/// The Content-Security-Policy of every response: scripts and styles from this origin only,
/// no inline script, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// A running server.
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    acceptor: std::thread::JoinHandle<()>,
}

impl Running {
    /// Serves until the process ends.
    pub fn wait(self) {
        let _ = self.acceptor.join();
    }

    /// Stops accepting connections (tests).
    pub fn stop(self) {
        self.stopping.store(true, Ordering::SeqCst);
        // wake the accept call
        let _ = std::net::TcpStream::connect(self.addr);
        let _ = self.acceptor.join();
    }
}

/// Read-only connections to the database, reused across requests.
pub(crate) struct Pool {
    db: PathBuf,
    idle: Mutex<Vec<Store>>,
}

impl Pool {
    fn with<T>(&self, f: impl FnOnce(&Store) -> T) -> Result<T, techties_store::StoreError> {
        let store = self.idle.lock().ok().and_then(|mut v| v.pop());
        let store = match store {
            Some(s) => s,
            None => Store::open_read_only(&self.db)?,
        };
        let out = f(&store);
        if let Ok(mut v) = self.idle.lock() {
            v.push(store);
        }
        Ok(out)
    }
}

/// What every connection shares.
pub(crate) struct State {
    pub(crate) pool: Pool,
    pub(crate) writes: Option<write::Writes>,
}

/// One request, as the handlers see it.
pub(crate) struct Request<'a> {
    pub(crate) method: &'a str,
    pub(crate) target: &'a str,
    pub(crate) authorization: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) body: &'a [u8],
}

/// Starts serving; returns once the port is bound.
pub fn start(cfg: &Config) -> Result<Running, ServeError> {
    if let Some(t) = &cfg.write_token {
        if t.trim().chars().count() < MIN_TOKEN_LEN {
            return Err(ServeError::WeakToken);
        }
    }
    // bring the schema up to date when the file is writable (the workers only read), and
    // fail early, with the database's name, if it cannot be read
    if Store::open(&cfg.db).is_err() {
        Store::open_read_only(&cfg.db)?.schema_version()?;
    }
    let addr = format!("{}:{}", cfg.bind, cfg.port);
    let bind_err = |e: std::io::Error| ServeError::Bind {
        addr: addr.clone(),
        reason: e.to_string(),
    };
    let listener = TcpListener::bind(&addr).map_err(bind_err)?;
    let local = listener.local_addr().map_err(bind_err)?;
    let state = Arc::new(State {
        pool: Pool {
            db: cfg.db.clone(),
            idle: Mutex::new(Vec::new()),
        },
        writes: cfg.write_token.as_ref().map(|t| write::Writes {
            token: t.trim().to_string(),
            allow_private: cfg.allow_private,
            lock: Mutex::new(()),
            pipeline: OnceLock::new(),
        }),
    });
    let stopping = Arc::new(AtomicBool::new(false));
    let limit = cfg.threads.max(1);
    let acceptor = {
        let stopping = Arc::clone(&stopping);
        std::thread::spawn(move || http::accept_loop(listener, state, limit, &stopping))
    };
    Ok(Running {
        addr: local,
        stopping,
        acceptor,
    })
}

/// Answers one request: (status, content type, body).
pub(crate) fn handle(state: &State, req: &Request) -> (u16, &'static str, Vec<u8>) {
    if req.method == "POST" || req.method == "DELETE" {
        return write::handle(&state.pool.db, state.writes.as_ref(), req);
    }
    if req.method != "GET" && req.method != "HEAD" {
        return (
            405,
            "application/json",
            br#"{"error":"method not allowed: GET and HEAD read, POST and DELETE write"}"#.to_vec(),
        );
    }
    let pool = &state.pool;
    let target = req.target;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match path {
        "/" | "/index.html" => (200, "text/html; charset=utf-8", INDEX.into()),
        "/app.js" => (200, "text/javascript; charset=utf-8", APP_JS.into()),
        "/app.css" => (200, "text/css; charset=utf-8", APP_CSS.into()),
        "/world-110m.json" => (200, "application/json", WORLD.into()),
        p if p.starts_with("/api/v1/") => pool
            .with(|store| api::route(store, &p["/api/v1".len()..], query))
            .unwrap_or_else(|e| {
                (
                    503,
                    "application/json",
                    serde_json::json!({ "error": e.to_string() })
                        .to_string()
                        .into_bytes(),
                )
            }),
        _ => (
            404,
            "application/json",
            br#"{"error":"not found"}"#.to_vec(),
        ),
    }
}
