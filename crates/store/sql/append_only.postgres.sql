-- The audit log refuses UPDATE, DELETE and TRUNCATE (PostgreSQL). Applied at every open; a
-- DBA can drop these triggers, which is why the hash chain, not the trigger, is the proof.
CREATE OR REPLACE FUNCTION dengbao_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (审计日志只能追加)';
END;
$$;
DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION dengbao_audit_log_append_only();
DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION dengbao_audit_log_append_only();
