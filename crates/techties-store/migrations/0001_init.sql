-- Version 1: documents, stories (near-duplicate groups), entities, mentions, partnerships
-- merged across documents, and their evidence. Offsets are byte offsets into documents.text.

CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    content_id      TEXT    NOT NULL UNIQUE,       -- sha256 of the NFC text, white space folded
    source          TEXT    NOT NULL,              -- path, FILE:LINE or URL
    url             TEXT,
    title           TEXT,
    author          TEXT,
    published       TEXT,                          -- YYYY, YYYY-MM or YYYY-MM-DD
    publisher       TEXT,                          -- host of the URL, or the feed/site name
    lang            TEXT    NOT NULL,
    format          TEXT    NOT NULL,              -- txt, md, html, pdf, jsonl, json, feed, url
    chars           INTEGER NOT NULL,
    story           INTEGER REFERENCES documents(id), -- the first copy of a syndicated story; NULL: its own
    signature       BLOB,                          -- MinHash signature (near-duplicates)
    extract_status  TEXT    NOT NULL,              -- done | skipped_language | failed
    extract_error   TEXT,
    extract_version TEXT,
    ingested_at     TEXT    NOT NULL,
    text            TEXT    NOT NULL
);
CREATE INDEX documents_story ON documents(story);
CREATE INDEX documents_published ON documents(published);

-- locality-sensitive hashing bands of the MinHash signatures
CREATE TABLE document_bands (
    band     INTEGER NOT NULL,
    document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE
);
CREATE INDEX document_bands_band ON document_bands(band, document);

CREATE TABLE entities (
    id       INTEGER PRIMARY KEY,
    key      TEXT    NOT NULL UNIQUE,   -- KB id when linked, else kind|name|country
    kb_id    TEXT,
    name     TEXT    NOT NULL,
    kind     TEXT    NOT NULL,
    subkind  TEXT,
    country  TEXT,
    lat      REAL,
    lon      REAL
);
CREATE INDEX entities_name ON entities(name COLLATE NOCASE);

CREATE TABLE mentions (
    document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity   INTEGER NOT NULL REFERENCES entities(id),
    start    INTEGER NOT NULL,
    end      INTEGER NOT NULL,
    PRIMARY KEY (document, start, end, entity)
) WITHOUT ROWID;
CREATE INDEX mentions_entity ON mentions(entity);

CREATE TABLE partnerships (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    parties_key TEXT    NOT NULL,   -- sorted party keys: what makes two reports the same fact
    date        TEXT,               -- earliest date its evidence gives
    status      TEXT    NOT NULL,   -- of the most recently published evidence
    confidence  REAL    NOT NULL,   -- 1 - prod(1 - c) over independent sources
    countries   TEXT    NOT NULL,   -- sorted, comma-separated
    domains     TEXT    NOT NULL,   -- sorted, comma-separated
    documents   INTEGER NOT NULL,
    sources     INTEGER NOT NULL,   -- independent publishers
    first_seen  TEXT,               -- earliest publication date of its evidence
    last_seen   TEXT
);
CREATE INDEX partnerships_key ON partnerships(kind, parties_key);
CREATE INDEX partnerships_date ON partnerships(date);

CREATE TABLE partnership_parties (
    partnership INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    entity      INTEGER REFERENCES entities(id),
    name        TEXT    NOT NULL,
    country     TEXT
);
CREATE INDEX partnership_parties_p ON partnership_parties(partnership);
CREATE INDEX partnership_parties_e ON partnership_parties(entity);

CREATE TABLE partnership_countries (
    partnership INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    country     TEXT    NOT NULL,
    PRIMARY KEY (country, partnership)
) WITHOUT ROWID;
CREATE INDEX partnership_countries_p ON partnership_countries(partnership);

CREATE TABLE partnership_domains (
    partnership INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    domain      TEXT    NOT NULL,
    PRIMARY KEY (domain, partnership)
) WITHOUT ROWID;
CREATE INDEX partnership_domains_p ON partnership_domains(partnership);

CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    partnership INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    document    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,   -- byte offsets of the sentence(s) in documents.text
    end         INTEGER NOT NULL,
    sentence    TEXT    NOT NULL,
    trigger     TEXT,
    date        TEXT,
    status      TEXT    NOT NULL,
    confidence  REAL    NOT NULL,
    countries   TEXT    NOT NULL,
    domains     TEXT    NOT NULL,
    places      TEXT    NOT NULL    -- JSON: [{entity, name, role}]
);
CREATE INDEX evidence_partnership ON evidence(partnership);

-- per partnership and independent publisher (the story's first copy's publisher): the best
-- report's confidence. Kept as reports arrive, so adding one never re-reads the others.
CREATE TABLE partnership_sources (
    partnership INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    publisher   TEXT    NOT NULL,
    confidence  REAL    NOT NULL,
    reports     INTEGER NOT NULL,
    PRIMARY KEY (partnership, publisher)
) WITHOUT ROWID;
CREATE INDEX evidence_document ON evidence(document, partnership);

-- full-text indexes, written by the store with Han/kana characters spaced apart (the unicode61
-- tokenizer would make a whole run of them one token, and 华为 could not be found)
CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='', contentless_delete=1);
CREATE VIRTUAL TABLE evidence_fts USING fts5(sentence, content='', contentless_delete=1);
