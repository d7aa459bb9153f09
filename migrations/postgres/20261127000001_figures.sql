-- The commission's figures: what a case keeps when it closes (its cycle, whether it closed within
-- the statutory limit, the finality of its award), the outcome in court that liaison staff record,
-- and indexes that let the figures be counted from the index alone.

-- Calendar days from acceptance to closure.
ALTER TABLE cases ADD COLUMN cycle_days BIGINT CHECK (cycle_days >= 0);
-- Closed on or before the award deadline as the clock had it at closure (NULL: closed before
-- this was recorded).
ALTER TABLE cases ADD COLUMN within_limit SMALLINT CHECK (within_limit IN (0, 1));
-- Law Art. 47: an award final in every item, in none, or in some (two documents).
ALTER TABLE cases ADD COLUMN award_finality TEXT CHECK (award_finality IN ('final', 'non_final', 'mixed'));
-- Law Art. 48–50: what happened after the award, as the court told the commission.
ALTER TABLE cases ADD COLUMN court_outcome TEXT CHECK (court_outcome IN ('no_suit', 'suit', 'revocation_petition'));
ALTER TABLE cases ADD COLUMN court_result TEXT CHECK (court_result IN ('pending', 'upheld', 'changed', 'revoked', 'withdrawn'));
ALTER TABLE cases ADD COLUMN court_recorded_on TEXT;
-- Hearings held and postponements granted in the case, kept as they happen.
ALTER TABLE cases ADD COLUMN hearings_held BIGINT NOT NULL DEFAULT 0 CHECK (hearings_held >= 0);
ALTER TABLE cases ADD COLUMN postponements_granted BIGINT NOT NULL DEFAULT 0 CHECK (postponements_granted >= 0);

-- The arbitrators on a hearing, kept beside its tribunal (hearing_arbitrators) for utilisation.
ALTER TABLE hearings ADD COLUMN panel_size BIGINT NOT NULL DEFAULT 0 CHECK (panel_size >= 0);
UPDATE hearings SET panel_size = (SELECT COUNT(*) FROM hearing_arbitrators ha WHERE ha.hearing_id = hearings.id);

UPDATE cases SET cycle_days = (closed_on::date - accepted_on::date) WHERE closed_on IS NOT NULL AND accepted_on IS NOT NULL;
UPDATE cases SET award_finality = 'final' WHERE outcome = 'award'
    AND EXISTS (SELECT 1 FROM documents d WHERE d.case_id = cases.id AND d.kind = 'award_final')
    AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.case_id = cases.id AND d.kind = 'award_nonfinal');
UPDATE cases SET award_finality = 'non_final' WHERE outcome = 'award' AND award_finality IS NULL
    AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.case_id = cases.id AND d.kind = 'award_final');
UPDATE cases SET award_finality = 'mixed' WHERE outcome = 'award' AND award_finality IS NULL;
UPDATE cases SET hearings_held = (SELECT COUNT(*) FROM hearings h WHERE h.case_id = cases.id AND h.status = 'held');
UPDATE cases SET postponements_granted = (SELECT COUNT(*) FROM postponements p WHERE p.case_id = cases.id AND p.status = 'granted');

-- Closed cases of a period (and, with closed_on NULL, the open ones) with all the figures read.
CREATE INDEX cases_closed_figures ON cases (track, closed_on, outcome, within_limit, cycle_days, award_finality, court_outcome, court_result,
    hearings_held, postponements_granted, accepted_on);
CREATE INDEX cases_accepted_figures ON cases (track, accepted_on);
-- Arbitrator utilisation: the hearings of a period with their length and tribunal size.
CREATE INDEX hearings_day_figures ON hearings (day, status, slots, panel_size);
