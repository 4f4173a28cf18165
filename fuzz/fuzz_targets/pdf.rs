//! Reading arbitrary bytes as a .pdf input: every outcome is an article or a named error.
//!
//! The PDF parser (pdf-extract) panics on some malformed files, and `read_pdf` turns that
//! panic into an error with `catch_unwind`, as it does in production. libFuzzer's panic hook
//! would abort on such a panic before it is caught, so panics raised inside third-party crates
//! are let through to that `catch_unwind` here; a panic anywhere in techties' own code, or one
//! that escapes, still aborts and is reported.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;

static HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| {
        let abort_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let third_party = info
                .location()
                .is_some_and(|l| l.file().contains("/.cargo/registry/"));
            if !third_party {
                abort_hook(info);
            }
        }));
    });
    techties_fuzz::read_as("pdf", data);
});
