-- The signed 送达回证 (or EMS return receipt) a clerk scans for a paper service: the proof itself,
-- beside the date and signer recorded (issue 21 §3). Append-only; the latest is the one shown.

CREATE TABLE service_scans (
    id           BIGSERIAL PRIMARY KEY,
    service_id   BIGINT NOT NULL REFERENCES services (id),
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    bytes        BYTEA NOT NULL,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL CHECK (size > 0),
    uploaded_at  TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL
);
CREATE INDEX service_scans_service ON service_scans (service_id, id);
