//! Validation of the knowledge-base data: what `techties kb check` reports.

use std::collections::{HashMap, HashSet};

use crate::data::{Candidate, Kb};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth a look (an alias shared by two entries, resolved in context).
    Warning,
    /// The data is wrong (duplicate id, flag without basis, unknown parent).
    Error,
}

/// One problem found in the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The data file.
    pub file: &'static str,
    /// What is wrong, naming the entries.
    pub message: String,
}

/// Checks the knowledge base: duplicate ids, organisation aliases that collide with other
/// organisations or with countries, flags without a basis, parents that do not exist.
pub fn check(kb: &Kb) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut err = |severity, file, message: String| {
        out.push(Problem {
            severity,
            file,
            message,
        })
    };
    let mut seen = HashSet::new();
    for p in &kb.places {
        if !seen.insert(p.id.as_str()) {
            err(
                Severity::Error,
                "places.tsv",
                format!("duplicate id {}", p.id),
            );
        }
    }
    let mut org_ids = HashSet::new();
    for o in &kb.orgs {
        if !org_ids.insert(o.id.as_str()) {
            err(
                Severity::Error,
                "orgs.tsv",
                format!("duplicate id {}", o.id),
            );
        }
    }
    let mut by_alias: HashMap<String, Vec<&str>> = HashMap::new();
    for o in &kb.orgs {
        for (name, f) in [("state_owned", &o.state_owned), ("defence", &o.defence)] {
            if let Some(flag) = f {
                if flag.value && flag.basis.is_empty() {
                    err(
                        Severity::Error,
                        "orgs.tsv",
                        format!("{}: {name} set without a basis", o.id),
                    );
                }
            }
        }
        if let Some(p) = &o.parent {
            if !org_ids.contains(p.as_str()) {
                err(
                    Severity::Error,
                    "orgs.tsv",
                    format!("{}: parent {p} is not in the file", o.id),
                );
            } else if p == &o.id {
                err(
                    Severity::Error,
                    "orgs.tsv",
                    format!("{}: is its own parent", o.id),
                );
            }
        }
        for a in std::iter::once(&o.name).chain(&o.aliases) {
            let key = techties_text::key_of(a);
            let ids = by_alias.entry(key.clone()).or_default();
            if !ids.contains(&o.id.as_str()) {
                ids.push(&o.id);
            }
            if kb
                .lookup(&key)
                .iter()
                .any(|c| matches!(c, Candidate::Country { .. }))
            {
                err(
                    Severity::Warning,
                    "orgs.tsv",
                    format!("{}: alias {a:?} is also a country name", o.id),
                );
            }
        }
    }
    let mut shared: Vec<(String, Vec<&str>)> = by_alias
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .collect();
    shared.sort();
    for (alias, ids) in shared {
        err(
            Severity::Error,
            "orgs.tsv",
            format!("alias {alias:?} names {}", ids.join(", ")),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_data_has_no_errors() {
        let problems: Vec<Problem> = check(Kb::embedded())
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
