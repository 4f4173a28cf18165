//! Country-pair briefs: what the corpus says about two countries' technology cooperation, in
//! sentences that each cite the partnerships they rest on ([P12]) and a numbered source list.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use techties_store::{PartnershipView, Query, Store};

use crate::{export::partnerships, Result};

/// A brief's inputs.
#[derive(Debug, Clone)]
pub struct BriefSpec {
    /// First country (ISO code).
    pub a: String,
    /// Second country.
    pub b: String,
    /// Only partnerships dated (or first reported) from this year.
    pub since: Option<i32>,
}

/// A source of a brief: (url or path, title, publisher, publication date).
pub type Source = (String, Option<String>, Option<String>, Option<String>);

/// The facts of a brief, before rendering.
#[derive(Debug, Clone)]
pub struct Brief {
    /// The spec.
    pub spec: BriefSpec,
    /// The partnerships, most corroborated first.
    pub partnerships: Vec<PartnershipView>,
    /// Sources, numbered from 1 in this order.
    pub sources: Vec<Source>,
    /// Parties that are countries (governments), left out of the organisation ranking.
    pub country_entities: std::collections::BTreeSet<i64>,
    /// Their names.
    pub country_names: std::collections::BTreeSet<String>,
}

fn year(p: &PartnershipView) -> Option<i32> {
    p.row
        .date
        .as_deref()
        .or(p.row.first_seen.as_deref())
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok())
}

fn cite(ids: &[i64]) -> String {
    let shown: Vec<String> = ids.iter().take(6).map(|i| format!("P{i}")).collect();
    let more = if ids.len() > 6 {
        format!(" +{}", ids.len() - 6)
    } else {
        String::new()
    };
    format!("[{}{more}]", shown.join(", "))
}

impl Brief {
    /// Gathers the partnerships between the two countries.
    pub fn gather(store: &Store, spec: BriefSpec) -> Result<Brief> {
        let q = Query {
            pair: Some((spec.a.clone(), spec.b.clone())),
            since: spec.since.map(|y| y.to_string()),
            ..Query::default()
        };
        let partnerships = partnerships(store, &q)?;
        let mut sources = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for p in &partnerships {
            for e in &p.reports {
                if seen.insert(e.source.clone()) {
                    sources.push((
                        e.source.clone(),
                        e.title.clone(),
                        e.publisher.clone(),
                        e.published.clone(),
                    ));
                }
            }
        }
        let mut country_entities = std::collections::BTreeSet::new();
        let mut country_names = std::collections::BTreeSet::new();
        for p in &partnerships {
            for e in p.row.parties.iter().filter_map(|x| x.entity) {
                if country_entities.contains(&e) {
                    continue;
                }
                let row = store.entity_row(e)?;
                if row.kind == "country" {
                    country_entities.insert(e);
                    country_names.insert(row.name);
                }
            }
        }
        Ok(Brief {
            spec,
            partnerships,
            sources,
            country_entities,
            country_names,
        })
    }

    fn source_numbers(&self, p: &PartnershipView) -> Vec<usize> {
        let mut n: Vec<usize> = p
            .reports
            .iter()
            .filter_map(|e| self.sources.iter().position(|s| s.0 == e.source))
            .map(|i| i + 1)
            .collect();
        n.sort_unstable();
        n.dedup();
        n
    }

    fn group<K: Ord>(&self, key: impl Fn(&PartnershipView) -> Vec<K>) -> BTreeMap<K, Vec<i64>> {
        let mut m: BTreeMap<K, Vec<i64>> = BTreeMap::new();
        for p in &self.partnerships {
            for k in key(p) {
                m.entry(k).or_default().push(p.row.id);
            }
        }
        m
    }

    /// Counts per year, for the trend chart.
    pub fn by_year(&self) -> BTreeMap<i32, Vec<i64>> {
        self.group(|p| year(p).into_iter().collect())
    }

    /// The brief in Markdown, the trend chart embedded as an SVG image.
    pub fn to_markdown(&self) -> String {
        self.markdown(true)
    }

    fn markdown(&self, embed_chart: bool) -> String {
        let (a, b) = (&self.spec.a, &self.spec.b);
        let mut s = String::new();
        let _ = writeln!(s, "# Technology partnerships: {a}–{b}\n");
        let since = self
            .spec
            .since
            .map(|y| format!(" since {y}"))
            .unwrap_or_default();
        let all: Vec<i64> = self.partnerships.iter().map(|p| p.row.id).collect();
        if all.is_empty() {
            let _ = writeln!(
                s,
                "The corpus holds no partnership between {a} and {b}{since}; this brief therefore makes no claim.\n"
            );
            return s;
        }
        let _ = writeln!(
            s,
            "The corpus records {} partnership{} between {a} and {b}{since}, reported in {} source{} {}.\n",
            all.len(),
            if all.len() == 1 { "" } else { "s" },
            self.sources.len(),
            if self.sources.len() == 1 { "" } else { "s" },
            cite(&all)
        );
        let _ = writeln!(s, "## By domain\n");
        let mut domains: Vec<(String, Vec<i64>)> =
            self.group(|p| p.row.domains.clone()).into_iter().collect();
        domains.sort_by(|x, y| y.1.len().cmp(&x.1.len()).then(x.0.cmp(&y.0)));
        for (d, ids) in &domains {
            let _ = writeln!(s, "- {d}: {} partnership(s) {}.", ids.len(), cite(ids));
        }
        let _ = writeln!(s, "\n## By type\n");
        let mut types: Vec<(String, Vec<i64>)> = self
            .group(|p| vec![p.row.kind.clone()])
            .into_iter()
            .collect();
        types.sort_by(|x, y| y.1.len().cmp(&x.1.len()).then(x.0.cmp(&y.0)));
        for (t, ids) in &types {
            let _ = writeln!(s, "- {t}: {} partnership(s) {}.", ids.len(), cite(ids));
        }
        let years = self.by_year();
        if !years.is_empty() {
            let _ = writeln!(s, "\n## Trend by year\n");
            if embed_chart {
                let _ = writeln!(
                    s,
                    "![Partnerships per year](data:image/svg+xml;base64,{})\n",
                    base64(self.trend_svg().as_bytes())
                );
            }
            for (y, ids) in &years {
                let _ = writeln!(s, "- {y}: {} partnership(s) {}.", ids.len(), cite(ids));
            }
            let undated: Vec<i64> = self
                .partnerships
                .iter()
                .filter(|p| year(p).is_none())
                .map(|p| p.row.id)
                .collect();
            if !undated.is_empty() {
                let _ = writeln!(
                    s,
                    "- undated: {} partnership(s) {}.",
                    undated.len(),
                    cite(&undated)
                );
            }
        }
        let _ = writeln!(s, "\n## Most connected organisations\n");
        let mut orgs: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for p in &self.partnerships {
            for x in &p.row.parties {
                // countries are the subject of the brief, not its organisations (a party the
                // text only describes, "the two countries", carries the country's name)
                let country = x.entity.is_some_and(|e| self.country_entities.contains(&e))
                    || self.country_names.contains(&x.name);
                if !country {
                    orgs.entry(match &x.country {
                        Some(c) => format!("{} ({c})", x.name),
                        None => x.name.clone(),
                    })
                    .or_default()
                    .push(p.row.id);
                }
            }
        }
        let mut orgs: Vec<(String, Vec<i64>)> = orgs.into_iter().collect();
        orgs.sort_by(|x, y| y.1.len().cmp(&x.1.len()).then(x.0.cmp(&y.0)));
        for (o, ids) in orgs.iter().take(10) {
            let _ = writeln!(
                s,
                "- {o} is a party to {} partnership(s) {}.",
                ids.len(),
                cite(ids)
            );
        }
        let mut places: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for p in &self.partnerships {
            let mut seen = std::collections::BTreeSet::new();
            for e in &p.reports {
                for pl in e.places.as_array().into_iter().flatten() {
                    if let Some(n) = pl["name"].as_str() {
                        if seen.insert(n.to_string()) {
                            places.entry(n.to_string()).or_default().push(p.row.id);
                        }
                    }
                }
            }
        }
        if !places.is_empty() {
            let _ = writeln!(s, "\n## Places\n");
            let mut places: Vec<(String, Vec<i64>)> = places.into_iter().collect();
            places.sort_by(|x, y| y.1.len().cmp(&x.1.len()).then(x.0.cmp(&y.0)));
            for (pl, ids) in places.iter().take(10) {
                let _ = writeln!(
                    s,
                    "- {pl} is the site of {} partnership(s) {}.",
                    ids.len(),
                    cite(ids)
                );
            }
        }
        let _ = writeln!(s, "\n## Notable partnerships\n");
        for p in self.partnerships.iter().take(12) {
            let parties: Vec<&str> = p.row.parties.iter().map(|x| x.name.as_str()).collect();
            let srcs: Vec<String> = self
                .source_numbers(p)
                .iter()
                .map(|n| format!("[{n}]"))
                .collect();
            let _ = writeln!(
                s,
                "- **[P{}]** {} ({}, {}): {} — “{}” {}",
                p.row.id,
                p.row.kind,
                p.row.date.as_deref().unwrap_or("undated"),
                p.row.status,
                parties.join(", "),
                p.reports
                    .first()
                    .map(|e| e.sentence.split_whitespace().collect::<Vec<_>>().join(" "))
                    .unwrap_or_default(),
                srcs.join("")
            );
        }
        let _ = writeln!(s, "\n## Sources\n");
        for (i, (src, title, publisher, date)) in self.sources.iter().enumerate() {
            let _ = writeln!(
                s,
                "{}. {}{}{} <{}>",
                i + 1,
                title.as_deref().unwrap_or("(untitled)"),
                publisher
                    .as_deref()
                    .map(|p| format!(", {p}"))
                    .unwrap_or_default(),
                date.as_deref()
                    .map(|d| format!(", {d}"))
                    .unwrap_or_default(),
                src
            );
        }
        s
    }

    /// The trend chart: partnerships per year, as a self-contained SVG bar chart.
    pub fn trend_svg(&self) -> String {
        let years = self.by_year();
        let (w, h, pad) = (560.0_f64, 180.0_f64, 28.0_f64);
        let mut s = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="Partnerships per year">"#
        );
        if let (Some(first), Some(last)) = (years.keys().next(), years.keys().last()) {
            let n = (last - first + 1).max(1) as f64;
            let max = years.values().map(Vec::len).max().unwrap_or(1).max(1) as f64;
            let bw = (w - 2.0 * pad) / n;
            for (y, ids) in &years {
                let x = pad + (y - first) as f64 * bw;
                let bh = (h - 2.0 * pad) * ids.len() as f64 / max;
                let _ = write!(
                    s,
                    r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#3b6ea5"><title>{y}: {} {}</title></rect><text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle">{y}</text><text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle">{}</text>"##,
                    x + 1.0,
                    h - pad - bh,
                    (bw - 2.0).max(1.0),
                    bh,
                    ids.len(),
                    cite(ids),
                    x + bw / 2.0,
                    h - pad + 14.0,
                    x + bw / 2.0,
                    h - pad - bh - 4.0,
                    ids.len()
                );
            }
        }
        s.push_str("</svg>");
        s
    }

    /// The brief as a standalone HTML page (escaped; the chart inline).
    pub fn to_html(&self) -> String {
        let md = self.markdown(false);
        let mut body = String::new();
        let mut in_list = false;
        for line in md.lines() {
            let esc = html_escape(line);
            let esc = bold(&esc);
            if let Some(h) = line.strip_prefix("# ") {
                body.push_str(&format!("<h1>{}</h1>\n", html_escape(h)));
            } else if let Some(h) = line.strip_prefix("## ") {
                if in_list {
                    body.push_str("</ul>\n");
                    in_list = false;
                }
                body.push_str(&format!("<h2>{}</h2>\n", html_escape(h)));
                if h.starts_with("Trend") {
                    body.push_str(&self.trend_svg());
                    body.push('\n');
                }
            } else if line.starts_with("- ")
                || line.chars().next().is_some_and(|c| c.is_ascii_digit())
            {
                if !in_list {
                    body.push_str("<ul>\n");
                    in_list = true;
                }
                body.push_str(&format!("<li>{}</li>\n", esc.trim_start_matches("- ")));
            } else if !line.trim().is_empty() {
                body.push_str(&format!("<p>{esc}</p>\n"));
            }
        }
        if in_list {
            body.push_str("</ul>\n");
        }
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Brief {}–{}</title>\
             <style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.45}}li{{margin:.3rem 0}}</style></head>\
             <body>\n{body}</body></html>\n",
            html_escape(&self.spec.a),
            html_escape(&self.spec.b)
        )
    }
}

/// Escapes text for HTML.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn bold(s: &str) -> String {
    let mut out = String::new();
    let mut parts = s.split("**");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, p) in parts.enumerate() {
        out.push_str(if i % 2 == 0 { "<b>" } else { "</b>" });
        out.push_str(p);
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"<svg/>"), "PHN2Zy8+");
    }
}
