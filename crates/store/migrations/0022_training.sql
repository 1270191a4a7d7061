-- Staff, key posts and training records (人员与培训, docs/decisions/1502-training-records-and-duties.md).
-- Portable SQL as in 0001: TEXT and BIGINT only, dates YYYY-MM-DD (Asia/Shanghai), recorded_at
-- UTC, ids made by the application. A person belongs to an organisation; key posts and
-- training sessions to a network. A session covering the network's key posts writes the
-- network's `last_training` event (event_id) in the same transaction.

CREATE TABLE staff (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    name         TEXT NOT NULL,
    position     TEXT NOT NULL,
    -- 1: holds a key post (关键岗位), 0: not.
    key_post     BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX staff_org ON staff (org_id);

CREATE TABLE staff_certificates (
    id           TEXT PRIMARY KEY,
    staff_id     TEXT NOT NULL REFERENCES staff (id),
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    name         TEXT NOT NULL,
    number       TEXT,
    issuer       TEXT NOT NULL,
    expires_on   TEXT NOT NULL,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX staff_certificates_staff ON staff_certificates (staff_id);

CREATE TABLE network_key_posts (
    network_id   TEXT NOT NULL REFERENCES networks (id),
    staff_id     TEXT NOT NULL REFERENCES staff (id),
    post         TEXT NOT NULL,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (network_id, staff_id)
);

CREATE TABLE training_sessions (
    id           TEXT PRIMARY KEY,
    network_id   TEXT NOT NULL REFERENCES networks (id),
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    held_on      TEXT NOT NULL,
    topic        TEXT NOT NULL,
    -- Hours in tenths (2.5 h = 25): BIGINT stays exact on both engines.
    hours_tenths BIGINT NOT NULL,
    trainer      TEXT NOT NULL,
    -- The materials: evidence already on file for the network, or a link (http/https); optional.
    evidence_id  TEXT REFERENCES evidence (id),
    link         TEXT,
    -- The `last_training` event, when the attendees cover the network's key posts.
    event_id     TEXT,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX training_sessions_network ON training_sessions (network_id);
CREATE INDEX training_sessions_org ON training_sessions (org_id);

CREATE TABLE training_attendees (
    session_id   TEXT NOT NULL REFERENCES training_sessions (id),
    staff_id     TEXT NOT NULL REFERENCES staff (id),
    PRIMARY KEY (session_id, staff_id)
);
CREATE INDEX training_attendees_staff ON training_attendees (staff_id);
