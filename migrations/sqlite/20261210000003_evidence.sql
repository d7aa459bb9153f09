-- Evidence from the parties (证据, issue 22 §4): each file with its name and purpose (证明目的), kept
-- in the database with its SHA-256 so every instance serves the same bytes, and the clerk's review.

CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    party_id      INTEGER NOT NULL REFERENCES parties (id),
    role          TEXT NOT NULL CHECK (role IN ('applicant', 'respondent')),
    name          TEXT NOT NULL CHECK (length(name) > 0),
    purpose       TEXT NOT NULL CHECK (length(purpose) > 0),
    content_type  TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    bytes         BLOB NOT NULL,
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    submitted_at  TEXT NOT NULL,
    review        TEXT NOT NULL DEFAULT 'pending' CHECK (review IN ('pending', 'accepted', 'returned')),
    review_reason TEXT,
    reviewed_at   TEXT,
    reviewed_by   TEXT
);
CREATE INDEX evidence_case ON evidence (case_id, id);
