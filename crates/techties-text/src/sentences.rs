use techties_core::{Sentence, Span, Token, TokenKind};

/// Words that usually begin a sentence; after an abbreviation that may also end one
/// ("...in the U.S. The company said"), they decide for a break.
const STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "I",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "However",
    "Meanwhile",
    "There",
    "His",
    "Her",
    "Their",
    "As",
    "After",
    "Before",
    "According",
    "Some",
    "Many",
    "While",
    "When",
    "Both",
    "Also",
    "Earlier",
    "Last",
    "Next",
    "Today",
    "Yesterday",
    "Such",
    "For",
    "Other",
    "Moreover",
    "In",
    "By",
];

/// Words after which a single line break does not end a sentence (hard-wrapped text).
const CONTINUATIONS: &[&str] = &[
    "the", "a", "an", "of", "and", "or", "to", "in", "on", "at", "for", "with", "by", "from", "as",
    "that", "which", "its", "their", "his", "her", "is", "are", "was", "were", "has", "have",
    "will",
];

fn is_terminal(s: &str) -> bool {
    matches!(s, "." | "!" | "?" | "。" | "！" | "？" | "…")
}

fn is_closer(s: &str) -> bool {
    matches!(s, "\"" | "'" | "”" | "’" | ")" | "]" | "»" | "」")
}

fn starts_upper_or_digit(s: &str) -> bool {
    s.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_numeric() || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '«' | '[')
    })
}

/// Groups tokens into sentences.
///
/// A sentence ends at `.`, `!`, `?` (and CJK stops), with closing quotes and brackets kept in
/// it, when the next token starts a sentence; at an abbreviation that can end a sentence when a
/// typical sentence starter follows; at every blank line; and at a single line break unless the
/// line plainly continues (it ends in a comma, a function word or a hyphen, or the next line
/// starts in lower case). Headlines, captions and list items without full stops are therefore
/// sentences of their own.
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let tok = |i: usize| &text[tokens[i].span.range()];
    for i in 0..tokens.len() {
        let last = i + 1 == tokens.len();
        let mut brk = last;
        if !last {
            let here = tok(i);
            let next = tok(i + 1);
            let gap = &text[tokens[i].span.end..tokens[i + 1].span.start];
            let newlines = gap.matches('\n').count();
            if newlines >= 2 {
                brk = true;
            } else if newlines == 1 {
                let continues = matches!(here, "," | "-" | "–" | "&")
                    || CONTINUATIONS.contains(&here)
                    || next.chars().next().is_some_and(|c| c.is_lowercase());
                brk = !continues;
            } else if !gap.is_empty() || is_terminal(here) {
                // a terminal mark, possibly followed by closers, then a sentence start
                let mut j = i;
                while j + 1 < tokens.len()
                    && is_closer(tok(j + 1))
                    && tokens[j + 1].span.start == tokens[j].span.end
                {
                    j += 1;
                }
                if j != i {
                    // defer: the closer will be considered at its own position
                } else if is_terminal(here) {
                    brk = !gap.is_empty() && starts_upper_or_digit(next)
                        || (here == "。" || here == "！" || here == "？");
                } else if is_closer(here) && i > 0 && is_terminal(tok(i - 1)) {
                    brk = !gap.is_empty() && starts_upper_or_digit(next);
                } else if here.ends_with('.')
                    && tokens[i].kind == TokenKind::Word
                    && here.len() > 1
                    && STARTERS.contains(&next)
                    && !gap.is_empty()
                {
                    // "U.S." / "Inc." at the end of a sentence
                    brk = !matches!(
                        here,
                        "Mr." | "Mrs." | "Ms." | "Dr." | "Prof." | "St." | "Gen."
                    );
                }
            }
        }
        if brk {
            let end = i + 1;
            // skip sentences made only of punctuation (stray bullets, rules)
            if tokens[start..end]
                .iter()
                .any(|t| t.kind != TokenKind::Punct)
            {
                out.push(Sentence {
                    span: Span::new(tokens[start].span.start, tokens[i].span.end),
                    tokens: start..end,
                });
            }
            start = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize;

    fn sents(text: &str) -> Vec<&str> {
        let t = tokenize(text);
        split_sentences(text, &t)
            .into_iter()
            .map(|s| &text[s.span.range()])
            .collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        assert_eq!(
            sents("Huawei has centres in St. Petersburg and Moscow. Dr. Li agreed with the U.S. side."),
            ["Huawei has centres in St. Petersburg and Moscow.", "Dr. Li agreed with the U.S. side."]
        );
    }

    #[test]
    fn initialism_can_end_a_sentence() {
        assert_eq!(
            sents("Only Russia and the U.S. The rest lag."),
            ["Only Russia and the U.S.", "The rest lag."]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(
            sents("\"We will build it.\" The minister said so. \"Really?\" he asked."),
            [
                "\"We will build it.\"",
                "The minister said so.",
                "\"Really?\" he asked."
            ]
        );
    }

    #[test]
    fn headlines_and_captions_without_stops_are_sentences() {
        assert_eq!(
            sents(
                "Russia and China sign deal\n\nA worker at a plant in Kazan\nThe deal was signed."
            ),
            [
                "Russia and China sign deal",
                "A worker at a plant in Kazan",
                "The deal was signed."
            ]
        );
    }

    #[test]
    fn hard_wrapped_lines_join() {
        assert_eq!(
            sents("The agreement was signed by the\nRussian government in 2019."),
            ["The agreement was signed by the\nRussian government in 2019."]
        );
    }

    #[test]
    fn chinese_full_stops_split() {
        assert_eq!(
            sents("华为在莫斯科。中俄合作。"),
            ["华为在莫斯科。", "中俄合作。"]
        );
    }
}
