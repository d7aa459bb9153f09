-- The commission's director (仲裁委员会主任) signs in to read the figures and the deadline board.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('clerk', 'arbitrator', 'liaison', 'admin', 'director'));
