-- A hearing room can be taken out of use (closed for works, say): planning leaves it out. It is
-- refused while hearings are still planned in it.
ALTER TABLE rooms ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
