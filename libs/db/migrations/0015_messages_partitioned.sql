-- messages becomes a table partitioned by month of created_at (UTC), so a city's year of messages
-- is twelve tables of a month each and a read touches only the index of each month, never one
-- index grown over the whole year; old months can later be detached whole. Drizzle does not model
-- partitioning: the schema declares the columns, keys and index, this migration makes the table.
-- A unique key on a partitioned table must hold created_at, hence:
--   the primary key is (id, created_at), and the notice tables carry the notice's created_at for
--   their foreign keys; (conversation_id, seq) is indexed, not unique (the seq counter, bumped
--   under the conversation's row lock, keeps seqs unique); clientMsgId is claimed in
--   message_client_ids, a small unpartitioned table, by a trigger in the insert's statement.
ALTER TABLE "notice_acks" DROP CONSTRAINT "notice_acks_message_id_messages_id_fk";--> statement-breakpoint
ALTER TABLE "notice_reads" DROP CONSTRAINT "notice_reads_message_id_messages_id_fk";--> statement-breakpoint
ALTER TABLE "messages" RENAME TO "messages_unpartitioned";--> statement-breakpoint
ALTER INDEX "messages_pkey" RENAME TO "messages_unpartitioned_pkey";--> statement-breakpoint
ALTER TABLE "messages_unpartitioned" DROP CONSTRAINT "messages_conversation_seq_uq";--> statement-breakpoint
ALTER TABLE "messages_unpartitioned" DROP CONSTRAINT "messages_sender_client_uq";--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"sender_id" uuid,
	"client_msg_id" varchar(64),
	"type" text NOT NULL,
	"text" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recalled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_id_created_at_pk" PRIMARY KEY("id","created_at")
) PARTITION BY RANGE ("created_at");
--> statement-breakpoint
-- Catches what no month's partition takes (a clock far off, a maintenance run missed for months):
-- nothing is lost, and messages_ensure_partitions reports it rather than failing.
CREATE TABLE "messages_default" PARTITION OF "messages" DEFAULT;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_conversation_seq_idx" ON "messages" USING btree ("conversation_id","seq");--> statement-breakpoint
-- Makes the monthly partitions (messages_YYYY_MM, UTC months) from the month of from_at through
-- the month of to_at that do not exist yet; returns how many it made. A month whose messages
-- already sit in the default partition is left there with a warning: moving them would run the
-- notice tables' cascades. The worker calls it daily for the coming months.
CREATE FUNCTION messages_ensure_partitions(from_at timestamptz, to_at timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  month_start timestamp := date_trunc('month', from_at AT TIME ZONE 'UTC');
  last_month timestamp := date_trunc('month', to_at AT TIME ZONE 'UTC');
  part text;
  made integer := 0;
BEGIN
  WHILE month_start <= last_month LOOP
    part := 'messages_' || to_char(month_start, 'YYYY_MM');
    IF to_regclass(part) IS NULL THEN
      IF EXISTS (SELECT 1 FROM messages_default WHERE created_at >= month_start AT TIME ZONE 'UTC' AND created_at < (month_start + interval '1 month') AT TIME ZONE 'UTC') THEN
        RAISE WARNING 'messages of % are in messages_default: its partition is not made', to_char(month_start, 'YYYY-MM');
      ELSE
        EXECUTE format('CREATE TABLE %I PARTITION OF messages FOR VALUES FROM (%L) TO (%L)', part,
          (month_start AT TIME ZONE 'UTC')::text, ((month_start + interval '1 month') AT TIME ZONE 'UTC')::text);
        made := made + 1;
      END IF;
    END IF;
    month_start := month_start + interval '1 month';
  END LOOP;
  RETURN made;
END $$;
--> statement-breakpoint
SELECT messages_ensure_partitions(coalesce((SELECT min("created_at") FROM "messages_unpartitioned"), now()), now() + interval '3 months');--> statement-breakpoint
INSERT INTO "messages" ("id", "conversation_id", "seq", "sender_id", "client_msg_id", "type", "text", "payload", "recalled_at", "created_at")
SELECT "id", "conversation_id", "seq", "sender_id", "client_msg_id", "type", "text", "payload", "recalled_at", "created_at" FROM "messages_unpartitioned";--> statement-breakpoint
CREATE TABLE "message_client_ids" (
	"sender_id" uuid NOT NULL,
	"client_msg_id" varchar(64) NOT NULL,
	"message_id" uuid NOT NULL,
	"message_created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "message_client_ids_pk" PRIMARY KEY("sender_id","client_msg_id")
);
--> statement-breakpoint
INSERT INTO "message_client_ids" ("sender_id", "client_msg_id", "message_id", "message_created_at")
SELECT "sender_id", "client_msg_id", "id", "created_at" FROM "messages_unpartitioned" WHERE "sender_id" IS NOT NULL AND "client_msg_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "notice_acks" ADD COLUMN "message_created_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notice_reads" ADD COLUMN "message_created_at" timestamp with time zone;--> statement-breakpoint
UPDATE "notice_acks" a SET "message_created_at" = m."created_at" FROM "messages_unpartitioned" m WHERE m."id" = a."message_id";--> statement-breakpoint
UPDATE "notice_reads" r SET "message_created_at" = m."created_at" FROM "messages_unpartitioned" m WHERE m."id" = r."message_id";--> statement-breakpoint
ALTER TABLE "notice_acks" ALTER COLUMN "message_created_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "notice_reads" ALTER COLUMN "message_created_at" SET NOT NULL;--> statement-breakpoint
DROP TABLE "messages_unpartitioned";--> statement-breakpoint
ALTER TABLE "message_client_ids" ADD CONSTRAINT "message_client_ids_message_fk" FOREIGN KEY ("message_id","message_created_at") REFERENCES "public"."messages"("id","created_at") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "notice_acks" ADD CONSTRAINT "notice_acks_message_fk" FOREIGN KEY ("message_id","message_created_at") REFERENCES "public"."messages"("id","created_at") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "notice_reads" ADD CONSTRAINT "notice_reads_message_fk" FOREIGN KEY ("message_id","message_created_at") REFERENCES "public"."messages"("id","created_at") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
-- After the insert's row is in (the foreign key above checks it), in the same statement: a
-- clientMsgId the sender already used fails the insert on message_client_ids_pk. An update that
-- moves a message to another month's partition inserts it there too: its claim is already made
-- (and follows its created_at by the foreign key's cascade).
CREATE FUNCTION messages_claim_client_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM message_client_ids WHERE sender_id = NEW.sender_id AND client_msg_id = NEW.client_msg_id AND message_id = NEW.id) THEN
    INSERT INTO message_client_ids (sender_id, client_msg_id, message_id, message_created_at)
    VALUES (NEW.sender_id, NEW.client_msg_id, NEW.id, NEW.created_at);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER messages_claim_client_id AFTER INSERT ON "messages"
FOR EACH ROW WHEN (NEW.sender_id IS NOT NULL AND NEW.client_msg_id IS NOT NULL) EXECUTE FUNCTION messages_claim_client_id();
