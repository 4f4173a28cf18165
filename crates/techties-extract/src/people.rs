//! People named in their public roles, found by patterns: a title before the name
//! ("President Vladimir Putin"), a reporting verb ("says Elsa Kania", "Kania said"), an
//! apposition with a role ("Ren Zhengfei, the founder of"), a byline ("By Jane Doe").
//! Later mentions of the surname alone are linked to the full name.

use std::collections::HashMap;

use techties_core::{
    Annotator, Doc, Entity, EntityKind, Mention, MentionRole, Result, Span, TokenKind,
};

const TITLES: &[&str] = &[
    "President",
    "Premier",
    "Minister",
    "Chairman",
    "Chairwoman",
    "Chair",
    "CEO",
    "Director",
    "General",
    "Gen.",
    "Dr.",
    "Prof.",
    "Professor",
    "Ambassador",
    "Senator",
    "Sen.",
    "Governor",
    "Gov.",
    "Mayor",
    "Chancellor",
    "Secretary",
    "Spokesman",
    "Spokeswoman",
    "Founder",
    "King",
    "Queen",
    "Prince",
    "Sheikh",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Admiral",
    "Colonel",
    "Commissioner",
    "Executive",
    "Head",
    "Deputy",
    "Chief",
    "Leader",
    "Officer",
    "Rector",
    // lower-case titles after a nationality: "Chinese leader Xi Jinping", "Russian president Vladimir Putin"
    "president",
    "leader",
    "premier",
    "minister",
    "chairman",
    "founder",
    "rector",
    "spokesman",
    "spokeswoman",
];

const REPORTING: &[&str] = &[
    "says",
    "said",
    "told",
    "added",
    "noted",
    "explained",
    "stated",
    "wrote",
    "argued",
    "warned",
];

const ROLE_WORDS: &[&str] = &[
    "ceo",
    "chief",
    "director",
    "head",
    "president",
    "founder",
    "co",
    "author",
    "professor",
    "researcher",
    "fellow",
    "minister",
    "analyst",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "executive",
    "chairman",
    "deputy",
    "senior",
    "adjunct",
    "vice",
    "general",
    "manager",
    "partner",
    "editor",
    "correspondent",
    "expert",
    "scholar",
    "ambassador",
];

const NOT_NAMES: &[&str] = &[
    "His",
    "Her",
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "This",
    "That",
    "It",
    "He",
    "She",
    "They",
    "We",
    "But",
    "And",
    "Such",
    "Both",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "According",
    "Meanwhile",
];

/// Finds people and adds them as entities with mentions.
#[derive(Debug, Default, Clone, Copy)]
pub struct PeopleFinder;

impl Annotator for PeopleFinder {
    fn name(&self) -> &'static str {
        "people"
    }

    fn annotate(&self, doc: &mut Doc) -> Result<()> {
        let n = doc.tokens.len();
        // tokens inside a mention (any kind), and inside one that is not a place
        let mut taken = vec![false; n];
        let mut not_place = vec![false; n];
        for m in &doc.mentions {
            let (a, b) = (
                doc.token_at_or_after(m.span.start),
                doc.token_at_or_after(m.span.end),
            );
            let place = doc.entities[m.entity].kind == EntityKind::Place;
            for k in a..b {
                taken[k] = true;
                not_place[k] |= !place;
            }
        }
        let blocked = |i: usize| not_place[i];
        let is_name = |i: usize| {
            i < n && doc.tokens[i].kind == TokenKind::Word && {
                let t = doc.token_text(i);
                t.chars().next().is_some_and(char::is_uppercase)
                    && t.chars().skip(1).any(char::is_lowercase)
                    && !NOT_NAMES.contains(&t)
                    && !TITLES.contains(&t)
                    && !blocked(i)
            }
        };
        // the longest run of name tokens starting at i (1..=3), staying inside one line
        let run_from = |i: usize| {
            let mut j = i;
            while j < n
                && j < i + 3
                && is_name(j)
                && (j == i
                    || !doc.text[doc.tokens[j - 1].span.end..doc.tokens[j].span.start]
                        .contains('\n'))
            {
                j += 1;
            }
            j
        };
        let mut found: Vec<(usize, usize)> = Vec::new();
        for s in &doc.sentences {
            let r = s.tokens.clone();
            let mut i = r.start;
            while i < r.end {
                let t = doc.token_text(i);
                let lw = t.to_lowercase();
                // title + name
                if TITLES.contains(&t) {
                    let mut k = i + 1;
                    while k < r.end && TITLES.contains(&doc.token_text(k)) {
                        k += 1;
                    }
                    let j = run_from(k).min(r.end);
                    if j > k {
                        found.push((k, j));
                        i = j;
                        continue;
                    }
                }
                // byline
                if t == "By" && i == r.start {
                    let j = run_from(i + 1).min(r.end);
                    if j >= i + 3 && j == r.end {
                        found.push((i + 1, j));
                    }
                }
                // says X Y
                if REPORTING.contains(&lw.as_str()) {
                    let j = run_from(i + 1).min(r.end);
                    if j >= i + 3 {
                        found.push((i + 1, j));
                        i = j;
                        continue;
                    }
                }
                // X Y says / X Y, the CEO of
                if is_name(i) && (i == r.start || !is_name(i - 1)) {
                    let j = run_from(i).min(r.end);
                    if j >= i + 2 {
                        let next = if j < n {
                            doc.token_text(j).to_lowercase()
                        } else {
                            String::new()
                        };
                        let role_after = next == ","
                            && (j + 1..(j + 4).min(n)).any(|k| {
                                ROLE_WORDS.contains(&doc.token_text(k).to_lowercase().as_str())
                            });
                        if REPORTING.contains(&next.as_str()) || role_after {
                            found.push((i, j));
                            i = j;
                            continue;
                        }
                    }
                }
                i += 1;
            }
        }
        // people the statistical tagger found, when the patterns did not
        for nm in doc
            .names
            .iter()
            .filter(|n| n.label == techties_core::NameLabel::Person)
        {
            let (a, b) = (
                doc.token_at_or_after(nm.span.start),
                doc.token_at_or_after(nm.span.end),
            );
            let clean =
                b >= a + 2 && (a..b).all(|i| is_name(i) || doc.tokens[i].kind != TokenKind::Word);
            if clean && !found.iter().any(|(x, y)| *x < b && a < *y) {
                found.push((a, b));
            }
        }
        found.sort_unstable();
        if found.is_empty() {
            doc.trace.push(self.name());
            return Ok(());
        }
        // entities, and surnames mentioned alone later
        let mut by_name: HashMap<String, usize> = HashMap::new();
        let mut surnames: HashMap<String, usize> = HashMap::new();
        let mut new_mentions = Vec::new();
        for (a, b) in found {
            let span = Span::new(doc.tokens[a].span.start, doc.tokens[b - 1].span.end);
            let name = doc.text[span.range()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let near = doc.mentions.partition_point(|m| m.span.start < span.start);
            let country = doc.mentions[..near]
                .iter()
                .rev()
                .take(8)
                .find(|m| {
                    m.span.end <= span.start
                        && m.span.end + 20 >= span.start
                        && matches!(m.role, MentionRole::Demonym | MentionRole::Name)
                        && doc.entities[m.entity].kind == EntityKind::Country
                })
                .and_then(|m| doc.entities[m.entity].country);
            let e = *by_name.entry(name.clone()).or_insert_with(|| {
                doc.entities.push(Entity {
                    id: format!("local:person:{}", slug(&name)),
                    name: name.clone(),
                    kind: EntityKind::Person,
                    subkind: None,
                    country,
                    lat: None,
                    lon: None,
                    linked: false,
                });
                doc.entities.len() - 1
            });
            if b - a >= 2 {
                surnames
                    .entry(doc.token_text(b - 1).to_string())
                    .or_insert(e);
            }
            new_mentions.push(Mention {
                span,
                entity: e,
                role: MentionRole::Name,
            });
        }
        let mut person = vec![false; n];
        for m in &new_mentions {
            let (a, b) = (
                doc.token_at_or_after(m.span.start),
                doc.token_at_or_after(m.span.end),
            );
            person[a..b].iter_mut().for_each(|x| *x = true);
        }
        for i in 0..n {
            if let Some(&e) = surnames.get(doc.token_text(i)) {
                let sp = doc.tokens[i].span;
                if !person[i] && !taken[i] {
                    person[i] = true;
                    new_mentions.push(Mention {
                        span: sp,
                        entity: e,
                        role: MentionRole::Partial,
                    });
                }
            }
        }
        // a place read inside a person's name was a misreading
        let toks = &doc.tokens;
        doc.mentions.retain(|m| {
            let first = toks.partition_point(|t| t.span.start < m.span.start);
            let last = toks.partition_point(|t| t.span.start < m.span.end);
            !person[first..last].iter().any(|x| *x)
        });
        doc.mentions.extend(new_mentions);
        doc.mentions.sort_by_key(|m| (m.span.start, m.span.end));
        doc.trace.push(self.name());
        Ok(())
    }
}

fn slug(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}
