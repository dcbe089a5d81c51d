-- Herald schema version 9 (PostgreSQL): tokens of kind 'feed', which read one user's Atom
-- feed and nothing else (PROTOCOL.md, Delivery policy).
ALTER TABLE tokens DROP CONSTRAINT tokens_kind_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_kind_check
    CHECK (kind IN ('admin', 'producer', 'user', 'feed'));
