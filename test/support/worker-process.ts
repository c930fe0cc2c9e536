import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TEST_EGRESS_ALLOW } from './egress';
import type { Harness } from './harness';

const ROOT = path.resolve(__dirname, '..', '..');

/** A real worker in its own OS process (npm run worker's entry point), so a test can SIGKILL it. */
export function spawnWorker(h: Harness, env: Record<string, string> = {}): { child: ChildProcess; output: () => string; ready: Promise<void>; kill(): Promise<void> } {
  // `node --import tsx`, not the tsx CLI: the CLI runs the script in a child process, and a SIGKILL
  // of the CLI would leave that worker running.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'processes', 'worker.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: h.databaseUrl,
      TEMPORAL_ADDRESS: h.temporalAddress,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      ENCRYPTION_KEYS: h.keyRing.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
      SYNC_SAFETY_LAG_SECONDS: '0',
      EGRESS_ALLOW: TEST_EGRESS_ALLOW,
      LOG_LEVEL: 'info', // the 'worker running' line says it is ready
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('worker running') || out.includes("state: 'RUNNING'")) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready:\n${out.slice(-2000)}`)));
  });
  return {
    child,
    output: () => out,
    ready,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    },
  };
}
