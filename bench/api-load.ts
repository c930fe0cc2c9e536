/**
 * P3: the control API under 50 concurrent clients. p99 latency of `GET /integrations/:id` and of
 * `POST /integrations/:id/pause|resume` against a bare Express + pg request (a select by id on the
 * same database) in the same run, with the worker running as `npm start` runs it. The load comes
 * from another process (bench/load-client.ts). Prints figures; asserts nothing.
 *
 *   npm run bench:api      (SECONDS=10 per route, INTEGRATIONS=50)
 */
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import { Pool } from 'pg';
import { startHarness } from '../test/support/harness';
import { createAccounts, createOrderSync, startFakes } from '../test/support/order-sync-scenario';
import type { Figure } from './figures';
import type { LoadJob, LoadResult } from './load-client';
import { runBench } from './services';

const SECONDS = Number(process.env.SECONDS ?? 10);
const INTEGRATIONS = Number(process.env.INTEGRATIONS ?? 50);

async function load(job: LoadJob): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, 'load-client.ts'), JSON.stringify(job)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

/** The floor: Express and one PostgreSQL query by primary key, nothing else. */
async function bareServer(databaseUrl: string) {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const app = express();
  app.get('/bare/:id', async (req, res) => {
    const { rows } = await pool.query('select * from integrations where id = $1', [req.params.id]);
    res.json(rows[0] ?? null);
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((r) => server.close(r));
      await pool.end();
    },
  };
}

runBench('api-load', async () => {
  const h = await startHarness();
  const { unas, crm } = await startFakes({ orderQueriesPerHour: null }, { syncUploadsPerHour: null });
  const bare = await bareServer(h.databaseUrl);
  try {
    const accounts = await createAccounts(h, unas, crm);
    // Pollers every 5 minutes: the worker is there, as in `npm start`, but the load is the API's.
    const ids = [];
    for (let i = 0; i < INTEGRATIONS; i++) ids.push(await createOrderSync(h, accounts, { pollIntervalSeconds: 300 }));

    const runs: { route: string; result: LoadResult }[] = [];
    const run = async (route: string, job: Omit<LoadJob, 'seconds'>) => runs.push({ route, result: await load({ ...job, seconds: SECONDS }) });
    await run('bare Express + pg: GET /bare/:id', { url: bare.url, method: 'GET', paths: ids.map((id) => `/bare/${id}`) });
    await run('GET /integrations/:id', { url: h.api.url, token: h.apiToken, method: 'GET', paths: ids.map((id) => `/integrations/${id}`) });
    await run('POST /integrations/:id/pause|resume', { url: h.api.url, token: h.apiToken, method: 'POST', paths: ids.flatMap((id) => [`/integrations/${id}/pause`, `/integrations/${id}/resume`]) });

    const floor = runs[0]!.result.p99;
    console.log(`\nControl API, 50 connections, ${SECONDS} s per route, ${INTEGRATIONS} integrations (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)})`);
    console.log(`  ${'route'.padEnd(40)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'p99 ×bare'.padStart(9)} ${'errors'.padStart(7)} ${'non-2xx'.padStart(7)}`);
    for (const { route, result: r } of runs) {
      console.log(
        `  ${route.padEnd(40)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${(r.p99 / Math.max(floor, 1)).toFixed(2).padStart(9)} ${String(r.errors).padStart(7)} ${String(r.non2xx).padStart(7)}`,
      );
    }
    console.log('');
    const [, get, control] = runs;
    return [
      { name: 'GET /integrations/:id p99', value: get!.result.p99, unit: 'ms', baseline: { name: 'bare Express + pg p99', value: floor }, target: '≤ 3×' },
      { name: 'POST pause|resume p99', value: control!.result.p99, unit: 'ms', baseline: { name: 'bare Express + pg p99', value: floor }, target: '≤ 3×' },
      { name: 'errors and non-2xx answers', value: runs.reduce((n, r) => n + r.result.errors + r.result.non2xx, 0), unit: 'answers', target: '0' },
    ] satisfies Figure[];
  } finally {
    await bare.close();
    await Promise.all([unas.close(), crm.close()]);
    await h.close();
  }
});
