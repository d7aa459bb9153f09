-- What a party says online besides its defence (issue 22 §3, §5): the respondent's consents to the
-- simplified procedure and to informal notice, and either side's willingness to mediate, each
-- answer kept with its time (the latest is in force); and the requests a party files for a
-- decision: an arbitrator's recusal (回避申请, Law Art. 33) and the applicant's withdrawal
-- (撤回申请, Rules Art. 35), pending until a clerk or the tribunal decides.

CREATE TABLE party_answers (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id          TEXT NOT NULL REFERENCES cases (id),
    party_id         INTEGER NOT NULL REFERENCES parties (id),
    simplified       INTEGER NOT NULL CHECK (simplified IN (0, 1)),
    informal_service INTEGER NOT NULL CHECK (informal_service IN (0, 1)),
    mediation        INTEGER NOT NULL CHECK (mediation IN (0, 1)),
    answered_at      TEXT NOT NULL
);
CREATE INDEX party_answers_case ON party_answers (case_id, party_id, id);

CREATE TABLE party_requests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    party_id      INTEGER NOT NULL REFERENCES parties (id),
    kind          TEXT NOT NULL CHECK (kind IN ('recusal', 'withdrawal')),
    reason        TEXT NOT NULL CHECK (length(reason) > 0),
    arbitrator_id INTEGER REFERENCES arbitrators (id),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'refused')),
    requested_at  TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    TEXT,
    decision_note TEXT,
    CHECK ((kind = 'recusal') = (arbitrator_id IS NOT NULL))
);
CREATE INDEX party_requests_case ON party_requests (case_id, id);
-- One pending request of a kind per party and case: a second is the same request again.
CREATE UNIQUE INDEX party_requests_one_pending ON party_requests (case_id, party_id, kind, COALESCE(arbitrator_id, 0)) WHERE status = 'pending';
