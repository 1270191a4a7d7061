-- The keyed audit chain (docs/decisions/0923-keyed-audit-chain-and-tokens.md): entries written
-- before this migration keep chain version 1 (SHA-256) and verify as before; every entry
-- written after it is version 2 (HMAC-SHA256 with the audit key from keys/server.key,
-- which is not in the database). The switch point is also kept outside the database
-- (`keyed_from` in logs/audit-head.json), so nobody can turn keyed entries back into
-- unkeyed ones.
ALTER TABLE audit_log ADD COLUMN chain_version BIGINT NOT NULL DEFAULT 1;
