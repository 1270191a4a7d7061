-- An assessor's ruling on one check result of a host report (issue 12, decision 0424): the
-- engaged assessor accepts the machine's result or overrules it with the result they found
-- and a note saying why. Rows are never replaced: the latest per (report, check) counts and
-- the earlier ones are the history, as in item_results. Portable SQL as in 0001.
CREATE TABLE host_check_rulings (
    id             TEXT PRIMARY KEY,
    evidence_id    TEXT NOT NULL REFERENCES host_reports (evidence_id),
    network_id     TEXT NOT NULL REFERENCES networks (id),
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    check_id       TEXT NOT NULL,
    ruling         TEXT NOT NULL CHECK (ruling IN ('accept', 'overrule')),
    -- The assessor's result when overruling; null when the machine's result is accepted.
    result         TEXT CHECK (result IN ('pass', 'fail', 'not_applicable')),
    note           TEXT NOT NULL,
    ruled_by       TEXT NOT NULL,
    ruled_at       TEXT NOT NULL,
    CHECK ((ruling = 'accept' AND result IS NULL) OR (ruling = 'overrule' AND result IS NOT NULL))
);
CREATE INDEX host_check_rulings_report ON host_check_rulings (evidence_id, check_id);
