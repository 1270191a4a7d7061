-- Quiz attempts (测验记录, docs/decisions/1503-quiz-attempts.md).
-- Portable SQL as in 0001: TEXT and BIGINT only, times UTC RFC 3339, ids made by the
-- application. An attempt is started with the questions it asks (their stable ids of
-- decision 1501, in order) and submitted once; the server scores it from the question bank,
-- so `correct` is the bank's verdict, never a client's.

CREATE TABLE quiz_attempts (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    -- The person of the organisation taking it, when named; else the signed-in user (actor).
    staff_id      TEXT REFERENCES staff (id),
    actor         TEXT NOT NULL,
    -- 'csl' or 'mlps' (the corpus's ids), NULL for both laws.
    law           TEXT,
    -- What drew the quiz: the seed and the bank's date (YYYY-MM-DD).
    seed          BIGINT NOT NULL,
    bank_date     TEXT NOT NULL,
    questions     BIGINT NOT NULL,
    -- NULL until submitted.
    correct       BIGINT,
    started_at    TEXT NOT NULL,
    submitted_at  TEXT
);
CREATE INDEX quiz_attempts_org ON quiz_attempts (org_id);

CREATE TABLE quiz_attempt_answers (
    attempt_id   TEXT NOT NULL REFERENCES quiz_attempts (id),
    -- 0-based order in which the question was asked.
    position     BIGINT NOT NULL,
    question_id  TEXT NOT NULL,
    -- The chosen index (NULL: unanswered or not yet submitted) and the verdict (1/0).
    chosen       BIGINT,
    correct      BIGINT,
    PRIMARY KEY (attempt_id, position)
);
