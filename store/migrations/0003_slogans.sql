-- Slogan lists: each year the ministries' guidance brings a list per
-- occasion, opening with "Hưởng ứng … năm YYYY" and grouped by theme.

CREATE TABLE slogans (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    observance_key TEXT NOT NULL REFERENCES observances (key),
    document       TEXT NOT NULL DEFAULT '',  -- e.g. "CV 8935/BNV-CTTN&BĐG"
    grp            TEXT NOT NULL DEFAULT '',  -- the theme group
    position       INTEGER NOT NULL,
    text           TEXT NOT NULL,
    UNIQUE (year, observance_key, text)
);
