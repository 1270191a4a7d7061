-- The web console's accounts (docs/decisions/0801-console-sessions.md): a password per
-- user (argon2id PHC string; NULL = cannot sign in to the console, API tokens only),
-- sessions and sign-in failures. Portable SQL, as 0001.

ALTER TABLE users ADD COLUMN password_hash TEXT;

-- A console session. The cookie carries a random secret; only its SHA-256 is stored, so a
-- copy of the database does not let anyone act as a signed-in user. `csrf` is the
-- synchronizer token every unsafe request of the session must carry.
CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    csrf        TEXT NOT NULL,
    ip          TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    ended_at    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins, for rate limiting by (name, address) across restarts. A successful
-- sign-in clears its pair's rows; the audit log keeps the history.
CREATE TABLE signin_failures (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    ip    TEXT NOT NULL,
    at    TEXT NOT NULL
);
CREATE INDEX signin_failures_pair ON signin_failures (name, ip, at);
