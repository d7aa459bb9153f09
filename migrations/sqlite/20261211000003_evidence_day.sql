-- The legal day an evidence file came (the clerk's review runs from it in working days); null for
-- files stored before, which fall back to the Beijing day of `submitted_at`.
ALTER TABLE evidence ADD COLUMN submitted_on TEXT;
