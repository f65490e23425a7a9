CREATE TABLE "class_hour_totals" (
	"class_id" uuid PRIMARY KEY NOT NULL,
	"school_year_id" uuid NOT NULL,
	"households" integer DEFAULT 0 NOT NULL,
	"compliant" integer DEFAULT 0 NOT NULL,
	"earned_hours" numeric(12, 1) DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "class_memberships" (
	"student_id" uuid NOT NULL,
	"school_year_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"left_at" timestamp with time zone,
	CONSTRAINT "class_memberships_student_id_school_year_id_pk" PRIMARY KEY("student_id","school_year_id")
);
--> statement-breakpoint
ALTER TABLE "class_hour_totals" ADD CONSTRAINT "class_hour_totals_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_hour_totals" ADD CONSTRAINT "class_hour_totals_school_year_id_school_years_id_fk" FOREIGN KEY ("school_year_id") REFERENCES "public"."school_years"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_memberships" ADD CONSTRAINT "class_memberships_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_memberships" ADD CONSTRAINT "class_memberships_school_year_id_school_years_id_fk" FOREIGN KEY ("school_year_id") REFERENCES "public"."school_years"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_memberships" ADD CONSTRAINT "class_memberships_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "class_memberships_class_idx" ON "class_memberships" USING btree ("class_id");