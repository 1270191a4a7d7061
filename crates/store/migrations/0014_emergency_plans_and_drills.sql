-- Emergency plans and drills (应急预案和演练, docs/decisions/0507-emergency-plans-and-pi-requests.md).
-- Portable SQL as in 0001: TEXT and BIGINT only, dates YYYY-MM-DD (Asia/Shanghai),
-- recorded_at UTC, ids made by the application. Recording a plan writes the network's
-- `emergency_plan_approved` event, a drill `last_emergency_drill` (event_id), in the same
-- transaction, so the duty engine reads them without a second entry.

CREATE TABLE emergency_plans (
    id           TEXT PRIMARY KEY,
    network_id   TEXT NOT NULL REFERENCES networks (id),
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    title        TEXT NOT NULL,
    version      TEXT NOT NULL,
    approved_on  TEXT NOT NULL,
    approved_by  TEXT NOT NULL,
    -- The document: evidence already on file for the network, or a link (http/https).
    evidence_id  TEXT REFERENCES evidence (id),
    link         TEXT,
    event_id     TEXT NOT NULL,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    CHECK (evidence_id IS NOT NULL OR link IS NOT NULL)
);
CREATE INDEX emergency_plans_network ON emergency_plans (network_id);

CREATE TABLE emergency_drills (
    id            TEXT PRIMARY KEY,
    network_id    TEXT NOT NULL REFERENCES networks (id),
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    plan_id       TEXT NOT NULL REFERENCES emergency_plans (id),
    held_on       TEXT NOT NULL,
    scenario      TEXT NOT NULL,
    participants  TEXT NOT NULL,
    findings      TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    actor         TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX emergency_drills_network ON emergency_drills (network_id);
