-- Each class's totals name the class's school, so the city rollup (ReportService.summary) sums
-- class_hour_totals per school without joining the year's 25,000 classes. A class never changes
-- school; the triggers that keep the totals (0012) write the school with each new row.
ALTER TABLE "class_hour_totals" ADD COLUMN "school_id" uuid;--> statement-breakpoint
UPDATE "class_hour_totals" t SET "school_id" = c.school_id FROM "classes" c WHERE c.id = t.class_id;--> statement-breakpoint
ALTER TABLE "class_hour_totals" ALTER COLUMN "school_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "class_hour_totals" ADD CONSTRAINT "class_hour_totals_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A household joins its class's totals with the hours it has that year.
CREATE OR REPLACE FUNCTION memberships_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, school_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, c.school_id, sum(m.sign)::int,
    sum(m.sign * (coalesce(p.earned_hours, 0) >= course_required_hours(m.school_year_id))::int)::int,
    sum(m.sign * coalesce(p.earned_hours, 0))
  FROM (SELECT student_id, school_year_id, class_id, 1 AS sign FROM new_memberships WHERE left_at IS NULL) m
  JOIN classes c ON c.id = m.class_id
  LEFT JOIN household_progress p ON p.student_id = m.student_id AND p.school_year_id = m.school_year_id
  GROUP BY m.class_id, m.school_year_id, c.school_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET households = t.households + excluded.households, compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A move (分班) or leaving: out of the old class's totals, into the new one's.
CREATE OR REPLACE FUNCTION memberships_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, school_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, c.school_id, sum(m.sign)::int,
    sum(m.sign * (coalesce(p.earned_hours, 0) >= course_required_hours(m.school_year_id))::int)::int,
    sum(m.sign * coalesce(p.earned_hours, 0))
  FROM (SELECT student_id, school_year_id, class_id, -1 AS sign FROM old_memberships WHERE left_at IS NULL UNION ALL SELECT student_id, school_year_id, class_id, 1 AS sign FROM new_memberships WHERE left_at IS NULL) m
  JOIN classes c ON c.id = m.class_id
  LEFT JOIN household_progress p ON p.student_id = m.student_id AND p.school_year_id = m.school_year_id
  GROUP BY m.class_id, m.school_year_id, c.school_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET households = t.households + excluded.households, compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A student removed: out of the totals.
CREATE OR REPLACE FUNCTION memberships_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, school_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, c.school_id, sum(m.sign)::int,
    sum(m.sign * (coalesce(p.earned_hours, 0) >= course_required_hours(m.school_year_id))::int)::int,
    sum(m.sign * coalesce(p.earned_hours, 0))
  FROM (SELECT student_id, school_year_id, class_id, -1 AS sign FROM old_memberships WHERE left_at IS NULL) m
  JOIN classes c ON c.id = m.class_id
  LEFT JOIN household_progress p ON p.student_id = m.student_id AND p.school_year_id = m.school_year_id
  GROUP BY m.class_id, m.school_year_id, c.school_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET households = t.households + excluded.households, compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A household's first credit of a year.
CREATE OR REPLACE FUNCTION progress_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, school_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, c.school_id, 0,
    sum((d.after >= r.required)::int - (d.before >= r.required)::int)::int,
    sum(d.after - d.before)
  FROM (SELECT student_id, school_year_id, 0::numeric AS before, earned_hours AS after FROM new_progress) d
  JOIN class_memberships m ON m.student_id = d.student_id AND m.school_year_id = d.school_year_id AND m.left_at IS NULL
  JOIN classes c ON c.id = m.class_id
  CROSS JOIN LATERAL (SELECT course_required_hours(d.school_year_id) AS required) r
  GROUP BY m.class_id, m.school_year_id, c.school_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A credit or a revocation.
CREATE OR REPLACE FUNCTION progress_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, school_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, c.school_id, 0,
    sum((d.after >= r.required)::int - (d.before >= r.required)::int)::int,
    sum(d.after - d.before)
  FROM (SELECT n.student_id, n.school_year_id, o.earned_hours AS before, n.earned_hours AS after FROM new_progress n JOIN old_progress o USING (student_id, school_year_id)) d
  JOIN class_memberships m ON m.student_id = d.student_id AND m.school_year_id = d.school_year_id AND m.left_at IS NULL
  JOIN classes c ON c.id = m.class_id
  CROSS JOIN LATERAL (SELECT course_required_hours(d.school_year_id) AS required) r
  GROUP BY m.class_id, m.school_year_id, c.school_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A household's progress removed (with its student).
CREATE OR REPLACE FUNCTION progress_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, school_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, c.school_id, 0,
    sum((d.after >= r.required)::int - (d.before >= r.required)::int)::int,
    sum(d.after - d.before)
  FROM (SELECT student_id, school_year_id, earned_hours AS before, 0::numeric AS after FROM old_progress) d
  JOIN class_memberships m ON m.student_id = d.student_id AND m.school_year_id = d.school_year_id AND m.left_at IS NULL
  JOIN classes c ON c.id = m.class_id
  CROSS JOIN LATERAL (SELECT course_required_hours(d.school_year_id) AS required) r
  GROUP BY m.class_id, m.school_year_id, c.school_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
