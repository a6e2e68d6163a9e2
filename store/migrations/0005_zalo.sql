-- Zalo Official Account: the OAuth tokens (the refresh token is single-use
-- and rotates, so the pair is always saved together), when a follower last
-- interacted (consultation messages need it within 7 days), and when Zalo
-- reported a delivery received.

CREATE TABLE zalo_tokens (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),  -- one OA
    access_token       TEXT NOT NULL,
    refresh_token      TEXT NOT NULL,
    access_expires_at  TEXT NOT NULL,
    refresh_expires_at TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    needs_reauth       TEXT NOT NULL DEFAULT ''              -- why refreshing failed for good
);

ALTER TABLE subscribers ADD COLUMN last_interaction_at TEXT;
ALTER TABLE deliveries ADD COLUMN delivered_at TEXT;
CREATE INDEX deliveries_provider ON deliveries (channel, provider_id) WHERE provider_id != '';

-- How a schedule's Zalo messages go: promotion to followers (the default)
-- or cs, consultation to followers who wrote within 7 days.
ALTER TABLE schedules ADD COLUMN mode TEXT NOT NULL DEFAULT '';
-- How many people a person-completed delivery reached (a block group's members).
ALTER TABLE deliveries ADD COLUMN reach INTEGER;
