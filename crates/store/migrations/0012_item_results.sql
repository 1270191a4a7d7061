-- Per-item results of an assessment (单项测评结果, GB/T 22239-2019 requirement items; decision
-- 0412): one row per recording, never replaced, so a re-test keeps the earlier result and
-- the history of the rate can be drawn; the latest row per (engagement, item) counts.
CREATE TABLE item_results (
    id             TEXT PRIMARY KEY,
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    network_id     TEXT NOT NULL REFERENCES networks (id),
    item_id        TEXT NOT NULL,
    result         TEXT NOT NULL CHECK (result IN ('符合', '部分符合', '不符合', '不适用')),
    reason         TEXT NOT NULL,
    risk           TEXT CHECK (risk IN ('高', '中', '低')),
    major_hazard   BIGINT NOT NULL DEFAULT 0,
    note           TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX item_results_engagement ON item_results (engagement_id, item_id);
