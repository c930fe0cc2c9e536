/**
 * `npm run bench`: runs every benchmark in bench/ one after the other (each in a process of its
 * own, so one's memory is not the next one's), writes bench/results/<date>.json and prints one
 * table. Each figure stands beside its baseline from the same run, and every benchmark beside the
 * machine's cores and load average before and after it: on a shared machine the load is part of
 * the figure. Asserts nothing.
 *
 *   npm run bench                 (BENCHES=order-sync,scenario to run some; their own env applies)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ratioOf, type BenchResult } from './figures';

const ALL = ['order-sync', 'scenario', 'sms-send', 'rate-limited', 'api-load', 'many-integrations'];
const benches = process.env.BENCHES ? process.env.BENCHES.split(',').map((b) => b.trim()) : ALL;

interface Ran extends Partial<BenchResult> {
  bench: string;
  exitCode: number | null;
  seconds: number;
  loadBefore: number[];
  loadAfter: number[];
}

const ran: Ran[] = [];
for (const bench of benches) {
  const file = path.join(os.tmpdir(), `bench-${bench}-${process.pid}.json`);
  fs.rmSync(file, { force: true });
  const loadBefore = os.loadavg();
  const started = performance.now();
  console.log(`\n▶ ${bench} (load ${loadBefore.map((l) => l.toFixed(2)).join(' ')})`);
  const child = spawnSync(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), path.join('bench', `${bench}.ts`)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULT_FILE: file },
  });
  const result = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult) : {};
  fs.rmSync(file, { force: true });
  ran.push({ ...result, bench, exitCode: child.status, seconds: (performance.now() - started) / 1000, loadBefore, loadAfter: os.loadavg() });
}

const date = new Date().toISOString();
const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryMiB: Math.round(os.totalmem() / 2 ** 20), node: process.version, platform: `${os.platform()} ${os.release()}` };
const dir = path.join('bench', 'results');
fs.mkdirSync(dir, { recursive: true });
const out = path.join(dir, `${date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
const withRatios = ran.map((r) => ({ ...r, figures: r.figures?.map((f) => ({ ...f, ratio: ratioOf(f) })) }));
fs.writeFileSync(out, `${JSON.stringify({ date, machine, benches: withRatios }, null, 2)}\n`);

const rows: string[][] = [['bench', 'figure', 'value', 'baseline', 'ratio', 'target', 'load before → after']];
for (const r of withRatios) {
  const load = `${r.loadBefore[0]!.toFixed(2)} → ${r.loadAfter[0]!.toFixed(2)}`;
  if (!r.figures) rows.push([r.bench, `failed (exit ${r.exitCode})`, '', '', '', '', load]);
  for (const f of r.figures ?? []) {
    const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
    rows.push([r.bench, f.name, `${num(f.value)} ${f.unit}`, f.baseline ? `${f.baseline.name} ${num(f.baseline.value)} ${f.unit}` : '', f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`, f.target ?? '', load]);
  }
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
console.log(`\nBenchmarks, ${date}, ${machine.cores} cores (${machine.cpu}), load average 1 min before → after each`);
for (const [i, row] of rows.entries()) {
  console.log(row.map((c, j) => c.padEnd(widths[j]!)).join('  '));
  if (i === 0) console.log(widths.map((w) => '─'.repeat(w)).join('  '));
}
console.log(`\nwritten to ${out}`);
process.exitCode = ran.some((r) => r.exitCode !== 0) ? 1 : 0;
