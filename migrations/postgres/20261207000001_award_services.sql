-- The service of each award or mediation statement on each side: the facts the appeal windows
-- and the day the award takes effect run from (Law Art. 42, 47–50). Recorded by a clerk now;
-- the service ledger will record them from delivered services.
CREATE TABLE award_services (
    id          BIGSERIAL PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    document_id BIGINT NOT NULL REFERENCES documents (id),
    party       TEXT NOT NULL CHECK (party IN ('applicant', 'respondent')),
    on_date     TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (document_id, party)
);
CREATE INDEX award_services_case ON award_services (case_id);

CREATE FUNCTION award_services_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'award_services is append-only';
END;
$$;
CREATE TRIGGER award_services_no_change BEFORE UPDATE OR DELETE ON award_services
    FOR EACH ROW EXECUTE FUNCTION award_services_append_only();
