import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from './client';

const dialect = new PgDialect();

/**
 * A fixed-shape statement written in SQL (data-modifying CTEs the query builder cannot prepare),
 * built once: its values are `sql.placeholder(name)`s, filled on each call. On PostgreSQL it is
 * a named prepared statement (parsed and planned once per connection, then bound and executed);
 * on PGlite the same text each time. Give every placeholder a cast: nothing else types it.
 * Timestamps come back as PGlite and node-postgres parse them differently: select them as numbers.
 *
 * A batch's rows go in as one JSON parameter, read with `jsonb_to_recordset` (a list of ids with
 * `jsonb_array_elements_text`), not as arrays (`unnest($1::uuid[])`, `= any($1::uuid[])`).
 * PostgreSQL reads an array parameter's length when it plans, so every batch size costs a
 * different custom plan and the statement is planned again at each execution (planning the places
 * of a caller took three times as long as running it); the JSON functions are estimated at a fixed
 * 100 rows, so after five executions the statement keeps one generic plan.
 */
export function preparedStatement<Row>(db: Database, name: string, statement: SQL): (values: Record<string, unknown>) => Promise<Row[]> {
  const prepared = db._.session.prepareQuery(dialect.sqlToQuery(statement), undefined, name, false);
  return async (values) => ((await prepared.execute(values)) as { rows: Row[] }).rows;
}

/** An array as one parameter: its PostgreSQL text form (cast it in the statement, e.g. `::uuid[]`). */
export function pgArray(values: (string | number | boolean | null)[]): string {
  const element = (v: string | number | boolean | null) =>
    v === null ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `{${values.map(element).join(',')}}`;
}
