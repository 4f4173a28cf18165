-- Version 2: country pairs of each partnership, so that a pair filter (RU-CN) reads the few
-- hundred partnerships of that pair instead of intersecting two countries' lists.
CREATE TABLE partnership_pairs (
    a           TEXT    NOT NULL,   -- the smaller code
    b           TEXT    NOT NULL,
    partnership INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    PRIMARY KEY (a, b, partnership)
) WITHOUT ROWID;
CREATE INDEX partnership_pairs_p ON partnership_pairs(partnership);
INSERT OR IGNORE INTO partnership_pairs (a, b, partnership)
    SELECT x.country, y.country, x.partnership
    FROM partnership_countries x JOIN partnership_countries y
      ON x.partnership = y.partnership AND x.country < y.country;
