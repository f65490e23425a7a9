-- A message's clientMsgId claim no longer holds a foreign key to messages. Checking a key of the
-- partitioned table ran a lookup through its partitions for every message inserted, about a third
-- of a send's statement. Statement triggers on messages keep what the key's cascades did:
-- a deleted message takes its claim with it, and an update that moves a message's created_at (to
-- another month's partition) moves its claim's too. The insert's trigger (0021) makes the claim in
-- the insert's own statement, so a claim never names a message that is not there.
ALTER TABLE "message_client_ids" DROP CONSTRAINT "message_client_ids_message_fk";--> statement-breakpoint
CREATE FUNCTION messages_drop_client_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM message_client_ids c USING deleted_messages d
  WHERE c.sender_id = d.sender_id AND c.client_msg_id = d.client_msg_id AND c.message_id = d.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER messages_drop_client_ids AFTER DELETE ON "messages"
REFERENCING OLD TABLE AS deleted_messages
FOR EACH STATEMENT EXECUTE FUNCTION messages_drop_client_ids();
--> statement-breakpoint
CREATE FUNCTION messages_move_client_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE message_client_ids c SET message_created_at = n.created_at FROM updated_messages n
  WHERE c.sender_id = n.sender_id AND c.client_msg_id = n.client_msg_id AND c.message_id = n.id
    AND c.message_created_at IS DISTINCT FROM n.created_at;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER messages_move_client_ids AFTER UPDATE ON "messages"
REFERENCING NEW TABLE AS updated_messages
FOR EACH STATEMENT EXECUTE FUNCTION messages_move_client_ids();
