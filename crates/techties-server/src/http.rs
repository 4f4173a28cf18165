//! A small HTTP/1.1 server on the standard library: what the workbench needs and no more.
//!
//! Each connection gets its own thread (at most `limit` at once; others wait in the accept
//! queue), with `TCP_NODELAY`, read and write time limits, a 16 KiB limit on the request head
//! and a 64 KiB limit on request bodies (only the write endpoints read one; no chunked
//! bodies). A response is written in one call, so small responses never wait on Nagle's
//! algorithm and delayed acknowledgements; connections are kept alive for up to 1,000
//! requests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::{handle, Request, State, CSP};

/// Longest request head (request line and headers).
const MAX_HEAD: usize = 16 * 1024;
/// Longest request target.
const MAX_TARGET: usize = 4096;
/// Largest request body read: anything larger is refused and closes the connection.
const MAX_BODY: usize = 64 * 1024;
/// Time a client has to send a request, and to take a response.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// Requests per kept-alive connection.
const MAX_REQUESTS: usize = 1000;

pub(crate) fn accept_loop(
    listener: TcpListener,
    state: Arc<State>,
    limit: usize,
    stopping: &AtomicBool,
) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        // at the limit, wait for a connection to finish rather than refuse this one
        while active.load(Ordering::SeqCst) >= limit {
            std::thread::sleep(Duration::from_millis(1));
        }
        active.fetch_add(1, Ordering::SeqCst);
        let (state, active) = (Arc::clone(&state), Arc::clone(&active));
        std::thread::spawn(move || {
            let _ = serve_connection(stream, &state);
            active.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}

fn write_response(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    head_only: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Content-Security-Policy: {CSP}\r\nX-Content-Type-Options: nosniff\r\n\
         X-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n\
         Cross-Origin-Resource-Policy: same-origin\r\nCache-Control: no-store\r\n\
         Connection: {}\r\n\r\n",
        reason(status),
        body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    )
    .into_bytes();
    if !head_only {
        out.extend_from_slice(body);
    }
    stream.write_all(&out)
}

fn error(stream: &mut TcpStream, status: u16, msg: &str) -> std::io::Result<()> {
    let body = serde_json::json!({ "error": msg }).to_string();
    write_response(
        stream,
        status,
        "application/json",
        body.as_bytes(),
        false,
        false,
    )
}

fn serve_connection(stream: TcpStream, state: &State) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    for served in 1..=MAX_REQUESTS {
        // the request head, bounded
        let mut head: Vec<String> = Vec::new();
        let mut size = 0;
        loop {
            let mut line = String::new();
            let n = match (&mut reader)
                .take((MAX_HEAD - size + 1) as u64)
                .read_line(&mut line)
            {
                Ok(n) => n,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if !head.is_empty() {
                        let _ = error(&mut writer, 408, "request timeout");
                    }
                    return Ok(());
                }
                Err(_) => return Ok(()),
            };
            if n == 0 {
                return Ok(()); // the client closed the connection
            }
            size += n;
            if size > MAX_HEAD {
                return error(&mut writer, 431, "request head too large");
            }
            let line = line.trim_end_matches(['\r', '\n']).to_string();
            if line.is_empty() {
                if head.is_empty() {
                    continue; // stray blank line between requests
                }
                break;
            }
            head.push(line);
        }
        let mut parts = head[0].split_whitespace();
        let (Some(method), Some(target), version) = (parts.next(), parts.next(), parts.next())
        else {
            return error(&mut writer, 400, "malformed request line");
        };
        if target.len() > MAX_TARGET {
            return error(&mut writer, 414, "request target too long");
        }
        let header = |name: &str| {
            head[1..].iter().find_map(|h| {
                let (k, v) = h.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().to_string())
            })
        };
        let length: usize = header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if length > MAX_BODY || header("transfer-encoding").is_some() {
            return error(
                &mut writer,
                413,
                "request body too large (limit 64 KiB, no chunked bodies)",
            );
        }
        let mut body = Vec::with_capacity(length);
        if length > 0 {
            (&mut reader).take(length as u64).read_to_end(&mut body)?;
            if body.len() < length {
                return Ok(()); // the client closed mid-body
            }
        }
        // the last request a connection may carry is answered with `Connection: close`, so
        // the client does not send another on a socket about to close (wrk saw a read error)
        let keep_alive = served < MAX_REQUESTS
            && match header("connection") {
                Some(c) if c.eq_ignore_ascii_case("close") => false,
                Some(c) if c.eq_ignore_ascii_case("keep-alive") => true,
                _ => version == Some("HTTP/1.1"),
            };
        let req = Request {
            method,
            target,
            authorization: header("authorization"),
            content_type: header("content-type"),
            body: &body,
        };
        let (status, ctype, body) = handle(state, &req);
        write_response(
            &mut writer,
            status,
            ctype,
            &body,
            method == "HEAD",
            keep_alive,
        )?;
        if !keep_alive {
            return Ok(());
        }
    }
    Ok(())
}
