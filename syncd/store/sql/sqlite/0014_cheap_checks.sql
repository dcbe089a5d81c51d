-- Herald schema version 14 (SQLite): the same tables and rules, with CHECKs SQLite tests
-- cheaply. SQLite tests `x IN ('a', 'b', 'c', ...)` in a CHECK (three values or more) by
-- building a temporary index of the list for every row it writes: about 2 µs a row, more than
-- the rest of a relay_log insert (docs/PERFORMANCE.md, "S4, round 5"). The same rule as
-- comparisons costs about 0.1 µs. relay_log takes a row per publish and per read receipt,
-- deliveries one per delivery job and per attempt. SQLite cannot change a CHECK in place, so
-- both tables are copied, with their rows, indexes and column order.
CREATE TABLE relay_log_v14 (
    origin INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind = 'notification' OR kind = 'receipt' OR kind = 'deleted' OR kind = 'seen'
               OR kind = 'hidden' OR kind = 'cleared' OR kind = 'preferences'
               OR kind = 'digest' OR kind = 'job' OR kind = 'jobsTaken' OR kind = 'jobsDone'),
    notification_id INTEGER NOT NULL,
    user_name TEXT NOT NULL DEFAULT '',
    time_ms INTEGER NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
INSERT INTO relay_log_v14 (origin, seq, kind, notification_id, user_name, time_ms, detail)
SELECT origin, seq, kind, notification_id, user_name, time_ms, detail FROM relay_log;
DROP TABLE relay_log;
ALTER TABLE relay_log_v14 RENAME TO relay_log;
CREATE INDEX relay_log_notification ON relay_log (notification_id, kind);

CREATE TABLE deliveries_v14 (
    id TEXT NOT NULL PRIMARY KEY,
    endpoint TEXT NOT NULL,
    notification_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    node INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status = 'pending' OR status = 'done' OR status = 'failed'),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    next_attempt_ms INTEGER NOT NULL,
    last_attempt_ms INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    takeovers INTEGER NOT NULL DEFAULT 0
);
INSERT INTO deliveries_v14 (id, endpoint, notification_id, payload, node, status, attempts,
                            created_ms, next_attempt_ms, last_attempt_ms, last_status,
                            last_error, takeovers)
SELECT id, endpoint, notification_id, payload, node, status, attempts, created_ms,
       next_attempt_ms, last_attempt_ms, last_status, last_error, takeovers
FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v14 RENAME TO deliveries;
-- The dispatcher's question, per endpoint: which pending jobs of this node are due.
CREATE INDEX deliveries_due ON deliveries (node, endpoint, next_attempt_ms)
    WHERE status = 'pending';
-- An endpoint's delivery log, newest first.
CREATE INDEX deliveries_endpoint ON deliveries (endpoint, status, created_ms);
-- What the log forgets first: finished jobs, by when they were last tried.
CREATE INDEX deliveries_finished ON deliveries (last_attempt_ms) WHERE status <> 'pending';
