-- Change notifications for the read caches (ReadCache in platform): a commit that changes what a
-- cached read returns notifies channel jx_changes, delivered by PostgreSQL only after the commit,
-- to every process that listens (ChangeFeed). The payload names what changed:
--   session:<id>  a session (revoked, ended)            user:<id>     an account, its consent, roles, children or committee seats
--   student:<id>  a pupil (moved, removed) or the hours credited to the household
--   places        a class, school or district changed (every cached caller may hold its names or places)
--   courses       lectures, registrations, school years, requirements or committees (every cached course-hours answer)
-- Inserts of sessions, users, pupils and places need none: nothing cached names them yet. Identical
-- payloads within one transaction are delivered once.
CREATE FUNCTION jx_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  topic text := TG_ARGV[0];
  key_column text := TG_ARGV[1];
BEGIN
  IF key_column IS NULL THEN
    PERFORM pg_notify('jx_changes', topic);
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('jx_changes', topic || ':' || (to_jsonb(OLD) ->> key_column));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('jx_changes', topic || ':' || (to_jsonb(NEW) ->> key_column));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER auth_sessions_notify_change AFTER UPDATE OR DELETE ON auth_sessions FOR EACH ROW EXECUTE FUNCTION jx_notify_change('session', 'id');
--> statement-breakpoint
CREATE TRIGGER users_notify_change AFTER UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION jx_notify_change('user', 'id');
--> statement-breakpoint
CREATE TRIGGER consents_notify_change AFTER INSERT OR UPDATE OR DELETE ON consents FOR EACH ROW EXECUTE FUNCTION jx_notify_change('user', 'user_id');
--> statement-breakpoint
CREATE TRIGGER role_assignments_notify_change AFTER INSERT OR UPDATE OR DELETE ON role_assignments FOR EACH ROW EXECUTE FUNCTION jx_notify_change('user', 'user_id');
--> statement-breakpoint
CREATE TRIGGER guardianships_notify_change AFTER INSERT OR UPDATE OR DELETE ON guardianships FOR EACH ROW EXECUTE FUNCTION jx_notify_change('user', 'user_id');
--> statement-breakpoint
CREATE TRIGGER committee_members_notify_change AFTER INSERT OR UPDATE OR DELETE ON committee_members FOR EACH ROW EXECUTE FUNCTION jx_notify_change('user', 'user_id');
--> statement-breakpoint
CREATE TRIGGER students_notify_change AFTER UPDATE OR DELETE ON students FOR EACH ROW EXECUTE FUNCTION jx_notify_change('student', 'id');
--> statement-breakpoint
-- Credits and progress are written by whole batches of check-outs in one statement: one call per
-- statement over its rows (a transition table names one event, hence a trigger per event).
CREATE FUNCTION jx_notify_students() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('jx_changes', 'student:' || student_id) FROM (SELECT DISTINCT student_id FROM changed_rows) s;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER household_credits_inserted_notify AFTER INSERT ON household_credits REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_students();
--> statement-breakpoint
CREATE TRIGGER household_credits_updated_notify AFTER UPDATE ON household_credits REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_students();
--> statement-breakpoint
CREATE TRIGGER household_credits_deleted_notify AFTER DELETE ON household_credits REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_students();
--> statement-breakpoint
CREATE TRIGGER household_progress_inserted_notify AFTER INSERT ON household_progress REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_students();
--> statement-breakpoint
CREATE TRIGGER household_progress_updated_notify AFTER UPDATE ON household_progress REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_students();
--> statement-breakpoint
CREATE TRIGGER household_progress_deleted_notify AFTER DELETE ON household_progress REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_students();
--> statement-breakpoint
CREATE TRIGGER classes_notify_change AFTER UPDATE OR DELETE OR TRUNCATE ON classes FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_change('places');
--> statement-breakpoint
CREATE TRIGGER schools_notify_change AFTER UPDATE OR DELETE OR TRUNCATE ON schools FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_change('places');
--> statement-breakpoint
CREATE TRIGGER districts_notify_change AFTER UPDATE OR DELETE OR TRUNCATE ON districts FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_change('places');
--> statement-breakpoint
CREATE TRIGGER lectures_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lectures FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_change('courses');
--> statement-breakpoint
CREATE TRIGGER registrations_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON registrations FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_change('courses');
--> statement-breakpoint
CREATE TRIGGER school_years_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON school_years FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_change('courses');
--> statement-breakpoint
CREATE TRIGGER course_requirements_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON course_requirements FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_change('courses');
--> statement-breakpoint
CREATE TRIGGER committees_notify_change AFTER UPDATE OR DELETE OR TRUNCATE ON committees FOR EACH STATEMENT EXECUTE FUNCTION jx_notify_change('courses');
