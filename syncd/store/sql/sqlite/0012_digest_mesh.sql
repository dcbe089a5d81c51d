-- Herald schema version 12 (SQLite): digests across nodes with their own databases. Every node
-- queues the items of the notifications it holds; one sends the digest and its relay record
-- names the items it held, so that the others drop those and move on to the next period.
-- send_after_ms: when this node sends a run that is due (due_ms, plus a wait by its rank
-- among the nodes, so that the first one's record arrives before the next one would send).
ALTER TABLE digest_runs ADD COLUMN send_after_ms INTEGER NOT NULL DEFAULT 0;
UPDATE digest_runs SET send_after_ms = due_ms;
CREATE INDEX digest_runs_send ON digest_runs (node, send_after_ms);
-- What a sent digest held (notification ids, comma-separated), when the next period of its
-- run ends, and the relay record that told the other nodes (0: none).
ALTER TABLE digests ADD COLUMN item_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE digests ADD COLUMN next_due_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE digests ADD COLUMN relay_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX digests_relay ON digests (node, relay_seq);
