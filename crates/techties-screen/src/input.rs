//! Reading what analysts hand techties: the list to screen (CSV with a `name` column, or one
//! name per line) and risk lists (CSV, or FollowTheMoney JSON lines as OpenSanctions
//! publishes them). Every error names the file and the line.

use serde::Serialize;
use techties_store::RiskEntry;

use crate::ScreenError;

/// One row of a list to screen.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ListRow {
    /// 1-based line of the file.
    pub line: usize,
    /// Name as written.
    pub name: String,
    /// Country code, if the list gives one.
    pub country: Option<String>,
    /// An id the list gives: a knowledge-base id (`org:huawei`) or a stored entity id.
    pub id: Option<String>,
    /// Other names the list gives.
    pub aliases: Vec<String>,
}

fn bad(file: &str, line: usize, reason: impl Into<String>) -> ScreenError {
    ScreenError::Input {
        file: file.to_string(),
        line,
        reason: reason.into(),
    }
}

fn text_of<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, ScreenError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        bad(file, line, "not UTF-8 text")
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

fn split_aliases(s: &str) -> Vec<String> {
    s.split(['|', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
}

fn country_of(file: &str, line: usize, s: &str) -> Result<Option<String>, ScreenError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(Some(s.to_ascii_uppercase()))
    } else {
        Err(bad(
            file,
            line,
            format!("country {s:?} is not a two-letter code"),
        ))
    }
}

/// Reads a list to screen: a CSV file whose header has a `name` column (and optionally
/// `country`, `id`, `aliases`), or a text file of one name per line (`#` comments).
pub fn parse_list(file: &str, bytes: &[u8]) -> Result<Vec<ListRow>, ScreenError> {
    let text = text_of(file, bytes)?;
    let first = text.lines().next().unwrap_or("");
    let is_csv = first
        .split(',')
        .any(|h| h.trim().trim_matches('"').eq_ignore_ascii_case("name"));
    let mut rows = Vec::new();
    if is_csv {
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = r
            .headers()
            .map_err(|e| bad(file, 1, e.to_string()))?
            .clone();
        let col = |n: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(n))
        };
        let (name, country, id, aliases) = (col("name"), col("country"), col("id"), col("aliases"));
        let name = name.ok_or_else(|| bad(file, 1, "no name column"))?;
        for rec in r.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                bad(file, line, e.to_string())
            })?;
            let line = rec.position().map_or(0, |p| p.line() as usize);
            let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").trim();
            if get(Some(name)).is_empty() {
                if rec.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                return Err(bad(file, line, "empty name"));
            }
            rows.push(ListRow {
                line,
                name: get(Some(name)).to_string(),
                country: country_of(file, line, get(country))?,
                id: Some(get(id).to_string()).filter(|s| !s.is_empty()),
                aliases: split_aliases(get(aliases)),
            });
        }
    } else {
        for (i, l) in text.lines().enumerate() {
            let l = l.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            rows.push(ListRow {
                line: i + 1,
                name: l.to_string(),
                country: None,
                id: None,
                aliases: Vec::new(),
            });
        }
    }
    if rows.is_empty() {
        return Err(bad(file, 1, "no names to screen"));
    }
    Ok(rows)
}

/// Reads a risk list: FollowTheMoney JSON lines (when the first non-blank character is `{`;
/// entities of schema Organization, Company, LegalEntity, PublicBody or Person-free others
/// that carry a name) or CSV with columns `name`, `country`, `aliases`, `reason`. Returns the
/// format (`ftm` or `csv`) and the entries.
pub fn parse_risk_list(
    file: &str,
    bytes: &[u8],
    list: &str,
) -> Result<(&'static str, Vec<RiskEntry>), ScreenError> {
    let text = text_of(file, bytes)?;
    if text.trim_start().starts_with('{') {
        let mut out = Vec::new();
        for (i, l) in text.lines().enumerate() {
            if l.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(l)
                .map_err(|e| bad(file, i + 1, format!("not a JSON object: {e}")))?;
            let schema = v["schema"].as_str().unwrap_or("");
            if schema == "Person" {
                // techties screens institutions; people on a list are not matched
                continue;
            }
            let props = &v["properties"];
            let strings = |k: &str| -> Vec<String> {
                props[k]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let names = strings("name");
            let Some(name) = names.first().cloned() else {
                continue;
            };
            let mut aliases: Vec<String> = names[1..].to_vec();
            aliases.extend(strings("alias"));
            aliases.extend(strings("weakAlias"));
            aliases.extend(strings("previousName"));
            let country = strings("country")
                .into_iter()
                .chain(strings("jurisdiction"))
                .find(|c| c.len() == 2)
                .map(|c| c.to_ascii_uppercase());
            let mut reason: Vec<String> = strings("topics");
            reason.extend(strings("program"));
            reason.extend(strings("notes").into_iter().take(1));
            out.push(RiskEntry {
                list: list.to_string(),
                name,
                country,
                aliases,
                reason: if reason.is_empty() {
                    format!("listed ({schema})")
                } else {
                    reason.join("; ")
                },
                reference: v["id"].as_str().map(str::to_string),
            });
        }
        if out.is_empty() {
            return Err(bad(file, 1, "no organisations in this FollowTheMoney file"));
        }
        return Ok(("ftm", out));
    }
    let rows = parse_list(file, bytes)?;
    // the reason column: read again, as parse_list keeps only what screening needs
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = r
        .headers()
        .map_err(|e| bad(file, 1, e.to_string()))?
        .clone();
    let reason_col = headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case("reason"));
    let mut reasons = std::collections::HashMap::new();
    for rec in r.records().flatten() {
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let reason = reason_col
            .and_then(|i| rec.get(i))
            .unwrap_or("")
            .trim()
            .to_string();
        reasons.insert(line, reason);
    }
    Ok((
        "csv",
        rows.into_iter()
            .map(|row| RiskEntry {
                list: list.to_string(),
                reason: reasons
                    .get(&row.line)
                    .filter(|r| !r.is_empty())
                    .cloned()
                    .unwrap_or_else(|| format!("on the list {list}")),
                name: row.name,
                country: row.country,
                aliases: row.aliases,
                reference: row.id,
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_text_lists() {
        let rows = parse_list(
            "l.csv",
            "name,country,aliases\n\"Huawei Technologies Co., Ltd.\",CN,华为\nRostec,ru,\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Huawei Technologies Co., Ltd.");
        assert_eq!(rows[0].aliases, ["华为"]);
        assert_eq!(rows[1].country.as_deref(), Some("RU"));
        assert_eq!(rows[1].line, 3);
        let rows = parse_list("l.txt", b"# partners\nHuawei\n\nTsinghua University\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn bad_lists_name_the_file_and_line() {
        let e = parse_list("l.csv", b"name,country\nX,Russia\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "l.csv, line 2: country \"Russia\" is not a two-letter code"
        );
        assert!(parse_list("l.txt", b"\xff\xfe")
            .unwrap_err()
            .to_string()
            .contains("UTF-8"));
        assert!(parse_list("l.txt", b"# nothing\n").is_err());
    }

    #[test]
    fn followthemoney_entities_become_entries() {
        let ftm = r#"{"id":"NK-1","schema":"Company","properties":{"name":["Joint Stock Company Concern Radio-Electronic Technologies"],"alias":["KRET"],"country":["ru"],"topics":["sanction"]}}
{"id":"NK-2","schema":"Person","properties":{"name":["Somebody"]}}
"#;
        let (format, entries) = parse_risk_list("s.jsonl", ftm.as_bytes(), "demo").unwrap();
        assert_eq!(format, "ftm");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].aliases, ["KRET"]);
        assert_eq!(entries[0].country.as_deref(), Some("RU"));
        assert_eq!(entries[0].reason, "sanction");
        assert_eq!(entries[0].reference.as_deref(), Some("NK-1"));
        let e = parse_risk_list("s.jsonl", b"{\"id\":1}\n{broken\n", "demo").unwrap_err();
        assert!(e.to_string().starts_with("s.jsonl, line 2:"), "{e}");
    }
}
