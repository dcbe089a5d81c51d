-- Herald schema version 3 (PostgreSQL): revoked tokens, one row per revocation, so that every
-- daemon on this database closes the sessions opened with them, whoever revoked them (the
-- API, the command line, another daemon). Rows are kept for a while, then purged.
CREATE TABLE token_revocations (
    seq BIGSERIAL PRIMARY KEY,
    token_id BIGINT NOT NULL,
    revoked_at_ms BIGINT NOT NULL
);
CREATE INDEX token_revocations_time ON token_revocations (revoked_at_ms);
