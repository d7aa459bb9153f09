-- A dry run of the planner, kept so that a clerk may save it as it is: the fingerprint of the
-- problem it solved (the cases, their windows, the rooms, arbitrators, leave, busy times and
-- bookings, the calendar) and its placements. Saved only while the problem is still the same.
CREATE TABLE plan_drafts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    basis      TEXT NOT NULL,
    placements TEXT NOT NULL,
    saved_at   TEXT
);
