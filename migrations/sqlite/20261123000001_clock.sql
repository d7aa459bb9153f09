-- The statutory clock: the events that move a case's deadlines, and the holiday calendars an
-- admin loaded after the release.

-- A suspended case remembers the state it resumes to, and only a suspended case does.
ALTER TABLE cases ADD COLUMN status_before_suspension TEXT
    CHECK ((status = 'suspended') = (status_before_suspension IS NOT NULL)
           AND (status_before_suspension IS NULL OR status_before_suspension IN ('accepted', 'scheduled', 'heard')));

CREATE TABLE clock_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    kind        TEXT NOT NULL CHECK (kind IN ('copy_served', 'tribunal_notified', 'defence_waived', 'suspended',
                                              'resumed', 'extended', 'restarted', 'public_notice')),
    on_date     TEXT NOT NULL,
    days        INTEGER,
    code        TEXT,
    approver    TEXT,
    note        TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    -- Law Art. 43; Rules Art. 45: at most 15 days, approved in writing
    CHECK (kind <> 'extended' OR (days BETWEEN 1 AND 15 AND approver IS NOT NULL)),
    CHECK (kind <> 'defence_waived' OR days IS NULL OR days BETWEEN 0 AND 9),
    CHECK (kind NOT IN ('suspended', 'restarted') OR code IS NOT NULL)
);
CREATE INDEX clock_events_case ON clock_events (case_id, id);
-- Each of these happens once in a case; the extension above all (Rules Art. 45).
CREATE UNIQUE INDEX clock_events_once ON clock_events (case_id, kind)
    WHERE kind IN ('extended', 'copy_served', 'tribunal_notified', 'defence_waived');

CREATE TRIGGER clock_events_no_update BEFORE UPDATE ON clock_events
BEGIN SELECT RAISE(ABORT, 'clock_events is append-only'); END;
CREATE TRIGGER clock_events_no_delete BEFORE DELETE ON clock_events
BEGIN SELECT RAISE(ABORT, 'clock_events is append-only'); END;

CREATE TABLE calendar_years (
    year        INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2099),
    notice      TEXT NOT NULL,
    arrangement TEXT NOT NULL,
    loaded_at   TEXT NOT NULL,
    loaded_by   TEXT NOT NULL
);
