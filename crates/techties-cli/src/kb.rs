//! `techties kb lookup|stats|check`.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use techties_kb::{check, AliasKind, Candidate, Kb, Severity};

use crate::KbCommand;

/// Appends a line to the report; the report is printed whole at the end, so a closed pipe
/// (`| head`) ends the command quietly instead of panicking half-way.
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

pub(crate) fn run(cmd: KbCommand) -> Result<ExitCode> {
    let mut out = String::new();
    let code = report(cmd, &mut out)?;
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(code)
}

fn report(cmd: KbCommand, out: &mut String) -> Result<ExitCode> {
    let t0 = Instant::now();
    let kb = Kb::embedded();
    let load = t0.elapsed();
    match cmd {
        KbCommand::Lookup { name } => {
            let key = techties_text::key_of(&name);
            let cands = kb.lookup(&key);
            if cands.is_empty() {
                outln!(out, "no candidates for {name:?}");
                return Ok(ExitCode::from(1));
            }
            // rank as the linker does without context: countries, organisations, then places
            // by kind and population
            let mut rows: Vec<(f64, String)> = cands
                .iter()
                .map(|c| match c {
                    Candidate::Country {
                        idx,
                        kind,
                        ambiguous,
                    } => {
                        let r = &kb.countries[*idx];
                        let how = match kind {
                            AliasKind::Name => "name",
                            AliasKind::Demonym => "demonym",
                            AliasKind::Prefix => "prefix (before a hyphen)",
                            AliasKind::Capital => "capital or seat (government when an actor)",
                        };
                        let score = if *ambiguous { 0.5 } else { 1.0 };
                        (
                            score + 2.0,
                            format!(
                                "country:{}\tcountry\t{}\t{}\t{how}{}",
                                r.code,
                                r.name,
                                r.code,
                                if *ambiguous { ", ambiguous" } else { "" }
                            ),
                        )
                    }
                    Candidate::Org(i) => {
                        let o = &kb.orgs[*i];
                        let flags = [("state-owned", &o.state_owned), ("defence", &o.defence)]
                            .iter()
                            .filter(|(_, f)| f.as_ref().is_some_and(|f| f.value))
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(",");
                        (
                            1.5,
                            format!(
                                "{}\torganization/{}\t{}\t{}\t{}",
                                o.id,
                                o.subkind.as_str(),
                                o.name,
                                o.country.map(|c| c.to_string()).unwrap_or_default(),
                                flags
                            ),
                        )
                    }
                    Candidate::Ror {
                        idx,
                        generic,
                        acronym,
                    } => {
                        let Some(o) = kb.ror(*idx) else {
                            return (0.0, format!("ror row {idx} unreadable"));
                        };
                        let mut notes = vec!["ROR".to_string()];
                        if !o.city.is_empty() {
                            notes.push(o.city.clone());
                        }
                        if *generic {
                            notes.push("generic name: needs its country in the text".into());
                        }
                        if *acronym {
                            notes.push("acronym: needs a definition or a single holder".into());
                        }
                        (
                            if *generic || *acronym { 1.0 } else { 1.2 },
                            format!(
                                "{}	organization/{}	{}	{}	{}",
                                o.id,
                                o.subkind.as_str(),
                                o.name,
                                o.country.map(|c| c.to_string()).unwrap_or_default(),
                                notes.join(", ")
                            ),
                        )
                    }
                    Candidate::Place(i) => {
                        let p = &kb.places[*i];
                        let kind = p.kind.as_str();
                        let score = (p.population as f64).max(1.0).log10() / 10.0;
                        let coords = match (p.lat, p.lon) {
                            (Some(a), Some(b)) => format!("{a:.4},{b:.4}"),
                            _ => "-".into(),
                        };
                        (
                            score,
                            format!(
                                "{}\tplace/{kind}\t{}\t{}\tpop {} at {coords}",
                                p.id,
                                p.name,
                                p.country.map(|c| c.to_string()).unwrap_or_default(),
                                p.population
                            ),
                        )
                    }
                })
                .collect();
            rows.sort_by(|a, b| b.0.total_cmp(&a.0));
            outln!(out, "id\tkind\tname\tcountry\tnotes\tscore");
            for (score, row) in rows {
                outln!(out, "{row}\t{score:.2}");
            }
        }
        KbCommand::Stats => {
            outln!(
                out,
                "loaded in {:.0} ms; {} aliases indexed",
                load.as_secs_f64() * 1000.0,
                kb.alias_count()
            );
            outln!(out, "countries\t{}", kb.countries.len());
            let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
            for p in &kb.places {
                *kinds.entry(p.kind.as_str()).or_default() += 1;
            }
            outln!(
                out,
                "places\t{}\t{}",
                kb.places.len(),
                kinds
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let mut sub: BTreeMap<&str, usize> = BTreeMap::new();
            let mut by_country: BTreeMap<String, usize> = BTreeMap::new();
            let (mut state, mut defence) = (0, 0);
            for o in &kb.orgs {
                *sub.entry(o.subkind.as_str()).or_default() += 1;
                *by_country
                    .entry(
                        o.country
                            .map(|c| c.to_string())
                            .unwrap_or_else(|| "--".into()),
                    )
                    .or_default() += 1;
                state += usize::from(o.state_owned.as_ref().is_some_and(|f| f.value));
                defence += usize::from(o.defence.as_ref().is_some_and(|f| f.value));
            }
            outln!(
                out,
                "organisations\t{}\t{}",
                kb.orgs.len(),
                sub.iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            outln!(out, "  state-owned\t{state}\n  defence\t{defence}");
            outln!(
                out,
                "ROR organisations\t{} (Research Organization Registry, CC0; data/kb/ror.tsv)",
                kb.ror_len()
            );
            outln!(
                out,
                "organisations in all\t{}",
                kb.orgs.len() + kb.ror_len()
            );
            let mut top: Vec<(String, usize)> = by_country.into_iter().collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            outln!(
                out,
                "organisations by country\t{}",
                top.iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let mut places_by: BTreeMap<String, usize> = BTreeMap::new();
            for p in &kb.places {
                *places_by
                    .entry(
                        p.country
                            .map(|c| c.to_string())
                            .unwrap_or_else(|| "--".into()),
                    )
                    .or_default() += 1;
            }
            let mut top: Vec<(String, usize)> = places_by.into_iter().collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            outln!(
                out,
                "places by country (top 15)\t{}",
                top.iter()
                    .take(15)
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        KbCommand::Check => {
            let problems = check(kb);
            let errors = problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .count();
            for p in &problems {
                let level = if p.severity == Severity::Error {
                    "error"
                } else {
                    "warning"
                };
                outln!(out, "{level}: data/kb/{}: {}", p.file, p.message);
            }
            outln!(
                out,
                "{} error(s), {} warning(s)",
                errors,
                problems.len() - errors
            );
            if errors > 0 {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
