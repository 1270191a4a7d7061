-- The yearly training plan (年度培训计划, docs/decisions/1505-training-plan-and-certificate-duties.md).
-- Portable SQL as in 0001 and 0022: TEXT and BIGINT only, dates YYYY-MM-DD (Asia/Shanghai),
-- recorded_at UTC. One plan per organisation and year, replaced whole on each save; its items
-- are kept in the order given (position).

CREATE TABLE training_plans (
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    year         BIGINT NOT NULL,
    -- Who approved the plan and on which day; both or neither.
    approved_by  TEXT,
    approved_on  TEXT,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, year)
);

CREATE TABLE training_plan_items (
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    year         BIGINT NOT NULL,
    position     BIGINT NOT NULL,
    -- The month planned (1–12), and the day when the plan names one.
    month        BIGINT NOT NULL,
    planned_on   TEXT,
    topic        TEXT NOT NULL,
    -- all (every person), key_posts (the key posts of network_id) or role (people whose
    -- position is role).
    audience     TEXT NOT NULL,
    network_id   TEXT REFERENCES networks (id),
    role         TEXT,
    -- Hours in tenths, as training_sessions.hours_tenths.
    hours_tenths BIGINT NOT NULL,
    trainer      TEXT NOT NULL,
    -- A session linked explicitly as holding this item (otherwise matched by topic and month).
    session_id   TEXT REFERENCES training_sessions (id),
    PRIMARY KEY (org_id, year, position)
);
