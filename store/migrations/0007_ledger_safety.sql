-- Ledger safety: what of a multi-part text already went out (so a crash
-- between parts never repeats one), and what a subscriber's external_id is,
-- so each message mode reaches only its own kind of recipient.

ALTER TABLE deliveries ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;

-- 'user': a Telegram chat id or a Zalo user id; 'phone': a resident known
-- only by a phone number (external_id "phone:84…"), reachable by ZNS alone.
ALTER TABLE subscribers ADD COLUMN address TEXT NOT NULL DEFAULT 'user' CHECK (address IN ('user', 'phone'));
UPDATE subscribers SET address = 'phone' WHERE external_id LIKE 'phone:%';

-- Zalo's "received" event can arrive before the send's outcome is recorded
-- (the provider id is written after the answer): such a receipt waits here
-- and is applied when the outcome is. Receipts older than two days are
-- dropped.
CREATE TABLE receipts (
    channel     TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (channel, provider_id)
) WITHOUT ROWID;

-- Signatures of webhook events already handled, for as long as an event's
-- timestamp is accepted: a replay is refused across restarts too.
CREATE TABLE webhook_events (
    signature TEXT PRIMARY KEY,
    seen_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX webhook_events_seen ON webhook_events (seen_at);

-- One token chain across processes: a process claims the right to spend the
-- refresh token it holds until refreshing_until; another one waits for the
-- new pair instead of spending the same token (Zalo's are single-use).
ALTER TABLE zalo_tokens ADD COLUMN refreshing_until TEXT;
