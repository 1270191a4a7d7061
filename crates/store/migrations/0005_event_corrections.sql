-- Events are corrected or voided, never edited or deleted: the original row stays, marked
-- with who voided it, when and why, and (for a correction) the event that replaces it.
-- `origin` names the workflow that wrote an event ('' when recorded directly, 'grading',
-- 'filing:<id>', 'order:<id>', 'engagement:<id>'): a workflow's events are changed
-- through that workflow, not by hand.
ALTER TABLE network_events ADD COLUMN origin TEXT NOT NULL DEFAULT '';
ALTER TABLE network_events ADD COLUMN voided_at TEXT;
ALTER TABLE network_events ADD COLUMN voided_by TEXT;
ALTER TABLE network_events ADD COLUMN void_reason TEXT;
ALTER TABLE network_events ADD COLUMN replaced_by TEXT;
