CREATE TABLE "counselling_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"guardian_id" uuid NOT NULL,
	"student_id" uuid,
	"topic" text NOT NULL,
	"description" varchar(1000) NOT NULL,
	"preferred_times" varchar(200) NOT NULL,
	"contact_phone" varchar(20) NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"scheduled_at" timestamp with time zone,
	"reply" varchar(1000),
	"handled_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "counselling_requests_scheduled_ck" CHECK ("counselling_requests"."status" <> 'accepted' or "counselling_requests"."scheduled_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "support_site_staff" (
	"site_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"appointed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_site_staff_site_id_user_id_pk" PRIMARY KEY("site_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "support_sites" ALTER COLUMN "school_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "support_sites" ADD COLUMN "scope" text DEFAULT 'school' NOT NULL;--> statement-breakpoint
ALTER TABLE "support_sites" ADD COLUMN "district_id" uuid;--> statement-breakpoint
ALTER TABLE "support_sites" ADD COLUMN "phone" varchar(20);--> statement-breakpoint
ALTER TABLE "counselling_requests" ADD CONSTRAINT "counselling_requests_site_id_support_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."support_sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselling_requests" ADD CONSTRAINT "counselling_requests_guardian_id_users_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselling_requests" ADD CONSTRAINT "counselling_requests_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselling_requests" ADD CONSTRAINT "counselling_requests_handled_by_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_site_staff" ADD CONSTRAINT "support_site_staff_site_id_support_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."support_sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_site_staff" ADD CONSTRAINT "support_site_staff_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_site_staff" ADD CONSTRAINT "support_site_staff_appointed_by_users_id_fk" FOREIGN KEY ("appointed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "counselling_requests_site_idx" ON "counselling_requests" USING btree ("site_id","status","created_at");--> statement-breakpoint
CREATE INDEX "counselling_requests_guardian_idx" ON "counselling_requests" USING btree ("guardian_id","created_at");--> statement-breakpoint
CREATE INDEX "support_site_staff_user_idx" ON "support_site_staff" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "support_sites" ADD CONSTRAINT "support_sites_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_sites_district_idx" ON "support_sites" USING btree ("district_id");--> statement-breakpoint
ALTER TABLE "support_sites" ADD CONSTRAINT "support_sites_scope_ck" CHECK (("support_sites"."scope" = 'school' and "support_sites"."school_id" is not null and "support_sites"."district_id" is null) or ("support_sites"."scope" = 'district' and "support_sites"."school_id" is null and "support_sites"."district_id" is not null) or ("support_sites"."scope" = 'city' and "support_sites"."school_id" is null and "support_sites"."district_id" is null));