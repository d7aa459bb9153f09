-- no-transaction
-- The commission's director (仲裁委员会主任) signs in to read the figures and the deadline board.
-- SQLite cannot change a CHECK in place: the table is made again with the same rows and ids, the
-- documented way (sqlite.org/lang_altertable.html, "other kinds of table schema changes"): foreign
-- keys off outside a transaction, the copy in one transaction, auth_tokens then refer by name to
-- the new table. Its own transaction, so this migration runs outside sqlx's.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('clerk', 'arbitrator', 'liaison', 'admin', 'director')),
    password_hash TEXT NOT NULL,
    arbitrator_id INTEGER REFERENCES arbitrators (id),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL,
    full_name     TEXT
);
INSERT INTO users_new (id, username, role, password_hash, arbitrator_id, active, created_at, full_name)
    SELECT id, username, role, password_hash, arbitrator_id, active, created_at, full_name FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
COMMIT;
PRAGMA foreign_keys = ON;
