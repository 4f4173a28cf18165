-- Version 4: screening. Imported risk lists, watched items, and the changes of the graph that
-- alerts report (a new partnership, a change of status).
CREATE TABLE risk_lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    source      TEXT    NOT NULL,   -- the file imported
    format      TEXT    NOT NULL,   -- csv | ftm
    imported_at TEXT    NOT NULL
);
CREATE TABLE risk_entries (
    id      INTEGER PRIMARY KEY,
    list    INTEGER NOT NULL REFERENCES risk_lists(id) ON DELETE CASCADE,
    name    TEXT    NOT NULL,
    country TEXT,
    aliases TEXT    NOT NULL,       -- '|'-separated
    reason  TEXT    NOT NULL,
    ref     TEXT                    -- the list's own id (FollowTheMoney id)
);
CREATE INDEX risk_entries_list ON risk_entries(list);

CREATE TABLE watches (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,    -- entity | pair | domain
    value      TEXT    NOT NULL,    -- entity id, 'CN-RU', domain
    label      TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    UNIQUE (kind, value)
);

CREATE TABLE partnership_changes (
    id          INTEGER PRIMARY KEY,
    partnership INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,   -- when the writer recorded it (UTC)
    change      TEXT    NOT NULL,   -- new | status
    old_status  TEXT,
    new_status  TEXT    NOT NULL
);
CREATE INDEX partnership_changes_at ON partnership_changes(at);
CREATE INDEX partnership_changes_p ON partnership_changes(partnership);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- what was already there is not news: it is recorded as new at the time of the migration
INSERT INTO partnership_changes (partnership, at, change, old_status, new_status)
    SELECT id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'new', NULL, status FROM partnerships;
