-- Service of documents (送达): each party's service address and consents as confirmed
-- (送达地址确认书, append-only: the latest row is in force, earlier services keep the one they
-- relied on), one service per document and recipient with its steps, and the SMS and e-mail
-- messages that prompt a party (notices, not service).

CREATE TABLE service_addresses (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id           TEXT NOT NULL REFERENCES cases (id),
    party_id          INTEGER NOT NULL REFERENCES parties (id),
    address           TEXT NOT NULL,
    phone             TEXT,
    email             TEXT,
    platform          INTEGER NOT NULL CHECK (platform IN (0, 1)),
    sms_notice        INTEGER NOT NULL CHECK (sms_notice IN (0, 1)),
    email_consent     INTEGER NOT NULL CHECK (email_consent IN (0, 1)),
    electronic_awards INTEGER NOT NULL CHECK (electronic_awards IN (0, 1)),
    source            TEXT NOT NULL CHECK (source IN ('registration', 'clerk', 'party')),
    recorded_at       TEXT NOT NULL,
    recorded_by       TEXT NOT NULL,
    CHECK (email_consent = 0 OR email IS NOT NULL)
);
CREATE INDEX service_addresses_party ON service_addresses (party_id, id);

CREATE TRIGGER service_addresses_no_update BEFORE UPDATE ON service_addresses
BEGIN SELECT RAISE(ABORT, 'service_addresses is append-only'); END;
CREATE TRIGGER service_addresses_no_delete BEFORE DELETE ON service_addresses
BEGIN SELECT RAISE(ABORT, 'service_addresses is append-only'); END;

CREATE TABLE services (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    document_id  INTEGER NOT NULL REFERENCES documents (id),
    party_id     INTEGER NOT NULL REFERENCES parties (id),
    channel      TEXT NOT NULL CHECK (channel IN ('platform', 'email', 'sms', 'post', 'in_person', 'left_at_address', 'public_notice')),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'delivered', 'failed', 'cancelled')),
    address      TEXT NOT NULL,
    consent_id   INTEGER REFERENCES service_addresses (id),
    replaces     INTEGER REFERENCES services (id),
    attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error   TEXT,
    receipt_id   TEXT UNIQUE,
    ems_number   TEXT,
    posted_on    TEXT,
    sent_at      TEXT,
    delivered_on TEXT,
    delivered_at TEXT,
    confirmed_at TEXT,
    failure      TEXT,
    evidence     TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ((status = 'delivered') = (delivered_on IS NOT NULL)),
    CHECK ((status = 'failed') = (failure IS NOT NULL))
);
CREATE INDEX services_case ON services (case_id, id);
CREATE INDEX services_open ON services (status, created_at) WHERE status IN ('pending', 'sent', 'failed');
-- one live service of a document to a party: a re-service cancels or follows a failed one
CREATE UNIQUE INDEX services_live ON services (document_id, party_id) WHERE status IN ('pending', 'sent', 'delivered');

CREATE TABLE service_steps (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id INTEGER NOT NULL REFERENCES services (id),
    at         TEXT NOT NULL,
    step       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    detail     TEXT NOT NULL
);
CREATE INDEX service_steps_service ON service_steps (service_id, id);

CREATE TRIGGER service_steps_no_update BEFORE UPDATE ON service_steps
BEGIN SELECT RAISE(ABORT, 'service_steps is append-only'); END;
CREATE TRIGGER service_steps_no_delete BEFORE DELETE ON service_steps
BEGIN SELECT RAISE(ABORT, 'service_steps is append-only'); END;

CREATE TABLE messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    party_id     INTEGER NOT NULL REFERENCES parties (id),
    service_id   INTEGER REFERENCES services (id),
    channel      TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient    TEXT NOT NULL,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'delivered', 'failed')),
    receipt_id   TEXT UNIQUE,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    sent_at      TEXT,
    delivered_at TEXT
);
CREATE INDEX messages_case ON messages (case_id, id);
