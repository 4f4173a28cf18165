//! Every input the fuzzers (`fuzz/`, cargo fuzz) ever crashed or hung on, kept in
//! `fuzz/regressions/<target>/` and run here on stable Rust through the same entry points:
//! each must now give an article or a named error, with spans inside the text.

use std::path::Path;

use techties_extract::source::RawDoc;
use techties_extract::Pipeline;
use techties_ingest::read::{read_bytes, Limits};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            if e.path().is_file() {
                out.push((
                    e.path().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn readers_survive_every_input_the_fuzzers_found() {
    for (target, ext) in [
        ("html", "html"),
        ("pdf", "pdf"),
        ("feed", "xml"),
        ("jsonl", "jsonl"),
        ("jsonl", "json"),
    ] {
        for (name, bytes) in inputs(target) {
            for r in read_bytes("fuzz", Some(ext), None, bytes, &Limits::default()) {
                if let Err(e) = r {
                    assert!(!e.reason.is_empty(), "{name}");
                }
            }
        }
    }
}

#[test]
fn the_pipeline_survives_every_input_the_fuzzers_found() {
    let p = Pipeline::standard();
    for target in ["pipeline", "text"] {
        for (name, bytes) in inputs(target) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let raw = RawDoc {
                source: name.clone(),
                title: None,
                date: None,
                text,
            };
            if let Ok(doc) = p.run(raw) {
                for m in &doc.mentions {
                    assert!(m.span.end <= doc.text.len(), "{name}");
                    assert!(doc.text.is_char_boundary(m.span.start), "{name}");
                    assert!(doc.text.is_char_boundary(m.span.end), "{name}");
                }
            }
        }
    }
}

#[test]
fn list_parsers_survive_every_input_the_fuzzers_found() {
    for (name, bytes) in inputs("screen_list") {
        if let Err(e) = techties_screen::parse_list("fuzz.csv", &bytes) {
            assert!(e.to_string().starts_with("fuzz.csv, line "), "{name}: {e}");
        }
        let _ = techties_screen::parse_risk_list("fuzz.csv", &bytes, "fuzz");
    }
}
