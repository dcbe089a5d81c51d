-- Herald schema version 2 (PostgreSQL): the peer relay's record log.
-- Every persistent notification, receipt and delete is a record numbered by its origin node,
-- a node holds, per origin, every record from 1 up to its highest sequence. Bodies are not
-- copied here, a notification record reads its body from notifications when it is sent.
CREATE TABLE relay_log (
    origin INTEGER NOT NULL,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('notification', 'receipt', 'deleted')),
    notification_id BIGINT NOT NULL,
    user_name TEXT NOT NULL DEFAULT '',
    time_ms BIGINT NOT NULL,
    PRIMARY KEY (origin, seq)
);
-- Applying a notification looks for its receipts and delete that arrived first.
CREATE INDEX relay_log_notification ON relay_log (notification_id, kind);

-- Notifications stored before this version become records of the node that made them.
INSERT INTO relay_log (origin, seq, kind, notification_id, time_ms)
SELECT node, ROW_NUMBER() OVER (PARTITION BY node ORDER BY id), 'notification', id, time_ms
FROM notifications;
