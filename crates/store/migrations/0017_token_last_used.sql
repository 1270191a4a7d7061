-- When an API token was last used (issue 17): bookkeeping written at most once a minute
-- per token and process (crates/store/src/tokens.rs), shown where tokens are listed. Empty
-- until the token is first used after this migration.
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
