//! The whole extraction pipeline on arbitrary bytes: it returns a document or an error, and
//! every span it produces points inside the text on character boundaries.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use techties_extract::source::RawDoc;
use techties_extract::Pipeline;

fuzz_target!(|data: &[u8]| {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    let p = PIPELINE.get_or_init(Pipeline::standard);
    let text = String::from_utf8_lossy(data).into_owned();
    let raw = RawDoc {
        source: "fuzz".into(),
        title: None,
        date: None,
        text,
    };
    if let Ok(doc) = p.run(raw) {
        let ok = |s: techties_core::Span| {
            s.start <= s.end
                && s.end <= doc.text.len()
                && doc.text.is_char_boundary(s.start)
                && doc.text.is_char_boundary(s.end)
        };
        assert!(doc
            .mentions
            .iter()
            .all(|m| ok(m.span) && m.entity < doc.entities.len()));
        assert!(doc
            .partnerships
            .iter()
            .all(|p| ok(p.evidence) && ok(p.trigger)));
    }
});
