CREATE TABLE "mailbox_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"district_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"kind" text NOT NULL,
	"topic" text DEFAULT 'other' NOT NULL,
	"subject" varchar(100) NOT NULL,
	"body" varchar(3000) NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"level" text DEFAULT 'school' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"escalated_at" timestamp with time zone,
	"answer" varchar(3000),
	"answered_by" uuid,
	"answered_level" text,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mailbox_items_answer_ck" CHECK (("mailbox_items"."status" = 'answered') = ("mailbox_items"."answer" is not null))
);
--> statement-breakpoint
ALTER TABLE "attendance" ADD COLUMN "checkin_device" varchar(40);--> statement-breakpoint
ALTER TABLE "attendance" ADD COLUMN "checkout_device" varchar(40);--> statement-breakpoint
ALTER TABLE "attendance" ADD COLUMN "no_credit" jsonb;--> statement-breakpoint
ALTER TABLE "lectures" ADD COLUMN "late_checkin_minutes" integer;--> statement-breakpoint
ALTER TABLE "lectures" ADD COLUMN "min_presence_percent" integer;--> statement-breakpoint
ALTER TABLE "model_school_years" ADD COLUMN "pass_mark" numeric(5, 2) DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "mailbox_items" ADD CONSTRAINT "mailbox_items_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_items" ADD CONSTRAINT "mailbox_items_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_items" ADD CONSTRAINT "mailbox_items_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_items" ADD CONSTRAINT "mailbox_items_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mailbox_items_school_status_idx" ON "mailbox_items" USING btree ("school_id","status");--> statement-breakpoint
CREATE INDEX "mailbox_items_author_idx" ON "mailbox_items" USING btree ("author_id","created_at");--> statement-breakpoint
CREATE INDEX "mailbox_items_due_idx" ON "mailbox_items" USING btree ("due_at") WHERE "mailbox_items"."status" = 'open';--> statement-breakpoint
ALTER TABLE "model_school_years" ADD CONSTRAINT "model_school_years_pass_mark_ck" CHECK ("model_school_years"."pass_mark" between 0 and 100);