-- The operator's own 自查 and evidence per item (decision 0412, "自查 and evidence").
-- evidence = JSON array of evidence ids of the same network (as findings.evidence), checked
-- by the store when a result is recorded; results recorded before this migration link none.
ALTER TABLE item_results ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';

-- The operator's self-assessment: the same per-item results, one self-assessment per network
-- and no engagement, so it can never be taken for the assessor's (it changes no engagement,
-- conclusion or duty). Rows are never replaced, as in item_results: the latest per item
-- counts and the earlier ones are the history.
CREATE TABLE self_item_results (
    id             TEXT PRIMARY KEY,
    network_id     TEXT NOT NULL REFERENCES networks (id),
    item_id        TEXT NOT NULL,
    result         TEXT NOT NULL CHECK (result IN ('符合', '部分符合', '不符合', '不适用')),
    reason         TEXT NOT NULL,
    risk           TEXT CHECK (risk IN ('高', '中', '低')),
    major_hazard   BIGINT NOT NULL DEFAULT 0,
    note           TEXT NOT NULL,
    evidence       TEXT NOT NULL DEFAULT '[]',
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX self_item_results_network ON self_item_results (network_id, item_id);
