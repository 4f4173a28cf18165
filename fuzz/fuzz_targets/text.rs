//! The tokeniser and sentence splitter on arbitrary text: every span is a half-open range on
//! character boundaries inside the text, tokens in order, sentences covering their tokens.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let tokens = techties_text::tokenize(&text);
    let mut last = 0;
    for t in &tokens {
        let r = t.span.range();
        assert!(r.start < r.end && r.end <= text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        assert!(r.start >= last);
        last = r.end;
    }
    let sentences = techties_text::split_sentences(&text, &tokens);
    let mut next = 0;
    for s in &sentences {
        assert!(s.span.end <= text.len());
        assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
        assert!(s.tokens.start >= next && s.tokens.end <= tokens.len());
        next = s.tokens.end;
    }
});
