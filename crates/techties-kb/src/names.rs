//! Matching organisation names as analysts' lists write them against the names the knowledge
//! base and the corpus know: legal forms dropped (Ltd, LLC, OOO, 有限公司), Cyrillic
//! transliterated, diacritics and case folded, word order ignored, and small misspellings
//! forgiven (Jaro-Winkler per word).

use unicode_normalization::UnicodeNormalization;

/// A name prepared for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    /// Words, folded, legal forms dropped, in their order.
    pub words: Vec<String>,
    /// The words sorted and joined by one space: equal for the same words in any order.
    pub sorted: String,
}

/// Legal-form words, dropped unless nothing else is left. Transliterated Russian forms (ООО →
/// ooo) come out of [`translit`].
const LEGAL_FORMS: &[&str] = &[
    "ltd",
    "limited",
    "llc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "spa",
    "srl",
    "bv",
    "nv",
    "oy",
    "ab",
    "jsc",
    "pjsc",
    "ojsc",
    "cjsc",
    "ooo",
    "oao",
    "zao",
    "pao",
    "ao",
    "fgup",
    "fsue",
    "llp",
    "lp",
    "pte",
    "pty",
    "kk",
    "the",
    "holding",
    "holdings",
    "group",
];

/// Chinese legal forms, longest first, dropped from the end of a name.
const CJK_LEGAL_FORMS: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "集团公司",
    "集团",
    "公司",
];

fn translit(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' | 'ы' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// Prepares a name for comparison.
pub fn name_key(name: &str) -> NameKey {
    let mut s: String = name.trim().to_string();
    // Chinese legal forms first, before the text is split into words
    loop {
        let t = s.trim_end();
        match CJK_LEGAL_FORMS
            .iter()
            .find(|f| t.ends_with(*f) && t.len() > f.len())
        {
            Some(f) => s = t[..t.len() - f.len()].to_string(),
            None => break,
        }
    }
    let mut folded = String::with_capacity(s.len());
    for c in s.nfkd().flat_map(char::to_lowercase) {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if let Some(t) = translit(c) {
            folded.push_str(t);
        } else if c.is_alphanumeric() {
            // a run of Han characters is one word; each stands apart from Latin ones
            if is_cjk(c) != folded.chars().last().is_some_and(is_cjk) {
                folded.push(' ');
            }
            folded.push(c);
        } else if c == '\'' || c == '\u{2019}' {
            // O'Brien, Xi'an: one word
        } else {
            folded.push(' ');
        }
    }
    let all: Vec<String> = folded.split_whitespace().map(str::to_string).collect();
    let kept: Vec<String> = all
        .iter()
        .filter(|w| !LEGAL_FORMS.contains(&w.as_str()))
        .cloned()
        .collect();
    let words = if kept.is_empty() { all } else { kept };
    let mut sorted = words.clone();
    sorted.sort();
    NameKey {
        sorted: sorted.join(" "),
        words,
    }
}

/// How alike two names are, from 0 to 1: 1 for the same words (in any order), then the
/// length-weighted Jaro-Winkler similarity of each word to its best counterpart, both ways.
pub fn similarity(a: &NameKey, b: &NameKey) -> f64 {
    if a.words.is_empty() || b.words.is_empty() {
        return 0.0;
    }
    if a.sorted == b.sorted {
        return 1.0;
    }
    let one_way = |x: &NameKey, y: &NameKey| {
        let mut total = 0.0;
        let mut weight = 0.0;
        for w in &x.words {
            let best = y
                .words
                .iter()
                .map(|v| strsim::jaro_winkler(w, v))
                .fold(0.0, f64::max);
            let n = w.chars().count() as f64;
            total += best * n;
            weight += n;
        }
        total / weight
    };
    let aligned = (one_way(a, b) + one_way(b, a)) / 2.0;
    // written together or apart ("Rosatom" / "Ros Atom")
    let joined = strsim::jaro_winkler(&a.words.concat(), &b.words.concat());
    // a misspelling costs a little; a different word costs a lot
    aligned.max(joined * 0.98)
}

/// Character trigrams of a key's sorted words, for finding candidates to compare.
pub fn trigrams(key: &NameKey) -> Vec<[char; 3]> {
    let chars: Vec<char> = format!("  {}  ", key.sorted).chars().collect();
    let mut out: Vec<[char; 3]> = chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> f64 {
        similarity(&name_key(a), &name_key(b))
    }

    #[test]
    fn legal_forms_case_and_order_do_not_matter() {
        assert_eq!(
            name_key("Huawei Technologies Co., Ltd.").sorted,
            "huawei technologies"
        );
        assert_eq!(name_key("ООО «Яндекс»").sorted, "yandeks");
        assert_eq!(name_key("华为技术有限公司").sorted, "华为技术");
        assert_eq!(
            sim("Moscow State University", "University Moscow State"),
            1.0
        );
        assert_eq!(name_key("ŠKODA Auto").sorted, "auto skoda");
    }

    #[test]
    fn misspellings_score_high_and_other_names_low() {
        assert!(sim("Huawie Technologies", "Huawei Technologies") > 0.95);
        assert!(sim("Rostekh", "Ростех") > 0.99);
        assert!(sim("Rostec", "Ростех") > 0.85);
        assert!(sim("Huawei", "Tsinghua University") < 0.7);
        assert!(sim("Moscow Institute of Physics", "Kazan Federal University") < 0.7);
    }

    #[test]
    fn a_legal_form_alone_is_still_a_name() {
        assert_eq!(name_key("AO").words, ["ao"]);
    }
}
