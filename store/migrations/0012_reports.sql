-- A report's own parts, written by the officer and kept with it: its
-- number, title, the narrative sections, who signs, and the recipients.
-- The figures are not kept: they are counted from the ledger each time.

CREATE TABLE reports (
    scope        TEXT PRIMARY KEY,       -- "campaign:action-month/2026" or "year:2026"
    number       TEXT NOT NULL DEFAULT '',
    day          TEXT NOT NULL DEFAULT '', -- the report's date, YYYY-MM-DD; '' : the day it is made
    subject      TEXT NOT NULL DEFAULT '',
    direction    TEXT NOT NULL DEFAULT '',
    strengths    TEXT NOT NULL DEFAULT '',
    limits       TEXT NOT NULL DEFAULT '',
    causes       TEXT NOT NULL DEFAULT '',
    directions   TEXT NOT NULL DEFAULT '',
    authority    TEXT NOT NULL DEFAULT '',
    deputy       TEXT NOT NULL DEFAULT '',
    signer_title TEXT NOT NULL DEFAULT '',
    signer_name  TEXT NOT NULL DEFAULT '',
    recipients   TEXT NOT NULL DEFAULT '', -- one a line
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) WITHOUT ROWID;
