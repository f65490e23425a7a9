-- A message's clientMsgId is claimed once per insert statement instead of once per row: a batch of
-- sends (SendBatchRepository.insert) inserts its messages in one statement, and a row trigger ran
-- a PL/pgSQL call per message. The claim is the same: after the statement's rows are in, their
-- (sender, clientMsgId) go into message_client_ids in one insert, and one already taken (or two
-- alike in the statement) fails the whole statement on message_client_ids_pk. A statement trigger
-- on the partitioned table sees the rows of every partition; an update that moves a message to
-- another month's partition is not an insert statement and claims nothing again (its claim follows
-- its created_at by the foreign key's cascade, as before).
DROP TRIGGER messages_claim_client_id ON "messages";--> statement-breakpoint
DROP FUNCTION messages_claim_client_id();--> statement-breakpoint
CREATE FUNCTION messages_claim_client_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO message_client_ids (sender_id, client_msg_id, message_id, message_created_at)
  SELECT sender_id, client_msg_id, id, created_at FROM inserted_messages
  WHERE sender_id IS NOT NULL AND client_msg_id IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER messages_claim_client_ids AFTER INSERT ON "messages"
REFERENCING NEW TABLE AS inserted_messages
FOR EACH STATEMENT EXECUTE FUNCTION messages_claim_client_ids();
