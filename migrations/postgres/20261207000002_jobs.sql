-- The job outbox: background work written in the same transaction as the fact that needs it,
-- claimed by one worker at a time across every instance (a lease), retried with back-off, and
-- kept with its last error when it gives up.
CREATE TABLE jobs (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    -- at most one pending job per key (NULL: no key), so a fact enqueued twice runs once
    dedupe_key   TEXT,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    due_at       TEXT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error   TEXT,
    claimed_by   TEXT,
    claimed_at   TEXT,
    created_at   TEXT NOT NULL,
    finished_at  TEXT,
    CHECK ((state = 'pending') = (finished_at IS NULL))
);
CREATE INDEX jobs_due ON jobs (due_at, id) WHERE state = 'pending';
CREATE UNIQUE INDEX jobs_pending_key ON jobs (dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL;
