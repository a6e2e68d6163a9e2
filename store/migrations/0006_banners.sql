-- The banner plan: one row a line (a slogan at a place, in a size and
-- number, from a hang date to a take-down date, with who is responsible),
-- and every move of its state with who, when and an optional photo.

CREATE TABLE banners (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    slogan       TEXT NOT NULL,
    place        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('street', 'office', 'vehicle')),
    size         TEXT NOT NULL DEFAULT '',
    count        INTEGER NOT NULL CHECK (count > 0),
    hang_on      TEXT NOT NULL,   -- civil dates, YYYY-MM-DD, in the ward's zone
    down_on      TEXT NOT NULL,
    responsible  TEXT NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('planned', 'ordered', 'hung', 'removed')),
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    photo        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX banners_campaign ON banners (campaign_id);

CREATE TABLE banner_events (
    id         INTEGER PRIMARY KEY,
    banner_id  INTEGER NOT NULL REFERENCES banners (id) ON DELETE CASCADE,
    state      TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL,
    photo      TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT ''
);
