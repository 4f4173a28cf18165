//! The screening list and risk-list parsers on arbitrary bytes: rows or an error naming the
//! file and a line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match techties_screen::parse_list("fuzz.csv", data) {
        Ok(rows) => assert!(rows.iter().all(|r| !r.name.trim().is_empty())),
        Err(e) => assert!(e.to_string().starts_with("fuzz.csv, line ")),
    }
    if let Err(e) = techties_screen::parse_risk_list("fuzz.csv", data, "fuzz") {
        assert!(e.to_string().starts_with("fuzz.csv, line "));
    }
});
