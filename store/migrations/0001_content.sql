-- Content: the calendar, campaigns, messages with their immutable versions,
-- the people who use Loa and the audit log of everything they do.
-- Times are UTC "YYYY-MM-DD HH:MM:SS"; civil dates are "YYYY-MM-DD".

CREATE TABLE observances (
    key        TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    starts     TEXT NOT NULL,              -- "MM-DD"
    ends       TEXT NOT NULL,              -- "MM-DD"
    lead_days  INTEGER NOT NULL DEFAULT 0,
    tail_days  INTEGER NOT NULL DEFAULT 0,
    topic      TEXT NOT NULL DEFAULT '',
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    updated_at TEXT NOT NULL
);

CREATE TABLE campaigns (
    id             INTEGER PRIMARY KEY,
    observance_key TEXT NOT NULL REFERENCES observances (key),
    year           INTEGER NOT NULL,
    name           TEXT NOT NULL,
    starts_on      TEXT NOT NULL,
    ends_on        TEXT NOT NULL,
    window_from    TEXT NOT NULL,
    window_to      TEXT NOT NULL,
    copied_from    INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (observance_key, year),
    CHECK (window_from <= starts_on AND starts_on <= ends_on AND ends_on <= window_to)
);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    key              TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected', 'archived')),
    version          INTEGER NOT NULL CHECK (version >= 1),  -- the newest version
    approved_version INTEGER CHECK (approved_version <= version), -- the newest approved one
    reject_reason    TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (campaign_id, key)
);

CREATE TABLE message_versions (
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    topic       TEXT NOT NULL DEFAULT '',
    image       TEXT NOT NULL DEFAULT '',
    telegram    TEXT NOT NULL DEFAULT '',
    zalo        TEXT NOT NULL DEFAULT '',
    loudspeaker TEXT NOT NULL DEFAULT '',
    banner      TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (message_id, version)
) WITHOUT ROWID;

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    login            TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL DEFAULT '',
    role             TEXT NOT NULL CHECK (role IN ('officer', 'leader', 'operator', 'admin')),
    password_hash    TEXT NOT NULL DEFAULT '',
    telegram_chat_id TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    disabled_at      TEXT
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
