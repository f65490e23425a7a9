ALTER TABLE "attendance" ADD COLUMN "checkin_device" varchar(40);--> statement-breakpoint
ALTER TABLE "attendance" ADD COLUMN "checkout_device" varchar(40);--> statement-breakpoint
ALTER TABLE "attendance" ADD COLUMN "no_credit" jsonb;--> statement-breakpoint
ALTER TABLE "lectures" ADD COLUMN "late_checkin_minutes" integer;--> statement-breakpoint
ALTER TABLE "lectures" ADD COLUMN "min_presence_percent" integer;