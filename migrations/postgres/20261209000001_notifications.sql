-- Notifications (issue 21 §7): messages to the parties at each step of a case, not service. A
-- message has a kind, an e-mail subject, a key that sends it once per party and channel, and a
-- token for the opt-out link of its e-mail. A party that opted out gets no more notifications.

ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'document_waiting'
    CHECK (kind IN ('document_waiting', 'accepted', 'hearing_set', 'hearing_changed', 'deadline', 'defence_received'));
ALTER TABLE messages ADD COLUMN subject TEXT;
ALTER TABLE messages ADD COLUMN dedupe_key TEXT;
ALTER TABLE messages ADD COLUMN opt_out_token TEXT;
CREATE UNIQUE INDEX messages_once ON messages (party_id, channel, dedupe_key);
CREATE UNIQUE INDEX messages_opt_out ON messages (opt_out_token);

CREATE TABLE notification_opt_outs (
    party_id BIGINT PRIMARY KEY REFERENCES parties (id),
    at       TEXT NOT NULL,
    by_whom  TEXT NOT NULL
);

-- What each hearing notice announced, so a notification of a move can say the old time and place.
ALTER TABLE hearing_notices ADD COLUMN day TEXT;
ALTER TABLE hearing_notices ADD COLUMN start_time TEXT;
ALTER TABLE hearing_notices ADD COLUMN room_id BIGINT REFERENCES rooms (id);
