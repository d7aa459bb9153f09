-- The settings that drive the commission's documents, set on the administrator's page and shared
-- by every instance: the address and telephone printed on notices and pages, and the seal image
-- placed over the date. A column left NULL falls back to the configuration's value.
CREATE TABLE commission_settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    address    TEXT,
    phone      TEXT,
    seal_png   BYTEA,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
