#!/usr/bin/env python3
"""Derive data/kb/ror.tsv from the Research Organization Registry (ROR, CC0 1.0).

    pip install wordfreq==3.1.1
    python3 scripts/kb_ror.py [--ror ../shared/data/ror/ror-orgs.jsonl.gz] [--out data/kb/ror.tsv]

`scripts/build_kb.py` runs this as its last step. Deterministic for a fixed input file.

What is kept, and how conflicts are handled (the build report goes to stderr):
- withdrawn rows are dropped (ROR withdrew them as errors or duplicates); inactive ones are kept,
  since news still names organisations that closed or were renamed;
- a name-only row (the 2021 dump, no ROR id) that repeats the name and country of a full record,
  or of an earlier name-only row, is dropped;
- a trailing "(China)" or "(United States)" qualifier is cut from the name (kept as an alias);
- names and aliases the curated list (orgs.tsv) already has are left to the curated row: the
  alias index is built curated-first and the linker prefers a curated candidate;
- a name is **generic** (flag `g`) when every word of it is a common English word
  ("Ministry of Health", "National Institute of Nuclear Physics") or when the same name belongs
  to organisations of two countries or more: the linker takes a generic name only where the
  text names its country;
- acronyms go in their own column: the linker takes one only where the text defines it or where
  a single organisation of a country the text names holds it;
- single-word names and aliases that are common English words (Zipf frequency >= 3.5, e.g.
  "Nature", "Energy") are dropped, so ordinary words never link.
Genericness is judged per name: a row's generic aliases go in their own column.
Columns: id, name, aliases (|), acronyms (|), country, city, lat, lon, subkind, parent, flags
(`g`: the name is generic), generic aliases (|).
"""
import argparse
import gzip
import json
import re
import sys
from collections import defaultdict

from wordfreq import zipf_frequency

SUBKIND = [  # ROR type -> techties organisation kind, first match wins
    ("education", "university"),
    ("government", "government"),
    ("funder", "fund"),
    ("company", "company"),
    ("facility", "research_institute"),
    ("archive", "other"),
    ("healthcare", "other"),
    ("nonprofit", "other"),
    ("other", "other"),
]
RESEARCH = re.compile(r"\b(institute|institut|laborator|academy|research|centre|center)\w*", re.I)
QUALIFIER = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")


def clean(s):
    s = re.sub(r"[\t\r\n|]+", " ", s or "").strip()
    return re.sub(r"\s+", " ", s)


def key(s):
    return re.sub(r"[^\w]+", " ", s.lower()).strip()


def common_words(name):
    words = re.findall(r"[A-Za-z]+", name)
    return bool(words) and all(zipf_frequency(w.lower(), "en") >= 3.0 for w in words) and not re.search(r"[^\x00-\x7f]", name)


def ordinary_word(name):
    return " " not in name and re.fullmatch(r"[A-Za-z]+", name) is not None and zipf_frequency(name.lower(), "en") >= 3.5


def subkind(types, name):
    for t, k in SUBKIND:
        if t in types:
            if k in ("other", "company") and RESEARCH.search(name) and t != "company":
                return "research_institute"
            return k
    return "other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ror", default="../shared/data/ror/ror-orgs.jsonl.gz")
    ap.add_argument("--out", default="data/kb/ror.tsv")
    ap.add_argument("--curated", default="data/kb/orgs.tsv")
    args = ap.parse_args()
    curated = set()
    with open(args.curated, encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 2:
                curated.update(key(a) for a in [cols[1]] + cols[2].split("|") if a)
    rows, seen = [], set()
    stats = defaultdict(int)
    with gzip.open(args.ror, "rt", encoding="utf-8") as f:
        records = [json.loads(l) for l in f]
    # full records first, so a name-only repeat of one is the row dropped
    records.sort(key=lambda r: (0 if r.get("ror") else 1))
    for r in records:
        if r.get("status") == "withdrawn":
            stats["withdrawn"] += 1
            continue
        name, country = clean(r.get("name")), (r.get("country") or "").upper()
        if not name or not re.fullmatch(r"[A-Z]{2}", country):
            stats["no name or country"] += 1
            continue
        aliases = [clean(a) for a in r.get("aliases") or []]
        for langs in (r.get("labels") or {}).values():
            aliases.extend(clean(a) for a in langs)
        m = QUALIFIER.match(name)
        if m:
            aliases.append(name)
            name = m.group(1)
        if (key(name), country) in seen:
            stats["repeated name"] += 1
            continue
        seen.add((key(name), country))
        acronyms = sorted({clean(a) for a in r.get("acronyms") or [] if 2 <= len(clean(a)) <= 12})
        kept = []
        for a in aliases:
            if a and a != name and key(a) != key(name) and a not in kept and not ordinary_word(a) \
                    and key(a) not in curated:
                kept.append(a)
        if ordinary_word(name):
            stats["ordinary-word name"] += 1
            continue
        if key(name) in curated:
            stats["name left to the curated row"] += 1
        parent = ""
        for rel in r.get("relationships") or []:
            if rel.get("type") == "parent":
                parent = "ror:" + rel["ror"]
                break
        rid = "ror:" + r["ror"] if r.get("ror") else ""
        lat = f"{r['lat']:.5f}" if isinstance(r.get("lat"), (int, float)) else ""
        lon = f"{r['lon']:.5f}" if isinstance(r.get("lon"), (int, float)) else ""
        rows.append([rid, name, "|".join(kept), "|".join(acronyms), country, clean(r.get("city")),
                     lat, lon, subkind(r.get("types") or [], name), parent])
    countries_of = defaultdict(set)
    for row in rows:
        for a in [row[1]] + [x for x in row[2].split("|") if x]:
            countries_of[key(a)].add(row[4])

    def generic(name):
        return common_words(name) or len(countries_of[key(name)]) > 1
    rows.sort(key=lambda x: (x[4], x[1], x[0]))
    n = 0
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("id\tname\taliases\tacronyms\tcountry\tcity\tlat\tlon\tsubkind\tparent\tflags\tgeneric_aliases\n")
        for row in rows:
            n += 1
            if not row[0]:
                row[0] = f"ror-name:{row[4].lower()}-{n}"
            g = generic(row[1])
            stats["generic name"] += g
            aliases = [a for a in row[2].split("|") if a]
            plain = [a for a in aliases if not generic(a)]
            stats["generic alias"] += len(aliases) - len(plain)
            row[2] = "|".join(plain)
            f.write("\t".join(row + ["g" if g else "", "|".join(a for a in aliases if a not in plain)]) + "\n")
    print(f"wrote {args.out}: {len(rows)} organisations; " +
          ", ".join(f"{k} {v}" for k, v in sorted(stats.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
