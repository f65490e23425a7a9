-- The keys of the rows a send writes are checked once per statement, not once per row. A foreign
-- key runs a lookup that share-locks the parent row for each inserted row (the lock is a WAL
-- record): about two fifths of the send write's and push claim's time in a saturated run. messages'
-- keys to conversations and users, read_marks' too, notifications' to users and
-- notification_deliveries' to notifications become statement triggers that do what the keys did:
-- - an insert of a row whose parent is missing fails with foreign_key_violation (23503) and the old
--   constraint's name, as before. The lookup goes by the parent's primary key, one index probe per
--   row (the lateral LIMIT keeps it a probe whatever the plan saw first);
-- - an update that changes one of these keys (nothing does) is checked row by row, as a key was:
--   an update that leaves the keys alone costs nothing, a trigger's WHEN sees to that;
-- - deleting a conversation deletes its messages and read marks, deleting a notification its
--   deliveries (the old ON DELETE CASCADE), and deleting a user that any of them names fails.
-- Each table has its own check function, alike but for the names: a function shared through
-- TG_ARGV would have to build its query as text and plan it on every statement of every send.
-- Unlike a key, the check locks no parent row. Nothing deletes a conversation or a user that a
-- statement is writing for: a send locks its conversation itself (FOR UPDATE), users are disabled,
-- never deleted, and the parents' ids (uuid primary keys) are never changed.
ALTER TABLE "messages" DROP CONSTRAINT "messages_conversation_id_conversations_id_fk";
--> statement-breakpoint
ALTER TABLE "messages" DROP CONSTRAINT "messages_sender_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "read_marks" DROP CONSTRAINT "read_marks_conversation_id_conversations_id_fk";
--> statement-breakpoint
ALTER TABLE "read_marks" DROP CONSTRAINT "read_marks_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "notification_deliveries" DROP CONSTRAINT "notification_deliveries_notification_id_notifications_id_fk";
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_user_id_users_id_fk";
--> statement-breakpoint
CREATE FUNCTION keys_missing(child text, constraint_name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE foreign_key_violation USING
    MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s"', child, constraint_name),
    TABLE = child, CONSTRAINT = constraint_name;
END $$;
--> statement-breakpoint
CREATE FUNCTION messages_check_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT FROM written_messages n LEFT JOIN LATERAL (SELECT 1 AS found FROM conversations p WHERE p.id = n.conversation_id LIMIT 1) k ON true WHERE k.found IS NULL) THEN
    PERFORM keys_missing('messages', 'messages_conversation_id_conversations_id_fk');
  END IF;
  IF EXISTS (SELECT FROM written_messages n LEFT JOIN LATERAL (SELECT 1 AS found FROM users p WHERE p.id = n.sender_id LIMIT 1) k ON true WHERE n.sender_id IS NOT NULL AND k.found IS NULL) THEN
    PERFORM keys_missing('messages', 'messages_sender_id_users_id_fk');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER messages_check_keys AFTER INSERT ON "messages"
REFERENCING NEW TABLE AS written_messages FOR EACH STATEMENT EXECUTE FUNCTION messages_check_keys();
--> statement-breakpoint
CREATE FUNCTION read_marks_check_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT FROM written_marks n LEFT JOIN LATERAL (SELECT 1 AS found FROM conversations p WHERE p.id = n.conversation_id LIMIT 1) k ON true WHERE k.found IS NULL) THEN
    PERFORM keys_missing('read_marks', 'read_marks_conversation_id_conversations_id_fk');
  END IF;
  IF EXISTS (SELECT FROM written_marks n LEFT JOIN LATERAL (SELECT 1 AS found FROM users p WHERE p.id = n.user_id LIMIT 1) k ON true WHERE k.found IS NULL) THEN
    PERFORM keys_missing('read_marks', 'read_marks_user_id_users_id_fk');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER read_marks_check_keys AFTER INSERT ON "read_marks"
REFERENCING NEW TABLE AS written_marks FOR EACH STATEMENT EXECUTE FUNCTION read_marks_check_keys();
--> statement-breakpoint
CREATE FUNCTION notifications_check_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT FROM written_notifications n LEFT JOIN LATERAL (SELECT 1 AS found FROM users p WHERE p.id = n.user_id LIMIT 1) k ON true WHERE k.found IS NULL) THEN
    PERFORM keys_missing('notifications', 'notifications_user_id_users_id_fk');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER notifications_check_keys AFTER INSERT ON "notifications"
REFERENCING NEW TABLE AS written_notifications FOR EACH STATEMENT EXECUTE FUNCTION notifications_check_keys();
--> statement-breakpoint
CREATE FUNCTION notification_deliveries_check_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT FROM written_deliveries n LEFT JOIN LATERAL (SELECT 1 AS found FROM notifications p WHERE p.id = n.notification_id LIMIT 1) k ON true WHERE k.found IS NULL) THEN
    PERFORM keys_missing('notification_deliveries', 'notification_deliveries_notification_id_notifications_id_fk');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER notification_deliveries_check_keys AFTER INSERT ON "notification_deliveries"
REFERENCING NEW TABLE AS written_deliveries FOR EACH STATEMENT EXECUTE FUNCTION notification_deliveries_check_keys();
--> statement-breakpoint
CREATE FUNCTION conversations_drop_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM messages m USING deleted_conversations d WHERE m.conversation_id = d.id;
  DELETE FROM read_marks r USING deleted_conversations d WHERE r.conversation_id = d.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER conversations_drop_messages AFTER DELETE ON "conversations"
REFERENCING OLD TABLE AS deleted_conversations FOR EACH STATEMENT EXECUTE FUNCTION conversations_drop_messages();
--> statement-breakpoint
CREATE FUNCTION notifications_drop_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM notification_deliveries x USING deleted_notifications d WHERE x.notification_id = d.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER notifications_drop_deliveries AFTER DELETE ON "notifications"
REFERENCING OLD TABLE AS deleted_notifications FOR EACH STATEMENT EXECUTE FUNCTION notifications_drop_deliveries();
--> statement-breakpoint
CREATE FUNCTION users_keep_named() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  named text;
BEGIN
  SELECT CASE
      WHEN EXISTS (SELECT FROM messages m JOIN deleted_users d ON m.sender_id = d.id) THEN 'messages_sender_id_users_id_fk'
      WHEN EXISTS (SELECT FROM read_marks r JOIN deleted_users d ON r.user_id = d.id) THEN 'read_marks_user_id_users_id_fk'
      WHEN EXISTS (SELECT FROM notifications n JOIN deleted_users d ON n.user_id = d.id) THEN 'notifications_user_id_users_id_fk'
    END INTO named;
  IF named IS NOT NULL THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('update or delete on table "users" violates foreign key constraint "%s"', named),
      TABLE = 'users', CONSTRAINT = named;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER users_keep_named AFTER DELETE ON "users"
REFERENCING OLD TABLE AS deleted_users FOR EACH STATEMENT EXECUTE FUNCTION users_keep_named();
--> statement-breakpoint
CREATE FUNCTION check_updated_key() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  key_column text := TG_ARGV[0];
  parent text := TG_ARGV[1];
  constraint_name text := TG_ARGV[2];
  found boolean;
BEGIN
  EXECUTE format('SELECT $1 IS NULL OR EXISTS (SELECT FROM %I WHERE id = $1)', parent)
    INTO found USING (to_jsonb(NEW) ->> key_column)::uuid;
  IF NOT found THEN
    PERFORM keys_missing(TG_TABLE_NAME, constraint_name);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER messages_conversation_key AFTER UPDATE OF conversation_id ON "messages" FOR EACH ROW
WHEN (OLD.conversation_id IS DISTINCT FROM NEW.conversation_id)
EXECUTE FUNCTION check_updated_key('conversation_id', 'conversations', 'messages_conversation_id_conversations_id_fk');
--> statement-breakpoint
CREATE TRIGGER messages_sender_key AFTER UPDATE OF sender_id ON "messages" FOR EACH ROW
WHEN (OLD.sender_id IS DISTINCT FROM NEW.sender_id)
EXECUTE FUNCTION check_updated_key('sender_id', 'users', 'messages_sender_id_users_id_fk');
--> statement-breakpoint
CREATE TRIGGER read_marks_conversation_key AFTER UPDATE OF conversation_id ON "read_marks" FOR EACH ROW
WHEN (OLD.conversation_id IS DISTINCT FROM NEW.conversation_id)
EXECUTE FUNCTION check_updated_key('conversation_id', 'conversations', 'read_marks_conversation_id_conversations_id_fk');
--> statement-breakpoint
CREATE TRIGGER read_marks_user_key AFTER UPDATE OF user_id ON "read_marks" FOR EACH ROW
WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id)
EXECUTE FUNCTION check_updated_key('user_id', 'users', 'read_marks_user_id_users_id_fk');
--> statement-breakpoint
CREATE TRIGGER notifications_user_key AFTER UPDATE OF user_id ON "notifications" FOR EACH ROW
WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id)
EXECUTE FUNCTION check_updated_key('user_id', 'users', 'notifications_user_id_users_id_fk');
--> statement-breakpoint
CREATE TRIGGER notification_deliveries_notification_key AFTER UPDATE OF notification_id ON "notification_deliveries" FOR EACH ROW
WHEN (OLD.notification_id IS DISTINCT FROM NEW.notification_id)
EXECUTE FUNCTION check_updated_key('notification_id', 'notifications', 'notification_deliveries_notification_id_notifications_id_fk');
