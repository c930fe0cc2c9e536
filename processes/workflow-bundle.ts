import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..');
/** Everything a workflow may import, and the SDK's version through the lock file. */
const SOURCES = ['workflows', 'kinds', 'connectors', 'lib', 'db'];

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const dir of SOURCES) {
    const files = (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
    for (const f of files) hash.update(`${dir}/${f}\0`).update(fs.readFileSync(path.join(ROOT, dir, f)));
  }
  hash.update(fs.readFileSync(path.join(ROOT, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

/** Bundles of earlier sources: a week is long enough for any worker still starting from one. */
function pruneOlderThan(dir: string, ageMs: number) {
  for (const f of fs.readdirSync(dir)) {
    const full = path.join(dir, f);
    if (Date.now() - fs.statSync(full).mtimeMs > ageMs) fs.rmSync(full, { force: true });
  }
}

/**
 * The workflow bundle as a file, built by webpack in a child process and kept under .cache by the
 * hash of its sources: bundling in the worker's own process left about 100 MiB of webpack's memory
 * in it for good (350 MiB idle for npm start, 248 MiB with the bundle built outside), and a
 * restarted worker with unchanged sources starts without bundling at all. Undefined when the cache
 * can't be written (a read-only checkout): the worker then bundles in its own process as before.
 */
export async function workflowBundleFile(log: (line: string) => void): Promise<{ codePath: string } | undefined> {
  try {
    const dir = path.join(ROOT, '.cache', 'workflow-bundles');
    fs.mkdirSync(dir, { recursive: true });
    const codePath = path.join(dir, `workflows-${sourceHash()}.js`);
    if (!fs.existsSync(codePath)) {
      log('Bundling workflows…');
      await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bundle-workflows.ts'), codePath], { cwd: ROOT, maxBuffer: 1 << 20 });
      pruneOlderThan(dir, 7 * 24 * 3600_000);
    }
    return { codePath };
  } catch (e) {
    log(`Bundling workflows in this process (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
    return undefined;
  }
}
