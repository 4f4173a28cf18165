//! Every endpoint against a small database built through the store's own API, the security
//! headers, and a document holding `<script>` served as data, never as markup.

use std::io::Read;

use techties_core::{
    CountryCode, Doc, DocMeta, Domain, Entity, EntityKind, Mention, MentionRole, OrgKind,
    Participant, Partnership, PartnershipType, PlaceRef, PlaceRole, Span, Status,
};
use techties_store::{Extraction, NewDocument, Store};

const TEXT: &str =
    "Huawei opened a research centre in Kazan, Russia <script>alert(1)</script> on Tuesday.";

fn entity(id: &str, name: &str, kind: EntityKind, country: &str, lat: Option<f64>) -> Entity {
    Entity {
        id: id.into(),
        name: name.into(),
        kind,
        subkind: (kind == EntityKind::Organization).then_some(OrgKind::Company),
        country: CountryCode::parse(country),
        lat,
        lon: lat.map(|_| 49.12),
        linked: true,
    }
}

fn database(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("api.db");
    let mut store = Store::open(&db).unwrap();
    let mut doc = Doc::new(DocMeta::new("https://news.example/a"), TEXT.into());
    let at = |s: &str| {
        let i = TEXT.find(s).unwrap();
        Span::new(i, i + s.len())
    };
    doc.entities = vec![
        entity("org:huawei", "Huawei", EntityKind::Organization, "CN", None),
        entity(
            "place:551487",
            "Kazan",
            EntityKind::Place,
            "RU",
            Some(55.79),
        ),
        entity("country:RU", "Russia", EntityKind::Country, "RU", None),
    ];
    doc.mentions = vec![
        Mention {
            span: at("Huawei"),
            entity: 0,
            role: MentionRole::Name,
        },
        Mention {
            span: at("Kazan"),
            entity: 1,
            role: MentionRole::Name,
        },
        Mention {
            span: at("Russia"),
            entity: 2,
            role: MentionRole::Name,
        },
    ];
    doc.partnerships = vec![Partnership {
        kind: PartnershipType::RdCenter,
        domains: vec![Domain::Telecom],
        participants: vec![
            Participant {
                entity: Some(0),
                name: "Huawei".into(),
                country: CountryCode::parse("CN"),
            },
            Participant {
                entity: Some(2),
                name: "Russia".into(),
                country: CountryCode::parse("RU"),
            },
        ],
        countries: vec![
            CountryCode::parse("CN").unwrap(),
            CountryCode::parse("RU").unwrap(),
        ],
        places: vec![PlaceRef {
            entity: 1,
            role: PlaceRole::Site,
        }],
        date: Some("2019-05-07".into()),
        evidence: Span::new(0, TEXT.len()),
        confidence: 0.8,
        trigger: at("opened a research centre"),
        status: Status::Operational,
    }];
    let content_id = doc.meta.id.clone();
    store
        .add_document(
            &NewDocument {
                content_id: &content_id,
                source: "https://news.example/a",
                url: Some("https://news.example/a"),
                title: Some("Huawei in <b>Kazan</b>"),
                published: Some("2019-05-07"),
                publisher: Some("news.example"),
                lang: "en",
                format: "html",
                text: TEXT,
                ..NewDocument::default()
            },
            Extraction::Done {
                doc: &doc,
                version: "test",
            },
        )
        .unwrap();
    db
}

fn get(base: &str, path: &str) -> (u16, Vec<(String, String)>, String) {
    let url = format!("{base}{path}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent.get(&url).call().unwrap();
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_lowercase(),
                v.to_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut body = String::new();
    resp.body_mut()
        .as_reader()
        .read_to_string(&mut body)
        .unwrap();
    (status, headers, body)
}

fn start(db: std::path::PathBuf, threads: usize) -> techties_server::Running {
    start_with(db, threads, None, false).unwrap()
}

fn start_with(
    db: std::path::PathBuf,
    threads: usize,
    write_token: Option<&str>,
    allow_private: bool,
) -> Result<techties_server::Running, techties_server::ServeError> {
    techties_server::start(&techties_server::Config {
        db,
        bind: "127.0.0.1".into(),
        port: 0,
        threads,
        write_token: write_token.map(str::to_string),
        allow_private,
    })
}

const TOKEN: &str = "kZ3q8-test-token-Vw2m";

/// Sends a write: (status, JSON body).
fn write(
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    body: &str,
) -> (u16, serde_json::Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(60)))
        .build()
        .into();
    let url = format!("{base}{path}");
    let mut resp = if method == "DELETE" {
        let mut r = agent.delete(&url);
        if let Some(t) = token {
            r = r.header("Authorization", &format!("Bearer {t}"));
        }
        r.call().unwrap()
    } else {
        let mut r = agent.post(&url).header("Content-Type", content_type);
        if let Some(t) = token {
            r = r.header("Authorization", &format!("Bearer {t}"));
        }
        r.send(body).unwrap()
    };
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

#[test]
fn every_endpoint_answers_and_documents_are_data() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(database(dir.path()), 2);
    assert!(running.addr.ip().is_loopback());
    let base = format!("http://{}", running.addr);
    let json = |path: &str| -> serde_json::Value {
        let (status, _, body) = get(&base, path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
    };
    let list = json("/api/v1/partnerships?pair=RU,CN&domain=telecom");
    assert_eq!(list["total"], 1);
    let pid = list["partnerships"][0]["id"].as_i64().unwrap();
    assert_eq!(json("/api/v1/partnerships?pair=RU,US")["total"], 0);
    assert_eq!(json("/api/v1/partnerships?q=Kazan")["total"], 1);
    let p = json(&format!("/api/v1/partnerships/{pid}"));
    assert_eq!(p["reports"][0]["places"][0]["name"], "Kazan");
    let doc_id = p["reports"][0]["document"].as_i64().unwrap();
    let d = json(&format!("/api/v1/documents/{doc_id}"));
    assert!(
        d["text"].as_str().unwrap().contains("<script>"),
        "stored as written"
    );
    assert_eq!(d["mentions"].as_array().unwrap().len(), 3);
    let e = json("/api/v1/entities?q=Huawei");
    let eid = e[0]["id"].as_i64().unwrap();
    let profile = json(&format!("/api/v1/entities/{eid}"));
    assert_eq!(profile["partners"]["Russia"], 1);
    assert_eq!(profile["places"]["Kazan"], 1);
    assert_eq!(json("/api/v1/pairs/RU/CN")["total"], 1);
    let geo = json("/api/v1/geojson?country=RU");
    assert_eq!(geo["features"][0]["properties"]["precision"], "city");
    assert_eq!(json("/api/v1/graph")["edges"].as_array().unwrap().len(), 1);
    assert_eq!(json("/api/v1/timeline")["buckets"][0]["year"], 2019);
    let api = json("/api/v1/openapi.json");
    assert!(api["paths"]["/api/v1/partnerships"]["get"].is_object());
    // the brief renders document text as text
    let (status, _, brief) = get(&base, "/api/v1/brief/RU/CN");
    assert_eq!(status, 200);
    assert!(!brief.contains("<script>alert"), "{brief}");
    assert!(brief.contains("&lt;script&gt;"), "{brief}");
    // the UI, with its security headers
    let (status, headers, page) = get(&base, "/");
    assert_eq!(status, 200);
    assert!(page.contains("app.js"));
    let h = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert!(h("content-security-policy").contains("script-src 'self'"));
    assert!(!h("content-security-policy").contains("unsafe-inline"));
    assert!(h("content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(get(&base, "/app.js").0, 200);
    assert_eq!(get(&base, "/world-110m.json").0, 200);
    // errors name what is wrong
    let (status, _, body) = get(&base, "/api/v1/partnerships?country=Russia");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("Russia"));
    assert_eq!(get(&base, "/api/v1/partnerships/999999").0, 404);
    assert_eq!(get(&base, "/api/v1/nothing").0, 404);
    let long = format!("/api/v1/partnerships?q={}", "x".repeat(5000));
    assert_eq!(get(&base, &long).0, 414);
    running.stop();
}

#[test]
fn without_a_write_token_set_at_start_nothing_writes() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(database(dir.path()), 1);
    let base = format!("http://{}", running.addr);
    let json = "application/json";
    let (status, body) = write(
        &base,
        "POST",
        "/api/v1/watches",
        Some(TOKEN),
        json,
        r#"{"kind":"pair","value":"RU,CN"}"#,
    );
    assert_eq!(status, 403, "{body}");
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("without a write token"));
    assert_eq!(
        write(&base, "DELETE", "/api/v1/watches/1", Some(TOKEN), json, "").0,
        403
    );
    let (status, _) = write(
        &base,
        "POST",
        "/api/v1/ingest",
        None,
        json,
        r#"{"url":"https://example.org/"}"#,
    );
    assert_eq!(status, 403);
    assert_eq!(
        write(&base, "POST", "/api/v1/partnerships", None, json, "{}").0,
        403
    );
    // other methods are not part of the API at all
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let r = agent
        .put(&format!("{base}/api/v1/watches"))
        .send("{}")
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    let (_, _, watches) = get(&base, "/api/v1/watches");
    assert_eq!(watches, "[]");
    running.stop();
}

#[test]
fn a_weak_write_token_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let err = start_with(database(dir.path()), 1, Some("secret"), false)
        .err()
        .expect("a 6-character token must not start a server");
    assert!(err.to_string().contains("too short"), "{err}");
}

#[test]
fn writes_need_the_token_set_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let running = start_with(database(dir.path()), 2, Some(TOKEN), false).unwrap();
    let base = format!("http://{}", running.addr);
    let json = "application/json";
    let pair = r#"{"kind":"pair","value":"ru,cn"}"#;
    let (status, body) = write(&base, "POST", "/api/v1/watches", None, json, pair);
    assert_eq!(status, 401, "{body}");
    let wrong = &format!("{}x", &TOKEN[..TOKEN.len() - 1]);
    assert_eq!(
        write(&base, "POST", "/api/v1/watches", Some(wrong), json, pair).0,
        401
    );
    assert_eq!(
        write(
            &base,
            "POST",
            "/api/v1/watches",
            Some(TOKEN),
            "text/plain",
            pair
        )
        .0,
        415
    );
    let (status, body) = write(
        &base,
        "POST",
        "/api/v1/watches",
        Some(TOKEN),
        json,
        "{not json",
    );
    assert_eq!(status, 400, "{body}");
    let (status, body) = write(
        &base,
        "POST",
        "/api/v1/watches",
        Some(TOKEN),
        json,
        r#"{"kind":"pair","value":"Russia"}"#,
    );
    assert_eq!(status, 422, "{body}");
    let (status, body) = write(&base, "POST", "/api/v1/watches", Some(TOKEN), json, pair);
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["value"], "CN-RU");
    let id = body["id"].as_i64().unwrap();
    let (_, _, listed) = get(&base, "/api/v1/watches");
    assert!(listed.contains("CN-RU"), "{listed}");
    // an entity is watched by name and stored by id
    let (status, body) = write(
        &base,
        "POST",
        "/api/v1/watches",
        Some(TOKEN),
        json,
        r#"{"kind":"entity","value":"Huawei"}"#,
    );
    assert_eq!(status, 201, "{body}");
    assert!(
        body["value"].as_str().unwrap().parse::<i64>().is_ok(),
        "{body}"
    );
    let path = format!("/api/v1/watches/{id}");
    assert_eq!(write(&base, "DELETE", &path, None, json, "").0, 401);
    assert_eq!(write(&base, "DELETE", &path, Some(TOKEN), json, "").0, 200);
    assert_eq!(write(&base, "DELETE", &path, Some(TOKEN), json, "").0, 404);
    running.stop();
}

/// Serves one article page on the loopback; returns its URL.
fn article_server() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/article", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 2 {
                line.clear();
            }
            let page = "<html><head><title>Centre</title></head><body><article>\
                <p>Huawei opened a research and development centre in Novosibirsk, Russia, on Tuesday, the company said.</p>\
                <p>The centre will employ two hundred engineers working on 5G equipment and software.</p>\
                </article></body></html>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    url
}

#[test]
fn url_ingestion_takes_only_public_http_urls_unless_private_ones_are_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let running = start_with(db.clone(), 2, Some(TOKEN), false).unwrap();
    let base = format!("http://{}", running.addr);
    let ingest = |url: &str| {
        write(
            &base,
            "POST",
            "/api/v1/ingest",
            Some(TOKEN),
            "application/json",
            &serde_json::json!({ "url": url }).to_string(),
        )
    };
    // a path would read the server's own files; other schemes are refused too
    for url in [
        "/etc/passwd",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "gopher://127.0.0.1/",
    ] {
        let (status, body) = ingest(url);
        assert_eq!(status, 422, "{url}: {body}");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .contains("only http and https"),
            "{body}"
        );
    }
    // SSRF: the loopback and private networks are refused by default
    let local = article_server();
    for url in [
        local.as_str(),
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
    ] {
        let (status, body) = ingest(url);
        assert_eq!(status, 422, "{url}: {body}");
        assert!(
            body["failed"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("refused"),
            "{body}"
        );
        assert_eq!(body["added"], 0);
    }
    running.stop();
    // a server that allows private addresses fetches, extracts and stores the page
    let running = start_with(db.clone(), 2, Some(TOKEN), true).unwrap();
    let base = format!("http://{}", running.addr);
    let (status, body) = write(
        &base,
        "POST",
        "/api/v1/ingest",
        Some(TOKEN),
        "application/json",
        &serde_json::json!({ "url": local }).to_string(),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["added"], 1, "{body}");
    // the new report is found by its text and named by its URL
    let (_, _, found) = get(&base, "/api/v1/partnerships?q=Novosibirsk");
    assert!(found.contains(&local), "{found}");
    running.stop();
}

#[test]
fn oversized_and_malformed_requests_are_refused() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let running = start(database(dir.path()), 2);
    let send = |raw: &[u8]| -> String {
        let mut s = std::net::TcpStream::connect(running.addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let _ = s.write_all(raw);
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    };
    let huge = format!("GET / HTTP/1.1\r\nX-Filler: {}\r\n\r\n", "a".repeat(20_000));
    assert!(send(huge.as_bytes()).starts_with("HTTP/1.1 431"));
    let body = b"POST /api/v1/ingest HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n";
    assert!(send(body).starts_with("HTTP/1.1 413"));
    assert!(send(b"NONSENSE\r\n\r\n").starts_with("HTTP/1.1 400"));
    let ok = send(b"GET /api/v1/pairs/RU/CN HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    running.stop();
}

#[test]
fn the_last_request_a_connection_may_carry_is_answered_with_connection_close() {
    use std::io::{BufRead, BufReader, Write};
    let dir = tempfile::tempdir().unwrap();
    let running = start(database(dir.path()), 1);
    let mut s = std::net::TcpStream::connect(running.addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    let mut last_connection_header = String::new();
    for i in 1..=1000 {
        s.write_all(b"GET /api/v1/pairs/RU/CN HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let l = line.trim_end().to_ascii_lowercase();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("content-length: ") {
                length = v.parse().unwrap();
            }
            if let Some(v) = l.strip_prefix("connection: ") {
                last_connection_header = v.to_string();
            }
        }
        let mut body = vec![0; length];
        std::io::Read::read_exact(&mut reader, &mut body).unwrap();
        if i < 1000 {
            assert_eq!(last_connection_header, "keep-alive", "request {i}");
        }
    }
    // a client reading this header opens a new connection instead of writing into a closed one
    assert_eq!(last_connection_header, "close");
    running.stop();
}
