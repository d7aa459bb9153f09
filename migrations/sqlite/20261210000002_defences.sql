-- A respondent's defence (答辩书) submitted online (issue 22 §3): its text, whether it came after
-- the defence period (still accepted, marked late), and whether the respondent waived the period
-- with it (the waiver itself is a clock event, Rules Art. 58).

CREATE TABLE defences (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    party_id     INTEGER NOT NULL REFERENCES parties (id),
    text         TEXT NOT NULL CHECK (length(text) > 0),
    late         INTEGER NOT NULL CHECK (late IN (0, 1)),
    waived       INTEGER NOT NULL CHECK (waived IN (0, 1)),
    submitted_at TEXT NOT NULL
);
CREATE INDEX defences_case ON defences (case_id, id);
