/**
 * The load generator of bench/api-load.ts, in a process of its own so that it does not share the
 * service's event loop: 50 connections (autocannon) against one route, the result as JSON on stdout.
 *
 *   node --import tsx bench/load-client.ts '{"url":…,"token":…,"method":"GET","paths":["/x"],"seconds":10}'
 */
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  token?: string;
  method: 'GET' | 'POST';
  /** Each request takes the next path, round-robin over every connection. */
  paths: string[];
  seconds: number;
  connections?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function main(job: LoadJob): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: job.url,
    connections: job.connections ?? 50,
    duration: job.seconds,
    headers: { ...(job.token && { authorization: `Bearer ${job.token}` }), 'content-type': 'application/json' },
    requests: [
      {
        method: job.method,
        setupRequest: (req) => ({ ...req, path: job.paths[next++ % job.paths.length]!, ...(job.method === 'POST' && { body: '{}' }) }),
      },
    ],
  });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

if (require.main === module) {
  main(JSON.parse(process.argv[2] ?? '{}') as LoadJob).then(
    (r) => process.stdout.write(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
