-- Uploaded is not accepted: evidence meets a duty only once someone other than its uploader
-- has accepted it. A rejection carries its reason. Evidence is never deleted: a voided item
-- stays listed with who voided it and why, and counts for nothing.
ALTER TABLE evidence ADD COLUMN review TEXT NOT NULL DEFAULT 'pending'
    CHECK (review IN ('pending', 'accepted', 'rejected'));
ALTER TABLE evidence ADD COLUMN reviewed_by TEXT;
ALTER TABLE evidence ADD COLUMN reviewed_at TEXT;
ALTER TABLE evidence ADD COLUMN review_reason TEXT;
ALTER TABLE evidence ADD COLUMN media_type TEXT;
ALTER TABLE evidence ADD COLUMN voided_at TEXT;
ALTER TABLE evidence ADD COLUMN voided_by TEXT;
ALTER TABLE evidence ADD COLUMN void_reason TEXT;
