//! What the reader targets share: arbitrary bytes read as one input type must give articles
//! of bounded size, or errors that name the input and say why.

use techties_ingest::read::{read_bytes, Limits};

/// Reads `data` as a `.{ext}` input and checks every outcome.
pub fn read_as(ext: &str, data: &[u8]) {
    let name = format!("fuzz.{ext}");
    for r in read_bytes(&name, Some(ext), None, data.to_vec(), &Limits::default()) {
        match r {
            Ok(a) => assert!(a.raw.text.len() <= data.len() * 4 + 64),
            Err(e) => assert!(!e.reason.is_empty() && e.source_name.starts_with("fuzz")),
        }
    }
}
