-- The audit log refuses UPDATE and DELETE (SQLite). Applied at every open; a DBA can drop
-- these triggers, which is why the hash chain, not the trigger, is the proof.
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only (审计日志只能追加)');
END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only (审计日志只能追加)');
END;
