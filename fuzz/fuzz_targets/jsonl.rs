//! Reading arbitrary bytes as JSON Lines and as a news-please JSON list.
#![no_main]

use libfuzzer_sys::fuzz_target;
use techties_ingest::read::{read_bytes, Limits};

fuzz_target!(|data: &[u8]| {
    for ext in ["jsonl", "json"] {
        for r in read_bytes("fuzz", Some(ext), None, data.to_vec(), &Limits::default()) {
            if let Err(e) = r {
                assert!(!e.reason.is_empty());
            }
        }
    }
});
