-- Herald schema version 10 (PostgreSQL): the relay carries users' delivery preferences
-- ('preferences': user_name's preferences changed at time_ms; the record carries them as they
-- are when it is sent, and the newest change wins) and the digests sent to their sessions
-- ('digest': sent at time_ms; the frame travels with the record while it is live).
ALTER TABLE relay_log DROP CONSTRAINT relay_log_kind_check;
ALTER TABLE relay_log ADD CONSTRAINT relay_log_kind_check
    CHECK (kind IN ('notification', 'receipt', 'deleted', 'seen', 'hidden', 'cleared',
                    'preferences', 'digest'));
