-- Herald schema version 13 (PostgreSQL): the relay carries the outbox, so that nodes with
-- their own databases can take over a dead node's deliveries. 'job': a delivery job made at
-- time_ms (detail: its id; the job travels with the record while its row exists);
-- 'jobsTaken': the origin took these pending jobs over from a silent node; 'jobsDone': these
-- jobs finished (done or failed for good). The last two keep their jobs in detail (JSON).
ALTER TABLE relay_log DROP CONSTRAINT relay_log_kind_check;
ALTER TABLE relay_log ADD CONSTRAINT relay_log_kind_check
    CHECK (kind IN ('notification', 'receipt', 'deleted', 'seen', 'hidden', 'cleared',
                    'preferences', 'digest', 'job', 'jobsTaken', 'jobsDone'));
ALTER TABLE relay_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';

-- How many times a job changed hands: a record of a later takeover wins over an earlier one,
-- whichever order they arrive in (ties: the higher node). A copy made from a takeover or
-- finish record before the job's own record has an empty payload until that record arrives,
-- and is never sent meanwhile.
ALTER TABLE deliveries ADD COLUMN takeovers INTEGER NOT NULL DEFAULT 0;
