-- The directory's read port: what other contexts may read of districts, schools, school years,
-- classes, students, guardianships and staff roles. They read these views (declared in
-- libs/directory/src/read-port.ts), never the tables, so the directory may reshape its tables and
-- keep the views. Each view is a projection of one table; the place columns it adds (a school's
-- district name, a class's school and district) come by LEFT JOIN on a primary key, so the planner
-- inlines the view and drops a join whose columns a query does not use.
CREATE VIEW district_places AS
  SELECT d.id, d.name, d.code FROM districts d;
--> statement-breakpoint
CREATE VIEW school_places AS
  SELECT s.id, s.district_id, s.name, s.type, s.address, d.name AS district_name
  FROM schools s LEFT JOIN districts d ON d.id = s.district_id;
--> statement-breakpoint
CREATE VIEW school_year_places AS
  SELECT y.id, y.name, y.starts_on, y.ends_on FROM school_years y;
--> statement-breakpoint
CREATE VIEW class_places AS
  SELECT c.id, c.school_id, c.school_year_id, c.grade, c.name, c.archived_at, s.district_id, s.name AS school_name
  FROM classes c LEFT JOIN schools s ON s.id = c.school_id;
--> statement-breakpoint
CREATE VIEW student_places AS
  SELECT st.id, st.class_id, st.name, st.left_at, c.grade, c.school_id, c.school_year_id
  FROM students st LEFT JOIN classes c ON c.id = st.class_id;
--> statement-breakpoint
-- A guardian's children: one row per guardianship, with the child's place (class, grade, school,
-- year, district) and whether the child left.
CREATE VIEW guardian_children AS
  SELECT g.user_id, g.student_id, g.relation, g.is_primary, st.class_id, st.left_at, c.grade, c.school_id, c.school_year_id, s.district_id
  FROM guardianships g LEFT JOIN students st ON st.id = g.student_id
  LEFT JOIN classes c ON c.id = st.class_id LEFT JOIN schools s ON s.id = c.school_id;
--> statement-breakpoint
-- Staff roles: who is teacher, coordinator or admin of which class, school, district or the city.
CREATE VIEW staff_roles AS
  SELECT r.id, r.user_id, r.role, r.scope_type, r.scope_id, r.title FROM role_assignments r;
