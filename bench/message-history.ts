/**
 * `npm run bench:message-history -- [--scale <f>] [--per-class-day <n>]`: history and sync reads
 * of class groups as the partitioned messages table grows from 1 to 3 to 12 monthly partitions,
 * each beside the plain read of every month (one seq-ordered index scan per partition), the same
 * plain read on an unpartitioned copy of the same rows and a `select 1` round trip, in the same
 * run. Prints, never asserts; not part of `npm test`.
 *
 * A scratch database on DATABASE_URL is migrated and filled by the synthetic city generator
 * (default scale 0.002: 50 classes; `--per-class-day` messages a day in each class group), the
 * newest month first, then older months are added. At each size, for random class groups:
 * (a) sync: the statement MessageRepository.page runs for `conversation:sync` and
 *     `GET /conversations/:id/messages?afterSeq=` (this month's and last month's partitions, every
 *     month only when those do not hold the whole page) — the 100 after a cursor 30 behind the newest;
 * (b) scroll up: the page of 50 before the newest (`?beforeSeq=`);
 * (c) deep history: 50 after a cursor in the oldest month.
 * Each is printed with its p50 and p99 over the reads, the plan's scan nodes and the buffers one
 * read touched. The scratch database is dropped afterwards.
 */
import { cpus, loadavg } from 'node:os';
import { sql, SQL } from 'drizzle-orm';
import { Client } from 'pg';
import { Database, openDatabase } from '@jiaxiao/db';
import { MessageRepository, PageOptions } from '../libs/messaging/src/message.repository';
import { connect, generateCity } from '../seeds/synthetic-city';
import { ensureClassGroups, insertCityMonth, planCityMessages } from '../seeds/synthetic-city-messages';
import { benchEnv, line, runId, withDatabase } from './support';

const SIZES = [1, 3, 12];
const READS = 300;

/** A page read plainly, on `table`: every partition's index in seq order (the statement page() ran before the bound). */
const plainPage = (table: string, conversationId: string, options: PageOptions) =>
  sql`select m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.type, m.text, m.payload, m.recalled_at, m.created_at, u.name
   from ${sql.identifier(table)} m left join users u on u.id = m.sender_id
   where m.conversation_id = ${conversationId} and ${options.beforeSeq !== undefined ? sql`m.seq < ${options.beforeSeq}` : sql`m.seq > ${options.afterSeq ?? 0}`}
   order by m.seq ${options.beforeSeq !== undefined ? sql`desc` : sql`asc`} limit ${options.limit}`;

interface Read {
  label: string;
  direction: 'after' | 'before';
  limit: number;
  /** the cursor for a group whose seqs run first..last */
  cursor: (first: number, last: number) => number;
}

const READS_OF: Read[] = [
  { label: 'sync: 100 after a cursor 30 behind', direction: 'after', limit: 100, cursor: (_first, last) => last - 30 },
  { label: 'scroll up: 50 before the newest', direction: 'before', limit: 50, cursor: (_first, last) => last + 1 },
  { label: 'deep history: 50 from the oldest month', direction: 'after', limit: 50, cursor: (first) => first + 10 },
];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (n: number) => `${n.toFixed(2)} ms`;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** The scan nodes of a plan over messages, counted by kind: "Merge Append of 12 × Index Scan". */
function describe(plan: PlanNode): string {
  const scans = new Map<string, number>();
  let merge = '';
  const walk = (node: PlanNode & { 'Actual Loops'?: number }) => {
    if (node['Node Type'] === 'Merge Append' || node['Node Type'] === 'Append') merge ||= node['Node Type'];
    // Scans of messages that ran (a branch the statement did not need shows 0 loops).
    if (node['Index Name']?.startsWith('messages') && node['Actual Loops'] !== 0)
      scans.set(node['Node Type'], (scans.get(node['Node Type']) ?? 0) + 1);
    node.Plans?.forEach(walk);
  };
  walk(plan);
  const kinds = [...scans].map(([kind, n]) => `${n} × ${kind}`).join(' + ');
  return merge ? `${merge} of ${kinds}` : kinds;
}

type Statement = (conversationId: string, options: PageOptions) => SQL;

async function measure(db: Database, statement: Statement, read: Read, groups: { id: string; first: number; last: number }[]) {
  const pick = (i: number) => groups[(i * 7919) % groups.length];
  const run = (i: number) => {
    const g = pick(i);
    const cursor = read.cursor(g.first, g.last);
    return statement(g.id, read.direction === 'after' ? { afterSeq: cursor, limit: read.limit } : { beforeSeq: cursor, limit: read.limit });
  };
  for (let i = 0; i < 20; i++) await db.execute(run(i));
  const times: number[] = [];
  for (let i = 0; i < READS; i++) {
    const statementOf = run(i);
    const t = performance.now();
    await db.execute(statementOf);
    times.push(performance.now() - t);
  }
  const explained = (await db.execute(sql`explain (analyze, buffers, format json) ${run(0)}`)) as unknown as {
    rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[];
  };
  const plan = explained.rows[0]['QUERY PLAN'][0].Plan;
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    plan: describe(plan),
    buffers: (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0),
  };
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const scale = option('--scale', 0.002);
  const perClassDay = option('--per-class-day', 20);
  const admin = new Client({ connectionString: benchEnv.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${runId}`);
  await admin.end();
  const url = withDatabase(benchEnv.databaseUrl, runId);
  try {
    const city = await generateCity(url, { scale });
    const plan = planCityMessages({ months: SIZES[SIZES.length - 1], perClassDay });
    const loader = await connect(url);
    const client = new Client({ connectionString: url });
    await client.connect();
    const database = await openDatabase({ url, dataDir: '', poolSize: 1 });
    const repository = new MessageRepository(database.db);
    const statements: [string, Statement][] = [
      ['page()', (id, options) => repository.pageStatement(id, options)],
      ['every month', (id, options) => plainPage('messages', id, options)],
      ['unpartitioned', (id, options) => plainPage('messages_flat', id, options)],
    ];
    try {
      const groupCount = await ensureClassGroups(loader);
      await loader.query(`create table messages_flat (like messages including defaults)`);
      await loader.query(`create index messages_flat_conversation_seq_idx on messages_flat (conversation_id, seq)`);
      console.log(
        `message history at ${city.classes.toLocaleString('en-US')} class groups (city scale ${scale}), ${plan.perMonth} messages per group and month; ` +
          `${cpus().length} cores, load ${loadavg()
            .map((n) => n.toFixed(2))
            .join(' ')}`,
      );
      console.log(
        `  ${READS} reads of random groups each, p50 / p99: page() as the app runs it, the plain read of every month, the plain read of an unpartitioned copy; ` +
          `then the plan of one read (its scans of messages that ran) and the buffers it touched\n`,
      );
      let made = 0;
      let rows = 0;
      for (const months of SIZES) {
        const t = performance.now();
        for (let ago = made; ago < months; ago++) rows += await insertCityMonth(loader, plan, ago);
        await loader.query(
          `insert into messages_flat select * from messages m where not exists (select 1 from messages_flat f where f.id = m.id)`,
        );
        await loader.query('vacuum (analyze) messages, messages_flat');
        made = months;
        const newest = plan.months * plan.perMonth;
        const groups = (await client.query<{ id: string }>(`select id from conversations where kind = 'class_group' order by id`)).rows.map(
          (r) => ({
            id: r.id,
            first: (plan.months - months) * plan.perMonth + 1,
            last: newest,
          }),
        );
        const roundTrip: number[] = [];
        for (let i = 0; i < READS; i++) {
          const s = performance.now();
          await client.query('select 1');
          roundTrip.push(performance.now() - s);
        }
        console.log(
          `${months} month${months > 1 ? 's' : ''}: ${rows.toLocaleString('en-US')} messages in ${groupCount.toLocaleString('en-US')} groups ` +
            `(loaded in ${((performance.now() - t) / 1000).toFixed(1)} s); select 1: p50 ${ms(percentile(roundTrip, 50))}`,
        );
        for (const read of READS_OF) {
          const results = [];
          for (const [, statement] of statements) results.push(await measure(database.db, statement, read, groups));
          line(
            read.label,
            ...results.map((r, i) => `${statements[i][0]} ${ms(r.p50)} / ${ms(r.p99)}`),
            `page() / unpartitioned ${(results[0].p50 / results[2].p50).toFixed(2)}×`,
          );
          for (const [i, r] of results.entries()) line('', `${statements[i][0]}: ${r.plan}, ${r.buffers} buffers`);
        }
        console.log('');
      }
    } finally {
      await database.close();
      await client.end();
      await loader.end();
    }
  } finally {
    const drop = new Client({ connectionString: benchEnv.databaseUrl });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${runId} WITH (FORCE)`);
    await drop.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
