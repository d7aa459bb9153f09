-- Documents with a number series of their own: the refusal notice's 文号 (中劳人仲不字〔2026〕第3号).
CREATE TABLE document_counters (
    series   TEXT NOT NULL,
    year     INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (series, year)
);
-- The tribunal each 仲裁庭组成通知书 named (arbitrator ids, presiding first), so that a change of
-- tribunal issues a new notice (Law Art. 32).
CREATE TABLE tribunal_notices (
    document_id    INTEGER PRIMARY KEY REFERENCES documents (id),
    case_id        TEXT NOT NULL REFERENCES cases (id),
    arbitrator_ids TEXT NOT NULL
);
CREATE INDEX tribunal_notices_case ON tribunal_notices (case_id, document_id);
-- A staff member's name as documents print it (the 书记员 of an award).
ALTER TABLE users ADD COLUMN full_name TEXT;
