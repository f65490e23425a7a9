CREATE TABLE "user_identities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"app_id" varchar(40) NOT NULL,
	"subject" varchar(64) NOT NULL,
	"unionid" varchar(64),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_identities_subject_uq" UNIQUE("provider","app_id","subject"),
	CONSTRAINT "user_identities_user_uq" UNIQUE("user_id","provider")
);
--> statement-breakpoint
CREATE TABLE "school_sms_budgets" (
	"school_id" uuid PRIMARY KEY NOT NULL,
	"monthly_limit" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_usage" (
	"school_id" uuid NOT NULL,
	"month" varchar(7) NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sms_usage_school_id_month_pk" PRIMARY KEY("school_id","month")
);
--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "school_id" uuid;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "user_identities" ADD CONSTRAINT "user_identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_sms_budgets" ADD CONSTRAINT "school_sms_budgets_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_usage" ADD CONSTRAINT "sms_usage_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_identities_unionid_idx" ON "user_identities" USING btree ("unionid");--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_uq" UNIQUE("notification_id","channel");