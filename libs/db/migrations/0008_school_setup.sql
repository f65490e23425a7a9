CREATE TABLE "school_rollovers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"from_year_id" uuid NOT NULL,
	"to_year_id" uuid NOT NULL,
	"performed_by" uuid NOT NULL,
	"summary" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "school_rollovers_school_year_uq" UNIQUE("school_id","from_year_id")
);
--> statement-breakpoint
CREATE TABLE "school_notice_families" (
	"notice_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	CONSTRAINT "school_notice_families_notice_id_student_id_pk" PRIMARY KEY("notice_id","student_id")
);
--> statement-breakpoint
CREATE TABLE "school_notice_recipients" (
	"notice_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"school_id" uuid,
	"read_at" timestamp with time zone,
	"acked_at" timestamp with time zone,
	CONSTRAINT "school_notice_recipients_notice_id_user_id_pk" PRIMARY KEY("notice_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "school_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sender_id" uuid NOT NULL,
	"audience" text NOT NULL,
	"school_id" uuid,
	"district_id" uuid,
	"grades" jsonb,
	"class_ids" jsonb,
	"title" varchar(100) NOT NULL,
	"body" text NOT NULL,
	"needs_ack" boolean DEFAULT false NOT NULL,
	"emergency" boolean DEFAULT false NOT NULL,
	"recipient_count" integer,
	"fanned_out_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "roster_imports" ALTER COLUMN "class_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "classes" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "left_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "left_reason" varchar(100);--> statement-breakpoint
ALTER TABLE "roster_imports" ADD COLUMN "school_id" uuid;--> statement-breakpoint
ALTER TABLE "school_rollovers" ADD CONSTRAINT "school_rollovers_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_rollovers" ADD CONSTRAINT "school_rollovers_from_year_id_school_years_id_fk" FOREIGN KEY ("from_year_id") REFERENCES "public"."school_years"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_rollovers" ADD CONSTRAINT "school_rollovers_to_year_id_school_years_id_fk" FOREIGN KEY ("to_year_id") REFERENCES "public"."school_years"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_rollovers" ADD CONSTRAINT "school_rollovers_performed_by_users_id_fk" FOREIGN KEY ("performed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_notice_families" ADD CONSTRAINT "school_notice_families_notice_id_school_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."school_notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_notice_families" ADD CONSTRAINT "school_notice_families_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_notice_families" ADD CONSTRAINT "school_notice_families_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_notice_recipients" ADD CONSTRAINT "school_notice_recipients_notice_id_school_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."school_notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_notice_recipients" ADD CONSTRAINT "school_notice_recipients_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_notice_recipients" ADD CONSTRAINT "school_notice_recipients_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_notices" ADD CONSTRAINT "school_notices_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_notices" ADD CONSTRAINT "school_notices_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_notices" ADD CONSTRAINT "school_notices_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "school_notice_families_class_idx" ON "school_notice_families" USING btree ("notice_id","class_id");--> statement-breakpoint
CREATE INDEX "school_notice_recipients_user_idx" ON "school_notice_recipients" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "school_notices_school_idx" ON "school_notices" USING btree ("school_id","created_at");--> statement-breakpoint
CREATE INDEX "school_notices_district_idx" ON "school_notices" USING btree ("district_id","created_at");--> statement-breakpoint
ALTER TABLE "roster_imports" ADD CONSTRAINT "roster_imports_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;