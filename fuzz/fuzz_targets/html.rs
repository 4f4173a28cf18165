//! Reading arbitrary bytes as a .html input: every outcome is an article or a named error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| techties_fuzz::read_as("html", data));
