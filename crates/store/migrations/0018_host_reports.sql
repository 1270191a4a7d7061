-- Host-check reports sent by `dengbao host report` (issue 12, decision 0420): each is an
-- evidence item (the report's JSON as the file, reviewed like any upload) plus this row,
-- which says which host it is about and its counts, so the network's hosts and their
-- latest results can be listed without reading every file. Portable SQL as in 0001.
CREATE TABLE host_reports (
    evidence_id   TEXT PRIMARY KEY REFERENCES evidence (id),
    network_id    TEXT NOT NULL REFERENCES networks (id),
    host          TEXT NOT NULL,
    level         BIGINT NOT NULL CHECK (level IN (2, 3)),
    distro        TEXT NOT NULL,
    passed        BIGINT NOT NULL,
    failed        BIGINT NOT NULL,
    not_applicable BIGINT NOT NULL,
    unknown       BIGINT NOT NULL,
    received_at   TEXT NOT NULL
);
CREATE INDEX host_reports_network ON host_reports (network_id, host);
