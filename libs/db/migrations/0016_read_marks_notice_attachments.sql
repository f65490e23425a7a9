CREATE TABLE "read_marks" (
	"conversation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "read_marks_conversation_id_user_id_seq_pk" PRIMARY KEY("conversation_id","user_id","seq")
);
--> statement-breakpoint
-- The notices' read times become marks at the notices' seqs; every other cursor gets a mark at
-- its position dated now: what was read before read marks were kept was read by then.
INSERT INTO "read_marks" ("conversation_id", "user_id", "seq", "read_at")
SELECT m."conversation_id", r."user_id", m."seq", r."created_at" FROM "notice_reads" r
JOIN "messages" m ON m."id" = r."message_id" AND m."created_at" = r."message_created_at"
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "read_marks" ("conversation_id", "user_id", "seq")
SELECT "conversation_id", "user_id", "last_read_seq" FROM "conversation_members" WHERE "last_read_seq" > 0
ON CONFLICT DO NOTHING;--> statement-breakpoint
DROP TABLE "notice_reads" CASCADE;--> statement-breakpoint
ALTER TABLE "school_notices" ADD COLUMN "attachments" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "read_marks" ADD CONSTRAINT "read_marks_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "read_marks" ADD CONSTRAINT "read_marks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "school_notices_attachments_idx" ON "school_notices" USING gin ("attachments" jsonb_path_ops);