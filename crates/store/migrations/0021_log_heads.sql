-- The log store's checkpoint heads and verify results, kept in the console's database as
-- well as in `<data-dir>/keys/log-head.json` (issue 14, decision 0926): a log directory
-- wiped together with the head file still leaves the database naming what it held.
-- Bookkeeping, not a change someone made: no audit entry. Portable SQL as in 0001.
CREATE TABLE log_heads (
    -- The checkpoint's number in the chain; one row per checkpoint, never replaced.
    seq          BIGINT PRIMARY KEY CHECK (seq >= 0),
    -- The checkpoint's signature (hex), which names it uniquely.
    sig          TEXT NOT NULL,
    tree_size    BIGINT NOT NULL CHECK (tree_size >= 0),
    -- The checkpoint's own time (RFC 3339), as signed.
    time         TEXT NOT NULL,
    -- HMAC-SHA256 over the fields above under the log head key (as in log-head.json).
    mac          TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);

-- Each `logs verify` (command or scheduled) that ran with the database: what it found.
CREATE TABLE log_verifications (
    id             TEXT PRIMARY KEY,
    verified_at    TEXT NOT NULL,
    ok             BIGINT NOT NULL CHECK (ok IN (0, 1)),
    checkpoints    BIGINT NOT NULL CHECK (checkpoints >= 0),
    -- The newest checkpoint the chain held (null: none).
    head_seq       BIGINT,
    tree_size      BIGINT NOT NULL CHECK (tree_size >= 0),
    problems       BIGINT NOT NULL CHECK (problems >= 0),
    -- The first problem's text, as verify printed it (null when ok).
    first_problem  TEXT
);
CREATE INDEX log_verifications_time ON log_verifications (verified_at);
