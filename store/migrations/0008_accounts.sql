-- Accounts and sign-in: the people of the ward office with their role, full
-- name and title (what printed sheets and reports show), a bcrypt password
-- hash, and their sessions. A message remembers who submitted its current
-- version, so that person cannot approve it.

CREATE TABLE accounts (
    id               INTEGER PRIMARY KEY,
    login            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name        TEXT NOT NULL,
    title            TEXT NOT NULL DEFAULT '',
    role             TEXT NOT NULL CHECK (role IN ('officer', 'leader', 'operator', 'block-leader', 'admin')),
    password_hash    TEXT NOT NULL DEFAULT '',  -- '' : cannot sign in to the dashboard
    telegram_chat_id TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    password_at      TEXT,                      -- when the password was last set
    disabled_at      TEXT
);
INSERT INTO accounts (id, login, full_name, role, password_hash, telegram_chat_id, created_at, disabled_at)
    SELECT id, login, CASE WHEN display_name = '' THEN login ELSE display_name END, role, password_hash, telegram_chat_id, created_at, disabled_at FROM users;
DROP TABLE users;
ALTER TABLE accounts RENAME TO users;

-- A session is kept by the SHA-256 of its cookie's token: the database never
-- holds a token that would let someone in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    seen_at    TEXT NOT NULL,
    address    TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

ALTER TABLE messages ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';
