/**
 * `npm run bench:message-history -- [--scale <f>] [--per-class-day <n>]`: history and sync reads
 * of class groups as the partitioned messages table grows from 1 to 3 to 12 monthly partitions,
 * each beside the same read on an unpartitioned copy of the same rows and a `select 1` round
 * trip, in the same run. Prints, never asserts; not part of `npm test`.
 *
 * A scratch database on DATABASE_URL is migrated and filled by the synthetic city generator
 * (default scale 0.002: 50 classes; `--per-class-day` messages a day in each class group), the
 * newest month first, then older months are added. At each size, for random class groups:
 * (a) sync: the statement MessagingRepository.page runs for `conversation:sync` and
 *     `GET /conversations/:id/messages?afterSeq=` — the 100 after a cursor 30 behind the newest;
 * (b) scroll up: the page of 50 before the newest (`?beforeSeq=`);
 * (c) deep history: 50 after a cursor in the oldest month.
 * Each is printed with its p50 and p99 over the reads, the plan's scan nodes and the buffers one
 * read touched. The scratch database is dropped afterwards.
 */
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { connect, generateCity } from '../seeds/synthetic-city';
import { ensureClassGroups, insertCityMonth, planCityMessages } from '../seeds/synthetic-city-messages';
import { benchEnv, line, runId, withDatabase } from './support';

const SIZES = [1, 3, 12];
const READS = 300;

/** The statement of MessagingRepository.page (the sender's name joined), on `table`. */
const pageSql = (table: string, direction: 'after' | 'before') =>
  `select m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.type, m.text, m.payload, m.recalled_at, m.created_at, u.name
   from ${table} m left join users u on u.id = m.sender_id
   where m.conversation_id = $1 and m.seq ${direction === 'after' ? '>' : '<'} $2
   order by m.seq ${direction === 'after' ? 'asc' : 'desc'} limit $3`;

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

/** The scan nodes of a plan, counted by kind: "Merge Append of 12 × Index Scan (messages_2026_12_conversation_id_seq_idx, …)". */
function describe(plan: PlanNode): string {
  const scans = new Map<string, number>();
  let merge = '';
  const walk = (node: PlanNode) => {
    if (node['Node Type'] === 'Merge Append' || node['Node Type'] === 'Append') merge = node['Node Type'];
    if (node['Index Name'] && !node['Index Name'].startsWith('users')) scans.set(node['Node Type'], (scans.get(node['Node Type']) ?? 0) + 1);
    node.Plans?.forEach(walk);
  };
  walk(plan);
  const kinds = [...scans].map(([kind, n]) => `${n} × ${kind}`).join(' + ');
  return merge ? `${merge} of ${kinds}` : kinds;
}

async function measure(client: Client, table: string, read: Read, groups: { id: string; first: number; last: number }[]) {
  const sql = pageSql(table, read.direction);
  const pick = (i: number) => groups[(i * 7919) % groups.length];
  for (let i = 0; i < 20; i++) await client.query(sql, [pick(i).id, read.cursor(pick(i).first, pick(i).last), read.limit]);
  const times: number[] = [];
  for (let i = 0; i < READS; i++) {
    const g = pick(i);
    const t = performance.now();
    await client.query(sql, [g.id, read.cursor(g.first, g.last), read.limit]);
    times.push(performance.now() - t);
  }
  const g = pick(0);
  const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`explain (analyze, buffers, format json) ${sql}`, [g.id, read.cursor(g.first, g.last), read.limit]);
  const plan = rows[0]['QUERY PLAN'][0].Plan;
  return { p50: percentile(times, 50), p99: percentile(times, 99), plan: describe(plan), buffers: (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0) };
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
      console.log(`  ${READS} reads of random groups each; p50 / p99; the plan of one read and the buffers it touched\n`);
      let made = 0;
      let rows = 0;
      for (const months of SIZES) {
        const t = performance.now();
        for (let ago = made; ago < months; ago++) rows += await insertCityMonth(loader, plan, ago);
        await loader.query(`insert into messages_flat select * from messages m where not exists (select 1 from messages_flat f where f.id = m.id)`);
        await loader.query('vacuum (analyze) messages, messages_flat');
        made = months;
        const newest = plan.months * plan.perMonth;
        const groups = (await client.query<{ id: string }>(`select id from conversations where kind = 'class_group' order by id`)).rows.map((r) => ({
          id: r.id,
          first: (plan.months - months) * plan.perMonth + 1,
          last: newest,
        }));
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
          const partitioned = await measure(client, 'messages', read, groups);
          const flat = await measure(client, 'messages_flat', read, groups);
          line(read.label, `partitioned ${ms(partitioned.p50)} / ${ms(partitioned.p99)}`, `unpartitioned ${ms(flat.p50)} / ${ms(flat.p99)}`, `ratio ${(partitioned.p50 / flat.p50).toFixed(2)}×`);
          line('', `plan: ${partitioned.plan}, ${partitioned.buffers} buffers`, `unpartitioned: ${flat.plan}, ${flat.buffers} buffers`);
        }
        console.log('');
      }
    } finally {
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
