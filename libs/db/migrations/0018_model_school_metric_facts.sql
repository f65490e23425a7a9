CREATE TABLE "model_school_metric_facts" (
	"key" text PRIMARY KEY NOT NULL,
	"school_id" uuid NOT NULL,
	"school_year_id" uuid,
	"metric" text NOT NULL,
	"subject" text NOT NULL,
	"delta" smallint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "model_school_metric_facts_delta_ck" CHECK ("model_school_metric_facts"."delta" in (-1, 1))
);
--> statement-breakpoint
ALTER TABLE "model_school_metric_facts" ADD CONSTRAINT "model_school_metric_facts_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_school_metric_facts_school_idx" ON "model_school_metric_facts" USING btree ("school_id","metric","occurred_at");--> statement-breakpoint
-- The facts of what happened before model-schools kept them (and of data written around the
-- producers, as the demo seed does): a school coordinator per assignment, a committee per level,
-- a published or finished lecture at its start, a campaign entry (taken back when it was
-- rejected) in the class its student is in. Keys are the ones the events write, so running it
-- again, or after events, adds nothing.
CREATE FUNCTION model_school_metric_facts_backfill() RETURNS void LANGUAGE sql AS $$
  INSERT INTO model_school_metric_facts (key, school_id, school_year_id, metric, subject, delta, occurred_at)
  SELECT 'coordinator.appointed:' || r.id, r.scope_id, NULL, 'coordinator', r.id::text, 1, r.created_at
  FROM role_assignments r JOIN schools s ON s.id = r.scope_id
  WHERE r.role = 'coordinator' AND r.scope_type = 'school'
  UNION ALL
  SELECT 'committee.established:' || c.id, c.school_id, c.school_year_id, 'committee_level', c.level, 1, c.created_at FROM committees c
  UNION ALL
  SELECT 'lecture.published:' || l.id, l.school_id, l.school_year_id, 'lecture_held', l.id::text, 1, l.starts_at
  FROM lectures l WHERE l.school_id IS NOT NULL AND l.status IN ('published', 'finished')
  UNION ALL
  SELECT 'campaign-submission.made:' || cs.id, c.school_id, c.school_year_id, 'campaign_household', cs.student_id::text, 1, cs.created_at
  FROM campaign_submissions cs JOIN students st ON st.id = cs.student_id JOIN classes c ON c.id = st.class_id
  UNION ALL
  SELECT 'campaign-submission.rejected:' || cs.id, c.school_id, c.school_year_id, 'campaign_household', cs.student_id::text, -1, coalesce(cs.reviewed_at, cs.created_at)
  FROM campaign_submissions cs JOIN students st ON st.id = cs.student_id JOIN classes c ON c.id = st.class_id
  WHERE cs.status = 'rejected'
  ON CONFLICT (key) DO NOTHING
$$;
--> statement-breakpoint
SELECT model_school_metric_facts_backfill();
