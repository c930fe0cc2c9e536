import { mulberry32 } from '../fakes/fake-server';
import type { ChaosBed } from './bed';
import type { Fault } from './faults';
import type { Workload } from './workloads';

/** Seeded, so a failing run can be replayed with CHAOS_SEED. */
export const seeded = mulberry32;

export interface TrialResult {
  trial: number;
  workload: string;
  fault: string;
  /** Share of the work done when the fault struck. */
  moment: number;
  /** From the fault to the first item that arrived after the service was whole again, ms. */
  recoveryMs: number | null;
  /** From the start of the workload to its last item, ms. */
  totalMs: number;
  expected: number;
  lost: number;
  duplicated: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ok()) return Date.now();
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(everyMs);
  }
}

/**
 * Runs one workload, strikes it with the fault when a random share of it (10–80%) has arrived,
 * waits for the rest, and counts in the fakes what was lost or sent twice. The trial does not
 * assert: the suite does, over the table, so every trial's row is printed first.
 */
export async function runTrial(trial: number, bed: ChaosBed, start: () => Promise<Workload>, fault: Fault, random: () => number, timeoutMs: number): Promise<TrialResult> {
  const began = Date.now();
  const work = await start();
  const moment = 0.1 + random() * 0.7;
  const row = { trial, workload: work.name, fault: fault.name, moment, expected: work.expected };
  try {
    await until(`${Math.round(moment * 100)}% of ${work.name}`, () => work.progress() >= work.expected * moment, timeoutMs, 20);
    const struckAt = Date.now();
    await fault.inject(bed, work);
    const whole = work.progress();
    let recoveryMs: number | null = null;
    if (whole < work.expected) {
      await until('the first item after the fault', () => work.progress() > whole, timeoutMs, 50);
      recoveryMs = Date.now() - struckAt;
    }
    const last = await until(`all of ${work.name}`, () => work.progress() >= work.expected, timeoutMs, 200);
    await until(`${work.name} to settle`, () => work.settled(), timeoutMs, 500);
    await pause(2_000); // anything still in flight lands now and would show as doubled
    return { ...row, recoveryMs, totalMs: last - began, ...work.tally() };
  } catch (e) {
    // Stuck or broken: report what the fakes have, so the table shows the loss.
    process.stderr.write(`[chaos] trial ${trial} (${work.name}, ${fault.name}): ${e instanceof Error ? e.message : String(e)}\n`);
    return { ...row, recoveryMs: null, totalMs: Date.now() - began, ...work.tally() };
  } finally {
    await work.close();
  }
}

export function table(results: TrialResult[]): string {
  const head = ['trial', 'workload', 'fault', 'moment', 'recovery', 'total', 'lost', 'duplicated'];
  const rows = results.map((r) => [
    String(r.trial),
    r.workload,
    r.fault,
    `${Math.round(r.moment * 100)}%`,
    r.recoveryMs === null ? '-' : `${(r.recoveryMs / 1000).toFixed(1)} s`,
    `${(r.totalMs / 1000).toFixed(1)} s`,
    String(r.lost),
    String(r.duplicated),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
