//! URLs against a local HTTP server: a page and a feed are read, and redirects, size and time
//! are bounded with clear errors.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use techties_ingest::read::{read_item, Item, Limits};

const PAGE: &str = "<html><head><title>Deal</title><meta name=\"author\" content=\"A. Writer\"></head>\
<body><nav>Home | World | Tech</nav><article><h1>Deal</h1>\
<p>Huawei opened a research and development centre in Kazan, Russia, on Tuesday, the company said.</p>\
<p>The centre will employ two hundred engineers working on 5G equipment and software for operators.</p>\
<p>Local officials welcomed the investment, which follows centres in Moscow and Novosibirsk.</p>\
</article><footer>Copyright Example News</footer></body></html>";

const FEED: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>One</title><link>https://wire.example/1</link><description>Rosatom signed an agreement with a Chinese utility to build two reactors.</description></item>
<item><title>Two</title><link>https://wire.example/2</link><description>Samsung and a Russian institute set up a joint laboratory for semiconductors.</description></item>
</channel></rss>"#;

/// Serves a few paths until the test ends; returns the base URL.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                reader.read_line(&mut line).unwrap_or(0);
                // drain the headers
                let mut h = String::new();
                while reader.read_line(&mut h).unwrap_or(0) > 2 {
                    h.clear();
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let respond = |stream: &mut std::net::TcpStream,
                               status: &str,
                               ctype: &str,
                               extra: &str,
                               body: &[u8]| {
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(body);
                };
                if path == "/article" {
                    respond(
                        &mut stream,
                        "200 OK",
                        "text/html; charset=utf-8",
                        "",
                        PAGE.as_bytes(),
                    );
                } else if path == "/feed" {
                    respond(
                        &mut stream,
                        "200 OK",
                        "application/rss+xml",
                        "",
                        FEED.as_bytes(),
                    );
                } else if let Some(n) = path.strip_prefix("/hop/") {
                    let n: u32 = n.parse().unwrap_or(0);
                    let next = if n == 0 {
                        "/article".to_string()
                    } else {
                        format!("/hop/{}", n - 1)
                    };
                    respond(
                        &mut stream,
                        "302 Found",
                        "text/plain",
                        &format!("Location: {next}\r\n"),
                        b"",
                    );
                } else if path == "/big" {
                    respond(
                        &mut stream,
                        "200 OK",
                        "text/plain",
                        "",
                        &vec![b'a'; 300_000],
                    );
                } else if path == "/bomb" {
                    // 1,000:1 — a page that inflates to 100 MB, declared as gzip
                    respond(
                        &mut stream,
                        "200 OK",
                        "text/html",
                        "Content-Encoding: gzip\r\n",
                        &gzip_bomb(100_000_000),
                    );
                } else if path == "/slow" {
                    std::thread::sleep(Duration::from_secs(5));
                    respond(&mut stream, "200 OK", "text/plain", "", b"late");
                } else {
                    respond(&mut stream, "404 Not Found", "text/plain", "", b"no");
                }
            });
        }
    });
    base
}

/// Gzip of `n` bytes of repeated HTML: small on the wire, huge once inflated.
fn gzip_bomb(n: usize) -> Vec<u8> {
    use flate2::{write::GzEncoder, Compression};
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    let chunk = "<p>Huawei Kazan 5G</p>".repeat(50_000);
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len());
        enc.write_all(&chunk.as_bytes()[..k]).unwrap();
        left -= k;
    }
    enc.finish().unwrap()
}

fn limits() -> Limits {
    Limits {
        max_bytes: 100_000,
        url_timeout: Duration::from_secs(2),
        max_redirects: 3,
        // the test server is on the loopback
        allow_private: true,
        ..Limits::default()
    }
}

#[test]
fn a_page_and_a_feed_are_read_from_urls() {
    let base = serve();
    let page = read_item(&Item::Url(format!("{base}/article")), &limits());
    let a = page[0].as_ref().unwrap();
    assert!(a.raw.text.contains("Kazan"), "{}", a.raw.text);
    assert!(!a.raw.text.contains("Copyright"), "{}", a.raw.text);
    assert_eq!(a.url.as_deref(), Some(format!("{base}/article").as_str()));
    assert_eq!(a.publisher.as_deref(), Some("127.0.0.1"));
    let feed = read_item(&Item::Url(format!("{base}/feed")), &limits());
    assert_eq!(feed.len(), 2);
    assert_eq!(
        feed[1].as_ref().unwrap().raw.source,
        "https://wire.example/2"
    );
    // a short chain of redirects is followed
    let hop = read_item(&Item::Url(format!("{base}/hop/2")), &limits());
    assert!(hop[0].as_ref().unwrap().raw.text.contains("Kazan"));
}

#[test]
fn the_loopback_is_refused_by_default() {
    let base = serve();
    let r = read_item(&Item::Url(format!("{base}/article")), &Limits::default());
    let e = r[0].as_ref().unwrap_err().to_string();
    assert!(e.contains("refused") && e.contains("127.0.0.1"), "{e}");
}

#[test]
fn redirects_size_and_time_are_bounded() {
    let base = serve();
    let err = |path: &str| {
        let r = read_item(&Item::Url(format!("{base}{path}")), &limits());
        r[0].as_ref().unwrap_err().to_string()
    };
    assert!(err("/hop/9").contains("redirect"), "{}", err("/hop/9"));
    assert!(
        err("/big").contains("limit") || err("/big").contains("large"),
        "{}",
        err("/big")
    );
    let t0 = std::time::Instant::now();
    let slow = err("/slow");
    assert!(t0.elapsed() < Duration::from_secs(4), "{slow}");
    assert!(slow.contains("time"), "{slow}");
    assert!(err("/missing").contains("404"), "{}", err("/missing"));
}

#[test]
fn a_gzip_bomb_is_cut_off_at_the_size_limit_after_inflating() {
    let base = serve();
    let wire = gzip_bomb(100_000_000).len();
    assert!(wire < 1_000_000, "{wire} bytes on the wire");
    let t0 = std::time::Instant::now();
    let r = read_item(&Item::Url(format!("{base}/bomb")), &limits());
    let e = r[0].as_ref().unwrap_err().to_string();
    // limits() allows 100 KB: the body stops inflating there instead of at 100 MB
    assert!(e.contains("limit") || e.contains("large"), "{e}");
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
}
