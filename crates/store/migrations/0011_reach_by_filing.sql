-- How a user came to reach an organisation (decision 0939): granted by an administrator
-- ('admin': every network of it), or by a workflow — a filing with the supervisor, an
-- engagement of the assessor ('workflow': only the networks of those filings or
-- engagements). Rows of supervisors with a filing of that organisation are taken as
-- workflow grants (the filing made them); every other row stays an administrator's.
ALTER TABLE user_orgs ADD COLUMN via TEXT NOT NULL DEFAULT 'admin';
UPDATE user_orgs SET via = 'workflow'
 WHERE EXISTS (SELECT 1 FROM filings f
                WHERE f.supervisor_id = user_orgs.user_id AND f.org_id = user_orgs.org_id);
