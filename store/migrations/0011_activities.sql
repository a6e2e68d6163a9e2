-- What the ward did besides what Loa sends, as reports count it: direct
-- communication with its participants, documents issued, printed
-- materials, articles online; with attachments (photos, minutes) kept in
-- the database so a backup holds them.

CREATE TABLE activities (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    kind         TEXT NOT NULL,
    day          TEXT NOT NULL,               -- civil date, YYYY-MM-DD
    title        TEXT NOT NULL DEFAULT '',
    place        TEXT NOT NULL DEFAULT '',
    unit         TEXT NOT NULL DEFAULT '',
    number       TEXT NOT NULL DEFAULT '',
    count        INTEGER NOT NULL DEFAULT 1 CHECK (count >= 0),
    participants INTEGER NOT NULL DEFAULT 0 CHECK (participants >= 0),
    women        INTEGER NOT NULL DEFAULT 0 CHECK (women >= 0 AND women <= participants),
    link         TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX activities_campaign ON activities (campaign_id, day);

CREATE TABLE activity_files (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('image/jpeg', 'image/png', 'application/pdf')),
    data        BLOB NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX activity_files_activity ON activity_files (activity_id);
