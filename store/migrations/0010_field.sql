-- The people in the field. Each account says how notices reach it (e-mail,
-- the Zalo user id it follows the OA with, the order of its channels, a
-- daily digest instead of notices one by one). A task link is kept by the
-- SHA-256 of its token, bound to one task and one account, with when it
-- expires and whether it was revoked. Notices are what Loa told whom, and
-- how it got through (the Today page always holds them). Photos taken in
-- the field live in the database, so a backup holds them.

ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN zalo_user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN notify TEXT NOT NULL DEFAULT 'zalo,telegram,email';
ALTER TABLE users ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;

CREATE TABLE task_links (
    token_hash TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('delivery', 'banner')),
    target     INTEGER NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
) WITHOUT ROWID;
CREATE INDEX task_links_target ON task_links (kind, target);

CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,             -- task, missed, failed, down, …
    topic      TEXT NOT NULL,             -- what it is about: "delivery:120"; one notice a person and topic
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_via   TEXT NOT NULL DEFAULT '',  -- zalo, telegram, email, digest; '' : only on the Today page
    sent_at    TEXT,
    tried_at   TEXT,                      -- the last try by a channel
    note       TEXT NOT NULL DEFAULT '',  -- why it waits (digest, held, none) or what failed on each channel
    UNIQUE (user_id, topic)
);
CREATE INDEX notices_user ON notices (user_id, created_at);

CREATE TABLE photos (
    id         INTEGER PRIMARY KEY,
    sha256     TEXT NOT NULL UNIQUE,
    type       TEXT NOT NULL CHECK (type IN ('image/jpeg', 'image/png')),
    data       BLOB NOT NULL,
    taken_by   TEXT NOT NULL,
    created_at TEXT NOT NULL
);
