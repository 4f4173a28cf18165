//! Reading inputs into articles: files by type (text, Markdown, HTML, JSON Lines, news-please
//! JSON, PDF, RSS/Atom feeds) and http(s) URLs, each with a clear error naming the input.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use techties_extract::source::{self, normalise_date, RawDoc, SourceError};

/// An input to ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A file.
    File(PathBuf),
    /// An http(s) URL: a page, a feed or a PDF.
    Url(String),
}

impl Item {
    /// How the item is named in reports.
    pub fn name(&self) -> String {
        match self {
            Item::File(p) => p.display().to_string(),
            Item::Url(u) => u.clone(),
        }
    }
}

/// A document read from an input, before language detection and extraction.
#[derive(Debug, Clone)]
pub struct Article {
    /// Title, date, text and source (path, `FILE:LINE` or URL).
    pub raw: RawDoc,
    /// The article's URL, when known.
    pub url: Option<String>,
    /// Author(s).
    pub author: Option<String>,
    /// Publisher: the URL's host, or the feed's or site's name.
    pub publisher: Option<String>,
    /// Input format.
    pub format: &'static str,
}

/// Why an input, or one record of it, could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: {reason}")]
pub struct ReadError {
    /// The input (path, `FILE:LINE` or URL).
    pub source_name: String,
    /// What is wrong.
    pub reason: String,
}

/// Limits on what is read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file or response body read, in bytes.
    pub max_bytes: u64,
    /// Largest HTML page parsed for its main text, in bytes.
    pub max_html_bytes: usize,
    /// Time allowed for one URL, connection to last byte.
    pub url_timeout: Duration,
    /// Redirects followed.
    pub max_redirects: u32,
    /// Fetch from loopback and private networks too (refused by default: a URL in a feed must
    /// not make techties read the analyst's own network).
    pub allow_private: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 << 20,
            max_html_bytes: 16 << 20,
            url_timeout: Duration::from_secs(20),
            max_redirects: 5,
            allow_private: false,
        }
    }
}

/// File types ingested from folders; others are skipped there (and refused when named).
pub const EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "text", "html", "htm", "jsonl", "ndjson", "json", "pdf", "xml", "rss",
    "atom",
];

/// Expands paths and URLs into items: folders recursively (symbolic links to folders are not
/// followed, so a link loop cannot trap the walk), files of known types only inside folders,
/// sorted for a reproducible order. Returns the items and the inputs that do not exist.
pub fn expand(inputs: &[String]) -> (Vec<Item>, Vec<ReadError>, usize) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = 0;
    for input in inputs {
        if input.starts_with("http://") || input.starts_with("https://") {
            items.push(Item::Url(input.clone()));
            continue;
        }
        if let Some((scheme, _)) = input.split_once("://") {
            errors.push(ReadError {
                source_name: input.clone(),
                reason: format!("unsupported URL scheme {scheme:?}: only http and https"),
            });
            continue;
        }
        let path = PathBuf::from(input);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, &mut items, &mut errors, &mut skipped),
            Ok(_) => items.push(Item::File(path)),
            Err(e) => errors.push(ReadError {
                source_name: input.clone(),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    (items, errors, skipped)
}

fn walk(dir: &Path, items: &mut Vec<Item>, errors: &mut Vec<ReadError>, skipped: &mut usize) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(ReadError {
                source_name: dir.display().to_string(),
                reason: format!("cannot list folder: {e}"),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            walk(&p, items, errors, skipped);
        } else if meta.file_type().is_symlink() {
            // a link to a file is read; a link to a folder is not followed
            match std::fs::metadata(&p) {
                Ok(m) if m.is_file() && has_known_extension(&p) => items.push(Item::File(p)),
                _ => *skipped += 1,
            }
        } else if meta.is_file() && has_known_extension(&p) {
            items.push(Item::File(p));
        } else {
            *skipped += 1;
        }
    }
}

fn has_known_extension(p: &Path) -> bool {
    extension(p).is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
}

fn extension(p: &Path) -> Option<String> {
    p.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Reads one item into articles (a feed or a JSON Lines file holds many).
pub fn read_item(item: &Item, limits: &Limits) -> Vec<Result<Article, ReadError>> {
    match item {
        Item::File(path) => {
            let name = path.display().to_string();
            let bytes = match read_limited(path, limits.max_bytes) {
                Ok(b) => b,
                Err(reason) => {
                    return vec![Err(ReadError {
                        source_name: name,
                        reason,
                    })]
                }
            };
            read_bytes(&name, extension(path).as_deref(), None, bytes, limits)
        }
        Item::Url(url) => match fetch(url, limits) {
            Ok((bytes, content_type)) => {
                let ext = ext_of_content_type(&content_type, url);
                read_bytes(url, ext.as_deref(), Some(url), bytes, limits)
            }
            Err(reason) => vec![Err(ReadError {
                source_name: url.clone(),
                reason,
            })],
        },
    }
}

fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max {
        return Err(format!(
            "too large: {:.1} MB (limit {:.0} MB)",
            len as f64 / 1e6,
            max as f64 / 1e6
        ));
    }
    let mut buf = Vec::with_capacity(len as usize);
    f.take(max + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > max {
        return Err(format!("too large (limit {:.0} MB)", max as f64 / 1e6));
    }
    Ok(buf)
}

fn ext_of_content_type(content_type: &str, url: &str) -> Option<String> {
    let ct = content_type.to_ascii_lowercase();
    let by_type = if ct.contains("html") {
        Some("html")
    } else if ct.contains("rss") || ct.contains("atom") || ct.contains("xml") {
        Some("xml")
    } else if ct.contains("pdf") {
        Some("pdf")
    } else if ct.contains("json") {
        Some("json")
    } else if ct.starts_with("text/plain") {
        Some("txt")
    } else {
        None
    };
    by_type
        .map(str::to_string)
        .or_else(|| extension(Path::new(url.split(['?', '#']).next().unwrap_or(url))))
}

/// GET with a time limit, a size limit and few redirects, http and https only; every hop's
/// host must resolve to a public address unless private ones are allowed.
fn fetch(url: &str, limits: &Limits) -> Result<(Vec<u8>, String), String> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(limits.url_timeout))
        // redirects are followed here, so that each hop's scheme is checked
        .max_redirects(0)
        .http_status_as_error(false)
        .https_only(false)
        .user_agent(concat!("techties/", env!("CARGO_PKG_VERSION")))
        .build();
    let agent = ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::default(),
        PublicOnly {
            allow_private: limits.allow_private,
        },
    );
    let mut current = url.to_string();
    for _ in 0..=limits.max_redirects {
        check_target(&current)?;
        let mut resp = agent
            .get(&current)
            .call()
            .map_err(|e| format!("fetch failed: {e}"))?;
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            let location = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| format!("HTTP {status} redirect without a Location"))?;
            current = join_url(&current, location)?;
            continue;
        }
        if status >= 400 {
            return Err(format!("fetch failed: HTTP {status}"));
        }
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(limits.max_bytes)
            .read_to_vec()
            .map_err(|e| format!("reading the response failed: {e}"))?;
        return Ok((bytes, content_type));
    }
    Err(format!(
        "too many redirects (more than {})",
        limits.max_redirects
    ))
}

/// A redirect's target, absolute.
fn join_url(base: &str, location: &str) -> Result<String, String> {
    if location.starts_with("http://") || location.starts_with("https://") {
        return Ok(location.to_string());
    }
    if let Some((scheme, _)) = location.split_once("://") {
        return Err(format!("redirect to an unsupported scheme {scheme:?}"));
    }
    let (scheme, rest) = base.split_once("://").ok_or("bad base URL")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if let Some(path) = location.strip_prefix("//") {
        return Ok(format!("{scheme}://{path}"));
    }
    if location.starts_with('/') {
        return Ok(format!("{scheme}://{authority}{location}"));
    }
    let path = &rest[authority.len()..];
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let dir = if dir.is_empty() { "/" } else { dir };
    Ok(format!("{scheme}://{authority}{dir}{location}"))
}

/// Refuses a URL that is not http(s). Private addresses are refused when connecting, by
/// [`PublicOnly`].
fn check_target(url: &str) -> Result<(), String> {
    let (scheme, _) = url.split_once("://").ok_or("not a URL")?;
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "unsupported URL scheme {scheme:?}: only http and https"
        ));
    }
    Ok(())
}

/// Loopback, private, link-local, carrier-grade NAT, multicast and unspecified addresses: where
/// a URL in a feed must not make techties look (the analyst's own network, cloud metadata).
fn is_private(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| is_private(v4.into()))
        }
    }
}

/// Resolves host names for ureq and refuses private addresses (unless allowed) at the moment
/// of connecting: a check made before the request would leave a gap between that lookup and
/// ureq's own, which a DNS server answering differently the second time (rebinding) could use.
#[derive(Debug)]
struct PublicOnly {
    allow_private: bool,
}

impl ureq::unversioned::resolver::Resolver for PublicOnly {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        use ureq::unversioned::resolver::DefaultResolver;
        let addrs = DefaultResolver::default().resolve(uri, config, timeout)?;
        if !self.allow_private {
            if let Some(a) = addrs.iter().find(|a| is_private(a.ip())) {
                return Err(ureq::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!(
                        "refused: {} is a private or loopback address ({}); --allow-private ingests from it",
                        uri.host().unwrap_or("?"),
                        a.ip()
                    ),
                )));
            }
        }
        Ok(addrs)
    }
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    Some(host.trim_start_matches("www.").to_ascii_lowercase()).filter(|h| !h.is_empty())
}

fn article(raw: RawDoc, format: &'static str, author: Option<String>) -> Article {
    let url =
        Some(raw.source.clone()).filter(|s| s.starts_with("http://") || s.starts_with("https://"));
    let publisher = url.as_deref().and_then(host_of);
    Article {
        raw,
        url,
        author,
        publisher,
        format,
    }
}

fn from_source(r: Result<RawDoc, SourceError>, format: &'static str) -> Result<Article, ReadError> {
    r.map(|raw| article(raw, format, None)).map_err(|e| {
        let msg = e.to_string();
        // SourceError already names the input: split it back into name and reason
        let (name, reason) = msg.split_once(": ").unwrap_or(("input", &msg));
        ReadError {
            source_name: name.to_string(),
            reason: reason.to_string(),
        }
    })
}

/// Reads the bytes of one input of the given type (its extension) into articles: what
/// [`read_item`] does once the bytes are in, and what the fuzz targets drive.
pub fn read_bytes(
    name: &str,
    ext: Option<&str>,
    url: Option<&str>,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Vec<Result<Article, ReadError>> {
    let bad = |reason: String| {
        vec![Err(ReadError {
            source_name: name.to_string(),
            reason,
        })]
    };
    let bytes = if ext == Some("pdf") {
        bytes
    } else {
        match decode_utf16_bom(bytes) {
            Ok(b) => b,
            Err(reason) => return bad(reason),
        }
    };
    if bytes.iter().take(8192).any(|&b| b == 0) && ext != Some("pdf") {
        return bad("binary data, not text (NUL bytes)".into());
    }
    let mut out = match ext {
        Some("pdf") => vec![read_pdf(name, &bytes)],
        Some("json") => read_json(name, &bytes),
        Some("xml" | "rss" | "atom") => read_feed(name, &bytes, limits),
        Some("html" | "htm") => {
            if bytes.len() > limits.max_html_bytes {
                return bad(format!(
                    "HTML page too large to parse: {:.1} MB (limit {:.0} MB)",
                    bytes.len() as f64 / 1e6,
                    limits.max_html_bytes as f64 / 1e6
                ));
            }
            match String::from_utf8(bytes) {
                Ok(html) => vec![source::parse_html_page(name, &html)
                    .map(|(raw, author)| article(raw, "html", author))
                    .map_err(|e| ReadError {
                        source_name: name.to_string(),
                        reason: e
                            .to_string()
                            .split_once(": ")
                            .map(|x| x.1.to_string())
                            .unwrap_or_default(),
                    })],
                Err(e) => bad(format!(
                    "not valid UTF-8 text (byte {})",
                    e.utf8_error().valid_up_to()
                )),
            }
        }
        Some(e @ ("txt" | "md" | "markdown" | "text" | "jsonl" | "ndjson")) => {
            let format = match e {
                "jsonl" | "ndjson" => "jsonl",
                "md" | "markdown" => "md",
                _ => "txt",
            };
            source::parse_bytes(name, Some(e), bytes)
                .into_iter()
                .map(|r| from_source(r, format))
                .collect()
        }
        Some(other) => bad(format!(
            "unsupported input type .{other} (expected {})",
            EXTENSIONS.join(", ")
        )),
        None => bad("unknown input type (no extension)".into()),
    };
    if let Some(u) = url {
        for a in out.iter_mut().flatten() {
            if a.url.is_none() {
                a.url = Some(u.to_string());
                a.raw.source = u.to_string();
                a.publisher = host_of(u);
            }
        }
    }
    out
}

/// Text saved as UTF-16 (Windows "Unicode" files, some exported reports) starts with a
/// byte-order mark; it is re-encoded as UTF-8, which becomes the document's text, so every
/// span indexes the decoded text. Bytes without a UTF-16 mark pass through untouched.
fn decode_utf16_bom(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let little = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => true,
        Some([0xFE, 0xFF]) => false,
        _ => return Ok(bytes),
    };
    let body = &bytes[2..];
    if !body.len().is_multiple_of(2) {
        return Err(format!(
            "not valid UTF-16 text: odd number of bytes ({}) after the byte-order mark",
            body.len()
        ));
    }
    let units = body.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut out = String::with_capacity(body.len());
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => out.push(c),
            Err(e) => {
                return Err(format!(
                    "not valid UTF-16 text: unpaired surrogate {:#06x} at byte {}",
                    e.unpaired_surrogate(),
                    2 + 2 * i
                ))
            }
        }
    }
    Ok(out.into_bytes())
}

/// The most a PDF's compressed (Flate) streams may inflate to, images aside. The PDF parser
/// inflates every content and object stream whole, so a 64 MB file at deflate's 1,000:1 could
/// ask for 64 GB; real reports stay far below this.
pub const MAX_PDF_INFLATE: u64 = 256 << 20;

/// Inflates each Flate stream that is not an image into a counter, stopping as soon as the
/// total passes `budget`: `Err(total so far)` then. Streams that are not valid zlib are left
/// to the parser to judge.
fn pdf_streams_inflate_within(bytes: &[u8], budget: u64) -> Result<u64, u64> {
    let mut total = 0u64;
    for pos in memchr::memmem::find_iter(bytes, b"stream") {
        if pos >= 3 && &bytes[pos - 3..pos] == b"end" {
            continue;
        }
        let start = match &bytes[pos + 6..] {
            [b'\r', b'\n', ..] => pos + 8,
            [b'\n', ..] | [b'\r', ..] => pos + 7,
            _ => continue,
        };
        // the stream's dictionary: from its "obj" keyword, at most 4 KB back
        let from = pos.saturating_sub(4096);
        let dict_start =
            memchr::memmem::rfind(&bytes[from..pos], b"obj").map_or(from, |i| from + i);
        let dict = &bytes[dict_start..pos];
        if memchr::memmem::find(dict, b"Flate").is_none()
            || memchr::memmem::find(dict, b"/Image").is_some()
        {
            continue;
        }
        // counted as it goes: a stream that turns corrupt after inflating a gigabyte counts
        let mut decoder = flate2::read::ZlibDecoder::new(&bytes[start..]);
        let mut buf = [0u8; 64 * 1024];
        loop {
            match decoder.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    total += n as u64;
                    if total > budget {
                        return Err(total);
                    }
                }
            }
        }
    }
    Ok(total)
}

/// The text of a PDF: parsed with lopdf, checked, then laid out by pdf-extract.
fn pdf_text(bytes: &[u8]) -> Result<String, String> {
    let mut doc =
        pdf_extract::Document::load_mem(bytes).map_err(|e| format!("unreadable PDF: {e}"))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err("encrypted PDF: it needs a password".into());
    }
    page_tree_is_sound(&doc)?;
    forms_are_bounded(&doc)?;
    let mut text = String::new();
    pdf_extract::output_doc(&doc, &mut pdf_extract::PlainTextOutput::new(&mut text))
        .map_err(|e| format!("unreadable PDF: {e}"))?;
    Ok(text)
}

/// Longest chain of /Parent links from a page to the root of the page tree.
const MAX_PDF_TREE_DEPTH: usize = 256;

/// pdf-extract looks up a page's inherited attributes (resources, media box) by following its
/// /Parent links with no guard, so a page that is its own ancestor made it loop forever (found
/// by fuzzing). Every page's chain must end, and within [`MAX_PDF_TREE_DEPTH`] links.
fn page_tree_is_sound(doc: &pdf_extract::Document) -> Result<(), String> {
    for (_, page) in doc.get_pages() {
        let mut seen = std::collections::HashSet::new();
        let mut id = page;
        while let Ok(dict) = doc.get_dictionary(id) {
            if !seen.insert(id) {
                return Err(
                    "unreadable PDF: its page tree loops (a page is its own ancestor)".into(),
                );
            }
            if seen.len() > MAX_PDF_TREE_DEPTH {
                return Err(format!(
                    "unreadable PDF: its page tree is deeper than {MAX_PDF_TREE_DEPTH} levels"
                ));
            }
            match dict.get(b"Parent").and_then(|p| p.as_reference()) {
                Ok(parent) => id = parent,
                Err(_) => break,
            }
        }
    }
    Ok(())
}

/// Most XObjects drawn in a whole document, counting every time one is drawn.
const MAX_PDF_FORM_DRAWS: usize = 10_000;
/// Deepest nesting of XObjects drawing XObjects.
const MAX_PDF_FORM_DEPTH: usize = 32;

/// pdf-extract draws an XObject (`/Name Do`) by recursing into its content stream, with no
/// guard: a form that draws itself overflowed the stack and aborted the whole process, and 40
/// forms each drawing the next twice meant 2^40 draws. This walks the same draws, without
/// laying anything out, and refuses the document when they nest deeper than
/// [`MAX_PDF_FORM_DEPTH`] or number more than [`MAX_PDF_FORM_DRAWS`].
fn forms_are_bounded(doc: &pdf_extract::Document) -> Result<(), String> {
    use pdf_extract::{Dictionary, Object, ObjectId};
    use std::collections::HashMap;

    fn names_drawn(content: &[u8]) -> Vec<Vec<u8>> {
        pdf_extract::content::Content::decode(content)
            .map(|c| {
                c.operations
                    .iter()
                    .filter(|op| op.operator == "Do")
                    .filter_map(|op| op.operands.first()?.as_name().ok().map(<[u8]>::to_vec))
                    .collect()
            })
            .unwrap_or_default()
    }
    fn dict<'a>(doc: &'a pdf_extract::Document, o: &'a Object) -> Option<&'a Dictionary> {
        doc.dereference(o).ok()?.1.as_dict().ok()
    }
    fn inherited<'a>(
        doc: &'a pdf_extract::Document,
        mut node: &'a Dictionary,
        key: &[u8],
    ) -> Option<&'a Dictionary> {
        // the page tree was checked to end within MAX_PDF_TREE_DEPTH links
        for _ in 0..=MAX_PDF_TREE_DEPTH {
            if let Some(d) = node.get(key).ok().and_then(|o| dict(doc, o)) {
                return Some(d);
            }
            let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
            node = doc.get_dictionary(parent).ok()?;
        }
        None
    }
    let refused = |why: String| Err(format!("unreadable PDF: {why}"));
    let mut drawn_by: HashMap<ObjectId, Vec<Vec<u8>>> = HashMap::new();
    let mut draws = 0usize;
    for (_, page_id) in doc.get_pages() {
        let Ok(page) = doc.get_dictionary(page_id) else {
            continue;
        };
        let content = doc.get_page_content(page_id).unwrap_or_default();
        let mut stack = vec![(names_drawn(&content), inherited(doc, page, b"Resources"), 0)];
        while let Some((names, resources, depth)) = stack.pop() {
            let Some(xobjects) = resources
                .and_then(|r| r.get(b"XObject").ok())
                .and_then(|o| dict(doc, o))
            else {
                continue;
            };
            for name in names {
                let Some(id) = xobjects.get(&name).and_then(Object::as_reference).ok() else {
                    continue;
                };
                let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
                    continue;
                };
                draws += 1;
                if draws > MAX_PDF_FORM_DRAWS {
                    return refused(format!(
                        "its forms are drawn more than {MAX_PDF_FORM_DRAWS} times"
                    ));
                }
                if depth + 1 > MAX_PDF_FORM_DEPTH {
                    return refused(format!(
                        "its forms nest deeper than {MAX_PDF_FORM_DEPTH} (a form that draws itself?)"
                    ));
                }
                // a form without resources of its own uses those of whatever draws it
                let own = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|o| dict(doc, o));
                let inner = drawn_by
                    .entry(id)
                    .or_insert_with(|| {
                        let content = stream
                            .decompressed_content()
                            .unwrap_or_else(|_| stream.content.clone());
                        names_drawn(&content)
                    })
                    .clone();
                stack.push((inner, own.or(resources), depth + 1));
            }
        }
    }
    Ok(())
}

fn read_pdf(name: &str, bytes: &[u8]) -> Result<Article, ReadError> {
    let bad = |reason: String| ReadError {
        source_name: name.to_string(),
        reason,
    };
    if !bytes.starts_with(b"%PDF") {
        return Err(bad("not a PDF (no %PDF header)".into()));
    }
    if let Err(seen) = pdf_streams_inflate_within(bytes, MAX_PDF_INFLATE) {
        return Err(bad(format!(
            "PDF streams inflate past {:.0} MB (a decompression bomb?): {:.0} MB seen",
            MAX_PDF_INFLATE as f64 / 1e6,
            seen as f64 / 1e6
        )));
    }
    // the PDF parser panics on some malformed files: a bad file is an error, not a crash
    let text = std::panic::catch_unwind(|| pdf_text(bytes))
        .map_err(|_| bad("unreadable PDF (the parser gave up)".into()))?
        .map_err(bad)?;
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(bad("no text found in the PDF (scanned images?)".into()));
    }
    let title = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| l.chars().take(200).collect());
    Ok(article(
        RawDoc {
            source: name.to_string(),
            title,
            date: None,
            text,
        },
        "pdf",
        None,
    ))
}

/// news-please JSON: one article object or a list of them.
fn read_json(name: &str, bytes: &[u8]) -> Vec<Result<Article, ReadError>> {
    let bad = |reason: String| ReadError {
        source_name: name.to_string(),
        reason,
    };
    let v: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return vec![Err(bad(format!("invalid JSON: {e}")))],
    };
    let records: Vec<&serde_json::Value> = match &v {
        serde_json::Value::Array(a) => a.iter().collect(),
        o @ serde_json::Value::Object(_) => vec![o],
        _ => {
            return vec![Err(bad(
                "expected an article object or a list of them".into()
            ))]
        }
    };
    records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let rec_name = format!("{name}[{i}]");
            let Some(obj) = r.as_object() else {
                return Err(ReadError {
                    source_name: rec_name,
                    reason: "expected a JSON object".into(),
                });
            };
            let s = |k: &str| {
                obj.get(k)
                    .and_then(|v| v.as_str())
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
            };
            let Some(text) = s("maintext")
                .or_else(|| s("text"))
                .or_else(|| s("content"))
                .or_else(|| s("body"))
            else {
                return Err(ReadError {
                    source_name: rec_name,
                    reason: "no \"maintext\", \"text\", \"content\" or \"body\" field".into(),
                });
            };
            let url = s("url");
            let authors = obj
                .get("authors")
                .and_then(|a| a.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .filter(|a| !a.is_empty())
                .or_else(|| s("author"));
            let raw = RawDoc {
                source: url.clone().unwrap_or(rec_name),
                title: s("title"),
                date: s("date_publish")
                    .or_else(|| s("date"))
                    .or_else(|| s("published"))
                    .as_deref()
                    .and_then(normalise_date),
                text,
            };
            let mut a = article(raw, "json", authors);
            if let Some(site) = s("source_domain") {
                a.publisher = Some(site);
            }
            Ok(a)
        })
        .collect()
}

/// RSS, Atom or JSON Feed: one article per entry, from its content or summary.
fn read_feed(name: &str, bytes: &[u8], limits: &Limits) -> Vec<Result<Article, ReadError>> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            return vec![Err(ReadError {
                source_name: name.to_string(),
                reason: format!("not a readable RSS/Atom feed: {e}"),
            })]
        }
    };
    let site = feed.title.as_ref().map(|t| t.content.trim().to_string());
    feed.entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let link = e.links.first().map(|l| l.href.clone());
            let entry_name = link.clone().unwrap_or_else(|| format!("{name}#{}", i + 1));
            let html = e
                .content
                .as_ref()
                .and_then(|c| c.body.clone())
                .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
                .unwrap_or_default();
            let text = if html.contains('<') && html.len() <= limits.max_html_bytes {
                let page = format!("<html><body><article>{html}</article></body></html>");
                source::parse_html_page(&entry_name, &page)
                    .map(|(r, _)| r.text)
                    .unwrap_or_default()
            } else {
                html.trim().to_string()
            };
            if text.trim().is_empty() {
                return Err(ReadError {
                    source_name: entry_name,
                    reason: "feed entry without content or summary".into(),
                });
            }
            let raw = RawDoc {
                source: entry_name,
                title: e.title.as_ref().map(|t| t.content.trim().to_string()),
                date: e
                    .published
                    .or(e.updated)
                    .map(|d| d.format("%Y-%m-%d").to_string()),
                text,
            };
            let author = Some(
                e.authors
                    .iter()
                    .filter_map(|a| a.name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .filter(|a| !a.is_empty());
            let mut a = article(raw, "feed", author);
            if a.publisher.is_none() {
                a.publisher.clone_from(&site);
            }
            Ok(a)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_targets_are_made_absolute() {
        assert_eq!(
            join_url("https://a.org/x/y?q", "/z").unwrap(),
            "https://a.org/z"
        );
        assert_eq!(
            join_url("https://a.org/x/y", "z").unwrap(),
            "https://a.org/x/z"
        );
        assert_eq!(join_url("http://a.org", "z").unwrap(), "http://a.org/z");
        assert_eq!(
            join_url("http://a.org/", "//b.org/c").unwrap(),
            "http://b.org/c"
        );
        assert!(join_url("http://a.org/", "file:///etc/passwd").is_err());
    }

    #[test]
    fn private_and_loopback_addresses_are_refused_unless_allowed() {
        for url in [
            "http://127.0.0.1:8080/x",
            "http://localhost/",
            "http://10.1.2.3/",
            "http://192.168.0.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            "http://0.0.0.0/",
        ] {
            // refused by the resolver, at connection time: nothing is sent
            let e = fetch(url, &Limits::default()).unwrap_err();
            assert!(e.contains("refused") && e.contains("private"), "{url}: {e}");
        }
        assert!(is_private("::ffff:10.0.0.1".parse().unwrap()));
        assert!(!is_private("93.184.216.34".parse().unwrap()));
        assert!(check_target("http://127.0.0.1:8080/x").is_ok());
        assert!(check_target("ftp://example.org/").is_err());
    }

    #[test]
    fn hosts_are_publishers() {
        assert_eq!(
            host_of("https://www.Example.org/a/b?c").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            host_of("http://user@news.site:8080/x").as_deref(),
            Some("news.site")
        );
    }

    #[test]
    fn news_please_json_reads_each_article_and_reports_bad_ones() {
        let json = br#"[{"title":"A","maintext":"Huawei opened a lab.","url":"https://a.org/1","date_publish":"2019-05-01 10:00:00","authors":["X","Y"]},{"title":"no text"}]"#;
        let r = read_json("n.json", json);
        assert_eq!(r.len(), 2);
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.raw.date.as_deref(), Some("2019-05-01"));
        assert_eq!(a.author.as_deref(), Some("X, Y"));
        assert_eq!(a.publisher.as_deref(), Some("a.org"));
        assert!(r[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("n.json[1]: no"));
    }

    #[test]
    fn rss_entries_become_articles() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Tech Wire</title>
<item><title>Deal</title><link>https://w.org/deal</link><pubDate>Tue, 04 Jun 2019 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Rosatom and a Chinese firm signed an agreement.&lt;/p&gt;</description></item>
</channel></rss>"#;
        let r = read_feed("f.xml", rss, &Limits::default());
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.raw.title.as_deref(), Some("Deal"));
        assert_eq!(a.raw.date.as_deref(), Some("2019-06-04"));
        assert!(a.raw.text.contains("Rosatom"), "{}", a.raw.text);
        assert_eq!(a.publisher.as_deref(), Some("w.org"));
    }

    #[test]
    fn hostile_bytes_get_clear_errors() {
        let l = Limits::default();
        let e = |ext: &str, b: &[u8]| {
            read_bytes("x", Some(ext), None, b.to_vec(), &l)[0]
                .clone()
                .unwrap_err()
                .reason
        };
        assert!(e("txt", b"abc\0\0def").contains("binary"));
        assert!(e("txt", b"caf\xe9").contains("UTF-8"));
        assert!(e("txt", b"").contains("no text"));
        assert!(e("json", b"{\"title\": ").contains("invalid JSON"));
        assert!(e("pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog").contains("PDF"));
        assert!(e("exe", b"MZ").contains("unsupported"));
        assert!(e("xml", b"<rss><channel><item>").contains("feed"));
        assert!(e("txt", b"\xff\xfeA\x00B").contains("odd number of bytes"));
        assert!(
            e("txt", b"\xff\xfeA\x00\x00\xd8B\x00").contains("unpaired surrogate 0xd800 at byte 4")
        );
    }

    /// A one-page PDF whose content stream (Flate) inflates to `n` bytes.
    fn pdf_with_flate_content(n: usize, image: bool) -> Vec<u8> {
        use std::io::Write;
        let mut content = b"BT /F1 12 Tf 72 720 Td (Rosatom signed an agreement.) Tj ET\n".to_vec();
        content.resize(n.max(content.len()), b' ');
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&content).unwrap();
        let data = enc.finish().unwrap();
        let subtype = if image { "/Subtype /Image " } else { "" };
        let mut pdf = b"%PDF-1.4\n4 0 obj\n".to_vec();
        pdf.extend(
            format!(
                "<< {subtype}/Filter /FlateDecode /Length {} >>\nstream\n",
                data.len()
            )
            .bytes(),
        );
        pdf.extend(&data);
        pdf.extend(b"\nendstream\nendobj\n%%EOF\n");
        pdf
    }

    #[test]
    fn pdf_decompression_bombs_are_refused_before_parsing() {
        let small = pdf_with_flate_content(100_000, false);
        assert_eq!(pdf_streams_inflate_within(&small, 1 << 20), Ok(100_000));
        let bomb = pdf_with_flate_content(3 << 20, false);
        assert!(bomb.len() < 20_000);
        let seen = pdf_streams_inflate_within(&bomb, 1 << 20).unwrap_err();
        assert!(seen > 1 << 20 && seen <= (1 << 20) + 64 * 1024, "{seen}");
        // images are not inflated by the text extractor, so they are not counted
        let image = pdf_with_flate_content(3 << 20, true);
        assert_eq!(pdf_streams_inflate_within(&image, 1 << 20), Ok(0));
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded_in_either_byte_order() {
        let text = "Huawei opened an R&D centre in Новосибирск with 华为 engineers.\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        for (bytes, ext) in [(le, "txt"), (be, "md")] {
            let r = read_bytes("u16", Some(ext), None, bytes, &Limits::default());
            let a = r[0].as_ref().expect("decoded");
            assert!(
                a.raw.text.contains("Новосибирск with 华为"),
                "{}",
                a.raw.text
            );
        }
        let html: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "<html><body><article><p>Rosatom and CNNC signed a fuel agreement in Beijing on Monday, officials said.</p></article></body></html>"
                    .encode_utf16()
                    .flat_map(|u| u.to_le_bytes()),
            )
            .collect();
        let r = read_bytes("u16.html", Some("html"), None, html, &Limits::default());
        assert!(r[0].as_ref().expect("decoded").raw.text.contains("CNNC"));
    }
}
