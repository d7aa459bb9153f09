-- What the court did with each award: a split case's final part (-1) and non-final part (-2) go
-- their own ways (Law Art. 48–50). The case's own court_outcome and court_result sum them up once
-- every award of the case has one.
CREATE TABLE award_court_outcomes (
    document_id   INTEGER PRIMARY KEY REFERENCES documents (id),
    case_id       TEXT NOT NULL REFERENCES cases (id),
    court_outcome TEXT NOT NULL CHECK (court_outcome IN ('no_suit', 'suit', 'revocation_petition')),
    court_result  TEXT CHECK (court_result IN ('pending', 'upheld', 'changed', 'revoked', 'withdrawn')),
    recorded_on   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    CHECK ((court_outcome = 'no_suit') = (court_result IS NULL))
);
CREATE INDEX award_court_outcomes_case ON award_court_outcomes (case_id);
