-- Hearings: arbitrators' leave and recusal entries, the calendar token of each arbitrator and
-- room, hearings with their tribunal, one row per occupied slot (the database's own guard against
-- double booking) and the hearing notices.

ALTER TABLE arbitrators ADD COLUMN calendar_token TEXT;
ALTER TABLE rooms ADD COLUMN calendar_token TEXT;

CREATE TABLE arbitrator_leave (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    arbitrator_id INTEGER NOT NULL REFERENCES arbitrators (id),
    from_day      TEXT NOT NULL,
    to_day        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    CHECK (from_day <= to_day)
);
CREATE INDEX arbitrator_leave_days ON arbitrator_leave (arbitrator_id, to_day);

-- Law Art. 33: an arbitrator stands aside from any case of a party named here.
CREATE TABLE recusals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    arbitrator_id INTEGER NOT NULL REFERENCES arbitrators (id),
    party_name    TEXT,
    id_number     TEXT,
    credit_code   TEXT,
    reason        TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    CHECK (party_name IS NOT NULL OR id_number IS NOT NULL OR credit_code IS NOT NULL)
);
CREATE INDEX recusals_arbitrator ON recusals (arbitrator_id);

CREATE TABLE hearings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    day        TEXT NOT NULL,
    session    INTEGER NOT NULL CHECK (session >= 0),
    slot       INTEGER NOT NULL CHECK (slot >= 0),
    slots      INTEGER NOT NULL CHECK (slots > 0),
    start_time TEXT NOT NULL,
    end_time   TEXT NOT NULL,
    room_id    INTEGER NOT NULL REFERENCES rooms (id),
    status     TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
    sequence   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX hearings_case ON hearings (case_id);
CREATE INDEX hearings_day ON hearings (day);
-- A case has at most one hearing still to be held.
CREATE UNIQUE INDEX hearings_one_planned ON hearings (case_id) WHERE status = 'planned';

CREATE TABLE hearing_arbitrators (
    hearing_id    INTEGER NOT NULL REFERENCES hearings (id),
    arbitrator_id INTEGER NOT NULL REFERENCES arbitrators (id),
    position      INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (hearing_id, arbitrator_id),
    UNIQUE (hearing_id, position)
);
CREATE INDEX hearing_arbitrators_arbitrator ON hearing_arbitrators (arbitrator_id);

-- One row per slot a planned hearing occupies, for its room and for each arbitrator: two hearings
-- can never hold the same room or arbitrator in the same slot, whoever writes them.
CREATE TABLE slot_claims (
    day         TEXT NOT NULL,
    session     INTEGER NOT NULL,
    slot        INTEGER NOT NULL,
    resource    TEXT NOT NULL CHECK (resource IN ('room', 'arbitrator')),
    resource_id INTEGER NOT NULL,
    hearing_id  INTEGER NOT NULL REFERENCES hearings (id),
    PRIMARY KEY (day, session, slot, resource, resource_id)
);
CREATE INDEX slot_claims_hearing ON slot_claims (hearing_id);

-- Law Art. 35; Rules Art. 38: the written notice of the hearing's date and place.
CREATE TABLE hearing_notices (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    hearing_id INTEGER NOT NULL REFERENCES hearings (id),
    issued_on  TEXT NOT NULL,
    served_on  TEXT,
    channel    TEXT CHECK (channel IN ('in_person', 'post', 'electronic', 'public_notice')),
    sequence   INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (hearing_id, sequence)
);
