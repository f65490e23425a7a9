CREATE TABLE "campaign_likes" (
	"submission_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_likes_submission_id_user_id_pk" PRIMARY KEY("submission_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"submitted_by" uuid NOT NULL,
	"family_name" varchar(40) NOT NULL,
	"title" varchar(100) NOT NULL,
	"body" varchar(10000) NOT NULL,
	"image_file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reading_log" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"reject_reason" varchar(500),
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"like_count" integer DEFAULT 0 NOT NULL,
	"award" text,
	"certificate_no" varchar(40),
	"awarded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_submissions_certificate_no_unique" UNIQUE("certificate_no")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"title" varchar(100) NOT NULL,
	"description" varchar(2000),
	"scope_type" text NOT NULL,
	"scope_id" uuid,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_window_ck" CHECK ("campaigns"."closes_at" > "campaigns"."opens_at"),
	CONSTRAINT "campaigns_scope_ck" CHECK (("campaigns"."scope_type" = 'city') = ("campaigns"."scope_id" is null))
);
--> statement-breakpoint
CREATE TABLE "model_school_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"materials" varchar(10000) NOT NULL,
	"material_file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"metrics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"snapshot_at" timestamp with time zone NOT NULL,
	"auto_score" numeric(6, 2) DEFAULT 0 NOT NULL,
	"manual_score" numeric(6, 2),
	"total_score" numeric(6, 2),
	"district_comment" varchar(1000),
	"district_reviewed_by" uuid,
	"district_reviewed_at" timestamp with time zone,
	"submitted_by" uuid NOT NULL,
	"submissions" smallint DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_school_criteria" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"year" smallint NOT NULL,
	"code" varchar(40) NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" varchar(500),
	"kind" text NOT NULL,
	"metric" text,
	"weight" numeric(5, 2) NOT NULL,
	"target" numeric(7, 2),
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "model_school_criteria_kind_ck" CHECK (("model_school_criteria"."kind" = 'auto') = ("model_school_criteria"."metric" is not null)),
	CONSTRAINT "model_school_criteria_weight_ck" CHECK ("model_school_criteria"."weight" > 0)
);
--> statement-breakpoint
CREATE TABLE "model_school_designations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"certificate_no" varchar(40) NOT NULL,
	"score" numeric(6, 2),
	"designated_by" uuid NOT NULL,
	"designated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoke_reason" varchar(500),
	CONSTRAINT "model_school_designations_certificate_no_unique" UNIQUE("certificate_no")
);
--> statement-breakpoint
CREATE TABLE "model_school_experts" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"district_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_school_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"reviewer_district_id" uuid NOT NULL,
	"scores" jsonb,
	"total" numeric(6, 2),
	"comment" varchar(1000),
	"assigned_by" uuid,
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_school_years" (
	"year" smallint PRIMARY KEY NOT NULL,
	"quota" integer DEFAULT 100 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_school_years_quota_ck" CHECK ("model_school_years"."quota" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "satisfaction_respondents" (
	"school_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"student_id" uuid NOT NULL,
	CONSTRAINT "satisfaction_respondents_school_id_year_student_id_pk" PRIMARY KEY("school_id","year","student_id")
);
--> statement-breakpoint
CREATE TABLE "satisfaction_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"score" smallint NOT NULL,
	"comment" varchar(500),
	CONSTRAINT "satisfaction_responses_score_ck" CHECK ("satisfaction_responses"."score" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "support_sites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" varchar(100) NOT NULL,
	"location" varchar(200),
	"opening_hours" varchar(200) NOT NULL,
	"contact" varchar(100) NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_likes" ADD CONSTRAINT "campaign_likes_submission_id_campaign_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."campaign_submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_likes" ADD CONSTRAINT "campaign_likes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_submissions" ADD CONSTRAINT "campaign_submissions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_submissions" ADD CONSTRAINT "campaign_submissions_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_submissions" ADD CONSTRAINT "campaign_submissions_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_submissions" ADD CONSTRAINT "campaign_submissions_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_applications" ADD CONSTRAINT "model_school_applications_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_applications" ADD CONSTRAINT "model_school_applications_year_model_school_years_year_fk" FOREIGN KEY ("year") REFERENCES "public"."model_school_years"("year") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_applications" ADD CONSTRAINT "model_school_applications_district_reviewed_by_users_id_fk" FOREIGN KEY ("district_reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_applications" ADD CONSTRAINT "model_school_applications_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_criteria" ADD CONSTRAINT "model_school_criteria_year_model_school_years_year_fk" FOREIGN KEY ("year") REFERENCES "public"."model_school_years"("year") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_designations" ADD CONSTRAINT "model_school_designations_application_id_model_school_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."model_school_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_designations" ADD CONSTRAINT "model_school_designations_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_designations" ADD CONSTRAINT "model_school_designations_year_model_school_years_year_fk" FOREIGN KEY ("year") REFERENCES "public"."model_school_years"("year") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_designations" ADD CONSTRAINT "model_school_designations_designated_by_users_id_fk" FOREIGN KEY ("designated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_designations" ADD CONSTRAINT "model_school_designations_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_experts" ADD CONSTRAINT "model_school_experts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_experts" ADD CONSTRAINT "model_school_experts_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_reviews" ADD CONSTRAINT "model_school_reviews_application_id_model_school_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."model_school_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_reviews" ADD CONSTRAINT "model_school_reviews_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_reviews" ADD CONSTRAINT "model_school_reviews_reviewer_district_id_districts_id_fk" FOREIGN KEY ("reviewer_district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_reviews" ADD CONSTRAINT "model_school_reviews_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_school_years" ADD CONSTRAINT "model_school_years_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_respondents" ADD CONSTRAINT "satisfaction_respondents_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_respondents" ADD CONSTRAINT "satisfaction_respondents_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_responses" ADD CONSTRAINT "satisfaction_responses_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_sites" ADD CONSTRAINT "support_sites_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_sites" ADD CONSTRAINT "support_sites_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_submissions_campaign_student_uq" ON "campaign_submissions" USING btree ("campaign_id","student_id");--> statement-breakpoint
CREATE INDEX "campaign_submissions_campaign_status_idx" ON "campaign_submissions" USING btree ("campaign_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_title_uq" ON "campaigns" USING btree ("title");--> statement-breakpoint
CREATE UNIQUE INDEX "model_school_applications_school_year_uq" ON "model_school_applications" USING btree ("school_id","year");--> statement-breakpoint
CREATE INDEX "model_school_applications_year_status_idx" ON "model_school_applications" USING btree ("year","status");--> statement-breakpoint
CREATE UNIQUE INDEX "model_school_criteria_year_code_uq" ON "model_school_criteria" USING btree ("year","code");--> statement-breakpoint
CREATE UNIQUE INDEX "model_school_designations_application_uq" ON "model_school_designations" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "model_school_designations_year_idx" ON "model_school_designations" USING btree ("year");--> statement-breakpoint
CREATE INDEX "model_school_designations_school_idx" ON "model_school_designations" USING btree ("school_id");--> statement-breakpoint
CREATE UNIQUE INDEX "model_school_reviews_application_reviewer_uq" ON "model_school_reviews" USING btree ("application_id","reviewer_id");--> statement-breakpoint
CREATE INDEX "model_school_reviews_reviewer_idx" ON "model_school_reviews" USING btree ("reviewer_id");--> statement-breakpoint
CREATE INDEX "satisfaction_responses_school_idx" ON "satisfaction_responses" USING btree ("school_id","year");--> statement-breakpoint
CREATE INDEX "support_sites_school_idx" ON "support_sites" USING btree ("school_id");