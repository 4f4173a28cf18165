//! The endpoints that change the corpus: watches, and ingesting a URL.
//!
//! None of them answers unless the server was started with a write token, and then only to a
//! request carrying `Authorization: Bearer <token>` and a JSON body. The token is compared in
//! constant time. A browser on another site cannot send that header without a CORS preflight,
//! which this server never grants, so a page the analyst visits cannot write either.
//!
//! URL ingestion takes only `http` and `https` URLs (a path would read the server's own
//! files) and, unless the server allows private addresses, refuses hosts on the loopback,
//! private and link-local networks at every redirect hop (techties-ingest checks each hop).

use std::path::Path;
use std::sync::{Mutex, OnceLock};

use serde_json::{json, Value};
use techties_extract::Pipeline;
use techties_ingest::read::Limits;
use techties_store::Store;

use crate::Request;

type Reply = (u16, &'static str, Vec<u8>);

/// What writing needs: the token, and a pipeline built on first use.
pub(crate) struct Writes {
    pub(crate) token: String,
    pub(crate) allow_private: bool,
    /// One write at a time: SQLite has one writer, and the queue is kept here, not in
    /// busy-waits on the database lock.
    pub(crate) lock: Mutex<()>,
    pub(crate) pipeline: OnceLock<Pipeline>,
}

fn reply(status: u16, v: Value) -> Reply {
    (status, "application/json", v.to_string().into_bytes())
}

fn error(status: u16, msg: &str) -> Reply {
    reply(status, json!({ "error": msg }))
}

/// Equal without revealing, through timing, how long a prefix of the token was right.
fn same_token(given: &[u8], token: &[u8]) -> bool {
    given.len() == token.len()
        && given
            .iter()
            .zip(token)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Answers a POST or DELETE to the database at `db`.
pub(crate) fn handle(db: &Path, writes: Option<&Writes>, req: &Request) -> Reply {
    let Some(w) = writes else {
        return error(
            403,
            "writes are disabled: this server was started without a write token \
             (set TECHTIES_WRITE_TOKEN or pass --write-token-file)",
        );
    };
    let given = req
        .authorization
        .as_deref()
        .and_then(|a| a.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if same_token(g.as_bytes(), w.token.as_bytes()) => {}
        Some(_) => return error(401, "wrong write token"),
        None => {
            return error(
                401,
                "this endpoint needs Authorization: Bearer <write token>",
            )
        }
    }
    let path = req.target.split('?').next().unwrap_or("");
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let body = || -> Result<Value, Reply> {
        let json_type = req.content_type.as_deref().is_some_and(|t| {
            t.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
        if !json_type {
            return Err(error(415, "send the request body as application/json"));
        }
        serde_json::from_slice(req.body).map_err(|e| error(400, &format!("invalid JSON body: {e}")))
    };
    let _one_at_a_time = w.lock.lock().unwrap_or_else(|p| p.into_inner());
    let mut store = match Store::open(db) {
        Ok(s) => s,
        Err(e) => return error(503, &e.to_string()),
    };
    match (req.method, parts.as_slice()) {
        ("POST", ["api", "v1", "watches"]) => {
            let v = match body() {
                Ok(v) => v,
                Err(r) => return r,
            };
            let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let kind = field("kind");
            let target = techties_screen::watch_target(
                &store,
                techties_kb::Kb::embedded(),
                &kind,
                &field("value"),
            );
            match target {
                Ok((value, label)) => match store.add_watch(&kind, &value, &label) {
                    Ok(watch) => {
                        eprintln!("techties: write: watch {} added ({kind} {value})", watch.id);
                        reply(201, json!(watch))
                    }
                    Err(e) => error(500, &e.to_string()),
                },
                Err(e) => error(422, &e.to_string()),
            }
        }
        ("DELETE", ["api", "v1", "watches", id]) => match id.parse::<i64>() {
            Ok(id) => match store.remove_watch(id) {
                Ok(true) => {
                    eprintln!("techties: write: watch {id} removed");
                    reply(200, json!({ "removed": id }))
                }
                Ok(false) => error(404, &format!("no watch {id}")),
                Err(e) => error(500, &e.to_string()),
            },
            Err(_) => error(400, "watch id must be a number"),
        },
        ("POST", ["api", "v1", "ingest"]) => {
            let v = match body() {
                Ok(v) => v,
                Err(r) => return r,
            };
            let url = v.get("url").and_then(Value::as_str).unwrap_or("").trim();
            ingest_url(w, &mut store, url)
        }
        _ => error(
            404,
            "no such write endpoint (POST /api/v1/watches, DELETE /api/v1/watches/{id}, POST /api/v1/ingest)",
        ),
    }
}

fn ingest_url(w: &Writes, store: &mut Store, url: &str) -> Reply {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return error(
            422,
            "only http and https URLs can be ingested through the server",
        );
    }
    let pipeline = w.pipeline.get_or_init(Pipeline::standard);
    let opts = techties_ingest::Options {
        threads: 1,
        limits: Limits {
            allow_private: w.allow_private,
            ..Limits::default()
        },
        group_docs: 1,
    };
    match techties_ingest::ingest(&[url.to_string()], store, pipeline, &opts, &mut |_| {}) {
        Ok(s) => {
            eprintln!(
                "techties: write: ingested {url}: {} added, {} failed",
                s.added,
                s.failed.len()
            );
            let status = if s.failed.is_empty() { 200 } else { 422 };
            reply(
                status,
                json!({
                    "url": url,
                    "added": s.added,
                    "duplicates": s.duplicates,
                    "partnerships": s.partnerships,
                    "failed": s.failed.iter().map(|f| json!({"source": f.source, "reason": f.reason})).collect::<Vec<_>>(),
                }),
            )
        }
        Err(e) => error(500, &e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::same_token;

    #[test]
    fn tokens_match_only_when_equal() {
        assert!(same_token(b"0123456789abcdef", b"0123456789abcdef"));
        assert!(!same_token(b"0123456789abcdeg", b"0123456789abcdef"));
        assert!(!same_token(b"0123456789abcde", b"0123456789abcdef"));
        assert!(!same_token(b"", b"0123456789abcdef"));
    }
}
