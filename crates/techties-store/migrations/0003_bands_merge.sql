-- Version 3: cheaper writes for a corpus that grows.
-- The near-duplicate bands become one B-tree keyed by (band, document): as a table with an
-- index every band was written twice.
CREATE TABLE document_bands_v3 (
    band     INTEGER NOT NULL,
    document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band, document)
) WITHOUT ROWID;
INSERT OR IGNORE INTO document_bands_v3 (band, document) SELECT band, document FROM document_bands;
DROP TABLE document_bands;
ALTER TABLE document_bands_v3 RENAME TO document_bands;
-- The full-text indexes merge eight segments of a level at a time instead of four: about
-- half the merging work at ingest, for a few more segments to read at query time.
INSERT INTO documents_fts (documents_fts, rank) VALUES ('automerge', 8);
INSERT INTO evidence_fts (evidence_fts, rank) VALUES ('automerge', 8);
