-- dengbao schema, version 1. Portable SQL: the same file runs on SQLite and PostgreSQL
-- through sqlx's Any driver (docs/decisions/0600-store-one-code-path.md). Only TEXT and
-- BIGINT columns (the types the Any driver carries on both engines); booleans are 0/1;
-- times are RFC 3339 text in UTC, dates `YYYY-MM-DD`; ids are random text made by the
-- application (no engine-specific auto-increment), so ids do not reveal how many rows exist.

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    created_at  TEXT NOT NULL
);

-- A person or a script. Role decides what it may do; user_orgs says for which
-- organisations (operator: its one organisation; assessor: those that engaged it;
-- supervisor: those filed in its jurisdiction). Administrators and auditors see all.
CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    role        TEXT NOT NULL CHECK (role IN ('administrator', 'operator', 'assessor', 'supervisor', 'auditor')),
    disabled    BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at  TEXT NOT NULL
);

CREATE TABLE user_orgs (
    user_id     TEXT NOT NULL REFERENCES users (id),
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (user_id, org_id)
);

-- API tokens: the presented token is `dbk_<id>_<secret>`; only the argon2id hash of the
-- secret is stored.
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    label        TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The one-time setup token printed by `dengbao serve` while no administrator exists.
CREATE TABLE setup_tokens (
    id           TEXT PRIMARY KEY,
    secret_hash  TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

-- A network (定级对象) and its profile: the [network] and [grading] tables of the
-- profile file (issue 3). Lists are JSON arrays of the interface's snake_case names.
CREATE TABLE networks (
    id                    TEXT PRIMARY KEY,
    org_id                TEXT NOT NULL REFERENCES organisations (id),
    name                  TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    level                 BIGINT CHECK (level BETWEEN 1 AND 5),
    stage                 TEXT NOT NULL CHECK (stage IN ('planning', 'building', 'running', 'retired')),
    cii                   BIGINT NOT NULL CHECK (cii IN (0, 1)),
    classified            TEXT NOT NULL CHECK (classified IN ('none', 'secret', 'confidential', 'top_secret')),
    personal_info         BIGINT NOT NULL CHECK (personal_info IN (0, 1)),
    services              TEXT NOT NULL,
    new_tech              TEXT NOT NULL,
    overseas_maintenance  BIGINT NOT NULL CHECK (overseas_maintenance IN (0, 1)),
    cross_border_data     BIGINT NOT NULL CHECK (cross_border_data IN (0, 1)),
    competent_department  BIGINT NOT NULL CHECK (competent_department IN (0, 1)),
    grading               TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    deleted_at            TEXT
);
CREATE INDEX networks_org ON networks (org_id);

-- The dated events of a network's life ([events] of the profile); a kind may recur
-- (assessed every year): the profile takes the latest.
CREATE TABLE network_events (
    id           TEXT PRIMARY KEY,
    network_id   TEXT NOT NULL REFERENCES networks (id),
    kind         TEXT NOT NULL,
    at           TEXT NOT NULL,
    note         TEXT NOT NULL,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX network_events_network ON network_events (network_id);

-- Evidence that proves a duty: an uploaded file (stored under <data-dir>/evidence/ by its
-- SHA-256) or a link.
CREATE TABLE evidence (
    id           TEXT PRIMARY KEY,
    network_id   TEXT NOT NULL REFERENCES networks (id),
    duty_id      TEXT NOT NULL,
    description  TEXT NOT NULL,
    link         TEXT,
    file_name    TEXT,
    sha256       TEXT,
    size         BIGINT,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    expires      TEXT,
    CHECK (link IS NOT NULL OR sha256 IS NOT NULL)
);
CREATE INDEX evidence_network ON evidence (network_id);

-- The append-only, hash-chained audit log. hash = SHA-256 over the canonical encoding of
-- (seq, at, actor, org_id, action, target, detail, prev_hash); see crates/store/src/audit.rs.
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    org_id     TEXT,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);

-- The head of the chain. Every write transaction starts by updating this one row, which
-- serialises writers on both engines (row lock on PostgreSQL, the write lock on SQLite) so
-- that sequence numbers have no gaps and each entry chains to the one before it.
CREATE TABLE audit_head (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
