-- Herald schema version 10 (SQLite): the relay carries users' delivery preferences
-- ('preferences': user_name's preferences changed at time_ms; the record carries them as they
-- are when it is sent, and the newest change wins) and the digests sent to their sessions
-- ('digest': sent at time_ms; the frame travels with the record while it is live). SQLite
-- cannot change a CHECK in place, so the table is copied.
CREATE TABLE relay_log_v10 (
    origin INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('notification', 'receipt', 'deleted', 'seen', 'hidden', 'cleared',
                        'preferences', 'digest')),
    notification_id INTEGER NOT NULL,
    user_name TEXT NOT NULL DEFAULT '',
    time_ms INTEGER NOT NULL,
    PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
INSERT INTO relay_log_v10 (origin, seq, kind, notification_id, user_name, time_ms)
SELECT origin, seq, kind, notification_id, user_name, time_ms FROM relay_log;
DROP TABLE relay_log;
ALTER TABLE relay_log_v10 RENAME TO relay_log;
CREATE INDEX relay_log_notification ON relay_log (notification_id, kind);
