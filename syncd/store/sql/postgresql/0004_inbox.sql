-- Herald schema version 4 (PostgreSQL): each user's inbox. Membership is computed on read
-- from what the user follows and what is addressed to them; these tables hold only the user's
-- own state: what they follow, how far they have seen, what they deleted, how they roll up.

-- What a user follows. Every register adds its subscriptions; '' as channel stands for every
-- channel of the application. Names, not row ids: a follow may name a channel not made yet.
CREATE TABLE inbox_follows (
    user_name TEXT NOT NULL,
    application TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_name, application, channel)
);
-- Who follows a channel (the unseen counts of those with sessions change on a publish).
CREATE INDEX inbox_follows_channel ON inbox_follows (application, channel);

-- The seen cursor (every id up to it has been seen) and the cleared floor (a "delete all":
-- nothing up to it is in the inbox any more). Both only grow, so relayed moves converge.
CREATE TABLE inbox_state (
    user_name TEXT NOT NULL PRIMARY KEY,
    seen_id BIGINT NOT NULL DEFAULT 0,
    cleared_id BIGINT NOT NULL DEFAULT 0
);

-- Notifications a user deleted from their own inbox. No foreign key: a relayed delete may
-- arrive before the notification it hides.
CREATE TABLE inbox_hidden (
    user_name TEXT NOT NULL,
    notification_id BIGINT NOT NULL,
    PRIMARY KEY (user_name, notification_id)
);

-- Rollup rules, each a JSON object as PUT (validated by the daemon before it is stored).
CREATE TABLE inbox_rules (
    user_name TEXT NOT NULL,
    name TEXT NOT NULL,
    rule TEXT NOT NULL,
    PRIMARY KEY (user_name, name)
);

-- A user's addressed notifications, newest first, without a scan of all recipients.
CREATE INDEX notification_recipients_user ON notification_recipients (user_name, notification_id);

-- The relay carries inbox changes too: 'seen' and 'cleared' move a user's cursor or floor to
-- notification_id, 'hidden' deletes one notification from a user's inbox.
ALTER TABLE relay_log DROP CONSTRAINT relay_log_kind_check;
ALTER TABLE relay_log ADD CONSTRAINT relay_log_kind_check
    CHECK (kind IN ('notification', 'receipt', 'deleted', 'seen', 'hidden', 'cleared'));
