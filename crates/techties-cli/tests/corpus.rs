//! The corpus database through the binary: merging across documents, duplicates and
//! syndicated copies, idempotent re-runs, `kill -9` in the middle of an ingest, hostile input,
//! search filters and `reprocess`.

use std::path::{Path, PathBuf};

mod common;

use common::{article, filler, json, run, stats, techties, DEAL};

#[test]
fn one_partnership_reported_by_two_outlets_is_one_fact_with_two_sources() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    article(
        &docs,
        "a.txt",
        "https://news-one.example/a",
        "2019-05-07",
        DEAL,
    );
    // another outlet's own report of the same event
    article(
        &docs,
        "b.txt",
        "https://wire-two.example/b",
        "2019-05-08",
        "Chinese telecommunications group Huawei has launched a new research and development \
         centre in the Russian city of Kazan, regional authorities announced. Engineers there \
         will develop software for 5G base stations, and the company plans to double its staff.",
    );
    // a syndicated copy of the first: same story, one more sentence
    article(
        &docs,
        "c.txt",
        "https://partner-site.example/c",
        "2019-05-07",
        &format!("Republished from News One. {DEAL} Shares rose."),
    );
    // an exact duplicate of the second under another name
    std::fs::copy(docs.join("b.txt"), docs.join("b-copy.txt")).unwrap();
    let out = run(&[
        "ingest",
        docs.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = stats(&db);
    assert_eq!(s["documents"], 3, "{s}");
    assert_eq!(s["near_duplicates"], 1, "{s}");
    let r = json(&[
        "search",
        "--json",
        "--pair",
        "CN,RU",
        "--type",
        "rd_center",
        "--db",
        db.to_str().unwrap(),
    ]);
    let ps = r["partnerships"].as_array().unwrap();
    assert_eq!(ps.len(), 1, "{r}");
    assert_eq!(ps[0]["documents"], 3);
    // the syndicated copy counts with its story: two independent publishers
    assert_eq!(ps[0]["sources"], 2);
    let id = ps[0]["id"].as_i64().unwrap().to_string();
    let p = json(&["show", "partnership", &id, "--db", db.to_str().unwrap()]);
    let reports = p["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 3);
    for rep in reports {
        // every report carries its sentence, its document and character offsets
        let doc = json(&[
            "show",
            "document",
            &rep["document"].to_string(),
            "--db",
            db.to_str().unwrap(),
        ]);
        let text: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
        let (s, e) = (
            rep["start"].as_u64().unwrap() as usize,
            rep["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[s..e].iter().collect::<String>(),
            rep["sentence"].as_str().unwrap()
        );
    }
}

#[test]
fn re_ingesting_the_same_input_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for i in 0..5 {
        article(
            &docs,
            &format!("{i}.txt"),
            &format!("https://s{i}.example/x"),
            "2020-01-01",
            &format!("{DEAL} {}", filler(i)),
        );
    }
    let args = [
        "ingest",
        docs.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ];
    assert!(run(&args).status.success());
    let before = stats(&db);
    let again = run(&args);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 added"));
    assert_eq!(stats(&db), before);
}

#[test]
fn kill_9_during_ingest_then_the_same_command_finishes_with_nothing_lost_or_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let n = 400;
    for i in 0..n {
        article(
            &docs,
            &format!("{i:04}.txt"),
            &format!("https://outlet{}.example/{i}", i % 7),
            "2021-03-04",
            &format!("{DEAL} {}", filler(i)),
        );
    }
    let args = [
        "ingest",
        docs.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--threads",
        "1",
        "--commit-every",
        "16",
    ];
    let mut child = techties().args(args).spawn().unwrap();
    // wait until some documents are committed, then kill without warning
    let t0 = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let committed = if db.exists() {
            techties()
                .args(["stats", "--json", "--db", db.to_str().unwrap()])
                .output()
                .ok()
                .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok())
                .and_then(|v| v["documents"].as_i64())
                .unwrap_or(0)
        } else {
            0
        };
        if committed > 20 || t0.elapsed().as_secs() > 60 {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partial = stats(&db)["documents"].as_i64().unwrap();
    assert!(
        partial < n as i64,
        "the kill came too late to test anything ({partial})"
    );
    let out = run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = stats(&db);
    assert_eq!(s["documents"], n, "{s}");
    // every document's partnership evidence exactly once: one report per document
    assert_eq!(s["evidence"].as_i64().unwrap() % n as i64, 0, "{s}");
    let integrity = run(&["db-check", "--db", db.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&integrity.stdout).contains("ok"),
        "{integrity:?}"
    );
}

#[test]
fn hostile_files_get_clear_errors_and_the_batch_completes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    article(
        &docs,
        "good.txt",
        "https://ok.example/1",
        "2022-02-02",
        DEAL,
    );
    std::fs::write(docs.join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    std::fs::write(docs.join("latin1.txt"), b"Caf\xe9 au lait in K\xe4zan").unwrap();
    std::fs::write(docs.join("empty.txt"), b"").unwrap();
    std::fs::write(docs.join("broken.json"), b"[{\"title\": \"x\", ").unwrap();
    std::fs::write(
        docs.join("truncated.pdf"),
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R",
    )
    .unwrap();
    // a 50 MB HTML page
    let mut big = String::from("<html><body><article>");
    while big.len() < 50_000_000 {
        big.push_str("<p>Filler paragraph about nothing in particular, repeated.</p>\n");
    }
    big.push_str("</article></body></html>");
    std::fs::write(docs.join("huge.html"), big).unwrap();
    let report = dir.path().join("report.json");
    let out = run(&[
        "ingest",
        docs.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    // something was ingested: status 0 without --strict
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rep: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(rep["added"], 1, "{rep}");
    let failed = rep["failed"].as_array().unwrap();
    let reason = |file: &str| {
        failed
            .iter()
            .find(|f| f["source"].as_str().unwrap().ends_with(file))
            .map(|f| f["reason"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{file} not reported: {rep}"))
    };
    assert!(reason("binary.txt").contains("binary"));
    assert!(reason("latin1.txt").contains("UTF-8"));
    assert!(reason("empty.txt").contains("no text"));
    assert!(reason("broken.json").contains("invalid JSON"));
    assert!(reason("truncated.pdf").contains("PDF"));
    assert!(reason("huge.html").contains("too large"));
    // --strict turns any failure into status 1
    let strict = run(&[
        "ingest",
        docs.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn reprocess_rebuilds_the_same_partnerships() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    let files: Vec<String> = std::fs::read_dir(samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| p.display().to_string())
        .collect();
    let mut args = vec!["ingest", "--db", db.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    assert!(run(&args).status.success());
    let before = stats(&db);
    assert!(before["partnerships"].as_i64().unwrap() > 10, "{before}");
    let list = || {
        json(&[
            "search",
            "--json",
            "--limit",
            "1000",
            "--db",
            db.to_str().unwrap(),
        ])
    };
    // aggregates kept report by report during ingest...
    let incremental = list();
    let out = run(&["reprocess", "--all", "--db", db.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stats(&db), before);
    // ...equal those recomputed from all the evidence
    let recomputed = list();
    let strip = |v: serde_json::Value| {
        // partnership and entity ids may differ after reprocess: compare the facts
        let mut ps: Vec<serde_json::Value> = v["partnerships"].as_array().unwrap().clone();
        for p in &mut ps {
            p.as_object_mut().unwrap().remove("id");
            for party in p["parties"].as_array_mut().unwrap() {
                party.as_object_mut().unwrap().remove("entity");
            }
        }
        ps.sort_by_key(|p| p.to_string());
        ps
    };
    assert_eq!(strip(incremental), strip(recomputed));
    // full text finds the evidence, Chinese included
    let r = json(&["search", "Rosatom", "--json", "--db", db.to_str().unwrap()]);
    assert!(r["total"].as_i64().unwrap() >= 1, "{r}");
}

#[test]
fn unsupported_schemes_and_missing_paths_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let out = run(&[
        "ingest",
        "file:///etc/passwd",
        "/no/such/file.txt",
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("file:///etc/passwd: unsupported URL scheme"),
        "{err}"
    );
    assert!(err.contains("/no/such/file.txt: cannot read"), "{err}");
}

fn sample_db(dir: &Path) -> PathBuf {
    let db = dir.join("s.db");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    let mut files: Vec<String> = std::fs::read_dir(samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["ingest", "--db", db.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    assert!(run(&args).status.success());
    db
}

#[test]
fn a_ru_cn_brief_cites_partnerships_in_every_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path());
    let out = run(&["brief", "RU", "CN", "--db", db.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    let sources_at = md.find("## Sources").expect("a source list");
    let mut claims = 0;
    for line in md[..sources_at].lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') || l.starts_with("![") {
            continue;
        }
        claims += 1;
        assert!(l.contains("[P"), "a sentence without a citation: {l}");
    }
    assert!(claims > 5, "{md}");
    // the cited partnerships exist and are RU–CN
    let id = md[md.find("[P").unwrap() + 2..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .to_string();
    let p = json(&["show", "partnership", &id, "--db", db.to_str().unwrap()]);
    let countries: Vec<&str> = p["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        countries.contains(&"RU") && countries.contains(&"CN"),
        "{p}"
    );
    // numbered sources
    assert!(md[sources_at..].contains("\n1. "), "{md}");
    let html = run(&[
        "brief",
        "RU",
        "CN",
        "--format",
        "html",
        "--db",
        db.to_str().unwrap(),
    ]);
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(
        html.contains("<svg") && html.contains("<h2>Sources</h2>"),
        "{html}"
    );
}

#[test]
fn exports_carry_the_evidence_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path());
    let export = |format: &str| {
        let out = run(&[
            "export",
            "--format",
            format,
            "--pair",
            "RU,CN",
            "--db",
            db.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let n = json(&[
        "search",
        "--json",
        "--pair",
        "RU,CN",
        "--limit",
        "1000",
        "--db",
        db.to_str().unwrap(),
    ])["total"]
        .as_u64()
        .unwrap() as usize;
    assert!(n > 3);
    let csv = export("csv");
    assert!(csv.starts_with("id,type,date,status,countries"));
    // records: line ends outside quoted cells (evidence may hold commas, quotes, newlines)
    let mut in_quotes = false;
    let records = csv
        .chars()
        .filter(|&c| {
            if c == '"' {
                in_quotes = !in_quotes;
            }
            c == '\n' && !in_quotes
        })
        .count();
    assert_eq!(records, n + 1, "{csv}");
    let jsonl = export("jsonl");
    assert_eq!(jsonl.lines().count(), n);
    for l in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(!v["reports"].as_array().unwrap().is_empty(), "{v}");
    }
    let geo: serde_json::Value = serde_json::from_str(&export("geojson")).unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    for f in geo["features"].as_array().unwrap() {
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        assert!(c[0].as_f64().unwrap().abs() <= 180.0 && c[1].as_f64().unwrap().abs() <= 90.0);
        assert!(f["properties"]["evidence"]
            .as_str()
            .is_some_and(|e| !e.is_empty()));
    }
    let graphml = export("graphml");
    assert!(
        graphml.contains("<graphml") && graphml.contains("<edge "),
        "{graphml}"
    );
    let ftm = export("ftm");
    let schemas: std::collections::BTreeSet<String> = ftm
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["schema"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        schemas.contains("UnknownLink") && schemas.contains("Article"),
        "{schemas:?}"
    );
    for l in ftm.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        if v["schema"] == "UnknownLink" {
            assert!(!v["properties"]["proof"].as_array().unwrap().is_empty());
            assert!(!v["properties"]["subject"].as_array().unwrap().is_empty());
        }
    }
}

#[test]
fn text_from_documents_is_escaped_in_html_briefs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    article(
        &docs,
        "x.txt",
        "https://evil.example/x",
        "2020-02-02",
        "Huawei opened a research and development centre in Kazan, Russia <script>alert(1)</script>, \
         the Chinese company said on Tuesday in a statement to reporters.",
    );
    assert!(run(&[
        "ingest",
        docs.to_str().unwrap(),
        "--db",
        db.to_str().unwrap()
    ])
    .status
    .success());
    let html = run(&[
        "brief",
        "RU",
        "CN",
        "--format",
        "html",
        "--db",
        db.to_str().unwrap(),
    ]);
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(html.contains("Kazan"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}

#[test]
fn fifty_kills_at_random_points_of_ingest_and_reprocess_lose_and_double_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let n = 120;
    for i in 0..n {
        article(
            &docs,
            &format!("{i:04}.txt"),
            &format!("https://outlet{}.example/{i}", i % 5),
            "2021-03-04",
            &format!("{DEAL} {}", filler(i)),
        );
    }
    let db_s = db.to_str().unwrap();
    let ingest = [
        "ingest",
        docs.to_str().unwrap(),
        "--db",
        db_s,
        "--threads",
        "1",
        "--commit-every",
        "8",
    ];
    let reprocess = ["reprocess", "--all", "--db", db_s];
    // a small deterministic generator: the kill points differ, the test does not
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut documents = 0;
    let mut per_document = None;
    for round in 0..50 {
        let args: &[&str] = if round % 2 == 1 && documents > 0 {
            &reprocess
        } else {
            &ingest
        };
        let mut child = techties().args(args).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50 + next() % 700));
        let _ = child.kill(); // SIGKILL, or nothing when it already finished
        child.wait().unwrap();
        let s = stats(&db);
        let now = s["documents"].as_i64().unwrap();
        // committed documents are never lost, and never stored twice
        assert!(now >= documents && now <= n as i64, "round {round}: {s}");
        documents = now;
        // each document's reports are all there or all replaced, never half
        if documents > 0 {
            let evidence = s["evidence"].as_i64().unwrap();
            assert_eq!(evidence % documents, 0, "round {round}: {s}");
            let k = *per_document.get_or_insert(evidence / documents);
            assert_eq!(evidence, k * documents, "round {round}: {s}");
        }
        let integrity = run(&["db-check", "--db", db_s]);
        assert!(
            String::from_utf8_lossy(&integrity.stdout).contains("ok"),
            "round {round}: {integrity:?}"
        );
    }
    // the same command finishes the job
    assert!(run(&ingest).status.success());
    let s = stats(&db);
    assert_eq!(s["documents"], n, "{s}");
    assert_eq!(s["evidence"].as_i64().unwrap() % n as i64, 0, "{s}");
}
