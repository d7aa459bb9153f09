-- Allowances and failure throttles that hold across every instance: requests per client address
-- and minute (the key names the minute), and failed logins or access codes per account, case
-- and address with the time the next attempt may come.
CREATE TABLE throttle (
    key           TEXT PRIMARY KEY,
    count         BIGINT NOT NULL CHECK (count >= 0),
    last_at       TEXT NOT NULL,
    blocked_until TEXT
);
CREATE INDEX throttle_last ON throttle (last_at);
