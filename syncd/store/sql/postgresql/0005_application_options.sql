-- Herald schema version 5 (PostgreSQL): an application may take events outside its registered
-- event types (acceptUnknownEvents). Publishes are checked against the event types from this
-- version on, so applications that registered event types before it keep taking everything
-- until their next registration says otherwise.
ALTER TABLE applications ADD COLUMN accept_unknown_events INTEGER NOT NULL DEFAULT 0;
UPDATE applications SET accept_unknown_events = 1 WHERE event_types <> '[]';
