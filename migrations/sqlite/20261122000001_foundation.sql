-- Foundation: accounts, arbitrators, rooms, cases with parties and claims, the audit log,
-- per-year case-number counters and idempotency keys.
-- Dates are TEXT 'YYYY-MM-DD' (Asia/Shanghai); instants TEXT RFC 3339 UTC with milliseconds;
-- flags INTEGER 0/1; money INTEGER fen.

CREATE TABLE arbitrators (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    presides    INTEGER NOT NULL DEFAULT 0 CHECK (presides IN (0, 1)),
    max_per_day INTEGER NOT NULL DEFAULT 4 CHECK (max_per_day BETWEEN 1 AND 20),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL
);

CREATE TABLE rooms (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    seats      INTEGER NOT NULL CHECK (seats > 0),
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('clerk', 'arbitrator', 'liaison', 'admin')),
    password_hash TEXT NOT NULL,
    arbitrator_id INTEGER REFERENCES arbitrators (id),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL
);

CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('api', 'session')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX auth_tokens_expiry ON auth_tokens (expires_at);

CREATE TABLE cases (
    id                       TEXT PRIMARY KEY,
    status                   TEXT NOT NULL CHECK (status IN ('filed', 'accepted', 'rejected', 'scheduled', 'heard', 'suspended', 'closed')),
    outcome                  TEXT CHECK (outcome IN ('award', 'mediation', 'withdrawn', 'deemed_withdrawn', 'revoked')),
    track                    TEXT NOT NULL CHECK (track IN ('green', 'simple', 'ordinary', 'collective')),
    routing                  TEXT NOT NULL,
    access_code_hash         TEXT NOT NULL,
    filed_at                 TEXT NOT NULL,
    filed_on                 TEXT NOT NULL,
    accepted_on              TEXT,
    case_year                INTEGER,
    case_seq                 INTEGER,
    case_no                  TEXT UNIQUE,
    rejected_on              TEXT,
    reject_reason            TEXT,
    facts                    TEXT NOT NULL,
    employment_start         TEXT NOT NULL,
    employment_end           TEXT,
    monthly_wage_fen         INTEGER,
    consent_simplified       INTEGER NOT NULL CHECK (consent_simplified IN (0, 1)),
    consent_informal_service INTEGER NOT NULL CHECK (consent_informal_service IN (0, 1)),
    claimed_total_fen        INTEGER NOT NULL CHECK (claimed_total_fen >= 0),
    warnings                 TEXT NOT NULL,
    updated_at               TEXT NOT NULL,
    UNIQUE (case_year, case_seq),
    -- a case number exists exactly when the case has been accepted
    CHECK ((case_no IS NULL) = (status IN ('filed', 'rejected'))),
    CHECK ((case_no IS NULL) = (accepted_on IS NULL))
);
CREATE INDEX cases_status_filed_on ON cases (status, filed_on);
CREATE INDEX cases_filed_at ON cases (filed_at);

CREATE TABLE parties (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id              TEXT NOT NULL REFERENCES cases (id),
    role                 TEXT NOT NULL CHECK (role IN ('applicant', 'respondent')),
    position             INTEGER NOT NULL,
    name                 TEXT NOT NULL,
    id_number            TEXT,
    credit_code          TEXT,
    phone                TEXT,
    address              TEXT NOT NULL,
    legal_representative TEXT,
    UNIQUE (case_id, role, position)
);
CREATE INDEX parties_name ON parties (name);

CREATE TABLE claims (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    amount_fen     INTEGER CHECK (amount_fen > 0),
    description    TEXT NOT NULL,
    final_eligible INTEGER NOT NULL CHECK (final_eligible IN (0, 1)),
    UNIQUE (case_id, position)
);

CREATE TABLE case_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    before_state TEXT,
    after_state  TEXT,
    note         TEXT
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

CREATE TABLE case_counters (
    year     INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL CHECK (last_seq > 0)
);

CREATE TABLE idempotency_keys (
    key          TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    response     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
