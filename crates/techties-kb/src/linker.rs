use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use techties_core::{
    Annotator, CountryCode, Doc, Entity, EntityKind, Mention, MentionRole, NameLabel, OrgKind,
    Result, Span, TokenKind,
};
use techties_text::{fold_char, norm_key, norm_key_into};

use crate::data::{AliasKind, Candidate, Kb, PlaceKind};
use crate::orgrules::{
    is_connector, is_leading_function_word, is_non_org_word, is_title, org_head_kind,
    takes_complement,
};

/// Prepositions before which a capital is a place, not its government.
const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "from",
    "outside",
    "to",
    "into",
    "via",
    "across",
    "around",
    "based",
    "headquartered",
    "visited",
    "visit",
    "of",
];

/// Finds and links countries, places and organisations; see the crate docs.
#[derive(Debug, Clone, Copy)]
pub struct Linker {
    kb: &'static Kb,
}

/// A gazetteer hit before it is resolved.
struct Hit {
    start: usize,
    end: usize,
    cands: Vec<Candidate>,
}

/// What a token range was resolved to.
#[derive(Debug, Clone)]
enum Resolved {
    Country(CountryCode, MentionRole),
    Place(usize),
    Org(usize),
    /// A ROR organisation (its row).
    Ror(usize),
    RuleOrg {
        name: String,
        kind: OrgKind,
        country: Option<CountryCode>,
    },
    /// A location the statistical tagger found and the knowledge base does not know.
    LocalPlace(String),
}

impl Linker {
    /// A linker over a knowledge base.
    pub fn new(kb: &'static Kb) -> Self {
        Linker { kb }
    }

    fn gazetteer_hits(&self, doc: &Doc) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut key = String::with_capacity(64);
        for sent in &doc.sentences {
            let mut i = sent.tokens.start;
            while i < sent.tokens.end {
                let c = first_char(doc, i);
                let starts_name = c.is_uppercase() || !c.is_ascii() && c.is_alphabetic();
                if !starts_name {
                    i += 1;
                    continue;
                }
                let t = doc.token_text(i);
                // extend the match while its words begin some longer alias; keep the longest
                let limit = sent.tokens.end - i;
                let mut best = None;
                let mut n = 1;
                key.clear();
                if t.bytes().all(|b| b.is_ascii() && b != b'`') {
                    key.push_str(t);
                } else {
                    key.extend(t.chars().map(fold_char));
                }
                let first_len = key.len();
                loop {
                    let probe = self.kb.probe(&key);
                    if probe.found && !probe.ror_only {
                        best = Some(n);
                    }
                    if n >= limit || !probe.prefix {
                        break;
                    }
                    // the key of one more token, as `norm_key` writes it
                    let t = &doc.tokens[i + n];
                    if t.space_before {
                        key.push(' ');
                    }
                    let w = &doc.text[t.span.range()];
                    if w.bytes().all(|b| b.is_ascii() && b != b'`') {
                        key.push_str(w);
                    } else {
                        key.extend(w.chars().map(fold_char));
                    }
                    n += 1;
                }
                let mut found = best.map(|n| {
                    norm_key_into(&doc.text, &doc.tokens[i..i + n], &mut key);
                    let mut cands = self.kb.lookup(&key);
                    cands.retain(|c| !matches!(c, Candidate::Ror { .. }));
                    (n, cands)
                });
                // "HSINCHU, Taiwan": names in capitals (datelines, headlines) in title case,
                // except short acronyms, which must match as written
                if found.is_none() && starts_name && is_shouting(t) {
                    norm_key_into(&doc.text, &doc.tokens[i..i + 1], &mut key);
                    let titled: String = title_case(&key[..first_len]);
                    let maxn = self.kb.max_len_from(&titled).min(sent.tokens.end - i);
                    for n in (1..=maxn).rev() {
                        let key = title_case(&norm_key(&doc.text, &doc.tokens[i..i + n]));
                        let c: Vec<Candidate> = self
                            .kb
                            .lookup(&key)
                            .iter()
                            .filter(|c| !matches!(c, Candidate::Org(_) | Candidate::Ror { .. }))
                            .copied()
                            .collect();
                        if !c.is_empty() {
                            found = Some((n, c));
                            break;
                        }
                    }
                }
                match found {
                    Some((n, cands)) => {
                        hits.push(Hit {
                            start: i,
                            end: i + n,
                            cands,
                        });
                        i += n;
                    }
                    None => i += 1,
                }
            }
        }
        hits
    }

    /// Names of ROR organisations, longest first, where the rules of the registry's names
    /// allow them: a generic name ("Ministry of Health") only for a country the sentence or the
    /// document names, an acronym only where the text also writes the name out or where a
    /// single organisation of the document's countries holds it, and among homonyms the one of
    /// the document's countries. Ranges that cross a curated hit, or touch a curated
    /// organisation, are left to it.
    fn ror_hits(
        &self,
        doc: &Doc,
        hits: &[Hit],
        doc_countries: &HashSet<CountryCode>,
    ) -> Vec<(usize, usize, usize)> {
        let kb = self.kb;
        let n_tok = doc.tokens.len();
        // the tokens a curated organisation covers
        let mut curated_org = vec![false; n_tok];
        let mut sentence_countries: Vec<Vec<CountryCode>> = vec![Vec::new(); doc.sentences.len()];
        for h in hits {
            if h.cands.iter().any(|c| matches!(c, Candidate::Org(_))) {
                curated_org[h.start..h.end].fill(true);
            }
            for c in &h.cands {
                if let Candidate::Country {
                    idx,
                    kind: AliasKind::Name | AliasKind::Demonym | AliasKind::Capital,
                    ambiguous: false,
                } = c
                {
                    if let Some(v) = doc
                        .sentence_of_token(h.start)
                        .and_then(|si| sentence_countries.get_mut(si))
                    {
                        v.push(kb.countries[*idx].code);
                    }
                }
            }
        }
        let mut found: Vec<(usize, usize, Vec<Candidate>)> = Vec::new();
        let mut key = String::with_capacity(64);
        for sent in &doc.sentences {
            let mut i = sent.tokens.start;
            while i < sent.tokens.end {
                let c = first_char(doc, i);
                if !(c.is_uppercase() || !c.is_ascii() && c.is_alphabetic()) || curated_org[i] {
                    i += 1;
                    continue;
                }
                let mut best = None;
                let mut n = 1;
                let limit = sent.tokens.end - i;
                loop {
                    norm_key_into(&doc.text, &doc.tokens[i..i + n], &mut key);
                    let probe = kb.probe(&key);
                    if probe.found {
                        best = Some(n);
                    }
                    if n >= limit || !probe.prefix {
                        break;
                    }
                    n += 1;
                }
                let Some(n) = best else {
                    i += 1;
                    continue;
                };
                norm_key_into(&doc.text, &doc.tokens[i..i + n], &mut key);
                let cands: Vec<Candidate> = kb
                    .lookup(&key)
                    .into_iter()
                    .filter(|c| matches!(c, Candidate::Ror { .. }))
                    .collect();
                // a curated match of the same range or one crossing this one wins
                let (a, b) = (i, i + n);
                let crosses = curated_org[a..b].iter().any(|c| *c)
                    || hits
                        .iter()
                        .any(|h| h.start < b && h.end > a && (h.start < a || h.end > b));
                if cands.is_empty() || crosses {
                    i += 1;
                    continue;
                }
                found.push((i, i + n, cands));
                i += n;
            }
        }
        // the organisations named in full: their acronyms count as defined
        let mut named: HashSet<usize> = HashSet::default();
        for (_, _, cands) in &found {
            if let [Candidate::Ror {
                idx,
                acronym: false,
                ..
            }] = cands.as_slice()
            {
                named.insert(*idx);
            }
        }
        let mut out = Vec::new();
        for (s, e, cands) in found {
            let here = doc
                .sentence_of_token(s)
                .and_then(|si| sentence_countries.get(si).cloned())
                .unwrap_or_default();
            let country_of = |idx: usize| kb.ror(idx).and_then(|r| r.country);
            let pick = |pool: Vec<usize>| -> Option<usize> {
                let mut pool = pool;
                pool.sort_unstable();
                pool.dedup();
                match pool.as_slice() {
                    [one] => Some(*one),
                    // a registry record and the 2021 dump's older name-only row of the same
                    // body: the record
                    _ => {
                        let full: Vec<usize> = pool
                            .iter()
                            .copied()
                            .filter(|i| kb.ror(*i).is_some_and(|r| r.id.starts_with("ror:")))
                            .collect();
                        match full.as_slice() {
                            [one] => Some(*one),
                            _ => None,
                        }
                    }
                }
            };
            let plain: Vec<usize> = cands
                .iter()
                .filter_map(|c| match c {
                    Candidate::Ror {
                        idx,
                        generic: false,
                        acronym: false,
                    } => Some(*idx),
                    _ => None,
                })
                .collect();
            let generic: Vec<usize> = cands
                .iter()
                .filter_map(|c| match c {
                    Candidate::Ror {
                        idx, generic: true, ..
                    } => Some(*idx),
                    _ => None,
                })
                .collect();
            let acronyms: Vec<usize> = cands
                .iter()
                .filter_map(|c| match c {
                    Candidate::Ror {
                        idx, acronym: true, ..
                    } => Some(*idx),
                    _ => None,
                })
                .collect();
            let in_doc = |v: &[usize]| -> Vec<usize> {
                v.iter()
                    .copied()
                    .filter(|i| country_of(*i).is_some_and(|c| doc_countries.contains(&c)))
                    .collect()
            };
            let chosen = if !plain.is_empty() {
                // a distinctive name: the document's countries choose among homonyms
                pick(in_doc(&plain)).or_else(|| pick(plain.clone()))
            } else if !acronyms.is_empty() {
                let defined: Vec<usize> = acronyms
                    .iter()
                    .copied()
                    .filter(|i| named.contains(i))
                    .collect();
                pick(defined).or_else(|| {
                    let text = doc.token_text(s);
                    (acronyms.len() == 1 && text.chars().count() >= 3)
                        .then(|| pick(in_doc(&acronyms)))
                        .flatten()
                })
            } else {
                // a generic name: only with its country just before ("the Russian Ministry of
                // Health", "China's Ministry of Health"), else in the sentence, or as the only
                // one of the document's
                let possessive = s > 0 && matches!(doc.token_text(s - 1), "'s" | "’s");
                let before = hits
                    .iter()
                    .filter(|h| h.end == s || possessive && h.end + 1 == s)
                    .flat_map(|h| h.cands.iter())
                    .find_map(|c| match c {
                        Candidate::Country {
                            idx,
                            kind: AliasKind::Name | AliasKind::Demonym,
                            ..
                        } => Some(kb.countries[*idx].code),
                        _ => None,
                    });
                if let Some(code) = before {
                    let own: Vec<usize> = generic
                        .iter()
                        .copied()
                        .filter(|i| country_of(*i) == Some(code))
                        .collect();
                    if let Some(i) = pick(own) {
                        out.push((s, e, i));
                    }
                    continue;
                }
                let stated: Vec<usize> = generic
                    .iter()
                    .copied()
                    .filter(|i| country_of(*i).is_some_and(|c| here.contains(&c)))
                    .collect();
                pick(stated).or_else(|| here.is_empty().then(|| pick(in_doc(&generic))).flatten())
            };
            if let Some(idx) = chosen {
                out.push((s, e, idx));
            }
        }
        out
    }

    /// Capitalised phrases ending in an organisation word ("Harbin Institute of Technology",
    /// "Polish Armaments Group"), as token ranges with the kind the head word implies.
    fn rule_orgs(&self, doc: &Doc, hits: &[Hit]) -> Vec<(usize, usize, OrgKind)> {
        let mut out = Vec::new();
        // where a known country or organisation begins: "… and China", "… and Huawei" end a name
        let mut party_starts = vec![false; doc.tokens.len() + 1];
        for h in hits {
            if h.cands.iter().any(|c| {
                matches!(
                    c,
                    Candidate::Org(_)
                        | Candidate::Country {
                            kind: AliasKind::Name | AliasKind::Demonym,
                            ..
                        }
                )
            }) {
                party_starts[h.start] = true;
            }
        }
        let cap =
            |i: usize| doc.tokens[i].kind != TokenKind::Punct && first_char(doc, i).is_uppercase();
        for sent in &doc.sentences {
            let mut i = sent.tokens.start;
            while i < sent.tokens.end {
                if !cap(i) {
                    i += 1;
                    continue;
                }
                // grow a run of capitalised words joined by connectors
                let mut j = i + 1;
                loop {
                    if j < sent.tokens.end
                        && cap(j)
                        && !(doc.tokens[j].space_before
                            && doc.text[doc.tokens[j - 1].span.end..doc.tokens[j].span.start]
                                .contains('\n'))
                    {
                        j += 1;
                        continue;
                    }
                    // connectors: "of", "for a", "and", "-" followed by a capitalised word
                    let mut k = j;
                    while k < sent.tokens.end && k < j + 2 && is_connector(doc.token_text(k)) {
                        k += 1;
                    }
                    if k > j && k < sent.tokens.end && cap(k) {
                        j = k;
                        continue;
                    }
                    // ", Inc." / ", Ltd."
                    if j + 1 < sent.tokens.end && doc.token_text(j) == "," {
                        let n = doc.token_text(j + 1);
                        if matches!(
                            n,
                            "Inc."
                                | "Inc"
                                | "Ltd."
                                | "Ltd"
                                | "LLC"
                                | "Limited"
                                | "PLC"
                                | "AG"
                                | "S.A."
                                | "JSC"
                        ) {
                            j += 2;
                            continue;
                        }
                    }
                    break;
                }
                // "St Petersburg University and Harbin Institute of Technology" is two names
                let mut k = i + 1;
                while k + 1 < j {
                    let and = matches!(doc.token_text(k), "and" | "&");
                    if and
                        && (org_head_kind(doc.token_text(k - 1)).is_some()
                            || party_starts[k + 1]
                            || doc.token_text(k + 1) == "the"
                            || is_title(doc.token_text(k + 1)))
                    {
                        j = k;
                        break;
                    }
                    k += 1;
                }
                let mut start = i;
                loop {
                    let w = doc.token_text(start.min(j.saturating_sub(1)));
                    if start < j && (is_leading_function_word(w) || is_connector(w)) {
                        start += 1;
                    } else if is_title(w) {
                        // "Rector of St Petersburg University", "Vice-Premier of the State
                        // Council": the title is not part of the name
                        let mut k = start;
                        while k < j && (is_title(doc.token_text(k)) || doc.token_text(k) == "-") {
                            k += 1;
                        }
                        if k + 1 < j && matches!(doc.token_text(k), "of" | "for") {
                            start = k + 1;
                        } else {
                            break;
                        }
                    } else {
                        break;
                    }
                }
                // end: the last organisation word, or the end of a complement after a head word
                let mut end = None;
                let mut kind = OrgKind::Other;
                for k in start..j {
                    let w = doc.token_text(k);
                    if let Some(kd) = org_head_kind(w) {
                        let is_complement_head =
                            takes_complement(w) && k + 1 < j && is_connector(doc.token_text(k + 1));
                        if end.is_none() || k + 1 > end.unwrap_or(0) {
                            end = Some(if is_complement_head {
                                complement_end(self.kb, doc, k + 1, j)
                            } else {
                                k + 1
                            });
                            if end == Some(j) || kind == OrgKind::Other || kind == OrgKind::Company
                            {
                                kind = refine_kind(
                                    kd,
                                    &doc.text[doc.tokens[start].span.start..doc.tokens[k].span.end],
                                );
                            }
                        }
                    }
                }
                if let Some(end) = end {
                    // at least one capitalised word that is not itself an organisation word
                    let has_name =
                        (start..end).any(|k| cap(k) && org_head_kind(doc.token_text(k)).is_none());
                    if has_name && end > start {
                        out.push((start, end, kind));
                    }
                }
                i = j.max(i + 1);
            }
        }
        out
    }

    fn choose_place(
        &self,
        cands: &[Candidate],
        doc_countries: &HashSet<CountryCode>,
    ) -> Option<usize> {
        cands
            .iter()
            .filter_map(|c| match c {
                Candidate::Place(p) => Some(*p),
                _ => None,
            })
            .max_by_key(|&p| {
                let r = &self.kb.places[p];
                let in_doc = r.country.is_some_and(|c| doc_countries.contains(&c));
                let rank = match r.kind {
                    PlaceKind::Capital => 2,
                    PlaceKind::City | PlaceKind::Landmark => 1,
                    PlaceKind::Region => 0,
                };
                (in_doc, rank, r.population)
            })
    }
}

/// Where the complement of a head word ends ("Institute of Technology", "Commission on
/// Humanitarian Cooperation"): after a field noun, or after four words; a name that follows
/// ("... of Technology Zhou Yu") is not part of it.
fn complement_end(kb: &Kb, doc: &Doc, from: usize, run_end: usize) -> usize {
    for k in from..run_end {
        // "of Industry and Information Technology" goes on after "and"
        let goes_on = k + 1 < run_end && matches!(doc.token_text(k + 1), "and" | "&");
        if is_field_noun(doc.token_text(k)) && !goes_on {
            return k + 1;
        }
        // "State Council of China": a country's name ends it
        if k > from
            && kb.lookup(doc.token_text(k)).iter().any(|c| {
                matches!(
                    c,
                    Candidate::Country {
                        kind: AliasKind::Name,
                        ..
                    }
                )
            })
            && !goes_on
        {
            return k + 1;
        }
    }
    run_end.min(from + 7)
}

fn is_field_noun(w: &str) -> bool {
    matches!(
        w,
        "Technology"
            | "Technologies"
            | "Science"
            | "Sciences"
            | "Engineering"
            | "Economics"
            | "Defence"
            | "Defense"
            | "Industry"
            | "Commerce"
            | "Communications"
            | "Finance"
            | "Affairs"
            | "Security"
            | "Studies"
            | "Cooperation"
            | "Research"
            | "Education"
            | "Development"
            | "Telecommunications"
            | "Energy"
            | "Health"
            | "Trade"
            | "Policy"
            | "Physics"
            | "Mathematics"
            | "Medicine"
            | "Informatics"
            | "Aeronautics"
            | "Astronautics"
            | "Investment"
            | "Innovation"
            | "Planning"
            | "Transport"
            | "Information"
            | "Intelligence"
            | "Sports"
    )
}

fn refine_kind(kind: OrgKind, name: &str) -> OrgKind {
    let has = |w: &str| name.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
    if has("University") || has("College") {
        OrgKind::University
    } else if kind == OrgKind::ResearchInstitute
        && (has("Policy") || has("Strategic") || has("Studies"))
        || has("Think")
    {
        OrgKind::ThinkTank
    } else if (kind == OrgKind::Other || kind == OrgKind::ResearchInstitute)
        && (has("Research") || has("Science") || has("Sciences"))
    {
        OrgKind::ResearchInstitute
    } else if kind == OrgKind::Other && (has("Policy") || has("Security")) {
        OrgKind::ThinkTank
    } else {
        kind
    }
}

impl Annotator for Linker {
    fn name(&self) -> &'static str {
        "linker"
    }

    fn annotate(&self, doc: &mut Doc) -> Result<()> {
        let kb = self.kb;
        let hits = self.gazetteer_hits(doc);
        let mut rule_orgs = self.rule_orgs(doc, &hits);
        let tok = |i: usize| doc.token_text(i);
        let is_cap_word =
            |i: usize| doc.tokens[i].kind == TokenKind::Word && first_char(doc, i).is_uppercase();
        let mut starts = vec![false; doc.tokens.len()];
        for s in &doc.sentences {
            if let Some(x) = starts.get_mut(s.tokens.start) {
                *x = true;
            }
        }
        let sent_start = |i: usize| starts.get(i).copied().unwrap_or(true);

        // countries the document names unambiguously: they steer the choice among places
        let mut doc_countries = HashSet::default();
        for h in &hits {
            for c in &h.cands {
                if let Candidate::Country {
                    idx,
                    kind: AliasKind::Name | AliasKind::Demonym,
                    ambiguous: false,
                } = c
                {
                    doc_countries.insert(kb.countries[*idx].code);
                }
            }
        }

        // ROR's organisations, and the curated hits inside them (a demonym in "Russian
        // Academy of Medical Sciences" is part of the name)
        let ror = self.ror_hits(doc, &hits, &doc_countries);
        let hits: Vec<Hit> = if ror.is_empty() {
            hits
        } else {
            hits.into_iter()
                .filter(|h| !ror.iter().any(|(s, e, _)| *s <= h.start && h.end <= *e))
                .collect()
        };

        // resolve gazetteer hits
        let mut resolved: Vec<(usize, usize, Resolved)> = ror
            .iter()
            .map(|(s, e, i)| (*s, *e, Resolved::Ror(*i)))
            .collect();
        for h in &hits {
            let surface = &doc.text[doc.tokens[h.start].span.start..doc.tokens[h.end - 1].span.end];
            let prev = (h.start > 0).then(|| tok(h.start - 1));
            let next = (h.end < doc.tokens.len()).then(|| tok(h.end));
            if let Some(Candidate::Org(o)) = h.cands.iter().find(|c| matches!(c, Candidate::Org(_)))
            {
                resolved.push((h.start, h.end, Resolved::Org(*o)));
                continue;
            }
            let country = h.cands.iter().find_map(|c| match c {
                Candidate::Country {
                    idx,
                    kind,
                    ambiguous,
                } => Some((*idx, *kind, *ambiguous)),
                _ => None,
            });
            let place = self.choose_place(&h.cands, &doc_countries);
            let locative = prev.is_some_and(|p| LOCATIVE.contains(&p)) || {
                // "centres in Moscow, St. Petersburg and Kazan": a list after a locative
                let mut k = h.start;
                let mut seen_list = false;
                while k > 0 && matches!(tok(k - 1), "," | "and") {
                    seen_list = true;
                    k -= 1;
                    while k > 0 && is_cap_word(k - 1) {
                        k -= 1;
                    }
                }
                seen_list && k > 0 && LOCATIVE.contains(&tok(k - 1))
            };
            match country {
                Some((idx, AliasKind::Prefix, _)) => {
                    if next == Some("-") || next == Some("–") {
                        resolved.push((
                            h.start,
                            h.end,
                            Resolved::Country(kb.countries[idx].code, MentionRole::Prefix),
                        ));
                    }
                }
                Some((idx, AliasKind::Capital, _)) => {
                    let code = kb.countries[idx].code;
                    let seat = place.is_none_or(|p| kb.places[p].kind == PlaceKind::Landmark);
                    let next_lower = next.is_some_and(|n| {
                        n.chars().next().is_some_and(char::is_lowercase) || n == "'s" || n == "’s"
                    }) || next == Some("and")
                        && h.end + 1 < doc.tokens.len()
                        && is_cap_word(h.end + 1);
                    let actor_prev = prev.is_none_or(|p| {
                        matches!(
                            p,
                            "between"
                                | "with"
                                | "and"
                                | ","
                                | "that"
                                | "but"
                                | "as"
                                | "\""
                                | "“"
                                | "by"
                        ) || sent_start(h.start)
                    });
                    let metonym = !locative
                        && (seat
                            || next_lower && actor_prev
                            || matches!(prev, Some("between") | Some("with")));
                    if metonym {
                        resolved.push((
                            h.start,
                            h.end,
                            Resolved::Country(code, MentionRole::Metonym),
                        ));
                    }
                    if let Some(p) = place {
                        resolved.push((h.start, h.end, Resolved::Place(p)));
                    }
                }
                Some(_)
                    if next == Some("$")
                        && doc.tokens[h.end].span.start == doc.tokens[h.end - 1].span.end =>
                {
                    // "US$20 billion", "HK$": a currency, not a party
                }
                Some((idx, kind, ambiguous)) => {
                    let code = kb.countries[idx].code;
                    let by_name = next.is_some_and(|_| {
                        h.end < doc.tokens.len()
                            && is_cap_word(h.end)
                            && !doc_countries.is_empty()
                            && tok(h.end) != "President"
                    });
                    if ambiguous
                        && (by_name
                            || prev.is_some_and(|_| {
                                h.start > 0 && is_cap_word(h.start - 1) && !sent_start(h.start - 1)
                            }))
                    {
                        continue;
                    }
                    // "Atlanta, Georgia" in a story about the United States: the state, not
                    // the country — when the document's other countries or the place just
                    // before point to the place's country and nothing else names this one
                    if ambiguous && kind == AliasKind::Name && !doc_countries.contains(&code) {
                        if let Some(p) = place {
                            let pc = kb.places[p].country;
                            let before = h.start >= 2
                                && tok(h.start - 1) == ","
                                && {
                                    let k = h.start - 2;
                                    hits.iter().any(|o| o.end == k + 1 && o.cands.iter().any(|c| matches!(c, Candidate::Place(q) if kb.places[*q].country == pc)))
                                };
                            if before || pc.is_some_and(|c| doc_countries.contains(&c)) {
                                resolved.push((h.start, h.end, Resolved::Place(p)));
                                continue;
                            }
                        }
                    }
                    let role = if kind == AliasKind::Demonym {
                        MentionRole::Demonym
                    } else {
                        MentionRole::Name
                    };
                    // "the Chinese government", "Russian military": the state's institutions
                    let institution = match next {
                        Some("government" | "cabinet" | "authorities") => Some(OrgKind::Government),
                        Some("military" | "army" | "navy") => Some(OrgKind::Military),
                        _ => None,
                    };
                    match institution {
                        Some(kind) if role == MentionRole::Demonym => {
                            let name = format!("{} {}", surface, next.unwrap_or_default());
                            resolved.push((
                                h.start,
                                h.end + 1,
                                Resolved::RuleOrg {
                                    name,
                                    kind,
                                    country: Some(code),
                                },
                            ));
                        }
                        _ => resolved.push((h.start, h.end, Resolved::Country(code, role))),
                    }
                }
                None => {
                    let Some(p) = place else { continue };
                    let r = &kb.places[p];
                    let all_caps = surface.chars().all(|c| !c.is_lowercase());
                    let weak =
                        kb.is_place_stopword(surface) || surface.chars().count() <= 3 || all_caps;
                    let followed_by_country = next == Some(",")
                        && h.end + 1 < doc.tokens.len()
                        && kb
                            .lookup(&techties_text::key_of(tok(h.end + 1)))
                            .iter()
                            .any(|c| matches!(c, Candidate::Country { .. }));
                    let in_doc_country = r.country.is_some_and(|c| doc_countries.contains(&c));
                    // a name of one token that starts a sentence and is also a word needs context
                    if weak && !(locative || followed_by_country) {
                        continue;
                    }
                    if !in_doc_country
                        && r.population < 100_000
                        && r.kind != PlaceKind::Landmark
                        && !(locative || followed_by_country)
                    {
                        continue;
                    }
                    resolved.push((h.start, h.end, Resolved::Place(p)));
                }
            }
        }

        // names the statistical tagger found: organisations join the pattern-found ones
        // (the knowledge base's own matches win where they coincide), unknown locations
        // become places without coordinates. Token coverage maps keep this linear in the
        // length of the document.
        let n_tok = doc.tokens.len();
        let mut hit_cover = vec![0u8; n_tok]; // 1: any hit, 2: a known organisation
        let mut exact: HashSet<(usize, usize)> = HashSet::default();
        for (a, b, r) in &resolved {
            exact.insert((*a, *b));
            for c in &mut hit_cover[*a..*b] {
                *c |= 1 | if matches!(r, Resolved::Org(_) | Resolved::Ror(_)) {
                    2
                } else {
                    0
                };
            }
        }
        let mut org_cover = vec![false; n_tok];
        for (a, b, _) in &rule_orgs {
            org_cover[*a..*b].iter_mut().for_each(|c| *c = true);
        }
        let word_stats = WordStats::new(doc);
        let mut local_places = Vec::new();
        for n in &doc.names {
            let (mut s, mut e) = (
                doc.token_at_or_after(n.span.start),
                doc.token_at_or_after(n.span.end),
            );
            // quotes and brackets at the edges are not part of the name
            while s < e && doc.tokens[s].kind == TokenKind::Punct {
                s += 1;
            }
            while e > s && doc.tokens[e - 1].kind == TokenKind::Punct {
                e -= 1;
            }
            if e <= s || !is_cap_word(s) || is_leading_function_word(tok(s)) {
                continue;
            }
            if e == s + 1 && !word_stats.is_recurring_name(tok(s)) {
                continue;
            }
            // "the Serbian Ministry of Interior and Huawei": two parties, not one name — the
            // tagger's span ends at a conjunction when what follows it is a known name
            if let Some(k) = (s + 1..e.saturating_sub(1))
                .find(|&k| matches!(tok(k), "and" | "&") && exact.contains(&(k + 1, e)))
            {
                e = k;
            }
            match n.label {
                NameLabel::Organization => {
                    let same_as_hit =
                        exact.contains(&(s, e)) || hit_cover[s..e].iter().any(|c| c & 2 != 0);
                    let known = org_cover[s..e].iter().any(|c| *c);
                    if !same_as_hit && !known {
                        let kind = org_head_kind(tok(e - 1)).unwrap_or(OrgKind::Other);
                        rule_orgs.push((s, e, kind));
                        org_cover[s..e].iter_mut().for_each(|c| *c = true);
                    }
                }
                NameLabel::Location => {
                    let known = hit_cover[s..e].iter().any(|c| *c != 0)
                        || org_cover[s..e].iter().any(|c| *c);
                    if !known {
                        local_places.push((s, e));
                    }
                }
                NameLabel::Person | NameLabel::Misc => {}
            }
        }
        rule_orgs.sort_by_key(|(s, e, _)| (*s, *e));
        resolved.sort_by_key(|(s, e, _)| (*s, *e));

        // organisations by naming pattern override shorter hits inside them; `dead` marks
        // the hits they replace, `added` collects them (in order, as rule_orgs is sorted)
        let mut dead = vec![false; resolved.len()];
        let mut added: Vec<(usize, usize, Resolved)> = Vec::new();
        // hits that can touch tokens s..e: aliases are at most a few dozen tokens long
        let window = |resolved: &[(usize, usize, Resolved)], s: usize, e: usize| {
            let lo = resolved.partition_point(|r| r.0 + 32 < s);
            let hi = resolved.partition_point(|r| r.0 < e + 8);
            lo..hi
        };
        for (s, e, kind) in rule_orgs {
            // a document, programme or concept — unless an organisation word heads it ("the
            // Commission on Satellite Navigation Cooperation")
            if (is_non_org_word(tok(s)) || is_non_org_word(tok(e - 1)))
                && !(s..e).any(|k| org_head_kind(tok(k)).is_some())
            {
                continue;
            }
            let w = window(&resolved, s, e);
            let live = || w.clone().filter(|i| !dead[*i]).map(|i| &resolved[i]);
            let kb_org_covers = live().any(|(a, b, r)| {
                matches!(r, Resolved::Org(_) | Resolved::Ror(_)) && *a <= s && *b >= e
            });
            let overlaps_outside = live().any(|(a, b, r)| {
                matches!(r, Resolved::Org(_) | Resolved::Ror(_))
                    && *a < e
                    && *b > s
                    && (*a < s || *b > e)
            });
            if kb_org_covers || overlaps_outside {
                continue;
            }
            let inside: Vec<usize> = w
                .clone()
                .filter(|i| !dead[*i] && resolved[*i].0 >= s && resolved[*i].1 <= e)
                .collect();
            // "Russian Ministry of Health", "China's Tsinghua University": a country before a
            // known organisation is its country, not a new organisation's name
            let known_tail = inside.iter().any(|&i| {
                let (a, b, r) = &resolved[i];
                *b == e
                    && matches!(r, Resolved::Org(_) | Resolved::Ror(_))
                    && (s..*a).all(|k| {
                        matches!(tok(k), "'s" | "’s" | "the" | "The")
                            || inside.iter().any(|&j| {
                                let (c, d, r) = &resolved[j];
                                *c <= k && k < *d && matches!(r, Resolved::Country(..))
                            })
                    })
            });
            if known_tail {
                continue;
            }
            // "Samsung Electronics Co., Ltd.", "Tesla, Inc.": a known organisation with its legal form
            let mut core_end = e;
            while core_end > s + 1
                && (is_legal_form(doc.token_text(core_end - 1))
                    || doc.token_text(core_end - 1) == ",")
            {
                core_end -= 1;
            }
            if core_end < e {
                let key = norm_key(&doc.text, &doc.tokens[s..core_end]);
                if let Some(Candidate::Org(o)) = kb
                    .lookup(&key)
                    .iter()
                    .find(|c| matches!(c, Candidate::Org(_)))
                {
                    inside.iter().for_each(|i| dead[*i] = true);
                    added.push((s, e, Resolved::Org(*o)));
                    continue;
                }
            }
            let mut countries: Vec<CountryCode> = inside
                .iter()
                .filter_map(|i| match &resolved[*i].2 {
                    Resolved::Country(c, _) => Some(*c),
                    Resolved::Place(p) => kb.places[*p].country,
                    // "Sony Semiconductor Solutions": a subsidiary of a known company
                    Resolved::Org(o) => kb.orgs[*o].country,
                    Resolved::Ror(o) => kb.ror(*o).and_then(|r| r.country),
                    _ => None,
                })
                .collect();
            countries.dedup();
            let mut country = if countries.iter().collect::<HashSet<_>>().len() == 1 {
                countries.first().copied()
            } else {
                None
            };
            if country.is_none()
                && countries.is_empty()
                && s >= 2
                && matches!(doc.token_text(s - 1), "'s" | "’s")
            {
                // "ASPI's International Cyber Policy Centre": a part of the organisation before
                country = live().chain(added.iter()).find_map(|(_, b, r)| match r {
                    // "China's Ministry of Health", "Israel's Elbit": the country's own
                    Resolved::Country(c, MentionRole::Name | MentionRole::Metonym)
                        if *b == s - 1 =>
                    {
                        Some(*c)
                    }
                    Resolved::Org(o) if *b == s - 1 => kb.orgs[*o].country,
                    Resolved::Ror(o) if *b == s - 1 => kb.ror(*o).and_then(|r| r.country),
                    Resolved::RuleOrg { country, .. } if *b == s - 1 => *country,
                    _ => None,
                });
            }
            if country.is_none() && countries.is_empty() && e < n_tok && tok(e) == "," {
                // "CapitalBio Technology, a Chinese life science company": an apposition after
                let limit = (e + 7).min(n_tok);
                country = live()
                    .filter(|(a, _, _)| *a > e && *a < limit)
                    .find_map(|(_, _, r)| match r {
                        Resolved::Country(c, MentionRole::Demonym) => Some(*c),
                        _ => None,
                    });
            }
            if country.is_none() && countries.is_empty() {
                // "Russian telecoms company X Group": a demonym just before
                country = live()
                    .filter(|(_, b, _)| *b <= s && *b + 4 >= s)
                    .filter_map(|(_, _, r)| match r {
                        Resolved::Country(c, MentionRole::Demonym) => Some(*c),
                        _ => None,
                    })
                    .next_back();
            }
            if country.is_none() && countries.is_empty() {
                // "Ministry of Education of the People's Republic of China", "… of Vietnam"
                let mut k = e;
                if k < n_tok && tok(k) == "of" {
                    k += 1;
                    if k < n_tok && matches!(tok(k), "the" | "The") {
                        k += 1;
                    }
                    country = live()
                        .find(|(a, _, _)| *a == k)
                        .and_then(|(_, _, r)| match r {
                            Resolved::Country(c, MentionRole::Name) => Some(*c),
                            _ => None,
                        });
                }
            }
            if country.is_none() && countries.is_empty() {
                // the legal form says where it is incorporated: "Sitronics PJSC", "Bharat
                // Forge Private Limited", "Orbital Optics GmbH"
                country = (s..(e + 2).min(n_tok))
                    .find_map(|k| legal_form_country(tok(k), (k + 1 < n_tok).then(|| tok(k + 1))));
            }
            if country.is_none() && countries.is_empty() {
                // the only country the sentence names
                if let Some(si) = doc.sentence_of_token(s) {
                    let span = doc.sentences[si].tokens.clone();
                    let mut named: Vec<CountryCode> = live()
                        .chain(added.iter())
                        .filter(|(a, b, _)| *a >= span.start && *b <= span.end)
                        .filter_map(|(_, _, r)| match r {
                            Resolved::Country(c, MentionRole::Name | MentionRole::Demonym) => {
                                Some(*c)
                            }
                            _ => None,
                        })
                        .collect();
                    named.sort();
                    named.dedup();
                    if let [one] = named.as_slice() {
                        country = Some(*one);
                    }
                }
            }
            let name = doc.text[doc.tokens[s].span.start..doc.tokens[e - 1].span.end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            inside.iter().for_each(|i| dead[*i] = true);
            added.push((
                s,
                e,
                Resolved::RuleOrg {
                    name,
                    kind,
                    country,
                },
            ));
        }
        let mut resolved: Vec<(usize, usize, Resolved)> = resolved
            .into_iter()
            .zip(dead)
            .filter(|(_, d)| !d)
            .map(|(r, _)| r)
            .chain(added)
            .collect();
        let mut cover = vec![false; n_tok];
        for (a, b, _) in &resolved {
            cover[*a..*b].iter_mut().for_each(|c| *c = true);
        }
        for (s, e) in local_places {
            if !cover[s..e].iter().any(|c| *c) {
                let name = doc.text[doc.tokens[s].span.start..doc.tokens[e - 1].span.end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                cover[s..e].iter_mut().for_each(|c| *c = true);
                resolved.push((s, e, Resolved::LocalPlace(name)));
            }
        }
        resolved.sort_by_key(|(s, e, _)| (*s, *e));

        // entities and mentions; an entity is built only the first time it is mentioned
        let mut ids: HashMap<EntityKey, usize> = HashMap::default();
        let mut entities: Vec<Entity> = Vec::new();
        let mut mentions: Vec<Mention> = Vec::with_capacity(resolved.len());
        // tokens covered by a mention, and the token after each mention
        let mut covered = vec![false; doc.tokens.len()];
        let mut ends: Vec<usize> = Vec::with_capacity(resolved.len());
        for (s, e, r) in &resolved {
            covered[*s..*e].iter_mut().for_each(|x| *x = true);
            ends.push(*e);
            let span = Span::new(doc.tokens[*s].span.start, doc.tokens[*e - 1].span.end);
            let role = match r {
                Resolved::Country(_, role) => *role,
                _ => MentionRole::Name,
            };
            let idx = *ids.entry(EntityKey::of(r)).or_insert_with(|| {
                entities.push(entity_of(kb, r));
                entities.len() - 1
            });
            mentions.push(Mention {
                span,
                entity: idx,
                role,
            });
        }

        // short names of organisations found by pattern: "CapitalBio Technology" → "CapitalBio"
        let mut short_names: HashMap<String, usize> = HashMap::default();
        for (i, e) in entities.iter().enumerate() {
            if e.kind != EntityKind::Organization || e.linked {
                continue;
            }
            let words: Vec<&str> = e.name.split(' ').collect();
            if words.len() == 2 && matches!(org_head_kind(words[1]), Some(OrgKind::Company)) {
                let w = words[0];
                let distinctive = w.chars().count() >= 4
                    && w.chars().next().is_some_and(char::is_uppercase)
                    && !kb.is_place_stopword(w)
                    && kb.lookup(&techties_text::key_of(w)).is_empty()
                    && !is_leading_function_word(w);
                if distinctive {
                    short_names.entry(w.to_string()).or_insert(i);
                }
            }
        }
        if !short_names.is_empty() {
            for (i, t) in doc.tokens.iter().enumerate() {
                // short names are capitalised: most tokens need no hash probe
                if !first_char(doc, i).is_uppercase() {
                    continue;
                }
                if let Some(&e) = short_names.get(tok(i)) {
                    if !covered[i] {
                        covered[i] = true;
                        mentions.push(Mention {
                            span: t.span,
                            entity: e,
                            role: MentionRole::Partial,
                        });
                    }
                }
            }
        }

        // acronyms defined in the text: "Name (ACR)", "Name, or ACR,"
        let mut acronyms: HashMap<String, usize> = HashMap::default();
        for (m, &after) in mentions.iter().zip(&ends) {
            if entities[m.entity].kind != EntityKind::Organization {
                continue;
            }
            let mut k = after;
            let opened = k < doc.tokens.len()
                && (tok(k) == "("
                    || tok(k) == "," && k + 1 < doc.tokens.len() && tok(k + 1) == "or");
            if !opened {
                continue;
            }
            k += if tok(k) == "(" { 1 } else { 2 };
            while k < doc.tokens.len() && matches!(tok(k), "\"" | "“" | "”") {
                k += 1;
            }
            if k < doc.tokens.len() && is_acronym(tok(k)) {
                acronyms.entry(tok(k).to_string()).or_insert(m.entity);
            }
        }
        if !acronyms.is_empty() {
            for (i, t) in doc.tokens.iter().enumerate() {
                if !first_char(doc, i).is_uppercase() {
                    continue;
                }
                if let Some(&e) = acronyms.get(tok(i)) {
                    if !covered[i] {
                        mentions.push(Mention {
                            span: t.span,
                            entity: e,
                            role: MentionRole::Acronym,
                        });
                    }
                }
            }
        }
        mentions.sort_by_key(|m| (m.span.start, m.span.end));
        doc.entities = entities;
        doc.mentions = mentions;
        doc.trace.push(self.name());
        Ok(())
    }
}

/// Identity of a resolved mention, without building its entity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum EntityKey {
    Country(CountryCode),
    Place(usize),
    Org(usize),
    Ror(usize),
    Local(String),
}

impl EntityKey {
    fn of(r: &Resolved) -> Self {
        match r {
            Resolved::Country(c, _) => EntityKey::Country(*c),
            Resolved::Place(p) => EntityKey::Place(*p),
            Resolved::Org(o) => EntityKey::Org(*o),
            Resolved::Ror(o) => EntityKey::Ror(*o),
            Resolved::RuleOrg { name, .. } => EntityKey::Local(format!("org:{}", slug(name))),
            Resolved::LocalPlace(name) => EntityKey::Local(format!("place:{}", slug(name))),
        }
    }
}

/// The entity a resolved mention refers to.
fn entity_of(kb: &Kb, r: &Resolved) -> Entity {
    let (ent, _role) = match r {
        Resolved::Country(code, role) => {
            let name = kb
                .country(*code)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| code.to_string());
            (
                Entity {
                    id: format!("country:{code}"),
                    name,
                    kind: EntityKind::Country,
                    subkind: None,
                    country: Some(*code),
                    lat: None,
                    lon: None,
                    linked: true,
                },
                *role,
            )
        }
        Resolved::Place(p) => {
            let r = &kb.places[*p];
            (
                Entity {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    kind: EntityKind::Place,
                    subkind: None,
                    country: r.country,
                    lat: r.lat,
                    lon: r.lon,
                    linked: true,
                },
                MentionRole::Name,
            )
        }
        Resolved::Org(o) => {
            let r = &kb.orgs[*o];
            (
                Entity {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    kind: EntityKind::Organization,
                    subkind: Some(r.subkind),
                    country: r.country,
                    lat: None,
                    lon: None,
                    linked: true,
                },
                MentionRole::Name,
            )
        }
        Resolved::Ror(o) => {
            let r = kb.ror(*o);
            (
                Entity {
                    id: r
                        .as_ref()
                        .map_or_else(|| format!("ror-row:{o}"), |r| r.id.clone()),
                    name: r.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
                    kind: EntityKind::Organization,
                    subkind: Some(r.as_ref().map_or(OrgKind::Other, |r| r.subkind)),
                    country: r.as_ref().and_then(|r| r.country),
                    lat: r.as_ref().and_then(|r| r.lat),
                    lon: r.as_ref().and_then(|r| r.lon),
                    linked: true,
                },
                MentionRole::Name,
            )
        }
        Resolved::RuleOrg {
            name,
            kind,
            country,
        } => {
            let id = format!("local:org:{}", slug(name));
            (
                Entity {
                    id,
                    name: name.clone(),
                    kind: EntityKind::Organization,
                    subkind: Some(*kind),
                    country: *country,
                    lat: None,
                    lon: None,
                    linked: false,
                },
                MentionRole::Name,
            )
        }
        Resolved::LocalPlace(name) => (
            Entity {
                id: format!("local:place:{}", slug(name)),
                name: name.clone(),
                kind: EntityKind::Place,
                subkind: None,
                country: None,
                lat: None,
                lon: None,
                linked: false,
            },
            MentionRole::Name,
        ),
    };
    ent
}

/// How often each word is written, capitalised or not: one-word names the tagger proposes
/// are taken only when the document writes them at least twice, always capitalised, and not as
/// an all-capitals abbreviation ("AI", "R&D" are technologies; defined acronyms are linked
/// separately). One capitalised word is too often a headline word or a sentence start.
struct WordStats<'d> {
    counts: HashMap<&'d str, usize>,
    lower: HashSet<&'d str>,
}

impl<'d> WordStats<'d> {
    fn new(doc: &'d Doc) -> Self {
        let mut counts = HashMap::default();
        let mut lower = HashSet::default();
        if doc.names.is_empty() {
            return WordStats { counts, lower };
        }
        for t in &doc.tokens {
            let w = &doc.text[t.span.range()];
            if w.chars().next().is_some_and(char::is_lowercase) {
                lower.insert(w);
            } else {
                *counts.entry(w).or_default() += 1;
            }
        }
        WordStats { counts, lower }
    }

    fn is_recurring_name(&self, word: &str) -> bool {
        if word.chars().filter(|c| c.is_alphabetic()).count() < 3
            || !word.chars().any(char::is_lowercase)
        {
            return false;
        }
        self.counts.get(word).copied().unwrap_or(0) >= 2
            && !self.lower.contains(word.to_lowercase().as_str())
    }
}

/// The first character of token `i`, read without slicing the text: the linker asks it of
/// every token, several times.
#[inline]
fn first_char(doc: &Doc, i: usize) -> char {
    let start = doc.tokens[i].span.start;
    match doc.text.as_bytes().get(start) {
        Some(&b) if b < 0x80 => b as char,
        Some(_) => doc.text[start..].chars().next().unwrap_or(' '),
        None => ' ',
    }
}

/// A word in capitals long enough not to be an acronym ("HSINCHU", not "MTS").
fn is_shouting(t: &str) -> bool {
    t.chars().filter(|c| c.is_alphabetic()).count() >= 5 && !t.chars().any(char::is_lowercase)
}

/// "NIZHNY NOVGOROD" → "Nizhny Novgorod".
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// Legal forms that follow a company's name.
fn is_legal_form(t: &str) -> bool {
    matches!(
        t,
        "Co."
            | "Co"
            | "Ltd."
            | "Ltd"
            | "Inc."
            | "Inc"
            | "LLC"
            | "Limited"
            | "PLC"
            | "plc"
            | "Corporation"
            | "Corp."
            | "Corp"
            | "Company"
            | "JSC"
            | "PJSC"
            | "OJSC"
            | "AG"
            | "GmbH"
            | "SA"
            | "S.A."
            | "N.V."
            | "SE"
            | "LLP"
            | "LP"
            | "Holdings"
    )
}

/// The country a legal form implies where it is almost always that country's ("ООО", "PJSC",
/// "Pvt Ltd", "GmbH", "S.p.A."); `next` is the token after, for two-word forms.
fn legal_form_country(t: &str, next: Option<&str>) -> Option<CountryCode> {
    let code = match t {
        "ООО" | "ОАО" | "ЗАО" | "ПАО" | "АО" | "НПО" | "ФГУП" | "PJSC" | "OJSC" | "CJSC"
        | "OOO" => "RU",
        "Pvt" | "Pvt." => "IN",
        "Private" if next == Some("Limited") => "IN",
        "GmbH" => "DE",
        "S.p.A." | "SpA" | "S.r.l." => "IT",
        "S.A.S." | "SAS" | "SARL" => "FR",
        "Oy" | "Oyj" => "FI",
        "K.K." => "JP",
        "Bhd" | "Bhd." => "MY",
        "Pte" | "Pte." => "SG",
        _ => return None,
    };
    CountryCode::parse(code)
}

fn is_acronym(t: &str) -> bool {
    let n = t.chars().count();
    (2..=8).contains(&n)
        && t.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        && t.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// A lower-case, hyphenated form of a name, for local ids.
pub(crate) fn slug(name: &str) -> String {
    let mut s = String::new();
    for w in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !s.is_empty() {
            s.push('-');
        }
        s.extend(w.chars().flat_map(char::to_lowercase));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(text: &str) -> Doc {
        let mut doc = Doc::new(techties_core::DocMeta::new("t"), text.to_string());
        techties_text::Segmenter.annotate(&mut doc).unwrap();
        Linker::new(Kb::embedded()).annotate(&mut doc).unwrap();
        doc
    }

    /// (entity id, country) of the entity mentioned at the first occurrence of `surface`.
    fn linked(doc: &Doc, surface: &str) -> Vec<(String, Option<String>)> {
        let at = doc.text.find(surface).unwrap();
        doc.mentions
            .iter()
            .filter(|m| m.span.start == at)
            .map(|m| {
                (
                    doc.entities[m.entity].id.clone(),
                    doc.entities[m.entity].country.map(|c| c.to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn kazan_in_a_russia_story_is_the_city_in_tatarstan() {
        let doc = link("Huawei opened a centre in Kazan, the capital of Tatarstan in Russia.");
        let kazan = doc.entities.iter().find(|e| e.name == "Kazan").unwrap();
        assert_eq!(kazan.country.unwrap().as_str(), "RU");
        assert!(
            (kazan.lat.unwrap() - 55.79).abs() < 0.01 && (kazan.lon.unwrap() - 49.12).abs() < 0.01
        );
    }

    #[test]
    fn kazan_in_a_turkey_story_is_the_turkish_town() {
        let doc = link("The Turkish firm built a plant in Kazan, near Ankara, Turkey.");
        assert_eq!(linked(&doc, "Kazan")[0].1.as_deref(), Some("TR"));
    }

    #[test]
    fn georgia_is_the_country_or_the_us_state_by_context() {
        let doc = link("The deal was signed in Tbilisi, Georgia.");
        assert_eq!(linked(&doc, "Georgia")[0].0, "country:GE");
        let doc = link("The plant is in Atlanta, Georgia, in the United States.");
        let g = linked(&doc, "Georgia");
        assert!(g[0].0.starts_with("region:US"), "{g:?}");
    }

    #[test]
    fn moscow_and_beijing_signed_means_two_governments() {
        let doc = link("Moscow and Beijing signed a memorandum on satellite navigation.");
        let ids: Vec<String> = linked(&doc, "Moscow")
            .into_iter()
            .chain(linked(&doc, "Beijing"))
            .map(|x| x.0)
            .collect();
        assert!(
            ids.contains(&"country:RU".to_string()) && ids.contains(&"country:CN".to_string()),
            "{ids:?}"
        );
        let doc = link("Huawei has centres in Moscow and Beijing.");
        assert!(!linked(&doc, "Moscow").iter().any(|x| x.0 == "country:RU"));
    }

    #[test]
    fn acronyms_defined_in_the_text_link_later_uses() {
        let doc =
            link("The Arctic Quantum Institute (AQI) opened in Tromsø. Later AQI hired staff.");
        let first = linked(&doc, "Arctic Quantum Institute");
        let later_at = doc.text.rfind("AQI").unwrap();
        let later: Vec<&str> = doc
            .mentions
            .iter()
            .filter(|m| m.span.start == later_at)
            .map(|m| doc.entities[m.entity].id.as_str())
            .collect();
        assert_eq!(later, [first[0].0.as_str()]);
        let doc = link("the Australian Strategic Policy Institute, or ASPI, said; ASPI's report");
        assert_eq!(
            linked(&doc, "ASPI")[0].0,
            linked(&doc, "Australian Strategic Policy Institute")[0].0
        );
    }

    #[test]
    fn huawei_in_three_scripts_is_one_company() {
        for text in [
            "Huawei signed.",
            "Huawei Technologies signed.",
            "华为签署了协议。",
            "Компания Хуавэй подписала.",
        ] {
            let doc = link(text);
            assert!(
                doc.entities
                    .iter()
                    .any(|e| e.id == "org:huawei" && e.country.unwrap().as_str() == "CN"),
                "{text}"
            );
        }
    }

    #[test]
    fn countries_by_name_demonym_prefix_and_history() {
        let doc = link("Sino-Russian ties: the Soviet Union, the U.S. and Russian firms.");
        for id in ["country:CN", "country:RU", "country:SU", "country:US"] {
            assert!(doc.entities.iter().any(|e| e.id == id), "{id}");
        }
    }

    #[test]
    fn currency_is_not_a_country() {
        let doc = link("It will cost US$20 billion.");
        assert!(!doc.entities.iter().any(|e| e.id == "country:US"));
    }

    fn org_named(doc: &Doc, name: &str) -> Option<(String, Option<String>)> {
        doc.entities
            .iter()
            .find(|e| e.kind == EntityKind::Organization && e.name == name)
            .map(|e| (e.id.clone(), e.country.map(|c| c.to_string())))
    }

    #[test]
    fn an_organisation_only_ror_knows_links_in_english_and_chinese() {
        let doc = link("The lab works with Sensetime on vision.");
        let (id, country) = org_named(&doc, "Sensetime").expect("linked through ROR");
        assert!(id.starts_with("ror:"), "{id}");
        assert_eq!(country.as_deref(), Some("CN"));
        let doc = link("实验室与商汤合作。");
        assert!(doc.entities.iter().any(|e| e.name == "Sensetime"));
    }

    #[test]
    fn a_generic_ror_name_needs_its_country_in_the_text() {
        // no country: "Ministry of Health" names sixty ministries
        let doc = link("The Ministry of Health approved the trial.");
        assert!(
            doc.entities.iter().all(|e| !e.id.starts_with("ror")),
            "{:?}",
            doc.entities
        );
        let doc = link("The Russian Ministry of Health approved the trial.");
        let ministry = doc
            .entities
            .iter()
            .find(|e| e.id.starts_with("ror:"))
            .expect("the Russian ministry is linked");
        assert_eq!(
            ministry.country.map(|c| c.to_string()).as_deref(),
            Some("RU")
        );
    }

    #[test]
    fn an_acronym_links_only_when_defined_or_held_by_one_organisation_of_the_story() {
        // THU: Tsinghua's acronym in ROR; without a Chinese context it stays unlinked
        let doc = link("THU announced a programme in Boston.");
        assert!(doc.entities.iter().all(|e| e.name != "Tsinghua University"));
        let doc = link("China's THU announced a programme.");
        assert!(doc.entities.iter().any(|e| e.name == "Tsinghua University"));
    }

    #[test]
    fn a_conjunction_before_a_known_party_splits_two_names() {
        let doc = link("The Serbian Ministry of Interior and Huawei signed a deal.");
        assert!(doc.entities.iter().any(|e| e.id == "org:huawei"));
        assert!(
            doc.entities.iter().all(|e| !e.name.contains("and Huawei")),
            "{:?}",
            doc.entities
        );
    }

    fn country_of_org(text: &str, name: &str) -> Option<String> {
        org_named(&link(text), name).and_then(|x| x.1)
    }

    #[test]
    fn countries_from_context_for_organisations_the_kb_does_not_know() {
        assert_eq!(
            country_of_org(
                "China's Ministry of Ecology met the delegation.",
                "Ministry of Ecology"
            )
            .as_deref(),
            Some("CN")
        );
        // the name runs on over "of Vietnam"; an "of the Russian Federation" ending, cut by
        // its possessive or hyphen, is read after the name instead
        assert_eq!(
            country_of_org(
                "The Ministry of Culture of Vietnam hosted the forum.",
                "Ministry of Culture of Vietnam"
            )
            .as_deref(),
            Some("VN")
        );
        assert_eq!(
            country_of_org(
                "They founded Orbital Optics GmbH last year.",
                "Orbital Optics GmbH"
            )
            .as_deref(),
            Some("DE")
        );
    }
}
