-- The signed 送达回证 (or EMS return receipt) a clerk scans for a paper service: the proof itself,
-- beside the date and signer recorded (issue 21 §3). Append-only; the latest is the one shown.

CREATE TABLE service_scans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id   INTEGER NOT NULL REFERENCES services (id),
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    bytes        BLOB NOT NULL,
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    uploaded_at  TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL
);
CREATE INDEX service_scans_service ON service_scans (service_id, id);
