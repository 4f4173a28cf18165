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

/// Runs `f` on its own thread and fails if it takes longer than `secs`: some of these inputs
/// once made a reader loop forever, which must fail the test rather than hang it.
fn within<T: Send + 'static>(secs: u64, what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("{what}: no answer within {secs} s (a hang)"))
}

#[test]
fn a_pdf_page_that_is_its_own_parent_is_refused_instead_of_looping_forever() {
    let (name, bytes) = inputs("pdf")
        .into_iter()
        .find(|(n, _)| n.ends_with("page-is-its-own-parent.pdf"))
        .expect("the fuzzer's input is kept");
    let r = within(30, &name, move || {
        read_bytes("loop.pdf", Some("pdf"), None, bytes, &Limits::default())
    });
    let e = r[0].as_ref().unwrap_err();
    assert!(e.reason.contains("page tree loops"), "{}", e.reason);
}

#[test]
fn pdf_forms_that_draw_themselves_or_multiply_are_refused_instead_of_aborting_or_hanging() {
    for (file, why) in [
        ("form-draws-itself.pdf", "nest deeper than 32"),
        ("forms-doubling-40-deep.pdf", "nest deeper than 32"),
        ("forms-doubling-20-deep.pdf", "drawn more than 10000 times"),
    ] {
        let (name, bytes) = inputs("pdf")
            .into_iter()
            .find(|(n, _)| n.ends_with(file))
            .expect("the input is kept");
        let r = within(30, &name, move || {
            read_bytes("forms.pdf", Some("pdf"), None, bytes, &Limits::default())
        });
        let e = r[0].as_ref().unwrap_err();
        assert!(e.reason.contains(why), "{file}: {}", e.reason);
    }
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
            let results = within(30, &name.clone(), move || {
                read_bytes("fuzz", Some(ext), None, bytes, &Limits::default())
            });
            for r in results {
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
