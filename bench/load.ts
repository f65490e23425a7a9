/**
 * The load generator of the HTTP benchmarks, run by bench/run.ts as a child process so the
 * servers under test do not share an event loop with it. Reads its options from argv[2]
 * (JSON), runs autocannon once and sends the summary back over IPC.
 */
import type { LoadOptions, LoadResult } from './support';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

// autocannon ships no types of its own.
const autocannon = require('autocannon') as Autocannon;

async function main() {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
  });
  const summary: LoadResult = {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
  process.send?.(summary);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
