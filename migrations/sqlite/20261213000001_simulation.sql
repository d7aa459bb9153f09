-- The simulator (greenlane simulate, issue 24): the scenario a simulation database was made for,
-- its seed, and the last simulated day finished, so a stopped run resumes where it was.
CREATE TABLE simulation_runs (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    scenario   TEXT NOT NULL,
    seed       INTEGER NOT NULL,
    last_day   TEXT,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
