-- Services are read by their document (the clock's "served on every party of a side", a party
-- opening a document) and asked whether they were replaced (the clerk's list of documents not yet
-- served): without these indexes each of those reads scans every service ever opened.
CREATE INDEX services_document ON services (document_id, id);
CREATE INDEX services_replaces ON services (replaces) WHERE replaces IS NOT NULL;
-- A registration looks for the same parties' filings of the last days (duplicates): by filing day.
CREATE INDEX cases_filed_on ON cases (filed_on);
