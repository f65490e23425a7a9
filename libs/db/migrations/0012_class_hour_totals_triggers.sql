-- Class memberships and per-class course-hour totals, kept by triggers in the transaction of each
-- change: a credit or revocation (household_progress), enrolment, 分班, rollover and leaving
-- (students → class_memberships), and the year's requirement. Statement-level, so a bulk insert
-- updates each class once.

-- The requirement of a school year as CoursesRepository.requiredHours reads it: 8 hours unless the city set one.
CREATE FUNCTION course_required_hours(year uuid) RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT required_hours FROM course_requirements WHERE school_year_id = year), 8)
$$;
--> statement-breakpoint
-- A student's class for the year of that class (a rollover adds the new year's, keeping the old); leaving marks that year's.
CREATE FUNCTION students_to_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_memberships (student_id, school_year_id, class_id, left_at)
  SELECT n.id, c.school_year_id, n.class_id, n.left_at FROM changed_students n JOIN classes c ON c.id = n.class_id
  ORDER BY n.id
  ON CONFLICT (student_id, school_year_id) DO UPDATE SET class_id = excluded.class_id, left_at = excluded.left_at
  WHERE class_memberships.class_id IS DISTINCT FROM excluded.class_id OR class_memberships.left_at IS DISTINCT FROM excluded.left_at;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A household joins its class's totals with the hours it has that year.
CREATE FUNCTION memberships_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, sum(m.sign)::int,
    sum(m.sign * (coalesce(p.earned_hours, 0) >= course_required_hours(m.school_year_id))::int)::int,
    sum(m.sign * coalesce(p.earned_hours, 0))
  FROM (SELECT student_id, school_year_id, class_id, 1 AS sign FROM new_memberships WHERE left_at IS NULL) m
  JOIN classes c ON c.id = m.class_id
  LEFT JOIN household_progress p ON p.student_id = m.student_id AND p.school_year_id = m.school_year_id
  GROUP BY m.class_id, m.school_year_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET households = t.households + excluded.households, compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A move (分班) or leaving: out of the old class's totals, into the new one's.
CREATE FUNCTION memberships_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, sum(m.sign)::int,
    sum(m.sign * (coalesce(p.earned_hours, 0) >= course_required_hours(m.school_year_id))::int)::int,
    sum(m.sign * coalesce(p.earned_hours, 0))
  FROM (SELECT student_id, school_year_id, class_id, -1 AS sign FROM old_memberships WHERE left_at IS NULL UNION ALL SELECT student_id, school_year_id, class_id, 1 AS sign FROM new_memberships WHERE left_at IS NULL) m
  JOIN classes c ON c.id = m.class_id
  LEFT JOIN household_progress p ON p.student_id = m.student_id AND p.school_year_id = m.school_year_id
  GROUP BY m.class_id, m.school_year_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET households = t.households + excluded.households, compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A student removed: out of the totals.
CREATE FUNCTION memberships_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, sum(m.sign)::int,
    sum(m.sign * (coalesce(p.earned_hours, 0) >= course_required_hours(m.school_year_id))::int)::int,
    sum(m.sign * coalesce(p.earned_hours, 0))
  FROM (SELECT student_id, school_year_id, class_id, -1 AS sign FROM old_memberships WHERE left_at IS NULL) m
  JOIN classes c ON c.id = m.class_id
  LEFT JOIN household_progress p ON p.student_id = m.student_id AND p.school_year_id = m.school_year_id
  GROUP BY m.class_id, m.school_year_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET households = t.households + excluded.households, compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A household's first credit of a year.
CREATE FUNCTION progress_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, 0,
    sum((d.after >= r.required)::int - (d.before >= r.required)::int)::int,
    sum(d.after - d.before)
  FROM (SELECT student_id, school_year_id, 0::numeric AS before, earned_hours AS after FROM new_progress) d
  JOIN class_memberships m ON m.student_id = d.student_id AND m.school_year_id = d.school_year_id AND m.left_at IS NULL
  CROSS JOIN LATERAL (SELECT course_required_hours(d.school_year_id) AS required) r
  GROUP BY m.class_id, m.school_year_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A credit or a revocation.
CREATE FUNCTION progress_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, 0,
    sum((d.after >= r.required)::int - (d.before >= r.required)::int)::int,
    sum(d.after - d.before)
  FROM (SELECT n.student_id, n.school_year_id, o.earned_hours AS before, n.earned_hours AS after FROM new_progress n JOIN old_progress o USING (student_id, school_year_id)) d
  JOIN class_memberships m ON m.student_id = d.student_id AND m.school_year_id = d.school_year_id AND m.left_at IS NULL
  CROSS JOIN LATERAL (SELECT course_required_hours(d.school_year_id) AS required) r
  GROUP BY m.class_id, m.school_year_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A household's progress removed (with its student).
CREATE FUNCTION progress_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO class_hour_totals AS t (class_id, school_year_id, households, compliant, earned_hours)
  SELECT m.class_id, m.school_year_id, 0,
    sum((d.after >= r.required)::int - (d.before >= r.required)::int)::int,
    sum(d.after - d.before)
  FROM (SELECT student_id, school_year_id, earned_hours AS before, 0::numeric AS after FROM old_progress) d
  JOIN class_memberships m ON m.student_id = d.student_id AND m.school_year_id = d.school_year_id AND m.left_at IS NULL
  CROSS JOIN LATERAL (SELECT course_required_hours(d.school_year_id) AS required) r
  GROUP BY m.class_id, m.school_year_id
  ORDER BY m.class_id
  ON CONFLICT (class_id) DO UPDATE SET compliant = t.compliant + excluded.compliant, earned_hours = t.earned_hours + excluded.earned_hours;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The year's requirement changed: recount who meets it.
CREATE FUNCTION requirement_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Waits for the transactions that changed totals, and holds off new ones, while it recounts.
  LOCK TABLE class_hour_totals IN EXCLUSIVE MODE;
  UPDATE class_hour_totals t SET compliant = x.compliant
  FROM (
    SELECT m.class_id, (count(*) FILTER (WHERE coalesce(p.earned_hours, 0) >= NEW.required_hours))::int AS compliant
    FROM class_memberships m LEFT JOIN household_progress p ON p.student_id = m.student_id AND p.school_year_id = m.school_year_id
    WHERE m.school_year_id = NEW.school_year_id AND m.left_at IS NULL
    GROUP BY m.class_id
  ) x
  WHERE t.class_id = x.class_id AND t.compliant <> x.compliant;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The memberships there are: each student's current class, and the classes a recorded rollover moved them from.
INSERT INTO class_memberships (student_id, school_year_id, class_id, left_at)
SELECT s.id, c.school_year_id, s.class_id, s.left_at FROM students s JOIN classes c ON c.id = s.class_id;
--> statement-breakpoint
INSERT INTO class_memberships (student_id, school_year_id, class_id)
SELECT m.student_id, f.school_year_id, f.id
FROM school_rollovers r
CROSS JOIN LATERAL jsonb_array_elements(r.summary -> 'promoted') p
JOIN classes f ON f.id = (p ->> 'fromClassId')::uuid
JOIN class_memberships m ON m.class_id = (p ->> 'toClassId')::uuid
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO class_hour_totals (class_id, school_year_id, households, compliant, earned_hours)
SELECT c.id, c.school_year_id, count(m.student_id)::int,
  (count(m.student_id) FILTER (WHERE coalesce(p.earned_hours, 0) >= course_required_hours(c.school_year_id)))::int,
  coalesce(sum(p.earned_hours), 0)
FROM classes c
LEFT JOIN class_memberships m ON m.class_id = c.id AND m.left_at IS NULL
LEFT JOIN household_progress p ON p.student_id = m.student_id AND p.school_year_id = m.school_year_id
GROUP BY c.id, c.school_year_id;
--> statement-breakpoint
CREATE TRIGGER students_inserted AFTER INSERT ON students REFERENCING NEW TABLE AS changed_students FOR EACH STATEMENT EXECUTE FUNCTION students_to_memberships();
--> statement-breakpoint
CREATE TRIGGER students_updated AFTER UPDATE ON students REFERENCING NEW TABLE AS changed_students FOR EACH STATEMENT EXECUTE FUNCTION students_to_memberships();
--> statement-breakpoint
CREATE TRIGGER class_memberships_inserted AFTER INSERT ON class_memberships REFERENCING NEW TABLE AS new_memberships FOR EACH STATEMENT EXECUTE FUNCTION memberships_inserted();
--> statement-breakpoint
CREATE TRIGGER class_memberships_updated AFTER UPDATE ON class_memberships REFERENCING OLD TABLE AS old_memberships NEW TABLE AS new_memberships FOR EACH STATEMENT EXECUTE FUNCTION memberships_updated();
--> statement-breakpoint
CREATE TRIGGER class_memberships_deleted AFTER DELETE ON class_memberships REFERENCING OLD TABLE AS old_memberships FOR EACH STATEMENT EXECUTE FUNCTION memberships_deleted();
--> statement-breakpoint
CREATE TRIGGER household_progress_inserted AFTER INSERT ON household_progress REFERENCING NEW TABLE AS new_progress FOR EACH STATEMENT EXECUTE FUNCTION progress_inserted();
--> statement-breakpoint
CREATE TRIGGER household_progress_updated AFTER UPDATE ON household_progress REFERENCING OLD TABLE AS old_progress NEW TABLE AS new_progress FOR EACH STATEMENT EXECUTE FUNCTION progress_updated();
--> statement-breakpoint
CREATE TRIGGER household_progress_deleted AFTER DELETE ON household_progress REFERENCING OLD TABLE AS old_progress FOR EACH STATEMENT EXECUTE FUNCTION progress_deleted();
--> statement-breakpoint
CREATE TRIGGER course_requirements_changed AFTER INSERT OR UPDATE OF required_hours ON course_requirements FOR EACH ROW EXECUTE FUNCTION requirement_changed();
