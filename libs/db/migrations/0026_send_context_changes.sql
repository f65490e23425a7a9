-- Change notifications for the send contexts a gateway keeps (SendBatcher.keptContext): what a
-- send needs to know before it writes (the conversation's kind and staff-only switch, the
-- sender's role in it, and the members a push or the quiet-hours answer depends on, with whether
-- they are staff and their own working hours). New payload:
--   conversation:<id>  a member joined, left or changed role, or the conversation's kind or staff-only switch changed
-- Staff roles already notify user:<id> (role_assignments, 0022); working hours now do too.
-- A send itself moves its conversation's last_seq and its sender's read cursor: neither notifies.
CREATE TRIGGER working_hours_notify_change AFTER INSERT OR UPDATE OR DELETE ON working_hours FOR EACH ROW EXECUTE FUNCTION jx_notify_change('user', 'user_id');
--> statement-breakpoint
-- A class group's roster is written a whole class at a time: one call per statement over its rows.
CREATE FUNCTION jx_notify_conversations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('jx_changes', 'conversation:' || conversation_id) FROM (SELECT DISTINCT conversation_id FROM changed_rows) c;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER conversation_members_inserted_notify AFTER INSERT ON conversation_members REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_conversations();
--> statement-breakpoint
CREATE TRIGGER conversation_members_deleted_notify AFTER DELETE ON conversation_members REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_conversations();
--> statement-breakpoint
CREATE TRIGGER conversation_members_role_notify AFTER UPDATE OF role ON conversation_members FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role) EXECUTE FUNCTION jx_notify_change('conversation', 'conversation_id');
--> statement-breakpoint
CREATE TRIGGER conversations_rules_notify AFTER UPDATE OF kind, staff_only ON conversations FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.staff_only IS DISTINCT FROM NEW.staff_only) EXECUTE FUNCTION jx_notify_change('conversation', 'id');
