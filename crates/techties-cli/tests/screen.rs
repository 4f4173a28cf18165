//! Screening through the binary, on the bundled sample corpus: a risk list imported, a list
//! screened to JSON, CSV and HTML, watches and the alerts they raise, and bad input named.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_techties"))
        .args(args)
        .output()
        .expect("techties runs")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn corpus(dir: &Path) -> String {
    let db = dir.join("s.db").display().to_string();
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    ok(&["ingest", samples, "--db", &db]);
    db
}

#[test]
fn screening_the_sample_corpus_with_a_risk_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = corpus(dir.path());
    let risk = dir.path().join("risk.csv");
    std::fs::write(
        &risk,
        "name,country,aliases,reason\nBrahMos Aerospace Pvt Ltd,IN,,Demo list: missile maker\n",
    )
    .unwrap();
    let risk = risk.display().to_string();
    ok(&["lists", "import", &risk, "--name", "demo", "--db", &db]);
    assert!(ok(&["lists", "show", "--db", &db]).contains("demo\t1 entries"));
    let list = dir.path().join("list.csv");
    std::fs::write(
        &list,
        "name,country\nDRDO,IN\nМосковский государственный университет,\nBeijing Institue of Technology,\nNowhere Widgets Ltd,\n",
    )
    .unwrap();
    let list = list.display().to_string();
    let report: serde_json::Value =
        serde_json::from_str(&ok(&["screen", &list, "--db", &db])).unwrap();
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(report["snapshot"]["documents"], 8);
    // DRDO works with BrahMos, which the imported list names
    assert_eq!(rows[0]["resolution"]["status"], "resolved");
    assert_eq!(rows[0]["risk"], "very high", "{}", rows[0]);
    assert!(rows[0]["rationale"].as_str().unwrap().contains("BrahMos"));
    assert!(!rows[0]["ties"][0]["evidence"].as_str().unwrap().is_empty());
    assert_eq!(
        rows[1]["resolution"]["matched"]["name"],
        "Lomonosov Moscow State University"
    );
    assert_eq!(
        rows[2]["resolution"]["matched"]["name"],
        "Beijing Institute of Technology"
    );
    assert_eq!(rows[3]["resolution"]["status"], "unknown");
    let csv = ok(&["screen", &list, "--db", &db, "--format", "csv"]);
    assert_eq!(csv.lines().count(), 5);
    let html_path = dir.path().join("r.html").display().to_string();
    let out = run(&[
        "screen", &list, "--db", &db, "--format", "html", "--out", &html_path,
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("4 names screened"));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("<h1>Screening report"));
    assert!(html.contains("<blockquote>"));
    assert!(!html.contains("<script"));
}

#[test]
fn watches_and_alerts_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let db = corpus(dir.path());
    assert!(ok(&["watch", "add", "pair", "ru,cn", "--db", &db]).contains("pair CN-RU"));
    assert!(ok(&["watch", "add", "entity", "Roscosmos", "--db", &db]).contains("entity"));
    ok(&["watch", "add", "domain", "space", "--db", &db]);
    assert_eq!(ok(&["watch", "list", "--db", &db]).lines().count(), 3);
    let first = ok(&["alerts", "--db", &db]);
    assert!(first.contains("new "), "{first}");
    assert!(first.contains("[pair ru,cn]"), "{first}");
    // read once: nothing new until the next ingest
    assert!(ok(&["alerts", "--db", &db]).starts_with("no new alerts"));
    let again: serde_json::Value = serde_json::from_str(&ok(&[
        "alerts",
        "--db",
        &db,
        "--since",
        "2000-01-01",
        "--json",
    ]))
    .unwrap();
    assert!(!again.as_array().unwrap().is_empty());
    let unknown = run(&["watch", "add", "entity", "Nowhere Widgets", "--db", &db]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown"));
}

#[test]
fn bad_lists_are_named_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = corpus(dir.path());
    let list = dir.path().join("bad.csv");
    std::fs::write(&list, "name,country\nHuawei,China\n").unwrap();
    let out = run(&["screen", list.to_str().unwrap(), "--db", &db]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv, line 2"), "{err}");
    let out = run(&[
        "screen",
        list.to_str().unwrap(),
        "--db",
        &db,
        "--as-of",
        "yesterday",
    ]);
    assert!(!out.status.success());
    std::fs::write(&list, "Huawei\n").unwrap();
    let missing = run(&[
        "screen",
        list.to_str().unwrap(),
        "--db",
        "/nonexistent/x.db",
    ]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such database"));
}
