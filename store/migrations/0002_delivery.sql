-- Delivery: schedules say when a message goes where; runs are the due times
-- they expand to (one per schedule and time, however often the daemon
-- restarts); deliveries are the ledger, one row per run, channel and
-- recipient; subscribers are the residents who consented to receive.

CREATE TABLE schedules (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('cron', 'at', 'relative', 'rotation')),
    spec          TEXT NOT NULL,          -- cron spec, local "YYYY-MM-DD HH:MM", or "D-3 08:00"
    channels      TEXT NOT NULL,          -- comma-separated channel names
    audience      TEXT NOT NULL DEFAULT 'all',
    grace_seconds INTEGER,                -- NULL: the configured default
    quiet_hours   TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- The messages a schedule sends: one for most kinds, a cycling list for a rotation.
CREATE TABLE schedule_messages (
    schedule_id INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (schedule_id, position)
) WITHOUT ROWID;

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    schedule_id INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    due_at      TEXT NOT NULL,
    message_id  INTEGER NOT NULL REFERENCES messages (id),
    version     INTEGER,                   -- the exact version sent, fixed when the run starts
    state       TEXT NOT NULL CHECK (state IN ('planned', 'held', 'running', 'done', 'missed', 'cancelled')),
    started_at  TEXT,
    finished_at TEXT,
    UNIQUE (schedule_id, due_at),
    FOREIGN KEY (message_id, version) REFERENCES message_versions (message_id, version)
);
CREATE INDEX runs_due ON runs (state, due_at);

CREATE TABLE subscribers (
    id             INTEGER PRIMARY KEY,
    channel        TEXT NOT NULL CHECK (channel IN ('telegram', 'zalo')),
    external_id    TEXT NOT NULL,
    display_name   TEXT NOT NULL DEFAULT '',
    language       TEXT NOT NULL DEFAULT 'vi',
    topics         TEXT NOT NULL DEFAULT '',  -- comma-separated
    phone          TEXT NOT NULL DEFAULT '',
    consent_at     TEXT,                      -- NULL: no consent, nothing is sent
    consent_source TEXT NOT NULL DEFAULT '',
    blocked_at     TEXT,
    created_at     TEXT NOT NULL,
    UNIQUE (channel, external_id)
);

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    channel         TEXT NOT NULL,
    recipient       TEXT NOT NULL,            -- chat id, Zalo user id, radio slot, block group, banner place
    subscriber_id   INTEGER REFERENCES subscribers (id) ON DELETE SET NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dead', 'blocked',
                                                   'unknown', 'skipped', 'assigned', 'done', 'not_done')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    provider_id     TEXT NOT NULL DEFAULT '',
    error           TEXT NOT NULL DEFAULT '',
    assignee        TEXT NOT NULL DEFAULT '',  -- for deliveries a person completes
    confirmed_by    TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL,
    UNIQUE (run_id, channel, recipient)
);
CREATE INDEX deliveries_state ON deliveries (state, channel);
