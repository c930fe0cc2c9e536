import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli } from './temporal-cli';

export const SEARCH_ATTRIBUTES = ['IntegrationId', 'IntegrationKind', 'IntegrationState'] as const;

export interface DevServerOptions {
  port: number;
  /** null: no UI (tests). */
  uiPort: number | null;
  /** SQLite file that keeps workflows across restarts. */
  dbFile: string;
  namespace?: string;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** util-linux's setpriv makes the kernel signal the server when its parent dies, even by SIGKILL. */
function deathSignalWrapper(): string | undefined {
  for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv']) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

/**
 * Starts `temporal server start-dev` as a child of this process with a persistent SQLite file and
 * our search attributes registered. The child dies with us (parent-death signal), so a killed
 * service leaves no orphan, and the next start reopens the same file.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  const cli = await ensureTemporalCli(options.log);
  fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--db-filename', options.dbFile,
    '--namespace', options.namespace ?? 'default',
    '--log-level', 'warn',
    ...SEARCH_ATTRIBUTES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
    ...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
  ];
  const wrapper = deathSignalWrapper();
  const child = wrapper
    ? spawn(wrapper, ['--pdeathsig', 'SIGKILL', '--', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Temporal dev server exited with ${child.exitCode}:\n${output}`);
    if (await isListening(options.port)) {
      try {
        const connection = await Connection.connect({ address, connectTimeout: 2_000 });
        await connection.workflowService.getSystemInfo({});
        await connection.close();
        break;
      } catch {
        // gRPC not ready yet
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Temporal dev server did not become ready on ${address} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    address,
    uiUrl: options.uiPort === null ? null : `http://127.0.0.1:${options.uiPort}`,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** For a server we did not start: make sure our search attributes exist (idempotent). */
export async function registerSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.filter((name) => !(name in (existing.customAttributes ?? {})));
    if (missing.length === 0) return;
    // 2 = INDEXED_VALUE_TYPE_KEYWORD
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map((n) => [n, 2])) });
  } finally {
    await connection.close();
  }
}
