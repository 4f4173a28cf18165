//! The analyst's workbench: a read-only JSON API under `/api/v1` and the web UI, both served
//! by the binary with no network beyond the loopback.
//!
//! - Binds to 127.0.0.1 unless told otherwise; a fixed pool of worker threads, each with its
//!   own read-only connection to the database (SQLite in WAL mode: readers never block an
//!   ingest that runs at the same time).
//! - Only `GET` and `HEAD`; request targets longer than 4 KiB are refused.
//! - Every response carries a Content-Security-Policy without inline script, `nosniff` and
//!   `frame-ancestors 'none'`. The UI inserts document text as text, never as markup.
//! - The UI (`web/`) and the Natural Earth country shapes are embedded at compile time: the
//!   page works with no network and no build step outside cargo.
#![deny(missing_docs)]

mod api;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use techties_store::Store;
use tiny_http::{Header, Method, Request, Response, Server};

/// How to serve.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database.
    pub db: PathBuf,
    /// Address to bind (default 127.0.0.1).
    pub bind: String,
    /// Port (0: any free port).
    pub port: u16,
    /// Worker threads.
    pub threads: usize,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] techties_store::StoreError),
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

/// Longest request target accepted.
const MAX_TARGET: usize = 4096;

/// A running server.
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    server: Arc<Server>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Serves until the process ends.
    pub fn wait(self) {
        for w in self.workers {
            let _ = w.join();
        }
    }

    /// Stops accepting requests and waits for the workers (tests).
    pub fn stop(self) {
        self.server.unblock();
        for _ in 1..self.workers.len() {
            self.server.unblock();
        }
        for w in self.workers {
            let _ = w.join();
        }
    }
}

/// Starts serving; returns once the port is bound.
pub fn start(cfg: &Config) -> Result<Running, ServeError> {
    // fail early, with the database's name, if it cannot be read
    Store::open_read_only(&cfg.db)?.schema_version()?;
    let addr = format!("{}:{}", cfg.bind, cfg.port);
    let server = Server::http(&addr).map_err(|e| ServeError::Bind {
        addr: addr.clone(),
        reason: e.to_string(),
    })?;
    let local = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| ServeError::Bind {
            addr: addr.clone(),
            reason: "not an IP address".into(),
        })?;
    let server = Arc::new(server);
    let mut workers = Vec::new();
    for _ in 0..cfg.threads.max(1) {
        let server = Arc::clone(&server);
        let db = cfg.db.clone();
        workers.push(std::thread::spawn(move || {
            let store = match Store::open_read_only(&db) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("techties serve: {e}");
                    return;
                }
            };
            while let Ok(req) = server.recv() {
                handle(&store, req);
            }
        }));
    }
    Ok(Running {
        addr: local,
        server,
        workers,
    })
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header")
}

/// A response with the security headers every response carries.
pub(crate) fn respond(req: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let mut r = Response::from_data(body).with_status_code(status);
    for (n, v) in [
        ("Content-Type", content_type),
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Cache-Control", "no-store"),
    ] {
        r.add_header(header(n, v));
    }
    let _ = req.respond(r);
}

fn handle(store: &Store, req: Request) {
    let method = req.method().clone();
    if !matches!(method, Method::Get | Method::Head) {
        // the API is read-only: nothing here writes
        return respond(
            req,
            405,
            "application/json",
            br#"{"error":"method not allowed: the API is read-only"}"#.to_vec(),
        );
    }
    if req.url().len() > MAX_TARGET {
        return respond(
            req,
            414,
            "application/json",
            br#"{"error":"request target too long"}"#.to_vec(),
        );
    }
    let url = req.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    match path {
        "/" | "/index.html" => respond(req, 200, "text/html; charset=utf-8", INDEX.into()),
        "/app.js" => respond(req, 200, "text/javascript; charset=utf-8", APP_JS.into()),
        "/app.css" => respond(req, 200, "text/css; charset=utf-8", APP_CSS.into()),
        "/world-110m.json" => respond(req, 200, "application/json", WORLD.into()),
        p if p.starts_with("/api/v1/") => {
            let (status, ctype, body) = api::route(store, &p["/api/v1".len()..], query);
            respond(req, status, ctype, body)
        }
        _ => respond(
            req,
            404,
            "application/json",
            br#"{"error":"not found"}"#.to_vec(),
        ),
    }
}
