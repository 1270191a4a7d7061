-- The 2017 law-popularisation work plan as an organisation's checklist (issue 15,
-- docs/decisions/1506-work-plan-checklist.md): one row per organisation, year and point of
-- the plan (`001-wp-01` … `001-wp-13`, data/law/commentary/work-plan.toml), replaced on each
-- update; every update has its audit entry (`workplan.update`). Portable SQL as in 0001.
CREATE TABLE work_plan_tasks (
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    year         BIGINT NOT NULL,
    point        TEXT NOT NULL,
    -- not_started | in_progress | done
    status       TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),
    owner        TEXT NOT NULL,
    note         TEXT NOT NULL,
    -- What shows it was done: a document's name, a link, an evidence id.
    evidence     TEXT NOT NULL,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, year, point)
);
