-- Each result of an award or mediation statement as issued (issue 22 §2: the parties' pages show
-- the outcome per claim, and which of it is final): the claim it answers, the amount and the text.
CREATE TABLE award_items (
    document_id    BIGINT NOT NULL REFERENCES documents (id),
    position       BIGINT NOT NULL CHECK (position >= 0),
    claim_position BIGINT,
    awarded_fen    BIGINT NOT NULL CHECK (awarded_fen >= 0),
    text           TEXT NOT NULL,
    PRIMARY KEY (document_id, position)
);
