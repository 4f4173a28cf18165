//! Dates and years stated in the text: "on 5 June 2019", "August 1, 2025", "In January, 2014",
//! "in 2018", and the relative "today", "last year", "this year", "next year", resolved against
//! the publication date.

use techties_core::{Annotator, DateMention, Doc, Result, Span, TokenKind};

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            *m == w
                || (w.len() >= 3 && m.starts_with(&w) && w.len() <= 4 && w != "mar"
                    || w == "mar" && *m == "march")
        })
        .map(|i| i as u32 + 1)
}

fn year_of(word: &str) -> Option<u32> {
    (word.len() == 4)
        .then(|| word.parse::<u32>().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

fn day_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(|c: char| c.is_alphabetic());
    (w.len() <= 2)
        .then(|| w.parse::<u32>().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

/// Fills [`Doc::dates`].
#[derive(Debug, Default, Clone, Copy)]
pub struct DateTagger;

impl Annotator for DateTagger {
    fn name(&self) -> &'static str {
        "dates"
    }

    fn annotate(&self, doc: &mut Doc) -> Result<()> {
        let n = doc.tokens.len();
        let w = |i: usize| if i < n { doc.token_text(i) } else { "" };
        let pub_month: Option<u32> = doc
            .meta
            .date
            .as_deref()
            .and_then(|d| d.get(5..7))
            .and_then(|m| m.parse().ok());
        let pub_year: Option<u32> = doc
            .meta
            .date
            .as_deref()
            .and_then(|d| d.get(0..4))
            .and_then(|y| y.parse().ok());
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            let span = |a: usize, b: usize| {
                Span::new(doc.tokens[a].span.start, doc.tokens[b - 1].span.end)
            };
            // 5 June 2019 / 5 June, 2019
            if let (Some(d), Some(m)) = (day_of(w(i)), month_of(w(i + 1))) {
                let y_at = if w(i + 2) == "," { i + 3 } else { i + 2 };
                if let Some(y) = year_of(w(y_at)) {
                    out.push(DateMention {
                        span: span(i, y_at + 1),
                        value: format!("{y:04}-{m:02}-{d:02}"),
                    });
                    i = y_at + 1;
                    continue;
                }
            }
            if let Some(m) =
                month_of(w(i)).filter(|_| w(i).chars().next().is_some_and(char::is_uppercase))
            {
                // June 5, 2019 / June 5 2019
                if let Some(d) = day_of(w(i + 1)).filter(|_| {
                    doc.tokens
                        .get(i + 1)
                        .is_some_and(|t| t.kind != TokenKind::Punct)
                }) {
                    let y_at = if w(i + 2) == "," { i + 3 } else { i + 2 };
                    if let Some(y) = year_of(w(y_at)) {
                        out.push(DateMention {
                            span: span(i, y_at + 1),
                            value: format!("{y:04}-{m:02}-{d:02}"),
                        });
                        i = y_at + 1;
                        continue;
                    }
                }
                // June 2019 / January, 2014
                let y_at = if w(i + 1) == "," { i + 2 } else { i + 1 };
                if let Some(y) = year_of(w(y_at)) {
                    out.push(DateMention {
                        span: span(i, y_at + 1),
                        value: format!("{y:04}-{m:02}"),
                    });
                    i = y_at + 1;
                    continue;
                }
                // "in June": the publication year (or the one before, if June is still to come)
                if matches!(w(i.wrapping_sub(1)), "in" | "In" | "since" | "by" | "until")
                    && w(i) != "May"
                {
                    if let Some(py) = pub_year {
                        let pm = pub_month.unwrap_or(12);
                        let y = if m > pm { py - 1 } else { py };
                        out.push(DateMention {
                            span: span(i, i + 1),
                            value: format!("{y:04}-{m:02}"),
                        });
                    }
                }
            }
            if doc.tokens[i].kind == TokenKind::Number {
                if let Some(y) = year_of(w(i)) {
                    let money = i > 0 && matches!(w(i - 1), "$" | "€" | "£" | "¥");
                    let unit = matches!(
                        w(i + 1),
                        "%" | "km"
                            | "kilometres"
                            | "kilometers"
                            | "tons"
                            | "tonnes"
                            | "people"
                            | "employees"
                            | "units"
                    );
                    if !money && !unit {
                        out.push(DateMention {
                            span: span(i, i + 1),
                            value: format!("{y:04}"),
                        });
                    }
                }
            }
            let lw = w(i).to_lowercase();
            if let Some(py) = pub_year {
                let rel = match (lw.as_str(), w(i + 1)) {
                    ("today", _) => doc.meta.date.clone().map(|d| (d, 1)),
                    ("last", "year") => Some((format!("{:04}", py - 1), 2)),
                    ("this", "year") => Some((format!("{py:04}"), 2)),
                    ("next", "year") => Some((format!("{:04}", py + 1), 2)),
                    ("last" | "this" | "next", "month") => pub_month.map(|pm| {
                        // months counted from year 0 so that January - 1 is December before
                        let shift = match lw.as_str() {
                            "last" => -1,
                            "next" => 1,
                            _ => 0,
                        };
                        let m = i64::from(py) * 12 + i64::from(pm) - 1 + shift;
                        (format!("{:04}-{:02}", m / 12, m % 12 + 1), 2)
                    }),
                    _ => None,
                };
                if let Some((value, len)) = rel {
                    out.push(DateMention {
                        span: span(i, i + len),
                        value,
                    });
                    i += len;
                    continue;
                }
            }
            i += 1;
        }
        doc.dates = out;
        doc.trace.push(self.name());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use techties_core::DocMeta;

    fn dates(text: &str, pubdate: Option<&str>) -> Vec<String> {
        let mut meta = DocMeta::new("t");
        meta.date = pubdate.map(String::from);
        let mut doc = Doc::new(meta, text.into());
        techties_text::Segmenter.annotate(&mut doc).unwrap();
        DateTagger.annotate(&mut doc).unwrap();
        doc.dates.into_iter().map(|d| d.value).collect()
    }

    #[test]
    fn absolute_dates_in_several_forms() {
        assert_eq!(
            dates("signed on 5 June 2019 and on August 1, 2025.", None),
            ["2019-06-05", "2025-08-01"]
        );
        assert_eq!(
            dates(
                "In January, 2014, a commission was set up; in 2018 a lab.",
                None
            ),
            ["2014-01", "2018"]
        );
    }

    #[test]
    fn relative_dates_use_the_publication_date() {
        assert_eq!(
            dates(
                "It was signed today. Last year it grew.",
                Some("2018-09-11")
            ),
            ["2018-09-11", "2017"]
        );
        assert_eq!(
            dates("The plant opened in June.", Some("2020-03-01")),
            ["2019-06"]
        );
    }

    #[test]
    fn months_relative_to_publication() {
        assert_eq!(
            dates("It opens next month.", Some("2019-12-06")),
            ["2020-01"]
        );
        assert_eq!(
            dates("It was signed last month.", Some("2020-01-15")),
            ["2019-12"]
        );
    }

    #[test]
    fn money_is_not_a_year() {
        assert!(dates("It cost $2000 in total.", None).is_empty());
    }
}
