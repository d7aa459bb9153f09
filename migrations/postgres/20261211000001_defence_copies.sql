-- The 答辩书副本 (defence copy) is a document served on the applicants (Law Art. 30: within five
-- days of receiving the defence), so `documents.kind` admits 'defence_copy'.
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check CHECK (kind IN ('award_final', 'award_nonfinal', 'mediation',
    'acceptance_notice', 'rejection_notice', 'respondent_notice', 'tribunal_notice', 'hearing_notice',
    'extension_notice', 'suspension_notice', 'defence_copy'));
