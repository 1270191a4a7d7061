-- The rectification plan of an assessment (整改, decision 0412): for an item found 不符合 or
-- 部分符合, who fixes it and by when. A task is done when a later result of the item in the
-- same engagement is 符合 or 不适用 (the re-test), so no state is stored here.
CREATE TABLE rectification_tasks (
    id             TEXT PRIMARY KEY,
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    network_id     TEXT NOT NULL REFERENCES networks (id),
    item_id        TEXT NOT NULL,
    owner          TEXT NOT NULL,
    due            TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    UNIQUE (engagement_id, item_id)
);
