-- Supervisor and assessor workflows (docs/decisions/0810–0815). Portable SQL as in 0001:
-- TEXT and BIGINT only, dates `YYYY-MM-DD`, times RFC 3339 UTC, ids made by the application.

-- 行业类别 of the filing form (备案表 表一), for the supervisors' statistics. Free text from
-- the list the console offers; NULL = not stated.
ALTER TABLE organisations ADD COLUMN industry TEXT;

-- Filing (备案, 条例 第十八条–第十九条). One row per submission; a rejected filing stays and a
-- new row is the resubmission. supervisor_id is the organ it was filed with (its
-- jurisdiction, docs/decisions/0810-filing-and-jurisdiction.md).
CREATE TABLE filings (
    id              TEXT PRIMARY KEY,
    network_id      TEXT NOT NULL REFERENCES networks (id),
    org_id          TEXT NOT NULL REFERENCES organisations (id),
    supervisor_id   TEXT NOT NULL REFERENCES users (id),
    level           BIGINT NOT NULL CHECK (level BETWEEN 2 AND 5),
    state           TEXT NOT NULL CHECK (state IN ('submitted', 'certified', 'rejected')),
    submitted_on    TEXT NOT NULL,
    review_due      TEXT NOT NULL,
    decided_on      TEXT,
    certificate_no  TEXT UNIQUE,
    reasons         TEXT NOT NULL,
    form            TEXT NOT NULL,
    note            TEXT NOT NULL,
    submitted_by    TEXT NOT NULL,
    decided_by      TEXT,
    recorded_at     TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (state <> 'certified' OR certificate_no IS NOT NULL),
    CHECK (state <> 'rejected' OR length(reasons) > 0)
);
CREATE INDEX filings_network ON filings (network_id);
CREATE INDEX filings_supervisor ON filings (supervisor_id);

-- Security inspections by the public security organ (安全检查, 条例 第五十条: level 3+ at
-- least once a year).
CREATE TABLE inspections (
    id            TEXT PRIMARY KEY,
    network_id    TEXT NOT NULL REFERENCES networks (id),
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    inspected_on  TEXT NOT NULL,
    note          TEXT NOT NULL,
    inspector     TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX inspections_network ON inspections (network_id);

-- Rectification orders (责令限期整改, 条例 第五十一条): findings (JSON array of text) and a
-- deadline; the operator reports (整改报告); the organ closes it.
CREATE TABLE rectification_orders (
    id            TEXT PRIMARY KEY,
    network_id    TEXT NOT NULL REFERENCES networks (id),
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    state         TEXT NOT NULL CHECK (state IN ('open', 'reported', 'closed')),
    findings      TEXT NOT NULL,
    issued_on     TEXT NOT NULL,
    due           TEXT NOT NULL,
    issued_by     TEXT NOT NULL,
    report        TEXT NOT NULL,
    reported_on   TEXT,
    reported_by   TEXT,
    closed_on     TEXT,
    closed_by     TEXT,
    closing_note  TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX rectification_orders_network ON rectification_orders (network_id);

-- Assessor engagements (等级测评委托): an organisation engages an assessor user for one
-- network; engaging grants the assessor reach to the organisation.
CREATE TABLE engagements (
    id            TEXT PRIMARY KEY,
    network_id    TEXT NOT NULL REFERENCES networks (id),
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    assessor_id   TEXT NOT NULL REFERENCES users (id),
    state         TEXT NOT NULL CHECK (state IN ('open', 'concluded')),
    engaged_on    TEXT NOT NULL,
    engaged_by    TEXT NOT NULL,
    conclusion    TEXT CHECK (conclusion IN ('conforms', 'basically_conforms', 'not_conforming')),
    -- the assessor's overall score × 100 (85.5 → 8550), when the assessor gives one
    score_x100    BIGINT CHECK (score_x100 BETWEEN 0 AND 10000),
    summary       TEXT NOT NULL,
    concluded_on  TEXT,
    recorded_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (state <> 'concluded' OR conclusion IS NOT NULL)
);
CREATE INDEX engagements_network ON engagements (network_id);
CREATE INDEX engagements_assessor ON engagements (assessor_id);

-- One finding per duty and engagement (recording again replaces it; the audit log keeps
-- every version). evidence = JSON array of evidence ids of the same network.
CREATE TABLE findings (
    id             TEXT PRIMARY KEY,
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    duty_id        TEXT NOT NULL,
    result         TEXT NOT NULL CHECK (result IN ('conforms', 'partly', 'not_conforming')),
    text           TEXT NOT NULL,
    evidence       TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    UNIQUE (engagement_id, duty_id)
);
