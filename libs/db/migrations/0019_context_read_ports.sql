-- The read ports of auth and files: what other contexts may read of accounts and uploads. They read
-- these views (declared in libs/auth/src/read-port.ts and libs/files/src/read-port.ts), never the
-- tables, as they read the directory's (0017). Each is a projection of one table, so the planner
-- inlines it: a query over the view keeps the plan it had over the table (row locks included).
-- People: an account's name, phone and status; never its password hash.
CREATE VIEW people AS
  SELECT u.id, u.name, u.phone, u.status FROM users u;
--> statement-breakpoint
-- Uploads: a file's uploader and metadata; never where its bytes are stored.
CREATE VIEW uploads AS
  SELECT f.id, f.owner_id, f.name, f.mime, f.size, f.created_at FROM files f;
