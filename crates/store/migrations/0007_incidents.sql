-- The incident register (网络安全事件登记, docs/decisions/0505-incident-register-and-legal-hold.md).
-- Portable SQL as in 0001: TEXT and BIGINT only, times RFC 3339 (detected_at and the times a
-- person gives in +08:00, as entered; recorded_at/updated_at UTC), ids made by the application.
-- The grade proposed by the engine is stored with its reasons (JSON) as proposed then; the
-- reports owed and their clocks are computed from the row, never stored.

CREATE TABLE incidents (
    id                          TEXT PRIMARY KEY,
    network_id                  TEXT NOT NULL REFERENCES networks (id),
    org_id                      TEXT NOT NULL REFERENCES organisations (id),
    title                       TEXT NOT NULL,
    operator_class              TEXT NOT NULL CHECK (operator_class IN ('cii', 'state_organ', 'other')),
    industry                    TEXT,
    detected_at                 TEXT NOT NULL,
    category                    TEXT NOT NULL,
    personal_info_records       BIGINT NOT NULL CHECK (personal_info_records >= 0),
    direct_loss_yuan            BIGINT NOT NULL CHECK (direct_loss_yuan >= 0),
    -- Hours and minutes as decimal text: the engine's numbers, exact on both engines.
    service_interruption_hours  TEXT NOT NULL,
    cii_function_lost           BIGINT NOT NULL CHECK (cii_function_lost IN (0, 1)),
    state_secrets_leaked        BIGINT NOT NULL CHECK (state_secrets_leaked IN (0, 1)),
    cii_whole_outage_minutes    TEXT NOT NULL,
    people_affected             BIGINT NOT NULL CHECK (people_affected >= 0),
    portal                      TEXT CHECK (portal IN ('provincial', 'prefecture')),
    portal_unreachable_hours    TEXT NOT NULL,
    suspected_crime             BIGINT NOT NULL CHECK (suspected_crime IN (0, 1)),
    handling_ended_at           TEXT,
    proposed_grade              TEXT NOT NULL CHECK (proposed_grade IN ('general', 'relatively_major', 'major', 'especially_major')),
    proposed_reasons            TEXT NOT NULL,
    grade                       TEXT NOT NULL CHECK (grade IN ('general', 'relatively_major', 'major', 'especially_major')),
    grade_status                TEXT NOT NULL CHECK (grade_status IN ('proposed', 'confirmed', 'overridden')),
    grade_by                    TEXT,
    grade_reason                TEXT NOT NULL,
    affected_systems            TEXT NOT NULL,
    affected_data               TEXT NOT NULL,
    actions                     TEXT NOT NULL,
    state                       TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    closed_at                   TEXT,
    closed_by                   TEXT,
    closing_note                TEXT NOT NULL,
    hold                        TEXT,
    opened_by                   TEXT NOT NULL,
    recorded_at                 TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    CHECK (grade_status <> 'overridden' OR length(grade_reason) > 0),
    CHECK (state <> 'closed' OR (closed_at IS NOT NULL AND handling_ended_at IS NOT NULL))
);
CREATE INDEX incidents_network ON incidents (network_id);
CREATE INDEX incidents_org ON incidents (org_id);

-- Each report sent (报送记录): which owed report (the rule id of data/incidents/reporting.toml),
-- when, by whom, through which channel, with which attachment.
CREATE TABLE incident_reports (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents (id),
    report       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    sent_at      TEXT NOT NULL,
    sent_by      TEXT NOT NULL,
    channel      TEXT NOT NULL,
    attachment   TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX incident_reports_incident ON incident_reports (incident_id);
