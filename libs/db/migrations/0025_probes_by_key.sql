-- Two lookups by key that PostgreSQL planned as scans of the whole table, each time again.
--
-- The key checks of 0024 probe the parent by its primary key, but a function's query is planned
-- once per connection, with the parent's size at that moment: a connection whose first send met an
-- empty notifications table kept a sequential scan of it for every later insert of deliveries. In
-- a messaging bench that read 16 million rows for 27,000 messages. A check only ever wants the
-- probe, so the functions plan without sequential scans.
ALTER FUNCTION messages_check_keys() SET enable_seqscan = off;
--> statement-breakpoint
ALTER FUNCTION read_marks_check_keys() SET enable_seqscan = off;
--> statement-breakpoint
ALTER FUNCTION notifications_check_keys() SET enable_seqscan = off;
--> statement-breakpoint
ALTER FUNCTION notification_deliveries_check_keys() SET enable_seqscan = off;
--> statement-breakpoint
-- The push claim of a batch of notifications by id (PushBatcher, the worker's sweep). Written as
-- `id in (…) and pushed_at is null`, it was planned as a scan of the partial index of unpushed
-- entries joined to the ids: that index also holds every entry quiet hours are holding and, until
-- a vacuum, the entries pushed since the last one, so every claim read all of it (22 ms a claim
-- in the bench, with 27,000 entries). Here the claim probes the primary key for each id: the unpushed
-- test is written so that it does not match the index's predicate (`coalesce`: pushed_at is never
-- infinity), and the function plans without sequential scans, which a table small at the time of
-- planning would otherwise keep. It records each claimed entry's in-app delivery in the same
-- statement, as before.
CREATE FUNCTION claim_pushes(ids jsonb) RETURNS SETOF notifications LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  RETURN QUERY
  WITH claimed AS (
    UPDATE notifications n SET pushed_at = now()
    WHERE n.id = ANY (ARRAY(SELECT value::uuid FROM jsonb_array_elements_text(ids)))
      AND coalesce(n.pushed_at, 'infinity') = 'infinity'
    RETURNING n.*
  ), recorded AS (
    INSERT INTO notification_deliveries (notification_id, channel, provider, status, attempts)
    SELECT c.id, 'realtime', 'socket', 'sent', 1 FROM claimed c
    ON CONFLICT DO NOTHING
  )
  SELECT * FROM claimed;
END $$;
