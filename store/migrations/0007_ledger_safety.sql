-- Ledger safety: what of a multi-part text already went out (so a crash
-- between parts never repeats one), and what a subscriber's external_id is,
-- so each message mode reaches only its own kind of recipient.

ALTER TABLE deliveries ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;

-- 'user': a Telegram chat id or a Zalo user id; 'phone': a resident known
-- only by a phone number (external_id "phone:84…"), reachable by ZNS alone.
ALTER TABLE subscribers ADD COLUMN address TEXT NOT NULL DEFAULT 'user' CHECK (address IN ('user', 'phone'));
UPDATE subscribers SET address = 'phone' WHERE external_id LIKE 'phone:%';
