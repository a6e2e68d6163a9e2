-- Residents' personal data as Law 91/2025/QH15 and Decree 356/2025/NĐ-CP
-- ask: consent kept as evidence after a withdrawal, what a Zalo follower
-- chose (following the OA is not consent), the evidence of a phone's
-- consent, and every request a resident makes, with when it was done.

-- consent_at stays "consents now" (NULL: nothing is sent); consented_at is
-- when consent was last given and is never cleared by a withdrawal.
ALTER TABLE subscribers ADD COLUMN consented_at TEXT;
ALTER TABLE subscribers ADD COLUMN withdrawn_at TEXT;
-- The reference of the consent's proof: a signed paper form's number, a
-- web form's receipt; "" for a bot's button or an OA reply (the audit log
-- holds those).
ALTER TABLE subscribers ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
-- Zalo: when they followed the OA. A follower who never answered the
-- welcome has no consent and receives nothing.
ALTER TABLE subscribers ADD COLUMN followed_at TEXT;
UPDATE subscribers SET consented_at = consent_at WHERE consent_at IS NOT NULL;

-- A resident's request: to see, change, withdraw or delete. subject is
-- "channel:id" while the person exists and is cleared when they are
-- deleted, so the log keeps no trace of who asked.
CREATE TABLE privacy_requests (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('see', 'change', 'withdraw', 'delete')),
    via         TEXT NOT NULL,             -- telegram, zalo, dashboard, paper, cli
    subject     TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    done_at     TEXT,
    done_by     TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX privacy_requests_open ON privacy_requests (done_at, due_at);
