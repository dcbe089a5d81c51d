-- Herald schema version 13 (SQLite): the relay carries the outbox, so that nodes with their
-- own databases can take over a dead node's deliveries. 'job': a delivery job made at
-- time_ms (detail: its id; the job travels with the record while its row exists);
-- 'jobsTaken': the origin took these pending jobs over from a silent node; 'jobsDone': these
-- jobs finished (done or failed for good). The last two keep their jobs in detail (JSON).
-- SQLite cannot change a CHECK in place, so the table is copied.
CREATE TABLE relay_log_v13 (
    origin INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('notification', 'receipt', 'deleted', 'seen', 'hidden', 'cleared',
                        'preferences', 'digest', 'job', 'jobsTaken', 'jobsDone')),
    notification_id INTEGER NOT NULL,
    user_name TEXT NOT NULL DEFAULT '',
    time_ms INTEGER NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
INSERT INTO relay_log_v13 (origin, seq, kind, notification_id, user_name, time_ms)
SELECT origin, seq, kind, notification_id, user_name, time_ms FROM relay_log;
DROP TABLE relay_log;
ALTER TABLE relay_log_v13 RENAME TO relay_log;
CREATE INDEX relay_log_notification ON relay_log (notification_id, kind);

-- How many times a job changed hands: a record of a later takeover wins over an earlier one,
-- whichever order they arrive in (ties: the higher node). A copy made from a takeover or
-- finish record before the job's own record has an empty payload until that record arrives,
-- and is never sent meanwhile.
ALTER TABLE deliveries ADD COLUMN takeovers INTEGER NOT NULL DEFAULT 0;
