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
    techties_server::start(&techties_server::Config {
        db,
        bind: "127.0.0.1".into(),
        port: 0,
        threads,
    })
    .unwrap()
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
fn the_api_is_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(database(dir.path()), 1);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let r = agent
        .post(&format!("http://{}/api/v1/partnerships", running.addr))
        .send("{}")
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
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
    let body = b"POST /api/v1/partnerships HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n";
    assert!(send(body).starts_with("HTTP/1.1 413"));
    assert!(send(b"NONSENSE\r\n\r\n").starts_with("HTTP/1.1 400"));
    let ok = send(b"GET /api/v1/pairs/RU/CN HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    running.stop();
}
