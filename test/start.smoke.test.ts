import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../db/embedded';
import { waitFor } from './support/order-sync-scenario';

const ROOT = path.resolve(__dirname, '..');

interface Started {
  child: ChildProcess;
  output: () => string;
  api: string;
  token: string;
}

/**
 * `npm start` as a user runs it: embedded PostgreSQL (no DATABASE_URL), its own Temporal dev server,
 * API and worker in one process. Killed with SIGKILL of its process group it leaves nothing behind,
 * and the next start finds the same data.
 */
describe('npm start', () => {
  let dataDir: string;
  let ports: { api: number; temporal: number; ui: number };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-start-'));
    fs.chmodSync(dataDir, 0o755); // run as root, embedded PostgreSQL's initdb runs as the postgres user and must reach it
    ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<Started> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: String(ports.api),
      TEMPORAL_DEV_PORT: String(ports.temporal),
      TEMPORAL_DEV_UI_PORT: String(ports.ui),
      LOG_LEVEL: 'warn',
    };
    // The same entry point as `npm start`, in a process group of its own so the test can kill the group.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'processes', 'all-in-one.ts')], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    await waitFor('npm start to print its URLs', () => (child.exitCode === null ? out : `exited: ${out}`), (o) => o.includes('API token') || o.startsWith('exited'), 120_000);
    if (child.exitCode !== null) throw new Error(out);
    const api = /API\s+(http:\/\/\S+)/.exec(out)![1]!;
    const token = /API token\s+(\S+)/.exec(out)![1]!;
    return { child, output: () => out, api, token };
  }

  const call = (s: Started, method: string, p: string, body?: unknown) =>
    fetch(`${s.api}${p}`, { method, headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  /** Processes still running anything under this data directory (Temporal's SQLite file, PostgreSQL's data). */
  const leftovers = () =>
    execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(dataDir));

  it('starts everything, survives SIGKILL of its process group without orphans, and restarts on the same data', async () => {
    const first = await start();
    expect(first.output()).toContain(`Temporal UI  http://127.0.0.1:${ports.ui}`);
    // The dev mode keeps its loopback address for 8x8's receipts, and says what that costs.
    expect(first.output()).toMatch(/PUBLIC_URL is not set: 8x8's delivery receipts can't reach this service/);
    expect((await fetch(`${first.api}/healthz`)).status).toBe(200);
    const created = await call(first, 'POST', '/accounts', { system: 'unas', name: 'My shop', credentials: { apiKey: 'a-real-looking-key' } });
    expect(created.status).toBe(201);
    expect(leftovers().length).toBeGreaterThan(0);

    process.kill(-first.child.pid!, 'SIGKILL');
    await waitFor('no process left on the data directory', leftovers, (l) => l.length === 0, 15_000);

    const second = await start();
    try {
      expect(second.token).toBe(first.token); // kept under DATA_DIR
      const accounts = (await (await call(second, 'GET', '/accounts')).json()) as { items: { name: string }[] };
      expect(accounts.items.map((a) => a.name)).toEqual(['My shop']);
    } finally {
      const exited = new Promise<number | null>((r) => second.child.once('exit', (code) => r(code)));
      process.kill(-second.child.pid!, 'SIGTERM');
      expect(await exited).toBe(0); // Ctrl-C / SIGTERM: a clean shutdown
    }
    await waitFor('no process left after a clean stop', leftovers, (l) => l.length === 0, 15_000);
  });
});
