-- An optional second factor per user (TOTP, RFC 6238; decision 0938): the confirmed secret
-- (base32), one waiting for its first code, and the last time step accepted (a code is
-- never accepted twice).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
