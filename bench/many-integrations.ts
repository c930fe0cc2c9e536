/**
 * P4: many enabled integrations on one all-in-one service, as a user first runs it (`npm start`:
 * API and worker in one node process), against the fakes. A mix of the four kinds, each polling
 * every 1–5 minutes. Samples the RSS of the service's node process and of the Temporal server,
 * then reads every workflow's history for the lateness of its scheduled runs (timer due → the
 * run's first activity started), its length (bounded by continue-as-new) and its runs. Prints
 * figures; asserts nothing.
 *
 *   npm run bench:many     (INTEGRATIONS=1000 MINUTES=10)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { freePort } from '../db/embedded';
import { GoogleSheetsFake } from '../test/fakes/google-sheets-fake';
import { MiniCrmFake } from '../test/fakes/minicrm-fake';
import { NethuntFake } from '../test/fakes/nethunt-fake';
import { Sms8x8Fake } from '../test/fakes/sms8x8-fake';
import { SumitFake } from '../test/fakes/sumit-fake';
import { UnasFake } from '../test/fakes/unas-fake';
import { WorksectionFake } from '../test/fakes/worksection-fake';
import { createTestDatabase } from '../test/support/database';
import { orderSyncBody } from '../test/support/order-sync-scenario';
import { customer, HEADER, SHEET, SMS_KEY, SUB_ACCOUNT, TOKEN } from '../test/support/sms-send-scenario';
import { leadsToInvoicesConfig } from '../test/support/sumit-leads';
import type { Figure } from './figures';
import { runBench } from './services';

const INTEGRATIONS = Number(process.env.INTEGRATIONS ?? 1_000);
const MINUTES = Number(process.env.MINUTES ?? 10);
const ROOT = path.resolve(__dirname, '..');
const UNLIMITED = 1e9;

const rssMiB = (pid: number | undefined) => {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function startService(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'processes', 'all-in-one.ts')], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const on = (c: Buffer) => {
      out += c.toString();
      if (out.includes('Ctrl-C stops everything')) resolve();
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (code) => reject(new Error(`the service exited with ${code}:\n${out.slice(-2000)}`)));
  });
  return child;
}

runBench('many-integrations', async ({ temporal, databaseUrl }) => {
  const unas = new UnasFake({ orderQueriesPerHour: null, callsPerHour: null });
  const minicrm = new MiniCrmFake({ syncUploadsPerHour: null });
  const sheets = new GoogleSheetsFake({ readsPerMinutePerUser: null, readsPerMinutePerProject: null });
  const sms = new Sms8x8Fake({ requestsPerSecond: null });
  const nethunt = new NethuntFake({ requestsPerMinute: null });
  const worksection = new WorksectionFake({ requestsPerSecond: null });
  const sumit = new SumitFake({ requestsPerMinute: null });
  const fakes = [unas, minicrm, sheets, sms, nethunt, worksection, sumit];
  await Promise.all(fakes.map((f) => f.start()));
  unas.addOrders(20, { modifiedAt: Date.now() - 60_000 });
  const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, ...Array.from({ length: 20 }, (_, i) => customer(i + 1))] } });

  const port = await freePort();
  const token = 'bench-token-0123456789abcdef';
  const taskQueue = `bench-${Date.now()}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-many-'));
  // A database of this run's own: the service resumes every integration it finds in its database.
  const db = await createTestDatabase({ serverUrl: databaseUrl, migrate: false });
  const service = await startService({
    PORT: String(port),
    API_TOKEN: token,
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATA_DIR: dataDir,
    EGRESS_ALLOW: '127.0.0.1,localhost',
    LOG_LEVEL: 'warn',
  });
  const api = `http://127.0.0.1:${port}`;
  const call = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${api}${p}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as T;
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  const account = (system: string, baseUrl: string, credentials: unknown, limits?: Record<string, number>) => call<{ id: string }>('POST', '/accounts', { system, name: system, baseUrl, credentials, ...(limits && { limits }) }).then((a) => a.id);

  const rss: { t: number; service: number; temporal: number }[] = [];
  const sample = () => rss.push({ t: Date.now(), service: rssMiB(service.pid), temporal: rssMiB(temporal.process.pid) });
  sample();
  const idle = rss[0]!;
  const sampler = setInterval(sample, 5_000);
  try {
    const ids = {
      unas: await account('unas', unas.url, { apiKey: 'unas-test-key' }, { orderQueriesPerHour: UNLIMITED }),
      minicrm: await account('minicrm', minicrm.url, { systemId: minicrm.systemId, apiKey: minicrm.apiKey }, { syncUploadsPerHour: UNLIMITED }),
      sheets: await account('google-sheets', sheets.url, { authType: 'oauth2', accessToken: TOKEN }),
      sms: await account('8x8', sms.url, { subAccountId: SUB_ACCOUNT, apiKey: SMS_KEY }),
      nethunt: await account('nethunt', `${nethunt.url}/api/v1/zapier`, { email: 'owner@example.com', apiKey: 'nethunt-test-key-0001' }, { requestsPerMinute: UNLIMITED }),
      worksection: await account('worksection', worksection.url, { apiKey: '7776461cd931e7b1c8e9632ff8e979ce' }, { requestsPerSecond: UNLIMITED }),
      sumit: await account('sumit', sumit.url, { companyId: sumit.companyId, apiKey: sumit.apiKey }, { requestsPerMinute: UNLIMITED }),
    };
    // One account per system for all of them (a real service has one per customer): its limits are
    // raised out of the way, the measure is the service's, not Worksection's one call a second.
    const interval = (i: number) => 60 * (1 + (i % 5)); // 1–5 minutes
    const bodies = [
      (i: number) => orderSyncBody(ids.unas, ids.minicrm, { pollIntervalSeconds: interval(i) }),
      (i: number) => ({
        kind: 'sms-send',
        name: `sms ${i}`,
        source: { accountId: ids.sheets },
        target: { accountId: ids.sms },
        config: { spreadsheetId, range: `'${SHEET}'!A:C`, phoneColumn: 'Phone', sender: 'Webshop', template: '{{Name}}: order {{Order}}', schedule: { every: interval(i) / 60 } },
      }),
      (i: number) => ({
        kind: 'crm-automation',
        name: `crm ${i}`,
        source: { accountId: ids.nethunt },
        target: { accountId: ids.worksection },
        config: {
          pollIntervalSeconds: interval(i),
          automations: [{ id: `won-${i}`, trigger: { folderId: '596f644b8f6d05e16c24b810', field: 'Stage', value: 'Won' }, task: { projectId: '26', title: 'Deliver to {{Name}}', assignee: 'bob@acme.test' }, onClose: { field: 'Stage', value: 'Delivered' } }],
        },
      }),
      (i: number) => ({ kind: 'scenario', name: `scenario ${i}`, source: { accountId: ids.sumit }, target: { accountId: ids.sumit }, config: { ...leadsToInvoicesConfig(), pollIntervalSeconds: interval(i) } }),
    ];
    const createdAt = Date.now();
    const integrationIds: string[] = [];
    for (let i = 0; i < INTEGRATIONS; i++) integrationIds.push((await call<{ id: string }>('POST', '/integrations', bodies[i % bodies.length]!(i))).id);
    const created = rss[rss.length - 1]!;
    process.stderr.write(`created ${INTEGRATIONS} integrations in ${((Date.now() - createdAt) / 1000).toFixed(0)} s; running ${MINUTES} min…\n`);
    const runStart = Date.now();
    await new Promise((r) => setTimeout(r, MINUTES * 60_000));
    clearInterval(sampler);

    // Lateness and history length, from every workflow's history (the current run of each).
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    const lateness: number[] = [];
    let maxEvents = 0;
    let runsSeen = 0;
    for (const id of integrationIds) {
      const events = (await client.workflow.getHandle(`integration-${id}`).fetchHistory()).events ?? [];
      maxEvents = Math.max(maxEvents, events.length);
      const due = new Map<string, number>();
      let pending: number | undefined;
      for (const e of events) {
        const started = e.timerStartedEventAttributes;
        if (started) due.set(started.timerId ?? '', tsToMs(e.eventTime) + tsToMs(started.startToFireTimeout));
        const fired = e.timerFiredEventAttributes;
        if (fired && due.has(fired.timerId ?? '')) pending = due.get(fired.timerId ?? '');
        if (e.activityTaskStartedEventAttributes && pending !== undefined) {
          lateness.push(tsToMs(e.eventTime) - pending);
          runsSeen++;
          pending = undefined;
        }
      }
    }
    const peak = Math.max(...rss.filter((s) => s.t >= runStart).map((s) => s.service));
    const peakTemporal = Math.max(...rss.filter((s) => s.t >= runStart).map((s) => s.temporal));
    console.log(`\n${INTEGRATIONS} integrations (¼ of each kind, polling every 1–5 min) on one all-in-one service for ${MINUTES} min (${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    console.log(`  service node process RSS   idle ${idle.service.toFixed(0)} MiB, after creating ${created.service.toFixed(0)} MiB, peak while running ${peak.toFixed(0)} MiB`);
    console.log(`  Temporal dev server RSS    idle ${idle.temporal.toFixed(0)} MiB, peak ${peakTemporal.toFixed(0)} MiB`);
    console.log(`  scheduled runs seen        ${runsSeen} (timer due → first activity started)`);
    console.log(`  lateness                   p50 ${pct(lateness, 50).toFixed(0)} ms, p99 ${pct(lateness, 99).toFixed(0)} ms, max ${Math.max(...lateness).toFixed(0)} ms`);
    console.log(`  longest history            ${maxEvents} events (continue-as-new bounds it)\n`);
    await client.connection.close();
    return [
      { name: `service RSS, peak with ${INTEGRATIONS} integrations`, value: peak, unit: 'MiB', baseline: { name: 'idle, none', value: idle.service }, target: '≤ 300 MiB' },
      { name: 'Temporal dev server RSS, peak', value: peakTemporal, unit: 'MiB', baseline: { name: 'idle', value: idle.temporal } },
      { name: 'lateness of scheduled runs, p99', value: pct(lateness, 99), unit: 'ms', target: '≤ 2,000 ms' },
      { name: 'longest workflow history', value: maxEvents, unit: 'events' },
    ] satisfies Figure[];
  } finally {
    clearInterval(sampler);
    service.kill('SIGINT');
    await new Promise((r) => service.once('exit', r));
    await Promise.all(fakes.map((f) => f.close()));
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
