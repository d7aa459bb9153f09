-- Rescheduling and the record of a hearing: postponement requests, the feeds a moved hearing
-- leaves (an arbitrator or room taken off it sees it cancelled), attendance, and the day a case closed.

ALTER TABLE hearings ADD COLUMN held_on TEXT;
ALTER TABLE hearings ADD COLUMN record TEXT;
ALTER TABLE hearings ADD COLUMN applicant_attended SMALLINT CHECK (applicant_attended IN (0, 1));
ALTER TABLE hearings ADD COLUMN respondent_attended SMALLINT CHECK (respondent_attended IN (0, 1));
ALTER TABLE cases ADD COLUMN closed_on TEXT;

-- Law Art. 35; Rules Art. 38: a party may ask, with good reason, to postpone a hearing.
CREATE TABLE postponements (
    id            BIGSERIAL PRIMARY KEY,
    hearing_id    BIGINT NOT NULL REFERENCES hearings (id),
    case_id       TEXT NOT NULL REFERENCES cases (id),
    party         TEXT NOT NULL CHECK (party IN ('applicant', 'respondent')),
    requested_on  TEXT NOT NULL,
    reason        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'refused')),
    decision_note TEXT,
    decided_at    TEXT,
    decided_by    TEXT,
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX postponements_case ON postponements (case_id);
-- One open request per hearing.
CREATE UNIQUE INDEX postponements_one_pending ON postponements (hearing_id) WHERE status = 'pending';

-- A room or arbitrator a hearing no longer holds: its feed keeps the event, cancelled.
CREATE TABLE hearing_releases (
    hearing_id  BIGINT NOT NULL REFERENCES hearings (id),
    resource    TEXT NOT NULL CHECK (resource IN ('room', 'arbitrator')),
    resource_id BIGINT NOT NULL,
    PRIMARY KEY (hearing_id, resource, resource_id)
);
CREATE INDEX hearing_releases_resource ON hearing_releases (resource, resource_id);
