use techties_core::{Span, Token, TokenKind};

/// Abbreviations that keep their final period. Sentence-final use ("in the U.S. The
/// company...") is decided by the sentence splitter, not here.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Mt", "Ft", "Jr", "Sr", "Gen", "Col", "Lt", "Maj",
    "Capt", "Sgt", "Adm", "Gov", "Sen", "Rep", "Pres", "Rev", "Hon", "Inc", "Ltd", "Co", "Corp",
    "Cos", "Bros", "Dept", "Univ", "Assn", "Intl", "No", "Nos", "vs", "etc", "approx", "est",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mon",
    "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Ave", "Blvd", "Rd", "Fig", "Vol", "pp", "al", "cf",
    "Gr", "Sp", "Nr", "Ph",
];

/// True when `word` (without its period) is a known abbreviation.
pub fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS.contains(&word)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Combining marks (a decomposed "á" is "a" and U+0301) belong to the letter before them.
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || is_combining(c)) && !is_cjk(c)
}

/// Splits text into tokens with byte spans into it.
///
/// Words are runs of letters and digits; an apostrophe inside a word starts a new token
/// ("China's" → "China", "'s"); hyphens and other punctuation are tokens of their own, so
/// "Sino-Russian" is three tokens. Exceptions keep one token: `&` between letters ("R&D",
/// "AT&T"), initialisms with periods ("U.S.", "e.g."), known abbreviations ("St.", "Inc."),
/// numbers with separators ("1,500", "7.3"). Each CJK character is a token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut chars = text.char_indices().peekable();
    let mut space_before = true;
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            space_before = true;
            continue;
        }
        let next_char = |pos: usize| text[pos..].chars().next();
        let mut end = i + c.len_utf8();
        let kind;
        if c.is_ascii_digit() || (c.is_numeric() && !is_cjk(c)) {
            // number, with , or . between digits; letters glued on make it a word ("5G", "20th")
            let mut has_alpha = false;
            while let Some(n) = next_char(end) {
                if n.is_alphanumeric() && !is_cjk(n) {
                    has_alpha |= n.is_alphabetic();
                    end += n.len_utf8();
                } else if (n == ',' || n == '.')
                    && !has_alpha
                    && next_char(end + 1).is_some_and(|d| d.is_ascii_digit())
                {
                    end += 1;
                } else {
                    break;
                }
            }
            kind = if has_alpha {
                TokenKind::Word
            } else {
                TokenKind::Number
            };
        } else if is_word_char(c) {
            loop {
                match next_char(end) {
                    Some(n) if is_word_char(n) => end += n.len_utf8(),
                    Some('&')
                        if next_char(end + 1)
                            .is_some_and(|n| n.is_alphabetic() && n.is_uppercase())
                            && c.is_uppercase() =>
                    {
                        end += 1
                    }
                    _ => break,
                }
            }
            // initialisms: U.S. / U.S.A. / e.g. (single letters separated by periods)
            if end - i == c.len_utf8() && b.get(end) == Some(&b'.') {
                let mut j = end + 1;
                let mut letters = 1;
                while let Some(n) = next_char(j) {
                    if n.is_alphabetic() && b.get(j + n.len_utf8()) == Some(&b'.') {
                        letters += 1;
                        j += n.len_utf8() + 1;
                    } else {
                        break;
                    }
                }
                if letters >= 2 {
                    end = j;
                }
            }
            if b.get(end) == Some(&b'.') && is_abbreviation(&text[i..end]) {
                end += 1;
            }
            kind = TokenKind::Word;
        } else if is_cjk(c) {
            kind = TokenKind::Word;
        } else {
            kind = TokenKind::Punct;
            // a leading apostrophe of a clitic joins the letters after it ('s, 't)
            if matches!(c, '\'' | '\u{2019}')
                && out
                    .last()
                    .is_some_and(|t: &Token| t.span.end == i && t.kind == TokenKind::Word)
            {
                let mut e = end;
                while let Some(n) = next_char(e) {
                    if n.is_alphabetic() && !is_cjk(n) {
                        e += n.len_utf8();
                    } else {
                        break;
                    }
                }
                if e > end && e - end <= 2 {
                    end = e;
                }
            }
        }
        out.push(Token {
            span: Span::new(i, end),
            kind,
            space_before,
        });
        space_before = false;
        while chars.peek().is_some_and(|&(j, _)| j < end) {
            chars.next();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| &text[t.span.range()])
            .collect()
    }

    #[test]
    fn splits_hyphenated_adjectives_and_possessives() {
        assert_eq!(words("Sino-Russian ties"), ["Sino", "-", "Russian", "ties"]);
        assert_eq!(
            words("China's tech giants"),
            ["China", "'s", "tech", "giants"]
        );
        assert_eq!(words("Russia’s bank"), ["Russia", "’s", "bank"]);
    }

    #[test]
    fn keeps_abbreviations_and_initialisms_whole() {
        assert_eq!(
            words("the U.S. and St. Petersburg"),
            ["the", "U.S.", "and", "St.", "Petersburg"]
        );
        assert_eq!(words("Acme Co. Ltd."), ["Acme", "Co.", "Ltd."]);
        assert_eq!(words("R&D at AT&T"), ["R&D", "at", "AT&T"]);
    }

    #[test]
    fn numbers_keep_separators() {
        assert_eq!(
            words("$1,500.5 and 5G in 2018."),
            ["$", "1,500.5", "and", "5G", "in", "2018", "."]
        );
    }

    #[test]
    fn cjk_characters_are_tokens() {
        assert_eq!(words("华为公司"), ["华", "为", "公", "司"]);
        assert_eq!(words("Хуавэй в Москве"), ["Хуавэй", "в", "Москве"]);
    }

    #[test]
    fn combining_marks_stay_in_their_word() {
        assert_eq!(
            words("Szijja\u{301}rto\u{301} said"),
            ["Szijja\u{301}rto\u{301}", "said"]
        );
    }

    #[test]
    fn records_space_before() {
        let t = tokenize("a-b c");
        assert_eq!(
            t.iter().map(|t| t.space_before).collect::<Vec<_>>(),
            [true, false, false, true]
        );
    }
}
