-- Herald schema version 9 (SQLite): tokens of kind 'feed', which read one user's Atom feed
-- and nothing else (PROTOCOL.md, Delivery policy). SQLite cannot change a CHECK in place, so
-- the table is copied with its ids, and with its AUTOINCREMENT counter: the id of a revoked
-- token must never come back for a new one.
CREATE TABLE tokens_v9 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hash TEXT NOT NULL UNIQUE, -- hex SHA-256 of the secret
    kind TEXT NOT NULL CHECK (kind IN ('admin', 'producer', 'user', 'feed')),
    application TEXT,
    user_name TEXT,
    label TEXT NOT NULL DEFAULT '',
    created_at_ms INTEGER NOT NULL
);
INSERT INTO tokens_v9 (id, hash, kind, application, user_name, label, created_at_ms)
SELECT id, hash, kind, application, user_name, label, created_at_ms FROM tokens;
DELETE FROM sqlite_sequence WHERE name = 'tokens_v9';
INSERT INTO sqlite_sequence (name, seq) SELECT 'tokens_v9', seq FROM sqlite_sequence WHERE name = 'tokens';
DROP TABLE tokens;
ALTER TABLE tokens_v9 RENAME TO tokens;
