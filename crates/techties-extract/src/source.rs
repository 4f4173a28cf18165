//! Reading documents from files: plain text, Markdown, HTML and JSON Lines.
//!
//! Each input yields one result per document, so one malformed record is reported (naming the
//! file and line) while the others are still processed.

use std::io::Read;
use std::path::Path;

/// A document as read, before any processing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDoc {
    /// Path, `FILE:LINE` or URL.
    pub source: String,
    /// Title, if the input gives one.
    pub title: Option<String>,
    /// Publication date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), if the input gives a valid one.
    pub date: Option<String>,
    /// The plain text that offsets will point into.
    pub text: String,
}

/// Why an input or one of its records could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read: {reason}")]
    Unreadable {
        /// The file.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The file is not valid UTF-8.
    #[error("{path}: not valid UTF-8 text (byte {offset})")]
    NotUtf8 {
        /// The file.
        path: String,
        /// Where decoding failed.
        offset: usize,
    },
    /// A JSON Lines record is malformed.
    #[error("{path}:{line}: {reason}")]
    BadRecord {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The file's extension is not one techties reads.
    #[error("{path}: unsupported input type (expected .txt, .md, .html or .jsonl)")]
    Unsupported {
        /// The file.
        path: String,
    },
    /// The document has no text to extract from.
    #[error("{path}: no text found")]
    Empty {
        /// The file.
        path: String,
    },
    /// The HTML nests elements deeper than a page does.
    #[error("{path}: HTML nested deeper than {limit} elements")]
    TooDeep {
        /// The file.
        path: String,
        /// The limit.
        limit: usize,
    },
}

/// Deepest element nesting parsed: real pages stay under a hundred, and the HTML parser and
/// main-text extractor recurse over the tree (100,000 levels hung, then overflowed the stack).
pub const MAX_HTML_DEPTH: usize = 512;

/// Whether the HTML nests elements deeper than `limit`, by a scan of its tags (elements that
/// need no closing tag, or whose closing tag may be left out, are not counted).
fn nested_deeper_than(html: &str, limit: usize) -> bool {
    const UNCOUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
        "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body", "rb", "rt", "rp",
    ];
    let b = html.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let start = i + 1;
                let mut end = start;
                while end < b.len() && b[end].is_ascii_alphanumeric() {
                    end += 1;
                }
                let name = html[start..end].to_ascii_lowercase();
                let close = b[end..].iter().position(|&c| c == b'>').map(|p| end + p);
                let self_closing = close.is_some_and(|c| c > 0 && b[c - 1] == b'/');
                if !self_closing && !UNCOUNTED.contains(&name.as_str()) {
                    depth += 1;
                    if depth > limit {
                        return true;
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Reads one input (a path, or `-` for standard input) into documents.
pub fn read_input(path: &str) -> Vec<Result<RawDoc, SourceError>> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        match std::io::stdin().read_to_end(&mut buf) {
            Ok(_) => buf,
            Err(e) => {
                return vec![Err(SourceError::Unreadable {
                    path: "<stdin>".into(),
                    reason: e.to_string(),
                })]
            }
        }
    } else {
        match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                return vec![Err(SourceError::Unreadable {
                    path: path.into(),
                    reason: e.to_string(),
                })]
            }
        }
    };
    let name = if path == "-" { "<stdin>" } else { path };
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    parse_bytes(name, ext.as_deref(), bytes)
}

/// Parses the bytes of one input named `name` by its extension (`None`: sniffed from the
/// content): plain text, Markdown, HTML or JSON Lines.
pub fn parse_bytes(
    name: &str,
    ext: Option<&str>,
    bytes: Vec<u8>,
) -> Vec<Result<RawDoc, SourceError>> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return vec![Err(SourceError::NotUtf8 {
                path: name.into(),
                offset: e.utf8_error().valid_up_to(),
            })]
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    match ext {
        Some("jsonl" | "ndjson") => parse_jsonl(name, &text),
        Some("html" | "htm") => vec![parse_html(name, &text)],
        Some("txt" | "md" | "text" | "markdown") => vec![parse_plain(name, &text)],
        None => {
            if text.trim_start().starts_with('{') {
                parse_jsonl(name, &text)
            } else if text.trim_start().starts_with('<') {
                vec![parse_html(name, &text)]
            } else {
                vec![parse_plain(name, &text)]
            }
        }
        _ => vec![Err(SourceError::Unsupported { path: name.into() })],
    }
}

/// Accepts `YYYY`, `YYYY-MM`, `YYYY-MM-DD` and ISO date-times (cut to the date).
pub fn normalise_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    if !digits(0..4) {
        return None;
    }
    let year: u32 = s[0..4].parse().ok()?;
    if !(1000..=2999).contains(&year) {
        return None;
    }
    if b.len() == 4 {
        return Some(s.to_string());
    }
    if b.get(4) != Some(&b'-') || !digits(5..7) {
        return None;
    }
    let month: u32 = s[5..7].parse().ok()?;
    if !(1..=12).contains(&month) {
        return None;
    }
    if b.len() == 7 {
        return Some(s.to_string());
    }
    if b.get(7) != Some(&b'-') || !digits(8..10) {
        return None;
    }
    let day: u32 = s[8..10].parse().ok()?;
    if !(1..=31).contains(&day) || (b.len() > 10 && !matches!(b[10], b'T' | b' ')) {
        return None;
    }
    Some(s[0..10].to_string())
}

fn parse_jsonl(path: &str, text: &str) -> Vec<Result<RawDoc, SourceError>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let lineno = i + 1;
        let bad = |reason: String| SourceError::BadRecord {
            path: path.into(),
            line: lineno,
            reason,
        };
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                out.push(Err(bad(format!("invalid JSON: {e}"))));
                continue;
            }
        };
        let Some(obj) = v.as_object() else {
            out.push(Err(bad("expected a JSON object".into())));
            continue;
        };
        let field = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let Some(body) = field("text")
            .or_else(|| field("content"))
            .or_else(|| field("body"))
        else {
            out.push(Err(bad(
                "no \"text\", \"content\" or \"body\" string field".into(),
            )));
            continue;
        };
        let source = field("url")
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("{path}:{lineno}"));
        out.push(Ok(RawDoc {
            source,
            title: field("title"),
            date: field("date").as_deref().and_then(normalise_date),
            text: body,
        }));
    }
    out
}

/// Plain text, optionally opening with `Title:`, `URL:`, `Date:` and `Outlet:` header lines.
fn parse_plain(path: &str, text: &str) -> Result<RawDoc, SourceError> {
    let mut title = None;
    let mut date = None;
    let mut url = None;
    let mut rest = text;
    loop {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        let Some((key, val)) = line.split_once(':') else {
            break;
        };
        match key {
            "Title" => title = Some(val.trim().to_string()),
            "Date" => date = normalise_date(val),
            "URL" => url = Some(val.trim().to_string()),
            // the corpora name the site an article was taken from; it is not body text
            "Outlet" => {}
            _ => break,
        }
        rest = after;
    }
    let body = rest.trim_start_matches(['\n', '\r']);
    if title.is_none() {
        title = body
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .map(|t| t.trim().to_string());
    }
    if body.trim().is_empty() {
        return Err(SourceError::Empty { path: path.into() });
    }
    let source = url
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .unwrap_or_else(|| path.to_string());
    Ok(RawDoc {
        source,
        title,
        date,
        text: body.to_string(),
    })
}

/// A publication date the page states in markup readability does not read: the first
/// `<time datetime="…">`, or a `date` / `pubdate` / `dc.date` meta tag.
fn date_in_markup(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let value_after = |key: &str| {
        let at = lower.find(key)? + key.len();
        let rest = &html[at..];
        let end = rest.find('"')?;
        normalise_date(&rest[..end])
    };
    [
        "<meta name=\"date\" content=\"",
        "<meta name=\"pubdate\" content=\"",
        "<meta name=\"dc.date\" content=\"",
    ]
    .iter()
    .find_map(|k| value_after(k))
    .or_else(|| {
        let t = lower.find("<time")?;
        let end = t + lower[t..].find('>')?;
        let tag = &lower[t..end];
        let at = t + tag.find("datetime=\"")? + "datetime=\"".len();
        let rest = &html[at..];
        normalise_date(&rest[..rest.find('"')?])
    })
}

/// A page title without the site's name: "Headline | Site", "Headline :: Site" and
/// "Headline — Site" keep their longest part.
fn clean_title(title: &str) -> String {
    let t = title.trim();
    for sep in [" | ", " :: ", " — ", " – ", " - "] {
        if t.contains(sep) {
            if let Some(best) = t.split(sep).max_by_key(|p| p.chars().count()) {
                return best.trim().to_string();
            }
        }
    }
    t.to_string()
}

/// Lines the readability pass keeps but an article does not say: labelled ads and "read also"
/// links inside the body, cookie notices, and link-like fragments (a few words, no sentence).
/// Measured on `fixtures/html/` (see `docs/HTML_EXTRACTION.md`).
fn drop_boilerplate(text: &str) -> String {
    const LABELS: &[&str] = &[
        "advertisement",
        "sponsored",
        "read also",
        "read more",
        "see also",
        "related:",
        "related stories",
        "subscribe",
        "sign up",
        "share this",
    ];
    let keep = |line: &str, first: bool| {
        let l = line.trim();
        if l.is_empty() {
            return true;
        }
        let lower = l.to_lowercase();
        if LABELS.iter().any(|p| lower.starts_with(p)) {
            return false;
        }
        if lower.contains("cookies") && (lower.contains("accept") || lower.contains("consent")) {
            return false;
        }
        let words = l.split_whitespace().count();
        let sentence = l.ends_with(['.', '!', '?', '"', '”', ':', ';', ')']);
        // a short line with no sentence punctuation is a heading or a link; only keep it when
        // it is the first line (the headline)
        first || words > 8 || sentence
    };
    let mut out: Vec<&str> = Vec::new();
    for (i, line) in text.trim().lines().enumerate() {
        if keep(line, i == 0) {
            out.push(line);
        }
    }
    // no runs of blank lines where lines were dropped
    let mut joined = out.join("\n");
    while joined.contains("\n\n\n") {
        joined = joined.replace("\n\n\n", "\n\n");
    }
    joined.trim().to_string()
}

/// The readable text of an HTML page: scripts, styles and navigation left out.
fn parse_html(path: &str, html: &str) -> Result<RawDoc, SourceError> {
    parse_html_page(path, html).map(|(doc, _)| doc)
}

/// The readable text of an HTML page and its byline (author), when the page names one.
pub fn parse_html_page(path: &str, html: &str) -> Result<(RawDoc, Option<String>), SourceError> {
    if nested_deeper_than(html, MAX_HTML_DEPTH) {
        return Err(SourceError::TooDeep {
            path: path.into(),
            limit: MAX_HTML_DEPTH,
        });
    }
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let article = dom_smoothie::Readability::new(html, None, Some(cfg)).and_then(|mut r| r.parse());
    match article {
        Ok(a) if !a.text_content.trim().is_empty() => Ok((
            RawDoc {
                source: path.into(),
                title: Some(clean_title(&a.title)).filter(|t| !t.is_empty()),
                date: a
                    .published_time
                    .as_deref()
                    .and_then(normalise_date)
                    .or_else(|| date_in_markup(html)),
                text: drop_boilerplate(&a.text_content),
            },
            a.byline
                .as_deref()
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .map(str::to_string),
        )),
        _ => Err(SourceError::Empty { path: path.into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_nested_a_hundred_thousand_deep_is_refused_not_parsed() {
        let deep = format!(
            "<html><body>{}Huawei opened a centre.{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let e = parse_html_page("deep.html", &deep).unwrap_err();
        assert_eq!(
            e.to_string(),
            "deep.html: HTML nested deeper than 512 elements"
        );
        // sloppy but ordinary pages pass: unclosed paragraphs and list items, void elements
        let sloppy = format!(
            "<html><body><ul>{}</ul>{}<div><p>Huawei opened a research centre in Kazan, Russia, \
             in 2019, the company said in a statement on Tuesday.</div></body></html>",
            "<li>item<br>".repeat(2000),
            "<p>para<img src=x>".repeat(2000)
        );
        assert!(!nested_deeper_than(&sloppy, MAX_HTML_DEPTH));
    }

    #[test]
    fn plain_text_headers_become_metadata() {
        let d = parse_plain(
            "a.txt",
            "Title: Deal\nURL: https://x.org/a\nDate: 2019-12-06\n\nBody here.",
        )
        .unwrap();
        assert_eq!(d.title.as_deref(), Some("Deal"));
        assert_eq!(d.date.as_deref(), Some("2019-12-06"));
        assert_eq!(d.source, "https://x.org/a");
        assert_eq!(d.text, "Body here.");
    }

    #[test]
    fn jsonl_bad_line_is_reported_and_others_kept() {
        let r = parse_jsonl("c.jsonl", "{\"text\":\"one\"}\nnot json\n{\"title\":\"no text\"}\n{\"content\":\"two\",\"url\":\"u\"}\n");
        assert_eq!(r.len(), 4);
        assert_eq!(r[0].as_ref().unwrap().source, "c.jsonl:1");
        assert!(r[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("c.jsonl:2: invalid JSON"));
        assert!(r[2]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("no \"text\""));
        assert_eq!(r[3].as_ref().unwrap().source, "u");
    }

    #[test]
    fn dates_are_validated() {
        assert_eq!(normalise_date("2018").as_deref(), Some("2018"));
        assert_eq!(
            normalise_date("2018-09-11T10:00:00Z").as_deref(),
            Some("2018-09-11")
        );
        assert_eq!(normalise_date("11/09/2018"), None);
        assert_eq!(normalise_date("2018-13"), None);
    }

    #[test]
    fn html_loses_scripts_and_navigation() {
        let html = "<html><head><title>T</title><script>var x=1;</script><style>p{}</style></head><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav><article><h1>Huawei opens lab</h1><p>Huawei opened a research centre in Kazan, the company said on Monday, adding that it would hire engineers from local universities over the next three years.</p><p>The centre will work on 5G networks and artificial intelligence, according to a statement published by the Chinese company.</p></article><footer>Copyright</footer></body></html>";
        let d = parse_html("p.html", html).unwrap();
        assert!(d.text.contains("research centre in Kazan"), "{}", d.text);
        assert!(!d.text.contains("var x"));
        assert!(!d.text.contains("Home"));
        assert!(!d.text.contains("Copyright"));
    }
}
