-- The parties online (issue 22): each respondent's own sign-in code, given at acceptance and
-- printed on its 应诉通知书 (the applicants keep the case's access code from registration), and the
-- sessions a party's sign-in opens, each scoped to that party of that case. Codes and tokens are
-- kept as SHA-256 digests.

CREATE TABLE party_codes (
    party_id   BIGINT PRIMARY KEY REFERENCES parties (id),
    case_id    TEXT NOT NULL REFERENCES cases (id),
    code_hash  TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX party_codes_case ON party_codes (case_id);

CREATE TABLE party_sessions (
    token_hash TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    role       TEXT NOT NULL CHECK (role IN ('applicant', 'respondent')),
    party_id   BIGINT NOT NULL REFERENCES parties (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
