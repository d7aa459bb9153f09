-- Issued documents and who looked at them. A document is issued with its wording as set from the
-- template (source) and its PDF, typeset in the issuing transaction; a stored document never
-- changes (a trigger refuses it). A correction is a new version that names the one it corrects.

CREATE TABLE documents (
    id        BIGSERIAL PRIMARY KEY,
    case_id   TEXT NOT NULL REFERENCES cases (id),
    kind      TEXT NOT NULL CHECK (kind IN ('award_final', 'award_nonfinal', 'mediation', 'acceptance_notice',
                  'rejection_notice', 'respondent_notice', 'tribunal_notice', 'hearing_notice',
                  'extension_notice', 'suspension_notice')),
    number    TEXT NOT NULL,
    title     TEXT NOT NULL,
    version   BIGINT NOT NULL CHECK (version >= 1),
    corrects  BIGINT REFERENCES documents (id),
    source    TEXT NOT NULL,
    pdf       BYTEA NOT NULL,
    sha256    TEXT NOT NULL,
    pages     BIGINT NOT NULL,
    issued_on TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    UNIQUE (case_id, kind, number, version)
);
CREATE INDEX documents_case ON documents (case_id);

CREATE FUNCTION documents_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'an issued document is never deleted';
    END IF;
    RAISE EXCEPTION 'an issued document is never changed; issue a correction';
END;
$$;
CREATE TRIGGER documents_are_immutable BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_refuse_change();

CREATE TABLE access_log (
    id          BIGSERIAL PRIMARY KEY,
    at          TEXT NOT NULL,
    username    TEXT NOT NULL,
    role        TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('search', 'view_case', 'list_documents', 'download', 'bundle')),
    case_id     TEXT,
    document_id BIGINT,
    detail      TEXT NOT NULL
);
CREATE INDEX access_log_at ON access_log (at);

-- The PDF of each hearing notice, typeset when the clerk first prints it.
ALTER TABLE hearing_notices ADD COLUMN document_id BIGINT REFERENCES documents (id);
