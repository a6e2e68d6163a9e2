-- The scheduler: how far each schedule has been planned, soft removal (runs
-- and their ledger outlive a removed schedule), why a run was held, missed or
-- cancelled, the single-instance lease, and indexes for the delivery queue.

ALTER TABLE schedules ADD COLUMN source TEXT NOT NULL DEFAULT 'cli';   -- 'cli', or 'file' for front matter
ALTER TABLE schedules ADD COLUMN planned_until TEXT;                   -- UTC; runs exist up to here
ALTER TABLE schedules ADD COLUMN removed_at TEXT;

ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN fanned_out INTEGER NOT NULL DEFAULT 0;     -- every delivery row exists

ALTER TABLE deliveries ADD COLUMN sent_at TEXT;

-- The queue is read in id order (oldest first) by channel; retries are found
-- by their next attempt. A run's progress is read by (run, state).
DROP INDEX deliveries_state;
CREATE INDEX deliveries_queue ON deliveries (channel, state, id);
CREATE INDEX deliveries_retry ON deliveries (channel, state, next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX deliveries_run ON deliveries (run_id, state);

-- One daemon at a time: the holder renews expires_at while it runs.
CREATE TABLE leases (
    name         TEXT PRIMARY KEY,
    holder       TEXT NOT NULL,   -- "host pid instance"
    acquired_at  TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);

-- Small facts about the database itself, e.g. that it was restored from a backup.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
