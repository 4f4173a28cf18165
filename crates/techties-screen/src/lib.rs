//! Screening: for each organisation on an analyst's list, who it is (resolved against the
//! corpus and the knowledge base, with the alternatives when the name is ambiguous — never a
//! silent guess), its cross-border ties with their evidence, the flags on it and on its
//! partners (knowledge-base `defence` and `state_owned`, imported risk lists), the shortest
//! paths to flagged entities, and a risk level with a one-sentence rationale built from those
//! facts. `--as-of` screens the graph as it was known on a date, and every report names the
//! database snapshot it used, so it can be reproduced.
//!
//! The store supplies the graph ([`Store::edges`], [`Store::tie`]); names are compared with
//! [`techties_kb::names`]. This crate knows neither SQL nor argv.
#![deny(missing_docs)]

pub mod input;
pub mod report;

use std::collections::VecDeque;

use rustc_hash::FxHashMap;
use serde::Serialize;
use techties_kb::names::{name_key, similarity, trigrams, NameKey};
use techties_kb::Kb;
use techties_store::{RiskEntry, Snapshot, Store, StoreError, TieFact};

pub use input::{parse_list, parse_risk_list, ListRow};

/// What went wrong, naming the file or database.
#[derive(Debug, thiserror::Error)]
pub enum ScreenError {
    /// A list could not be read.
    #[error("{file}, line {line}: {reason}")]
    Input {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A watch names nothing that can be watched.
    #[error("{0}")]
    Watch(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a watch of `kind` (`entity`, `pair` or `domain`) on `value` stores: the canonical value
/// (an entity id, `CN-RU` with the codes sorted, a lower-case domain) and a label for people.
/// An entity is named as an analyst would write it and must resolve unambiguously in the
/// corpus; otherwise the error lists the candidates.
pub fn watch_target(
    store: &Store,
    kb: &'static Kb,
    kind: &str,
    value: &str,
) -> Result<(String, String), ScreenError> {
    let value = value.trim();
    if value.is_empty() || value.len() > 500 {
        return Err(ScreenError::Watch(
            "a watch needs a value of 1 to 500 bytes".into(),
        ));
    }
    match kind {
        "pair" => {
            let mut cs: Vec<String> = value
                .split([',', '-', ' '])
                .filter(|c| !c.is_empty())
                .map(|c| c.to_ascii_uppercase())
                .collect();
            if cs.len() != 2
                || cs
                    .iter()
                    .any(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()))
            {
                return Err(ScreenError::Watch(format!(
                    "{value:?}: a pair is two country codes, as RU,CN"
                )));
            }
            cs.sort();
            Ok((cs.join("-"), value.to_string()))
        }
        "domain" => Ok((value.to_ascii_lowercase(), value.to_string())),
        "entity" => {
            let screener = Screener::new(store, kb, Options::default())?;
            let row = ListRow {
                line: 0,
                name: value.to_string(),
                country: None,
                id: Some(value.to_string()),
                aliases: Vec::new(),
            };
            let res = screener.resolve(&row);
            match res.matched.as_ref().and_then(|m| m.entity.map(|e| (e, m))) {
                Some((e, m)) if res.status == "resolved" => Ok((e.to_string(), m.name.clone())),
                _ => Err(ScreenError::Watch(format!(
                    "{value:?} is {} in the corpus{}",
                    res.status,
                    if res.alternatives.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; candidates: {}",
                            res.alternatives
                                .iter()
                                .map(|c| format!(
                                    "{} (id {})",
                                    c.name,
                                    c.entity.map_or("-".into(), |e| e.to_string())
                                ))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                ))),
            }
        }
        other => Err(ScreenError::Watch(format!(
            "unknown watch kind {other:?} (expected entity, pair or domain)"
        ))),
    }
}

/// A name resolves when its best match scores at least this.
pub const MATCH: f64 = 0.93;
/// Matches from this score up are shown as alternatives.
pub const POSSIBLE: f64 = 0.85;
/// Two matches within this of each other are ambiguous.
const TIE_MARGIN: f64 = 0.02;

/// Options of a screening run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Screen the graph as known on this date (`YYYY-MM-DD`); `None`: everything stored.
    pub as_of: Option<String>,
    /// Longest path to a flagged entity, in partnerships.
    pub hops: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            as_of: None,
            hops: 2,
        }
    }
}

/// Who a candidate is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Who {
    Entity(i64),
    KbOrg(usize),
    Risk(usize),
}

/// A name a list's row may resolve to.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// Canonical name.
    pub name: String,
    /// The name that matched (an alias, a transliteration).
    pub matched_name: String,
    /// Score from 0 to 1.
    pub score: f64,
    /// Stored entity id, when the corpus knows it.
    pub entity: Option<i64>,
    /// Knowledge-base id, when the knowledge base knows it.
    pub kb_id: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// The risk list naming it, when only a risk list knows it.
    pub risk_list: Option<String>,
}

/// How a row resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    /// `resolved`, `ambiguous` (two or more match as well: see the alternatives), `possible`
    /// (only weaker matches) or `unknown`.
    pub status: &'static str,
    /// The match, when resolved.
    pub matched: Option<Candidate>,
    /// Other candidates, best first.
    pub alternatives: Vec<Candidate>,
}

/// A flag on an entity.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Flag {
    /// `risk_list`, `defence` or `state_owned`.
    pub kind: &'static str,
    /// The knowledge base, or the risk list's name.
    pub source: String,
    /// The public fact or listing reason it rests on.
    pub basis: String,
}

/// A partner and the flags on it.
#[derive(Debug, Clone, Serialize)]
pub struct FlaggedPartner {
    /// Entity id.
    pub entity: i64,
    /// Name.
    pub name: String,
    /// Its flags.
    pub flags: Vec<Flag>,
}

/// One hop of a path: two entities and the partnership that ties them.
#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    /// From (name).
    pub from: String,
    /// To (name).
    pub to: String,
    /// The partnership, with its evidence.
    pub tie: TieFact,
}

/// A shortest path from the screened entity to a flagged one.
#[derive(Debug, Clone, Serialize)]
pub struct FlagPath {
    /// The flagged entity (name).
    pub target: String,
    /// Its flags.
    pub flags: Vec<Flag>,
    /// The hops, in order.
    pub hops: Vec<Hop>,
}

/// The screening of one row.
#[derive(Debug, Clone, Serialize)]
pub struct RowReport {
    /// The row as listed.
    pub input: ListRow,
    /// Its resolution.
    pub resolution: Resolution,
    /// Its flags.
    pub flags: Vec<Flag>,
    /// Its partnerships, as known on the date screened.
    pub ties: Vec<TieFact>,
    /// Direct partners with flags.
    pub flagged_partners: Vec<FlaggedPartner>,
    /// Shortest paths to flagged entities, up to the hops asked.
    pub paths: Vec<FlagPath>,
    /// none, low, medium, high or very high.
    pub risk: &'static str,
    /// One sentence saying why.
    pub rationale: String,
}

/// A screening report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The list screened.
    pub list: String,
    /// The date the graph was screened as of, if any.
    pub as_of: Option<String>,
    /// Longest path searched.
    pub hops: usize,
    /// The database it was screened against.
    pub snapshot: Snapshot,
    /// When (UTC).
    pub generated_at: String,
    /// One report per row.
    pub rows: Vec<RowReport>,
}

struct Name {
    key: NameKey,
    text: String,
    who: Who,
}

/// Screens lists against one store and the knowledge base.
pub struct Screener<'a> {
    store: &'a Store,
    kb: &'static Kb,
    opts: Options,
    names: Vec<Name>,
    by_trigram: FxHashMap<[char; 3], Vec<u32>>,
    by_id: FxHashMap<i64, (String, Option<String>, Option<String>)>,
    entity_of_kb: FxHashMap<String, i64>,
    kb_of_id: FxHashMap<String, usize>,
    risk: Vec<RiskEntry>,
    /// Flags on stored entities, and on knowledge-base organisations not stored.
    flags: FxHashMap<i64, Vec<Flag>>,
    kb_flags: FxHashMap<usize, Vec<Flag>>,
    /// Entity → (partner, partnership), as known on the date screened.
    adjacency: FxHashMap<i64, Vec<(i64, i64)>>,
    /// Entity → its partnerships (with or without a named partner).
    partnerships_of: FxHashMap<i64, Vec<i64>>,
    ties: std::cell::RefCell<FxHashMap<i64, Option<TieFact>>>,
}

impl<'a> Screener<'a> {
    /// Loads what screening needs: the names to match, the flags, the graph as of the date.
    pub fn new(store: &'a Store, kb: &'static Kb, opts: Options) -> Result<Self, ScreenError> {
        let mut s = Screener {
            store,
            kb,
            opts,
            names: Vec::new(),
            by_trigram: FxHashMap::default(),
            by_id: FxHashMap::default(),
            entity_of_kb: FxHashMap::default(),
            kb_of_id: FxHashMap::default(),
            risk: store.risk_entries()?,
            flags: FxHashMap::default(),
            kb_flags: FxHashMap::default(),
            adjacency: FxHashMap::default(),
            partnerships_of: FxHashMap::default(),
            ties: Default::default(),
        };
        for (id, name, kb_id, country) in store.organisations()? {
            if let Some(k) = &kb_id {
                s.entity_of_kb.insert(k.clone(), id);
            }
            s.add_name(&name, Who::Entity(id));
            s.by_id.insert(id, (name, kb_id, country));
        }
        for (i, org) in kb.orgs.iter().enumerate() {
            s.kb_of_id.insert(org.id.clone(), i);
            let who = match s.entity_of_kb.get(&org.id) {
                Some(&e) => Who::Entity(e),
                None => Who::KbOrg(i),
            };
            s.add_name(&org.name, who.clone());
            for a in &org.aliases {
                s.add_name(a, who.clone());
            }
            let mut flags = Vec::new();
            for (kind, flag) in [("defence", &org.defence), ("state_owned", &org.state_owned)] {
                if let Some(f) = flag.as_ref().filter(|f| f.value) {
                    flags.push(Flag {
                        kind,
                        source: "knowledge base".into(),
                        basis: f.basis.clone(),
                    });
                }
            }
            if !flags.is_empty() {
                match who {
                    Who::Entity(e) => s.flags.entry(e).or_default().extend(flags),
                    _ => s.kb_flags.entry(i).or_default().extend(flags),
                }
            }
        }
        // a risk list's entry flags what its name resolves to; unresolved, it is a name of
        // its own that a listed row can still match
        for i in 0..s.risk.len() {
            let entry = s.risk[i].clone();
            let row = ListRow {
                line: 0,
                name: entry.name.clone(),
                country: entry.country.clone(),
                id: None,
                aliases: entry.aliases.clone(),
            };
            let flag = Flag {
                kind: "risk_list",
                source: entry.list.clone(),
                basis: entry.reason.clone(),
            };
            let res = s.resolve(&row);
            // the list's names become names of what it resolved to: a row may use them
            let names: Vec<String> = std::iter::once(entry.name.clone())
                .chain(entry.aliases.iter().cloned())
                .collect();
            match res.matched.filter(|_| res.status == "resolved") {
                Some(Candidate {
                    entity: Some(e), ..
                }) => {
                    s.flags.entry(e).or_default().push(flag);
                    for n in &names {
                        s.add_name(n, Who::Entity(e));
                    }
                }
                Some(Candidate { kb_id: Some(k), .. }) if s.kb_of_id.contains_key(&k) => {
                    let ki = s.kb_of_id[&k];
                    s.kb_flags.entry(ki).or_default().push(flag);
                    for n in &names {
                        s.add_name(n, Who::KbOrg(ki));
                    }
                }
                _ => {
                    s.add_name(&entry.name, Who::Risk(i));
                    for a in &entry.aliases {
                        s.add_name(a, Who::Risk(i));
                    }
                }
            }
        }
        // partners: the other parties of each partnership known by the date
        let mut parties: FxHashMap<i64, Vec<i64>> = FxHashMap::default();
        for e in store.edges(s.opts.as_of.as_deref())? {
            parties.entry(e.partnership).or_default().push(e.entity);
        }
        let mut adjacency: FxHashMap<i64, Vec<(i64, i64)>> = FxHashMap::default();
        for (p, ents) in &parties {
            for &a in ents {
                for &b in ents {
                    if a != b {
                        adjacency.entry(a).or_default().push((b, *p));
                    }
                }
            }
        }
        for list in adjacency.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        for (p, ents) in parties {
            for e in ents {
                s.partnerships_of.entry(e).or_default().push(p);
            }
        }
        for list in s.partnerships_of.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        s.adjacency = adjacency;
        Ok(s)
    }

    fn add_name(&mut self, text: &str, who: Who) {
        let key = name_key(text);
        if key.words.is_empty() {
            return;
        }
        let i = self.names.len() as u32;
        for t in trigrams(&key) {
            self.by_trigram.entry(t).or_default().push(i);
        }
        self.names.push(Name {
            key,
            text: text.to_string(),
            who,
        });
    }

    fn candidate(&self, who: &Who, matched: &str, score: f64) -> Candidate {
        match who {
            Who::Entity(e) => {
                let (name, kb_id, country) = self.by_id.get(e).cloned().unwrap_or_default();
                Candidate {
                    name,
                    matched_name: matched.to_string(),
                    score,
                    entity: Some(*e),
                    kb_id,
                    country,
                    risk_list: None,
                }
            }
            Who::KbOrg(i) => {
                let o = &self.kb.orgs[*i];
                Candidate {
                    name: o.name.clone(),
                    matched_name: matched.to_string(),
                    score,
                    entity: None,
                    kb_id: Some(o.id.clone()),
                    country: o.country.map(|c| c.as_str().to_string()),
                    risk_list: None,
                }
            }
            Who::Risk(i) => {
                let r = &self.risk[*i];
                Candidate {
                    name: r.name.clone(),
                    matched_name: matched.to_string(),
                    score,
                    entity: None,
                    kb_id: None,
                    country: r.country.clone(),
                    risk_list: Some(r.list.clone()),
                }
            }
        }
    }

    /// Resolves a row's name (and aliases, and id) to the corpus, the knowledge base or a
    /// risk list.
    pub fn resolve(&self, row: &ListRow) -> Resolution {
        if let Some(id) = &row.id {
            let who = if let Ok(e) = id.trim_start_matches('E').parse::<i64>() {
                self.by_id.contains_key(&e).then_some(Who::Entity(e))
            } else {
                self.entity_of_kb
                    .get(id)
                    .map(|&e| Who::Entity(e))
                    .or_else(|| self.kb_of_id.get(id).map(|&i| Who::KbOrg(i)))
            };
            if let Some(who) = who {
                return Resolution {
                    status: "resolved",
                    matched: Some(self.candidate(&who, id, 1.0)),
                    alternatives: Vec::new(),
                };
            }
        }
        let mut best: FxHashMap<Who, (f64, usize)> = FxHashMap::default();
        for text in std::iter::once(&row.name).chain(&row.aliases) {
            let key = name_key(text);
            if key.words.is_empty() {
                continue;
            }
            let mut shared: FxHashMap<u32, u32> = FxHashMap::default();
            let grams = trigrams(&key);
            for t in &grams {
                if let Some(ids) = self.by_trigram.get(t) {
                    for &i in ids {
                        *shared.entry(i).or_default() += 1;
                    }
                }
            }
            let mut ranked: Vec<(u32, u32)> = shared.into_iter().map(|(i, n)| (n, i)).collect();
            ranked.sort_unstable_by(|a, b| b.cmp(a));
            for &(_, i) in ranked.iter().take(64) {
                let name = &self.names[i as usize];
                let mut score = similarity(&key, &name.key);
                // a list that gives a country rules out namesakes elsewhere
                let country = self.candidate(&name.who, "", 0.0).country;
                if let (Some(want), Some(have)) = (&row.country, &country) {
                    if want != have {
                        score -= 0.1;
                    }
                }
                let e = best.entry(name.who.clone()).or_insert((f64::MIN, 0));
                if score > e.0 {
                    *e = (score, i as usize);
                }
            }
        }
        let mut cands: Vec<Candidate> = best
            .into_iter()
            .filter(|(_, (s, _))| *s >= POSSIBLE)
            .map(|(who, (s, i))| self.candidate(&who, &self.names[i].text, s))
            .collect();
        cands.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.entity.cmp(&b.entity))
                .then(a.name.cmp(&b.name))
        });
        cands.truncate(6);
        let Some(top) = cands.first().cloned() else {
            return Resolution {
                status: "unknown",
                matched: None,
                alternatives: Vec::new(),
            };
        };
        if top.score < MATCH {
            return Resolution {
                status: "possible",
                matched: None,
                alternatives: cands,
            };
        }
        if cands
            .get(1)
            .is_some_and(|c| c.score >= MATCH && top.score - c.score <= TIE_MARGIN)
        {
            return Resolution {
                status: "ambiguous",
                matched: None,
                alternatives: cands,
            };
        }
        Resolution {
            status: "resolved",
            matched: Some(top),
            alternatives: cands.into_iter().skip(1).collect(),
        }
    }

    fn tie(&self, pid: i64) -> Result<Option<TieFact>, ScreenError> {
        if let Some(t) = self.ties.borrow().get(&pid) {
            return Ok(t.clone());
        }
        let t = self.store.tie(pid, self.opts.as_of.as_deref())?;
        self.ties.borrow_mut().insert(pid, t.clone());
        Ok(t)
    }

    fn name_of(&self, e: i64) -> String {
        self.by_id
            .get(&e)
            .map(|x| x.0.clone())
            .unwrap_or_else(|| format!("entity {e}"))
    }

    /// Screens one row.
    pub fn screen_row(&self, row: &ListRow) -> Result<RowReport, ScreenError> {
        let resolution = self.resolve(row);
        let mut flags = Vec::new();
        let mut ties = Vec::new();
        let mut flagged_partners = Vec::new();
        let mut paths = Vec::new();
        if let Some(m) = &resolution.matched {
            if let Some(e) = m.entity {
                flags = self.flags.get(&e).cloned().unwrap_or_default();
                for &pid in self
                    .partnerships_of
                    .get(&e)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                {
                    if let Some(t) = self.tie(pid)? {
                        ties.push(t);
                    }
                }
                for &(partner, _) in self.adjacency.get(&e).map(Vec::as_slice).unwrap_or(&[]) {
                    if let Some(f) = self.flags.get(&partner) {
                        if !flagged_partners
                            .iter()
                            .any(|p: &FlaggedPartner| p.entity == partner)
                        {
                            flagged_partners.push(FlaggedPartner {
                                entity: partner,
                                name: self.name_of(partner),
                                flags: f.clone(),
                            });
                        }
                    }
                }
                ties.sort_by(|a, b| a.date.cmp(&b.date).then(a.partnership.cmp(&b.partnership)));
                paths = self.paths_from(e)?;
            } else if let Some(k) = m.kb_id.as_ref().and_then(|k| self.kb_of_id.get(k)) {
                flags = self.kb_flags.get(k).cloned().unwrap_or_default();
            } else if let Some(list) = &m.risk_list {
                if let Some(r) = self
                    .risk
                    .iter()
                    .find(|r| &r.list == list && r.name == m.name)
                {
                    flags.push(Flag {
                        kind: "risk_list",
                        source: r.list.clone(),
                        basis: r.reason.clone(),
                    });
                }
            }
        }
        let found = Found {
            flags: &flags,
            ties: &ties,
            partners: &flagged_partners,
            paths: &paths,
        };
        let (risk, rationale) = assess(row, &resolution, &found, self.opts.hops);
        Ok(RowReport {
            input: row.clone(),
            resolution,
            flags,
            ties,
            flagged_partners,
            paths,
            risk,
            rationale,
        })
    }

    /// Breadth-first from `start` up to the hops asked: the first path found to each
    /// flagged entity is a shortest one.
    fn paths_from(&self, start: i64) -> Result<Vec<FlagPath>, ScreenError> {
        let mut prev: FxHashMap<i64, (i64, i64)> = FxHashMap::default();
        let mut depth: FxHashMap<i64, usize> = FxHashMap::default();
        depth.insert(start, 0);
        let mut queue = VecDeque::from([start]);
        let mut found = Vec::new();
        while let Some(n) = queue.pop_front() {
            let d = depth[&n];
            if n != start && self.flags.contains_key(&n) {
                found.push(n);
            }
            if d >= self.opts.hops {
                continue;
            }
            for &(m, pid) in self.adjacency.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
                if let std::collections::hash_map::Entry::Vacant(v) = depth.entry(m) {
                    v.insert(d + 1);
                    prev.insert(m, (n, pid));
                    queue.push_back(m);
                }
            }
        }
        let mut out = Vec::new();
        for target in found {
            let mut hops = Vec::new();
            let mut at = target;
            while let Some(&(from, pid)) = prev.get(&at) {
                if let Some(tie) = self.tie(pid)? {
                    hops.push(Hop {
                        from: self.name_of(from),
                        to: self.name_of(at),
                        tie,
                    });
                }
                at = from;
            }
            hops.reverse();
            out.push(FlagPath {
                target: self.name_of(target),
                flags: self.flags[&target].clone(),
                hops,
            });
        }
        out.sort_by_key(|p| p.hops.len());
        Ok(out)
    }

    /// Screens a whole list.
    pub fn screen(&self, list: &str, rows: &[ListRow]) -> Result<Report, ScreenError> {
        Ok(Report {
            list: list.to_string(),
            as_of: self.opts.as_of.clone(),
            hops: self.opts.hops,
            snapshot: self.store.snapshot()?,
            generated_at: self.store.now()?,
            rows: rows
                .iter()
                .map(|r| self.screen_row(r))
                .collect::<Result<_, _>>()?,
        })
    }
}

fn describe(f: &Flag) -> String {
    match f.kind {
        "risk_list" => format!("on the risk list {} ({})", f.source, f.basis),
        "defence" => "in the defence sector".to_string(),
        _ => "state-owned".to_string(),
    }
}

/// What screening found about one resolved row.
struct Found<'a> {
    flags: &'a [Flag],
    ties: &'a [TieFact],
    partners: &'a [FlaggedPartner],
    paths: &'a [FlagPath],
}

/// The risk level and the sentence that says why.
fn assess(row: &ListRow, res: &Resolution, found: &Found, hops: usize) -> (&'static str, String) {
    let Found {
        flags,
        ties,
        partners,
        paths,
    } = *found;
    let name = res
        .matched
        .as_ref()
        .map_or(row.name.as_str(), |m| m.name.as_str());
    let has = |fs: &[Flag], k: &str| fs.iter().any(|f| f.kind == k);
    let cite = |t: &TieFact| {
        let kind = t.kind.replace('_', " ");
        let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!(
            "{article} {kind} partnership ({}{}, partnership {})",
            t.date.as_deref().unwrap_or("undated"),
            t.published
                .as_deref()
                .map(|p| format!(", reported {p}"))
                .unwrap_or_default(),
            t.partnership
        )
    };
    let tie_with = |entity: i64| {
        ties.iter()
            .find(|t| t.parties.iter().any(|p| p.entity == Some(entity)))
    };
    match res.status {
        "unknown" => {
            return (
                "none",
                format!(
                    "{} was found neither in the corpus nor in the knowledge base.",
                    row.name
                ),
            )
        }
        "ambiguous" => {
            return (
                "none",
                format!(
                    "{} matches {} equally well; name one by id to screen it.",
                    row.name,
                    res.alternatives
                        .iter()
                        .take(3)
                        .map(|c| c.name.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        }
        "possible" => {
            return (
                "none",
                format!(
                    "{} is not a confident match; the closest is {}.",
                    row.name,
                    res.alternatives
                        .first()
                        .map_or("nothing", |c| c.name.as_str())
                ),
            )
        }
        _ => {}
    }
    if let Some(f) = flags.iter().find(|f| f.kind == "risk_list") {
        return ("very high", format!("{name} is itself {}.", describe(f)));
    }
    if let Some(p) = partners.iter().find(|p| has(&p.flags, "risk_list")) {
        let f = p.flags.iter().find(|f| f.kind == "risk_list").cloned();
        let via = tie_with(p.entity)
            .map(|t| format!(" through {}", cite(t)))
            .unwrap_or_default();
        return (
            "very high",
            format!(
                "{name} is tied directly to {}{via}, which is {}.",
                p.name,
                f.map_or(String::new(), |f| describe(&f))
            ),
        );
    }
    if has(flags, "defence") {
        return (
            "high",
            format!("{name} is itself in the defence sector according to the knowledge base."),
        );
    }
    if let Some(p) = partners.iter().find(|p| has(&p.flags, "defence")) {
        let via = tie_with(p.entity)
            .map(|t| format!(" through {}", cite(t)))
            .unwrap_or_default();
        return (
            "high",
            format!(
                "{name} is tied directly to {}{via}, which is in the defence sector.",
                p.name
            ),
        );
    }
    if let Some(p) = paths.iter().find(|p| has(&p.flags, "risk_list")) {
        return (
            "high",
            format!(
                "{name} is {} partnerships away from {}, which is {}.",
                p.hops.len(),
                p.target,
                p.flags
                    .iter()
                    .find(|f| f.kind == "risk_list")
                    .map_or(String::new(), describe)
            ),
        );
    }
    if let Some(p) = paths.iter().find(|p| has(&p.flags, "defence")) {
        return (
            "medium",
            format!(
                "{name} is {} partnerships away from {}, which is in the defence sector.",
                p.hops.len(),
                p.target
            ),
        );
    }
    if let Some(p) = partners.iter().find(|p| has(&p.flags, "state_owned")) {
        let via = tie_with(p.entity)
            .map(|t| format!(" through {}", cite(t)))
            .unwrap_or_default();
        return (
            "medium",
            format!(
                "{name} is tied directly to {}{via}, which is state-owned.",
                p.name
            ),
        );
    }
    let cross_border = ties.iter().filter(|t| t.countries.len() >= 2).count();
    if has(flags, "state_owned") {
        return (
            if cross_border > 0 { "medium" } else { "low" },
            format!(
                "{name} is state-owned and has {cross_border} cross-border partnerships on record."
            ),
        );
    }
    if cross_border > 0 {
        return (
            "low",
            format!(
                "{name} has {cross_border} cross-border partnerships on record (the first: {}) and no flagged partner within {} hops.",
                ties.iter().find(|t| t.countries.len() >= 2).map_or(String::new(), cite),
                hops
            ),
        );
    }
    (
        "none",
        format!("{name} has no cross-border partnerships on record and no flags."),
    )
}
