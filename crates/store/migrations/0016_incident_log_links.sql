-- The log centre's evidence an incident rests on (issue 10, decision 0505): the searches run
-- over the held logs and the exports taken from them, linked to the incident so the register
-- says which logs prove what. An export is named by its file and SHA-256, as written.
CREATE TABLE incident_log_links (
    id             TEXT PRIMARY KEY,
    incident_id    TEXT NOT NULL REFERENCES incidents (id),
    query          TEXT NOT NULL,
    from_at        TEXT,
    to_at          TEXT,
    export_file    TEXT NOT NULL,
    export_sha256  TEXT NOT NULL,
    note           TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX incident_log_links_incident ON incident_log_links (incident_id);
