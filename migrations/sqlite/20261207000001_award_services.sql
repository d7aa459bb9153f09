-- The service of each award or mediation statement on each side: the facts the appeal windows
-- and the day the award takes effect run from (Law Art. 42, 47–50). Recorded by a clerk now;
-- the service ledger will record them from delivered services.
CREATE TABLE award_services (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    document_id INTEGER NOT NULL REFERENCES documents (id),
    party       TEXT NOT NULL CHECK (party IN ('applicant', 'respondent')),
    on_date     TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (document_id, party)
);
CREATE INDEX award_services_case ON award_services (case_id);

CREATE TRIGGER award_services_no_update BEFORE UPDATE ON award_services
BEGIN SELECT RAISE(ABORT, 'award_services is append-only'); END;
CREATE TRIGGER award_services_no_delete BEFORE DELETE ON award_services
BEGIN SELECT RAISE(ABORT, 'award_services is append-only'); END;
