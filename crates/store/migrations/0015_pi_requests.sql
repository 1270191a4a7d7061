-- Requests to delete or correct personal information (网络安全法 第四十三条; decision 0507).
-- Portable SQL as in 0001. The law states no deadline: an organisation may set its own
-- handling period in working days (its policy, e.g. GB/T 35273-2020's 15 working days), with
-- where it comes from; unset (NULL) means no deadline is shown. A request keeps the policy in
-- force when it was received, so a later change does not move an earlier request's deadline.

ALTER TABLE organisations ADD COLUMN pi_request_working_days BIGINT;
ALTER TABLE organisations ADD COLUMN pi_request_policy_source TEXT;

CREATE TABLE pi_requests (
    id                    TEXT PRIMARY KEY,
    network_id            TEXT NOT NULL REFERENCES networks (id),
    org_id                TEXT NOT NULL REFERENCES organisations (id),
    kind                  TEXT NOT NULL CHECK (kind IN ('delete', 'correct')),
    -- A reference to the requester (a ticket number), not the person's data.
    requester_ref         TEXT NOT NULL,
    received_at           TEXT NOT NULL,
    policy_working_days   BIGINT CHECK (policy_working_days IS NULL OR policy_working_days > 0),
    policy_source         TEXT,
    state                 TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    outcome               TEXT CHECK (outcome IN ('done', 'refused')),
    reason                TEXT NOT NULL,
    closed_at             TEXT,
    closed_by             TEXT,
    actor                 TEXT NOT NULL,
    recorded_at           TEXT NOT NULL,
    CHECK (state <> 'closed' OR (outcome IS NOT NULL AND closed_at IS NOT NULL)),
    CHECK (outcome IS NULL OR outcome <> 'refused' OR length(reason) > 0)
);
CREATE INDEX pi_requests_network ON pi_requests (network_id);
