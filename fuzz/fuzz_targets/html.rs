//! Reading arbitrary bytes as a .html input: every outcome is an article or a named error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use techties_ingest::read::{read_bytes, Limits};

fuzz_target!(|data: &[u8]| {
    for r in read_bytes(
        "fuzz.html",
        Some("html"),
        None,
        data.to_vec(),
        &Limits::default(),
    ) {
        match r {
            Ok(a) => assert!(a.raw.text.len() <= data.len() * 4 + 64),
            Err(e) => assert!(!e.reason.is_empty() && e.source_name.starts_with("fuzz")),
        }
    }
});
