-- no-transaction
-- The 答辩书副本 (defence copy) is a document served on the applicants (Law Art. 30: within five
-- days of receiving the defence), so `documents.kind` admits 'defence_copy'. SQLite cannot change a
-- CHECK in place: the table is rebuilt with its rows, index and triggers, foreign keys off while the
-- other tables' references are re-pointed (https://sqlite.org/lang_altertable.html, "other kinds of
-- table schema changes"), all in one transaction.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE documents_rebuilt (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id   TEXT NOT NULL REFERENCES cases (id),
    kind      TEXT NOT NULL CHECK (kind IN ('award_final', 'award_nonfinal', 'mediation', 'acceptance_notice',
                  'rejection_notice', 'respondent_notice', 'tribunal_notice', 'hearing_notice',
                  'extension_notice', 'suspension_notice', 'defence_copy')),
    number    TEXT NOT NULL,
    title     TEXT NOT NULL,
    version   INTEGER NOT NULL CHECK (version >= 1),
    corrects  INTEGER REFERENCES documents (id),
    source    TEXT NOT NULL,
    pdf       BLOB NOT NULL,
    sha256    TEXT NOT NULL,
    pages     INTEGER NOT NULL,
    issued_on TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    UNIQUE (case_id, kind, number, version)
);
INSERT INTO documents_rebuilt (id, case_id, kind, number, title, version, corrects, source, pdf, sha256, pages, issued_on, issued_at, issued_by)
    SELECT id, case_id, kind, number, title, version, corrects, source, pdf, sha256, pages, issued_on, issued_at, issued_by FROM documents;
DROP TABLE documents;
ALTER TABLE documents_rebuilt RENAME TO documents;
CREATE INDEX documents_case ON documents (case_id);
CREATE TRIGGER documents_are_immutable BEFORE UPDATE ON documents
BEGIN
    SELECT RAISE(ABORT, 'an issued document is never changed; issue a correction');
END;
CREATE TRIGGER documents_are_never_deleted BEFORE DELETE ON documents
BEGIN
    SELECT RAISE(ABORT, 'an issued document is never deleted');
END;
COMMIT;
PRAGMA foreign_keys = ON;
