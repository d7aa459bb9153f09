-- Arbitrators' calendars (issue 25): the sessions each sits in each week from a day on (the latest
-- pattern whose `from_day` has come is in force), busy times typed by hand or imported from the
-- arbitrator's own calendar, and the calendar feeds it subscribes to.

CREATE TABLE arbitrator_weekly (
    arbitrator_id BIGINT NOT NULL REFERENCES arbitrators (id),
    from_day      TEXT NOT NULL,
    -- JSON: [{"weekday": 1..7, "sessions": [0, 1]}]; a weekday not listed is not sat.
    pattern       TEXT NOT NULL,
    set_at        TEXT NOT NULL,
    set_by        TEXT NOT NULL,
    PRIMARY KEY (arbitrator_id, from_day)
);

CREATE TABLE arbitrator_feeds (
    id              BIGSERIAL PRIMARY KEY,
    arbitrator_id   BIGINT NOT NULL REFERENCES arbitrators (id),
    -- Null for a one-time upload.
    url             TEXT,
    etag            TEXT,
    last_modified   TEXT,
    last_checked_at TEXT,
    last_ok_at      TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL
);
CREATE INDEX arbitrator_feeds_of ON arbitrator_feeds (arbitrator_id);

CREATE TABLE arbitrator_busy (
    id            BIGSERIAL PRIMARY KEY,
    arbitrator_id BIGINT NOT NULL REFERENCES arbitrators (id),
    day           TEXT NOT NULL,
    start_time    TEXT NOT NULL,
    end_time      TEXT NOT NULL,
    note          TEXT NOT NULL,
    -- 'manual' (typed by hand) or 'import' (from `feed_id`).
    source        TEXT NOT NULL CHECK (source IN ('manual', 'import')),
    feed_id       BIGINT REFERENCES arbitrator_feeds (id),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    CHECK (start_time < end_time),
    CHECK ((source = 'import') = (feed_id IS NOT NULL))
);
CREATE INDEX arbitrator_busy_by_day ON arbitrator_busy (arbitrator_id, day);
