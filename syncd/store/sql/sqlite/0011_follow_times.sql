-- Herald schema version 11 (SQLite): when each follow was recorded, so that a node can read
-- what other nodes of the same database recorded since it last looked (the daemon keeps what
-- users follow in memory to decide at publish time who may get a digest item or a mail).
-- Follows from before this version count as recorded at 0.
ALTER TABLE inbox_follows ADD COLUMN since_ms INTEGER NOT NULL DEFAULT 0;
CREATE INDEX inbox_follows_since ON inbox_follows (since_ms);
