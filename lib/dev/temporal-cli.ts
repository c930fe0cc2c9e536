import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The newest tag that still go-installs (later tags carry a replace directive). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** Per-user, outside any checkout, so every clone on this machine reuses one build. */
export function cliCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'durable-integrations', 'temporal-cli', TEMPORAL_CLI_VERSION);
}

const isExecutable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

type Log = (line: string) => void;

/**
 * Finds the Temporal CLI, or installs it: TEMPORAL_CLI, then `temporal` on PATH, then the per-user
 * cache; else `go install` into the cache (about 2 minutes cold, progress shown), else the SDK's
 * own download (needs internet, no Go).
 */
export async function ensureTemporalCli(log: Log = (l) => process.stderr.write(`${l}\n`)): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const found = onPath('temporal');
  if (found) return found;
  const dir = cliCacheDir();
  const cached = path.join(dir, 'temporal');
  if (isExecutable(cached)) return cached;
  fs.mkdirSync(dir, { recursive: true });

  const go = onPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (go) {
    await goInstall(go, dir, log);
    if (isExecutable(cached)) return cached;
    throw new Error(`go install finished but ${cached} is missing`);
  }
  return sdkDownload(dir, log);
}

async function goInstall(go: string, dir: string, log: Log): Promise<void> {
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with ${go} into ${dir} (first time only, about 2 minutes)…`);
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-cli-'));
  const child = spawn(go, ['install', '-v', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: tmp, GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  let lastLine = '';
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines++;
      lastLine = line;
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const ticker = setInterval(() => {
    log(`  … ${Math.round((Date.now() - started) / 1000)} s, ${lines} packages downloaded or compiled (${lastLine.slice(0, 80)})`);
  }, 10_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(ticker);
  if (code !== 0) throw new Error(`go install of the Temporal CLI failed (exit ${code}); last output: ${lastLine}`);
  // Moved into place only when complete, so an interrupted build never leaves a broken binary.
  fs.renameSync(path.join(tmp, 'temporal'), path.join(dir, 'temporal'));
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`Temporal CLI ready after ${Math.round((Date.now() - started) / 1000)} s.`);
}

/** Without Go: let the Temporal SDK download its CLI build (needs internet) and keep the binary. */
async function sdkDownload(dir: string, log: Log): Promise<string> {
  log('No Go toolchain found: downloading the Temporal CLI through the Temporal SDK…');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'cached-download', downloadDir: dir } } });
  await env.teardown();
  const binary = findBinary(dir);
  if (!binary) throw new Error(`the SDK download left no temporal binary in ${dir}`);
  if (binary !== path.join(dir, 'temporal')) fs.copyFileSync(binary, path.join(dir, 'temporal'));
  fs.chmodSync(path.join(dir, 'temporal'), 0o755);
  return path.join(dir, 'temporal');
}

function findBinary(dir: string): string | undefined {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = findBinary(full);
      if (inner) return inner;
    } else if (/^temporal/.test(entry.name) && isExecutable(full) && !entry.name.endsWith('.tar.gz') && !entry.name.endsWith('.zip')) {
      return full;
    }
  }
  return undefined;
}

export function cliVersion(binary: string): string {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

if (require.main === module) {
  ensureTemporalCli()
    .then((bin) => console.log(`${bin}\n${cliVersion(bin)}`))
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
